import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextEdit } from 'vscode-languageserver-types';
import { fixAll, isBlocker, parse, validate } from '../../server/src/service';
import { doc, loadCases, seeded } from '../fixes/cases';

const cases = loadCases();

/** Offsets of the edits in the input, sorted; throws when two overlap. */
function spans(input: string, edits: TextEdit[]) {
  const d = doc(input);
  const out = edits
    .map((e) => ({ start: d.offsetAt(e.range.start), end: d.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => a.start - b.start);
  out.forEach((e, i) => {
    if (i && e.start < out[i - 1].end) throw new Error('overlapping edits');
  });
  return out;
}

describe('fix fixtures (test/fixes: NAME.xml → NAME.fixed.xml)', () => {
  it('has fixtures, each with a reviewed result', () => {
    assert.ok(cases.length >= 25, `only ${cases.length} fixtures`);
    for (const c of cases) {
      assert.ok(c.expected.length > 0, `${c.name}.fixed.xml is empty`);
      if (c.name !== 'make-migratable-clean') assert.notEqual(c.expected, c.input, `${c.name}: the fix changes nothing`);
    }
    assert.equal(cases.find((c) => c.name === 'make-migratable-clean')?.edits.length, 0, 'a clean domain gets edits');
  });

  for (const c of cases) {
    describe(c.name, () => {
      it('gives the reviewed result', () => {
        assert.equal(c.output, c.expected);
      });

      it('leaves no error and no migration warning', () => {
        const d = doc(c.output);
        const left = validate(d, parse(d)).filter(isBlocker);
        assert.deepEqual(
          left.map((x) => `${x.range.start.line + 1}: ${x.code} ${x.message}`),
          [],
        );
      });

      it('changes the reviewed result only inside the edited spans, and edits no comment', () => {
        let at = 0;
        let outAt = 0;
        for (const e of spans(c.input, c.edits)) {
          const untouched = c.input.slice(at, e.start);
          assert.equal(c.expected.slice(outAt, outAt + untouched.length), untouched, `text before offset ${e.start} changed`);
          outAt += untouched.length;
          assert.equal(c.expected.slice(outAt, outAt + e.text.length), e.text);
          outAt += e.text.length;
          at = e.end;
          assert.ok(!c.input.slice(e.start, e.end).includes('<!--'), `an edit at ${e.start} rewrites a comment`);
        }
        assert.equal(c.expected.slice(outAt), c.input.slice(at), 'the text after the last edit changed');
        const replaced = spans(c.input, c.edits).reduce((n, e) => n + e.end - e.start, 0);
        assert.ok(replaced <= 160, `the edits replace ${replaced} characters: not minimal`);
      });

      it("writes in the file's style (line breaks, indentation, quotes)", () => {
        const crlf = c.input.includes('\r\n');
        const tabs = /\n\t/.test(c.input);
        const double = (c.input.match(/="/g) ?? []).length > (c.input.match(/='/g) ?? []).length;
        for (const e of c.edits) {
          if (crlf) assert.ok(!/(^|[^\r])\n/.test(e.newText), `a bare LF in a CRLF file: ${JSON.stringify(e.newText)}`);
          else assert.ok(!e.newText.includes('\r'), 'a CR in an LF file');
          for (const indent of e.newText.match(/\n[ \t]*/g) ?? []) {
            if (tabs) assert.ok(!indent.includes(' '), `spaces in a tab-indented file: ${JSON.stringify(e.newText)}`);
            else assert.ok(!indent.includes('\t'), 'a tab in a space-indented file');
          }
          if (double)
            assert.ok(!e.newText.includes("='"), `an apostrophe-quoted attribute in a double-quoted file: ${e.newText}`);
          else assert.ok(!e.newText.includes('="'), 'a double-quoted attribute in an apostrophe-quoted file');
        }
        assert.equal(c.output.endsWith('\n'), c.input.endsWith('\n'), 'the final newline changed');
      });

      it("keeps each pair's MACs equal and its alias a ua- one libvirt keeps", () => {
        const model = parse(doc(c.output)).model!;
        const transients = (c.output.match(/<teaming\s+type=(['"])transient\1/g) ?? []).length;
        assert.equal(model.links.length, transients, 'every transient teaming of the output is read as a link');
        for (const link of model.links) {
          assert.ok(link.partner, `persistent='${link.transient.persistent!.value}' pairs with nothing`);
          assert.match(link.transient.persistent!.value, /^ua-[A-Za-z0-9_-]+$/);
          const vf = link.transient.owner;
          if (vf.kind === 'interface') assert.equal(vf.mac?.value.toLowerCase(), link.partner.mac?.value.toLowerCase());
        }
        for (const a of model.aliases) assert.ok(a.kept, `alias '${a.name.value}' is dropped by libvirt`);
      });

      it('is idempotent: Make Domain Migratable finds nothing left to do', () => {
        const d = doc(c.output);
        const again = fixAll(d, parse(d), {}, seeded(2));
        assert.deepEqual(again.edits, []);
        assert.deepEqual(again.summary, []);
      });
    });
  }
});
