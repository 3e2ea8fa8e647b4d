import type { MigrateResult, MigrationEvent, PreflightCheck, StuckUnplugAnswer } from '../protocol/hosts';
import { checkAbi, parseText, type Parsed } from '../service';
import {
  abortJob,
  attachDevice,
  domainState,
  execVirsh,
  hasDomain,
  libvirtMessage,
  runVirsh,
  VirshError,
  type VirshHost,
} from '../virsh';
import { gatherPreflight, type Endpoint } from './gather';
import { migrationStatus, pciDeviceIds, primaryAliases } from './qemu';

export interface MigrateOptions {
  source: Endpoint;
  dest: Endpoint;
  domain: string;
  /** A destination profile (its JSON text): the destination XML is the live XML rewritten by it. */
  profileText?: string;
  /** A destination XML given as is (`--xml FILE`); checked against the live XML for ABI stability first. */
  xmlText?: string;
  /** `virsh migrate --migrateuri` (e.g. `tcp://127.0.0.1` for two daemons on one machine). */
  migrateUri?: string;
  /**
   * How long QEMU may wait in `wait-unplug` before `decide` is asked (and again after each 'wait'). The question is
   * withdrawn (`withdrawn` aborts) when the migration ends first: the guest released its VF late, or it failed.
   */
  unplugTimeoutMs: number;
  emit(event: MigrationEvent): void;
  /** The guest has not released its VF for `seconds`: abort, or keep waiting? */
  decide(seconds: number, withdrawn: AbortSignal): Promise<StuckUnplugAnswer>;
  /** The user's cancel: aborts the job (never kills virsh mid-migration), then verifies the source. */
  signal?: AbortSignal;
  /** How long to wait for the VFs to be plugged again on the destination (the guest must ack failover first). */
  verifyTimeoutMs?: number;
  pollMs?: number;
}

export interface MigrateOutcome extends MigrateResult {
  /** After an abort: the primaries still plugged on the source, and their XML (to watch for a late eject). */
  afterAbort?: { uuid: string; plugged: string[]; deviceXml: Map<string, string> };
}

const MIGRATE_DEADLINE_MS = 12 * 3600_000;

/**
 * One live migration, watched from preflight to verification: `virsh migrate --live --persistent --undefinesource
 * --verbose [--xml DEST] -- UUID DEST_URI` on the source connection, with QEMU's `query-migrate` polled beside it so
 * that a guest that never releases its VF (`wait-unplug`, which neither QEMU nor libvirt times out) is noticed, the
 * user asked, and the job aborted with `domjobabort` (QEMU then needs about 30 s). Never `--timeout`: it would pause
 * a guest that is still to eject the VF. Whatever happens, the result says where the domain runs.
 */
export async function migrate(o: MigrateOptions): Promise<MigrateOutcome> {
  const { source, dest, emit } = o;
  const poll = o.pollMs ?? 500;
  emit({ event: 'phase', phase: 'preflight', detail: `${o.domain}: ${source.name} → ${dest.name}` });
  const pre = await gatherPreflight({ on: source, domain: o.domain }, dest, o.xmlText === undefined ? o.profileText : undefined, {
    signal: o.signal,
  });
  const checks: PreflightCheck[] = pre.checks;
  let destXml = pre.destinationXml;
  if (o.xmlText !== undefined) {
    destXml = o.xmlText;
    const abi = checkAbi(pre.domain.xml, parseText(o.xmlText, 'inmemory:destination').xml);
    const xmlCheck = checks.findIndex((c) => c.check === 'destination XML');
    checks[xmlCheck] = {
      check: 'destination XML',
      ok: abi.length === 0,
      detail: abi.length ? abi.map((p) => p.message).join('; ') : 'the given destination XML keeps the guest ABI (self-check)',
    };
  }
  for (const c of checks) emit({ event: 'log', message: `${c.ok ? '✓' : c.advisory ? '!' : '✗'} ${c.check}: ${c.detail}` });
  const failing = checks.filter((c) => !c.ok && !c.advisory);
  if (!pre.running || failing.length) {
    const message = !pre.running
      ? `not started: ${o.domain} is not running on ${source.name}, and a live migration needs a running domain`
      : `not started: ${failing.map((c) => c.check).join(', ')} failed; ${o.domain} still runs on ${source.name}`;
    emit({ event: 'error', message, ...(pre.running ? { runningOn: source.name } : {}) });
    return { status: 1, ...(pre.running ? { runningOn: source.name } : {}), message, checks };
  }
  const uuid = pre.uuid!;
  const primaries = pre.domain.model ? primaryAliases(pre.domain.model) : [];
  const pluggedBefore = new Set(await pciDeviceIds(source.host, uuid, { signal: o.signal }).catch(() => new Set<string>()));
  const deviceXml = primaryXml(pre.domain, primaries);

  if (o.signal?.aborted) {
    const message = `cancelled before the migration started; ${o.domain} still runs on ${source.name}`;
    emit({ event: 'error', message, runningOn: source.name });
    return { status: 1, runningOn: source.name, message, checks };
  }
  emit({ event: 'phase', phase: 'migrating', detail: destXml ? 'with the destination XML' : 'with its own definition' });
  const args = ['migrate', '--live', '--persistent', '--undefinesource', '--verbose'];
  if (destXml) args.push('--xml', '/dev/stdin');
  if (o.migrateUri) args.push('--migrateuri', o.migrateUri);
  args.push('--', uuid, dest.uri);
  let lastPercent = -1;
  const running = execVirsh(source.host.target, args, {
    timeoutMs: MIGRATE_DEADLINE_MS,
    readonly: false,
    ...(destXml ? { input: destXml } : {}),
    onStderr: (text) => {
      for (const percent of migrationPercents(text)) {
        if (percent !== lastPercent) emit({ event: 'progress', percent: (lastPercent = percent) });
      }
    },
  });
  let finished = false;
  running.finally(() => (finished = true)).catch(() => undefined);

  let aborting: 'stuck' | 'cancelled' | undefined;
  const abort = async (why: 'stuck' | 'cancelled') => {
    if (aborting) return;
    aborting = why;
    emit({
      event: 'phase',
      phase: 'aborting',
      detail:
        'domjobabort: QEMU keeps the job cancelling for about 30 s while it waits for the guest, then the domain keeps running here',
    });
    // a cancel right after virsh migrate started may come before libvirt has the job: try again while it runs
    for (let attempt = 0; ; attempt++) {
      try {
        await abortJob(source.host, uuid);
        return;
      } catch (e) {
        if (finished || attempt >= 20) {
          emit({ event: 'log', message: `domjobabort: ${(e as Error).message}` });
          return;
        }
        await delay(500);
      }
    }
  };
  const onCancel = () => void abort('cancelled');
  o.signal?.addEventListener('abort', onCancel, { once: true });
  if (o.signal?.aborted) onCancel();

  // QEMU's state beside virsh: libvirt shows nothing of the unplug (0 %, no event)
  let since: number | undefined;
  let askAt = o.unplugTimeoutMs;
  let lastTold = 0;
  while (!finished) {
    await Promise.race([running.catch(() => undefined), delay(poll)]);
    if (finished) break;
    const status = await migrationStatus(source.host, uuid, { timeoutMs: 10_000 }).catch(() => undefined);
    if (status !== 'wait-unplug' || aborting) {
      since = undefined;
      continue;
    }
    since ??= Date.now();
    const seconds = Math.floor((Date.now() - since) / 1000);
    if (seconds - lastTold >= 5 || lastTold === 0) {
      lastTold = Math.max(seconds, 1);
      emit({ event: 'wait-unplug', seconds });
    }
    if (Date.now() - since >= askAt) {
      const withdrawn = new AbortController();
      const answer = await Promise.race([
        o.decide(seconds, withdrawn.signal).catch((): StuckUnplugAnswer => 'abort'),
        running.then(
          (): StuckUnplugAnswer => 'wait',
          (): StuckUnplugAnswer => 'wait',
        ),
      ]);
      withdrawn.abort();
      if (finished) break;
      if (answer === 'abort') await abort('stuck');
      else askAt = Date.now() - since + o.unplugTimeoutMs;
    }
  }
  o.signal?.removeEventListener('abort', onCancel);
  const r = await running.catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: (e as Error).message }));

  if (r.exitCode === 0)
    return {
      ...(await verifyDestination(
        o,
        uuid,
        primaries.filter((a) => pluggedBefore.has(a)),
        pre.domain,
      )),
      checks,
    };

  // failed or aborted: where does it run, and with which VFs? (libvirt's words, without the `\r` progress lines)
  const said = libvirtMessage(r.stderr.replace(/Migration:\s*\[[^\]\n]*\]\s*/g, '')) || 'virsh migrate failed';
  // a host that cannot be asked is not a host without the domain
  const unreadable: string[] = [];
  const stateOn = (e: Endpoint) =>
    domainState(e.host, uuid).catch((err: unknown) => {
      if (!(err instanceof VirshError && err.kind === 'not-found')) unreadable.push(`${e.name}: ${(err as Error).message}`);
      return undefined;
    });
  const onSource = await stateOn(source);
  const onDest = onSource ? undefined : await stateOn(dest);
  const where = onSource ? source.name : onDest ? dest.name : undefined;
  const plugged = onSource ? await pciDeviceIds(source.host, uuid).catch(() => undefined) : undefined;
  const lost = plugged ? primaries.filter((a) => pluggedBefore.has(a) && !plugged.has(a)) : [];
  const vfs = lost.length
    ? `, without its VF ${lost.join(', ')} (the guest ejected it: re-attach it with virsh attach-device --live)`
    : primaries.length
      ? ' with its VFs'
      : '';
  const state = onSource ?? onDest;
  const status: 1 | 3 = aborting === 'stuck' ? 3 : 1;
  const what =
    aborting === 'stuck'
      ? `stopped: the guest did not release its VF within ${Math.round(o.unplugTimeoutMs / 1000)} s, the migration was aborted`
      : aborting === 'cancelled'
        ? 'cancelled'
        : `migration failed: ${said}`;
  const how = state?.state === 'running' ? 'still runs' : `is ${state?.state ?? 'defined'}`;
  const message = where
    ? `${what}; ${o.domain} ${how} on ${where}${vfs}`
    : unreadable.length
      ? `${what}; where ${o.domain} runs could not be checked (${unreadable.join('; ')}): check both hosts with virsh list --all`
      : `${what}; ${o.domain} runs on neither host (check both: virsh list --all)`;
  emit({ event: 'error', message, ...(where ? { runningOn: where } : {}) });
  const outcome: MigrateOutcome = { status, message, checks, ...(where ? { runningOn: where } : {}) };
  if (aborting && onSource && plugged) {
    outcome.afterAbort = { uuid, plugged: primaries.filter((a) => plugged.has(a)), deviceXml };
  }
  return outcome;
}

/**
 * The percentages `virsh migrate --verbose` prints on stderr: `Migration: [ 45 %]` (virsh 9.0, `[%3d %%]`) or
 * `Migration: [45.23 %]` (virsh 11.3, `[%5.2f %%]`), whole percent.
 */
export function migrationPercents(text: string): number[] {
  return [...text.matchAll(/Migration:\s*\[\s*(\d+)(?:\.\d+)?\s*%\]/g)].map((m) => Number(m[1]));
}

/** After a successful migration: the domain runs on the destination, is gone from the source, and its VFs are back. */
async function verifyDestination(o: MigrateOptions, uuid: string, primaries: string[], live: Parsed): Promise<MigrateOutcome> {
  const { source, dest, emit } = o;
  emit({
    event: 'phase',
    phase: 'verifying',
    detail: `waiting for ${primaries.length ? primaries.join(', ') : 'the domain'} on ${dest.name}`,
  });
  const state = await domainState(dest.host, uuid).catch(() => undefined);
  if (!state || (state.state !== 'running' && state.state !== 'paused')) {
    const message = `virsh migrate succeeded, but ${o.domain} is ${state ? state.state : 'not found'} on ${dest.name}`;
    emit({ event: 'error', message });
    return { status: 1, message };
  }
  const stillOnSource = await hasDomain(source.host, uuid).catch(() => false);
  const deadline = Date.now() + (o.verifyTimeoutMs ?? 60_000);
  let back = new Set<string>();
  while (primaries.some((a) => !back.has(a)) && Date.now() < deadline) {
    back = await pciDeviceIds(dest.host, uuid).catch(() => back);
    if (primaries.every((a) => back.has(a))) break;
    await delay(1000);
  }
  const missing = primaries.filter((a) => !back.has(a));
  const macs = await checkMacs(
    dest.host,
    uuid,
    live,
    primaries.filter((a) => back.has(a)),
  );
  if (missing.length || macs.length) {
    const message =
      `${o.domain} runs on ${dest.name}, but ` +
      [
        missing.length
          ? `its VF ${missing.join(', ')} did not come back within ${Math.round((o.verifyTimeoutMs ?? 60_000) / 1000)} s: check that the guest still runs net_failover, that ${dest.name}'s VF is free and bindable, and the QEMU log there`
          : '',
        ...macs,
      ]
        .filter(Boolean)
        .join('; ');
    emit({ event: 'error', message, runningOn: dest.name });
    return { status: 1, runningOn: dest.name, message };
  }
  const message =
    `${o.domain} runs on ${dest.name}` +
    (primaries.length ? ` with its VF${primaries.length === 1 ? '' : 's'} ${primaries.join(', ')} plugged again` : '') +
    (stillOnSource ? ` (still defined on ${source.name})` : '');
  emit({ event: 'done', host: dest.name, detail: message });
  return { status: 0, runningOn: dest.name, message };
}

/** The destination's live XML gives each primary the MAC its standby has (the guest pairs them by MAC). */
async function checkMacs(host: VirshHost, uuid: string, live: Parsed, primaries: string[]): Promise<string[]> {
  if (!live.model || !primaries.length) return [];
  const xml = await runVirsh(host.target, ['dumpxml', '--', uuid], { timeoutMs: host.defaults.timeoutMs, readonly: true }).catch(
    () => undefined,
  );
  const there = xml ? parseText(xml.stdout).model : undefined;
  if (!there) return [];
  const out: string[] = [];
  for (const l of live.model.links) {
    const alias = l.transient.owner.alias?.name.value;
    const want = l.partner?.mac?.value.toLowerCase();
    if (!alias || !want || !primaries.includes(alias)) continue;
    const dev = there.interfaces.find((i) => i.alias?.name.value === alias);
    const mac = dev?.mac?.value.toLowerCase();
    if (dev && mac !== want) out.push(`${alias} carries MAC ${mac ?? 'none'}, not its standby's ${want}`);
  }
  return out;
}

/** The XML of each primary device in the live definition, to plug it back after a late eject. */
function primaryXml(live: Parsed, aliases: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const dev of live.model?.devices ?? []) {
    const alias = dev.alias?.name.value;
    if (alias && aliases.includes(alias)) out.set(alias, live.xml.text.slice(dev.el.start, dev.el.end));
  }
  return out;
}

/**
 * After an aborted migration the guest's eject request stays pending: a guest that processes it later (a paused guest
 * resumed after QEMU's 30 s) loses the VF and nothing plugs it back. Watches the source for that for `forMs`, and
 * offers to re-attach what disappears.
 */
export async function watchAfterAbort(
  source: Endpoint,
  domain: string,
  after: NonNullable<MigrateOutcome['afterAbort']>,
  forMs: number,
  emit: (e: MigrationEvent) => void,
  offer: (devices: string[]) => Promise<boolean>,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + forMs;
  const watched = new Set(after.plugged);
  while (watched.size && Date.now() < deadline && !signal?.aborted) {
    await delay(2000);
    const now = await pciDeviceIds(source.host, after.uuid).catch(() => undefined);
    if (!now) continue;
    const gone = [...watched].filter((a) => !now.has(a));
    if (!gone.length) continue;
    for (const a of gone) watched.delete(a);
    emit({
      event: 'log',
      message: `${domain} on ${source.name}: the guest ejected ${gone.join(', ')} after the aborted migration`,
    });
    if (!(await offer(gone).catch(() => false))) continue;
    for (const a of gone) {
      const xml = after.deviceXml.get(a);
      if (!xml) continue;
      try {
        await attachDevice(source.host, after.uuid, xml);
        emit({ event: 'log', message: `re-attached ${a} to ${domain} on ${source.name}` });
      } catch (e) {
        emit({ event: 'log', message: `re-attaching ${a}: ${e instanceof VirshError ? e.message : String(e)}` });
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
