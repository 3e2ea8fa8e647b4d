import type { DomainModel } from '../model/domain';
import { qmp, type CallOptions, type VirshHost } from '../virsh';

/** What QEMU says about a migration and the guest's devices, through libvirt's monitor passthrough (read-write). */

/** `query-migrate`'s status: `setup`, `wait-unplug`, `active`, `completed`, `cancelling`, `failed`, … (none: no job). */
export async function migrationStatus(host: VirshHost, uuid: string, o: CallOptions = {}): Promise<string | undefined> {
  const r = (await qmp(host, uuid, { execute: 'query-migrate' }, o)) as { status?: string } | undefined;
  return r?.status;
}

interface PciDeviceInfo {
  qdev_id?: string;
  pci_bridge?: { devices?: PciDeviceInfo[] };
}

/** The qdev ids of every device on the guest's PCI buses (behind bridges and root ports too). */
export async function pciDeviceIds(host: VirshHost, uuid: string, o: CallOptions = {}): Promise<Set<string>> {
  const buses = (await qmp(host, uuid, { execute: 'query-pci' }, o)) as { devices?: PciDeviceInfo[] }[] | undefined;
  const ids = new Set<string>();
  const stack: PciDeviceInfo[] = [];
  for (const b of buses ?? []) stack.push(...(b.devices ?? []));
  while (stack.length) {
    const d = stack.pop()!;
    if (d.qdev_id) ids.add(d.qdev_id);
    stack.push(...(d.pci_bridge?.devices ?? []));
  }
  return ids;
}

/** The failover primaries of a domain, by alias (QEMU's device id): transient VFs and `<qemu:override>` primaries. */
export function primaryAliases(model: DomainModel): string[] {
  const out: string[] = [];
  for (const l of model.links) {
    const alias = l.transient.owner.alias?.name.value;
    if (l.partner && alias) out.push(alias);
  }
  return out;
}
