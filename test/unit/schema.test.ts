import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { XmlElement } from '../../server/src/parser/nodes';
import type { Finding, Rule } from '../../server/src/rules/rule';
import { rule as invalidValue } from '../../server/src/rules/schema-invalid-value';
import { rule as missingRequired } from '../../server/src/rules/schema-missing-required';
import { rule as unknownAttribute } from '../../server/src/rules/schema-unknown-attribute';
import { rule as unknownElement } from '../../server/src/rules/schema-unknown-element';
import { nearest } from '../../server/src/schema/suggest';
import { editDistance } from '../../server/src/util/distance';
import { vocabulary } from '../../server/src/schema/vocabulary';
import { getCodeActions, parse } from '../../server/src/service';
import { doc } from '../helpers/docs';

const RULES: Rule[] = [unknownElement, unknownAttribute, invalidValue, missingRequired];

interface Found {
  code: string;
  text: string;
  message: string;
  data: Record<string, unknown> | undefined;
}

/** The schema rules' findings on a domain whose <devices> holds `devices` (or on `whole`), with the text they cover. */
function check(devices: string, whole?: string): Found[] {
  const text = whole ?? domain(devices);
  const model = parse({ uri: 'file:///t.xml', version: 1, getText: () => text }).model;
  assert.ok(model, 'not a domain');
  const out: Found[] = [];
  for (const r of RULES)
    r.check(model, (f: Finding) =>
      out.push({ code: r.code, text: text.slice(f.start, f.end), message: f.message, data: f.data }),
    );
  return out;
}

function domain(devices: string, head = ''): string {
  return (
    `<domain type='kvm'>\n  <name>t</name>\n  <memory unit='KiB'>1048576</memory>\n  <vcpu>1</vcpu>\n` +
    `  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n${head}  <devices>\n${devices}\n  </devices>\n</domain>\n`
  );
}

function childAt(el: XmlElement, ...path: number[]): XmlElement {
  for (const i of path) el = el.children.filter((c): c is XmlElement => c.kind === 'element')[i];
  return el;
}

const brief = (f: Found[]) => f.map((x) => `${x.code} ${x.text}`);

describe('vocabulary', () => {
  const vocab = vocabulary();

  it('records the libvirt schema it was generated from', () => {
    // the newest libvirt the project tests with (scripts/libvirt-schemas.sh), not the installed 9.0
    assert.equal(vocab.source.libvirt, '11.3.0');
    assert.equal(vocab.source.schema, 'domain.rng');
    assert.ok(vocab.source.files.includes('domaincommon.rng') && vocab.source.files.includes('basictypes.rng'));
  });

  it('knows teaming under interface and hostdev, with its values and since-versions', () => {
    const devices = vocab.child(vocab.root, 'devices')!;
    for (const owner of ['interface', 'hostdev']) {
      const teaming = vocab.child(vocab.child(devices, owner)!, 'teaming');
      assert.ok(teaming, `no teaming under ${owner}`);
      assert.deepEqual(teaming.attrs.get('type')!.enumValues, ['persistent', 'transient']);
      assert.deepEqual(teaming.required, ['type']);
    }
    assert.equal(vocab.child(devices, 'teaming'), undefined);
    assert.equal(vocab.doc('interface', 'teaming')?.since, '6.1.0');
    assert.equal(vocab.doc('hostdev', 'teaming')?.since, '7.1.0');
  });

  it('narrows an element by its discriminating attribute: <address type="pci"> has slot, type="drive" has unit', () => {
    const iface = vocab.child(vocab.child(vocab.root, 'devices')!, 'interface')!;
    const address = vocab.child(iface, 'address')!;
    const el = (type: string) => parse({ uri: 'u', version: 1, getText: () => `<address type='${type}'/>` }).xml.root!;
    const pci = vocab.refine(address, el('pci'));
    const drive = vocab.refine(address, el('drive'));
    assert.ok(pci.attrs.has('slot') && !pci.attrs.has('unit'));
    assert.ok(drive.attrs.has('unit') && !drive.attrs.has('slot'));
    assert.ok(address.attrs.has('slot') && address.attrs.has('unit'), 'the merged context allows both');
  });

  it("value types follow libvirt's: PCI bus 0x00-0xff, size units, collapsed white space for tokens", () => {
    const text =
      "<domain type='kvm'><devices><hostdev mode='subsystem' type='pci'><source><address bus='0x1'/></source></hostdev></devices></domain>";
    const root = parse({ uri: 'u', version: 1, getText: () => text }).xml.root!;
    const address = vocab.contextOf(childAt(root, 0, 0, 0, 0))!;
    const bus = address.attrs.get('bus')!;
    for (const ok of ['0xff', '0x0', '255', '0']) assert.ok(bus.accepts(ok), ok);
    for (const bad of ['0x100', '256', 'ff', '-1']) assert.ok(!bus.accepts(bad), bad);
    const unit = vocab.child(vocab.root, 'memory')!.attrs.get('unit')!;
    for (const ok of ['KiB', 'k', 'GiB', 'bytes', 'b']) assert.ok(unit.accepts(ok), ok);
    assert.ok(!unit.accepts('kilo'));
    const ifaceType = vocab.child(vocab.child(vocab.root, 'devices')!, 'interface')!.attrs.get('type')!;
    assert.ok(ifaceType.accepts(' network ') && !ifaceType.accepts('netw ork'));
  });
});

describe('schema diagnostics', () => {
  it('a misspelt element is reported on its own name with the nearest names, never on <devices>', () => {
    const found = check(`    <intreface type='network'>\n      <source network='default'/>\n    </intreface>`);
    assert.deepEqual(brief(found), ['schema-unknown-element intreface']);
    assert.deepEqual(found[0].data?.candidates, ['interface']);
    assert.match(found[0].message, /did you mean <interface>\?/);
  });

  it('an element valid elsewhere is unknown where it is written', () => {
    assert.deepEqual(brief(check(`    <teaming type='persistent'/>`)), ['schema-unknown-element teaming']);
  });

  it('an unknown attribute is reported on its name; one of another variant too', () => {
    const found = check(
      `    <interface type='network'>\n      <source network='default' path='/tmp/x'/>\n` +
        `      <address type='drive' controller='0' slot='0x01'/>\n    </interface>`,
    );
    assert.deepEqual(brief(found), ['schema-unknown-attribute path', 'schema-unknown-attribute slot']);
  });

  it('invalid values are reported on the value, with the nearest enumerated ones', () => {
    const found = check(
      `    <interface type='network'>\n      <source network='default'/>\n      <link state='dwon'/>\n` +
        `      <address type='pci' domain='0x0000' bus='0x100' slot='0x01' function='0x0'/>\n    </interface>`,
    );
    assert.deepEqual(brief(found), ['schema-invalid-value dwon', 'schema-invalid-value 0x100']);
    assert.deepEqual(found[0].data?.candidates, ['down']);
    assert.match(found[1].message, /pciBus/);
  });

  it('what newer libvirt writes into every definition is no finding (libvirt 11.3 dumpxml of a q35 domain)', () => {
    // libvirt 11.3 adds the iTCO watchdog to q35 domains; 9.0's schema has no 'itco' (an error on every such domain)
    assert.deepEqual(brief(check(`    <watchdog model='itco' action='reset'/>`)), []);
    assert.deepEqual(brief(check(`    <watchdog model='itcoo' action='reset'/>`)), ['schema-invalid-value itcoo']);
  });

  it('element text is checked against its type, and text where none belongs is reported', () => {
    const found = check(
      `    <interface type='network'>\n      <source network='default'/>\n      <model>virtio</model>\n    </interface>`,
      domain(
        `    <interface type='network'>\n      <source network='default'/>\n      <model>virtio</model>\n    </interface>`,
        '  <on_poweroff> destory </on_poweroff>\n',
      ),
    );
    assert.deepEqual(brief(found), [
      'schema-invalid-value destory',
      'schema-invalid-value virtio',
      'schema-missing-required model',
    ]);
    assert.equal((found[0].data?.candidates as string[])[0], 'destroy');
    assert.match(found[1].message, /did you mean <model type='virtio'\/>/);
  });

  it('missing required attributes and child elements are reported on the element name', () => {
    const found = check(
      `    <disk type='file' device='cdrom'>\n      <source file='/x.iso'/>\n    </disk>\n    <interface>\n      <source network='default'/>\n    </interface>`,
    );
    assert.deepEqual(brief(found), ['schema-missing-required disk', 'schema-missing-required interface']);
    assert.deepEqual(
      found.map((f) => f.data?.missing),
      [['target'], ['type']],
    );
  });

  it('a second element where one is allowed is reported, pointing at the first', () => {
    const found = check('', domain('', '  <os>\n    <type>hvm</type>\n  </os>\n'));
    assert.deepEqual(brief(found), ['schema-unknown-element os']);
    assert.match(found[0].message, /allows one <os>/);
  });

  it('namespaced elements, <metadata> content and namespace declarations are never flagged', () => {
    const text = domain(
      `    <interface type='network'>\n      <source network='default'/>\n    </interface>`,
      `  <metadata>\n    <app:x xmlns:app='urn:a' anything='1'><app:y/></app:x>\n    <plain bogus='1'/>\n  </metadata>\n`,
    )
      .replace("<domain type='kvm'>", "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>")
      .replace(
        '</domain>',
        "  <qemu:commandline>\n    <qemu:bogus value='-x'/>\n  </qemu:commandline>\n  <foo xmlns='urn:other'/>\n</domain>",
      );
    assert.deepEqual(brief(check('', text)), []);
  });

  it('defers to the dedicated rules where they say it better: teaming, MAC and alias values', () => {
    const found = check(
      `    <interface type='network'>\n      <mac address='52:54:00:zz:00:01'/>\n      <source network='default'/>\n` +
        `      <teaming type='bogus'/>\n      <alias name='ua-a b'/>\n    </interface>`,
    );
    assert.deepEqual(brief(found), []);
  });

  it('half-typed documents: no crash, and an element still being written is not missing its children', () => {
    const found = check(`    <disk type='file' device='disk'>\n      <sou`);
    assert.ok(!found.some((f) => f.code === 'schema-missing-required' && f.text === 'disk'), JSON.stringify(brief(found)));
    assert.deepEqual(
      brief(found).filter((f) => f.includes('sou')),
      ['schema-unknown-element sou'],
    );
  });
});

describe('did you mean: code actions', () => {
  function fix(text: string, pick = 0): { titles: string[]; result: string | undefined } {
    const document = doc(text, 'file:///t.xml', 3);
    const parsed = parse(document);
    const diagnostics: Diagnostic[] = [];
    for (const r of RULES) {
      r.check(parsed.model!, (f) =>
        diagnostics.push({
          range: { start: document.positionAt(f.start), end: document.positionAt(f.end) },
          message: f.message,
          code: r.code,
          data: f.data,
        }),
      );
    }
    const actions = getCodeActions(document, parsed, diagnostics, {});
    const edits = actions[pick]?.edit?.changes?.[document.uri];
    return { titles: actions.map((a) => a.title), result: edits && TextDocument.applyEdits(document, edits) };
  }

  it('renames a misspelt element in its start and end tags, nothing else', () => {
    const text = domain(`    <intreface type="network"> <!-- keep -->\n      <source network='default'/>\n    </intreface>`);
    const { titles, result } = fix(text);
    assert.deepEqual(titles, ['Change to <interface>']);
    assert.equal(result, text.replace('<intreface', '<interface').replace('</intreface', '</interface'));
  });

  it('replaces a misspelt attribute name and enumerated value', () => {
    const text = domain(
      `    <interface type='network'>\n      <source netwrok='default'/>\n      <link state='dwon'/>\n    </interface>`,
    );
    const { titles } = fix(text);
    assert.deepEqual(titles, ["Change to 'network'", "Change to 'down'", "Add the required attribute 'network'"]);
    assert.equal(fix(text, 0).result, text.replace('netwrok', 'network'));
    assert.equal(fix(text, 1).result, text.replace('dwon', 'down'));
    assert.equal(fix(text, 2).result, text.replace("netwrok='default'", "netwrok='default' network=''"));
  });

  it('skips a diagnostic whose text changed since it was reported', () => {
    const document = doc(domain(`    <interface type='network'/>`), 'file:///t.xml', 4);
    const at = document.getText().indexOf('interface');
    const stale: Diagnostic = {
      range: { start: document.positionAt(at), end: document.positionAt(at + 9) },
      message: 'm',
      code: 'schema-unknown-element',
      data: { kind: 'element', name: 'intreface', candidates: ['interface'] },
    };
    assert.deepEqual(getCodeActions(document, parse(document), [stale], {}), []);
  });
});

describe('nearest names', () => {
  it('counts transpositions as one edit', () => {
    assert.equal(editDistance('tpye', 'type'), 1);
    assert.equal(editDistance('interface', 'intreface'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('ranks case-only differences first and ignores far names', () => {
    assert.deepEqual(nearest('Interface', ['interface', 'interfaces', 'disk']), ['interface', 'interfaces']);
    assert.deepEqual(nearest('qwerty', ['interface', 'disk']), []);
  });
});
