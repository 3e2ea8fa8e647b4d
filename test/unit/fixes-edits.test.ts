import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  appendChild,
  insertBefore,
  prependChild,
  removeAttribute,
  renameElement,
  setAttribute,
} from '../../server/src/edits/ops';
import { detectStyle, type Style } from '../../server/src/edits/style';
import { applyEdits, EditHistory, normalize, type OffsetEdit } from '../../server/src/edits/textEdits';
import { unifiedDiff } from '../../server/src/edits/unifiedDiff';
import { element } from '../../server/src/edits/xml';
import type { XmlElement } from '../../server/src/parser/nodes';
import { parseXml } from '../../server/src/parser/parser';
import { child } from '../../server/src/parser/query';
import { seeded } from '../fixes/cases';

type Make = (text: string, style: Style, at: (...names: string[]) => XmlElement) => OffsetEdit | OffsetEdit[];

/** Applies one operation to `text`; `at('b', 'c')` finds <root><b><c>. */
function edit(text: string, make: Make): string {
  const doc = parseXml(text);
  const at = (...names: string[]) => {
    let el: XmlElement | undefined = doc.root;
    for (const n of names) el = child(el, n);
    assert.ok(el, `no <${names.join('/')}>`);
    return el;
  };
  const e = make(text, detectStyle(doc), at);
  return applyEdits(text, Array.isArray(e) ? e : [e]);
}
const X = element('x', [['k', "it's & <this>"]]);
const NESTED = element('x', [], [element('y', [['v', '1']])]);

describe('detectStyle', () => {
  const style = (t: string) => detectStyle(parseXml(t));

  it('finds the indentation unit, the quote and the line break of a file', () => {
    assert.deepEqual(style("<a>\n  <b x='1'>\n    <c/>\n  </b>\n</a>\n"), { indentUnit: '  ', quote: "'", eol: '\n' });
    assert.deepEqual(style('<a>\r\n    <b x="1">\r\n        <c y="2"/>\r\n    </b>\r\n</a>'), {
      indentUnit: '    ',
      quote: '"',
      eol: '\r\n',
    });
    assert.deepEqual(style("<a>\n\t<b x='1'>\n\t\t<c/>\n\t</b>\n</a>\n"), { indentUnit: '\t', quote: "'", eol: '\n' });
    assert.deepEqual(style('<a><b/></a>'), { indentUnit: '  ', quote: "'", eol: '\n' });
  });

  it('is not misled by an odd comment continuation line', () => {
    assert.equal(style('<!-- one\n     two -->\n<a>\n  <b>\n    <c/>\n  </b>\n  <d/>\n</a>\n').indentUnit, '  ');
  });
});

describe("edit operations: minimal, in the file's style", () => {
  it('inserts a sibling before an element, with its indentation, escaping the value', () => {
    assert.equal(
      edit('<a>\n  <b/>\n</a>\n', (t, s, at) => insertBefore(t, s, at('b'), X)),
      "<a>\n  <x k='it&apos;s &amp; &lt;this>'/>\n  <b/>\n</a>\n",
    );
    assert.equal(
      edit('<a>\r\n\t<b/>\r\n</a>', (t, s, at) => insertBefore(t, s, at('b'), NESTED)),
      "<a>\r\n\t<x>\r\n\t\t<y v='1'/>\r\n\t</x>\r\n\t<b/>\r\n</a>",
    );
  });

  it('appends a child after the last child node (a trailing comment included), or into an empty element', () => {
    assert.equal(
      edit('<a>\n    <b/> <!-- note -->\n</a>\n', (t, s, at) => appendChild(t, s, at(), element('c'))),
      '<a>\n    <b/> <!-- note -->\n    <c/>\n</a>\n',
    );
    assert.equal(
      edit('<a>\n  <b>\n  </b>\n</a>\n', (t, s, at) => appendChild(t, s, at('b'), element('c'))),
      '<a>\n  <b>\n    <c/>\n  </b>\n</a>\n',
    );
  });

  it('opens a self-closing parent, and keeps an inline parent inline', () => {
    assert.equal(
      edit("<a>\n  <b k='1' />\n</a>\n", (t, s, at) => appendChild(t, s, at('b'), element('c'))),
      "<a>\n  <b k='1' >\n    <c/>\n  </b>\n</a>\n",
    );
    assert.equal(
      edit('<a>\n  <b><c/></b>\n</a>\n', (t, s, at) => [
        prependChild(t, s, at('b'), element('m')),
        appendChild(t, s, at('b'), element('z')),
      ]),
      '<a>\n  <b><m/><c/><z/></b>\n</a>\n',
    );
  });

  it('prepends a child before the first one on its own line (a comment trailing the start tag stays put)', () => {
    assert.equal(
      edit('<a>\n  <b>\n    <!-- c -->\n    <c/>\n  </b>\n</a>', (t, s, at) => prependChild(t, s, at('b'), element('m'))),
      '<a>\n  <b>\n    <m/>\n    <!-- c -->\n    <c/>\n  </b>\n</a>',
    );
    assert.equal(
      edit('<a>\n  <b> <!-- b -->\n    <c/>\n  </b>\n</a>', (t, s, at) => prependChild(t, s, at('b'), element('m'))),
      '<a>\n  <b> <!-- b -->\n    <m/>\n    <c/>\n  </b>\n</a>',
    );
  });

  it('merges insertions at one offset in the order they were made', () => {
    assert.equal(
      edit('<a>\n  <b>\n  </b>\n</a>\n', (t, s, at) => [
        prependChild(t, s, at('b'), element('m')),
        appendChild(t, s, at('b'), element('z')),
      ]),
      '<a>\n  <b>\n    <m/>\n    <z/>\n  </b>\n</a>\n',
    );
  });

  it("sets an attribute in its own quotes, or adds it in the element's quote style", () => {
    assert.equal(
      edit('<a x="1" y=\'2\'/>', (t, s, at) => setAttribute(s, at(), 'x', "o'k")),
      "<a x=\"o'k\" y='2'/>",
    );
    assert.equal(
      edit("<a x='1'/>", (t, s, at) => setAttribute(s, at(), 'x', "o'k")),
      "<a x='o&apos;k'/>",
    );
    assert.equal(
      edit('<r q="1"><a/></r>', (t, s, at) => setAttribute(s, at('a'), 'n', 'v')),
      '<r q="1"><a n="v"/></r>',
    );
    assert.equal(
      edit("<a x='1'\n   y='2'/>", (t, s, at) => setAttribute(s, at(), 'z', '3')),
      "<a x='1'\n   y='2' z='3'/>",
    );
    assert.equal(
      edit("<a x='1'/>", (t, s, at) => setAttribute(s, at(), 't', 'pci', true)),
      "<a t='pci' x='1'/>",
    );
  });

  it('removes an attribute with the white space before it, even on its own line', () => {
    assert.equal(
      edit("<a x='1' y='2'/>", (t, s, at) => removeAttribute(t, at().attributes[0])),
      "<a y='2'/>",
    );
    assert.equal(
      edit("<a x='1'\n   y='2'/>", (t, s, at) => removeAttribute(t, at().attributes[1])),
      "<a x='1'/>",
    );
  });

  it('renames an element in both tags', () => {
    assert.equal(
      edit("<r>\n  <hostdev k='1'>\n  </hostdev>\n</r>", (t, s, at) => renameElement(t, at('hostdev'), 'interface')),
      "<r>\n  <interface k='1'>\n  </interface>\n</r>",
    );
  });

  it('refuses overlapping edits (a builder bug) instead of guessing', () => {
    assert.throws(
      () =>
        normalize([
          { start: 0, end: 4, text: 'a' },
          { start: 2, end: 6, text: 'b' },
        ]),
      /overlapping/,
    );
  });
});

describe('EditHistory: rounds of edits as one set against the original', () => {
  it('matches applying the rounds one after another (randomised)', () => {
    const random = seeded(7);
    const int = (n: number) => Math.floor(random() * n);
    for (let trial = 0; trial < 300; trial++) {
      const original = 'abcdefghij'.slice(0, int(11));
      const history = new EditHistory(original);
      let text = original;
      for (let round = 0; round < 1 + int(4); round++) {
        const edits: OffsetEdit[] = [];
        let at = 0;
        while (at <= text.length && edits.length < 3) {
          const start = at + int(text.length - at + 1);
          const end = start + int(Math.min(3, text.length - start) + 1);
          edits.push({ start, end, text: ['', 'X', 'YZ', 'abc'][int(4)] });
          at = end + 1;
        }
        text = applyEdits(text, edits);
        history.apply(edits);
        assert.equal(history.text(), text);
      }
      const composed = history.edits();
      assert.equal(applyEdits(original, composed), text, `trial ${trial}`);
      for (let i = 1; i < composed.length; i++) assert.ok(composed[i].start >= composed[i - 1].end);
    }
  });

  it('trims what did not change: a value rewritten to itself but one character is a one-character edit', () => {
    const h = new EditHistory("<mac address='52:54:00:6d:90:03'/>");
    h.apply([{ start: 14, end: 31, text: '52:54:00:6d:90:02' }]);
    assert.deepEqual(h.edits(), [{ start: 30, end: 31, text: '2' }]);
  });
});

describe('unifiedDiff', () => {
  /** Lets git apply the diff (an independent judge of the format) and returns the result. */
  function gitApply(original: string, diff: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'migratable-diff-'));
    try {
      writeFileSync(join(dir, 'f.xml'), original);
      writeFileSync(join(dir, 'p.diff'), diff);
      execFileSync('git', ['apply', '-p0', '--whitespace=nowarn', 'p.diff'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      return readFileSync(join(dir, 'f.xml'), 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');

  it('is empty without edits', () => {
    assert.equal(unifiedDiff('a\n', [], 'f.xml', 'f.xml'), '');
  });

  it('prints the hunks GNU diff -u prints, which git applies', () => {
    const edits = [
      { start: lines.indexOf('line 2\n'), end: lines.indexOf('line 2\n') + 6, text: 'LINE 2' },
      { start: lines.indexOf('line 5\n'), end: lines.indexOf('line 5\n'), text: 'new\n' },
      { start: lines.indexOf('line 25\n'), end: lines.indexOf('line 27\n'), text: '' },
    ];
    const diff = unifiedDiff(lines, edits, 'f.xml', 'f.xml');
    assert.equal(
      diff
        .split('\n')
        .filter((l) => l.startsWith('@@'))
        .join('|'),
      '@@ -1,7 +1,8 @@|@@ -22,8 +23,6 @@',
    );
    assert.equal(gitApply(lines, diff), applyEdits(lines, edits));
  });

  it('handles CRLF lines and a missing final newline', () => {
    const crlf = 'a\r\nb\r\nc';
    for (const edits of [
      [{ start: 8, end: 8, text: '\r\nd' }],
      [{ start: 3, end: 4, text: 'B' }],
      [{ start: 0, end: 0, text: 'z\r\n' }],
    ]) {
      const diff = unifiedDiff(crlf, edits, 'f.xml', 'f.xml');
      assert.equal(gitApply(crlf, diff), applyEdits(crlf, edits), diff);
    }
    assert.match(
      unifiedDiff(crlf, [{ start: 8, end: 8, text: 'd' }], 'f.xml', 'f.xml'),
      /\n-c\n\\ No newline at end of file\n\+cd\n\\ No newline at end of file\n$/,
    );
  });
});
