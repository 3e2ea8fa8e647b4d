import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostContext, HostFacts, Network, PciDevice } from '../../server/src/host';
import { preflightChecks, profileFromHost, profileTemplate } from '../../server/src/service';
import { domain, parsed } from '../helpers/docs';

/** Host facts as VirshHost.facts() returns them, built from a few lines: PFs with VFs, domains using some. */
function facts(opts: {
  pfs?: { pf: string; vfs: number; product?: string; driver?: string }[];
  uses?: Record<string, string[]>;
  networks?: Network[];
  pools?: { name: string; targetPath: string }[];
  netInterfaces?: string[];
  versions?: { libvirt?: string; qemu?: string };
  machines?: string[];
}): HostFacts {
  const pcis: PciDevice[] = [];
  for (const { pf, vfs, product = '0x101e', driver = 'vfio-pci' } of opts.pfs ?? []) {
    const [dom, bus] = pf.split(':');
    const vfAddrs = Array.from(
      { length: vfs },
      (_, i) =>
        `${dom}:${(parseInt(bus, 16) + 1).toString(16).padStart(2, '0')}:${Math.floor(i / 8)
          .toString(16)
          .padStart(2, '0')}.${i % 8}`,
    );
    pcis.push({ name: 'pf', address: pf, vendorId: '0x15b3', productId: '0x101d', virtFunctions: vfAddrs, sriovCapable: true });
    for (const a of vfAddrs)
      pcis.push({
        name: a,
        address: a,
        vendorId: '0x15b3',
        productId: product,
        classCode: '0x020000',
        driver,
        physFunction: pf,
        virtFunctions: [],
        sriovCapable: false,
      });
  }
  return {
    uri: 'qemu+ssh://root@host-b/system',
    versions: opts.versions ?? { libvirt: '11.3.0', qemu: '10.0.2' },
    pcis,
    netInterfaces: opts.netInterfaces ?? [],
    networks: opts.networks ?? [],
    domains: Object.entries(opts.uses ?? {}).map(([name, hostPciAddresses]) => ({
      name,
      hostPciAddresses,
      networks: [],
      directDevs: [],
      bridges: [],
      diskPaths: [],
    })),
    pools: (opts.pools ?? []).map((p) => ({ ...p, type: 'dir', active: true })),
    errors: [],
    ...(opts.machines ? { domcaps: { machines: opts.machines, hostdevPci: true, pciBackends: [] } } : {}),
  };
}
const host = (name: string, f: HostFacts): HostContext => ({ name, facts: f });

const standby = (alias: string, mac: string, network = 'default') =>
  `    <interface type='network'>\n      <mac address='${mac}'/>\n      <source network='${network}'/>\n      <model type='virtio'/>\n      <teaming type='persistent'/>\n      <alias name='${alias}'/>\n    </interface>\n`;
const vf = (address: [string, string, string], persistent: string, mac: string) =>
  `    <interface type='hostdev' managed='yes'>\n      <mac address='${mac}'/>\n      <source><address type='pci' domain='0x0000' bus='0x${address[0]}' slot='0x${address[1]}' function='0x${address[2]}'/></source>\n      <teaming type='transient' persistent='${persistent}'/>\n    </interface>\n`;
const Q35 = `  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n`;
/** A domain with `n` teaming pairs, VFs 0000:3c:00.0 … of PF 0000:3b:00.0 on its source host. */
function pairs(n: number, network = 'default'): string {
  let devices = '';
  for (let i = 0; i < n; i++) {
    const mac = `52:54:00:00:00:${(i + 1).toString(16).padStart(2, '0')}`;
    devices += standby(`ua-s${i}`, mac, network) + vf(['3c', '00', String(i)], `ua-s${i}`, mac);
  }
  return domain(devices, Q35);
}

describe('Create Destination Profile from Host', () => {
  const source = host('host-a', facts({ pfs: [{ pf: '0000:3b:00.0', vfs: 8 }] }));

  it('proposes a free VF of the same vendor:product for each VF, all on one destination PF when one has room, never one a domain uses or a pool holds', () => {
    const pool: Network = {
      name: 'vf-pool',
      forwardMode: 'hostdev',
      pfDevs: [],
      interfaceDevs: [],
      poolAddresses: ['0000:5f:00.0', '0000:5f:00.1'],
    };
    const dest = host(
      'host-b',
      facts({
        pfs: [
          { pf: '0000:5e:00.0', vfs: 64 },
          { pf: '0000:80:00.0', vfs: 4 },
          { pf: '0000:90:00.0', vfs: 64, product: '0x1018' },
        ],
        uses: { web2: ['0000:5f:00.2', '0000:5f:00.3'], db1: ['0000:81:00.0'] },
        networks: [pool, { name: 'default', forwardMode: 'nat', pfDevs: [], interfaceDevs: [], poolAddresses: [] }],
      }),
    );
    const r = profileFromHost({ domain: parsed(pairs(3)), source, dest, destUri: 'qemu+ssh://root@host-b/system' });
    const p = JSON.parse(r.text) as {
      name: string;
      uri: string;
      hostdevs: Record<string, string>;
      networks: Record<string, string>;
    };
    assert.deepEqual(r.problems, []);
    assert.equal(p.uri, 'qemu+ssh://root@host-b/system');
    assert.deepEqual(p.networks, { default: 'default' });
    const chosen = Object.values(p.hostdevs);
    assert.equal(chosen.length, 3);
    assert.equal(new Set(chosen).size, 3, 'no VF twice');
    for (const a of chosen) {
      assert.ok(a.startsWith('0000:5f:'), `${a}: on the PF with room for all three (0000:5e:00.0), not the small one`);
      assert.ok(
        !['0000:5f:00.0', '0000:5f:00.1', '0000:5f:00.2', '0000:5f:00.3'].includes(a),
        `${a} is taken by a pool or a domain`,
      );
    }
    assert.ok(
      r.notes.some((n) => /web2 uses 0000:5f:00\.2/.test(n)),
      r.notes.join('\n'),
    );
  });

  it('128 VFs on the destination, 60 in use: the 8 VFs of one source PF go to the destination PF with room for them all', () => {
    const dest = host(
      'host-b',
      facts({
        pfs: [
          { pf: '0000:5e:00.0', vfs: 64 },
          { pf: '0000:d8:00.0', vfs: 64 },
        ],
        networks: [{ name: 'default', pfDevs: [], interfaceDevs: [], poolAddresses: [] }],
        uses: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`vm${i}`, [`0000:5f:0${Math.floor(i / 8)}.${i % 8}`]])),
      }),
    );
    const r = profileFromHost({ domain: parsed(pairs(8)), source, dest, destUri: 'qemu:///system' });
    const chosen = Object.values((JSON.parse(r.text) as { hostdevs: Record<string, string> }).hostdevs);
    assert.deepEqual(r.problems, []);
    assert.equal(new Set(chosen).size, 8);
    assert.ok(
      chosen.every((a) => a.startsWith('0000:d9:')),
      `the PF with 64 free VFs, not the one with 4: ${chosen}`,
    );
  });

  it('leaves a placeholder and says why where no choice is safe: no source host, no free VF, a missing network, bridge or pool', () => {
    const dest = host(
      'host-b',
      facts({
        pfs: [{ pf: '0000:5e:00.0', vfs: 1 }],
        uses: { other: ['0000:5f:00.0'] },
        networks: [{ name: 'lan', pfDevs: [], interfaceDevs: [], poolAddresses: [] }],
      }),
    );
    const withDisk = pairs(1, 'prod').replace(
      '  </devices>',
      `    <disk type='file' device='disk'>\n      <source file='/var/lib/libvirt/images/a.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n    <interface type='bridge'>\n      <source bridge='br7'/>\n    </interface>\n  </devices>`,
    );
    const r = profileFromHost({ domain: parsed(withDisk), source, dest, destUri: 'qemu:///system' });
    const p = JSON.parse(r.text) as {
      hostdevs: Record<string, string>;
      networks: Record<string, string>;
      bridges: Record<string, string>;
      disks: Record<string, string>;
    };
    assert.deepEqual(p.hostdevs, { '0000:3c:00.0': 'DDDD:BB:SS.F' });
    assert.equal(p.networks.prod, '<choose a network of host-b>');
    assert.equal(p.bridges.br7, '<choose a bridge of host-b>');
    assert.equal(p.disks['/var/lib/libvirt/images/'], '<choose a folder of host-b>');
    assert.deepEqual(
      r.problems.map((x) => x.replace(/:.*/, '')),
      ['hostdevs 0000', 'networks prod', 'bridges br7', 'disks /var/lib/libvirt/images/'],
    );
    assert.match(r.problems[0], /no free VF 15b3:101e on host-b \(other uses 0000:5f:00\.0\)/);
    const blind = profileFromHost({ domain: parsed(pairs(1)), dest, destUri: 'qemu:///system' });
    assert.match(blind.problems[0], /without the source host its vendor and product are unknown/);
  });
});

describe('Check Destination (preflight), judged from host facts', () => {
  const source = host('host-a', facts({ pfs: [{ pf: '0000:3b:00.0', vfs: 8 }] }));
  const lan = (name: string): Network => ({
    name,
    active: true,
    forwardMode: 'nat',
    pfDevs: [],
    interfaceDevs: [],
    poolAddresses: [],
  });
  const dest = (extra: Parameters<typeof facts>[0] = {}) =>
    host(
      'host-b',
      facts({ pfs: [{ pf: '0000:5e:00.0', vfs: 8 }], networks: [lan('default')], machines: ['pc-q35-10.0', 'q35'], ...extra }),
    );
  const profile = JSON.stringify({ hostdevs: { '0000:3c:00.0': '0000:5f:00.1' } });
  const byName = (checks: { check: string; ok: boolean; detail: string }[]) => new Map(checks.map((c) => [c.check, c]));

  it('all pass: no blocker, the profile rewrites the VF and keeps the ABI, network there, a free VF, the machine type offered, the guest negotiated failover', () => {
    const r = preflightChecks({
      domain: parsed(pairs(1)),
      source,
      dest: dest(),
      profileText: profile,
      primaries: [{ alias: 'ua-vf', plugged: true }],
    });
    // every check ran (an empty or renamed list would pass the next assertion)
    assert.deepEqual(
      r.checks.map((c) => c.check),
      [
        'no migration blocker',
        'destination XML',
        'networks and bridges on the destination',
        'storage on the destination',
        'a VF for each VF',
        'machine type',
        'CPU',
        'guest failover (ua-vf)',
      ],
    );
    assert.deepEqual(
      r.checks.filter((c) => !c.ok).map((c) => c.check),
      [],
    );
    assert.match(r.destinationXml ?? '', /bus='0x5f' slot='0x00' function='0x1'/);
  });

  it('each failure is named with its evidence', () => {
    const c = byName(
      preflightChecks({
        domain: parsed(pairs(1, 'prod')),
        source,
        dest: dest({ uses: { web9: ['0000:5f:00.1'] }, machines: ['pc-i440fx-10.0'] }),
        profileText: profile,
      }).checks,
    );
    assert.match(c.get('networks and bridges on the destination')!.detail, /host-b lacks network 'prod'/);
    assert.match(c.get('a VF for each VF')!.detail, /0000:5f:00\.1 on host-b is used by web9/);
    assert.match(c.get('machine type')!.detail, /does not offer q35/);
    const none = byName(preflightChecks({ domain: parsed(pairs(1)), source, dest: dest() }).checks);
    assert.match(
      none.get('destination XML')!.detail,
      /0000:3c:00\.0: a VF's host PCI address differs on every host: create a destination profile/,
    );
    const notVf = byName(
      preflightChecks({
        domain: parsed(pairs(1)),
        source,
        dest: dest(),
        profileText: JSON.stringify({ hostdevs: { '0000:3c:00.0': '0000:5e:00.0' } }),
      }).checks,
    );
    assert.match(notVf.get('a VF for each VF')!.detail, /0000:5e:00\.0 on host-b is not a VF/);
  });

  it("a VF pool network: a free VF in the destination pool, or libvirt's own words when none is", () => {
    const vfPool = domain(
      standby('ua-s0', '52:54:00:00:00:01') +
        `    <interface type='network'>\n      <mac address='52:54:00:00:00:01'/>\n      <source network='vf-pool'/>\n      <teaming type='transient' persistent='ua-s0'/>\n    </interface>\n`,
      Q35,
    );
    const pool: Network = {
      name: 'vf-pool',
      active: true,
      forwardMode: 'hostdev',
      pfDevs: [],
      interfaceDevs: [],
      poolAddresses: ['0000:5f:00.0', '0000:5f:00.1'],
    };
    const free = byName(preflightChecks({ domain: parsed(vfPool), dest: dest({ networks: [lan('default'), pool] }) }).checks);
    assert.ok(free.get('a VF for each VF')!.ok, free.get('a VF for each VF')!.detail);
    const full = byName(
      preflightChecks({
        domain: parsed(vfPool),
        dest: dest({ networks: [lan('default'), pool], uses: { a: ['0000:5f:00.0'], b: ['0000:5f:00.1'] } }),
      }).checks,
    );
    assert.match(
      full.get('a VF for each VF')!.detail,
      /network 'vf-pool' requires exclusive access to interfaces, but none are available/,
    );
  });

  it('a guest without net_failover is advice, not a refusal: it migrates on virtio only', () => {
    const r = preflightChecks({
      domain: parsed(pairs(1)),
      source,
      dest: dest(),
      profileText: profile,
      primaries: [{ alias: 'ua-vf', plugged: false }],
    });
    const c = r.checks.find((x) => x.check === 'guest failover (ua-vf)')!;
    assert.equal(c.ok, false);
    assert.equal(c.advisory, true);
    assert.match(c.detail, /lacks net_failover support .* it will migrate, on virtio only/);
    assert.deepEqual(
      r.checks.filter((x) => !x.ok && !x.advisory),
      [],
    );
  });
});

describe('profiles keep every name a domain uses, whatever it is called', () => {
  const odd = ['__proto__', 'constructor', 'toString'];
  const text = domain(
    odd.map((n) => `    <interface type='network'>\n      <source network='${n}'/>\n    </interface>\n`).join('') +
      `    <interface type='bridge'>\n      <source bridge='__proto__'/>\n    </interface>\n` +
      `    <disk type='file' device='disk'>\n      <source file='__proto__/a.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n`,
    Q35,
  );
  const keys = (json: string, map: string) => Object.keys((JSON.parse(json) as Record<string, object>)[map] ?? {});

  it('Create a profile… (a template): networks __proto__, constructor and toString, bridge and folder __proto__', () => {
    const t = profileTemplate(parsed(text), 'host-b');
    assert.deepEqual(keys(t, 'networks'), odd);
    assert.deepEqual(keys(t, 'bridges'), ['__proto__']);
    assert.deepEqual(keys(t, 'disks'), ['__proto__/']);
  });

  it('Create Destination Profile from Host: the same names, each mapped to the network of that name there', () => {
    const nets: Network[] = odd.map((name) => ({ name, forwardMode: 'nat', pfDevs: [], interfaceDevs: [], poolAddresses: [] }));
    const dest = host('host-b', facts({ networks: nets, netInterfaces: ['__proto__'] }));
    const r = profileFromHost({ domain: parsed(text), dest, destUri: 'qemu:///system' });
    const p = JSON.parse(r.text) as { networks: Record<string, string>; bridges: Record<string, string> };
    assert.deepEqual(
      Object.entries(p.networks),
      odd.map((n) => [n, n]),
    );
    assert.deepEqual(Object.keys(p.bridges), ['__proto__']);
  });
});
