import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { XmlDocument, XmlElement, XmlNode } from '../../server/src/parser/nodes';
import { parse, ParsedCache, validate } from '../../server/src/service';
import { generateDomain } from '../bench/generate';
import { EXAMPLES, FIXTURES, ROOT } from '../helpers/paths';
import { seeded } from '../helpers/random';

/**
 * ParsedCache re-parses a new version incrementally (parser/incremental.ts), reusing and moving the previous tree.
 * The promise: the tree, and so every diagnostic, equals a full parse of the new text, after any edit and after
 * any number of edits in a row. MIGRATABLE_FUZZ_SEED=<seed> replays a run.
 */
// a fixed seed, so every run (and CI) checks the same edits; MIGRATABLE_FUZZ_SEED=random explores others
const SEED_SETTING = process.env.MIGRATABLE_FUZZ_SEED ?? '20261202';
const SEED = SEED_SETTING === 'random' ? Math.floor(Math.random() * 2 ** 32) : Number(SEED_SETTING);
const EDITS_PER_FILE = 60;

/** Everything a tree says, as plain data: offsets, names, values, flags, errors; a parent by its offset and name. */
function shape(doc: XmlDocument): unknown {
  const node = (n: XmlNode): unknown =>
    n.kind !== 'element'
      ? [n.kind, n.start, n.end]
      : {
          ...n,
          parent: n.parent && `${n.parent.name}@${n.parent.start}`,
          attributes: n.attributes.map((a) => ({ ...a })),
          children: n.children.map(node),
        };
  return {
    text: doc.text,
    root: doc.root && `${doc.root.name}@${doc.root.start}`,
    children: doc.children.map(node),
    errors: doc.errors,
  };
}

const TYPED = ['a', 'x', '0', 'f', ':', "'", '"', '<', '>', '/', '=', ' ', '\n', '-', '!', '&', '\uFEFF'];
const PASTED = [
  '</interface>',
  "<alias name='ua-x'/>",
  '<!-- note -->',
  '<devices>',
  '</devices>',
  '<?xml version="1.0"?>',
  '-->',
];

/** One edit of the kind an editor sends: a character typed or deleted, a selection replaced, a line pasted. */
function edit(text: string, random: () => number): { start: number; end: number; text: string } {
  const int = (n: number) => Math.floor(random() * n);
  const at = int(text.length + 1);
  const r = random();
  if (r < 0.45) return { start: at, end: at, text: TYPED[int(TYPED.length)] };
  if (r < 0.75) return { start: at, end: Math.min(text.length, at + 1 + int(3)), text: '' };
  if (r < 0.85) return { start: at, end: at, text: PASTED[int(PASTED.length)] };
  const from = int(text.length + 1);
  return { start: at, end: Math.min(text.length, at + int(40)), text: text.slice(from, from + int(120)) };
}

function files(): string[] {
  const xml = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => join(dir, f));
  return [
    ...xml(EXAMPLES),
    ...readdirSync(FIXTURES).flatMap((d) => (statSync(join(FIXTURES, d)).isDirectory() ? xml(join(FIXTURES, d)) : [])),
  ];
}

/**
 * Edits `text` `count` times through one ParsedCache, undoing most edits that broke the document and some that did
 * not, as a user does; after each step, compares with a full parse. Returns how many steps were incremental.
 */
function session(name: string, text: string, count: number, random: () => number): number {
  const cache = new ParsedCache();
  let document = TextDocument.create('file:///edited.xml', 'xml', 1, text);
  let previous = cache.get(document);
  const history: string[] = [];
  let incremental = 0;
  for (let i = 0; i < count; i++) {
    const current = document.getText();
    let e = edit(current, random);
    const undo = previous.xml.errors.length ? 0.8 : 0.2;
    if (history.length && random() < undo) e = { start: 0, end: current.length, text: history.pop()! };
    else history.push(current);
    const range = { start: document.positionAt(e.start), end: document.positionAt(e.end) };
    document = TextDocument.update(document, [{ range, text: e.text }], document.version + 1);
    const where = `${name}, edit ${i} (seed ${SEED}): [${e.start}, ${e.end}) := ${JSON.stringify(e.text.slice(0, 200))}`;
    const cached = cache.get(document);
    const full = parse(document);
    assert.deepEqual(shape(cached.xml), shape(full.xml), where);
    assert.deepEqual(validate(document, cached), validate(document, full), where);
    if (previous.xml.root && cached.xml.root === previous.xml.root) incremental++;
    previous = cached;
  }
  return incremental;
}

describe('incremental re-parse (ParsedCache)', () => {
  it(`equals a full parse after every edit of every example and fixture, edits in a row (seed ${SEED})`, () => {
    const random = seeded(SEED);
    let [edits, incremental] = [0, 0];
    for (const file of files()) {
      incremental += session(relative(ROOT, file), readFileSync(file, 'utf8'), EDITS_PER_FILE / 4, random);
      edits += EDITS_PER_FILE / 4;
    }
    // the comparison means something only when the incremental path ran: most edits to a clean document take it
    console.log(`incremental: ${incremental} of ${edits}`);
    assert.ok(incremental > edits / 10, `only ${incremental} of ${edits} edits were incremental`);
  });

  it(`equals a full parse while typing in a 2,000-line domain (seed ${SEED})`, () => {
    const random = seeded(SEED + 1);
    const edits = 2 * EDITS_PER_FILE;
    const incremental = session('generated 2,000-line domain', generateDomain(2000), edits, random);
    console.log(`incremental: ${incremental} of ${edits}`);
    assert.ok(incremental >= edits / 20, `only ${incremental} of ${edits} edits were incremental`);
  });

  it('reuses the tree for a character typed into an attribute value, moving what follows', () => {
    const text = generateDomain(200);
    const at = text.indexOf("<alias name='ua-net1") + "<alias name='ua-net1".length;
    const cache = new ParsedCache();
    const v1 = TextDocument.create('file:///a.xml', 'xml', 1, text);
    const before = cache.get(v1);
    const root = before.xml.root;
    const lastChild = root!.children[root!.children.length - 1];
    const lastStart = lastChild.start;
    const v2 = TextDocument.update(v1, [{ range: { start: v1.positionAt(at), end: v1.positionAt(at) }, text: 'x' }], 2);
    const after = cache.get(v2);
    assert.equal(after.xml.root, root, 'the root element was built again');
    assert.equal(lastChild.start, lastStart + 1);
    assert.ok(after.model!.aliases.some((a) => a.name.value === 'ua-net1x'));
    assert.deepEqual(shape(after.xml), shape(parse(v2).xml));
  });

  it('re-parses a paste of 250,000 elements incrementally, as a full parse would', () => {
    const text = `<domain>\n  <devices>${'<d/>'.repeat(300_000)}</devices>\n  <metadata></metadata>\n</domain>\n`;
    const cache = new ParsedCache();
    const v1 = TextDocument.create('file:///a.xml', 'xml', 1, text);
    const root = cache.get(v1).xml.root;
    const pasted = text.replace('<metadata></metadata>', `<metadata>${'<x/>'.repeat(250_000)}</metadata>`);
    const v2 = TextDocument.create('file:///a.xml', 'xml', 2, pasted);
    const after = cache.get(v2).xml;
    assert.equal(after.root, root, 'not re-parsed incrementally');
    const [got, want] = [after.root!.children[3] as XmlElement, parse(v2).xml.root!.children[3] as XmlElement];
    assert.equal(got.name, 'metadata');
    assert.equal(got.children.length, want.children.length);
    assert.ok(got.children.every((c, i) => c.start === want.children[i].start && c.end === want.children[i].end));
  });

  it('keeps no copy of the document per edit (values sliced from a version would keep all of its text alive)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const text = generateDomain(5000);
    const cache = new ParsedCache();
    let document = TextDocument.create('file:///a.xml', 'xml', 1, text);
    const root = cache.get(document).xml.root;
    gc();
    const before = process.memoryUsage().heapUsed;
    // a character typed into the disk path of 100 different disks: 100 versions of the text
    for (let i = 0; i < 100; i++) {
      const at = document.positionAt(document.getText().indexOf(`guest-data-${i}.qcow2`) + 5);
      document = TextDocument.update(document, [{ range: { start: at, end: at }, text: 'x' }], document.version + 1);
      assert.equal(cache.get(document).xml.root, root, 'not re-parsed incrementally');
    }
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    assert.ok(
      growth < 10 * text.length,
      `the heap grew by ${(growth / 1e6).toFixed(1)} MB for a ${(text.length / 1e6).toFixed(2)} MB text`,
    );
  });

  for (const [what, from, to] of [
    ['an end tag that closes the edited element early', "<alias name='ua-net1'/>", "</interface><alias name='ua-net1'/>"],
    ['a comment opener deleted, so text meets text', '<!-- tenant network 1:', ' tenant network 1:'],
    ['an XML declaration inside the content', "<alias name='ua-net1'/>", "<?xml version='1.0'?><alias name='ua-net1'/>"],
    ['a byte order mark inside the content', "<alias name='ua-net1'/>", "\uFEFF<alias name='ua-net1'/>"],
    ['a half-typed start tag', "<alias name='ua-net1'/>", "<alias name='ua-net1'/><mac addr"],
    ['the root element end tag edited', '</domain>', '</domai>'],
  ]) {
    it(`equals a full parse after ${what}`, () => {
      const text = generateDomain(200);
      assert.ok(text.includes(from), from);
      const cache = new ParsedCache();
      const v1 = TextDocument.create('file:///a.xml', 'xml', 1, text);
      cache.get(v1);
      const v2 = TextDocument.create('file:///a.xml', 'xml', 2, text.replace(from, to));
      assert.deepEqual(shape(cache.get(v2).xml), shape(parse(v2).xml));
      assert.deepEqual(validate(v2, cache.get(v2)), validate(v2, parse(v2)));
    });
  }
});
