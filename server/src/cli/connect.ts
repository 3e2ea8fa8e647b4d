import { VirshHost, hostLabel, VirshError } from '../virsh';
import type { OptionSpec } from './args';
import { UsageError } from './io';

/** The options of every subcommand that talks to a host, like virsh's own: `-c URI`, `--virsh PATH`, `--timeout SEC`. */
export const CONNECT_OPTIONS = {
  connect: { type: 'string', short: 'c' },
  virsh: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies Record<string, OptionSpec>;

export const CONNECT_USAGE = `  -c, --connect URI   a libvirt connection URI (as virsh -c)
  --virsh PATH        the virsh program (default: virsh from PATH)
  --timeout SEC       deadline of each host call (default 30)
`;

export interface Connection {
  uri: string;
  virsh: string;
  timeoutMs: number;
}

export function connectionOf(
  values: { connect?: string; virsh?: string; timeout?: string },
  uri = values.connect,
): Connection | undefined {
  if (uri === undefined) return undefined;
  const timeout = values.timeout ?? '30';
  if (!/^\d+(\.\d+)?$/.test(timeout) || Number(timeout) <= 0)
    throw new UsageError(`--timeout needs a number of seconds, not '${timeout}'`);
  return { uri, virsh: values.virsh ?? 'virsh', timeoutMs: Math.round(Number(timeout) * 1000) };
}

export function hostOf(c: Connection): VirshHost {
  return new VirshHost({ uri: c.uri, virsh: c.virsh }, { timeoutMs: c.timeoutMs });
}

/** The short name messages use for a host given by URI. */
export const labelOf = (c: Connection) => hostLabel(c.uri);

/** One line for a host failure: libvirt's words, never a stack. */
export function hostFailure(e: unknown): string {
  return e instanceof VirshError ? e.message : `internal error: ${(e as Error).message}`;
}
