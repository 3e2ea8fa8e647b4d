import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fix } from '../../server/src/cli/fix';
import type { Io } from '../../server/src/cli/io';
import { FIX_FIXTURES } from '../fixes/cases';
import { CLI_BUNDLE, EXAMPLES } from '../helpers/paths';

async function run(args: string[], stdin = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readStdin: () => stdin,
    isTty: false,
  };
  const status = await fix.run(args, io);
  return { status, stdout, stderr };
}

let dir: string;
/** A copy of a fix fixture (or example) in a scratch folder, so --write has something of its own to write. */
function copy(file: string, from = FIX_FIXTURES): string {
  const to = join(dir, file);
  copyFileSync(join(from, file), to);
  return to;
}

describe('migratable fix (in process)', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'migratable-fix-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the fixed XML, says what it fixed on stderr, and leaves the file alone', async () => {
    const file = copy('make-migratable-double-quotes.xml');
    const before = readFileSync(file, 'utf8');
    const r = await run([file]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, readFileSync(join(FIX_FIXTURES, 'make-migratable-double-quotes.fixed.xml'), 'utf8'));
    assert.match(r.stderr, /: fixed: added the virtio failover partner 'ua-standby0'/);
    assert.match(r.stderr, /: fixed: renamed the alias 'backup\.1' to 'ua-backup-1'/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('--diff prints a unified diff that git applies to give the fixed text', async () => {
    const file = copy('make-migratable-crlf.xml');
    const fixed = (await run([file])).stdout;
    const r = await run(['--diff', file]);
    assert.equal(r.status, 0);
    assert.ok(r.stdout.startsWith(`--- ${file}\n+++ ${file}\n@@ `));
    writeFileSync(join(dir, 'p.diff'), r.stdout);
    execFileSync('git', ['apply', '-p0', '--unsafe-paths', '--whitespace=nowarn', join(dir, 'p.diff')], {
      cwd: '/',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    assert.equal(readFileSync(file, 'utf8'), fixed);
    assert.ok(
      fixed
        .split('\n')
        .slice(0, -1)
        .every((l) => l.endsWith('\r')),
      'the fixed file lost its CRLF line ends',
    );
  });

  it('--write writes in place only then; fixing the written file changes nothing', async () => {
    const file = copy('make-migratable-tabs.xml');
    const r = await run(['--write', file]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
    const written = readFileSync(file, 'utf8');
    // the reviewed result, but for the fresh random MACs (the CLI takes no seed): those not in the input
    const input = readFileSync(join(FIX_FIXTURES, 'make-migratable-tabs.xml'), 'utf8');
    const fresh = (t: string) => t.replace(/52:54:00(:[0-9a-f]{2}){3}/g, (m) => (input.includes(m) ? m : 'FRESH-MAC'));
    assert.equal(fresh(written), fresh(readFileSync(join(FIX_FIXTURES, 'make-migratable-tabs.fixed.xml'), 'utf8')));
    assert.notEqual(written, input);
    const again = await run(['--write', '--diff', file]);
    assert.deepEqual([again.status, again.stdout, again.stderr], [0, '', '']);
    assert.equal(readFileSync(file, 'utf8'), written);
  });

  it('exits 1 when an error or migration warning is left, and names it', async () => {
    const file = copy('vf-not-migratable.xml', EXAMPLES);
    const r = await run([file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /: fixed: added the virtio failover partner/);
    assert.match(r.stderr, /: not fixed: line \d+: cannot migrate a domain with <hostdev .*\(migration-hostdev\)/);
    assert.ok(r.stdout.includes("<teaming type='transient' persistent='ua-standby0'/>"));
  });

  it('reads standard input for -, and passes non-domain XML through untouched', async () => {
    const input = readFileSync(join(FIX_FIXTURES, 'teaming-mac-mismatch-standby.xml'), 'utf8');
    const r = await run(['-'], input);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, readFileSync(join(FIX_FIXTURES, 'teaming-mac-mismatch-standby.fixed.xml'), 'utf8'));
    const network = '<network>\n  <name>x</name>\n</network>\n';
    const n = await run(['-'], network);
    assert.deepEqual([n.status, n.stdout], [0, network]);
    assert.match(n.stderr, /not a libvirt domain: the root element is <network>, skipped/);
  });

  it('takes the standby network or bridge from options', async () => {
    const file = copy('migration-hostdev-vf-partner.xml');
    assert.ok((await run(['--standby-network', 'lan', file])).stdout.includes("<source network='lan'/>"));
    assert.ok(
      (await run(['--standby-bridge=br1', file])).stdout.includes(
        "<interface type='bridge'>\n      <mac address='52:54:00:6d:90:02'/>\n      <source bridge='br1'/>",
      ),
    );
  });

  it('exits 2 on a usage error or an unreadable file', async () => {
    for (const args of [[], ['--bogus', 'x.xml'], ['--write', '-'], ['--standby-network']]) {
      const r = await run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^migratable: .*\nusage: migratable fix/);
    }
    const r = await run([join(dir, 'missing.xml'), copy('migration-hostdev-vf-partner.xml')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read .*missing\.xml: no such file/);
    assert.ok(r.stdout.includes('ua-standby0'), 'the readable file was not fixed');
  });
});

describe('migratable fix (the built bundle)', () => {
  it('runs from server/out/cli.js (npm run build first)', async () => {
    assert.ok(existsSync(CLI_BUNDLE), `${CLI_BUNDLE} is missing: run npm run build`);
    const scratch = mkdtempSync(join(tmpdir(), 'migratable-fix-bundle-'));
    try {
      const file = join(scratch, 'd.xml');
      copyFileSync(join(FIX_FIXTURES, 'make-migratable-double-quotes.xml'), file);
      const r = spawnSync(process.execPath, [CLI_BUNDLE, 'fix', '--write', file], { encoding: 'utf8' });
      assert.doesNotMatch(
        r.stderr,
        /unknown command 'fix'/,
        'the bundle has no fix command: register server/src/cli/fix.ts in COMMANDS (server/src/cli.ts), then npm run build',
      );
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        readFileSync(file, 'utf8'),
        readFileSync(join(FIX_FIXTURES, 'make-migratable-double-quotes.fixed.xml'), 'utf8'),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
