import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { buildDomainModel } from '../../server/src/model/domain';
import type { XmlDocument, XmlElement, XmlLeaf, XmlNode } from '../../server/src/parser/nodes';
import { MAX_SYNTAX_ERRORS, parseXml } from '../../server/src/parser/parser';
import { attribute, child, childElements, path, textContent } from '../../server/src/parser/query';
import { diagnose } from '../helpers/diagnose';
import { EXAMPLES } from '../helpers/paths';

/** Parses, asserting the parser's promise: it never throws, whatever the input. */
function parse(text: string): XmlDocument {
  let doc: XmlDocument | undefined;
  assert.doesNotThrow(() => {
    doc = parseXml(text);
  });
  return doc!;
}

function el(doc: XmlDocument, ...names: string[]): XmlElement {
  const [first, ...rest] = names;
  assert.equal(doc.root?.name, first);
  const found = path(doc.root, ...rest);
  assert.ok(found, `no element ${names.join('/')}`);
  return found;
}

function errorTexts(doc: XmlDocument): string[] {
  return doc.errors.map((e) => `${e.severity} ${JSON.stringify(doc.text.slice(e.start, e.end))} ${e.message}`);
}

function hasError(doc: XmlDocument, slice: string, message: RegExp, severity = 'error'): void {
  assert.ok(
    doc.errors.some((e) => e.severity === severity && doc.text.slice(e.start, e.end) === slice && message.test(e.message)),
    `no ${severity} on ${JSON.stringify(slice)} matching ${message}; errors: ${errorTexts(doc).join(' | ')}`,
  );
}

function elements(nodes: XmlNode[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const n of nodes) if (n.kind === 'element') out.push(n, ...elements(n.children));
  return out;
}

function timed<T>(fn: () => T): { result: T; ms: number } {
  const t0 = performance.now();
  const result = fn();
  return { result, ms: performance.now() - t0 };
}

const EXAMPLE = readFileSync(join(EXAMPLES, 'teaming.xml'), 'utf8');

describe('parser: offsets', () => {
  const text = [
    '<?xml version="1.0"?>',
    '<!-- a comment -->',
    '<domain type="kvm">',
    '  <name>web&amp;1</name>',
    '  <devices>',
    "    <interface type='network'>",
    "      <mac address = '52:54:00:6d:90:02' />",
    '      <source network="a&lt;b"/>',
    '    </interface>',
    '  </devices>',
    '</domain>',
    '',
  ].join('\n');
  const doc = parse(text);

  it('a well-formed document has no errors', () => {
    assert.deepEqual(errorTexts(doc), []);
  });

  it('top-level nodes: declaration, comment, root', () => {
    const kinds = doc.children.filter((n) => n.kind !== 'text').map((n) => [n.kind, text.slice(n.start, n.end)]);
    assert.deepEqual(kinds.slice(0, 2), [
      ['pi', '<?xml version="1.0"?>'],
      ['comment', '<!-- a comment -->'],
    ]);
    assert.equal(
      doc.root,
      doc.children.find((n) => n.kind === 'element'),
    );
  });

  it('every element: its start tag, name, end tag and whole extent', () => {
    for (const e of elements(doc.children)) {
      assert.equal(text.slice(e.nameStart, e.nameEnd), e.name);
      assert.equal(text[e.start], '<');
      assert.equal(text[e.startTagEnd - 1], '>');
      assert.ok(e.wellFormed);
      if (e.selfClosing) {
        assert.equal(text.slice(e.startTagEnd - 2, e.startTagEnd), '/>');
        assert.equal(e.end, e.startTagEnd);
        assert.equal(e.endTagStart, undefined);
      } else {
        assert.equal(text.slice(e.endTagStart!, e.end), `</${e.name}>`);
      }
    }
    const iface = el(doc, 'domain', 'devices', 'interface');
    assert.equal(text.slice(iface.start, iface.startTagEnd), "<interface type='network'>");
    assert.equal(
      text.slice(iface.start, iface.end),
      text.slice(text.indexOf('<interface'), text.indexOf('</interface>') + '</interface>'.length),
    );
  });

  it('attribute names and values, with their quotes, around spaces and "="', () => {
    const mac = el(doc, 'domain', 'devices', 'interface', 'mac');
    const a = attribute(mac, 'address')!;
    assert.equal(text.slice(a.nameStart, a.nameEnd), 'address');
    assert.equal(text.slice(a.valueStart, a.valueEnd), '52:54:00:6d:90:02');
    assert.equal(text.slice(a.valueStart - 1, a.valueEnd + 1), "'52:54:00:6d:90:02'");
    assert.equal(a.quote, "'");
    const type = attribute(doc.root, 'type')!;
    assert.equal(type.quote, '"');
    assert.equal(text.slice(type.nameStart, type.valueEnd + 1), 'type="kvm"');
  });

  it('values are decoded, offsets stay on the raw text', () => {
    const source = attribute(el(doc, 'domain', 'devices', 'interface', 'source'), 'network')!;
    assert.equal(source.value, 'a<b');
    assert.equal(text.slice(source.valueStart, source.valueEnd), 'a&lt;b');
    assert.equal(textContent(text, child(doc.root, 'name')), 'web&1');
  });

  it('comments, CDATA and processing instructions inside elements', () => {
    const t = '<a><!-- c --><![CDATA[<x>&]]><?pi data?>text</a>';
    const d = parse(t);
    assert.deepEqual(
      d.root!.children.map((n) => [n.kind, t.slice(n.start, n.end)]),
      [
        ['comment', '<!-- c -->'],
        ['cdata', '<![CDATA[<x>&]]>'],
        ['pi', '<?pi data?>'],
        ['text', 'text'],
      ],
    );
    assert.deepEqual(d.errors, []);
    assert.equal(textContent(t, d.root), '<x>&text');
  });

  it('an attribute without a value: value null, empty span after the name', () => {
    const t = '<a b c="1"/>';
    const d = parse(t);
    const b = attribute(d.root, 'b')!;
    assert.equal(b.value, null);
    assert.equal(b.valueStart, b.nameEnd);
    assert.equal(attribute(d.root, 'c')!.value, '1');
    hasError(d, 'b', /has no value/);
  });
});

describe('parser: recovery', () => {
  it('implicitlyCloses: a device left unclosed ends where the next device of its kind starts', () => {
    const text =
      "<domain><devices><interface type='network'><mac address='52:54:00:00:00:01'/>\n" +
      "<interface type='hostdev'><mac address='52:54:00:00:00:02'/></interface><disk/></devices></domain>";
    const options = {
      implicitlyCloses: (open: XmlElement, name: string) => open.name === name && open.parent?.name === 'devices',
    };
    const recovered = parseXml(text, options);
    const devices = childElements(path(recovered.root, 'devices'));
    assert.deepEqual(
      devices.map((d) => `${d.name}:${attribute(d, 'type')?.value ?? ''}:${d.wellFormed}`),
      ['interface:network:false', 'interface:hostdev:true', 'disk::true'],
    );
    assert.equal(devices[0].end, text.indexOf("<interface type='hostdev'"));
    assert.deepEqual(
      recovered.errors.map((e) => [text.slice(e.start, e.end), e.message]),
      [['interface', '<interface> is not closed before the next <interface>']],
    );
    // without the vocabulary's knowledge the second interface is read as a child of the first
    const plain = parseXml(text);
    assert.deepEqual(
      childElements(path(plain.root, 'devices')).map((d) => d.name),
      ['interface'],
    );
    // and the language service parses with it: rules see both interfaces
    assert.ok(buildDomainModel(recovered)!.interfaces.length === 2);
    assert.ok(
      diagnose(text).some((d) => d.code === 'migration-hostdev'),
      'the VF after the unclosed interface is checked',
    );
  });

  it('unclosed elements are closed at the end of input, each reported', () => {
    const t = '<domain><devices><interface type="network">';
    const d = parse(t);
    const iface = el(d, 'domain', 'devices', 'interface');
    for (const e of [d.root!, iface]) {
      assert.equal(e.end, t.length);
      assert.equal(e.wellFormed, false);
    }
    hasError(d, 'domain', /<domain> is not closed/);
    hasError(d, 'interface', /<interface> is not closed/);
  });

  it('a mismatched end tag closes the inner elements it skips, where it starts', () => {
    const t = '<domain><devices><interface><mac/></devices><name/></domain>';
    const d = parse(t);
    const devices = el(d, 'domain', 'devices');
    const iface = child(devices, 'interface')!;
    assert.equal(iface.end, t.indexOf('</devices>'));
    assert.equal(iface.wellFormed, false);
    assert.equal(devices.wellFormed, true);
    assert.equal(text(t, devices), '<devices><interface><mac/></devices>');
    assert.deepEqual(
      childElements(d.root).map((e) => e.name),
      ['devices', 'name'],
    );
    hasError(d, 'interface', /<interface> is not closed before <\/devices>/);
  });

  it('an end tag that matches nothing open is reported and skipped', () => {
    const t = '<domain><name>x</devices></name></domain>';
    const d = parse(t);
    hasError(d, 'devices', /unexpected <\/devices>: the open element is <name>/);
    const name = child(d.root, 'name')!;
    assert.equal(text(t, name), '<name>x</devices></name>');
    assert.equal(name.wellFormed, true);
    assert.equal(d.root!.wellFormed, true);
  });

  it('a misspelt end tag closes the open element it resembles', () => {
    const t = '<domain><devices><source></sourc><mac/></devices></domain>';
    const d = parse(t);
    hasError(d, 'sourc', /unexpected <\/sourc>: the open element is <source>/);
    const devices = el(d, 'domain', 'devices');
    assert.deepEqual(
      childElements(devices).map((e) => e.name),
      ['source', 'mac'],
    );
    assert.equal(text(t, child(devices, 'source')!), '<source></sourc>');
  });

  it("a half-typed start tag without '>' keeps its attributes and adopts the children that follow", () => {
    const t =
      "<domain><devices>\n<interface type='hostdev'\n  <mac address='52:54:00:00:00:01'/>\n  <alias name='ua-x'/>\n</interface>\n</devices></domain>";
    const d = parse(t);
    const iface = el(d, 'domain', 'devices', 'interface');
    assert.equal(attribute(iface, 'type')!.value, 'hostdev');
    assert.equal(text(t, iface).slice(0, iface.startTagEnd - iface.start), "<interface type='hostdev'\n  ");
    assert.deepEqual(
      childElements(iface).map((e) => e.name),
      ['mac', 'alias'],
    );
    hasError(d, 'interface', /the start tag of <interface> is not closed: missing '>'/);
  });

  it('a half-typed domain still gets its devices modelled and the rules run', () => {
    const broken = readFileSync(join(EXAMPLES, 'broken.xml'), 'utf8');
    const t = broken.replace("<interface type='hostdev' managed='yes'>", "<interface type='hostdev' managed='yes'");
    assert.notEqual(t, broken);
    const model = buildDomainModel(parse(t))!;
    assert.ok(model, 'no domain model');
    assert.deepEqual(
      model.interfaces.map((i) => i.type?.value),
      ['network', 'hostdev', 'network', 'hostdev'],
    );
    assert.equal(model.interfaces[1].mac?.value, '52:54:00:6d:90:03');
    assert.equal(model.links[0].partner, model.interfaces[0]);
    const codes = diagnose(t).map((x) => x.code);
    assert.ok(codes.includes('xml-syntax'), codes.join());
    assert.ok(codes.includes('teaming-mac-mismatch'), codes.join());
    assert.ok(codes.includes('teaming-dangling'), codes.join());
  });

  it('a value whose quote is never closed ends at its line, and the next line is still parsed', () => {
    const t = "<domain><devices><interface type='hostdev\n  <mac address='52:54:00:00:00:01'/>\n</interface></devices></domain>";
    const d = parse(t);
    const iface = el(d, 'domain', 'devices', 'interface');
    const type = attribute(iface, 'type')!;
    assert.equal(type.value, 'hostdev');
    assert.equal(t.slice(type.valueStart, type.valueEnd), 'hostdev');
    hasError(d, "'hostdev", /the value of 'type' is not closed: missing '/);
    assert.equal(attribute(child(iface, 'mac'), 'address')!.value, '52:54:00:00:00:01');
  });

  it("a value missing its closing quote before the tag's '>' or '/>' ends there, and the tag is closed", () => {
    const t = '<domain><interface type=\'hostdev>\r\n  <mac address="52:54:00:00:00:01/>\r\n</interface></domain>';
    const d = parse(t);
    const iface = el(d, 'domain', 'interface');
    assert.equal(attribute(iface, 'type')!.value, 'hostdev');
    assert.equal(t.slice(iface.start, iface.startTagEnd), "<interface type='hostdev>");
    const mac = child(iface, 'mac')!;
    assert.equal(attribute(mac, 'address')!.value, '52:54:00:00:00:01');
    assert.ok(mac.selfClosing);
    assert.equal(iface.wellFormed, true);
    assert.equal(d.errors.length, 2, errorTexts(d).join(' | '));
  });

  it('unquoted values are read up to white space or the end of the tag', () => {
    const t = '<domain type=kvm><vcpu placement=static/></domain>';
    const d = parse(t);
    const type = attribute(d.root, 'type')!;
    assert.equal(type.value, 'kvm');
    assert.equal(type.quote, '');
    assert.equal(t.slice(type.valueStart, type.valueEnd), 'kvm');
    assert.equal(attribute(child(d.root, 'vcpu'), 'placement')!.value, 'static');
    assert.ok(child(d.root, 'vcpu')!.selfClosing);
    hasError(d, 'type=kvm', /the value of 'type' must be quoted/);
    hasError(d, 'placement=static', /the value of 'placement' must be quoted/);
  });

  it('a repeated attribute is reported on its second name; the first value wins', () => {
    const t = "<mac address='52:54:00:00:00:01' address='52:54:00:00:00:02'/>";
    const d = parse(t);
    const second = t.lastIndexOf('address');
    assert.ok(
      d.errors.some((e) => e.start === second && e.end === second + 7 && /'address' is repeated on <mac>/.test(e.message)),
      errorTexts(d).join(),
    );
    assert.equal(attribute(d.root, 'address')!.value, '52:54:00:00:00:01');
  });

  it('attributes not separated by white space', () => {
    const d = parse("<a b='1'c='2'/>");
    hasError(d, 'c', /separated by white space/);
    assert.equal(attribute(d.root, 'c')!.value, '2');
  });

  it("a stray '<' or '&' in text is reported and parsing goes on", () => {
    const t = '<a>1 < 2 & 3<b/></a>';
    const d = parse(t);
    hasError(d, '<', /'<' must start a tag/);
    hasError(d, '&', /'&' must start a reference/);
    assert.deepEqual(
      childElements(d.root).map((e) => e.name),
      ['b'],
    );
  });

  it('text after the root element', () => {
    const t = '<domain/>\ntrailing';
    const d = parse(t);
    hasError(d, 't', /text after the root element/);
    assert.equal(d.root!.name, 'domain');
  });

  it('two root elements: the first is the root, the second is reported', () => {
    const t = '<domain/><domain type="kvm"/>';
    const d = parse(t);
    assert.equal(d.root!.end, '<domain/>'.length);
    assert.ok(
      d.errors.some((e) => e.start === t.lastIndexOf('domain') && /only one root element/.test(e.message)),
      errorTexts(d).join(),
    );
  });

  it('no root element at all', () => {
    for (const t of ['', '   ', '<!-- only a comment -->', 'just text']) {
      const d = parse(t);
      assert.equal(d.root, undefined);
      assert.ok(
        d.errors.some((e) => /no root element/.test(e.message)),
        `${JSON.stringify(t)}: ${errorTexts(d).join()}`,
      );
      assert.equal(buildDomainModel(d), undefined);
    }
  });

  it('unclosed comment, CDATA, processing instruction and DOCTYPE run to the end of input', () => {
    for (const [t, message] of [
      ['<a><!-- open', /comment is not closed/],
      ['<a><![CDATA[ open', /CDATA section is not closed/],
      ['<a><?pi open', /processing instruction is not closed/],
      ['<!DOCTYPE a [ <!ENTITY x "y"> <a/>', /DOCTYPE is not closed/],
    ] as const) {
      const d = parse(t);
      assert.ok(
        d.errors.some((e) => message.test(e.message)),
        `${t}: ${errorTexts(d).join(' | ')}`,
      );
      const leaf = [...d.children, ...(d.root?.children ?? [])].find(
        (n): n is XmlLeaf => n.kind !== 'element' && n.kind !== 'text',
      );
      assert.equal(leaf?.end, t.length);
    }
  });

  it("'--' inside a comment", () => {
    const d = parse('<a><!-- x -- y --></a>');
    hasError(d, '--', /'--' is not allowed inside a comment/);
  });
});

describe('parser: hostile input', () => {
  it('billion laughs: internal-subset entities are never expanded', () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
    const t = `<?xml version="1.0"?>\n<!DOCTYPE domain [\n ${entities.join('\n ')}\n]>\n<domain><name>&lol9;</name><devices><interface type="&lol9;"/></devices></domain>`;
    const { result: d, ms } = timed(() => parse(t));
    assert.ok(ms < 1000, `${ms} ms`);
    assert.equal(d.children.filter((n) => n.kind === 'doctype').length, 1);
    assert.equal(textContent(t, child(d.root, 'name')), '&lol9;');
    assert.equal(attribute(el(d, 'domain', 'devices', 'interface'), 'type')!.value, '&lol9;');
    hasError(d, '<!DOCTYPE', /DOCTYPE is ignored: its entities are never expanded and nothing it names is read/, 'warning');
    assert.equal(
      d.errors.filter(
        (e) => e.message === "entity '&lol9;' is not expanded: only &lt; &gt; &amp; &quot; &apos; and character references are",
      ).length,
      2,
    );
    assert.ok(JSON.stringify(diagnose(t)).length < 20_000);
  });

  it('an external SYSTEM entity or DTD is never read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migratable-parser-'));
    try {
      const secret = join(dir, 'secret.txt');
      writeFileSync(secret, 'MARKER-7f3c-never-read');
      const url = pathToFileURL(secret).href;
      const t = `<!DOCTYPE domain SYSTEM "${url}" [\n  <!ENTITY xxe SYSTEM "${url}">\n  <!-- it's a comment with a quote -->\n]>\n<domain><name>&xxe;</name><description>x</description></domain>`;
      const d = parse(t);
      assert.equal(textContent(t, child(d.root, 'name')), '&xxe;');
      assert.deepEqual(
        childElements(d.root).map((e) => e.name),
        ['name', 'description'],
      );
      const model = buildDomainModel(d)!;
      const seen = JSON.stringify({
        errors: d.errors,
        diagnostics: diagnose(t),
        attrs: elements(model.doc.children).map((e) => e.attributes),
      });
      assert.ok(!seen.includes('MARKER'), 'the entity was expanded');
      hasError(d, '<!DOCTYPE', /nothing it names is read/, 'warning');
      hasError(d, '&xxe;', /entity '&xxe;' is not expanded/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a DOCTYPE after the root element is reported', () => {
    hasError(parse('<a/><!DOCTYPE a>'), '<!DOCTYPE', /must come before the root element/);
  });

  it('undefined entity references are reported, in text and in attribute values', () => {
    const t = "<domain><name>a&nbsp;b</name><mac address='&copy;'/></domain>";
    const d = parse(t);
    hasError(d, '&nbsp;', /entity '&nbsp;' is not expanded/);
    hasError(d, '&copy;', /entity '&copy;' is not expanded/);
    assert.equal(attribute(child(d.root, 'mac'), 'address')!.value, '&copy;');
  });

  it('character references: decoded when XML allows the character, reported when it does not', () => {
    const t = "<a v='&#65;&#x42;&#0;&#xD800;&#x110000;'>&#1;&#x1F600;</a>";
    const d = parse(t);
    assert.equal(attribute(d.root, 'v')!.value, 'AB&#0;&#xD800;&#x110000;');
    assert.equal(textContent(t, d.root), '&#1;\u{1F600}');
    for (const ref of ['&#0;', '&#xD800;', '&#x110000;', '&#1;'])
      hasError(d, ref, /refers to a character that is not allowed in XML/);
    assert.equal(d.errors.length, 4, errorTexts(d).join(' | '));
  });

  it('NUL and other control characters: reported, never fatal', () => {
    const t = "<domain>\0<name a='x\x01y'>n\x1fm</name><de\0v/></domain>";
    const d = parse(t);
    hasError(d, '\0', /U\+0000 is not allowed/);
    hasError(d, '\x01', /U\+0001 is not allowed/);
    hasError(d, '\x1f', /U\+001F is not allowed/);
    assert.equal(attribute(child(d.root, 'name'), 'a')!.value, 'x\x01y');
    assert.deepEqual(
      childElements(d.root).map((e) => e.name),
      ['name', 'de'],
    );
    assert.equal(d.root!.end, t.length);
  });

  it('a byte order mark: offsets count it, it is no error, the XML declaration may follow it', () => {
    const t = '\uFEFF<?xml version="1.0"?><domain type="kvm"/>';
    const d = parse(t);
    assert.deepEqual(errorTexts(d), []);
    assert.equal(d.children[0].start, 1);
    assert.equal(t.slice(attribute(d.root, 'type')!.valueStart, attribute(d.root, 'type')!.valueEnd), 'kvm');
  });

  it('an XML declaration anywhere but the start is reported', () => {
    hasError(parse('\n<?xml version="1.0"?><a/>'), '<?xml', /must be at the very start/);
  });

  it('CRLF line ends: offsets and values are exact, no CR leaks into values', () => {
    const t = EXAMPLE.replace(/\r?\n/g, '\r\n');
    const d = parse(t);
    assert.deepEqual(errorTexts(d), []);
    const model = buildDomainModel(d)!;
    const mac = model.interfaces[1].mac!;
    assert.equal(t.slice(mac.attr.valueStart, mac.attr.valueEnd), '52:54:00:6d:90:02');
    const lf = buildDomainModel(parse(EXAMPLE))!;
    assert.deepEqual(
      model.interfaces.map((i) => [i.type?.value, i.mac?.value, i.alias?.name.value]),
      lf.interfaces.map((i) => [i.type?.value, i.mac?.value, i.alias?.name.value]),
    );
    const shift = (offset: number, text: string) => text.slice(0, offset).split('\n').length - 1;
    assert.equal(mac.attr.valueStart - shift(mac.attr.valueStart, t), lf.interfaces[1].mac!.attr.valueStart);
  });

  it(`errors are capped at MAX_SYNTAX_ERRORS (${MAX_SYNTAX_ERRORS}) plus one notice`, () => {
    const d = parse(`<a>${' & '.repeat(MAX_SYNTAX_ERRORS * 10)}</a>`);
    assert.equal(d.errors.length, MAX_SYNTAX_ERRORS + 1);
    assert.match(d.errors[MAX_SYNTAX_ERRORS].message, new RegExp(`more than ${MAX_SYNTAX_ERRORS} syntax errors`));
    assert.equal(
      diagnose(`<domain>${'\0'.repeat(10)}${'&'.repeat(5000)}</domain>`).filter((x) => x.code === 'xml-syntax').length,
      MAX_SYNTAX_ERRORS + 1,
    );
  });

  it('a 5 MB domain parses in bounded time', () => {
    const dev = EXAMPLE.slice(EXAMPLE.indexOf('    <interface'), EXAMPLE.indexOf('    <graphics'));
    const copies = Math.ceil(5_000_000 / dev.length);
    const t = EXAMPLE.replace('    <graphics', dev.repeat(copies) + '    <graphics');
    const { result: d, ms } = timed(() => parse(t));
    console.log(`parsed ${(t.length / 1e6).toFixed(1)} MB (${copies * 2} interfaces) in ${ms.toFixed(0)} ms`);
    assert.ok(ms < 10_000, `${ms} ms`);
    assert.deepEqual(errorTexts(d), []);
    assert.equal(childElements(path(d.root, 'devices'), 'interface').length, copies * 2 + 2);
  });

  // Shapes that once made the parser quadratic (minutes at these sizes); linear, each takes well under a second.
  const SIZE = 3_000_000;
  const shapes: [string, () => string][] = [
    ['one start tag with a million attributes', () => '<domain ' + "a='x' ".repeat(SIZE / 6)],
    ['a million nested elements, then unmatched end tags', () => '<domain>' + '<a>'.repeat(SIZE / 6) + '</b>'.repeat(SIZE / 8)],
    ["three million '<'", () => '<'.repeat(SIZE)],
    ['text nodes without any "&" after them', () => '<domain>' + '<a>x</a>'.repeat(SIZE / 8)],
    ['values whose quotes never close', () => '<domain>' + "<a b='x ".repeat(SIZE / 8)],
    ['unclosed comments, PIs and CDATA', () => '<domain>' + '<!--<?<![CDATA['.repeat(SIZE / 15)],
    ['a misspelt end tag with a 100 kB name', () => `<${'a'.repeat(100_000)}></${'b'.repeat(100_000)}>`],
  ];
  for (const [name, make] of shapes) {
    it(`pathological shape: ${name}`, () => {
      const t = make();
      const { result: d, ms } = timed(() => parse(t));
      console.log(`${name}: ${(t.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms`);
      assert.ok(ms < 5_000, `${ms} ms`);
      assert.ok(d.errors.length <= MAX_SYNTAX_ERRORS + 1);
    });
  }
});

function text(t: string, e: XmlElement): string {
  return t.slice(e.start, e.end);
}
