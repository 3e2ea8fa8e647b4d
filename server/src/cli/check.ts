import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { notADomain, parse, validate } from '../service';
import { parseArguments } from './args';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectionOf, type Connection } from './connect';
import { checkHost } from './check-host';
import { displayName, parseArgs, readInput, UsageError, type Command, type Io } from './io';
import { counts, formatJson, formatSarif, formatText, type FileResult } from './report';
import { version } from './version';

const USAGE = `usage: migratable check [--format text|json|sarif] [--max-warnings N] [--rule CODE=SEVERITY]... FILE...
       migratable check --connect URI [--virsh PATH] [options] [DOMAIN...]

Checks libvirt domain XML for live migration with SR-IOV teaming. FILE '-' reads standard input.
With --connect, checks the definitions of the domains on that host (all of them without DOMAIN), judged for
that host (its libvirt and QEMU versions, each VF's driver).
  --format F          text (default), json, or sarif (SARIF 2.1.0)
  --max-warnings N    exit 1 when there are more than N warnings (default: unlimited)
  --rule CODE=SEV     set a rule's severity: error, warning, information, hint or off
${CONNECT_USAGE}Exit status: 0 no error, 1 errors (or too many warnings), 2 usage error, unreadable file or host error.
`;

export interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  maxWarnings: number;
  rules: Record<string, string>;
  /** Files; with `connection`, domain names. */
  files: string[];
  connection?: Connection;
}

function parseCheckArgs(args: string[]): CheckOptions {
  const { values, positionals } = parseArguments(args, {
    format: { type: 'string' },
    'max-warnings': { type: 'string' },
    rule: { type: 'string', multiple: true },
    ...CONNECT_OPTIONS,
  });
  const opts: CheckOptions = { format: 'text', maxWarnings: Infinity, rules: {}, files: positionals };
  if (values.format !== undefined) {
    const f = values.format;
    if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}': use text, json or sarif`);
    opts.format = f;
  }
  if (values['max-warnings'] !== undefined) {
    const v = values['max-warnings'];
    if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, not '${v}'`);
    opts.maxWarnings = Number(v);
  }
  for (const r of values.rule ?? []) {
    const m = /^([a-z0-9-]+)=(error|warning|information|hint|off)$/.exec(r);
    if (!m) throw new UsageError('--rule takes CODE=SEVERITY, SEVERITY one of error, warning, information, hint, off');
    opts.rules[m[1]] = m[2];
  }
  const connection = connectionOf(values);
  if (connection) opts.connection = connection;
  else if (opts.files.length === 0) throw new UsageError('no FILE given');
  return opts;
}

function checkText(file: string, text: string, rules: Record<string, string>): FileResult {
  const uri = file === '-' ? 'untitled:stdin' : pathToFileURL(file).href;
  const document = TextDocument.create(uri, 'xml', 1, text);
  const parsed = parse(document);
  if (!parsed.model) return { file, diagnostics: [], skipped: notADomain(parsed) };
  return { file, diagnostics: validate(document, parsed, { rules }) };
}

export const check: Command = {
  name: 'check',
  summary: 'report problems in domain XML files',
  usage: USAGE,
  run,
};

async function run(rest: string[], io: Io): Promise<number> {
  const opts = parseArgs(() => parseCheckArgs(rest), USAGE, io);
  if (!opts) return 2;
  let unreadable = false;
  const results: FileResult[] = [];
  if (opts.connection) {
    const r = await checkHost(opts.connection, opts.files, opts.rules, io);
    if (!r) return 2;
    results.push(...r.results);
    unreadable = r.unreadable;
  }
  for (const file of opts.connection ? [] : opts.files) {
    const read = readInput(file, io);
    const { text, error } = read instanceof Promise ? await read : read;
    if (text === undefined) {
      unreadable = true;
      results.push({ file, diagnostics: [], unreadable: error });
      continue;
    }
    const r = checkText(file, text, opts.rules);
    if (r.skipped && opts.format === 'text') io.stderr(`migratable: ${displayName(file)}: ${r.skipped}, skipped\n`);
    results.push(r);
  }
  const out =
    opts.format === 'json'
      ? formatJson(results)
      : opts.format === 'sarif'
        ? formatSarif(results, version())
        : formatText(results, io.isTty && !process.env.NO_COLOR);
  io.stdout(out);
  if (unreadable) return 2;
  const c = counts(results);
  return c.errors > 0 || c.warnings > opts.maxWarnings ? 1 : 0;
}
