import { describeHost, MIGRATION_CAPABLE_VFIO_DRIVERS, vfioMigration, type HostContext } from '../host/context';
import { canonicalPci } from '../host/queries';
import type { DomainModel, Hostdev, NetInterface } from '../model/domain';
import { hostPciAddress } from '../model/pci';
import { attrValue, child, childElements } from '../parser/query';
import { nameSpan, valueSpan, type Finding, type Rule } from './rule';

/**
 * A PCI passthrough device (a plain `<hostdev mode='subsystem' type='pci'>` or an `<interface type='hostdev'>`)
 * without transient teaming blocks live migration — on most hosts.
 *
 * libvirt refuses `virsh migrate`: `cannot migrate a domain with <hostdev mode='subsystem' type='pci'>`
 * (with QEMU >= 6: `cannot migrate domain: VFIO device doesn't support migration`). Pair the VF with a virtio
 * standby (`<teaming>`), so that QEMU unplugs it before migration and the guest keeps running on virtio.
 * USB hostdevs do not block migration.
 *
 * Judged for a host (a domain opened from a host, or a workspace whose `migratable.targetHost` names one), the
 * verdict uses that host's facts: QEMU >= 8.1 migrates a VF with its device state when the VF is bound to a
 * migration-capable VFIO variant driver (mlx5_vfio_pci, hisi_acc_vfio_pci, pds_vfio_pci, qat_vfio_pci), libvirt can
 * use that driver (9.7 for `managed='no'`, 10.0 for `managed='yes'`) and the guest has no vIOMMU. Then the finding is
 * information naming those facts; otherwise the warning names the fact that blocks it.
 */
export const rule: Rule = {
  code: 'migration-hostdev',
  severity: 'warning',
  title: 'a PCI hostdev or VF interface without transient teaming',
  check(model, report, env) {
    const host = env?.host;
    for (const iface of model.interfaces) {
      if (iface.type?.value !== 'hostdev' || iface.teaming?.type?.value === 'transient') continue;
      report(
        judged(model, iface, host, {
          ...valueSpan(iface.type),
          message:
            "cannot live-migrate: this VF (<interface type='hostdev'>) has no virtio failover partner; libvirt refuses to migrate a domain with a PCI passthrough device",
          data: { device: 'interface', hasTeaming: iface.teaming !== undefined },
        }),
      );
    }
    for (const hd of model.hostdevs) {
      if ((hd.mode?.value ?? 'subsystem') !== 'subsystem' || hd.type?.value !== 'pci' || hd.teaming?.type?.value === 'transient')
        continue;
      report(
        judged(model, hd, host, {
          ...(hd.type ? valueSpan(hd.type) : nameSpan(hd.el)),
          message:
            "cannot migrate a domain with <hostdev mode='subsystem' type='pci'>: pair this VF with a virtio standby through <teaming>",
          data: {
            device: 'hostdev',
            hasTeaming: hd.teaming !== undefined,
            ethernetVf: host ? isEthernetVf(host, hd) : undefined,
          },
        }),
      );
    }
  },
};

const WITHOUT_HOST =
  ` (on a host with QEMU >= 8.1, a VF bound to a migration-capable VFIO variant driver such as ${MIGRATION_CAPABLE_VFIO_DRIVERS[0]} migrates with its device state` +
  ' when the guest has no vIOMMU: set migratable.targetHost, or open the domain from its host, to judge it for that host)';

/** The finding for one device, as the host (if any) decides it. */
function judged(model: DomainModel, dev: NetInterface | Hostdev, host: HostContext | undefined, f: Finding): Finding {
  const address = hostPciAddress(dev);
  if (!host) return { ...f, message: f.message + WITHOUT_HOST };
  if (!address) return { ...f, message: `${f.message} (judged for ${describeHost(host)}: the device names no host PCI address)` };
  const managed = attrValue(dev.el, 'managed');
  const verdict = vfioMigration(host, address, {
    // libvirt's default for an <interface type='hostdev'> is managed
    managed: managed === 'yes' || (dev.kind === 'interface' && managed === undefined),
    driverModel: attrValue(child(dev.el, 'driver'), 'model'),
    viommu: childElements(model.devicesEl, 'iommu').length > 0,
  });
  if (verdict.migrates) {
    return {
      ...f,
      severity: 'information',
      message: `migrates with its device state on ${host.name}: ${verdict.facts} (${canonicalPci(address)}); the destination needs the same, and this VF's host address rewritten (a destination profile)`,
      data: { ...f.data, migratesWithState: true },
    };
  }
  return { ...f, message: `${f.message} (on ${host.name}: ${verdict.reason})` };
}

/** The host says this PCI device is an Ethernet VF (class 0x0200xx, with a physical function): a NIC, not a GPU. */
function isEthernetVf(host: HostContext, hd: Hostdev): boolean {
  const address = hostPciAddress(hd);
  const pci = address ? host.facts.pcis.find((p) => p.address === address) : undefined;
  return !!pci?.physFunction && /^0x0200/i.test(pci.classCode ?? '');
}
