import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import {
  describeOnDaemons,
  bootFailoverGuest,
  buildFailoverGuest,
  type Daemon,
  destinationXml,
  type LibvirtVersion,
  pollUntil,
  PRIMARY_REGISTERED,
  PRIMARY_UNREGISTERED,
  tailOf,
} from '../helpers/hosts';

/**
 * The test beds prove themselves: two sandboxed libvirt daemons with different host UUIDs, a real Linux guest doing
 * virtio-net failover (e1000e primary, virtio standby), a real `virsh migrate --live` between them, and a guest
 * that never ejects its primary (the migration waits in QEMU's wait-unplug until domjobabort). Timings go to the
 * test's diagnostics; test/host/README.md has the measured figures.
 */
const UUIDS = { A: '5d0e9b84-2f43-4a8e-9a5b-0c1d2e3f4a5b', B: '8c3f7a21-6b9d-4e0f-a1c2-d3e4f5a6b7c8' };
const QUERY_MIGRATE = '{"execute":"query-migrate"}';
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

for (const libvirt of ['9.0', '11.3'] as LibvirtVersion[]) {
  const specs = [
    { name: 'A', hostUuid: UUIDS.A, hostname: 'lv-a' },
    { name: 'B', hostUuid: UUIDS.B, hostname: 'lv-b' },
  ];
  describeOnDaemons(`migration bed, libvirt ${libvirt}`, libvirt, specs, (daemons) => {
    let a: Daemon;
    let b: Daemon;
    before(() => ([a, b] = daemons));

    it('two daemons with different host UUIDs', async (t) => {
      for (const d of [a, b]) {
        const caps = await d.virsh(['capabilities']);
        assert.match(caps.stdout, new RegExp(`<uuid>${d.hostUuid}</uuid>`));
        t.diagnostic(
          `${d.name}: setup ${secs(d.timings.setupMs)}, start ${secs(d.timings.startMs)}, first virsh call ` +
            `${secs(d.timings.firstCallMs)} (capabilities ${d.timings.capsFromCache ? 'from the cache' : 'probed'})`,
        );
      }
    });

    it(
      'live-migrates a failover guest: primary unplugged on A, plugged again and active on B',
      { timeout: 5 * 60_000 },
      async (t) => {
        const build = await buildFailoverGuest(); // once per process; its time is the first caller's
        t.diagnostic(`guest build (test/guest/build-guest.sh, cached in .cache/failover-guest) ${secs(build.ms)}`);
        const t0 = Date.now();
        const g = await bootFailoverGuest(a, { name: 'fo1' });
        await g.waitForActivePrimary(120_000);
        const bootMs = Date.now() - t0;
        assert.match(g.serial.text(), PRIMARY_REGISTERED, 'the guest registered the e1000e as its failover primary');

        const dest = await destinationXml(g, b);
        const [qmpA, qmpB] = [a.watch('qmp', g.name), b.watch('qmp')];
        const mark = g.serial.size();
        const t1 = Date.now();
        const mig = await a.virsh(
          [
            'migrate',
            '--live',
            '--persistent',
            '--undefinesource',
            '--verbose',
            '--xml',
            dest.file,
            g.name,
            b.uri,
            '--migrateuri',
            'tcp://127.0.0.1',
          ],
          { timeoutMs: 120_000 },
        );
        const migrateMs = Date.now() - t1;
        assert.equal(
          mig.code,
          0,
          `virsh migrate: ${mig.stderr}\nsource serial:\n${g.serial.tail()}\n` +
            `source QEMU log:\n${tailOf(a.qemuLog(g.name))}\ndestination QEMU log:\n${tailOf(b.qemuLog(g.name))}`,
        );
        assert.match(
          g.serial.text(mark),
          PRIMARY_UNREGISTERED,
          `the source guest ejected its primary first:\n${g.serial.tail()}`,
        );

        const registered = await dest.guest.serial.waitForMatch(PRIMARY_REGISTERED, 60_000);
        await dest.guest.waitForActivePrimary(60_000, registered.end);
        const backMs = Date.now() - t1;

        // what QEMU said (docs: shared libvirt-facts §9): the source unplugged the primary and waited for the guest
        await qmpA.waitFor(/UNPLUG_PRIMARY .*"device-id":"ua-vf0"/, 5_000);
        await qmpA.waitFor(/MIGRATION .*"status":"wait-unplug"/, 5_000);
        await qmpA.waitFor(/MIGRATION .*"status":"completed"/, 5_000);
        await qmpB.waitFor(/FAILOVER_NEGOTIATED .*"device-id":"ua-backup0"/, 5_000);

        assert.equal((await b.virsh(['domstate', g.name])).stdout.trim(), 'running');
        assert.match(
          (await b.virsh(['dumpxml', '--inactive', g.name])).stdout,
          /<qemu:property name='failover_pair_id' type='string' value='ua-backup0'\/>/,
          'the persistent config on B keeps the override',
        );
        assert.match((await b.virsh(['list', '--persistent', '--name'])).stdout, new RegExp(`^${g.name}$`, 'm'));
        const gone = await a.virsh(['dominfo', g.name]);
        assert.notEqual(gone.code, 0, 'the domain is gone from A (--undefinesource)');
        assert.match(gone.stderr, /failed to get domain|Domain not found/);
        t.diagnostic(
          `boot to active=primary ${secs(bootMs)}; virsh migrate ${secs(migrateMs)}; ` +
            `primary registered and active on B ${secs(backMs)} after the migration started`,
        );
      },
    );

    it(
      'a guest that never ejects (acpiphp.disable=1 fo.rescan=1): wait-unplug, then domjobabort keeps it on A',
      { timeout: 5 * 60_000 },
      async (t) => {
        const g = await bootFailoverGuest(a, { name: 'fo-noeject', append: 'acpiphp.disable=1 fo.rescan=1' });
        await g.waitForActivePrimary(120_000);
        const qmp = a.watch('qmp', g.name);
        const t1 = Date.now();
        const migration = a.virsh(['migrate', '--live', '--verbose', g.name, b.uri, '--migrateuri', 'tcp://127.0.0.1'], {
          timeoutMs: 180_000,
        });
        const queryMigrate = async () => (await a.virsh(['qemu-monitor-command', g.name, QUERY_MIGRATE])).stdout;
        await pollUntil(
          'query-migrate to say wait-unplug',
          30_000,
          async () => (/"status":"wait-unplug"/.test(await queryMigrate()) ? true : undefined),
          250,
        );
        const waitMs = Date.now() - t1;
        // it never leaves wait-unplug by itself: still there after 5 more seconds (no timeout in QEMU or libvirt)
        await new Promise((r) => setTimeout(r, 5_000));
        assert.match(await queryMigrate(), /^\{"return":\{"status":"wait-unplug"\}/);

        const t2 = Date.now();
        const abort = await a.virsh(['domjobabort', g.name]);
        assert.equal(abort.code, 0, abort.stderr);
        const abortMs = Date.now() - t2;
        const mig = await migration;
        const cancelMs = Date.now() - t2;
        assert.notEqual(mig.code, 0);
        assert.match(mig.stderr, /operation aborted: job 'migration out' canceled by client/);
        assert.ok(cancelMs > 25_000, `QEMU waits ~30 s for the unplug before it cancels (took ${secs(cancelMs)})`);
        await qmp.waitFor(/MIGRATION .*"status":"cancelled"/, 5_000);
        assert.ok(
          qmp.lines().some((l) => /UNPLUG_PRIMARY .*"device-id":"ua-vf0"/.test(l)),
          qmp.lines().join('\n'),
        );

        assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'running');
        await g.waitForActivePrimary(30_000, g.serial.size());
        const onB = await b.virsh(['list', '--all', '--name']);
        assert.doesNotMatch(onB.stdout, new RegExp(`^${g.name}$`, 'm'), 'nothing is left on B');
        t.diagnostic(
          `wait-unplug ${secs(waitMs)} after virsh migrate started; domjobabort returned in ${secs(abortMs)}; ` +
            `virsh migrate failed ${secs(cancelMs)} after the abort; the guest kept its primary on A`,
        );
      },
    );
  });
}
