import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeOnDaemons, bootFailoverGuest, type Daemon, defineNetwork, type LibvirtVersion } from '../helpers/hosts';

/**
 * libvirt networks in the bed: an isolated and a NAT network (in the run's private network namespace), a failover
 * guest whose standby sits on one, and the destination that lacks that network, which refuses the migration.
 */
for (const libvirt of ['9.0', '11.3'] as LibvirtVersion[]) {
  describeOnDaemons(`networks in the bed, libvirt ${libvirt}`, libvirt, [{ name: 'NA' }, { name: 'NB' }], (daemons) => {
    let a: Daemon;
    let b: Daemon;
    before(() => ([a, b] = daemons));

    it('defines and starts an isolated and a NAT network', async () => {
      const iso = await defineNetwork(a, 'iso', { mode: 'isolated' });
      const nat = await defineNetwork(a, 'nat', { mode: 'nat' });
      const list = (await a.virsh(['net-list', '--name'])).stdout;
      assert.match(list, /^iso$/m);
      assert.match(list, /^nat$/m);
      assert.match((await a.virsh(['net-dumpxml', 'nat'])).stdout, /<forward mode='nat'/);
      assert.notEqual(iso.bridge, nat.bridge);
    });

    it(
      'a standby on a network the destination lacks: the guest runs on A, the migration to B is refused',
      { timeout: 4 * 60_000 },
      async () => {
        await defineNetwork(a, 'standby-only-on-a');
        const g = await bootFailoverGuest(a, { name: 'fo-net', standbyNetwork: 'standby-only-on-a' });
        await g.waitForActivePrimary(120_000);
        assert.match((await a.virsh(['domiflist', g.name])).stdout, /standby-only-on-a/);
        const mig = await a.virsh(['migrate', '--live', g.name, b.uri, '--migrateuri', 'tcp://127.0.0.1'], {
          timeoutMs: 120_000,
        });
        assert.notEqual(mig.code, 0);
        assert.match(mig.stderr, /Network not found: no network with matching name 'standby-only-on-a'/);
        assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'running');
      },
    );
  });
}
