import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkAbi, destinationXml } from '../../server/src/rewrite';
import { ROOT } from '../helpers/paths';
import { caseSource, rewriteCases } from '../rewrite/cases';
import { MUTATIONS } from '../rewrite/mutations';
import { parsed, xml } from '../helpers/docs';

/**
 * libvirt judges the destination rewrite: every rewritten case passes libvirt's own ABI-stability check
 * (scripts/libvirt-abi-check.sh, the check `virsh migrate --xml` runs) and its schema; every hand-made
 * destination gets the same verdict from libvirt as from our checkAbi, with the same first message.
 */

const ABI_CHECK = resolve(ROOT, 'scripts', 'libvirt-abi-check.sh');
const ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };
const TOOLS: [tool: string, pkg: string][] = [
  ['virsh', 'libvirt-clients'],
  ['virt-xml-validate', 'libvirt-clients'],
  ['xmllint', 'libxml2-utils'],
];

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: ENV, timeout: 30_000 });
  return { status: r.status, error: r.error, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

const work = mkdtempSync(join(tmpdir(), 'migratable-abi-'));
after(() => rmSync(work, { recursive: true, force: true }));
let files = 0;
function file(text: string): string {
  const f = join(work, `d${files++}.xml`);
  writeFileSync(f, text);
  return f;
}

function schemaValid(text: string): string | undefined {
  const r = run('virt-xml-validate', [file(text), 'domain']);
  assert.ok(r.status !== null, `virt-xml-validate did not finish: ${r.error?.message}`);
  return r.status === 0 ? undefined : r.output;
}

/** libvirt's verdict on DST as the destination XML of SRC: 'OK' or its message. */
function libvirtAbi(src: string, dst: string): string {
  const r = run('bash', [ABI_CHECK, file(src), file(dst)]);
  assert.ok(r.status === 0 || r.status === 1, `libvirt-abi-check.sh failed (${r.status}): ${r.output}`);
  return r.output;
}

/** libvirt's message without its error-class prefix, and with the space its PCI address message leaves out. */
function libvirtMessage(output: string): string {
  return output.replace(/^unsupported configuration: /, '').replace(/(\S)does not match/, '$1 does not match');
}

const missing = TOOLS.filter(([tool]) => run(tool, ['--version']).error);

describe('destination rewrite as libvirt sees it', () => {
  if (missing.length > 0) {
    it('libvirt tools are installed', (t) => {
      const pkgs = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
      const reason = `${missing.map(([tool]) => tool).join(', ')} not found: install the Debian packages ${pkgs} (apt-get install ${pkgs})`;
      if (process.env.MIGRATABLE_SKIP_LIBVIRT === '1') return t.skip(reason);
      assert.fail(reason);
    });
    return;
  }

  it('the ABI check script works: OK for a domain and itself, usage error without files', () => {
    const src = caseSource('interface-hostdev');
    assert.equal(libvirtAbi(src, src), 'OK');
    const usage = run('bash', [ABI_CHECK]);
    assert.equal(usage.status, 2);
    assert.match(usage.output, /usage: libvirt-abi-check\.sh SRC\.xml DST\.xml/);
  });

  for (const c of rewriteCases()) {
    it(`${c.name}: libvirt accepts the reviewed destination XML, its schema validates both, and the rewrite produces it`, () => {
      assert.equal(
        destinationXml(parsed(c.source), c.profile).text,
        c.expected,
        'the rewrite produces the reviewed expected.xml',
      );
      assert.equal(schemaValid(c.source), undefined, 'the source is not valid');
      assert.equal(schemaValid(c.expected), undefined, 'the destination is not valid');
      assert.equal(libvirtAbi(c.source, c.expected), 'OK');
    });
  }

  for (const m of MUTATIONS) {
    it(`${m.name}: libvirt ${m.code ? 'refuses' : 'accepts'} it, and so does checkAbi`, () => {
      const src = caseSource(m.base);
      const dest = m.dest();
      assert.equal(schemaValid(dest), undefined, 'the hand-made destination is not valid');
      const verdict = libvirtAbi(src, dest);
      const ours = checkAbi(xml(src), xml(dest));
      if (!m.code) {
        assert.equal(verdict, 'OK');
        assert.deepEqual(ours, []);
        return;
      }
      assert.notEqual(verdict, 'OK', 'libvirt accepts it');
      assert.equal(ours[0]?.code, m.code, `ours: ${JSON.stringify(ours)}\nlibvirt: ${verdict}`);
      const theirs = libvirtMessage(verdict);
      if (m.sameMessage === 'equal') assert.equal(ours[0].message, theirs);
      else assert.ok(ours[0].message.startsWith(theirs), `ours: ${ours[0].message}\nlibvirt: ${theirs}`);
    });
  }
});
