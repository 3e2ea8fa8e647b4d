import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { getCompletions, type CompletionSettings } from '../../server/src/service/completion';
import { parse } from '../../server/src/service';
import { cursor, doc, domain } from '../helpers/docs';

/** Completion at the `|` of `source` (the marker is removed). */
function complete(
  source: string,
  settings: CompletionSettings = {},
): { items: CompletionItem[]; apply: (label: string) => string; text: string } {
  const { text, offset: at } = cursor(source);
  const document = doc(text);
  const { items } = getCompletions(document, parse(document), document.positionAt(at), settings);
  const apply = (label: string) => {
    const item = items.find((i) => i.label === label);
    assert.ok(item, `no item ${label} in ${items.map((i) => i.label).join(', ')}`);
    return TextDocument.applyEdits(document, [item.textEdit as TextEdit]);
  };
  return { items, apply, text };
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);

const PAIR = `    <interface type='network'>
      <mac address='52:54:00:6d:90:02'/>
      <source network='tenant'/>
      <model type='virtio'/>
      <teaming type='persistent'/>
      <alias name='ua-backup0'/>
    </interface>
`;

describe('completion of values the document knows', () => {
  it('persistent= offers the ua- aliases of interfaces with persistent teaming only', () => {
    const devices =
      PAIR +
      `    <interface type='network'>\n      <alias name='ua-plain'/>\n    </interface>\n` +
      `    <interface type='network'>\n      <teaming type='persistent'/>\n      <alias name='backup1'/>\n    </interface>\n` +
      `    <interface type='hostdev'>\n      <teaming type='transient' persistent='|'/>\n    </interface>\n`;
    const { items, apply, text } = complete(domain(devices));
    assert.deepEqual(labels(items), ['ua-backup0']);
    assert.equal(apply('ua-backup0'), text.replace("persistent=''", "persistent='ua-backup0'"));
  });

  it("<mac address= offers the teaming partner's MAC, then a fresh unicast 52:54:00 MAC unused in the document", () => {
    const used = ['52:54:00:00:00:00', '52:54:00:01:01:01'];
    let calls = 0;
    // draws 00:00:00, then 01:01:01 (both in the document, one in upper case), then 02:02:02
    const random = () => Math.floor(calls++ / 3) / 256;
    const devices =
      PAIR.replace('52:54:00:6d:90:02', used[0]) +
      `    <interface type='hostdev'>\n      <mac address='|\n` +
      `      <teaming type='transient' persistent='ua-backup0'/>\n    </interface>\n    <interface type='user'>\n      <mac address='${used[1].toUpperCase()}'/>\n    </interface>\n`;
    const { items } = complete(domain(devices), { random });
    assert.equal(items[0].label, used[0]);
    assert.match(String(items[0].detail), /teaming partner/);
    assert.equal(items[1].label, '52:54:00:02:02:02');
    assert.equal(items.length, 2);
  });

  it('a fresh MAC is random and unused, whatever the document holds', () => {
    const { items } = complete(domain(`    <interface type='network'>\n      <mac address='|'/>\n    </interface>\n`));
    assert.equal(items.length, 1);
    assert.match(String(items[0].label), /^52:54:00(:[0-9a-f]{2}){3}$/);
  });

  it('<source network= offers the networks used elsewhere in the document', () => {
    const devices =
      PAIR +
      `    <interface type='network'>\n      <source network='sriov-pool'/>\n    </interface>\n` +
      `    <interface type='network'>\n      <source network='|'/>\n    </interface>\n`;
    assert.deepEqual(labels(complete(domain(devices)).items), ['sriov-pool', 'tenant']);
  });

  it('<alias name= offers a free ua- name, and on a persistent interface the name a transient already points at', () => {
    const devices =
      `    <interface type='network'>\n      <teaming type='persistent'/>\n      <alias name='|'/>\n    </interface>\n` +
      `    <interface type='network'>\n      <alias name='ua-net0'/>\n    </interface>\n` +
      `    <interface type='hostdev'>\n      <teaming type='transient' persistent='ua-standby'/>\n    </interface>\n`;
    assert.deepEqual(labels(complete(domain(devices)).items), ['ua-standby', 'ua-net1']);
  });
});

describe('completion from the vocabulary', () => {
  it('offers the elements allowed in <devices>, with snippets for disk, interface, hostdev and a teaming pair', () => {
    const { items } = complete(domain('    |\n'));
    for (const name of ['interface', 'hostdev', 'disk', 'controller', 'memballoon'])
      assert.ok(labels(items).includes(name), name);
    assert.ok(!labels(items).includes('teaming') && !labels(items).includes('os'));
    const pair = items.find((i) => String(i.label).startsWith('interface pair'));
    assert.ok(pair, 'no teaming pair snippet');
    const body = (pair.textEdit as TextEdit).newText;
    assert.equal(pair.insertTextFormat, InsertTextFormat.Snippet);
    assert.match(body, /^<interface type='network'>/);
    assert.match(
      body,
      /<teaming type='persistent'\/>[\s\S]*<alias name='\$\{3:ua-standby0\}'\/>[\s\S]*<teaming type='transient' persistent='\$\{3\}'\/>/,
    );
    assert.equal(body.match(/\$\{1(:52:54:00:[0-9a-f:]{8})?\}/g)?.length, 2, 'both sides share one MAC placeholder');
  });

  it('completes a half-typed element name in a half-typed document', () => {
    const { items, apply, text } = complete(`<domain type='kvm'>\n  <devices>\n    <dis|\n`, { snippets: false });
    assert.ok(labels(items).includes('disk'));
    assert.equal(apply('disk'), text.replace('<dis\n', '<disk\n'));
  });

  it('after a bare "<" offers elements and replaces the "<" too', () => {
    const { apply, text } = complete(domain('    <|\n'), { snippets: false });
    assert.equal(apply('interface'), text.replace('    <\n', '    <interface\n'));
  });

  it('nothing mid-line in text: a space there is not a request for elements', () => {
    assert.deepEqual(complete(domain('', '  <title>my |</title>\n')).items, []);
    assert.deepEqual(complete(domain('    <disk type="file"/> |\n')).items, []);
  });

  it('elements allowed once are not offered again', () => {
    const { items } = complete(`<domain type='kvm'>\n  <name>t</name>\n  <os>\n    <type>hvm</type>\n  </os>\n  |\n</domain>\n`);
    assert.ok(!labels(items).includes('os') && !labels(items).includes('name'));
    assert.ok(labels(items).includes('devices') && labels(items).includes('cpu'));
  });

  it("offers attributes not yet written, those of the element's variant", () => {
    const { items } = complete(domain(`    <interface type='network'>\n      <address type='pci' |/>\n    </interface>\n`));
    assert.deepEqual(labels(items).sort(), ['bus', 'domain', 'function', 'multifunction', 'slot']);
    const { apply, text } = complete(
      domain(`    <interface type='network'>\n      <address type='pci' |/>\n    </interface>\n`),
      { snippets: false },
    );
    assert.equal(apply('slot'), text.replace("type='pci' />", "type='pci' slot=''/>"));
  });

  it("offers every enumerated value of a discriminating attribute, not only the current variant's", () => {
    const { items } = complete(domain(`    <interface type='net|work'>\n    </interface>\n`));
    for (const t of ['network', 'bridge', 'hostdev', 'direct', 'user']) assert.ok(labels(items).includes(t), t);
  });

  it('offers enumerated values in a half-typed document (unterminated value)', () => {
    const { items } = complete(`<domain type='kvm'>\n  <devices>\n    <interface type='network'>\n      <teaming type='|\n`);
    assert.deepEqual(labels(items), ['persistent', 'transient']);
  });

  it('offers the enumerated text of an element', () => {
    assert.deepEqual(labels(complete(domain('', '  <on_poweroff>|</on_poweroff>\n')).items), [
      'destroy',
      'preserve',
      'rename-restart',
      'restart',
    ]);
  });

  it('offers size units for unit=', () => {
    assert.ok(labels(complete(domain('', '  <currentMemory unit="|">1</currentMemory>\n')).items).includes('GiB'));
  });

  it('the root of an empty document is a domain; other XML gets nothing', () => {
    assert.deepEqual(labels(complete('<|').items), ['domain']);
    assert.deepEqual(complete('<project>\n  <|\n</project>\n').items, []);
    assert.deepEqual(complete('<project/>\n<|').items, []);
  });

  it('plain text when the client takes no snippets', () => {
    const { items } = complete(domain('    |\n'), { snippets: false });
    assert.ok(items.every((i) => i.insertTextFormat !== InsertTextFormat.Snippet));
    assert.ok(!items.some((i) => String(i.label).startsWith('interface pair')));
  });

  // issue #10 item 8: `<interface type='bridge'></interface>` on one line put a typed <teaming> after the end tag
  it('an element that holds elements opens on its own lines with the cursor inside; a text element stays on one line', () => {
    const { items } = complete(domain('    <|\n'));
    const body = (label: string) => (items.find((i) => i.label === label)!.textEdit as TextEdit).newText;
    assert.match(body('interface'), /^<interface type='\$\{1\|[^}]*\|\}'>\n\t\$0\n<\/interface>$/);
    const head = complete(domain('', '  <|\n')).items;
    assert.equal((head.find((i) => i.label === 'title')!.textEdit as TextEdit).newText, '<title>$0</title>');
    const inInterface = complete(domain(`    <interface type='network'>\n      <|\n    </interface>\n`)).items;
    assert.equal((inInterface.find((i) => i.label === 'model')!.textEdit as TextEdit).newText, "<model type='$1'/>");
  });

  it("<mac> inserted by completion asks for its address's values at once (no Ctrl+Space)", () => {
    const devices = `    <interface type='network'>\n      <|\n    </interface>\n`;
    const mac = complete(domain(devices)).items.find((i) => i.label === 'mac')!;
    assert.equal((mac.textEdit as TextEdit).newText, "<mac address='$1'/>");
    assert.equal(mac.command?.command, 'editor.action.triggerSuggest');
    const teaming = complete(domain(devices)).items.find((i) => i.label === 'teaming')!;
    assert.equal(teaming.command, undefined, 'a choice of values shows by itself');
    const model = complete(domain(devices)).items.find((i) => i.label === 'model')!;
    assert.equal(model.command, undefined, 'no value the document could propose');
  });

  it('a snippet for a lone VF: <interface type=hostdev> with a MAC and its host PCI address as tab stops', () => {
    const vf = complete(domain('    |\n')).items.find((i) => i.label === 'interface (SR-IOV VF, hostdev)');
    assert.ok(vf, 'no VF snippet');
    const body = (vf.textEdit as TextEdit).newText;
    assert.match(body, /^<interface type='hostdev' managed='yes'>\n\t<mac address='\$\{1:52:54:00(:[0-9a-f]{2}){3}\}'\/>\n/);
    assert.match(
      body,
      /<address type='pci' domain='0x\$\{2:0000\}' bus='0x\$\{3:00\}' slot='0x\$\{4:00\}' function='0x\$\{5:0\}'\/>/,
    );
  });

  // issue #12 item 10: the LSP spec wants single-line edit ranges around the cursor
  it('inside a value that runs over lines: the edit range is on the cursor line and contains it', () => {
    const source = domain(
      `    <interface type='network'>\n      <source network='tenant'/>\n    </interface>\n` +
        `    <interface type='network'>\n      <source network='def\nau|lt\n'/>\n    </interface>\n`,
    );
    const { items, text } = complete(source);
    const { offset } = cursor(source);
    const document = doc(text);
    assert.ok(items.length > 0);
    for (const item of items) {
      const { range } = item.textEdit as TextEdit;
      assert.equal(range.start.line, range.end.line, `${item.label}: ${JSON.stringify(range)}`);
      assert.ok(document.offsetAt(range.start) <= offset && offset <= document.offsetAt(range.end), String(item.label));
    }
  });
});
