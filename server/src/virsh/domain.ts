import { parseDomainUsage, type DomainListEntry } from '../host';
import { VirshError } from './errors';
import type { CallOptions, VirshHost } from './host';
import { execVirsh, runVirsh, type RunOptions } from './run';
import { isScriptSafe } from './script';

/**
 * Operations on one domain of a host, for the host view and the migration: each names the domain by UUID (virsh
 * looks a name up as a domain ID first), runs read-write where libvirt requires it, and has a deadline.
 */

export interface DomainDefinition extends DomainListEntry {
  /** The inactive definition (`dumpxml --inactive`; never `--security-info`); the live XML of a transient domain. */
  xml?: string;
  /** Why the XML could not be read. */
  error?: string;
}

/** Every domain of a host with its definition: one virsh process for the list, one for all the XML. */
export async function definitions(host: VirshHost, o: CallOptions = {}): Promise<DomainDefinition[]> {
  const list = await host.domains(o);
  const safe = list.filter((d) => d.uuid && isScriptSafe(d.uuid));
  const out: DomainDefinition[] = list.map((d) => ({ ...d }));
  if (!safe.length) return out;
  const xmls = await host.readMany(
    safe.map((d) => ['dumpxml', ...(d.persistent === false ? [] : ['--inactive']), d.uuid!]),
    o,
    'read definitions',
  );
  safe.forEach((d, i) => {
    const target = out.find((x) => x.uuid === d.uuid)!;
    const p = xmls[i];
    if (p.ok) target.xml = p.stdout;
    else target.error = p.error;
  });
  return out;
}

/** The UUID of a domain named exactly `name` (not an ID, not a UUID that happens to match). */
export async function uuidOf(host: VirshHost, name: string, o: CallOptions = {}): Promise<string> {
  const entry = (await host.domains(o)).find((d) => d.name === name);
  if (!entry?.uuid) throw new VirshError('not-found', `${host.displayUri}: no domain named '${name}'`);
  return entry.uuid;
}

function rw(host: VirshHost, o: CallOptions, timeoutMs = host.defaults.timeoutMs): RunOptions {
  return { timeoutMs: o.timeoutMs ?? timeoutMs, readonly: false, ...(o.signal ? { signal: o.signal } : {}) };
}

/** `virsh domstate`: `running`, `paused`, `shut off`, … (with the reason when libvirt gives one). */
export async function domainState(
  host: VirshHost,
  uuid: string,
  o: CallOptions = {},
): Promise<{ state: string; reason?: string }> {
  const r = await runVirsh(host.target, ['domstate', '--reason', '--', uuid], { ...rw(host, o), readonly: true });
  const m = /^(.*?)(?: \((.*)\))?$/.exec(r.stdout.trim())!;
  return m[2] ? { state: m[1], reason: m[2] } : { state: m[1] };
}

/** Whether the host has a domain with this UUID (running or defined). */
export async function hasDomain(host: VirshHost, uuid: string, o: CallOptions = {}): Promise<boolean> {
  const r = await execVirsh(host.target, ['domuuid', '--', uuid], { ...rw(host, o), readonly: true });
  return r.exitCode === 0;
}

/**
 * A QMP command through libvirt's monitor passthrough (`virsh qemu-monitor-command`, read-write only): the parsed
 * `return` value. libvirt taints the domain for it (`custom-monitor`), which is harmless and what the facts doc uses.
 */
export async function qmp(
  host: VirshHost,
  uuid: string,
  command: { execute: string; arguments?: object },
  o: CallOptions = {},
): Promise<unknown> {
  const r = await runVirsh(host.target, ['qemu-monitor-command', '--', uuid, JSON.stringify(command)], rw(host, o));
  let parsed: { return?: unknown; error?: { desc?: string } };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new VirshError('failed', `${host.displayUri}: ${command.execute}: QEMU's answer is not JSON`);
  }
  if (parsed.error)
    throw new VirshError('failed', `${host.displayUri}: ${command.execute}: ${parsed.error.desc ?? 'QEMU refused it'}`);
  return parsed.return;
}

/** `virsh domjobabort`: asks libvirt to cancel the domain's current job (returns at once; QEMU may take longer). */
export async function abortJob(host: VirshHost, uuid: string, o: CallOptions = {}): Promise<void> {
  await runVirsh(host.target, ['domjobabort', '--', uuid], rw(host, o));
}

/** `virsh domjobinfo` as key → value lines (`Data processed: 12.3 MiB`). Empty when no job runs. */
export async function jobInfo(host: VirshHost, uuid: string, o: CallOptions = {}): Promise<Map<string, string>> {
  const r = await runVirsh(host.target, ['domjobinfo', '--', uuid], { ...rw(host, o), readonly: true });
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

/** `virsh attach-device --live`: plugs a device (XML on stdin) into a running domain. */
export async function attachDevice(host: VirshHost, uuid: string, xml: string, o: CallOptions = {}): Promise<void> {
  await runVirsh(host.target, ['attach-device', '--live', '--', uuid, '/dev/stdin'], { ...rw(host, o), input: xml });
}

/**
 * `virsh hypervisor-cpu-compare` of a domain's CPU against what the host's hypervisor can provide: libvirt's own
 * words (`CPU described in … is identical to / a superset of / incompatible with …`).
 */
export async function cpuCompare(
  host: VirshHost,
  domainXml: string,
  opts: { virttype?: string; arch?: string; machine?: string },
  o: CallOptions = {},
): Promise<{ compatible: boolean; message: string }> {
  const args = ['hypervisor-cpu-compare'];
  for (const k of ['virttype', 'arch', 'machine'] as const) if (opts[k]) args.push(`--${k}`, opts[k]!);
  args.push('--', '/dev/stdin');
  // read-write: libvirt refuses virConnectCompareHypervisorCPU on a read-only connection
  const r = await execVirsh(host.target, args, { ...rw(host, o), input: domainXml });
  const said = (r.stdout + r.stderr)
    .replace(/\s+/g, ' ')
    .replace(/^error: /, '')
    .trim();
  return { compatible: r.exitCode === 0 && !/incompatible/.test(said), message: said };
}

/** The domain's live XML name check (`<name>`), for a UUID read by dumpxml. */
export function nameOf(xml: string): string | undefined {
  return parseDomainUsage(xml).value?.name;
}
