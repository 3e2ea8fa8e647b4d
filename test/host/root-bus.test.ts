import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import {
  describeOnDaemons,
  bootFailoverGuest,
  pollUntil,
  PRIMARY_REGISTERED,
  type Daemon,
  type LibvirtVersion,
} from '../helpers/hosts';
import { CLI_BUNDLE } from '../helpers/paths';

/**
 * teaming-not-pcie's claim about bus 0 of a q35 machine, judged by QEMU with a real guest: libvirt defines the
 * domain with its failover primary on `pcie.0`, where QEMU cannot hot-plug it (the primary is plugged only once the
 * guest acknowledges the standby). QEMU 10.0 refuses to start it (`Bus 'pcie.0' does not support hotplugging`);
 * QEMU 7.2 starts it, logs the same words as a warning, and the guest never gets its primary (the standby only). The
 * check flags it, `migratable fix` moves the primary to a pcie-root-port of its own, and then the guest gets it.
 */
const QEMU_WARNS = /warning: Bus 'pcie\.0' does not support hotplugging/;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Finding {
  code: string;
  message: string;
  range: { start: { line: number } };
}
function findings(file: string): Finding[] {
  return (JSON.parse(cli(['check', '--format', 'json', file]).stdout) as { diagnostics: Finding[] }[])[0].diagnostics;
}

for (const libvirt of ['9.0', '11.3'] as LibvirtVersion[]) {
  describeOnDaemons(
    `a failover primary on pcie.0, libvirt ${libvirt} (QEMU as the judge)`,
    libvirt,
    [{ name: 'R' }],
    (daemons) => {
      let a: Daemon;
      before(() => ([a] = daemons));

      it(
        'is flagged; QEMU cannot plug it (10.0: refused at start; 7.2: the guest runs on virtio only); after the fix it is plugged',
        { timeout: 5 * 60_000 },
        async () => {
          const g = await bootFailoverGuest(a, { name: 'fo-root', start: false });
          const inactive = (await a.virsh(['dumpxml', '--inactive', g.name])).stdout;
          const onRoot = inactive.replace(
            /(<alias name='ua-vf0'\/>[\s\S]*?)<address type='pci'[^>]*\/>/,
            "$1<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>",
          );
          assert.notEqual(onRoot, inactive, "the primary's guest address was found");
          const file = join(a.runDir, 'fo-root.xml');
          writeFileSync(file, onRoot);

          const flagged = findings(file).filter((f) => f.code === 'teaming-not-pcie');
          assert.equal(flagged.length, 1, JSON.stringify(flagged));
          assert.match(flagged[0].message, /^Bus 'pcie\.0' does not support hotplugging: .*QEMU 10 refuses to start the domain/);
          assert.match(onRoot.split('\n')[flagged[0].range.start.line], /bus='0x00' slot='0x05'/);

          assert.equal((await a.virsh(['define', file])).code, 0, 'libvirt accepts it');
          const from = g.serial.size();
          const start = await a.virsh(['start', g.name]);
          if (libvirt === '11.3') {
            // QEMU 10.0 refuses to start it
            assert.notEqual(start.code, 0, 'QEMU 10.0 started it');
            assert.match(start.stderr, /"failover_pair_id":"ua-backup0"\}: Bus 'pcie\.0' does not support hotplugging/);
          } else {
            // QEMU 7.2 starts it, but cannot plug the primary once the guest has acknowledged the standby
            assert.equal(start.code, 0, start.stderr);
            const log = a.qemuLog(g.name);
            await pollUntil(
              "QEMU's hotplug warning",
              120_000,
              () => existsSync(log) && QEMU_WARNS.test(readFileSync(log, 'utf8')),
            );
            // the guest's failover ticks, once a second: the standby carries the traffic and no primary comes (with the
            // primary on a root port it is there from the first tick)
            const ticks = await pollUntil(
              'ten failover ticks',
              120_000,
              () => {
                const t = g.serial.lines(from).filter((l) => /^FO t=\d+ /.test(l));
                return t.length >= 10 ? t : undefined;
              },
              500,
            );
            assert.ok(
              ticks.every((l) => / primary=none active=standby /.test(l)),
              ticks.join('\n'),
            );
            assert.doesNotMatch(g.serial.text(from), PRIMARY_REGISTERED);
            await a.virsh(['destroy', g.name]);
          }

          const fixed = cli(['fix', '--write', file]);
          assert.equal(fixed.status, 0, fixed.stderr);
          assert.match(fixed.stderr, /moved .* to its own pcie-root-port/);
          assert.deepEqual(
            findings(file).filter((f) => f.code === 'teaming-not-pcie'),
            [],
          );
          assert.equal((await a.virsh(['define', file])).code, 0);
          const again = g.serial.size();
          assert.equal((await a.virsh(['start', g.name])).code, 0);
          await g.waitForActivePrimary(120_000, again);
          assert.match(g.serial.text(again), PRIMARY_REGISTERED);
          await a.virsh(['destroy', g.name]);
        },
      );
    },
  );
}
