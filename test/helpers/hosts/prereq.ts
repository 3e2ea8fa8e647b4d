import { existsSync, readdirSync } from 'node:fs';
import { LIBVIRT_SKIP } from '../libvirt';

export type LibvirtVersion = '9.0' | '11.3';

/**
 * The repo's convention (test/helpers/libvirt.ts): MIGRATABLE_SKIP_LIBVIRT=1 reports host suites as skipped with
 * this reason; without it a missing prerequisite is a failure that names what to install, never a silent pass.
 */
export function skipReason(): string | false {
  return LIBVIRT_SKIP;
}

const onPath = (tool: string) =>
  (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .concat('/usr/sbin', '/sbin')
    .some((dir) => existsSync(`${dir}/${tool}`));

/** What the beds need that this machine lacks, each as an instruction; empty when everything is there. */
export function missingPrerequisites(versions: LibvirtVersion[] = ['9.0']): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (the sandboxes mount in private namespaces): run the tests as root');
  const pkgs = new Set<string>();
  if (!onPath('unshare') || !onPath('nsenter')) pkgs.add('util-linux');
  if (!onPath('ip')) pkgs.add('iproute2');
  if (!onPath('virsh')) pkgs.add('libvirt-clients');
  // the guest build (test/guest/build-guest.sh)
  for (const [tool, pkg] of [
    ['dpkg-deb', 'dpkg'],
    ['depmod', 'kmod'],
    ['xz', 'xz-utils'],
    ['apt-get', 'apt'],
  ]) {
    if (!onPath(tool)) pkgs.add(pkg);
  }
  if (versions.includes('9.0')) {
    if (!existsSync('/usr/sbin/libvirtd')) pkgs.add('libvirt-daemon');
    if (!hasQemuDriver()) pkgs.add('libvirt-daemon-driver-qemu');
    if (!onPath('qemu-system-x86_64')) pkgs.add('qemu-system-x86');
    // libvirt 9.0 programs iptables for every network, isolated ones too; NAT networks run dnsmasq
    if (!onPath('iptables')) pkgs.add('iptables');
    if (!onPath('dnsmasq')) pkgs.add('dnsmasq-base');
  }
  if (versions.includes('11.3') && !onPath('debootstrap')) pkgs.add('debootstrap');
  if (pkgs.size)
    missing.push(`packages: apt-get install -y ${[...pkgs].sort().join(' ')} (or bash scripts/system-deps.sh as root)`);
  return missing;
}

function hasQemuDriver(): boolean {
  try {
    return readdirSync('/usr/lib').some((d) => existsSync(`/usr/lib/${d}/libvirt/connection-driver/libvirt_driver_qemu.so`));
  } catch {
    return false;
  }
}

/** Throws the instructions when something is missing: a suite's `before` calls it so that the run fails clearly. */
export function assertPrerequisites(versions: LibvirtVersion[] = ['9.0']): void {
  const missing = missingPrerequisites(versions);
  if (missing.length) {
    throw new Error(
      `the host test beds need ${missing.join('; ')}. Set MIGRATABLE_SKIP_LIBVIRT=1 to report these tests as skipped instead.`,
    );
  }
}
