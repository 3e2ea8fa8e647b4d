import { parseText, profileFromHost } from '../service';
import { parseArguments } from './args';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectionOf, hostFailure, type Connection } from './connect';
import { destOf, endpointOf } from './endpoint';
import { displayName, parseArgs, readInput, UsageError, type Command, type Io } from './io';
import { writeOutput } from './output';
import { sameFile } from './write';

const USAGE = `usage: migratable profile FILE --dest URI [-o OUT]
       migratable profile --connect SRC DOMAIN --dest URI [-o OUT]

Proposes a destination profile (for 'migratable rewrite' and the preview in VS Code) from the destination host's
facts: for each VF the domain uses, a free VF of the same vendor:product there (never one another domain uses or a
hostdev pool hands out), the networks and bridges that exist there, disk folders onto its storage pools, the
graphics listen address. Where no choice is safe it leaves a placeholder and says why on standard error.
With --connect the domain is read from its host, whose facts give each VF's vendor and product (without it, VFs
get placeholders).
  --dest URI          the destination host's libvirt URI
  -o, --output OUT    write the profile to OUT instead of standard output
${CONNECT_USAGE}Exit status: 0 a complete profile; 1 placeholders left to fill in; 2 usage, unreadable file or host error.
`;

interface ProfileOptions {
  file?: string;
  domain?: string;
  source?: Connection;
  dest: Connection;
  output?: string;
}

function parseProfileArgs(args: string[]): ProfileOptions {
  const { values, positionals } = parseArguments(args, {
    ...CONNECT_OPTIONS,
    dest: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  const dest = destOf(values);
  if (!dest) throw new UsageError('no destination given: --dest URI');
  if (positionals.length !== 1)
    throw new UsageError(values.connect ? 'one DOMAIN to propose a profile for' : 'one FILE to propose a profile for');
  const source = connectionOf(values);
  const [arg] = positionals;
  if (values.output !== undefined && !source && arg !== '-' && sameFile(values.output, arg))
    throw new UsageError('-o must not overwrite the source FILE');
  return {
    ...(source ? { source, domain: arg } : { file: arg }),
    dest,
    ...(values.output !== undefined ? { output: values.output } : {}),
  };
}

export const profile: Command = {
  name: 'profile',
  summary: 'propose a destination profile from the destination host',
  usage: USAGE,
  run,
};

async function run(args: string[], io: Io): Promise<number> {
  const opts = parseArgs(() => parseProfileArgs(args), USAGE, io);
  if (!opts) return 2;
  const dest = endpointOf(opts.dest);
  let text: string;
  let source;
  try {
    const destFacts = dest.facts({});
    destFacts.catch(() => undefined);
    if (opts.source) {
      source = endpointOf(opts.source);
      const sourceFacts = source.facts({});
      sourceFacts.catch(() => undefined);
      text = await source.host.domainXml(opts.domain!, { inactive: true });
    } else {
      const read = await readInput(opts.file!, io);
      if (read.text === undefined) return 2;
      text = read.text;
    }
    const parsed = parseText(text);
    if (!parsed.model) {
      io.stderr(`migratable: ${opts.file ? displayName(opts.file) : opts.domain}: not a libvirt domain\n`);
      return 2;
    }
    const r = profileFromHost({
      domain: parsed,
      dest: { name: dest.name, facts: await destFacts },
      destUri: opts.dest.uri,
      ...(source ? { source: { name: source.name, facts: await source.facts({}) } } : {}),
    });
    for (const n of r.notes) io.stderr(`note: ${n}\n`);
    for (const p of r.problems) io.stderr(`to do: ${p}\n`);
    if (!writeOutput(io, opts.output, r.text)) return 2;
    return r.problems.length ? 1 : 0;
  } catch (e) {
    io.stderr(`migratable: ${hostFailure(e)}\n`);
    return 2;
  }
}
