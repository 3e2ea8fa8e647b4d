import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { RULES, XML_SYNTAX } from '../../server/src/service';
import { CLI_BUNDLE, ROOT } from '../helpers/paths';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The bundled CLI, as `migratable` runs it: piped stdout (not a TTY), from the repository root. */
function cli(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '', ...env },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BROKEN = 'examples/broken.xml';
const CLEAN = 'examples/teaming.xml';
const TWO_WARNINGS = 'examples/vf-not-migratable.xml';
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const VF_MAC = '52:54:00:6d:90:03';
/** 0-based line and column of a string's first occurrence. */
function position(text: string, needle: string): { line: number; character: number } {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
const TEXT_LINE = /^(.+):(\d+):(\d+) {2}(error|warning|information|hint) {2}([a-z0-9-]+) {2}(.+)$/;
const SUMMARY = /^(\d+) errors?, (\d+) warnings?, (\d+) information in (\d+) domain files?( \(.*\))?$/;

before(() => {
  if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: run \`npm run build\` first`);
});

describe('migratable check: text', () => {
  it('one line per finding, file:line:col  severity  code  message, then a summary', () => {
    const r = cli(['check', BROKEN]);
    const lines = r.stdout.trimEnd().split('\n');
    const summary = lines.pop()!;
    assert.ok(lines.length >= 5, r.stdout);
    const parsed = lines.map((l) => TEXT_LINE.exec(l));
    for (const [i, m] of parsed.entries()) assert.ok(m && m[1] === BROKEN, `line ${i + 1}: ${lines[i]}`);
    const mismatch = parsed.find((m) => m![5] === 'teaming-mac-mismatch')!;
    const at = position(read(BROKEN), VF_MAC);
    assert.deepEqual([Number(mismatch[2]), Number(mismatch[3]), mismatch[4]], [at.line + 1, at.character + 1, 'error']);
    const count = (sev: string) => parsed.filter((m) => m![4] === sev).length;
    const s = SUMMARY.exec(summary);
    assert.ok(s, summary);
    assert.deepEqual(s.slice(1, 5).map(Number), [count('error'), count('warning'), count('information') + count('hint'), 1]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
  });

  it('no colour when stdout is not a TTY; colour on a TTY unless NO_COLOR', () => {
    assert.ok(!cli(['check', BROKEN]).stdout.includes('\x1b'));
    const inProcess = (isTty: boolean) => {
      let out = '';
      main(['check', join(ROOT, BROKEN)], {
        stdout: (s) => {
          out += s;
        },
        stderr: () => {},
        readStdin: () => '',
        isTty,
      });
      return out;
    };
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    try {
      assert.match(inProcess(true), /\x1b\[31merror\x1b\[0m/);
      assert.ok(!inProcess(false).includes('\x1b'));
      process.env.NO_COLOR = '1';
      assert.ok(!inProcess(true).includes('\x1b'));
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it("'-' reads standard input", () => {
    const r = cli(['check', '-'], read(BROKEN));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^<stdin>:\d+:\d+ {2}error {2}teaming-mac-mismatch /m);
    assert.equal(r.stdout.replaceAll('<stdin>', BROKEN), cli(['check', BROKEN]).stdout);
  });

  it('a file that is not a domain is skipped with a note on stderr, exit 0', () => {
    const r = cli(['check', '-'], '<project><name>x</name></project>');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /<stdin>: not a libvirt domain: the root element is <project>, skipped/);
    assert.match(r.stdout, /0 errors, 0 warnings, 0 information in 0 domain files \(1 not a domain\)/);
  });

  it('--rule CODE=off silences a rule, --rule CODE=SEVERITY changes its severity', () => {
    const off = cli(['check', '--rule', 'teaming-mac-mismatch=off', BROKEN]);
    assert.ok(!off.stdout.includes('teaming-mac-mismatch'), off.stdout);
    assert.match(off.stdout, /alias-dropped/);
    const relaxed = cli([
      'check',
      '--rule=teaming-mac-mismatch=warning',
      '--rule',
      'alias-dropped=off',
      '--rule',
      'teaming-dangling=hint',
      BROKEN,
    ]);
    assert.match(relaxed.stdout, / {2}warning {2}teaming-mac-mismatch /);
    assert.equal(relaxed.status, 0, relaxed.stdout);
  });
});

describe('migratable check: exit status', () => {
  const cases: [string, string[], number][] = [
    ['0 for a clean domain', ['check', CLEAN], 0],
    ['1 when there are errors', ['check', BROKEN], 1],
    ['1 when warnings exceed --max-warnings', ['check', '--max-warnings', '1', TWO_WARNINGS], 1],
    ['0 when warnings are within --max-warnings', ['check', '--max-warnings=2', TWO_WARNINGS], 0],
    ['0 for warnings without --max-warnings', ['check', TWO_WARNINGS], 0],
    ['1 for errors whatever --max-warnings says', ['check', '--max-warnings', '100', BROKEN], 1],
  ];
  for (const [name, args, status] of cases) {
    it(name, () => {
      const r = cli(args);
      assert.equal(r.status, status, r.stdout + r.stderr);
    });
  }
  it('the warnings example really has two warnings and no error', () => {
    assert.match(cli(['check', TWO_WARNINGS]).stdout, /^0 errors, 2 warnings, /m);
  });

  const usage: [string, string[], RegExp][] = [
    ['an unknown option', ['check', '--bogus', CLEAN], /unknown option '--bogus'/],
    ['an unknown format', ['check', '--format', 'xml', CLEAN], /unknown format 'xml'/],
    ['no file', ['check'], /no FILE given/],
    ['--max-warnings without a number', ['check', '--max-warnings', 'many', CLEAN], /--max-warnings needs a whole number/],
    ['--rule with a bad severity', ['check', '--rule', 'mac-duplicate=loud', CLEAN], /--rule takes CODE=SEVERITY/],
    ['--format without its value', ['check', CLEAN, '--format'], /--format needs a value/],
    ['no command', [], /usage: migratable COMMAND/],
    ['an unknown command', ['lint', CLEAN], /unknown command 'lint'/],
  ];
  for (const [name, args, message] of usage) {
    it(`2 for a usage error: ${name}`, () => {
      const r = cli(args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('a reader that closes the pipe early (| head) gets no stack trace on stderr', async () => {
    const files = Array.from({ length: 200 }, () => BROKEN);
    const child = spawn(process.execPath, [CLI_BUNDLE, 'check', '--format', 'sarif', ...files], { cwd: ROOT });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(stderr, '');
    assert.equal(status, 1);
  });

  it('2 for an unreadable file, while the other files are still checked and printed', () => {
    const r = cli(['check', BROKEN, 'no-such-file.xml', 'examples', CLEAN]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read no-such-file\.xml: no such file/);
    assert.match(r.stderr, /cannot read examples: is a directory/);
    assert.match(r.stdout, /^examples\/broken\.xml:\d+:\d+ {2}error /m);
    assert.match(r.stdout, /^examples\/teaming\.xml:\d+:\d+ {2}information /m);
    assert.match(r.stdout, /in 2 domain files \(2 unreadable\)$/m);
  });
});

describe('migratable check: json', () => {
  it('one entry per file in argument order, 0-based LSP ranges', () => {
    const r = cli(['check', '--format', 'json', CLEAN, BROKEN, 'missing.xml', '-'], '<project/>');
    assert.equal(r.status, 2);
    const out = JSON.parse(r.stdout) as { file: string; diagnostics: any[]; skipped?: string; error?: string }[];
    assert.deepEqual(
      out.map((e) => e.file),
      [CLEAN, BROKEN, 'missing.xml', '<stdin>'],
    );
    assert.equal(out[2].error, 'no such file');
    assert.match(out[3].skipped ?? '', /root element is <project>/);
    const mismatch = out[1].diagnostics.find((d) => d.code === 'teaming-mac-mismatch');
    const start = position(read(BROKEN), VF_MAC);
    assert.deepEqual(mismatch.range, { start, end: { line: start.line, character: start.character + VF_MAC.length } });
    for (const entry of out) {
      for (const d of entry.diagnostics) {
        assert.deepEqual(
          Object.keys(d)
            .filter((k) => k !== 'related')
            .sort(),
          ['code', 'message', 'range', 'severity'],
        );
        assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity), d.severity);
        assert.equal(typeof d.message, 'string');
        for (const p of [d.range.start, d.range.end])
          assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
      }
    }
    assert.deepEqual(
      out[0].diagnostics.map((d) => d.code),
      ['teaming-guest-support'],
    );
  });

  it('the same findings as the text format', () => {
    const json = JSON.parse(cli(['check', '--format', 'json', BROKEN]).stdout)[0].diagnostics as any[];
    const text = cli(['check', BROKEN])
      .stdout.trimEnd()
      .split('\n')
      .slice(0, -1)
      .map((l) => TEXT_LINE.exec(l)!);
    assert.deepEqual(
      json.map((d) => [d.range.start.line + 1, d.range.start.character + 1, d.severity, d.code, d.message]),
      text.map((m) => [Number(m[2]), Number(m[3]), m[4], m[5], m[6]]),
    );
  });
});

describe('migratable check: sarif', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'migratable-cli-'));
    writeFileSync(join(dir, 'my domain.xml'), read(BROKEN));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The fields GitHub code scanning reads, checked by hand (no network for the schema). */
  function checkSarif(log: any): void {
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, 'migratable');
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    const ids = driver.rules.map((r: any) => r.id);
    assert.deepEqual([...ids].sort(), [XML_SYNTAX, ...RULES.map((r) => r.code)].sort());
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, rule.id);
      assert.ok(rule.shortDescription.text.length <= 1024, rule.id);
      assert.match(rule.helpUri, new RegExp(`^https://.*#${rule.id}$`));
      assert.ok(['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration.level), rule.id);
    }
    for (const result of run.results) {
      assert.equal(typeof result.ruleId, 'string');
      assert.equal(driver.rules[result.ruleIndex]?.id, result.ruleId);
      assert.ok(['none', 'note', 'warning', 'error'].includes(result.level), result.level);
      assert.ok(result.message.text.length > 0);
      assert.equal(result.locations.length, 1);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      assert.ok(/^[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$/.test(artifactLocation.uri), `not a URI reference: ${artifactLocation.uri}`);
      assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endLine >= region.startLine && region.endColumn >= 1);
      if (region.endLine === region.startLine) assert.ok(region.endColumn >= region.startColumn);
      for (const rel of result.relatedLocations ?? []) {
        assert.ok(Number.isInteger(rel.id) && rel.message.text.length > 0 && rel.physicalLocation.region.startLine >= 1);
      }
    }
  }

  it('SARIF 2.1.0 with rule metadata and located results', () => {
    const r = cli(['check', '--format', 'sarif', BROKEN]);
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout);
    checkSarif(log);
    const results = log.runs[0].results;
    const json = JSON.parse(cli(['check', '--format', 'json', BROKEN]).stdout)[0].diagnostics as any[];
    assert.deepEqual(
      results.map((x: any) => x.ruleId),
      json.map((d) => d.code),
    );
    const mismatch = results.find((x: any) => x.ruleId === 'teaming-mac-mismatch');
    const start = position(read(BROKEN), VF_MAC);
    assert.equal(mismatch.level, 'error');
    assert.deepEqual(mismatch.locations[0].physicalLocation, {
      artifactLocation: { uri: BROKEN },
      region: {
        startLine: start.line + 1,
        startColumn: start.character + 1,
        endLine: start.line + 1,
        endColumn: start.character + 1 + VF_MAC.length,
      },
    });
    assert.equal(mismatch.relatedLocations.length, 1);
    assert.equal(results.find((x: any) => x.ruleId === 'teaming-guest-support').level, 'note');
    assert.equal(log.runs[0].invocations[0].executionSuccessful, true);
  });

  it('artifact URIs are percent-encoded; absolute paths become file: URLs; unreadable files are tool notifications', () => {
    const r = cli(['check', '--format', 'sarif', join(dir, 'my domain.xml'), 'missing.xml'], undefined);
    assert.equal(r.status, 2);
    const log = JSON.parse(r.stdout);
    checkSarif(log);
    const uris = new Set(log.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri));
    assert.equal(uris.size, 1);
    const [uri] = uris as Set<string>;
    assert.match(uri, /^file:\/\/\/.*\/my%20domain\.xml$/);
    const invocation = log.runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.match(invocation.toolExecutionNotifications[0].message.text, /cannot read missing\.xml: no such file/);
    const relative = JSON.parse(cli(['check', '--format', 'sarif', '-'], read(BROKEN)).stdout);
    checkSarif(relative);
  });
});

describe('migratable: --version and --help', () => {
  it('--version prints the package version', () => {
    const { version } = JSON.parse(read('package.json'));
    const r = cli(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  it("--help lists the commands; check --help shows check's options", () => {
    const r = cli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^usage: migratable COMMAND/);
    assert.match(r.stdout, /^ {2}check +report problems/m);
    const c = cli(['check', '--help']);
    assert.equal(c.status, 0);
    for (const option of ['--format', '--max-warnings', '--rule', "FILE '-' reads standard input"])
      assert.ok(c.stdout.includes(option), option);
  });
});
