import { writeFileSync } from 'fs';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toOffsetEdits } from '../edits/textEdits';
import { unifiedDiff } from '../edits/unifiedDiff';
import { fixAll, type FixSettings } from '../fixes';
import { parse } from '../service';
import { displayName, parseArgs, readInput, UsageError, type Command, type Io } from './io';

const USAGE = `usage: migratable fix [--write] [--diff] [--standby-network NAME | --standby-bridge NAME] FILE...

Applies every safe fix ("Make Domain Migratable"): virtio failover partners for VFs, matching MACs, aliases
libvirt keeps, virtio models. Prints the fixed XML (FILE '-' reads standard input), or with --diff a unified diff.
  --write                 write the fixed files in place (nothing is written without it)
  --diff                  print a unified diff instead of the fixed XML
  --standby-network NAME  network of an added virtio standby (default: default)
  --standby-bridge NAME   add standbys as <interface type='bridge'> on this bridge instead
What was changed, and what still blocks migration (errors, migration-* and teaming-not-pcie warnings), goes to
standard error. Exit status: 0 nothing blocks migration any more, 1 something still does, 2 usage error or
unreadable file.
`;

export interface FixOptions {
  write: boolean;
  diff: boolean;
  settings: FixSettings;
  files: string[];
}

export function parseFixArgs(args: string[]): FixOptions {
  const opts: FixOptions = { write: false, diff: false, settings: {}, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--write') opts.write = true;
    else if (a === '--diff') opts.diff = true;
    else if (flag === '--standby-network') opts.settings.standbyNetwork = value();
    else if (flag === '--standby-bridge') opts.settings.standbyBridge = value();
    else if (a === '--') { opts.files.push(...args.slice(i + 1)); break; }
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
    else opts.files.push(a);
  }
  if (opts.files.length === 0) throw new UsageError('no FILE given');
  if (opts.write && opts.files.includes('-')) throw new UsageError("--write cannot write standard input ('-')");
  return opts;
}

export interface FixedFile {
  text: string;
  fixed: string;
  diff: string;
  summary: string[];
  remaining: string[];
  skipped: string | undefined;
}

export function fixText(file: string, text: string, settings: FixSettings): FixedFile {
  const uri = file === '-' ? 'untitled:stdin' : pathToFileURL(file).href;
  const document = TextDocument.create(uri, 'xml', 1, text);
  const parsed = parse(document);
  if (!parsed.model) {
    const root = parsed.xml.root?.name;
    return { text, fixed: text, diff: '', summary: [], remaining: [], skipped: root ? `not a libvirt domain: the root element is <${root}>` : 'not a libvirt domain: no root element' };
  }
  const result = fixAll(document, parsed, settings);
  const edits = toOffsetEdits(document, result.edits);
  const name = displayName(file);
  const fixed = TextDocument.applyEdits(document, result.edits);
  return { text, fixed, diff: unifiedDiff(text, edits, name, name), summary: result.summary, remaining: result.remaining, skipped: undefined };
}

export const fix: Command = {
  name: 'fix',
  summary: 'apply every safe fix (make domains migratable)',
  usage: USAGE,
  run,
};

function run(rest: string[], io: Io): number {
  const opts = parseArgs(() => parseFixArgs(rest), USAGE, io);
  if (!opts) return 2;
  let status = 0;
  for (const file of opts.files) {
    const name = displayName(file);
    const { text } = readInput(file, io);
    if (text === undefined) {
      status = 2;
      continue;
    }
    const r = fixText(file, text, opts.settings);
    if (r.skipped) io.stderr(`migratable: ${name}: ${r.skipped}, skipped\n`);
    for (const s of r.summary) io.stderr(`${name}: fixed: ${s}\n`);
    for (const s of r.remaining) io.stderr(`${name}: not fixed: ${s}\n`);
    if (opts.diff) io.stdout(r.diff);
    else if (!opts.write) io.stdout(r.fixed);
    if (opts.write && r.fixed !== text) {
      try {
        writeFileSync(file, r.fixed, 'utf8');
      } catch (e) {
        io.stderr(`migratable: cannot write ${file}: ${(e as Error).message}\n`);
        status = 2;
        continue;
      }
    }
    if (r.remaining.length && status === 0) status = 1;
  }
  return status;
}
