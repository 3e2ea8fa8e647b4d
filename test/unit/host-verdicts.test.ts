import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { HostContext, HostFacts, PciDevice } from '../../server/src/host';
import { parseNodeDevice, pciDevices } from '../../server/src/host';
import { fixAll, isBlocker, parse, validate } from '../../server/src/service';
import { doc, domain } from '../helpers/docs';

/** A node device as a real (udev) libvirt prints it: a VF of a ConnectX PF, with its bound driver. */
function vfXml(address: string, driver: string, classCode = '0x020000'): string {
  const [dom, bus, rest] = address.split(':');
  const [slot, fn] = rest.split('.');
  const name = `pci_${dom}_${bus}_${slot}_${fn}`;
  return `<device><name>${name}</name><path>/sys/devices/pci0000:00/${address}</path><parent>pci_0000_00_03_0</parent>
  <driver><name>${driver}</name></driver>
  <capability type='pci'><class>${classCode}</class><domain>${parseInt(dom, 16)}</domain><bus>${parseInt(bus, 16)}</bus><slot>${parseInt(slot, 16)}</slot><function>${parseInt(fn, 16)}</function>
    <product id='0x101e'>ConnectX Family mlx5Gen Virtual Function</product><vendor id='0x15b3'>Mellanox Technologies</vendor>
    <capability type='phys_function'><address domain='0x0000' bus='0x3b' slot='0x00' function='0x0'/></capability>
  </capability></device>`;
}

function host(opts: { qemu?: string; libvirt?: string; devices?: [string, string, string?][] }): HostContext {
  const devs = (opts.devices ?? []).map(([a, d, c]) => parseNodeDevice(vfXml(a, d, c)).value!);
  const pcis: PciDevice[] = pciDevices(devs);
  const facts: HostFacts = {
    uri: 'qemu:///system',
    versions: { libvirt: opts.libvirt ?? '11.3.0', qemu: opts.qemu ?? '10.0.2' },
    pcis,
    networks: [],
    domains: [],
    pools: [],
    errors: [],
  };
  return { name: 'host-b', facts };
}

const VF = `    <interface type='hostdev' managed='yes'>\n      <mac address='52:54:00:6d:90:02'/>\n      <source><address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/></source>\n    </interface>\n`;
const HOSTDEV = `    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source><address domain='0x0000' bus='0x3b' slot='0x02' function='0x0'/></source>\n    </hostdev>\n`;
const Q35 = `  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n`;

function finding(text: string, h?: HostContext, code = 'migration-hostdev') {
  const d = doc(text);
  const found = validate(d, parse(d), { host: h }).filter((x) => x.code === code);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0];
}

describe('verdicts for the real host (migration-hostdev)', () => {
  it('without a host: a blocker that says what kind of host would change it', () => {
    const f = finding(domain(VF, Q35));
    assert.equal(f.severity, DiagnosticSeverity.Warning);
    assert.ok(isBlocker(f));
    assert.match(
      f.message as string,
      /QEMU >= 8\.1.*migration-capable VFIO variant driver such as mlx5_vfio_pci.*migratable\.targetHost/,
    );
  });

  it('QEMU 10.0 and a VF bound to mlx5_vfio_pci: information naming the facts, not a blocker', () => {
    const f = finding(domain(VF, Q35), host({ devices: [['0000:3b:02.0', 'mlx5_vfio_pci']] }));
    assert.equal(f.severity, DiagnosticSeverity.Information);
    assert.ok(!isBlocker(f));
    assert.match(
      f.message as string,
      /^migrates with its device state on host-b: mlx5_vfio_pci, QEMU 10\.0\.2 \(0000:3b:02\.0\)/,
    );
  });

  it('each fact that blocks it is named: vfio-pci, QEMU 7.2, libvirt 9.0, a vIOMMU, a device the host lacks', () => {
    const cases: [HostContext, string, RegExp][] = [
      [host({ devices: [['0000:3b:02.0', 'vfio-pci']] }), VF, /on host-b: vfio-pci cannot migrate a device's state/],
      [
        host({ qemu: '7.2.22', devices: [['0000:3b:02.0', 'mlx5_vfio_pci']] }),
        VF,
        /on host-b: QEMU 7\.2\.22 blocks every VFIO device/,
      ],
      [
        host({ libvirt: '9.0.0', devices: [['0000:3b:02.0', 'mlx5_vfio_pci']] }),
        VF,
        /libvirt 9\.0\.0 cannot use a VFIO variant driver for managed='yes' \(needs 10\.0\)/,
      ],
      [
        host({ libvirt: '9.8.0', devices: [['0000:3b:02.0', 'mlx5_vfio_pci']] }),
        VF.replace("managed='yes'", "managed='no'"),
        /^migrates with its device state/,
      ],
      [host({ devices: [['0000:3b:02.1', 'mlx5_vfio_pci']] }), VF, /there is no PCI device 0000:3b:02\.0 on host-b/],
    ];
    for (const [h, device, expected] of cases) assert.match(finding(domain(device, Q35), h).message as string, expected);
    const viommu = domain(VF + `    <iommu model='intel'/>\n`, Q35);
    assert.match(finding(viommu, host({ devices: [['0000:3b:02.0', 'mlx5_vfio_pci']] })).message as string, /vIOMMU/);
  });

  it('a <driver model=…> in the domain is the driver libvirt binds', () => {
    const forced = VF.replace('<source>', `<driver model='mlx5_vfio_pci'/>\n      <source>`);
    const f = finding(domain(forced, Q35), host({ devices: [['0000:3b:02.0', 'vfio-pci']] }));
    assert.equal(f.severity, DiagnosticSeverity.Information);
  });

  it('Make Domain Migratable: adds no partner to a VF that migrates with its state; converts a plain <hostdev> only when the host says it is an Ethernet VF', () => {
    const migrates = doc(domain(VF, Q35));
    assert.deepEqual(
      fixAll(migrates, parse(migrates), { host: host({ devices: [['0000:3b:02.0', 'mlx5_vfio_pci']] }) }).edits,
      [],
    );
    assert.ok(
      fixAll(migrates, parse(migrates), {}).summary.some((s) => /virtio failover partner/.test(s)),
      'without a host it adds one',
    );

    const plain = doc(domain(HOSTDEV, Q35));
    assert.deepEqual(fixAll(plain, parse(plain), {}).summary, [], 'without a host a <hostdev> may be a GPU: left alone');
    const gpu = fixAll(plain, parse(plain), { host: host({ devices: [['0000:3b:02.0', 'vfio-pci', '0x030000']] }) });
    assert.deepEqual(gpu.summary, [], 'a display controller is not converted');
    const nic = fixAll(plain, parse(plain), { host: host({ devices: [['0000:3b:02.0', 'vfio-pci']] }) });
    assert.ok(
      nic.summary.some((s) => /converted the VF 0000:3b:02\.0 to <interface type='hostdev'>/.test(s)),
      JSON.stringify(nic.summary),
    );
    assert.deepEqual(nic.remaining, []);
  });
});

describe('verdicts for the real host (migration-virtiofs)', () => {
  const FS = `    <filesystem type='mount' accessmode='passthrough'>\n      <driver type='virtiofs'/>\n      <source dir='/srv/share'/>\n      <target dir='share'/>\n    </filesystem>\n`;
  it('libvirt 11.3: information naming libvirt and what virtiofsd needs; libvirt 9.0: a blocker; no host: says what would change it', () => {
    const on11 = finding(domain(FS, Q35), host({}), 'migration-virtiofs');
    assert.equal(on11.severity, DiagnosticSeverity.Information);
    assert.match(
      on11.message as string,
      /virtiofs migrates on host-b \(libvirt 11\.3\.0\) when its virtiofsd supports migration/,
    );
    const on9 = finding(domain(FS, Q35), host({ libvirt: '9.0.0' }), 'migration-virtiofs');
    assert.equal(on9.severity, DiagnosticSeverity.Warning);
    assert.match(on9.message as string, /on host-b: libvirt 9\.0\.0 refuses/);
    assert.match(finding(domain(FS, Q35), undefined, 'migration-virtiofs').message as string, /libvirt 11\.x migrates it/);
  });
});
