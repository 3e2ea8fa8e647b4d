import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_BUNDLE, ROOT } from '../helpers/paths';

/**
 * Issue 12, items 1, 2, 6 and 9: the real `migratable` bundle never loses a byte of a file it writes, never
 * re-encodes bytes it did not touch, refuses what it cannot read, and ends every failure with one line and exit 2.
 */

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: SpawnSyncOptions = {}, command: string[] = [process.execPath, CLI_BUNDLE]): Run {
  const [exe, ...pre] = command;
  const r = spawnSync(exe, [...pre, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** One line on stderr (with the result lines fix prints first), and no stack trace. */
function oneError(r: Run, pattern: RegExp): void {
  const lines = r.stderr.split('\n').filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('migratable: '));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0], pattern);
  assert.ok(!/^\s+at /m.test(r.stderr), `a stack trace:\n${r.stderr}`);
}

let dir: string;
before(() => {
  if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: run \`npm run build\` first`);
  dir = mkdtempSync(join(tmpdir(), 'migratable-robust-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A VF without a partner: "Add a virtio failover partner" grows the file by a few hundred bytes. */
const FIXABLE = readFileSync(join(ROOT, 'test', 'fixes', 'migration-hostdev-vf-partner.xml'), 'utf8');

/** The fixable domain padded with a comment to `size` bytes. */
function padded(size: number): string {
  const pad = size - Buffer.byteLength(FIXABLE) - '\n    <!--  -->'.length;
  return FIXABLE.replace('<devices>', `<devices>\n    <!-- ${'x'.repeat(pad)} -->`);
}

function file(name: string, content: string | Buffer, mode?: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  if (mode !== undefined) chmodSync(path, mode);
  return path;
}

/** Files the atomic writer may leave behind: none, whatever happened. */
function leftovers(d: string): string[] {
  return readdirSync(d).filter((f) => f.includes('migratable-tmp'));
}

describe('fix --write never destroys the original', () => {
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find(existsSync);

  it(
    'a write that fails part-way (file size limit) leaves the original byte-identical, exit 2, one line',
    { skip: !prlimit && 'prlimit (util-linux) is not installed' },
    () => {
      const original = padded(8100);
      const path = file('limited.xml', original);
      // 8 KiB at most per file: the fixed domain needs more; the write fails with EFBIG after 8 KiB
      const r = cli(['fix', '--write', path], {}, [prlimit!, '--fsize=8192', process.execPath, CLI_BUNDLE]);
      assert.equal(r.status, 2, r.stderr);
      oneError(r, /^migratable: cannot write .*limited\.xml: file too large \(EFBIG\); .*limited\.xml is unchanged$/);
      assert.equal(readFileSync(path, 'utf8'), original);
      assert.deepEqual(leftovers(dir), []);
    },
  );

  const root = process.getuid?.() === 0;
  it('on a full filesystem (a tmpfs mounted for the test), likewise', { skip: !root && 'needs root to mount a tmpfs' }, (t) => {
    const mnt = join(dir, 'full');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mnt]);
    // root in a container may still not mount: then the prlimit test above is the one that says it
    if (mount.status !== 0) return t.skip(`cannot mount a tmpfs here: ${String(mount.stderr).trim()}`);
    try {
      const original = padded(8100);
      const path = join(mnt, 'd.xml');
      writeFileSync(path, original);
      // fill the rest: the fixed domain (more than 8 KiB) fits nowhere
      const fd = openSync(join(mnt, 'filler'), 'w');
      try {
        for (;;) writeFileSync(fd, Buffer.alloc(1024));
      } catch (e) {
        assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
      } finally {
        closeSync(fd);
      }
      const r = cli(['fix', '--write', path]);
      assert.equal(r.status, 2, r.stderr);
      oneError(r, /no space left on device \(ENOSPC\); .* is unchanged$/);
      assert.equal(readFileSync(path, 'utf8'), original);
      assert.deepEqual(leftovers(mnt), []);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('keeps the mode of the file, and writes through a symbolic link (the link stays a link)', () => {
    const path = file('mode.xml', FIXABLE, 0o640);
    const link = join(dir, 'mode-link.xml');
    symlinkSync('mode.xml', link);
    const r = cli(['fix', '--write', link]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'mode.xml');
    assert.match(readFileSync(path, 'utf8'), /<teaming type='persistent'\/>/);
    assert.deepEqual(leftovers(dir), []);
  });

  it('keeps every byte it did not edit: CRLF, a UTF-8 byte order mark, non-ASCII text', () => {
    const crlf = '\ufeff' + FIXABLE.replace('<devices>', '<devices>\n    <!-- café ✓ 𝄞 -->').replace(/\n/g, '\r\n');
    const path = file('bytes.xml', crlf);
    const printed = cli(['fix', path]).stdout;
    assert.equal(cli(['fix', '--write', path]).status, 0);
    const written = readFileSync(path);
    assert.deepEqual(written, Buffer.from(printed, 'utf8'));
    assert.deepEqual([...written.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(written.toString('utf8').includes('<!-- café ✓ 𝄞 -->\r\n'));
    // what the fix added is the only difference: the original is a subsequence, byte for byte
    const before = Buffer.from(crlf, 'utf8');
    let i = 0;
    for (const b of written) if (i < before.length && b === before[i]) i++;
    assert.equal(i, before.length);
  });
});

describe('input the CLI refuses, with one line and exit 2', () => {
  it('bytes that are not UTF-8 (in an untouched comment): check and fix refuse, --write leaves the file alone', () => {
    const bytes = Buffer.concat([
      Buffer.from(FIXABLE.slice(0, FIXABLE.indexOf('<devices>'))),
      Buffer.from('<!-- caf'),
      Buffer.from([0xe9, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28]),
      Buffer.from(' -->\n  '),
      Buffer.from(FIXABLE.slice(FIXABLE.indexOf('<devices>'))),
    ]);
    const path = file('latin1.xml', bytes);
    const line = FIXABLE.slice(0, FIXABLE.indexOf('<devices>')).split('\n').length;
    for (const args of [['check'], ['fix'], ['fix', '--write'], ['fix', '--diff']]) {
      const r = cli([...args, path]);
      assert.equal(r.status, 2, args.join(' '));
      oneError(r, new RegExp(`cannot read .*latin1\\.xml: not valid UTF-8: byte 0xE9 at line ${line}, column \\d+; virsh`));
      assert.deepEqual(readFileSync(path), bytes);
    }
  });

  it('UTF-16 (with or without a byte order mark): refused, as virsh define refuses it', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIXABLE, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const [name, bytes] of [
      ['le.xml', le],
      ['be.xml', be],
      ['bare.xml', Buffer.from(FIXABLE, 'utf16le')],
    ] as const) {
      const path = file(name, bytes);
      for (const args of [['check'], ['fix', '--write']]) {
        const r = cli([...args, path]);
        assert.equal(r.status, 2, `${args.join(' ')} ${name}: ${r.stderr}`);
        oneError(r, /UTF-16 is not supported: virsh define and virsh migrate --xml read UTF-8 only/);
      }
      assert.deepEqual(readFileSync(path), bytes);
    }
  });

  it('/dev/zero, /dev/zero on standard input and /dev/urandom: larger than 64 MiB, refused', () => {
    for (const [args, stdin] of [
      [['check', '/dev/zero'], 'ignore'],
      [['check', '-'], '/dev/zero'],
      [['fix', '/dev/urandom'], 'ignore'],
      [['rewrite', '-', '--dest', '/dev/zero'], 'ignore'],
    ] as const) {
      const fd = stdin === 'ignore' ? 'ignore' : openSync(stdin, 'r');
      try {
        const r = cli([...args], { stdio: [fd, 'pipe', 'pipe'] });
        assert.equal(r.status, 2, args.join(' '));
        oneError(r, /cannot read (\/dev\/zero|<stdin>|\/dev\/urandom): larger than 64 MiB/);
      } finally {
        if (typeof fd === 'number') closeSync(fd);
      }
    }
  });

  it('a regular file over 64 MiB is refused before it is read; a FIFO is read to its end', () => {
    const big = join(dir, 'sparse.xml');
    writeFileSync(big, '');
    truncateSync(big, 64 * 1024 * 1024 + 1);
    const t0 = Date.now();
    const r = cli(['check', big]);
    assert.equal(r.status, 2);
    oneError(r, /cannot read .*sparse\.xml: larger than 64 MiB/);
    assert.ok(Date.now() - t0 < 5000, 'read 64 MiB of zeros?');
    const fifo = join(dir, 'fifo.xml');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // a writer slower than one read, in pieces larger than the CLI's first buffer
    const body = FIXABLE.replace('<devices>', `<devices>\n<!-- ${'x'.repeat(200_000)} -->`);
    const writer = spawnSync(
      'sh',
      ['-c', 'cat "$1" > "$2" & node "$3" check --format json "$2"', 'sh', file('src.xml', body), fifo, CLI_BUNDLE],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const direct = cli(['check', '--format', 'json', file('direct.xml', body)]);
    assert.equal(writer.status, direct.status, writer.stderr);
    assert.deepEqual(
      (JSON.parse(writer.stdout) as { diagnostics: unknown[] }[])[0].diagnostics,
      (JSON.parse(direct.stdout) as { diagnostics: unknown[] }[])[0].diagnostics,
    );
  });

  it('files checked in one run are each read whole and alone (a long file, then a short one)', () => {
    const long = file('long.xml', FIXABLE.replace('<devices>', `<devices>\n<!-- ${'y'.repeat(300_000)} -->`));
    const short = file('short.xml', '<domain type="kvm"><name>s</name>');
    const both = cli(['check', '--format', 'json', long, short]);
    const alone = cli(['check', '--format', 'json', short]);
    const results = JSON.parse(both.stdout) as unknown[];
    assert.equal(results.length, 2);
    assert.deepEqual(results[1], (JSON.parse(alone.stdout) as unknown[])[0]);
    assert.ok(JSON.stringify(results[1]).includes('syntax'), both.stdout);
  });

  it("standby names libvirt refuses: --standby-bridge a'b, net<work; --standby-network a/b or with ESC", () => {
    const path = file('names.xml', FIXABLE);
    for (const [option, value, why] of [
      ['--standby-bridge', "a'b", /is not a bridge name libvirt accepts/],
      ['--standby-bridge', 'net<work', /is not a bridge name libvirt accepts/],
      ['--standby-network', 'a/b', /refuses '\/' in one/],
      ['--standby-network', 'a\x1bb', /holds the character U\+001B, which XML cannot hold/],
    ] as const) {
      const r = cli(['fix', '--write', option, value, path]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, new RegExp(`^migratable: ${option}: .*${why.source}`));
      assert.equal(readFileSync(path, 'utf8'), FIXABLE);
    }
    const ok = cli(['fix', '--standby-bridge', 'br-lan.10', path]);
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, /<source bridge='br-lan\.10'\/>/);
  });
});

describe('rewrite -o never overwrites what it reads', () => {
  const profile = join(ROOT, 'examples', 'host-b.migration.json');

  it('-o naming the source through a symbolic or a hard link: exit 2, the source unchanged', () => {
    const source = file('source.xml', readFileSync(join(ROOT, 'examples', 'teaming.xml')));
    const before = readFileSync(source);
    const sym = join(dir, 'sym.xml');
    symlinkSync(source, sym);
    const hard = join(dir, 'hard.xml');
    linkSync(source, hard);
    for (const out of [sym, hard, source]) {
      const r = cli(['rewrite', source, '--dest', profile, '-o', out]);
      assert.equal(r.status, 2, out);
      assert.match(r.stderr, /^migratable: -o must not overwrite the source FILE/);
      assert.deepEqual(readFileSync(source), before);
    }
    const p = file('p.json', readFileSync(profile));
    const r = cli(['rewrite', source, '--dest', p, '-o', p]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^migratable: -o must not overwrite the profile/);
  });

  it('-o writes a new file whole (0666 less the umask), and replaces an existing one keeping its mode', () => {
    const source = join(ROOT, 'examples', 'teaming.xml');
    const out = join(dir, 'dest.xml');
    const r = cli(['rewrite', source, '--dest', profile, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), cli(['rewrite', source, '--dest', profile]).stdout);
    chmodSync(out, 0o600);
    assert.equal(cli(['rewrite', source, '--dest', profile, '-o', out]).status, 0);
    assert.equal(statSync(out).mode & 0o777, 0o600);
  });
});

describe('standard output that cannot be written', () => {
  it('> /dev/full: one line, exit 2 (not 1, "errors found"), no stack trace', () => {
    for (const args of [
      ['check', 'examples/teaming.xml'],
      ['fix', 'examples/broken.xml'],
      ['check', '--format', 'sarif', 'examples/broken.xml'],
    ]) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = cli(args, { stdio: ['ignore', full, 'pipe'] });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        oneError(r, /^migratable: cannot write standard output: no space left on device \(ENOSPC\)$/);
      } finally {
        closeSync(full);
      }
    }
  });
});
