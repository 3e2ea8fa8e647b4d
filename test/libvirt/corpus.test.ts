import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, it, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { parse, validate } from '../../server/src/service';
import { LIBVIRT_SKIP } from '../helpers/libvirt';
import { ROOT } from '../helpers/paths';

/**
 * libvirt's own QEMU test corpus as a judge: NAME.xml beside NAME.args or NAME.ARCH-VERSION.args is a domain
 * libvirt accepts (for some QEMU), beside only NAME[.ARCH-VERSION].err one it rejects with that message.
 */
interface CorpusFile {
  name: string;
  text: string;
  verdict: 'accepted' | 'rejected' | 'unjudged';
  /** libvirt's messages from the .err files. */
  errors: string[];
}

interface Expectation {
  codes: string[];
  reason: string;
}

const ARTIFACT = /^(?:[a-z0-9_]+-(?:latest|\d+\.\d+\.\d+)\.)?(args|err)$/;

function locateCorpus(): string {
  const r = spawnSync('bash', [resolve(ROOT, 'scripts', 'libvirt-corpus.sh')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `scripts/libvirt-corpus.sh failed:\n${r.stderr}`);
  return r.stdout.trim();
}

function readCorpus(dir: string): CorpusFile[] {
  const names = readdirSync(dir);
  const artifacts = new Map<string, string[]>();
  const stems = new Set(names.filter((n) => n.endsWith('.xml')).map((n) => n.slice(0, -4)));
  for (const n of names) {
    // stems may contain dots themselves (aarch64-virt-2.6-virtio-pci-default), so try every split
    for (let i = n.indexOf('.'); i > 0; i = n.indexOf('.', i + 1)) {
      if (stems.has(n.slice(0, i)) && ARTIFACT.test(n.slice(i + 1))) {
        artifacts.set(n.slice(0, i), [...(artifacts.get(n.slice(0, i)) ?? []), n]);
      }
    }
  }
  return [...stems].sort().map((stem) => {
    const own = artifacts.get(stem) ?? [];
    const errs = own.filter((a) => a.endsWith('.err'));
    const verdict = own.some((a) => a.endsWith('.args')) ? 'accepted' : errs.length ? 'rejected' : 'unjudged';
    return {
      name: `${stem}.xml`,
      text: readFileSync(join(dir, `${stem}.xml`), 'utf8'),
      verdict,
      errors: errs.map((e) => readFileSync(join(dir, e), 'utf8').trim()),
    };
  });
}

/** Our verdict on one file; an exception is kept as a finding of its own, so one file cannot hide the rest. */
function check(name: string, text: string): { isDomain: boolean; diagnostics: Diagnostic[]; thrown?: string } {
  try {
    const document = TextDocument.create(`file:///corpus/${name}`, 'xml', 1, text);
    const parsed = parse(document);
    return { isDomain: parsed.model !== undefined, diagnostics: validate(document, parsed) };
  } catch (e) {
    return { isDomain: false, diagnostics: [], thrown: (e as Error).stack ?? String(e) };
  }
}

/**
 * Error codes judged by libvirt's driver here. The schema-* codes have another judge, libvirt's RelaxNG schema
 * (test/libvirt/schema-corpus.test.ts): a few corpus files are accepted by the QEMU driver yet rejected by the schema.
 */
function errorCodes(diagnostics: Diagnostic[]): string[] {
  return [
    ...new Set(
      diagnostics
        .filter((d) => d.severity === DiagnosticSeverity.Error && !String(d.code).startsWith('schema-'))
        .map((d) => String(d.code)),
    ),
  ].sort();
}

describe("libvirt's own corpus as the judge", () => {
  if (LIBVIRT_SKIP) {
    it('needs libvirt', { skip: LIBVIRT_SKIP }, () => {});
    return;
  }
  const corpusDir = locateCorpus();
  const corpus = readCorpus(corpusDir);
  const results = new Map(corpus.map((f) => [f.name, check(f.name, f.text)]));
  const expectationsFile = resolve(ROOT, 'test', 'libvirt', 'corpus-expectations.json');
  const expectations = JSON.parse(readFileSync(expectationsFile, 'utf8')) as {
    corpus: string;
    files: Record<string, Expectation>;
  };
  const count = (v: CorpusFile['verdict']) => corpus.filter((f) => f.verdict === v).length;

  test(`the corpus is ${expectations.corpus}'s qemuxml2argvdata, complete`, (t) => {
    t.diagnostic(`corpus: ${corpusDir}`);
    assert.equal(basename(dirname(dirname(corpusDir))), expectations.corpus, 'the expectations were written for another libvirt');
    // a partial download would make "no false positive" cheap
    assert.ok(corpus.length > 1000, `only ${corpus.length} domain XMLs`);
    assert.ok(count('accepted') > 800 && count('rejected') > 150, `accepted ${count('accepted')}, rejected ${count('rejected')}`);
  });

  test('every corpus file parses and validates: no exception, no internal rule error, read as a domain, well-formed', () => {
    const problems: string[] = [];
    for (const f of corpus) {
      const { isDomain, diagnostics, thrown } = results.get(f.name)!;
      if (thrown) problems.push(`${f.name}: threw ${thrown}`);
      else if (!isDomain) problems.push(`${f.name}: not read as a domain`);
      for (const d of diagnostics) {
        if (d.code === 'xml-syntax' || String(d.message).startsWith('internal error'))
          problems.push(`${f.name}:${d.range.start.line + 1}: ${d.code}: ${d.message}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('files libvirt accepts get no error finding, except the silently broken ones listed in corpus-expectations.json', () => {
    const mismatches: string[] = [];
    for (const f of corpus.filter((c) => c.verdict === 'accepted')) {
      const got = errorCodes(results.get(f.name)!.diagnostics);
      const want = expectations.files[f.name]?.codes.slice().sort() ?? [];
      if (got.join() !== want.join()) {
        const detail = results
          .get(f.name)!
          .diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)
          .map((d) => `\n    ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}: ${d.message}`)
          .join('');
        mismatches.push(`${f.name}: expected errors [${want.join(', ')}], got [${got.join(', ')}]${detail}`);
      }
    }
    for (const [name, e] of Object.entries(expectations.files)) {
      const f = corpus.find((c) => c.name === name);
      if (f?.verdict !== 'accepted')
        mismatches.push(
          `${name}: listed in corpus-expectations.json but ${f ? `libvirt ${f.verdict}s it` : 'not in the corpus'}`,
        );
      if (!e.reason?.trim() || !e.codes?.length) mismatches.push(`${name}: an expectation needs codes and a reason`);
    }
    assert.deepEqual(mismatches, []);
  });

  /** libvirt messages that one of our rules decides, and the codes that rule reports. */
  const RULE_MESSAGES: { pattern: RegExp; codes: RegExp; label: string }[] = [
    { label: 'teaming', pattern: /teaming/i, codes: /^teaming-/ },
    { label: 'non unique alias', pattern: /non unique alias/i, codes: /^alias-duplicate$/ },
    { label: 'multicast mac', pattern: /unicast mac|multicast/i, codes: /^mac-multicast$/ },
    { label: 'unparsable mac', pattern: /unable to parse mac/i, codes: /^mac-invalid$/ },
  ];

  /** Rejected variants of the corpus's teaming domains: one edit each, libvirt's verdict asked below. */
  const VARIANTS: { name: string; from: string; edit: [string | RegExp, string] }[] = [
    { name: 'transient without persistent=', from: 'net-virtio-teaming.xml', edit: [" persistent='ua-backup0'", ''] },
    {
      name: 'persistent with persistent=',
      from: 'net-virtio-teaming.xml',
      edit: ["<teaming type='persistent'/>", "<teaming type='persistent' persistent='ua-backup1'/>"],
    },
    {
      name: 'unknown teaming type',
      from: 'net-virtio-teaming.xml',
      edit: ["<teaming type='persistent'/>", "<teaming type='bogus'/>"],
    },
    {
      name: 'duplicate alias',
      from: 'net-virtio-teaming.xml',
      edit: ["<alias name='ua-backup1'/>", "<alias name='ua-backup0'/>"],
    },
    { name: 'multicast MAC on a pair', from: 'net-virtio-teaming.xml', edit: [/66:44:33:22:11:00/g, '67:44:33:22:11:00'] },
    { name: 'five-octet MAC on a pair', from: 'net-virtio-teaming.xml', edit: [/00:11:22:33:44:55/g, '00:11:22:33:44'] },
    {
      name: 'persistent teaming on a <hostdev>',
      from: 'net-virtio-teaming-hostdev.xml',
      edit: ["<teaming type='transient' persistent='ua-backup0'/>", "<teaming type='persistent'/>"],
    },
    {
      name: '<hostdev> transient without persistent=',
      from: 'net-virtio-teaming-hostdev.xml',
      edit: [" persistent='ua-backup0'", ''],
    },
  ];

  function virshDefine(text: string): { ok: boolean; message: string } {
    // node's child stdin is a socket, which virsh cannot open as /dev/stdin: a file it is
    const dir = mkdtempSync(join(tmpdir(), 'migratable-corpus-'));
    writeFileSync(join(dir, 'domain.xml'), text);
    const r = spawnSync('virsh', ['-q', '-c', 'test:///default', 'define', join(dir, 'domain.xml')], { encoding: 'utf8' });
    rmSync(dir, { recursive: true });
    assert.ok(
      !r.error,
      `virsh is needed as the judge (bash scripts/system-deps.sh installs libvirt-clients): ${r.error?.message}`,
    );
    const message = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('error:') && !l.includes('Failed to define'))
      .join(' ')
      .replace(/^error: /, '');
    return { ok: r.status === 0, message };
  }

  test('rejected files and libvirt-rejected variants whose message one of our rules decides are flagged by that rule', (t) => {
    const rejected = corpus.filter((f) => f.verdict === 'rejected');
    const flagged = rejected.filter((f) => errorCodes(results.get(f.name)!.diagnostics).length > 0);
    t.diagnostic(
      `files checked: ${corpus.length}; accepted ${count('accepted')}, rejected ${rejected.length}, ` +
        `unjudged (no .args, no .err) ${count('unjudged')}; rejected files we flag with an error: ${flagged.length}` +
        (flagged.length ? ` (${flagged.map((f) => f.name).join(', ')})` : ''),
    );

    const cases = rejected.map((f) => ({ source: 'corpus', name: f.name, text: f.text, message: f.errors.join(' | ') }));
    for (const v of VARIANTS) {
      const base = corpus.find((f) => f.name === v.from);
      assert.ok(base, `${v.from} is not in the corpus`);
      const text = base.text.replace(v.edit[0], v.edit[1]);
      assert.notEqual(text, base.text, `${v.name}: the edit changed nothing`);
      const verdict = virshDefine(text);
      assert.ok(!verdict.ok, `${v.name}: libvirt accepts it, so it is not a rejected case`);
      cases.push({ source: 'variant', name: `${v.from}: ${v.name}`, text, message: verdict.message });
    }
    assert.ok(
      virshDefine(corpus.find((f) => f.name === 'net-virtio-teaming.xml')!.text).ok,
      'libvirt rejects the unedited teaming domain',
    );

    const rows = ['| libvirt message | corpus .err files | flagged | rejected variants | flagged |', '|---|---|---|---|---|'];
    const missed: string[] = [];
    for (const rule of RULE_MESSAGES) {
      const tally = { corpus: [0, 0], variant: [0, 0] };
      for (const c of cases.filter((k) => rule.pattern.test(k.message))) {
        const hit = errorCodes(
          c.source === 'corpus' ? results.get(c.name)!.diagnostics : check('variant.xml', c.text).diagnostics,
        ).some((code) => rule.codes.test(code));
        tally[c.source as 'corpus' | 'variant'][0]++;
        if (hit) tally[c.source as 'corpus' | 'variant'][1]++;
        else missed.push(`${c.name}: libvirt says "${c.message}", we report no ${rule.codes.source} error`);
      }
      rows.push(`| ${rule.label} | ${tally.corpus[0]} | ${tally.corpus[1]} | ${tally.variant[0]} | ${tally.variant[1]} |`);
    }
    for (const row of rows) t.diagnostic(row);
    assert.deepEqual(missed, []);
    const uncovered = cases.filter((c) => c.source === 'variant' && !RULE_MESSAGES.some((r) => r.pattern.test(c.message)));
    assert.deepEqual(
      uncovered.map((c) => `${c.name}: ${c.message}`),
      [],
      'a variant whose message no rule decides tests nothing',
    );
  });
});
