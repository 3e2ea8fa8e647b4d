import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  parseCapabilities,
  parseDomainCapabilities,
  parseDomainUsage,
  parseNetwork,
  parseNodeDevice,
  parseStoragePool,
  type Parsed,
} from '../../server/src/host';
import { LIBVIRT_SKIP } from '../helpers/libvirt';
import { ROOT } from '../helpers/paths';

/**
 * The host parsers on libvirt 9.0's own test data (tests/nodedevschemadata, networkxml2xmlin, domaincapsdata, …,
 * extracted by scripts/libvirt-host-corpus.sh from the source package scripts/libvirt-corpus.sh downloads):
 * real values where libvirt's files state them, and no parser throws on any file.
 */
let tests = '';
const read = (dir: string, file: string) => readFileSync(join(tests, dir, file), 'utf8');

describe('host parsers on libvirt 9.0 test data', { skip: LIBVIRT_SKIP }, () => {
  before(() => {
    const r = spawnSync('bash', [resolve(ROOT, 'scripts', 'libvirt-host-corpus.sh')], { encoding: 'utf8' });
    assert.equal(r.status, 0, `scripts/libvirt-host-corpus.sh failed:\n${r.stderr}`);
    tests = r.stdout.trim();
  });

  it('an SR-IOV PF lists its VFs, maxCount and its own PF link (pci_0000_02_10_7_sriov_pf_vfs_all.xml)', () => {
    const d = parseNodeDevice(read('nodedevschemadata', 'pci_0000_02_10_7_sriov_pf_vfs_all.xml'));
    assert.deepEqual(d.problems, []);
    const pci = d.value!.pci!;
    assert.equal(pci.address, '0000:02:10.7');
    assert.equal(pci.vendorId, '0x8086');
    assert.equal(pci.productId, '0x10ca');
    assert.equal(pci.productName, '82576 Virtual Function');
    assert.equal(pci.physFunction, '0000:02:00.1');
    assert.deepEqual(pci.virtFunctions, ['0000:02:00.2', '0000:02:00.3', '0000:02:00.4', '0000:02:00.5']);
    assert.equal(pci.maxVfs, 7);
    assert.equal(pci.iommuGroup, 31);
    assert.equal(pci.numaNode, 0);
  });

  it('a PF with no VF enabled is still SR-IOV capable, with its maximum (…_sriov_zero_vfs_max_count.xml)', () => {
    const pci = parseNodeDevice(read('nodedevschemadata', 'pci_0000_02_10_7_sriov_zero_vfs_max_count.xml')).value!.pci!;
    assert.equal(pci.sriovCapable, true);
    assert.equal(pci.maxVfs, 3);
    assert.deepEqual(pci.virtFunctions, []);
  });

  it('a VF names its PF (pci_0000_02_10_7_sriov.xml); the plain 82576 PF file has neither (pci_8086_10c9_sriov_pf.xml)', () => {
    assert.equal(
      parseNodeDevice(read('nodedevschemadata', 'pci_0000_02_10_7_sriov.xml')).value!.pci!.physFunction,
      '0000:02:00.1',
    );
    const pf = parseNodeDevice(read('nodedevschemadata', 'pci_8086_10c9_sriov_pf.xml')).value!.pci!;
    assert.equal(pf.address, '0000:02:00.0');
    assert.equal(pf.productName, '82576 Gigabit Network Connection');
    assert.equal(pf.iommuGroup, 12);
    assert.equal(pf.sriovCapable, false);
  });

  it('the bound driver (pci_82579LM_network_adapter.xml: e1000e) and a Mellanox BlueField-2 with class and VF maximum', () => {
    const nic = parseNodeDevice(read('nodedevschemadata', 'pci_82579LM_network_adapter.xml')).value!;
    assert.equal(nic.driver, 'e1000e');
    assert.equal(nic.pci!.driver, 'e1000e');
    assert.equal(nic.pci!.address, '0000:00:19.0');
    const bf2 = parseNodeDevice(read('nodedevschemadata', 'pci_0000_42_00_0_vpd.xml')).value!.pci!;
    assert.deepEqual(
      [bf2.vendorId, bf2.productId, bf2.vendorName, bf2.classCode, bf2.maxVfs, bf2.address],
      ['0x15b3', '0xa2d6', 'Mellanox Technologies', '0x020000', 16, '0000:42:00.0'],
    );
  });

  it("a net device names its interface and MAC; the odd bus 4294967295 in libvirt's own file is noted, not invented", () => {
    const net = parseNodeDevice(read('nodedevschemadata', 'net_00_13_02_b9_f9_d3.xml')).value!;
    assert.deepEqual([net.parent, net.net!.interface, net.net!.mac], ['pci_8086_4227', 'eth0', '00:13:02:b9:f9:d3']);
    const odd = parseNodeDevice(read('nodedevschemadata', 'pci_0000_00_02_0_header_type.xml'));
    assert.equal(odd.value!.pci, undefined);
    assert.match(odd.problems.join(), /no readable PCI address/);
  });

  it('hostdev networks: a pool by addresses, by PF, and passthrough by PF (networkxml2xmlin)', () => {
    const byAddress = parseNetwork(read('networkxml2xmlin', 'hostdev.xml')).value!;
    assert.deepEqual([byAddress.name, byAddress.forwardMode, byAddress.managed], ['hostdev', 'hostdev', true]);
    assert.deepEqual(byAddress.poolAddresses, ['0000:03:00.1', '0000:03:00.2', '0000:03:00.3', '0000:03:00.4']);
    const byPf = parseNetwork(read('networkxml2xmlin', 'hostdev-pf.xml')).value!;
    assert.deepEqual([byPf.pfDevs, byPf.poolAddresses], [['eth2'], []]);
    const passthrough = parseNetwork(read('networkxml2xmlin', 'passthrough-pf.xml')).value!;
    assert.equal(passthrough.forwardMode, 'passthrough');
    assert.deepEqual(passthrough.pfDevs, ['eth0']);
    const nat = parseNetwork(read('networkxml2xmlin', 'nat-network.xml')).value!;
    assert.deepEqual([nat.forwardMode, nat.bridge], ['nat', 'virbr0']);
    const bridge = parseNetwork(read('networkxml2xmlin', 'host-bridge-net.xml')).value!;
    assert.deepEqual([bridge.forwardMode, bridge.bridge], ['bridge', 'br0']);
  });

  it('domain capabilities: QEMU 7.2 q35 (machine, PCI hostdev with vfio) and drivers without PCI hostdev', () => {
    const q35 = parseDomainCapabilities(read('domaincapsdata', 'qemu_7.2.0-q35.x86_64.xml')).value!;
    assert.deepEqual(
      [q35.machine, q35.domainType, q35.arch, q35.hostdevPci, q35.pciBackends, q35.maxVcpus, q35.hostPassthrough],
      ['pc-q35-7.2', 'kvm', 'x86_64', true, ['default', 'vfio'], 288, true],
    );
    assert.equal(q35.iommu, undefined, 'libvirt 9.0 reports no vIOMMU element');
    const bhyve = parseDomainCapabilities(read('domaincapsdata', 'bhyve_basic.x86_64.xml')).value!;
    assert.equal(bhyve.hostdevPci, false);
    assert.deepEqual(parseDomainCapabilities(read('domaincapsdata', 'libxl-xenfv.xml')).value!.pciBackends, ['xen']);
  });

  it('capabilities: machine aliases with their canonical machine (caps-qemu-kvm.xml)', () => {
    const caps = parseCapabilities(read('capabilityschemadata', 'caps-qemu-kvm.xml')).value!;
    const x86 = caps.guests.find((g) => g.arch === 'x86_64')!;
    assert.deepEqual(
      x86.machines.find((m) => m.name === 'pc'),
      { name: 'pc', canonical: 'pc-0.11' },
    );
    assert.deepEqual(x86.domainTypes, ['qemu', 'kvm']);
  });

  it('domains: hostdev and hostdev-interface addresses, multi-domain PCI, teaming on plain hostdevs, pools by network', () => {
    const usage = (f: string) => parseDomainUsage(read('qemuxml2argvdata', f)).value!;
    assert.deepEqual(usage('net-hostdev.xml').hostPciAddresses, ['0000:03:07.1']);
    assert.deepEqual(usage('hostdev-vfio-multidomain.xml').hostPciAddresses, ['0021:de:1f.1']);
    assert.deepEqual(usage('net-hostdev-multidomain.xml').hostPciAddresses, ['2424:21:1c.6']);
    assert.deepEqual(usage('net-virtio-teaming-hostdev.xml').hostPciAddresses, ['0000:03:07.1', '0000:03:07.2']);
    assert.deepEqual(usage('net-virtio-teaming-network.xml').networks, ['mybridge', 'myhostdevpool']);
    assert.deepEqual(usage('net-virtio-teaming-network.xml').hostPciAddresses, []);
  });

  it('storage pools: type and target path (storagepoolxml2xmlout)', () => {
    const dir = parseStoragePool(read('storagepoolxml2xmlout', 'pool-dir.xml')).value!;
    assert.deepEqual([dir.name, dir.type, dir.targetPath], ['virtimages', 'dir', '/var/lib/libvirt/images']);
    assert.equal(parseStoragePool(read('storagepoolxml2xmlout', 'pool-logical.xml')).value!.type, 'logical');
  });

  it('sweep: every file of every folder parses without throwing, and every failure is a noted problem', () => {
    const folders: [string, (xml: string) => Parsed<unknown>][] = [
      ['nodedevschemadata', parseNodeDevice],
      ['nodedevxml2xmlout', parseNodeDevice],
      ['networkxml2xmlin', parseNetwork],
      ['networkxml2xmlout', parseNetwork],
      ['domaincapsdata', parseDomainCapabilities],
      ['capabilityschemadata', parseCapabilities],
      ['storagepoolxml2xmlout', parseStoragePool],
      ['qemuxml2argvdata', parseDomainUsage],
    ];
    const counts: Record<string, number> = {};
    const problems: string[] = [];
    for (const [dir, parse] of folders) {
      const files = readdirSync(join(tests, dir)).filter((f) => f.endsWith('.xml'));
      counts[dir] = files.length;
      for (const f of files) {
        let r: Parsed<unknown>;
        assert.doesNotThrow(() => (r = parse(read(dir, f))), `${dir}/${f}`);
        if (r!.problems.length) problems.push(`${dir}/${f}: ${r!.problems.join('; ')}`);
        assert.ok(r!.value !== undefined || r!.problems.length, `${dir}/${f}: neither a value nor a problem`);
      }
    }
    assert.ok(
      counts.qemuxml2argvdata > 1000 && counts.nodedevschemadata >= 50 && counts.domaincapsdata >= 60,
      JSON.stringify(counts),
    );
    // the one file libvirt writes with an impossible bus (0xffffffff): both copies of it
    assert.deepEqual(
      problems.map((p) => p.split(':')[0]),
      ['nodedevschemadata/pci_0000_00_02_0_header_type.xml', 'nodedevxml2xmlout/pci_0000_00_02_0_header_type.xml'],
    );
  });
});
