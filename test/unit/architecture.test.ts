import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/paths';

/**
 * The layering of docs/architecture.md, checked on the sources: a folder of server/src imports only folders
 * below it, no file takes part in an import cycle, the client sees only the protocol, and the pure layers do no I/O.
 */
const LAYERS: string[][] = [
  ['protocol', 'util'],
  ['parser'],
  ['model'],
  ['edits', 'host'],
  ['schema'],
  ['rules'],
  ['fixes'],
  ['rewrite'],
  ['service'],
  ['virsh'],
  ['migrate'],
  ['handlers', 'cli'],
  /** The entry points: server.ts, startServer.ts, cli.ts. */
  ['.'],
];
const RANK = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank] as const)));
/** Folders whose code is pure: no files, processes or sockets (architecture habit 1). */
const PURE = new Set(['protocol', 'util', 'parser', 'model', 'edits', 'host', 'schema', 'rules', 'fixes', 'rewrite', 'service']);
/** The one exception: the service reads the vocabulary it ships. */
const IO_EXCEPTIONS = new Set(['server/src/schema/vocabulary.ts']);
const IO_MODULES = new Set(['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'dgram', 'tls', 'worker_threads']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a file imports or re-exports (type-only ones too: a type cycle is still a cycle). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* try the next */
    }
  }
  throw new Error(`${relative(ROOT, from)}: cannot resolve '${spec}'`);
}

const SERVER = join(ROOT, 'server', 'src');
const CLIENT = join(ROOT, 'client', 'src');
const files = [...sources(SERVER), ...sources(CLIENT)];
const graph = new Map(files.map((f) => [f, specifiers(f)]));
const rel = (f: string) => relative(ROOT, f).split('\\').join('/');

/** `model` for server/src/model/pci.ts; `.` for server/src/cli.ts. */
function folderOf(file: string): string {
  const parts = relative(SERVER, file).split(/[\\/]/);
  return parts.length === 1 ? '.' : parts[0];
}

describe('architecture (docs/architecture.md)', () => {
  it('every folder of server/src has a place in the layers', () => {
    const folders = new Set(sources(SERVER).map(folderOf));
    assert.deepEqual(
      [...folders].filter((f) => !RANK.has(f)),
      [],
      'add the folder to LAYERS here and to docs/architecture.md',
    );
  });

  it('a folder of server/src imports only folders below it (and never a sibling of its own layer)', () => {
    const upward: string[] = [];
    for (const [file, specs] of graph) {
      if (!file.startsWith(SERVER)) continue;
      const from = folderOf(file);
      for (const spec of specs) {
        const target = resolveLocal(file, spec);
        if (!target) continue;
        assert.ok(target.startsWith(SERVER), `${rel(file)} imports ${spec}, outside server/src`);
        const to = folderOf(target);
        if (to === from) continue;
        if (RANK.get(to)! >= RANK.get(from)!) upward.push(`${rel(file)} → ${rel(target)} (${from} may not import ${to})`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('no import cycle between files', () => {
    const edges = new Map<string, string[]>();
    for (const [file, specs] of graph)
      edges.set(
        file,
        specs.map((s) => resolveLocal(file, s)).filter((t): t is string => !!t),
      );
    // Tarjan's strongly connected components, iteratively
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    for (const start of edges.keys()) {
      if (idx.has(start)) continue;
      const work: [string, number][] = [[start, 0]];
      idx.set(start, index);
      low.set(start, index);
      index++;
      stack.push(start);
      onStack.add(start);
      while (work.length) {
        const top = work[work.length - 1];
        const [v, i] = top;
        const next = edges.get(v)![i];
        if (next !== undefined) {
          top[1]++;
          if (!idx.has(next)) {
            idx.set(next, index);
            low.set(next, index);
            index++;
            stack.push(next);
            onStack.add(next);
            work.push([next, 0]);
          } else if (onStack.has(next)) low.set(v, Math.min(low.get(v)!, idx.get(next)!));
          continue;
        }
        work.pop();
        if (work.length) {
          const u = work[work.length - 1][0];
          low.set(u, Math.min(low.get(u)!, low.get(v)!));
        }
        if (low.get(v) === idx.get(v)) {
          const scc: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            scc.push(rel(w));
          } while (w !== v);
          if (scc.length > 1 || edges.get(v)!.includes(v)) cycles.push(scc.sort());
        }
      }
    }
    assert.deepEqual(cycles, []);
  });

  it('the client imports nothing of the server but its protocol', () => {
    const leaks: string[] = [];
    for (const [file, specs] of graph) {
      if (!file.startsWith(CLIENT)) continue;
      for (const spec of specs) {
        const target = resolveLocal(file, spec);
        if (target && !target.startsWith(CLIENT) && !target.startsWith(join(SERVER, 'protocol')))
          leaks.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    assert.deepEqual(leaks, []);
  });

  it('the pure layers touch no file, process or socket', () => {
    const io: string[] = [];
    for (const [file, specs] of graph) {
      if (!file.startsWith(SERVER) || !PURE.has(folderOf(file)) || IO_EXCEPTIONS.has(rel(file))) continue;
      for (const spec of specs) {
        const name = spec.replace(/^node:/, '');
        if (builtinModules.includes(name) && IO_MODULES.has(name)) io.push(`${rel(file)} imports ${spec}`);
      }
    }
    assert.deepEqual(io, []);
  });
});

describe("a code's rule, fix, doc and fixtures are found by its name", () => {
  const rulesDir = join(SERVER, 'rules');
  const fixesDir = join(SERVER, 'fixes');
  const codes = readdirSync(rulesDir)
    .filter((f) => /^[a-z]+(-[a-z0-9]+)+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''));
  const fixCodes = readdirSync(fixesDir)
    .map((f) => f.replace(/\.ts$/, ''))
    .filter((c) => codes.includes(c));
  const rulesPage = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
  const fixFixtures = readdirSync(join(ROOT, 'test', 'fixes'));
  /** Codes whose fix has no reviewed fixture, and why. */
  const NO_FIX_FIXTURE: Record<string, string> = {
    'schema-missing-required':
      'the fix adds an empty value for the user to fill: no result libvirt accepts (tested in test/unit/schema.test.ts)',
  };

  it('every rule is server/src/rules/CODE.ts, with a section on the rules page and a fixture folder test/fixtures/CODE/', () => {
    assert.ok(codes.length >= 29, `only ${codes.length} rule files`);
    const missing: string[] = [];
    for (const code of codes) {
      if (!rulesPage.includes(`\n## ${code}\n`)) missing.push(`${code}: no '## ${code}' in docs/rules.md`);
      try {
        statSync(join(ROOT, 'test', 'fixtures', code));
      } catch {
        missing.push(`${code}: no test/fixtures/${code}/`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('every fix is server/src/fixes/CODE.ts of an existing rule, registered, and has a fixture test/fixes/CODE*.xml', () => {
    const registry = readFileSync(join(fixesDir, 'index.ts'), 'utf8');
    const problems: string[] = [];
    for (const code of fixCodes) {
      if (!registry.includes(`['${code}', `)) problems.push(`${code}: not in FIXES (fixes/index.ts)`);
      if (!NO_FIX_FIXTURE[code] && !fixFixtures.some((f) => f.startsWith(code) && f.endsWith('.fixed.xml')))
        problems.push(`${code}: no test/fixes/${code}*.xml`);
    }
    for (const [, code] of registry.matchAll(/\['([a-z0-9-]+)', /g))
      if (!fixCodes.includes(code)) problems.push(`FIXES names ${code}, which has no fixes/${code}.ts`);
    assert.deepEqual(problems, []);
    assert.ok(fixCodes.length >= 17, `only ${fixCodes.length} fix files`);
  });

  it("a rule's or a fix's own file is no library: only its registry imports it", () => {
    const misuse: string[] = [];
    for (const [file, specs] of graph) {
      for (const spec of specs) {
        const target = resolveLocal(file, spec);
        if (!target) continue;
        const name = target.split(/[\\/]/).pop()!.replace(/\.ts$/, '');
        const isCodeFile = codes.includes(name) && (dirname(target) === rulesDir || dirname(target) === fixesDir);
        if (isCodeFile && file !== join(dirname(target), 'index.ts')) misuse.push(`${rel(file)} imports ${rel(target)}`);
      }
    }
    assert.deepEqual(misuse, []);
  });
});
