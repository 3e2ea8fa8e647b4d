import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freeVfs, poolAddresses, poolsWith, vfsOf, whoUses, type HostFacts } from '../../server/src/host';
import { VirshError, VirshHost, runVirsh, type VirshTarget } from '../../server/src/virsh';
import { LIBVIRT_SKIP } from '../helpers/libvirt';
import { ROOT } from '../helpers/paths';
import { sriovHost } from '../helpers/sriov-node';

/**
 * Host discovery end to end on libvirt 11.3 (Debian bookworm-backports in a chroot, the lv11 helper): its test
 * driver reads node devices from a custom node file, which 9.0's refuses. An SR-IOV host with two PFs and 128 VFs,
 * hostdev pools and domains using VFs is read (1) by the system's virsh 9.0 through a real 11.3 libvirtd
 * (`test+unix:///FILE?socket=…`: the daemon opens the file) and (2) by 11.3's own virsh, and must give the same facts.
 *
 * Gated: needs the lv11 helper (MIGRATABLE_LV11=/path/to/lv11, else the project's scripts/lv11) and its chroot
 * (LV11_ROOT, default /srv/lv11, made by `lv11 setup`, ~90 s), and root. Skipped with the reason otherwise.
 */
const LV11 = process.env.MIGRATABLE_LV11 ?? resolve(ROOT, 'scripts', 'lv11');
/** The chroot scripts/lv11 builds (once, ~90 s) and the host test beds share. */
const LV11_ROOT = process.env.LV11_ROOT ?? resolve(ROOT, '.cache', 'lv11');
const SKIP = LIBVIRT_SKIP;

const host = sriovHost(64);
const [pf0, pf1] = host.pfs;

function checkFacts(f: HostFacts, label: string) {
  assert.deepEqual(f.errors, [], label);
  assert.equal(f.versions.libvirt, '11.3.0', label);
  assert.equal(f.pcis.length, 2 + 128 + 1, label);
  for (const pf of host.pfs) {
    const dev = f.pcis.find((p) => p.address === pf)!;
    assert.deepEqual(
      [dev.vendorId, dev.productId, dev.sriovCapable, dev.maxVfs, dev.netInterface],
      ['0x15b3', '0x101d', true, 64, host.pfIfaces.get(pf)],
      label,
    );
    assert.deepEqual(dev.virtFunctions, host.vfs.get(pf), label);
    assert.deepEqual(
      vfsOf(f, pf).map((v) => v.address),
      host.vfs.get(pf),
      label,
    );
  }
  const vfs = f.pcis.filter((p) => p.productId === '0x101e');
  assert.equal(vfs.length, 128);
  for (const vf of vfs) {
    assert.equal(vf.netInterface, host.vfIfaces.get(vf.address), `${label}: ${vf.address}`);
    assert.ok(vf.physFunction === pf0 || vf.physFunction === pf1, `${label}: ${vf.address}`);
    // libvirt's test driver does not read <driver> from node device XML: no driver is reported, none is guessed
    assert.equal(vf.driver, undefined);
  }
  const teamingVf = host.uses.get('vm-teaming')![0];
  const hostdevVf = host.uses.get('vm hostdev')![0];
  assert.deepEqual(whoUses(f, teamingVf), ['vm-teaming'], label);
  assert.deepEqual(whoUses(f, hostdevVf), ['vm hostdev'], `${label}: a shut-off domain still claims the VF it names`);
  const macvtapVf = host.uses.get('vm-pool')![0];
  assert.deepEqual(whoUses(f, macvtapVf), ['vm-pool'], `${label}: a macvtap passthrough on the VF's netdev`);
  const free = freeVfs(f, { vendorId: '15b3', productId: '101e' });
  assert.equal(free.length, 125, label);
  assert.ok(!free.some((v) => [teamingVf, hostdevVf, macvtapVf].includes(v.address)));
  assert.equal(freeVfs(f, { pf: pf1, vendorId: '0x15b3' }).length, 62);
  assert.equal(
    f.pcis.find((p) => p.address === '0000:00:01.0')!.netInterface,
    "we'ird;x",
    `${label}: an unsafe name read on its own`,
  );
  assert.deepEqual(poolAddresses(f, 'sriov-pool'), host.vfs.get(pf0), `${label}: a <pf dev> pool expands to the PF's VFs`);
  assert.deepEqual(poolAddresses(f, 'sriov-pool-b'), host.vfs.get(pf1)!.slice(0, 8));
  assert.deepEqual(poolsWith(f, hostdevVf), ['sriov-pool-b']);
  const byName = new Map(f.domains.map((d) => [d.name, d]));
  assert.deepEqual([...byName.keys()].sort(), ['--help', 'vm hostdev', 'vm-pool', 'vm-teaming']);
  assert.deepEqual([byName.get('vm hostdev')!.state, byName.get('vm-teaming')!.state], ['shut off', 'running']);
  assert.deepEqual(byName.get('vm-pool')!.networks, ['sriov-pool', 'default']);
  assert.deepEqual(byName.get('vm-teaming')!.bridges, ['br0']);
  assert.deepEqual(
    f.pools.map((p) => [p.name, p.type, p.targetPath, p.active]),
    [['images', 'dir', '/var/lib/libvirt/images', true]],
  );
  const nets = new Map(f.networks.map((n) => [n.name, n]));
  assert.deepEqual([nets.get('sriov-pool')!.forwardMode, nets.get('sriov-pool')!.pfDevs], ['hostdev', [host.pfIfaces.get(pf0)]]);
}

describe('host facts of a 128-VF host through libvirt 11.3 (lv11 chroot)', () => {
  if (SKIP) {
    it('needs the libvirt 11.3 chroot', { skip: SKIP }, () => {});
    return;
  }
  let dir: string;
  let lvo: string;
  let node: string;
  let virsh11: string;
  const env = () => ({ ...process.env, LVO: lvo, LV11_ROOT, LV11_BINDS: tmpdir() });
  const instance = 'hostcore';

  before(() => {
    assert.equal(process.getuid?.(), 0, 'the libvirt 11.3 chroot needs root (unshare, chroot): run the tests as root');
    if (!existsSync(join(LV11_ROOT, '.lv11-setup-ok'))) {
      const setup = spawnSync(LV11, ['setup'], { encoding: 'utf8', env: { ...process.env, LV11_ROOT }, timeout: 15 * 60_000 });
      assert.equal(
        setup.status,
        0,
        `scripts/lv11 setup failed (it needs debootstrap and Debian's archive):\n${setup.stdout}${setup.stderr}`,
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'migratable-lv11-'));
    lvo = join(dir, 'lvo');
    node = join(dir, 'node.xml');
    writeFileSync(node, host.xml);
    // the chroot's virsh, as a program VirshHost can run (argv passed through unchanged)
    virsh11 = join(dir, 'virsh-11.3');
    writeFileSync(virsh11, `#!/bin/sh\nexec '${LV11}' run virsh "$@"\n`, { mode: 0o755 });
    const start = spawnSync(LV11, ['start', instance], { encoding: 'utf8', env: env(), timeout: 60_000 });
    assert.equal(start.status, 0, `lv11 start failed:\n${start.stdout}${start.stderr}`);
  });
  after(() => {
    spawnSync(LV11, ['stop', instance], { env: env(), timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  const socket = () => {
    const r = spawnSync(LV11, ['uri', instance], { encoding: 'utf8', env: env() });
    return /socket=(.*)$/.exec(r.stdout.trim())![1];
  };

  it(
    'virsh 9.0 through an 11.3 libvirtd: every PF, VF, pool and user (npm run bench times it)',
    { timeout: 30_000 },
    async (t) => {
      const target: VirshTarget = { uri: `test+unix://${node}?socket=${socket()}` };
      const vh = new VirshHost(target, { timeoutMs: 10_000 });
      const times: number[] = [];
      let facts: HostFacts | undefined;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        facts = await vh.facts();
        times.push(Math.round(performance.now() - t0));
      }
      t.diagnostic(`facts() of ${facts!.pcis.length} PCI devices (128 VFs): ${times.join(', ')} ms`);
      assert.equal(facts!.versions.virshClient, '9.0.0');
      checkFacts(facts!, '9.0 client');
    },
  );

  it(
    'virsh 11.3 itself (its test driver, no daemon) gives the same facts: the command strings parse there too',
    { timeout: 30_000 },
    async (t) => {
      const vh = new VirshHost({ virsh: virsh11, uri: `test://${node}` }, { timeoutMs: 10_000 });
      const t0 = performance.now();
      const f = await vh.facts();
      t.diagnostic(`facts() with virsh 11.3 in the chroot: ${Math.round(performance.now() - t0)} ms`);
      assert.equal(f.versions.virshClient, '11.3.0');
      checkFacts(f, '11.3 client');
      const viaDaemon = await new VirshHost({ uri: `test+unix://${node}?socket=${socket()}` }, { timeoutMs: 10_000 }).facts();
      const strip = (x: HostFacts) => ({ ...x, uri: '', versions: {} });
      assert.deepEqual(strip(f), strip(viaDaemon));
    },
  );

  it(
    "11.3: a domain named --help, not-found, define from stdin; 9.0's test driver refuses nodedev-list where 11.3's lists",
    { timeout: 30_000 },
    async () => {
      const v11 = new VirshHost({ virsh: virsh11, uri: `test://${node}` }, { timeoutMs: 10_000 });
      assert.match(await v11.domainXml('--help'), /<name>--help<\/name>/);
      const missing = await v11.domainXml('nosuch').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(missing instanceof VirshError && missing.kind === 'not-found', String(missing));
      assert.match(missing.message, /failed to get domain 'nosuch'/);
      const defined = await v11.defineXml(
        "<domain type='test'><name>from-stdin</name><memory>1024</memory><os><type>hvm</type></os></domain>",
      );
      assert.deepEqual(defined, { name: 'from-stdin', message: "Domain 'from-stdin' defined from /dev/stdin" });
      const old = await runVirsh({ uri: `test://${node}` }, ['nodedev-list', '--cap', 'pci'], { timeoutMs: 10_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(old instanceof VirshError);
      assert.match(old.message, /unsupported flags \(0x80000000\) in function testConnectListAllNodeDevices/);
      const listed = await runVirsh({ virsh: virsh11, uri: `test://${node}` }, ['nodedev-list', '--cap', 'pci'], {
        timeoutMs: 10_000,
      });
      assert.equal(listed.stdout.trim().split('\n').length, 131);
    },
  );
});
