import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { destinationXml, fixAll, insertTeamingPairSnippet, parse } from '../../server/src/service';
import { LIBVIRT_SKIP } from '../helpers/libvirt';
import { EXAMPLES, ROOT } from '../helpers/paths';
import { seeded } from '../helpers/random';
import { expandSnippet } from '../helpers/snippet';
import { parsed, doc } from '../helpers/docs';

/**
 * What the editor features hand the user — Make Domain Migratable on the broken example, an inserted teaming pair,
 * the destination XML of the example profile — judged by libvirt, not by our own rules.
 */
const ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };
const read = (f: string) => readFileSync(join(EXAMPLES, f), 'utf8');

let scratch: string;
let n = 0;
function run(cmd: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: ENV, timeout: 60_000 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message} (bash scripts/system-deps.sh installs it)`);
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}
function file(text: string): string {
  const f = join(scratch, `domain-${n++}.xml`);
  writeFileSync(f, text);
  return f;
}
function assertLibvirtAccepts(text: string): void {
  const f = file(text);
  const schema = run('virt-xml-validate', [f, 'domain']);
  assert.equal(schema.status, 0, schema.output);
  const define = run('virsh', ['-q', '-c', 'test:///default', 'define', f]);
  assert.equal(define.status, 0, define.output);
}

describe('what the editor features produce, as libvirt sees it', () => {
  if (LIBVIRT_SKIP) {
    it('needs libvirt', { skip: LIBVIRT_SKIP }, () => {});
    return;
  }
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'migratable-results-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('Make Domain Migratable on examples/broken.xml', () => {
    const d = doc(read('broken.xml'));
    const r = fixAll(d, parse(d), {}, seeded(3));
    assert.ok(r.edits.length > 0);
    assertLibvirtAccepts(TextDocument.applyEdits(d, r.edits));
  });

  it("a teaming pair inserted into examples/teaming.xml, with the snippet's default VF address", () => {
    const text = read('teaming.xml');
    const cursor = text.indexOf('  </devices>');
    const d = doc(text);
    const snippet = insertTeamingPairSnippet(d, parse(d), cursor, {}, seeded(4));
    assertLibvirtAccepts(text.slice(0, cursor) + expandSnippet(snippet, '    ') + text.slice(cursor));
  });

  it("the destination XML of examples/teaming.xml for examples/host-b.migration.json passes libvirt's ABI check", () => {
    const source = read('teaming.xml');
    const r = destinationXml(parsed(source), read('host-b.migration.json'));
    assert.ok(r.ok && r.text !== source, JSON.stringify(r.problems));
    assertLibvirtAccepts(r.text);
    const check = run('bash', [resolve(ROOT, 'scripts', 'libvirt-abi-check.sh'), file(source), file(r.text)]);
    assert.equal(check.output, 'OK');
  });
});
