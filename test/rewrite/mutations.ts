import type { AbiCode } from '../../server/src/rewrite';
import { caseSource } from './cases';

/**
 * Hand-made destination XMLs: one change each to a rewrite case's source. `code` is the ABI problem class our
 * checkAbi must report first, or undefined when the change is one libvirt accepts (libvirt-facts §5 "may change").
 * test/libvirt/rewrite-abi.test.ts asks libvirt about every one of them; test/unit/rewrite-abi.test.ts runs ours.
 */
export interface Mutation {
  name: string;
  base: string;
  dest: () => string;
  code: AbiCode | undefined;
  /** When our first message is libvirt's own (libvirt omits the space before "does not match" in PCI messages). */
  sameMessage?: 'equal' | 'prefix';
}

/** Replaces `from`, which must occur exactly once, so a mutation cannot silently change nothing. */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one '${from}'`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const web = (from: string, to: string) => () => replaceOnce(caseSource('interface-hostdev'), from, to);

function swapFirstInterfaces(): string {
  const src = caseSource('two-pairs');
  const blocks = [...src.matchAll(/ {4}<interface[\s\S]*?<\/interface>\n/g)];
  const [a, b] = blocks;
  const between = src.slice(a.index! + a[0].length, b.index!);
  return src.slice(0, a.index!) + b[0] + between + a[0] + src.slice(b.index! + b[0].length);
}

const VF_INTERFACE = `    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:02'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/>
      </source>
      <teaming type='transient' persistent='ua-backup0'/>
      <alias name='ua-vf0'/>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
    </interface>
`;
const VF_HOSTDEV = `    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source>
        <address domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/>
      </source>
      <teaming type='transient' persistent='ua-backup0'/>
      <alias name='ua-vf0'/>
      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>
    </hostdev>
`;
const STANDBY_MAC = `<mac address='52:54:00:6d:90:02'/>\n      <source network='default'/>`;
const MODEL = `<model type='virtio'/>`;

export const MUTATIONS: Mutation[] = [
  // Must stay: libvirt refuses each.
  { name: 'a changed MAC', base: 'interface-hostdev', code: 'abi-mac', sameMessage: 'equal', dest: web(STANDBY_MAC, STANDBY_MAC.replace('90:02', '90:99')) },
  { name: 'a changed NIC model', base: 'interface-hostdev', code: 'abi-model', sameMessage: 'equal', dest: web(MODEL, `<model type='e1000e'/>`) },
  { name: 'a changed guest PCI address', base: 'interface-hostdev', code: 'abi-address', sameMessage: 'equal', dest: web(`bus='0x02' slot='0x00'`, `bus='0x05' slot='0x00'`) },
  { name: 'a changed vCPU count', base: 'interface-hostdev', code: 'abi-vcpu', sameMessage: 'equal', dest: web(`<vcpu placement='static'>2</vcpu>`, `<vcpu placement='static'>4</vcpu>`) },
  { name: 'two interfaces swapped', base: 'two-pairs', code: 'abi-mac', sameMessage: 'prefix', dest: swapFirstInterfaces },
  { name: 'a vCPU taken offline', base: 'interface-hostdev', code: 'abi-vcpu', sameMessage: 'equal', dest: web(`<vcpu placement='static'>`, `<vcpu placement='static' current='1'>`) },
  { name: 'less memory', base: 'interface-hostdev', code: 'abi-memory', sameMessage: 'equal', dest: web(`<memory unit='KiB'>2097152`, `<memory unit='KiB'>1048576`) },
  { name: 'another machine type', base: 'interface-hostdev', code: 'abi-os', sameMessage: 'equal', dest: web(`machine='q35'`, `machine='pc-q35-7.2'`) },
  { name: 'a feature removed', base: 'interface-hostdev', code: 'abi-features', sameMessage: 'equal', dest: web(`    <apic/>\n`, '') },
  { name: 'a feature added', base: 'interface-hostdev', code: 'abi-features', sameMessage: 'equal', dest: web(`<acpi/>`, `<acpi/>\n    <pae/>`) },
  { name: 'another CPU check', base: 'interface-hostdev', code: 'abi-cpu', sameMessage: 'equal', dest: web(`check='partial'`, `check='full'`) },
  { name: 'a timer removed', base: 'interface-hostdev', code: 'abi-clock', sameMessage: 'equal', dest: web(`    <timer name='pit' tickpolicy='delay'/>\n`, '') },
  { name: 'another disk target', base: 'interface-hostdev', code: 'abi-device', sameMessage: 'equal', dest: web(`dev='vda'`, `dev='vdb'`) },
  { name: 'another disk bus', base: 'interface-hostdev', code: 'abi-device', sameMessage: 'equal', dest: web(`bus='virtio'/>`, `bus='sata'/>`) },
  { name: 'the VF turned into a plain <hostdev>', base: 'interface-hostdev', code: 'abi-device-count', sameMessage: 'equal', dest: web(VF_INTERFACE, VF_HOSTDEV) },
  { name: 'the VF taken from a pool network instead', base: 'interface-hostdev', code: 'abi-device-count', sameMessage: 'equal', dest: web(VF_INTERFACE, VF_INTERFACE.replace(`<interface type='hostdev' managed='yes'>`, `<interface type='network'>`).replace(/<source>[\s\S]*?<\/source>/, `<source network='vf-pool'/>`)) },
  { name: 'a <driver> added to the standby', base: 'interface-hostdev', code: 'abi-virtio', sameMessage: 'equal', dest: web(MODEL, `${MODEL}\n      <driver name='vhost'/>`) },
  { name: 'an ACPI index added', base: 'interface-hostdev', code: 'abi-address', sameMessage: 'equal', dest: web(MODEL, `${MODEL}\n      <acpi index='5'/>`) },
  { name: 'an MTU added', base: 'interface-hostdev', code: 'abi-device', sameMessage: 'equal', dest: web(MODEL, `${MODEL}\n      <mtu size='9000'/>`) },
  { name: 'the memory balloon removed', base: 'interface-hostdev', code: 'abi-device-count', sameMessage: 'equal', dest: web(`    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>
    </memballoon>
`, '') },
  { name: 'a disk made read-only', base: 'disks', code: 'abi-device', sameMessage: 'equal', dest: () => replaceOnce(caseSource('disks'), `<target dev='vdb' bus='virtio'/>`, `<target dev='vdb' bus='virtio'/>\n      <readonly/>`) },
  { name: 'a NUMA cell with fewer CPUs', base: 'pinning', code: 'abi-numa', sameMessage: 'equal', dest: () => replaceOnce(caseSource('pinning'), `cpus='0-1'`, `cpus='0'`) },
  { name: 'the domain renamed', base: 'interface-hostdev', code: 'abi-domain', sameMessage: 'equal', dest: web('<name>web1</name>', '<name>web2</name>') },

  // May change: libvirt accepts each.
  { name: 'another network', base: 'interface-hostdev', code: undefined, dest: web(`network='default'`, `network='prod-net'`) },
  { name: 'the standby moved to a bridge', base: 'interface-hostdev', code: undefined, dest: () => replaceOnce(web(`<interface type='network'>`, `<interface type='bridge'>`)(), `<source network='default'/>`, `<source bridge='br0'/>`) },
  { name: 'a target dev, link state and VLAN', base: 'interface-hostdev', code: undefined, dest: web(MODEL, `${MODEL}\n      <target dev='vnet7'/>\n      <link state='down'/>\n      <vlan><tag id='42'/></vlan>`) },
  { name: 'another alias', base: 'interface-hostdev', code: undefined, dest: web(`<alias name='ua-vf0'/>`, `<alias name='ua-vf1'/>`) },
  { name: 'another VF, unmanaged', base: 'interface-hostdev', code: undefined, dest: () => replaceOnce(web(`bus='0x3b' slot='0x02'`, `bus='0x5e' slot='0x10'`)(), `<interface type='hostdev' managed='yes'>`, `<interface type='hostdev' managed='no'>`) },
  { name: 'another disk path and cache mode', base: 'interface-hostdev', code: undefined, dest: () => replaceOnce(web(`/var/lib/libvirt/images/web1.qcow2`, `/srv/images/web1.qcow2`)(), `type='qcow2'/>`, `type='qcow2' cache='writeback'/>`) },
  { name: 'another listen address', base: 'interface-hostdev', code: undefined, dest: web(`listen='127.0.0.1'`, `listen='0.0.0.0'`) },
  { name: 'a title and description', base: 'interface-hostdev', code: undefined, dest: web('<name>web1</name>', '<name>web1</name>\n  <title>Web</title>\n  <description>front end</description>') },
  { name: 'another emulator', base: 'interface-hostdev', code: undefined, dest: web('/usr/bin/qemu-system-x86_64', '/usr/libexec/qemu-kvm') },
  { name: 'the MACs in upper case', base: 'interface-hostdev', code: undefined, dest: () => caseSource('interface-hostdev').replace(/52:54:00:6d:90:02/g, '52:54:00:6D:90:02') },
  { name: 'a guest PCI address spelled in decimal', base: 'interface-hostdev', code: undefined, dest: web(`bus='0x02' slot='0x00'`, `bus='2' slot='0'`) },
  { name: 'a CD-ROM without <readonly/> (always read-only)', base: 'disks', code: undefined, dest: () => replaceOnce(caseSource('disks'), '      <readonly/>\n', '') },
  { name: 'NUMA cell CPUs spelled another way', base: 'pinning', code: undefined, dest: () => replaceOnce(caseSource('pinning'), `cpus='0-1'`, `cpus='0,1'`) },
  { name: 'pinning, NUMA nodesets and a serial host changed', base: 'pinning', code: undefined,
    dest: () => caseSource('pinning').replace(/cpuset='[^']*'/g, `cpuset='9'`).replace(/nodeset='0'/g, `nodeset='1'`).replace(/host='127\.0\.0\.1'/g, `host='::'`) },
  { name: 'the memory in GiB', base: 'interface-hostdev', code: undefined, dest: web(`<memory unit='KiB'>2097152</memory>`, `<memory unit='GiB'>2</memory>`) },
];
