import { pathToFileURL } from 'url';
import { bridgeNameProblem, fixText, networkNameProblem, type FixedText, type FixSettings } from '../service';
import { parseArguments } from './args';
import { displayName, parseArgs, readInput, UsageError, type Command, type Io } from './io';
import { writeAtomically, writeError } from './write';

const USAGE = `usage: migratable fix [--write] [--diff] [--standby-network NAME | --standby-bridge NAME] FILE...

Applies every safe fix ("Make Domain Migratable"): virtio failover partners for VFs, matching MACs, aliases
libvirt keeps, virtio models. Prints the fixed XML (FILE '-' reads standard input), or with --diff a unified diff.
  --write                 write the fixed files in place (nothing is written without it)
  --diff                  print a unified diff instead of the fixed XML
  --standby-network NAME  network of an added virtio standby (default: default)
  --standby-bridge NAME   add standbys as <interface type='bridge'> on this bridge instead
A file must be UTF-8, as libvirt reads it (other bytes are refused, never replaced); --write replaces it only
once the whole fixed file is written (a temporary file renamed over it, keeping its mode).
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

function parseFixArgs(args: string[]): FixOptions {
  const { values, positionals } = parseArguments(args, {
    write: { type: 'boolean' },
    diff: { type: 'boolean' },
    'standby-network': { type: 'string' },
    'standby-bridge': { type: 'string' },
  });
  const settings: FixSettings = {};
  const network = values['standby-network'];
  const bridge = values['standby-bridge'];
  // the names go into the XML: refused here, as libvirt would refuse them there
  const networkProblem = network !== undefined ? networkNameProblem(network) : undefined;
  if (networkProblem) throw new UsageError(`--standby-network: ${networkProblem}`);
  const bridgeProblem = bridge !== undefined ? bridgeNameProblem(bridge) : undefined;
  if (bridgeProblem) throw new UsageError(`--standby-bridge: ${bridgeProblem}`);
  if (network !== undefined) settings.standbyNetwork = network;
  if (bridge !== undefined) settings.standbyBridge = bridge;
  const opts: FixOptions = { write: !!values.write, diff: !!values.diff, settings, files: positionals };
  if (opts.files.length === 0) throw new UsageError('no FILE given');
  if (opts.write && opts.files.includes('-')) throw new UsageError("--write cannot write standard input ('-')");
  return opts;
}

/** What `fix` does to one file's text (the service's fixText, named as the user named the file). */
function fixFile(file: string, text: string, settings: FixSettings): FixedText {
  const uri = file === '-' ? 'untitled:stdin' : pathToFileURL(file).href;
  return fixText(uri, displayName(file), text, settings);
}

export const fix: Command = {
  name: 'fix',
  summary: 'apply every safe fix (make domains migratable)',
  usage: USAGE,
  run,
};

async function run(rest: string[], io: Io): Promise<number> {
  const opts = parseArgs(() => parseFixArgs(rest), USAGE, io);
  if (!opts) return 2;
  let status = 0;
  for (const file of opts.files) {
    const name = displayName(file);
    const read = readInput(file, io);
    const { text } = read instanceof Promise ? await read : read;
    if (text === undefined) {
      status = 2;
      continue;
    }
    const r = fixFile(file, text, opts.settings);
    if (r.skipped) io.stderr(`migratable: ${name}: ${r.skipped}, skipped\n`);
    for (const s of r.summary) io.stderr(`${name}: fixed: ${s}\n`);
    for (const s of r.remaining) io.stderr(`${name}: not fixed: ${s}\n`);
    if (opts.diff) io.stdout(r.diff);
    else if (!opts.write) io.stdout(r.fixed);
    if (opts.write && r.fixed !== text) {
      try {
        writeAtomically(file, Buffer.from(r.fixed, 'utf8'));
      } catch (e) {
        io.stderr(`migratable: cannot write ${file}: ${writeError(e)}; ${file} is unchanged\n`);
        status = 2;
        continue;
      }
    }
    if (r.remaining.length && status === 0) status = 1;
  }
  return status;
}
