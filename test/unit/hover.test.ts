import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-types';
import { getHover } from '../../server/src/service/hover';
import { parse } from '../../server/src/service';
import { cursor, doc } from '../helpers/docs';

/** The hover at the `|` of `source`, and the text its range covers. */
function hover(source: string): { value: string; covers: string } | null {
  const { text, offset: at } = cursor(source);
  const document = doc(text);
  const h = getHover(document, parse(document), document.positionAt(at));
  if (!h) return null;
  return { value: (h.contents as MarkupContent).value, covers: h.range ? document.getText(h.range) : '' };
}

const DOMAIN = `<domain type='kvm'>
  <name>t</name>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:6d:90:02'/>
      <source network='default'/>
      <model type='virtio'/>
      <teaming type='persistent'/>
      <alias name='ua-backup0'/>
    </interface>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:02'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x42' slot='0x02' function='0x5'/>
      </source>
      <teaming type='transient' persistent='ua-backup0'/>
    </interface>
    <interface type='user'>
      <mac address='52:54:00:6D:90:02'/>
    </interface>
    <hostdev mode='subsystem' type='pci'>
      <source>
        <address domain='0x0000' bus='0x43' slot='0x00' function='0x0'/>
      </source>
      <teaming type='transient' persistent='ua-nothing'/>
    </hostdev>
  </devices>
</domain>
`;

/** DOMAIN with the cursor put before the n-th (0-based) occurrence of `needle`, offset by `shift`. */
function at(needle: string, n = 0, shift = 1): string {
  let i = -1;
  for (let k = 0; k <= n; k++) i = DOMAIN.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return DOMAIN.slice(0, i + shift) + '|' + DOMAIN.slice(i + shift);
}

describe('hover', () => {
  it('on an element: what it does, since when, its attributes and children', () => {
    const h = hover(at('<teaming'))!;
    assert.equal(h.covers, 'teaming');
    assert.match(h.value, /\*\*`<teaming>`\*\*/);
    assert.match(h.value, /virtio-net failover/);
    assert.match(h.value, /Since libvirt 6\.1\.0/);
    assert.match(h.value, /Required attributes: `type`/);
  });

  it('on <teaming> of a plain <hostdev>: since 7.1.0', () => {
    assert.match(hover(at('<teaming', 2))!.value, /Since libvirt 7\.1\.0/);
  });

  it('on a teaming element: the pair it belongs to, from either side', () => {
    assert.match(
      hover(at('<teaming', 0))!.value,
      /persistent standby `<interface type='network'>` `ua-backup0` \(line 7\), MAC `52:54:00:6d:90:02`, backs the transient `<interface type='hostdev'>` \(line 14\), MAC `52:54:00:6d:90:02`/,
    );
    assert.match(
      hover(at('<teaming', 1))!.value,
      /transient VF `<interface type='hostdev'>` \(line 14\), MAC `52:54:00:6d:90:02`, fails over to the persistent `<interface type='network'>` `ua-backup0` \(line 7\), MAC `52:54:00:6d:90:02`/,
    );
    assert.match(hover(at('<teaming', 2))!.value, /names no persistent virtio interface/);
  });

  it('on an attribute: its description, whether required, its allowed values', () => {
    const h = hover(at("type='network'", 0, 1))!;
    assert.equal(h.covers, 'type');
    assert.match(h.value, /\*\*`type`\*\* of `<interface>` \(required\)/);
    assert.match(h.value, /`hostdev` \(an SR-IOV VF passed through\)/);
    assert.match(h.value, /'bridge'/);
  });

  it('on a value: the allowed values, or why it is not valid', () => {
    const valid = hover(at("'persistent'", 0, 3))!;
    assert.equal(valid.covers, 'persistent');
    assert.match(valid.value, /always present/);
    assert.match(valid.value, /Allowed: `persistent`, `transient`/);
    const bad = hover(DOMAIN.replace("bus='0x42'", "bus='0x1|42'"))!;
    assert.match(bad.value, /Not valid: libvirt's schema expects pciBus/);
  });

  it('on a MAC: unicast, locally administered, and who else carries it', () => {
    const h = hover(at('52:54:00:6d:90:02', 0, 2))!;
    assert.equal(h.covers, '52:54:00:6d:90:02');
    assert.match(h.value, /Unicast; locally administered — the QEMU\/KVM prefix 52:54:00/);
    assert.match(h.value, /Also on `<interface type='hostdev'>` \(line 14\): its teaming partner, as it must be\./);
    assert.match(h.value, /Also on `<interface type='user'>` \(line 21\): not its teaming partner/);
    const multicast = hover(DOMAIN.replace("'52:54:00:6D:90:02'", "'0|1:00:5e:00:00:01'"))!;
    assert.match(multicast.value, /\*\*Multicast\*\*/);
    assert.match(multicast.value, /universally administered/);
  });

  it('on the text of an element with a typed value', () => {
    const h = hover(DOMAIN.replace('>hvm<', '>h|vm<'))!;
    assert.equal(h.covers, 'hvm');
    assert.match(h.value, /Allowed: `exe`, `hvm`/);
    assert.match(hover(DOMAIN.replace('>hvm<', '>h|mv<'))!.value, /Not valid/);
  });

  it('on an alias: who names it', () => {
    assert.match(hover(at("'ua-backup0'/>", 0, 2))!.value, /Named by 1 transient teaming element \(line 19\)/);
  });

  it('on namespaced and unknown elements, and nowhere else', () => {
    assert.match(
      hover(DOMAIN.replace('<devices>', '<qemu:commandline/>\n  <devices>').replace('<qemu:c', '<qemu:|c'))!.value,
      /another XML namespace/,
    );
    assert.match(
      hover(DOMAIN.replace('<model', '<mo|dle').replace("<modle type='virtio'/>", "<modle type='virtio'/>"))!.value,
      /Not allowed in `<interface>`/,
    );
    assert.equal(hover(at('  <devices>', 0, 0)), null);
    assert.equal(hover('<project>\n  <na|me>x</name>\n</project>\n'), null, 'not a domain');
  });

  // issue #10 item 4: VS Code's Markdown renderer drops `<mac>` written as plain text
  it('writes element names as code everywhere, so that Markdown shows them (not as HTML)', () => {
    const mac = hover(at('52:54:00:6d:90:02', 0, 2))!;
    assert.match(mac.value, /^`52:54:00:6d:90:02`: `address` of `<mac>`/);
    assert.match(hover(at("'ua-backup0'/>", 0, 2))!.value, /^`ua-backup0`: `name` of `<alias>`/);
    assert.match(hover(at("slot='0x02'", 0, 7))!.value, /^`0x02`: `slot` of `<address>`/);
    const teaming = hover(at('<teaming', 1))!.value;
    assert.match(teaming, /^\*\*`<teaming>`\*\*/);
    assert.match(teaming, /Children: |Not part|Teaming pair/);
    // vocabulary docs that mention elements (<source>'s: "a PCI <address>, USB <vendor>…")
    const source = hover(at('<source>', 0, 2))!.value;
    assert.match(source, /a PCI `<address>`/);
    for (const h of [mac.value, teaming, source]) {
      const outsideCode = h.replace(/`[^`]*`/g, '');
      assert.doesNotMatch(outsideCode, /<\/?[a-z]/i, `a tag outside code in:\n${h}`);
    }
  });

  // issue #12 item 10: LSP says a hover's range contains the position
  it('on the / of an end tag: a range that contains the position', () => {
    const source = DOMAIN.replace('</devices>', '<|/devices>');
    const { offset } = cursor(source);
    const h = hover(source)!;
    assert.match(h.value, /\*\*`<devices>`\*\*/);
    assert.equal(h.covers, '</devices');
    const document = doc(cursor(source).text);
    const r = getHover(document, parse(document), document.positionAt(offset))!.range!;
    assert.ok(document.offsetAt(r.start) <= offset && offset <= document.offsetAt(r.end));
  });

  it('every hover range contains the position, at every offset of the document', () => {
    const document = doc(DOMAIN);
    const parsed = parse(document);
    let hovers = 0;
    for (let offset = 0; offset <= DOMAIN.length; offset++) {
      const h = getHover(document, parsed, document.positionAt(offset));
      if (!h) continue;
      hovers++;
      const [start, end] = [document.offsetAt(h.range!.start), document.offsetAt(h.range!.end)];
      assert.ok(start <= offset && offset <= end, `offset ${offset}: range ${start}-${end}`);
    }
    assert.ok(hovers > DOMAIN.length / 2, `${hovers} hovers`);
  });
});
