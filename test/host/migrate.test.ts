import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, it } from 'node:test';
import {
  describeOnDaemons,
  bootFailoverGuest,
  defineNetwork,
  PRIMARY_REGISTERED,
  PRIMARY_UNREGISTERED,
  tailOf,
  type Daemon,
  type LibvirtVersion,
} from '../helpers/hosts';
import { CLI_BUNDLE } from '../helpers/paths';
import { migrate, watchAfterAbort, type Endpoint } from '../../server/src/migrate';
import type { MigrationEvent } from '../../server/src/protocol/hosts';
import { VirshHost } from '../../server/src/virsh';

/**
 * `migratable preflight`, `migrate` and `profile` against two real sandboxed libvirt daemons and a real guest doing
 * virtio-net failover (an emulated e1000e primary paired through <qemu:override>: the same code paths as a VF):
 * a migration that succeeds and is verified, a destination that lacks a network (refused before it starts), a guest
 * that never releases its primary (wait-unplug → timeout → abort, exit 3), a paused guest, and a cancelled one.
 */
interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  events: Record<string, unknown>[];
  ms: number;
}

/** Runs the built CLI; `onEvent` sees each JSON event line as it comes (and may interrupt the run). */
function cli(
  args: string[],
  onEvent?: (e: Record<string, unknown>, child: ReturnType<typeof spawn>) => void,
  timeoutMs = 240_000,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const events: Record<string, unknown>[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      stdout += b;
      pending += b;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.startsWith('{"event"')) continue;
        const e = JSON.parse(line) as Record<string, unknown>;
        events.push(e);
        onEvent?.(e, child);
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, events, ms: Date.now() - t0 });
    });
  });
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const MIGRATE_URI = ['--migrate-uri', 'tcp://127.0.0.1'];

for (const libvirt of ['9.0', '11.3'] as LibvirtVersion[]) {
  const title = `migratable preflight, migrate and profile against real hosts, libvirt ${libvirt}`;
  describeOnDaemons(title, libvirt, [{ name: 'MA' }, { name: 'MB' }], (daemons) => {
    let a: Daemon;
    let b: Daemon;
    let profile: string;

    /** `migratable migrate NAME` from A to B with the profile, over loopback, events as JSON lines. */
    const migrateArgs = (name: string, ...extra: string[]) => [
      'migrate',
      name,
      '--connect',
      a.uri,
      '--dest',
      b.uri,
      '--profile',
      profile,
      ...MIGRATE_URI,
      ...extra,
      '--format',
      'json',
    ];

    before(async () => {
      [a, b] = daemons;
      // the standby's network has another name on each host: the profile maps it
      await defineNetwork(a, 'lan-a');
      await defineNetwork(b, 'lan-b');
      profile = join(a.runDir, `profile-${libvirt}.migration.json`);
      writeFileSync(profile, JSON.stringify({ name: 'MB', uri: b.uri, networks: { 'lan-a': 'lan-b' } }, null, 2));
    });

    it(
      'a destination that lacks the network: preflight says so, and migrate refuses before anything starts',
      { timeout: 5 * 60_000 },
      async () => {
        const g = await bootFailoverGuest(a, { name: 'fo-refused', standbyNetwork: 'lan-a' });
        await g.waitForActivePrimary(120_000);
        const pre = await cli(['preflight', '--connect', a.uri, g.name, '--dest', b.uri, '--format', 'json']);
        assert.equal(pre.code, 1, pre.stderr);
        const checks = JSON.parse(pre.stdout) as { check: string; ok: boolean; detail: string }[];
        const net = checks.find((c) => c.check === 'networks and bridges on the destination');
        assert.ok(net && !net.ok, pre.stdout);
        assert.match(net.detail, /lacks network 'lan-a'/);
        const failover = checks.find((c) => c.check === 'guest failover (ua-vf0)');
        assert.ok(failover?.ok, `the running guest negotiated failover: ${pre.stdout}`);
        assert.ok(checks.find((c) => c.check === 'no migration blocker')?.ok, pre.stdout);

        const mig = await cli(['migrate', g.name, '--connect', a.uri, '--dest', b.uri, ...MIGRATE_URI, '--format', 'json']);
        assert.equal(mig.code, 1, mig.stderr);
        const error = mig.events.find((e) => e.event === 'error');
        assert.match(
          String(error?.message),
          /^not started: networks and bridges on the destination failed; fo-refused still runs on /,
        );
        assert.ok(!mig.events.some((e) => e.event === 'phase' && e.phase === 'migrating'), 'no migration started');
        assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'running');
        assert.doesNotMatch((await b.virsh(['list', '--all', '--name'])).stdout, /fo-refused/);
        await a.virsh(['destroy', g.name]);
      },
    );

    it(
      'migrates live with a profile: progress, the primary unplugged on A and plugged again on B, verified by the command',
      { timeout: 6 * 60_000 },
      async (t) => {
        const g = await bootFailoverGuest(a, { name: 'fo-ok', standbyNetwork: 'lan-a' });
        await g.waitForActivePrimary(120_000);
        const mark = g.serial.size();
        const r = await cli(migrateArgs(g.name));
        assert.equal(
          r.code,
          0,
          `${r.stdout}\n${r.stderr}\nsource serial:\n${g.serial.tail()}\nsource QEMU log:\n${tailOf(a.qemuLog(g.name))}\n` +
            `destination QEMU log:\n${tailOf(b.qemuLog(g.name))}`,
        );
        const phases = r.events.filter((e) => e.event === 'phase').map((e) => e.phase);
        assert.deepEqual(phases, ['preflight', 'migrating', 'verifying']);
        assert.ok(
          r.events.some((e) => e.event === 'progress'),
          'the job reported its percentage',
        );
        const done = r.events.find((e) => e.event === 'done');
        assert.match(String(done?.detail), /^fo-ok runs on .* with its VF ua-vf0 plugged again$/);
        // what the guest saw: the primary left on A, and came back on B (same serial file: both QEMUs append to it)
        assert.match(g.serial.text(mark), PRIMARY_UNREGISTERED, g.serial.tail());
        const registered = await g.serial.waitForMatch(PRIMARY_REGISTERED, 60_000, mark);
        await g.waitForActivePrimary(60_000, registered.end);
        assert.equal((await b.virsh(['domstate', g.name])).stdout.trim(), 'running');
        assert.match(
          (await b.virsh(['domiflist', g.name])).stdout,
          /lan-b/,
          'the standby now sits on lan-b (rewritten by the profile)',
        );
        assert.notEqual((await a.virsh(['dominfo', g.name])).code, 0, 'gone from A (--undefinesource)');
        t.diagnostic(`migrate took ${secs(r.ms)} (preflight, migration, verification)`);
        await b.virsh(['destroy', g.name]);
      },
    );

    it(
      'a guest that never releases its primary: wait-unplug past the timeout, aborted, exit 3, still running on A with it',
      { timeout: 6 * 60_000 },
      async (t) => {
        const g = await bootFailoverGuest(a, {
          name: 'fo-stuck',
          standbyNetwork: 'lan-a',
          append: 'acpiphp.disable=1 fo.rescan=1',
        });
        await g.waitForActivePrimary(120_000);
        const r = await cli(migrateArgs(g.name, '--unplug-timeout', '3'));
        assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
        assert.ok(
          r.events.some((e) => e.event === 'wait-unplug'),
          'QEMU wait-unplug was noticed',
        );
        assert.ok(r.events.some((e) => e.event === 'phase' && e.phase === 'aborting'));
        const error = r.events.find((e) => e.event === 'error');
        assert.match(
          String(error?.message),
          /^stopped: the guest did not release its VF within 3 s, the migration was aborted; fo-stuck still runs on .* with its VFs$/,
        );
        assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'running');
        assert.doesNotMatch((await b.virsh(['list', '--all', '--name'])).stdout, /fo-stuck/);
        t.diagnostic(`stuck migration stopped after ${secs(r.ms)} (QEMU cancels after about 30 s)`);
        await a.virsh(['destroy', g.name]);
      },
    );

    if (libvirt === '9.0') {
      it(
        'a paused guest cannot release it either: exit 3, paused on A, and the late eject is explained',
        { timeout: 6 * 60_000 },
        async () => {
          const g = await bootFailoverGuest(a, { name: 'fo-paused', standbyNetwork: 'lan-a' });
          await g.waitForActivePrimary(120_000);
          assert.equal((await a.virsh(['suspend', g.name])).code, 0);
          const r = await cli(migrateArgs(g.name, '--unplug-timeout', '2'));
          assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
          assert.match(String(r.events.find((e) => e.event === 'error')?.message), /fo-paused is paused on /);
          assert.match(r.stderr, /eject request for ua-vf0 stays pending/);
          assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'paused');
          await a.virsh(['destroy', g.name]);
        },
      );

      it(
        'a migration that ends while its stuck-unplug question is open (cancelled meanwhile): it returns, the question is withdrawn',
        { timeout: 4 * 60_000 },
        async () => {
          const g = await bootFailoverGuest(a, {
            name: 'fo-withdrawn',
            standbyNetwork: 'lan-a',
            append: 'acpiphp.disable=1 fo.rescan=1',
          });
          await g.waitForActivePrimary(120_000);
          const endpoint = (d: Daemon): Endpoint => {
            const host = new VirshHost({ uri: d.uri }, { timeoutMs: 60_000 });
            return { name: d.name, host, uri: d.uri, facts: (o) => host.facts(o) };
          };
          const cancel = new AbortController();
          let asked = 0;
          let withdrawn: AbortSignal | undefined;
          const outcome = await migrate({
            source: endpoint(a),
            dest: endpoint(b),
            domain: g.name,
            profileText: readFileSync(profile, 'utf8'),
            migrateUri: 'tcp://127.0.0.1',
            unplugTimeoutMs: 2000,
            emit: () => undefined,
            signal: cancel.signal,
            // nobody answers the question; the user cancels from the progress notification instead
            decide: (_seconds, signal) => {
              asked++;
              withdrawn = signal;
              cancel.abort();
              return new Promise(() => undefined);
            },
          });
          assert.equal(asked, 1);
          assert.equal(outcome.status, 1, outcome.message);
          assert.match(outcome.message, /^cancelled; fo-withdrawn still runs on MA with its VFs$/);
          assert.equal(withdrawn?.aborted, true, 'the question was withdrawn');
          assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'running');
          await a.virsh(['destroy', g.name]);
        },
      );

      it(
        "after the abort, a paused guest resumed later ejects its VF: the watch sees it, asks, and plugs it back (VS Code's path)",
        { timeout: 6 * 60_000 },
        async (t) => {
          const g = await bootFailoverGuest(a, { name: 'fo-late', standbyNetwork: 'lan-a' });
          await g.waitForActivePrimary(120_000);
          assert.equal((await a.virsh(['suspend', g.name])).code, 0);
          // the server's own migration and watch (server/src/handlers/migration.ts runs these for "Migrate Domain…")
          const endpoint = (d: Daemon): Endpoint => {
            const host = new VirshHost({ uri: d.uri }, { timeoutMs: 60_000 });
            return { name: d.name, host, uri: d.uri, facts: (o) => host.facts(o) };
          };
          const events: MigrationEvent[] = [];
          const outcome = await migrate({
            source: endpoint(a),
            dest: endpoint(b),
            domain: g.name,
            profileText: readFileSync(profile, 'utf8'),
            migrateUri: 'tcp://127.0.0.1',
            unplugTimeoutMs: 2000,
            emit: (e) => events.push(e),
            decide: async () => 'abort',
          });
          assert.equal(outcome.status, 3, outcome.message);
          const after = outcome.afterAbort;
          assert.ok(after && after.plugged.length === 1, JSON.stringify(after));
          assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'paused');
          // the guest runs again and handles the eject QEMU asked for before the abort: its primary goes away
          const mark = g.serial.size();
          assert.equal((await a.virsh(['resume', g.name])).code, 0);
          const asked: string[][] = [];
          const t0 = Date.now();
          await watchAfterAbort(
            endpoint(a),
            g.name,
            after,
            120_000,
            (e) => events.push(e),
            async (devices) => {
              asked.push(devices);
              return true;
            },
          );
          t.diagnostic(`late eject seen and re-attached ${((Date.now() - t0) / 1000).toFixed(1)} s after resume`);
          assert.deepEqual(asked, [after.plugged], 'asked once, about the primary');
          const logs = events.filter((e) => e.event === 'log').map((e) => (e as { message: string }).message);
          assert.ok(
            logs.some((m) => /the guest ejected .* after the aborted migration/.test(m)),
            logs.join('\n'),
          );
          assert.ok(
            logs.some((m) => /^re-attached /.test(m)),
            logs.join('\n'),
          );
          // plugged back: in the live definition, and the guest's PCI scan finds the e1000e again
          assert.match((await a.virsh(['dumpxml', g.name])).stdout, /<model type='e1000e'\/>/);
          const ejected = await g.serial.waitForMatch(/^FOEV .*pci: (?!.*0x8086:0x10d3)/, 60_000, mark);
          await g.serial.waitForMatch(/^FOEV .*pci: .*0x8086:0x10d3/, 60_000, ejected.end);
          await a.virsh(['destroy', g.name]);
        },
      );

      it(
        'Ctrl-C during the migration aborts the job (never kills virsh) and reports the domain still on A: exit 1',
        { timeout: 6 * 60_000 },
        async () => {
          const g = await bootFailoverGuest(a, {
            name: 'fo-cancel',
            standbyNetwork: 'lan-a',
            append: 'acpiphp.disable=1 fo.rescan=1',
          });
          await g.waitForActivePrimary(120_000);
          let interrupted = false;
          const r = await cli(migrateArgs(g.name), (e, child) => {
            if (e.event === 'wait-unplug' && !interrupted) {
              interrupted = true;
              child.kill('SIGINT');
            }
          });
          assert.ok(interrupted, r.stdout);
          assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
          assert.match(String(r.events.find((e) => e.event === 'error')?.message), /^cancelled; fo-cancel still runs on /);
          assert.equal((await a.virsh(['domstate', g.name])).stdout.trim(), 'running');
          await a.virsh(['destroy', g.name]);
        },
      );

      it('profile: proposes the destination networks (a placeholder and exit 1 where none is safe), check --connect judges on the host', async () => {
        await bootFailoverGuest(a, { name: 'fo-prof', standbyNetwork: 'lan-a', start: false });
        const r = await cli(['profile', '--connect', a.uri, 'fo-prof', '--dest', b.uri]);
        assert.equal(r.code, 1, r.stderr);
        const p = JSON.parse(r.stdout) as { uri: string; networks: Record<string, string> };
        assert.equal(p.uri, b.uri);
        assert.match(p.networks['lan-a'], /^<choose a network of .+>$/);
        assert.match(r.stderr, /to do: networks lan-a: .* has no network named so; choose one of: lan-b/);
        await defineNetwork(b, 'lan-a');
        const again = await cli(['profile', '--connect', a.uri, 'fo-prof', '--dest', b.uri]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal((JSON.parse(again.stdout) as { networks: Record<string, string> }).networks['lan-a'], 'lan-a');

        const check = await cli(['check', '--connect', a.uri, 'fo-prof', '--format', 'json']);
        assert.equal(check.code, 0, check.stderr);
        const [entry] = JSON.parse(check.stdout) as { host: string; domain: string; diagnostics: { code: string }[] }[];
        assert.equal(entry.domain, 'fo-prof');
        assert.deepEqual(
          entry.diagnostics.map((d) => d.code),
          ['teaming-guest-support'],
          'the e1000e primary pairs through <qemu:override>',
        );
      });
    }
  });
}
