import { migrate as runMigration } from '../migrate';
import type { MigrationEvent } from '../protocol/hosts';
import { parseArguments } from './args';
import { CONNECT_OPTIONS, CONNECT_USAGE, connectionOf, hostFailure } from './connect';
import { destOf, endpointOf } from './endpoint';
import { parseArgs, readInput, UsageError, type Command, type Io } from './io';

const USAGE = `usage: migratable migrate DOMAIN --connect SRC --dest DST [--profile P | --xml FILE] [--migrate-uri URI]
                        [--unplug-timeout SEC] [--format text|json]

Live-migrates a domain: the preflight checks first (nothing starts when one fails), then
'virsh migrate --live --persistent --undefinesource --verbose' with the destination XML (the live XML rewritten
by the profile P, or FILE as given), watched: when the guest does not release its VF (QEMU's wait-unplug) within
SEC seconds (default 30) the migration is aborted; afterwards the destination is verified (the domain runs there,
its VFs are plugged again with the pair's MAC, the source no longer has it). Ctrl-C aborts the migration job (QEMU
may take about 30 s) and reports where the domain runs; it never kills virsh mid-migration.
  --connect SRC       the host the domain runs on
  --dest DST          the destination host
  --profile P         a destination profile that rewrites host-specific values (VF addresses, networks, …)
  --xml FILE          the destination XML as is (checked against the live XML for ABI stability)
  --migrate-uri URI   passed to virsh migrate --migrateuri (e.g. tcp://127.0.0.1 for two daemons on one host)
  --unplug-timeout S  seconds to wait for the guest to release its VF (default 30, as KubeVirt)
  --format F          text (default; progress on standard error) or json (one event per line on standard output)
${CONNECT_USAGE}Exit status: 0 running on the destination with its VFs; 1 failed or aborted (the message says where the domain
runs); 3 stopped on a stuck VF unplug after the timeout (still on the source); 2 usage or connection error.
`;

export const migrate: Command = {
  name: 'migrate',
  summary: 'live-migrate a domain, checked before and verified after',
  usage: USAGE,
  run,
};

function parseMigrateArgs(args: string[]) {
  const { values, positionals } = parseArguments(args, {
    ...CONNECT_OPTIONS,
    dest: { type: 'string' },
    profile: { type: 'string' },
    xml: { type: 'string' },
    'migrate-uri': { type: 'string' },
    'unplug-timeout': { type: 'string' },
    format: { type: 'string' },
  });
  const source = connectionOf(values);
  if (!source) throw new UsageError('no source host given: --connect SRC');
  const dest = destOf(values);
  if (!dest) throw new UsageError('no destination given: --dest DST');
  if (positionals.length !== 1) throw new UsageError('one DOMAIN to migrate');
  if (values.profile !== undefined && values.xml !== undefined) throw new UsageError('--profile and --xml exclude each other');
  const timeout = values['unplug-timeout'] ?? '30';
  if (!/^\d+(\.\d+)?$/.test(timeout) || Number(timeout) <= 0)
    throw new UsageError(`--unplug-timeout needs a number of seconds, not '${timeout}'`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}': use text or json`);
  return {
    source,
    dest,
    domain: positionals[0],
    profile: values.profile,
    xml: values.xml,
    migrateUri: values['migrate-uri'],
    unplugTimeoutMs: Number(timeout) * 1000,
    format,
  };
}

async function run(args: string[], io: Io): Promise<number> {
  const opts = parseArgs(() => parseMigrateArgs(args), USAGE, io);
  if (!opts) return 2;
  const read = async (file: string | undefined) => (file === undefined ? undefined : ((await readInput(file, io)).text ?? null));
  const profileText = await read(opts.profile);
  const xmlText = await read(opts.xml);
  if (profileText === null || xmlText === null) return 2;
  const started = Date.now();
  const emit = (event: MigrationEvent) => {
    if (opts.format === 'json') io.stdout(JSON.stringify({ ...event, at: new Date().toISOString() }) + '\n');
    else io.stderr(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${describe(event)}\n`);
  };
  try {
    const r = await runMigration({
      source: endpointOf(opts.source),
      dest: endpointOf(opts.dest),
      domain: opts.domain,
      ...(profileText !== undefined ? { profileText } : {}),
      ...(xmlText !== undefined ? { xmlText } : {}),
      ...(opts.migrateUri ? { migrateUri: opts.migrateUri } : {}),
      unplugTimeoutMs: opts.unplugTimeoutMs,
      emit,
      // nobody to ask on a command line: the timeout is the answer
      decide: async () => 'abort',
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (opts.format === 'text') io.stdout(r.message + '\n');
    if (r.afterAbort?.plugged.length) {
      io.stderr(
        `note: the guest's eject request for ${r.afterAbort.plugged.join(', ')} stays pending: if the guest processes it later (a paused guest resumed), ` +
          `the VF disappears and nothing plugs it back (virsh attach-device --live)\n`,
      );
    }
    return r.status;
  } catch (e) {
    const message = hostFailure(e);
    if (opts.format === 'json') io.stdout(JSON.stringify({ event: 'error', message }) + '\n');
    io.stderr(`migratable: ${message}\n`);
    return 2;
  }
}

function describe(e: MigrationEvent): string {
  switch (e.event) {
    case 'phase':
      return `${e.phase}${e.detail ? `: ${e.detail}` : ''}`;
    case 'progress':
      return `migration: ${e.percent} %`;
    case 'wait-unplug':
      return `waiting ${e.seconds} s for the guest to release its VF (QEMU wait-unplug)`;
    case 'log':
      return e.message;
    case 'done':
      return e.detail;
    case 'error':
      return `error: ${e.message}`;
  }
}
