import { resolve } from 'path';
import { pathToFileURL } from 'url';
import { destinationXml, parseText, type RewriteProblem } from '../service';
import { parseArguments } from './args';
import { displayName, parseArgs, readInput, UsageError, type Command, type Io } from './io';
import { sameFile, writeAtomically, writeError } from './write';

const USAGE = `usage: migratable rewrite FILE --dest PROFILE.json [-o OUT]

Writes the destination XML of a domain for 'virsh migrate --xml': the host-specific values that the destination
profile maps (VF host PCI addresses, networks, bridges, disk paths, listen addresses, pinning, ...) rewritten,
every other byte kept, and checked for ABI stability. FILE '-' reads standard input.
  --dest PROFILE.json   the destination host's profile (schemas/destination-profile.schema.json)
  -o, --output OUT      write the destination XML to OUT instead of standard output (never FILE or the
                        profile, not even through a link; OUT is replaced only once it is written whole)
Problems go to standard error.
Exit status: 0 ready; 1 the rewrite is incomplete, the profile has errors, or the result breaks the guest ABI;
2 usage error, unreadable file, a profile that is not a JSON object, or FILE is not a libvirt domain.
`;

interface RewriteOptions {
  file: string;
  dest: string;
  output: string | undefined;
}

function parseRewriteArgs(args: string[]): RewriteOptions {
  const { values, positionals } = parseArguments(args, {
    dest: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  if (positionals.length > 1) throw new UsageError(`one FILE at a time ('${positionals[0]}' and '${positionals[1]}' given)`);
  const [file] = positionals;
  const { dest, output } = values;
  if (file === undefined) throw new UsageError('no FILE given');
  if (dest === undefined) throw new UsageError('no destination profile given: --dest PROFILE.json');
  if (output !== undefined && file !== '-' && resolve(output) === resolve(file))
    throw new UsageError('-o must not overwrite the source FILE');
  return { file, dest, output };
}

/** `FILE:LINE:COL` (1-based) of an offset. */
function place(name: string, text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${name}:${line}:${offset - before.lastIndexOf('\n')}`;
}

function format(p: RewriteProblem, file: string, source: string, profilePath: string, profile: string): string {
  const where = p.profileSpan
    ? place(profilePath, profile, p.profileSpan.start)
    : p.start !== undefined
      ? place(file, source, p.start)
      : file;
  return `${where}: ${p.severity} ${p.code}: ${p.message}\n`;
}

export const rewrite: Command = {
  name: 'rewrite',
  summary: 'write the destination XML for virsh migrate --xml',
  usage: USAGE,
  run,
};

async function run(args: string[], io: Io): Promise<number> {
  const opts = parseArgs(() => parseRewriteArgs(args), USAGE, io);
  if (!opts) return 2;
  const { output } = opts;
  // -o naming the source or the profile through a symbolic or hard link would overwrite what is being read
  for (const [input, what] of [
    [opts.file, 'the source FILE'],
    [opts.dest, 'the profile'],
  ]) {
    if (output !== undefined && input !== '-' && sameFile(output, input)) {
      io.stderr(`migratable: -o must not overwrite ${what}: ${output} is ${input}\n${USAGE}`);
      return 2;
    }
  }
  const { text: source } = await readInput(opts.file, io);
  const { text: profile } = await readInput(opts.dest, io);
  if (source === undefined || profile === undefined) return 2;
  const name = displayName(opts.file);
  const r = destinationXml(
    parseText(source, opts.file === '-' ? 'untitled:stdin' : pathToFileURL(resolve(opts.file)).href),
    profile,
  );
  for (const p of r.problems) io.stderr(format(p, name, source, opts.dest, profile));
  if (!r.profile || r.problems.some((p) => p.code === 'rewrite-not-domain')) return 2;
  if (output === undefined) {
    io.stdout(r.text);
  } else {
    try {
      writeAtomically(output, Buffer.from(r.text, 'utf8'));
    } catch (e) {
      io.stderr(`migratable: cannot write ${output}: ${writeError(e)}\n`);
      return 2;
    }
  }
  return r.ok ? 0 : 1;
}
