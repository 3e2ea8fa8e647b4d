import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeHost, pciAt, poolAddresses, vfioMigration, whoUses, type HostContext } from '../host';
import { isPciPassthrough, type AnyDevice, type DomainModel } from '../model/domain';
import { parseText, type Parsed } from '../model/parsed';
import { hostPciAddress } from '../model/pci';
import { attrValue, child, childElements, path, textContent } from '../parser/query';
import type { PreflightCheck } from '../protocol/hosts';
import { destinationXml } from '../rewrite';
import { isBlocker, validate } from './validate';

/** What the migration layer read from the hosts for a preflight; the checks themselves are pure. */
export interface PreflightInput {
  /** The definition that will migrate (the live, migratable XML of a running domain). */
  domain: Parsed;
  /** The host it runs on, when known (its verdicts judge the blockers). */
  source?: HostContext;
  dest: HostContext;
  profileText?: string;
  /** For a running domain: each failover primary (by alias) and whether QEMU shows it plugged in the guest. */
  primaries?: { alias: string; plugged: boolean }[];
  /** `virsh hypervisor-cpu-compare` of the domain's CPU on the destination. */
  cpu?: { compatible: boolean; message: string };
}

export interface PreflightOutcome {
  checks: PreflightCheck[];
  /** The destination XML `virsh migrate --xml` gets (rewritten by the profile), when it differs from the source. */
  destinationXml?: string;
}

/**
 * The named checks before a migration, each ✓ or ✗ with its evidence: blockers, the destination XML, networks and
 * bridges, storage, a free VF for each VF, the machine type, the CPU, and the guest's failover.
 */
export function preflightChecks(input: PreflightInput): PreflightOutcome {
  const checks: PreflightCheck[] = [];
  const { dest } = input;
  const model = input.domain.model;
  if (!model) return { checks: [{ check: 'a libvirt domain', ok: false, detail: 'the definition is not a libvirt domain' }] };

  // 1. the domain itself
  const document = TextDocument.create(input.domain.uri, 'xml', input.domain.version, input.domain.xml.text);
  const blockers = validate(document, input.domain, { host: input.source }).filter(isBlocker);
  checks.push({
    check: 'no migration blocker',
    ok: blockers.length === 0,
    detail: blockers.length
      ? blockers
          .slice(0, 5)
          .map((d) => `line ${d.range.start.line + 1}: ${d.message} (${d.code})`)
          .join('; ')
      : `no error and no migration blocker${input.source ? ` (judged for ${describeHost(input.source)})` : ''}`,
  });

  // 2. the destination XML
  const perHost = model.devices.filter((d) => isPciPassthrough(d) && hostPciAddress(d));
  let target: Parsed = input.domain;
  let rewritten: string | undefined;
  if (input.profileText !== undefined) {
    const r = destinationXml(input.domain, input.profileText);
    const errors = r.problems.filter((p) => p.severity === 'error');
    checks.push({
      check: 'destination XML',
      ok: r.ok,
      detail: r.ok
        ? `${r.changes.length} value${r.changes.length === 1 ? '' : 's'} rewritten by the profile; the ABI self-check passes`
        : errors
            .slice(0, 5)
            .map((p) => p.message)
            .join('; ') || 'the profile could not be read',
    });
    if (r.text !== input.domain.xml.text) {
      rewritten = r.text;
      target = parseText(r.text, 'inmemory:destination');
    }
  } else {
    checks.push(
      perHost.length
        ? {
            check: 'destination XML',
            ok: false,
            detail: `${perHost.map(hostPciAddress).join(', ')}: a VF's host PCI address differs on every host: create a destination profile (Create Destination Profile from Host…), or take the VF from a VF pool network`,
          }
        : { check: 'destination XML', ok: true, detail: 'no rewrite needed: the domain migrates with its own definition' },
    );
  }
  const targetModel = target.model ?? model;

  // 3. networks and bridges
  const missing: string[] = [];
  const found: string[] = [];
  for (const iface of targetModel.interfaces) {
    const source = child(iface.el, 'source');
    const network = attrValue(source, 'network');
    const bridge = attrValue(source, 'bridge');
    if (iface.type?.value === 'network' && network) {
      const n = dest.facts.networks.find((x) => x.name === network);
      if (!n) missing.push(`network '${network}'`);
      else if (n.active === false) missing.push(`network '${network}' (defined, not active)`);
      else found.push(`network '${network}'`);
    }
    if (iface.type?.value === 'bridge' && bridge) {
      const known = dest.facts.netInterfaces?.includes(bridge) || dest.facts.networks.some((n) => n.bridge === bridge);
      (known ? found : missing).push(`bridge '${bridge}'`);
    }
  }
  checks.push({
    check: 'networks and bridges on the destination',
    ok: missing.length === 0,
    detail: missing.length
      ? `${dest.name} lacks ${unique(missing).join(', ')}`
      : found.length
        ? `${dest.name} has ${unique(found).join(', ')}`
        : 'none used',
  });

  // 4. storage (a path no pool holds may still be shared storage: advice, not a refusal)
  const paths = childElements(targetModel.devicesEl, 'disk').flatMap((d) => {
    const p = attrValue(child(d, 'source'), 'file') ?? attrValue(child(d, 'source'), 'dev');
    return p ? [p] : [];
  });
  const unheld = paths.filter(
    (p) => !dest.facts.pools.some((pool) => pool.targetPath && p.startsWith(pool.targetPath.replace(/\/?$/, '/'))),
  );
  checks.push({
    check: 'storage on the destination',
    ok: unheld.length === 0,
    advisory: unheld.length > 0,
    detail: !paths.length
      ? 'no disk'
      : unheld.length
        ? `no storage pool on ${dest.name} holds ${unheld.join(', ')}: it must be shared storage mounted there, or be copied (virsh migrate --copy-storage-all)`
        : `every disk lies in a storage pool of ${dest.name}`,
  });

  // 5. a VF for each VF
  checks.push(vfCheck(input, targetModel));

  // 6. machine type
  const machine = attrValue(path(targetModel.domain, 'os', 'type'), 'machine');
  const machines = new Set([
    ...(dest.facts.domcaps?.machines ?? []),
    ...(dest.facts.capabilities?.guests.flatMap((g) => g.machines.map((m) => m.name)) ?? []),
  ]);
  checks.push(
    !machine
      ? { check: 'machine type', ok: true, detail: 'none set: libvirt picks the default of the destination' }
      : machines.size === 0
        ? {
            check: 'machine type',
            ok: false,
            advisory: true,
            detail: `${dest.name} did not say which machine types its QEMU offers`,
          }
        : {
            check: 'machine type',
            ok: machines.has(machine),
            detail: machines.has(machine)
              ? `${dest.name}'s QEMU offers ${machine}`
              : `${dest.name}'s QEMU does not offer ${machine}`,
          },
  );

  // 7. CPU
  const cpuMode = attrValue(child(targetModel.domain, 'cpu'), 'mode');
  if (cpuMode === 'host-passthrough') {
    checks.push({
      check: 'CPU',
      ok: true,
      advisory: true,
      detail: 'host-passthrough: migrates only between identical hosts (not comparable)',
    });
  } else if (input.cpu) {
    const unsupported = /not supported|unsupported/i.test(input.cpu.message);
    checks.push({
      check: 'CPU',
      ok: input.cpu.compatible,
      ...(unsupported ? { advisory: true } : {}),
      detail: input.cpu.message,
    });
  } else if (!child(targetModel.domain, 'cpu')) {
    checks.push({ check: 'CPU', ok: true, detail: "no <cpu>: QEMU's default CPU model, the same on every host with that QEMU" });
  }

  // 8. the guest's failover (running domain)
  for (const p of input.primaries ?? []) {
    checks.push(
      p.plugged
        ? {
            check: `guest failover (${p.alias})`,
            ok: true,
            detail: `the guest negotiated failover: QEMU shows ${p.alias} plugged`,
          }
        : {
            check: `guest failover (${p.alias})`,
            ok: false,
            advisory: true,
            detail: `${p.alias} is not plugged in the running guest: it lacks net_failover support (or never loaded virtio_net); it will migrate, on virtio only`,
          },
    );
  }
  return { checks, ...(rewritten !== undefined ? { destinationXml: rewritten } : {}) };
}

/** A free VF on the destination for each VF: from a VF pool with room, or the mapped VF exists, is a VF, is free, is bindable. */
function vfCheck(input: PreflightInput, target: DomainModel): PreflightCheck {
  const { dest } = input;
  const name = textContent(input.domain.xml.text, child(input.domain.model!.domain, 'name'));
  const good: string[] = [];
  const bad: string[] = [];
  const poolNeeds = new Map<string, number>();
  for (const l of target.links) {
    const dev = l.transient.owner;
    const network =
      dev.kind === 'interface' && dev.type?.value === 'network' ? attrValue(child(dev.el, 'source'), 'network') : undefined;
    if (network) poolNeeds.set(network, (poolNeeds.get(network) ?? 0) + 1);
  }
  for (const [network, needed] of poolNeeds) {
    const net = dest.facts.networks.find((n) => n.name === network);
    if (!net || net.forwardMode !== 'hostdev') {
      bad.push(`${network}: no VF pool (hostdev network) of that name on ${dest.name}`);
      continue;
    }
    const free = poolAddresses(dest.facts, net).filter((a) => whoUses(dest.facts, a).every((d) => d === name));
    if (free.length >= needed) good.push(`pool '${network}' has ${free.length} free VF${free.length === 1 ? '' : 's'}`);
    else
      bad.push(
        `network '${network}' requires exclusive access to interfaces, but none are available (${free.length} free, ${needed} needed)`,
      );
  }
  const viommu = childElements(target.devicesEl, 'iommu').length > 0;
  target.devices.forEach((dev, i) => {
    const address = isPciPassthrough(dev) ? hostPciAddress(dev) : undefined;
    if (!address) return;
    const pci = pciAt(dest.facts, address);
    const users = whoUses(dest.facts, address).filter((d) => d !== name);
    const managed =
      attrValue(dev.el, 'managed') === 'yes' || (dev.kind === 'interface' && attrValue(dev.el, 'managed') === undefined);
    if (!pci) bad.push(`${address}: no such PCI device on ${dest.name}`);
    else if (!pci.physFunction) bad.push(`${address} on ${dest.name} is not a VF (it has no physical function)`);
    else if (users.length) bad.push(`${address} on ${dest.name} is used by ${users.join(', ')}`);
    else if (!managed && pci.driver && !/vfio/.test(pci.driver))
      bad.push(
        `${address} on ${dest.name} is bound to ${pci.driver}, and managed='no' leaves it there: bind it to vfio-pci first`,
      );
    else if (migratesWithState(input, input.domain.model!.devices[i] ?? dev)) {
      const v = vfioMigration(dest, address, { managed, driverModel: attrValue(child(dev.el, 'driver'), 'model'), viommu });
      if (v.migrates) good.push(`${address}: a free VF that takes the device state (${v.facts})`);
      else bad.push(`${address} on ${dest.name} cannot take the device state: ${v.reason}`);
    } else good.push(`${address}: a free VF${pci.driver ? ` (${pci.driver})` : ''}`);
  });
  if (!good.length && !bad.length) return { check: 'a VF for each VF', ok: true, detail: 'the domain uses no VF' };
  return { check: 'a VF for each VF', ok: bad.length === 0, detail: [...bad, ...good].join('; ') };
}

/** The source host says this VF (a source device without teaming; the rewrite keeps devices in place) migrates with its state. */
function migratesWithState(input: PreflightInput, sourceDev: AnyDevice): boolean {
  const address = hostPciAddress(sourceDev);
  if (!input.source || !address || sourceDev.teaming?.type?.value === 'transient') return false;
  const managed =
    attrValue(sourceDev.el, 'managed') === 'yes' ||
    (sourceDev.kind === 'interface' && attrValue(sourceDev.el, 'managed') === undefined);
  const viommu = childElements(input.domain.model!.devicesEl, 'iommu').length > 0;
  return vfioMigration(input.source, address, { managed, driverModel: attrValue(child(sourceDev.el, 'driver'), 'model'), viommu })
    .migrates;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
