import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareVersion,
  freeVfs,
  mergeUsage,
  parseDomainList,
  parseDomainUsage,
  parseNetwork,
  parseNodeDevice,
  parseUuidList,
  parseVersion,
  pciDevices,
  poolAddresses,
  poolsWith,
  vfioVariantSupport,
  vfsOf,
  whoUses,
  type HostFacts,
  type PciDevice,
} from '../../server/src/host';
import { classify, libvirtMessage, redactUri, sshHint } from '../../server/src/virsh/errors';

/**
 * The host parsers on text virsh really printed (libvirt 9.0 client; 9.0 and 11.3 daemons; LC_ALL=C), copied here
 * so these tests need no libvirt. libvirt's own test corpus is read in test/libvirt/host-corpus.test.ts.
 */

describe('parseVersion (virsh version --daemon)', () => {
  it('reads a 9.0 client against an 11.3 daemon with QEMU 10.0: the daemon decides, not the client', () => {
    const v = parseVersion(`Compiled against library: libvirt 9.0.0
Using library: libvirt 9.0.0
Using API: QEMU 9.0.0
Running hypervisor: QEMU 10.0.2
Running against daemon: 11.3.0
`).value!;
    assert.deepEqual(v, {
      virshClient: '9.0.0',
      library: '9.0.0',
      hypervisor: { name: 'QEMU', version: '10.0.2' },
      qemu: '10.0.2',
      libvirt: '11.3.0',
    });
  });

  it("reads Debian 12's QEMU as libvirt reports it (7.2.22) and the test driver (no QEMU)", () => {
    assert.equal(parseVersion('Running hypervisor: QEMU 7.2.22\nRunning against daemon: 9.0.0\n').value!.qemu, '7.2.22');
    const t = parseVersion(
      'Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: TEST 9.0.0\nRunning hypervisor: TEST 0.0.2\n',
    ).value!;
    assert.equal(t.qemu, undefined);
    assert.equal(t.libvirt, '9.0.0', 'without a daemon line, the library is the libvirt that answers');
    assert.deepEqual(t.hypervisor, { name: 'TEST', version: '0.0.2' });
  });

  it('notes what it cannot read and never throws', () => {
    assert.deepEqual(parseVersion('').problems, ['no version lines in the output']);
    const odd = parseVersion('Compiled against library: libvirt 9.0.0\nRunning hypervisor: QEMU unknown\n');
    assert.equal(odd.value!.virshClient, '9.0.0');
    assert.match(odd.problems[0], /unreadable version line: Running hypervisor: QEMU unknown/);
  });

  it('compareVersion compares numerically, missing parts 0, suffixes ignored', () => {
    assert.equal(compareVersion('9.10.0', '9.7.0'), 1);
    assert.equal(compareVersion('9.7', '9.7.0'), 0);
    assert.equal(compareVersion('10.0.0-rc1', '10.0.0'), 0);
    assert.equal(compareVersion('7.2.22', '8.1.0'), -1);
    assert.equal(vfioVariantSupport('9.0.0'), 'none');
    assert.equal(vfioVariantSupport('9.7.0'), 'unmanaged');
    assert.equal(vfioVariantSupport('11.3.0'), 'managed');
  });
});

describe('listings', () => {
  it('list --all --uuid --name: names with spaces, leading dashes and non-ASCII letters are kept byte for byte', () => {
    const text = [
      '11111111-2222-3333-4444-555555555555 my vm  two',
      'bd89f302-9dda-4361-be1b-7f64b6604afd 5',
      '0b48d2f8-7dce-4736-aeba-265c7e05e715 --help',
      '11fbb094-ac6c-4a87-9191-b8be6311e00a ünïcode-名前',
      '',
      '',
    ].join('\n');
    assert.deepEqual(
      parseDomainList(text).value!.map((d) => d.name),
      ['my vm  two', '5', '--help', 'ünïcode-名前'],
    );
    assert.deepEqual(parseDomainList(text).problems, []);
  });

  it('notes lines that are not UUID + name', () => {
    const r = parseDomainList(' Id   Name   State\n----\n');
    assert.equal(r.value!.length, 0);
    assert.equal(r.problems.length, 2);
    assert.deepEqual(parseUuidList('DD8FE884-6C02-601E-7551-CCA97DF1C5DF\n\n').value, ['dd8fe884-6c02-601e-7551-cca97df1c5df']);
  });
});

// what the udev node device driver of a real libvirt 9.0 printed (a virtio VM: no SR-IOV, but a bound driver)
const UDEV_PCI = `<device>
  <name>pci_0000_00_03_0</name>
  <path>/sys/devices/pci0000:00/0000:00:03.0</path>
  <parent>computer</parent>
  <driver>
    <name>virtio-pci</name>
  </driver>
  <capability type='pci'>
    <class>0x020000</class>
    <domain>0</domain>
    <bus>0</bus>
    <slot>3</slot>
    <function>0</function>
    <product id='0x1041'/>
    <vendor id='0x1af4'/>
  </capability>
</device>
`;
const UDEV_NET = `<device>
  <name>net_eth0_02_fc_00_00_00_01</name>
  <path>/sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0</path>
  <parent>pci_0000_00_03_0</parent>
  <capability type='net'>
    <interface>eth0</interface>
    <address>02:fc:00:00:00:01</address>
    <link speed='4294967295' state='up'/>
    <feature name='rx'/>
    <capability type='80203'/>
  </capability>
</device>
`;

describe('parseNodeDevice and pciDevices', () => {
  it("reads the driver udev reports, the address from the decimal elements, and the net child's interface", () => {
    const pci = parseNodeDevice(UDEV_PCI);
    assert.deepEqual(pci.problems, []);
    assert.equal(pci.value!.driver, 'virtio-pci');
    assert.equal(pci.value!.pci!.address, '0000:00:03.0');
    assert.equal(pci.value!.pci!.classCode, '0x020000');
    assert.equal(pci.value!.pci!.vendorName, undefined, 'no pci.ids on that host: no names, and none invented');
    const net = parseNodeDevice(UDEV_NET).value!;
    assert.deepEqual(net.net, { interface: 'eth0', mac: '02:fc:00:00:00:01', linkState: 'up' });
    const [dev] = pciDevices([net, pci.value!]);
    assert.equal(dev.netInterface, 'eth0');
    assert.equal(dev.driver, 'virtio-pci');
  });

  it('links a VF to the PF that lists it when the VF names no PF', () => {
    const pf = mkPci('pci_0000_3b_00_0', '0000:3b:00.0', { virtFunctions: ['0000:3b:00.2'], sriovCapable: true });
    const vf = mkPci('pci_0000_3b_00_2', '0000:3b:00.2', {});
    const pcis = pciDevices([
      { name: vf.name, capabilities: ['pci'], pci: vf },
      { name: pf.name, capabilities: ['pci'], pci: pf },
    ]);
    assert.deepEqual(
      pcis.map((p) => [p.address, p.physFunction]),
      [
        ['0000:3b:00.0', undefined],
        ['0000:3b:00.2', '0000:3b:00.0'],
      ],
    );
  });
});

// an active hostdev pool defined by <pf dev>: libvirt lists the VFs in the live XML (networkCreateInterfacePool)
const LIVE_POOL = `<network connections='1'>
  <name>sriov-pool</name>
  <uuid>f1b7a0a2-7a3c-4d5c-9e2f-8f0c1b2d3e4f</uuid>
  <forward mode='hostdev' managed='yes'>
    <pf dev='enp59s0f0np0'/>
    <address type='pci' domain='0x0000' bus='0x3b' slot='0x00' function='0x2'/>
    <address type='pci' domain='0x0000' bus='0x3b' slot='0x00' function='0x3'/>
  </forward>
</network>
`;

// a running domain's live XML: its <interface type='network'> on the pool is shown as the hostdev it got
const LIVE_DOMAIN = `<domain type='kvm' id='3'>
  <name>vm pool</name>
  <uuid>0e1d0c2b-7a3c-4d5c-9e2f-8f0c1b2d3e40</uuid>
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm.qcow2' index='1'/><target dev='vda' bus='virtio'/></disk>
    <interface type='bridge'><mac address='52:54:00:6d:90:01'/><source bridge='br0'/><model type='virtio'/></interface>
    <interface type='hostdev' managed='yes'>
      <mac address='52:54:00:6d:90:02'/>
      <driver name='vfio'/>
      <source>
        <address type='pci' domain='0x0000' bus='0x3b' slot='0x00' function='0x3'/>
      </source>
      <teaming type='transient' persistent='ua-backup0'/>
    </interface>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0' bus='59' slot='0' function='04'/></source>
    </hostdev>
    <hostdev mode='subsystem' type='usb'><source><address bus='1' device='2'/></source></hostdev>
  </devices>
</domain>
`;
const INACTIVE_DOMAIN = `<domain type='kvm'>
  <name>vm pool</name>
  <uuid>0e1d0c2b-7a3c-4d5c-9e2f-8f0c1b2d3e40</uuid>
  <devices>
    <interface type='network'><mac address='52:54:00:6d:90:02'/><source network='sriov-pool'/><teaming type='transient' persistent='ua-backup0'/></interface>
  </devices>
</domain>
`;

describe('parseNetwork and parseDomainUsage', () => {
  it('reads a live pool: PF, managed, connections and the VF addresses libvirt lists', () => {
    const n = parseNetwork(LIVE_POOL).value!;
    assert.equal(n.forwardMode, 'hostdev');
    assert.equal(n.managed, true);
    assert.equal(n.connections, 1);
    assert.deepEqual(n.pfDevs, ['enp59s0f0np0']);
    assert.deepEqual(n.poolAddresses, ['0000:3b:00.2', '0000:3b:00.3']);
  });

  it('joins live (the pool VF in use) and inactive XML (the network asked for); USB hostdevs are not PCI', () => {
    const live = parseDomainUsage(LIVE_DOMAIN);
    assert.deepEqual(live.problems, []);
    // function='04' is octal to libvirt, 4 either way; bus='59' decimal = 0x3b
    assert.deepEqual(live.value!.hostPciAddresses, ['0000:3b:00.3', '0000:3b:00.4']);
    assert.deepEqual(live.value!.bridges, ['br0']);
    assert.deepEqual(live.value!.diskPaths, ['/var/lib/libvirt/images/vm.qcow2']);
    const both = mergeUsage(live.value, parseDomainUsage(INACTIVE_DOMAIN).value)!;
    assert.deepEqual(both.networks, ['sriov-pool']);
    assert.deepEqual(both.hostPciAddresses, ['0000:3b:00.3', '0000:3b:00.4']);
  });
});

describe('queries over host facts', () => {
  const pf = mkPci('pci_0000_3b_00_0', '0000:3b:00.0', {
    productId: '0x101d',
    sriovCapable: true,
    maxVfs: 8,
    virtFunctions: ['0000:3b:00.2', '0000:3b:00.3', '0000:3b:00.4', '0000:3b:00.5', '0000:3b:00.6'],
    netInterface: 'enp59s0f0np0',
  });
  const vfs = [2, 3, 4, 5, 6].map((f) =>
    mkPci(`pci_0000_3b_00_${f}`, `0000:3b:00.${f}`, {
      physFunction: '0000:3b:00.0',
      // VFs a host driver holds have a netdev; .6 is given to a guest as a macvtap passthrough device
      ...(f >= 5 ? { driver: 'mlx5_core', netInterface: `enp59s0f0v${f - 2}` } : { driver: 'vfio-pci' }),
    }),
  );
  const macvtap = parseDomainUsage(`<domain type='kvm'><name>vm macvtap</name><devices>
<interface type='direct'><source dev='enp59s0f0v4' mode='passthrough'/></interface></devices></domain>`).value!;
  const facts: HostFacts = {
    uri: 'test:///x',
    versions: {},
    pcis: [pf, ...vfs],
    pools: [],
    errors: [],
    networks: [parseNetwork(LIVE_POOL.replace(/<address[^>]*\/>\s*/g, '')).value!],
    domains: [mergeUsage(parseDomainUsage(LIVE_DOMAIN).value, parseDomainUsage(INACTIVE_DOMAIN).value)!, macvtap],
  };

  it('vfsOf accepts any spelling of the PF address', () => {
    assert.deepEqual(
      vfsOf(facts, '3B:00.0').map((v) => v.address),
      ['0000:3b:00.2', '0000:3b:00.3', '0000:3b:00.4', '0000:3b:00.5', '0000:3b:00.6'],
    );
    assert.deepEqual(vfsOf(facts, 'pci_0000_3b_00_0').length, 5);
    assert.deepEqual(vfsOf(facts, 'nonsense'), []);
  });

  it("whoUses finds the domain by a VF it got from the pool, a hostdev address, and a macvtap on the VF's netdev", () => {
    assert.deepEqual(whoUses(facts, '0000:3b:00.3'), ['vm pool']);
    assert.deepEqual(whoUses(facts, '3b:00.4'), ['vm pool']);
    assert.deepEqual(whoUses(facts, '0000:3b:00.6'), ['vm macvtap']);
    assert.deepEqual(whoUses(facts, '0000:3b:00.2'), []);
  });

  it('freeVfs leaves out used VFs and filters by id and driver', () => {
    assert.deepEqual(
      freeVfs(facts, { vendorId: '15b3', productId: '0x101e' }).map((v) => v.address),
      ['0000:3b:00.2', '0000:3b:00.5'],
    );
    assert.deepEqual(
      freeVfs(facts, { vendorId: '0x15b3', drivers: ['vfio-pci', 'mlx5_vfio_pci'] }).map((v) => v.address),
      ['0000:3b:00.2'],
    );
    assert.deepEqual(freeVfs(facts, { vendorId: '8086' }), []);
  });

  it("poolAddresses expands a pool defined by <pf dev> through the PF's interface name when libvirt listed none", () => {
    assert.deepEqual(facts.networks[0].poolAddresses, []);
    assert.deepEqual(poolAddresses(facts, 'sriov-pool'), [
      '0000:3b:00.2',
      '0000:3b:00.3',
      '0000:3b:00.4',
      '0000:3b:00.5',
      '0000:3b:00.6',
    ]);
    assert.deepEqual(poolsWith(facts, '0000:3b:00.5'), ['sriov-pool']);
  });
});

describe('the parsers never throw', () => {
  const docs = [UDEV_PCI, UDEV_NET, LIVE_POOL, LIVE_DOMAIN];
  const parsers = [parseNodeDevice, parseNetwork, parseDomainUsage];
  it('on every prefix of real output (a cut-off stream), on the wrong document and on garbage', () => {
    for (const doc of docs) {
      for (let i = 0; i < doc.length; i += 7) {
        for (const p of parsers) {
          const r = p(doc.slice(0, i));
          assert.ok(r.value !== undefined || r.problems.length > 0, `${p.name} on a ${i}-byte prefix: no value and no problem`);
        }
      }
    }
    for (const junk of [
      '',
      '<',
      '<<>>',
      '\u0000\u0001',
      '<device><name>x</name><capability type="pci"><bus>1</bus></capability></device>',
      '<a b="&bogus;"/>',
      'x'.repeat(10000),
    ]) {
      for (const p of parsers) assert.doesNotThrow(() => p(junk));
    }
    assert.match(parseNetwork(UDEV_PCI).problems[0], /root element is <device>, expected <network>/);
    const laughs = `<!DOCTYPE network [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]><network><name>&b;</name></network>`;
    assert.deepEqual(parseNetwork(laughs), { problems: ['a DOCTYPE (libvirt writes none): not read'] });
  });
});

describe('virsh messages (errors.ts): classification and secrets', () => {
  const seen: [string, string][] = [
    [
      "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/tmp/nope': No such file or directory",
      'connect-refused',
    ],
    [
      "error: failed to connect to the hypervisor\nerror: unable to connect to server at '127.0.0.1:1': Connection refused",
      'connect-refused',
    ],
    [
      "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/run/x/libvirt-sock': Permission denied",
      'permission-denied',
    ],
    [
      'error: failed to connect to the hypervisor\nerror: authentication failed: authentication failed, see test XML for the correct username/password',
      'auth-failed',
    ],
    [
      'error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: Could not resolve hostname nonexistent.invalid: Name or service not known: Connection reset by peer',
      'connect-refused',
    ],
    [
      'error: failed to connect to the hypervisor\nerror: Cannot recv data: Host key verification failed.: Connection reset by peer',
      'auth-failed',
    ],
    [
      'error: failed to connect to the hypervisor\nerror: Cannot recv data: root@h: Permission denied (publickey,password).: Connection reset by peer',
      'auth-failed',
    ],
    [
      'error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: connect to host 10.0.0.1 port 22: Connection timed out: Connection reset by peer',
      'connect-refused',
    ],
    ["error: failed to get domain 'nosuch'", 'not-found'],
    ["error: failed to get network 'nosuch'\nerror: Network not found: no network with matching name 'nosuch'", 'not-found'],
    [
      "error: Could not find matching device 'pci_0000_00_00_9'\nerror: Node device not found: no node device with matching name 'pci_0000_00_00_9'",
      'not-found',
    ],
    [
      'error: Failed to define domain from /dev/stdin\nerror: operation forbidden: read only access prevents virDomainDefineXML',
      'permission-denied',
    ],
    ['error: unsupported flags (0x80000000) in function testConnectListAllNodeDevices', 'failed'],
  ];
  for (const [stderr, kind] of seen) {
    it(`${kind}: ${stderr.split('\n').pop()}`, () => assert.equal(classify(stderr), kind));
  }

  it('sshHint: what to do, for ssh URIs only; the user and port as ssh takes them, never a password', () => {
    const unknown = 'error: Cannot recv data: Host key verification failed.: Connection reset by peer';
    assert.equal(
      sshHint('qemu+ssh://root:hunter2@h.example:2222/system?keyfile=/k', unknown),
      "ssh does not know this host's key and cannot ask under virsh: run `ssh -p 2222 root@h.example` once in a terminal to check and accept it",
    );
    assert.match(sshHint('qemu+ssh://[fe80::1]/system', unknown)!, /`ssh fe80::1`/);
    assert.match(
      sshHint('qemu+libssh2://u@h/system', 'Permission denied (publickey).')!,
      /^ssh could not log in without a terminal: .*`ssh u@h -o BatchMode=yes true`/,
    );
    assert.match(
      sshHint('qemu+ssh://h/system', 'WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!\nHost key verification failed.')!,
      /^the host's ssh key is not the one ssh knows for it/,
    );
    assert.equal(sshHint('qemu+tcp://h/system', unknown), undefined);
    assert.equal(sshHint('qemu+ssh://h/system', "error: failed to get domain 'x'"), undefined);
  });

  it("libvirtMessage keeps what ssh said on the lines after libvirt's, and drops its banner rules", () => {
    assert.equal(
      libvirtMessage('error: a\nerror: Cannot recv data: Warning: x.\r\nssh: connect to host h port 1: Connection refused: y\n'),
      'a: Cannot recv data: Warning: x. ssh: connect to host h port 1: Connection refused: y',
    );
    assert.equal(libvirtMessage('error: E: @@@@@@\n@   BANNER   @\n@@@@@@\n1\n2\n3\n4\nlast.: z'), 'E: BANNER … 4 last.: z');
    assert.equal(libvirtMessage('no error lines\nat all'), 'no error lines: at all');
  });

  it('redactUri hides a password and query values that are not known to be harmless', () => {
    assert.equal(
      redactUri('qemu+ssh://root:hunter2@h:2222/system?keyfile=/home/u/.ssh/id&no_verify=1'),
      'qemu+ssh://root:***@h:2222/system?keyfile=***&no_verify=1',
    );
    assert.equal(redactUri('qemu:///system?socket=/run/x/sock'), 'qemu:///system?socket=/run/x/sock');
    assert.equal(redactUri('test:///abs/node.xml'), 'test:///abs/node.xml');
    assert.equal(redactUri('qemu+tls://user@h/system?pkipath=/etc/pki/x'), 'qemu+tls://user@h/system?pkipath=***');
  });
});

function mkPci(name: string, address: string, extra: Partial<PciDevice>): PciDevice {
  return { name, address, vendorId: '0x15b3', productId: '0x101e', virtFunctions: [], sriovCapable: false, ...extra };
}
