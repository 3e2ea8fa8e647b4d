import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { parse, validate } from '../../server/src/service';
import { LIBVIRT_SKIP } from '../helpers/libvirt';
import { ROOT } from '../helpers/paths';

/**
 * What a host with a newer libvirt writes, judged by that libvirt's own schema: libvirt 11.3's test corpus
 * (tests/qemuxmlconfdata, from bookworm-backports' source package), its inputs and the definitions libvirt writes back
 * for them (NAME.ARCH-VERSION.xml, what `virsh dumpxml` shows), checked against libvirt 11.3's RelaxNG schema by
 * xmllint. Nothing libvirt 11.3 accepts may get an error from any rule: domains opened from an 11.3 host are these.
 * (With libvirt 9.0's vocabulary: 684 errors on the files libvirt 11.3 accepts, 256 of the 1,104 written-back
 * definitions with at least one: `<watchdog model='itco'/>`, `<loader format=…>`, `<topology clusters=…>`…)
 */
function script(name: string, ...args: string[]): string {
  const r = spawnSync('bash', [resolve(ROOT, 'scripts', name), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `scripts/${name} ${args.join(' ')} could not find or fetch what it downloads:\n${r.stderr}`);
  return r.stdout.trim();
}

/** xmllint's RelaxNG verdict on each file, in few processes. */
function verdicts(schema: string, files: string[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (let i = 0; i < files.length; i += 300) {
    const r = spawnSync('xmllint', ['--noout', '--relaxng', schema, ...files.slice(i, i + 300)], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.ok(!r.error, `xmllint: ${r.error?.message}`);
    for (const line of r.stderr.split('\n')) {
      const m = /^(.*) (validates|fails to validate)$/.exec(line);
      if (m) out.set(m[1], m[2] === 'validates');
    }
  }
  // a file that is not well-formed XML gets a parser error instead of a verdict: libvirt refuses it too
  const unparsed = files.filter((f) => !out.has(f));
  assert.ok(unparsed.length <= 5, `xmllint gave no verdict on ${unparsed.length} files: ${unparsed.slice(0, 5).join(', ')}`);
  for (const f of unparsed) out.set(f, false);
  return out;
}

function errors(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const document = TextDocument.create(`file://${file}`, 'xml', 1, text);
  return validate(document, parse(document))
    .filter((d) => d.severity === DiagnosticSeverity.Error)
    .map((d) => `${file.split('/').pop()}:${d.range.start.line + 1}: ${String(d.code)}: ${d.message}`);
}

test(
  "libvirt 11.3's corpus: no error on anything its schema accepts, inputs or what libvirt writes back",
  { skip: LIBVIRT_SKIP },
  (t) => {
    const dir = script('libvirt-corpus.sh', '11.3');
    const schema = join(script('libvirt-schemas.sh'), 'domain.rng');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => join(dir, f));
    const written = files.filter((f) => /\.[a-z0-9_]+-[a-z0-9.]+\.xml$/.test(f));
    const judged = verdicts(schema, files);
    const accepted = files.filter((f) => judged.get(f));
    assert.ok(files.length > 2000 && written.length > 1000 && accepted.length > 2000, 'the corpus looks incomplete');
    const found = accepted.flatMap(errors);
    const rejected = files.filter((f) => !judged.get(f));
    const flagged = rejected.filter((f) => errors(f).length > 0);
    t.diagnostic(
      `${files.length} files (${written.length} written back by libvirt), ${accepted.length} accepted by libvirt 11.3's schema: ` +
        `${found.length} errors on them; ${flagged.length} of the ${rejected.length} it rejects get an error`,
    );
    assert.deepEqual(found, []);
    // and the checks still see something: of the files libvirt 11.3's schema rejects, as many get an error as today
    assert.ok(flagged.length >= 28, `only ${flagged.length} of the ${rejected.length} rejected files get an error`);
  },
);
