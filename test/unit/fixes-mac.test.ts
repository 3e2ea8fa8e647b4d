import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { generateMac } from '../../server/src/model/mac';
import { generateMac as macFor, insertTeamingPairSnippet, parse, validate } from '../../server/src/service';
import { doc, seeded } from '../fixes/cases';
import { expandSnippet } from '../helpers/snippet';

const MAC = /^52:54:00(:[0-9a-f]{2}){3}$/;

describe('generateMac', () => {
  it('makes a random 52:54:00:xx:xx:xx (unicast, locally administered)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const mac = generateMac('');
      assert.match(mac, MAC);
      seen.add(mac);
    }
    assert.ok(seen.size > 45, 'generated MACs repeat: not random');
  });

  it('takes its randomness from the caller when given, and repeats with the same seed', () => {
    assert.equal(generateMac('', seeded(3)), generateMac('', seeded(3)));
    assert.equal(
      generateMac('', () => 0.999),
      '52:54:00:ff:ff:ff',
    );
    assert.equal(
      generateMac('', () => 0),
      '52:54:00:00:00:00',
    );
  });

  it('never returns a MAC the document already uses (any case, comments included)', () => {
    const values = [0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5];
    const next = () => values.shift() ?? 0.25;
    const text =
      "<domain><devices><interface><mac address='52:54:00:00:00:00'/></interface></devices></domain><!-- 52:54:00:00:00:00 -->";
    assert.equal(generateMac(text, next), '52:54:00:80:80:80');
    const parsed = parse(doc("<domain><devices><interface><mac address='52:54:00:FF:FF:FF'/></interface></devices></domain>"));
    let calls = 0;
    assert.equal(
      macFor(parsed, () => (calls++ < 3 ? 0.999 : 0)),
      '52:54:00:00:00:00',
    );
  });
});

describe('insertTeamingPairSnippet', () => {
  const text =
    "<domain type='kvm'>\n  <name>s</name>\n  <memory unit='KiB'>1048576</memory>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <devices>\n    <interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/><model type='virtio'/><alias name='ua-standby0'/></interface>\n    \n  </devices>\n</domain>\n";
  const cursor = text.indexOf('    \n  </devices>') + 4;

  const expand = expandSnippet;

  it('has tab stops for the four VF address parts, a fresh MAC on both sides and a unique ua- alias', () => {
    const d = doc(text);
    const s = insertTeamingPairSnippet(d, parse(d), cursor, {}, seeded(1));
    assert.match(s, /domain='0x\$\{1:0000\}' bus='0x\$\{2:00\}' slot='0x\$\{3:00\}' function='0x\$\{4:0\}'/);
    assert.ok(s.endsWith('$0'));
    const macs = [...s.matchAll(/address='([0-9a-f:]+)'/g)].map((m) => m[1]);
    assert.deepEqual(macs, ['52:54:00:a0:00:87', '52:54:00:a0:00:87']);
    assert.deepEqual(
      [...s.matchAll(/'(ua-[^']+)'/g)].map((m) => m[1]),
      ['ua-standby1', 'ua-standby1'],
    );
  });

  it("inserted at the cursor, gives a valid pair in the file's indentation", () => {
    const d = doc(text);
    const s = insertTeamingPairSnippet(d, parse(d), cursor, { standbyBridge: 'br0' }, seeded(1));
    const inserted = text.slice(0, cursor) + expand(s, '    ') + text.slice(cursor);
    assert.ok(
      inserted.includes(
        "\n    <interface type='bridge'>\n      <mac address='52:54:00:a0:00:87'/>\n      <source bridge='br0'/>\n",
      ),
    );
    assert.ok(
      inserted.includes(
        "\n    <interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:a0:00:87'/>\n      <source>\n        <address type='pci'",
      ),
    );
    const di = doc(inserted);
    const problems = validate(di, parse(di)).filter(
      (x) => x.severity === DiagnosticSeverity.Error || String(x.code).startsWith('migration-'),
    );
    assert.deepEqual(
      problems.map((x) => x.code),
      [],
    );
  });

  it('starts on a new line when the cursor follows text, and escapes snippet syntax in values', () => {
    const d = doc(text);
    const after = text.indexOf('<devices>') + '<devices>'.length;
    const s = insertTeamingPairSnippet(d, parse(d), after, { standbyNetwork: 'net$1}' }, seeded(1));
    assert.ok(s.startsWith("\n  <interface type='network'>"));
    assert.ok(s.includes("<source network='net\\$1\\}'/>"));
  });
});
