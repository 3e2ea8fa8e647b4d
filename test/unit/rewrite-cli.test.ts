import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Io } from '../../server/src/cli/io';
import { rewrite } from '../../server/src/cli/rewrite';
import { CASES_DIR } from '../rewrite/cases';

function fakeIo(stdin = ''): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => {
      io.out += s;
    },
    stderr: (s: string) => {
      io.err += s;
    },
    readStdin: () => stdin,
    isTty: false,
  };
  return io;
}

const path = (c: string, f: string) => join(CASES_DIR, c, f);
const read = (c: string, f: string) => readFileSync(path(c, f), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'migratable-rewrite-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** 1-based `LINE:COL` of the first occurrence of `needle` in `text`. */
function lineCol(text: string, needle: string): string {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('migratable rewrite', () => {
  it('writes the destination XML to stdout and exits 0 when it is ready', async () => {
    const io = fakeIo();
    assert.equal(
      await rewrite.run([path('interface-hostdev', 'source.xml'), '--dest', path('interface-hostdev', 'profile.json')], io),
      0,
    );
    assert.equal(io.out, read('interface-hostdev', 'expected.xml'));
    assert.equal(io.err, '');
  });

  it('writes to -o OUT, and accepts --dest=PROFILE', async () => {
    const io = fakeIo();
    const out = join(work, 'dest.xml');
    assert.equal(
      await rewrite.run([path('two-pairs', 'source.xml'), `--dest=${path('two-pairs', 'profile.json')}`, '-o', out], io),
      0,
    );
    assert.equal(readFileSync(out, 'utf8'), read('two-pairs', 'expected.xml'));
    assert.equal(io.out, '');
  });

  it('exits 1 when the rewrite is incomplete, with each problem at its place in the domain or the profile', async () => {
    const io = fakeIo();
    const [file, profile] = [path('typo', 'source.xml'), path('typo', 'profile.json')];
    assert.equal(await rewrite.run([file, '--dest', profile], io), 1);
    assert.equal(io.out, read('typo', 'expected.xml'));
    const src = read('typo', 'source.xml');
    const prof = read('typo', 'profile.json');
    const lines = io.err.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.ok(lines[0].startsWith(`${profile}:${lineCol(prof, '"graphicListen"')}: warning profile-unknown-key: `), lines[0]);
    assert.ok(lines[1].startsWith(`${file}:${lineCol(src, `<address type='pci'`)}: error rewrite-hostdev-unmapped: `), lines[1]);
    assert.ok(lines[2].startsWith(`${profile}:${lineCol(prof, '"0000:3b:02.1"')}: warning rewrite-mapping-unused: `), lines[2]);
    assert.ok(lines[3].startsWith(`${profile}:${lineCol(prof, '"defualt"')}: warning rewrite-mapping-unused: `), lines[3]);
  });

  it('exits 0 for a VF pool, saying that nothing host-specific needs rewriting', async () => {
    const io = fakeIo();
    assert.equal(await rewrite.run([path('vf-pool', 'source.xml'), '--dest', path('vf-pool', 'profile.json')], io), 0);
    assert.equal(io.out, read('vf-pool', 'source.xml'));
    assert.match(io.err, /information rewrite-vf-pool: .*nothing host-specific needs rewriting/);
  });

  it("reads the domain from stdin when FILE is '-'", async () => {
    const io = fakeIo(read('graphics', 'source.xml'));
    assert.equal(await rewrite.run(['-', '--dest', path('graphics', 'profile.json')], io), 0);
    assert.equal(io.out, read('graphics', 'expected.xml'));
  });

  it('exits 1 when two devices get one destination VF', async () => {
    const profile = join(work, 'conflict.json');
    writeFileSync(profile, '{ "hostdevs": { "0000:3b:02.0": "0000:5e:10.2", "0000:3b:02.1": "0000:5e:10.2" } }');
    const io = fakeIo();
    assert.equal(await rewrite.run([path('two-pairs', 'source.xml'), '--dest', profile], io), 1);
    assert.match(io.err, /error rewrite-vf-conflict/);
  });

  const usage: [string, string[], RegExp][] = [
    ['no --dest', [path('typo', 'source.xml')], /no destination profile given/],
    ['no FILE', ['--dest', path('typo', 'profile.json')], /no FILE given/],
    [
      'an unknown option',
      [path('typo', 'source.xml'), '--dest', path('typo', 'profile.json'), '--fast'],
      /unknown option '--fast'/,
    ],
    ['two files', ['a.xml', 'b.xml', '--dest', 'p.json'], /one FILE at a time/],
    [
      '-o onto the source',
      [path('typo', 'source.xml'), '--dest', path('typo', 'profile.json'), '-o', path('typo', 'source.xml')],
      /must not overwrite/,
    ],
    ['--dest without a value', [path('typo', 'source.xml'), '--dest'], /--dest needs a value/],
  ];
  for (const [what, args, message] of usage) {
    it(`exits 2 on ${what}`, async () => {
      const io = fakeIo();
      assert.equal(await rewrite.run(args, io), 2);
      assert.match(io.err, message);
      assert.match(io.err, /usage: migratable rewrite FILE --dest PROFILE\.json/);
      assert.equal(io.out, '');
    });
  }

  it('exits 2 when a file cannot be read, the profile is not JSON, or FILE is not a domain', async () => {
    const notJson = join(work, 'bad.json');
    writeFileSync(notJson, '{ "hostdevs": ');
    const network = join(work, 'net.xml');
    writeFileSync(network, '<network><name>default</name></network>');
    const src = path('typo', 'source.xml');
    const cases: [string[], RegExp][] = [
      [[join(work, 'missing.xml'), '--dest', path('typo', 'profile.json')], /cannot read .*missing\.xml: no such file/],
      [[src, '--dest', work], /cannot read .*: is a directory/],
      [[src, '--dest', notJson], /bad\.json:1:15: error profile-syntax: the profile is not valid JSON/],
      [
        [network, '--dest', path('typo', 'profile.json')],
        /error rewrite-not-domain: not a libvirt domain: the root element is <network>/,
      ],
    ];
    for (const [args, message] of cases) {
      const io = fakeIo();
      assert.equal(await rewrite.run(args, io), 2, args.join(' '));
      assert.match(io.err, message);
      assert.equal(io.out, '');
    }
  });
});
