import { copyFileSync, existsSync, linkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths';
import type { Daemon } from './daemon';
import { run } from './proc';
import { ACTIVE_PRIMARY, SerialLog } from './serial';

/** The guest build (test/guest/build-guest.sh) once per process; cached in .cache/failover-guest across runs. */
export interface GuestBuild {
  dir: string;
  vmlinux: string;
  vmlinuz: string;
  initrd: string;
  ms: number;
}
let build: Promise<GuestBuild> | undefined;

export function buildFailoverGuest(): Promise<GuestBuild> {
  build ??= (async () => {
    const t0 = Date.now();
    const r = await run('bash', [join(ROOT, 'test', 'guest', 'build-guest.sh')], { timeoutMs: 10 * 60_000 });
    if (r.code !== 0) throw new Error(`test/guest/build-guest.sh failed (exit ${r.code}):\n${r.stderr}`);
    const dir = r.stdout.trim().split('\n').pop() as string;
    return {
      dir,
      vmlinux: join(dir, 'vmlinux'),
      vmlinuz: join(dir, 'vmlinuz'),
      initrd: join(dir, 'initrd.img'),
      ms: Date.now() - t0,
    };
  })();
  return build;
}

export interface FailoverDomainOptions {
  name: string;
  kernel: string;
  initrd: string;
  serial: string;
  /** Kernel command line after `console=ttyS0 panic=0`, e.g. 'acpiphp.disable=1 fo.rescan=1' (a guest that never ejects). */
  append?: string;
  /** The standby on this libvirt network instead of QEMU's user-mode network (slirp). */
  standbyNetwork?: string;
  mac?: string;
}

/**
 * virtio-net failover with an EMULATED e1000e primary (no SR-IOV needed), as in the failover-guest recipe:
 * - the standby has <teaming type='persistent'/>: libvirt gives virtio-net-pci failover=on;
 * - libvirt emits failover_pair_id only for hostdevs with <teaming type='transient'>, so the e1000e gets it through
 *   <qemu:override> on its alias; the override must stay in the destination XML (dumpxml --migratable keeps it);
 * - <rom enabled='no'/> is required: otherwise the source still sends the ROM RAMBlock of the half-unplugged
 *   primary and the destination refuses it ('Unknown ramblock "…/e1000e.rom"');
 * - type='qemu' (TCG): a stock kernel does not boot under this host's kvm_pvm.
 */
export function failoverDomainXml(o: FailoverDomainOptions): string {
  const mac = o.mac ?? '52:54:00:aa:bb:01';
  const standby = o.standbyNetwork
    ? `<interface type='network'>\n      <source network='${o.standbyNetwork}'/>`
    : "<interface type='user'>";
  return `<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>${o.name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>${o.kernel}</kernel>
    <initrd>${o.initrd}</initrd>
    <cmdline>${['console=ttyS0 panic=0', o.append].filter(Boolean).join(' ')}</cmdline>
  </os>
  <features><acpi/></features>
  <on_crash>preserve</on_crash>
  <devices>
    ${standby}
      <mac address='${mac}'/>
      <model type='virtio'/>
      <teaming type='persistent'/>
      <alias name='ua-backup0'/>
    </interface>
    <interface type='user'>
      <mac address='${mac}'/>
      <model type='e1000e'/>
      <rom enabled='no'/>
      <alias name='ua-vf0'/>
    </interface>
    <serial type='file'>
      <source path='${o.serial}' append='on'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
  <qemu:override>
    <qemu:device alias='ua-vf0'>
      <qemu:frontend>
        <qemu:property name='failover_pair_id' type='string' value='ua-backup0'/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>
</domain>
`;
}

export interface FailoverGuest {
  name: string;
  daemon: Daemon;
  domainXml: string;
  /** Path of the serial log on the daemon it was booted on (a migration's destination gets its own, see destinationXml). */
  serialLog: string;
  serial: SerialLog;
  waitForSerial(re: RegExp, timeoutMs: number, from?: number): Promise<string>;
  /** Waits for an `FO … active=primary` tick at or after byte `from` of the serial log. */
  waitForActivePrimary(timeoutMs?: number, from?: number): Promise<string>;
}

export interface BootOptions {
  name: string;
  append?: string;
  standbyNetwork?: string;
  /** Define only (default: define and start). */
  start?: boolean;
  /** 'pvh' (default): the ELF vmlinux, booted by QEMU directly; 'bzimage': through SeaBIOS, ~9 s slower under TCG. */
  kernel?: 'pvh' | 'bzimage';
}

/** Defines the failover guest persistently on `daemon` and starts it (unless start: false). */
export async function bootFailoverGuest(daemon: Daemon, o: BootOptions): Promise<FailoverGuest> {
  const g = await buildFailoverGuest();
  const guests = join(daemon.runDir, 'guests');
  // the 11.3 daemon's chroot sees only the run dir: the kernel and initrd go there (hard links, else copies)
  const kernel = stage(o.kernel === 'bzimage' ? g.vmlinuz : g.vmlinux, guests);
  const initrd = stage(g.initrd, guests);
  const serialLog = newSerialLog(daemon, o.name);
  const domainXml = failoverDomainXml({
    name: o.name,
    kernel,
    initrd,
    serial: serialLog,
    append: o.append,
    standbyNetwork: o.standbyNetwork,
  });
  const file = serialLog.replace(/\.serial\.log$/, '.xml');
  writeFileSync(file, domainXml);
  const def = await daemon.virsh(['define', '--validate', file]);
  if (def.code !== 0) throw new Error(`define ${o.name} on ${daemon.name}: ${def.stderr}`);
  if (o.start ?? true) {
    const st = await daemon.virsh(['start', o.name], { timeoutMs: 120_000 });
    if (st.code !== 0) throw new Error(`start ${o.name} on ${daemon.name}: ${st.stderr}`);
  }
  return guestOn(daemon, o.name, domainXml, serialLog);
}

export function guestOn(daemon: Daemon, name: string, domainXml: string, serialLog: string): FailoverGuest {
  const serial = new SerialLog(serialLog);
  return {
    name,
    daemon,
    domainXml,
    serialLog,
    serial,
    waitForSerial: (re, ms, from = 0) => serial.waitFor(re, ms, from),
    waitForActivePrimary: (ms = 90_000, from = 0) => serial.waitFor(ACTIVE_PRIMARY, ms, from),
  };
}

/** A fresh serial log path for every boot and every migration: QEMU appends, so a reused file would mix runs. */
let serials = 0;
function newSerialLog(daemon: Daemon, name: string): string {
  return join(daemon.runDir, 'guests', `${daemon.id}-${name}-${++serials}.serial.log`);
}

function stage(file: string, dir: string): string {
  const to = join(dir, file.split('/').pop() as string);
  if (!existsSync(to)) {
    try {
      linkSync(file, to);
    } catch {
      copyFileSync(file, to);
    }
  }
  return to;
}

/**
 * The destination XML for `virsh migrate --xml`: the source's `dumpxml --migratable` (it keeps the qemu:override)
 * with the serial console moved to a file of its own for `dst`; returns the file and the guest as seen on `dst`.
 */
export async function destinationXml(
  guest: FailoverGuest,
  dst: Daemon,
): Promise<{ file: string; xml: string; guest: FailoverGuest }> {
  const r = await guest.daemon.virsh(['dumpxml', '--migratable', guest.name]);
  if (r.code !== 0) throw new Error(`dumpxml --migratable ${guest.name}: ${r.stderr}`);
  const serialLog = newSerialLog(dst, guest.name);
  const xml = r.stdout.split(guest.serialLog).join(serialLog);
  const file = serialLog.replace(/\.serial\.log$/, '.dest.xml');
  writeFileSync(file, xml);
  return { file, xml, guest: guestOn(dst, guest.name, xml, serialLog) };
}
