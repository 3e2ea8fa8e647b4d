import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from './daemon';

/**
 * Defines (never starts) a domain whose "VF" is a PCI device this machine really has (the sandboxed libvirt reads
 * the real sysfs, so a made-up address would only say "no such device"), with no teaming: one migration blocker.
 * Returns the domain's name and the device's PCI address.
 */
export async function defineLoneVfDomain(daemon: Daemon, name: string): Promise<{ name: string; address: string }> {
  const list = await daemon.virsh(['nodedev-list', '--cap', 'pci']);
  const m = /^pci_([0-9a-f]{4})_([0-9a-f]{2})_([0-9a-f]{2})_([0-9a-f])$/m.exec(list.stdout);
  if (!m) throw new Error(`${daemon.name} lists no PCI device: ${list.stdout}${list.stderr}`);
  const [, domain, bus, slot, fn] = m;
  const xml = `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
  </os>
  <devices>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:7a:00:01'/>
      <source>
        <address type='pci' domain='0x${domain}' bus='0x${bus}' slot='0x${slot}' function='0x${fn}'/>
      </source>
    </interface>
  </devices>
</domain>
`;
  const file = join(daemon.runDir, `${daemon.id}-${name}.xml`);
  writeFileSync(file, xml);
  const def = await daemon.virsh(['define', file]);
  if (def.code !== 0) throw new Error(`define ${name} on ${daemon.name}: ${def.stderr}`);
  return { name, address: `${domain}:${bus}:${slot}.${fn}` };
}
