import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FoldingRangeKind, type DocumentSymbol, type Location } from 'vscode-languageserver-types';
import { getDefinition, getDocumentSymbols, getFoldingRanges, getReferences } from '../../server/src/service/navigation';
import { parse } from '../../server/src/service';
import { doc } from '../helpers/docs';

const TEXT = `<domain type='kvm'>
  <name>pair</name>
  <memory unit='KiB'>1048576</memory>
  <!-- two lines
       of comment -->
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/libvirt/images/a.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <alias name='ua-backup0'/>
    </disk>
    <interface type='network'>
      <mac address='52:54:00:6d:90:02'/>
      <source network='default'/>
      <model type='virtio'/>
      <teaming type='persistent'/>
      <alias name='ua-backup0'/>
    </interface>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:02'/>
      <teaming type='transient' persistent='ua-backup0'/>
    </interface>
    <hostdev mode='subsystem' type='pci'>
      <teaming type='transient' persistent='ua-backup0'/>
    </hostdev>
  </devices>
</domain>
`;

const document = doc(TEXT);
const parsed = parse(document);

/** The position inside the n-th (0-based) occurrence of `needle`, `shift` characters in. */
function at(needle: string, n = 0, shift = 1) {
  let i = -1;
  for (let k = 0; k <= n; k++) i = TEXT.indexOf(needle, i + 1);
  assert.ok(i >= 0, needle);
  return document.positionAt(i + shift);
}

const where = (locations: Location[]) =>
  locations.map((l) => `${l.range.start.line + 1}:${l.range.start.character + 1} ${document.getText(l.range)}`);

describe('go to definition and find references', () => {
  it("from persistent= to the alias of the persistent interface (before a disk's alias of the same name)", () => {
    assert.deepEqual(where(getDefinition(document, parsed, at("persistent='ua-backup0'", 0, 14))), [
      '17:20 ua-backup0',
      '10:20 ua-backup0',
    ]);
  });

  it('nothing from elsewhere', () => {
    assert.deepEqual(getDefinition(document, parsed, at("<source network='default'", 0, 18)), []);
    assert.deepEqual(getDefinition(document, parsed, at("<alias name='ua-backup0'", 1, 14)), []);
  });

  it('references of an alias: every persistent= naming it, and the declarations when asked', () => {
    const onAlias = at("<alias name='ua-backup0'", 1, 14);
    assert.deepEqual(where(getReferences(document, parsed, onAlias, false)), ['21:45 ua-backup0', '24:45 ua-backup0']);
    assert.deepEqual(where(getReferences(document, parsed, onAlias, true)), [
      '10:20 ua-backup0',
      '17:20 ua-backup0',
      '21:45 ua-backup0',
      '24:45 ua-backup0',
    ]);
    assert.equal(
      getReferences(document, parsed, at("persistent='ua-backup0'", 1, 14), false).length,
      2,
      'from a persistent= too',
    );
  });
});

describe('document symbols', () => {
  it('outline: the domain, its sections, and each device with its type, alias and MAC', () => {
    const [root] = getDocumentSymbols(document, parsed);
    assert.equal(root.name, 'domain pair');
    assert.equal(root.detail, 'kvm');
    assert.deepEqual(
      root.children!.map((c) => `${c.name}: ${c.detail ?? ''}`),
      ['name: pair', 'memory: 1048576 KiB', 'devices: 4 devices'],
    );
    const devices = root.children![2].children!;
    assert.deepEqual(
      devices.map((d: DocumentSymbol) => `${d.name} | ${d.detail ?? ''}`),
      [
        'disk file vda | ua-backup0',
        'interface network | ua-backup0 · 52:54:00:6d:90:02 · teaming persistent',
        'interface hostdev | 52:54:00:6d:90:02 · teaming transient → ua-backup0',
        'hostdev pci | teaming transient → ua-backup0',
      ],
    );
    const iface = devices[1];
    assert.equal(document.getText(iface.selectionRange), 'interface');
    assert.match(document.getText(iface.range), /^<interface type='network'>[\s\S]*<\/interface>$/);
  });

  it('a document that is not a domain gets nothing (other XML belongs to other extensions), nor an empty one', () => {
    const other = doc('<project>\n  <a>\n  </a>\n</project>\n', 'file:///p.xml');
    assert.deepEqual(getDocumentSymbols(other, parse(other)), []);
    assert.deepEqual(getFoldingRanges(other, parse(other)), []);
    const empty = doc('', 'file:///e.xml');
    assert.deepEqual(getDocumentSymbols(empty, parse(empty)), []);
  });
});

describe('folding ranges', () => {
  it('each multi-line element up to the line before its end tag, and multi-line comments', () => {
    const ranges = getFoldingRanges(document, parsed).map(
      (r) => `${r.startLine + 1}-${r.endLine + 1}${r.kind === FoldingRangeKind.Comment ? ' comment' : ''}`,
    );
    assert.deepEqual(ranges, ['1-26', '4-5 comment', '6-25', '7-10', '12-17', '19-21', '23-24']);
  });

  it('half-typed elements fold to the end of the document; a start tag still being typed does not', () => {
    const half = TextDocument.create(
      'file:///h.xml',
      'xml',
      1,
      "<domain type='kvm'>\n  <devices>\n    <interface>\n      <mac\n",
    );
    assert.deepEqual(
      getFoldingRanges(half, parse(half)).map((r) => `${r.startLine + 1}-${r.endLine + 1}`),
      ['1-5', '2-5', '3-5'],
    );
  });
});
