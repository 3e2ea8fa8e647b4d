import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gatherPreflight, type PreflightSubject } from '../migrate';
import type { PreflightCheck } from '../protocol/hosts';
import { parseArguments } from './args';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectionOf, hostFailure } from './connect';
import { destOf, endpointOf } from './endpoint';
import { parseArgs, readInput, UsageError, type Command, type Io } from './io';

const USAGE = `usage: migratable preflight FILE --dest URI [--profile P] [--format text|json]
       migratable preflight --connect SRC DOMAIN --dest URI [--profile P] [--format text|json]

Checks a destination before a live migration, each check with its evidence: no migration blocker; the destination
XML (rewritten by the profile P) is complete and keeps the guest ABI; networks, bridges and storage exist there;
a free VF for each VF; the destination's QEMU offers the machine type; the CPU is compatible; for a running domain,
that the guest negotiated failover.
  --dest URI          the destination host's libvirt URI
  --profile P         the destination profile (JSON) that rewrites host-specific values
  --format F          text (default) or json: [{ "check", "ok", "detail", "advisory"? }]
${CONNECT_USAGE}Exit status: 0 every check passes (advice aside), 1 a check fails, 2 usage, unreadable file or host error.
`;

export const preflight: Command = {
  name: 'preflight',
  summary: 'check a destination host before a live migration',
  usage: USAGE,
  run,
};

function parsePreflightArgs(args: string[]) {
  const { values, positionals } = parseArguments(args, {
    ...CONNECT_OPTIONS,
    dest: { type: 'string' },
    profile: { type: 'string' },
    format: { type: 'string' },
  });
  const dest = destOf(values);
  if (!dest) throw new UsageError('no destination given: --dest URI');
  if (positionals.length !== 1) throw new UsageError(values.connect ? 'one DOMAIN to check' : 'one FILE to check');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}': use text or json`);
  return { source: connectionOf(values), arg: positionals[0], dest, profile: values.profile, format };
}

async function run(args: string[], io: Io): Promise<number> {
  const opts = parseArgs(() => parsePreflightArgs(args), USAGE, io);
  if (!opts) return 2;
  let profileText: string | undefined;
  if (opts.profile !== undefined) {
    profileText = (await readInput(opts.profile, io)).text;
    if (profileText === undefined) return 2;
  }
  let subject: PreflightSubject;
  if (opts.source) subject = { on: endpointOf(opts.source), domain: opts.arg };
  else {
    const text = (await readInput(opts.arg, io)).text;
    if (text === undefined) return 2;
    subject = { text, uri: opts.arg === '-' ? 'untitled:stdin' : pathToFileURL(resolve(opts.arg)).href };
  }
  let checks: PreflightCheck[];
  try {
    checks = (await gatherPreflight(subject, endpointOf(opts.dest), profileText, io.signal ? { signal: io.signal } : {})).checks;
  } catch (e) {
    io.stderr(`migratable: ${hostFailure(e)}\n`);
    return 2;
  }
  if (opts.format === 'json') io.stdout(JSON.stringify(checks, null, 2) + '\n');
  else {
    for (const c of checks) io.stdout(`${c.ok ? '✓' : c.advisory ? '!' : '✗'} ${c.check}: ${c.detail}\n`);
    const failed = checks.filter((c) => !c.ok && !c.advisory).length;
    io.stdout(failed ? `${failed} of ${checks.length} checks failed\n` : `all ${checks.length} checks pass\n`);
  }
  return checks.some((c) => !c.ok && !c.advisory) ? 1 : 0;
}
