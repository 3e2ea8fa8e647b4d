import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { decode } from '../../server/src/cli/encoding';
import { escapeAttr, escapeValue } from '../../server/src/edits/xml';
import {
  bridgeNameProblem,
  checkFixSettings,
  fixAll,
  getCodeActions,
  networkNameProblem,
  parse,
  parseText,
  validate,
} from '../../server/src/service';
import { doc, domain } from '../helpers/docs';
import { seeded } from '../helpers/random';

/**
 * Issue 12, items 2 and 6: the settings that flow into the user's XML are names libvirt accepts (else refused with
 * a message, and the default used), everything written into an attribute is escaped, and the CLI's reading of
 * bytes agrees with a strict UTF-8 decoder.
 */

const VF = `    <interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:6d:90:02'/>\n      <source>\n        <address type='pci' domain='0x0000' bus='0x42' slot='0x02' function='0x0'/>\n      </source>\n    </interface>\n`;
const TEXT = domain(VF, "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n");

describe('settings that flow into XML', () => {
  it('names libvirt refuses are refused, each with a message naming the setting and what is used instead', () => {
    const { settings, problems } = checkFixSettings({
      standbyNetwork: 'a\u0000b',
      standbyBridge: "a'b",
      vfPoolNetwork: 'pool/1',
    });
    assert.deepEqual(settings, {});
    assert.deepEqual(problems, [
      "migratable.standbyNetwork: 'a\\u0000b' holds the character U+0000, which XML cannot hold; using 'default' instead",
      "migratable.standbyBridge: 'a'b' is not a bridge name libvirt accepts: only letters, digits, spaces and _ . - \\ : /; using none instead",
      "migratable.vfPoolNetwork: 'pool/1' is not a network name libvirt accepts: it refuses '/' in one; using 'sriov-pool' instead",
    ]);
  });

  it('a number, an object or a list is refused too (the fixes were silently lost)', () => {
    const { settings, problems } = checkFixSettings({ standbyNetwork: 5, standbyBridge: { x: 1 }, vfPoolNetwork: ['a'] });
    assert.deepEqual(settings, {});
    assert.deepEqual(
      problems.map((p) => p.replace(/;.*/, '')),
      [
        'migratable.standbyNetwork: it must be a libvirt network name, not a number',
        'migratable.standbyBridge: it must be a bridge name, or empty for none, not an object',
        'migratable.vfPoolNetwork: it must be a libvirt network name, not a list',
      ],
    );
  });

  it('good names pass unchanged; empty keeps its meaning; rules pass through', () => {
    const raw = { standbyNetwork: 'prod net', standbyBridge: '', vfPoolNetwork: 'pool-1.a:b', rules: { x: 'off' }, enable: true };
    assert.deepEqual(checkFixSettings(raw), {
      settings: { standbyNetwork: 'prod net', vfPoolNetwork: 'pool-1.a:b', rules: { x: 'off' } },
      problems: [],
    });
    assert.equal(networkNameProblem('net\nwork'), undefined, 'libvirt accepts it (virsh net-define does); it is escaped');
    assert.equal(bridgeNameProblem('br0.100'), undefined);
    assert.match(bridgeNameProblem('net<work')!, /not a bridge name/);
    assert.match(bridgeNameProblem(' ')!, /must not be empty/);
  });

  it('with the refused settings replaced, "Add a virtio failover partner" is still offered and writes XML', () => {
    const { settings } = checkFixSettings({ standbyNetwork: 'a\u001bb', standbyBridge: 7 });
    const d = doc(TEXT);
    const p = parse(d);
    const actions = getCodeActions(d, p, validate(d, p), settings, undefined, seeded(1));
    const partner = actions.find((a) => a.title === 'Add a virtio failover partner')!;
    const fixed = TextDocument.applyEdits(d, partner.edit!.changes![d.uri]);
    assert.ok(fixed.includes("<source network='default'/>"));
    assert.deepEqual(parseText(fixed).xml.errors, []);
  });

  it('a name with a line break, a tab, quotes and markup is written escaped and reads back the same', () => {
    const name = `n'"<&>\n\t\r1`;
    assert.equal(escapeAttr(name, "'"), 'n&apos;"&lt;&amp;>&#10;&#9;&#13;1');
    const d = doc(TEXT);
    const r = fixAll(d, parse(d), { standbyNetwork: name }, seeded(1));
    const fixed = parseText(TextDocument.applyEdits(d, r.edits));
    assert.deepEqual(fixed.xml.errors, []);
    const source = fixed.model!.interfaces[0].el.children.find((c) => c.kind === 'element' && c.name === 'source');
    assert.equal(source?.kind === 'element' && source.attributes[0].value, name);
  });
});

describe('escaping what is written into XML', () => {
  it('escapeValue is safe between either quote and as text: each reads back as written', () => {
    const value = `it's "a" <b> & c\n`;
    const read = (xml: string) => parseText(xml).xml;
    for (const xml of [`<a v='${escapeValue(value)}'/>`, `<a v="${escapeValue(value)}"/>`]) {
      const doc = read(xml);
      assert.deepEqual(doc.errors, []);
      assert.equal(doc.root!.attributes[0].value, value);
    }
    const text = read(`<a>${escapeValue(value)}</a>`);
    assert.deepEqual(text.errors, []);
  });

  it('a refused value is shown shortened to a line, not a megabyte', () => {
    const { problems } = checkFixSettings({ standbyBridge: 'x<'.repeat(500_000) });
    assert.equal(problems.length, 1);
    assert.ok(problems[0].length < 300, `${problems[0].length} characters`);
  });
});

describe('reading bytes: UTF-8 exactly as a strict decoder reads it', () => {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  it('agrees with TextDecoder (fatal) on 20,000 random byte strings, and round-trips the valid ones', () => {
    const random = seeded(5);
    // bytes around the edges of the UTF-8 ranges, so invalid and valid sequences both come up often
    const pool = [
      0x41, 0x0a, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff,
    ];
    for (let n = 0; n < 20_000; n++) {
      const bytes = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 8) }, () => pool[Math.floor(random() * pool.length)]),
      );
      if (bytes[0] === 0x3c || bytes[0] === 0xff || bytes[0] === 0xfe || bytes[0] === 0x00) continue;
      let expected: string | undefined;
      try {
        expected = strict.decode(bytes);
      } catch {
        expected = undefined;
      }
      const got = decode(bytes);
      assert.equal(got.text, expected, `bytes ${bytes.toString('hex')}: ${got.error}`);
      if (got.text !== undefined) assert.deepEqual(Buffer.from(got.text, 'utf8'), bytes);
    }
  });

  it('says where the first bad byte is (line and byte column), and refuses UTF-16 and UTF-32', () => {
    assert.match(
      decode(Buffer.from('<a>\n  <!-- caf\xe9 -->', 'latin1')).error!,
      /^not valid UTF-8: byte 0xE9 at line 2, column 11;/,
    );
    assert.match(decode(Buffer.from([0xff, 0xfe, 0x3c, 0x00])).error!, /^UTF-16 is not supported/);
    assert.match(decode(Buffer.from([0x3c, 0x00, 0x61, 0x00])).error!, /^UTF-16 is not supported/);
    assert.match(decode(Buffer.from([0xff, 0xfe, 0x00, 0x00])).error!, /^UTF-32 is not supported/);
    assert.equal(decode(Buffer.from('\ufeff<a/>', 'utf8')).text, '\ufeff<a/>');
  });
});
