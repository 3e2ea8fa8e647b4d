import type { HostContext, HostFacts } from '../host';
import { parseText, preflightChecks, type Parsed, type PreflightOutcome } from '../service';
import { cpuCompare, domainState, runVirsh, uuidOf, type CallOptions, type VirshHost } from '../virsh';
import { pciDeviceIds, primaryAliases } from './qemu';

/** A host as the migration layer sees it: its virsh, its name for messages, and its facts (cached by the caller). */
export interface Endpoint {
  name: string;
  host: VirshHost;
  /** The URI `virsh migrate` connects to (as configured, secrets included: never logged). */
  uri: string;
  facts(o: CallOptions): Promise<HostFacts>;
}

/** The domain a preflight is about: on a host, or a definition given as text (a file; not running anywhere known). */
export type PreflightSubject = { on: Endpoint; domain: string } | { text: string; uri: string; judgedOn?: Endpoint };

export interface Gathered extends PreflightOutcome {
  /** The definition the checks judged (live migratable XML of a running domain). */
  domain: Parsed;
  uuid?: string;
  running: boolean;
}

/**
 * Reads what the checks need, then runs them: the domain's migratable XML and the primaries QEMU shows plugged (for a
 * running domain), both hosts' facts, and `hypervisor-cpu-compare` on the destination.
 */
export async function gatherPreflight(
  subject: PreflightSubject,
  dest: Endpoint,
  profileText: string | undefined,
  o: CallOptions = {},
): Promise<Gathered> {
  let domain: Parsed;
  let source: HostContext | undefined;
  let uuid: string | undefined;
  let running = false;
  let primaries: { alias: string; plugged: boolean }[] | undefined;
  const destFacts = dest.facts(o);
  destFacts.catch(() => undefined);
  if ('on' in subject) {
    const [facts, id] = await Promise.all([subject.on.facts(o), uuidOf(subject.on.host, subject.domain, o)]);
    uuid = id;
    source = { name: subject.on.name, facts };
    const state = await domainState(subject.on.host, uuid, o);
    running = state.state === 'running' || state.state === 'paused';
    const xml = await runVirsh(
      subject.on.host.target,
      ['dumpxml', ...(running ? ['--migratable'] : ['--inactive']), '--', uuid],
      {
        timeoutMs: o.timeoutMs ?? subject.on.host.defaults.timeoutMs,
        // --migratable is what virsh migrate itself would send; libvirt counts it as secure (read-write only), so
        // this XML may hold secrets (graphics passwords): it is parsed and handed to virsh, never logged or returned
        readonly: !running,
        ...(o.signal ? { signal: o.signal } : {}),
      },
    );
    domain = parseText(
      xml.stdout,
      `libvirt-domain://${encodeURIComponent(subject.on.name)}/${encodeURIComponent(subject.domain)}.xml`,
    );
    if (running && domain.model) {
      const plugged = await pciDeviceIds(subject.on.host, uuid, o);
      primaries = primaryAliases(domain.model).map((alias) => ({ alias, plugged: plugged.has(alias) }));
    }
  } else {
    domain = parseText(subject.text, subject.uri);
    if (subject.judgedOn) source = { name: subject.judgedOn.name, facts: await subject.judgedOn.facts(o) };
  }
  const destHost: HostContext = { name: dest.name, facts: await destFacts };
  const type = domain.model?.domain.attributes.find((a) => a.name === 'type')?.value ?? undefined;
  const cpuEl = domain.model?.domain.children.find((c) => c.kind === 'element' && c.name === 'cpu');
  const mode = cpuEl && cpuEl.kind === 'element' ? cpuEl.attributes.find((a) => a.name === 'mode')?.value : undefined;
  const cpu =
    domain.model && cpuEl && mode !== 'host-passthrough'
      ? await cpuCompare(
          dest.host,
          domain.xml.text,
          { ...(type ? { virttype: type } : {}), ...(domain.model.arch ? { arch: domain.model.arch.value } : {}) },
          o,
        )
      : undefined;
  const outcome = preflightChecks({
    domain,
    dest: destHost,
    ...(source ? { source } : {}),
    ...(profileText !== undefined ? { profileText } : {}),
    ...(primaries ? { primaries } : {}),
    ...(cpu ? { cpu } : {}),
  });
  return { ...outcome, domain, ...(uuid ? { uuid } : {}), running };
}
