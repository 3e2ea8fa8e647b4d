import type { HostFacts, PciDevice } from './facts';
import { canonicalPci } from './queries';
import { compareVersion } from './version';

/** A host a document is judged for: its configured name and what was read from it. */
export interface HostContext {
  /** The name from `migratable.hosts` (or the URI when the CLI connects directly), for messages. */
  name: string;
  facts: HostFacts;
}

/** `host-b (libvirt 11.3.0, QEMU 10.0.2)`: the facts a host-dependent message names. */
export function describeHost(host: HostContext): string {
  const v = host.facts.versions;
  const parts = [v.libvirt ? `libvirt ${v.libvirt}` : undefined, v.qemu ? `QEMU ${v.qemu}` : undefined].filter(Boolean);
  return parts.length ? `${host.name} (${parts.join(', ')})` : host.name;
}

/**
 * VFIO variant drivers whose devices can save and restore their state, so QEMU (>= 8.1, `enable-migration=auto`)
 * migrates them live (libvirt-facts §8). Plain vfio-pci cannot.
 */
export const MIGRATION_CAPABLE_VFIO_DRIVERS: readonly string[] = [
  'mlx5_vfio_pci',
  'hisi_acc_vfio_pci',
  'pds_vfio_pci',
  'qat_vfio_pci',
];

/** QEMU migrates a VFIO device with its state from this version on. */
export const QEMU_VFIO_MIGRATION = '8.1.0';

export interface VfioVerdict {
  /** Whether the device migrates with its state on this host. */
  migrates: boolean;
  /** The facts the verdict rests on, as a phrase: `mlx5_vfio_pci, QEMU 10.0.2`. */
  facts: string;
  /** Why not, when it does not. */
  reason?: string;
}

/**
 * Whether a PCI passthrough device (without teaming) migrates with its device state on a host: QEMU >= 8.1, a
 * migration-capable VFIO variant driver bound to the device (or forced by `<driver model=…>`), a libvirt that can use
 * such a driver (9.7 unmanaged, 10.0 managed), and no vIOMMU in the guest.
 */
export function vfioMigration(
  host: HostContext,
  address: string,
  device: { managed: boolean; driverModel?: string; viommu: boolean },
): VfioVerdict {
  const { versions } = host.facts;
  const pci: PciDevice | undefined = host.facts.pcis.find((p) => p.address === canonicalPci(address));
  const driver = device.driverModel ?? pci?.driver;
  const facts = [driver ?? 'driver unknown', versions.qemu ? `QEMU ${versions.qemu}` : 'QEMU version unknown'].join(', ');
  const no = (reason: string): VfioVerdict => ({ migrates: false, facts, reason });
  if (!pci && !device.driverModel) return no(`there is no PCI device ${canonicalPci(address) ?? address} on ${host.name}`);
  if (!versions.qemu) return no(`${host.name} did not report its QEMU version`);
  if (compareVersion(versions.qemu, QEMU_VFIO_MIGRATION) < 0)
    return no(`QEMU ${versions.qemu} blocks every VFIO device (migration needs QEMU >= 8.1)`);
  if (!driver) return no(`${host.name} does not report the driver of ${pci!.address}`);
  if (!MIGRATION_CAPABLE_VFIO_DRIVERS.includes(driver)) {
    return no(`${driver} cannot migrate a device's state (a migration-capable VFIO variant driver such as mlx5_vfio_pci can)`);
  }
  const libvirt = versions.libvirt;
  const needed = device.managed ? '10.0.0' : '9.7.0';
  if (!libvirt || compareVersion(libvirt, needed) < 0) {
    return no(
      `libvirt ${libvirt ?? '(unknown version)'} cannot use a VFIO variant driver${device.managed ? " for managed='yes'" : ''} (needs ${needed.replace(/\.0$/, '')})`,
    );
  }
  if (device.viommu) return no('the guest has a vIOMMU (<iommu>), with which QEMU does not migrate a VFIO device');
  return { migrates: true, facts };
}

/** libvirt from which, with a virtiofsd that supports migration, a virtiofs filesystem migrates (checked: 11.3; 9.0 refuses). */
export const LIBVIRT_VIRTIOFS_MIGRATION = '11.0.0';

/** Whether virtiofs can migrate on a host, by its libvirt version (virtiofsd itself cannot be asked through virsh). */
export function virtiofsMigration(host: HostContext): VfioVerdict {
  const libvirt = host.facts.versions.libvirt;
  const facts = libvirt ? `libvirt ${libvirt}` : 'libvirt version unknown';
  if (libvirt && compareVersion(libvirt, LIBVIRT_VIRTIOFS_MIGRATION) >= 0) return { migrates: true, facts };
  return {
    migrates: false,
    facts,
    reason: libvirt
      ? `libvirt ${libvirt} refuses to migrate virtiofs (11.x allows it with a virtiofsd that supports migration)`
      : `${host.name} did not report its libvirt version`,
  };
}
