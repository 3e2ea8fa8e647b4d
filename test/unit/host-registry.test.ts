import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrationPercents } from '../../server/src/migrate';
import { HostRegistry, runVirsh, VirshError } from '../../server/src/virsh';

/**
 * The host registry with a stand-in virsh that fails at once, as one does for a host that refuses connections
 * (its words are libvirt 9.0's), and counts its runs; and the small parsers of what virsh prints.
 */
let dir: string;
let fakeVirsh: string;
let runs: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'migratable-registry-'));
  runs = join(dir, 'runs');
  writeFileSync(runs, '');
  fakeVirsh = join(dir, 'virsh');
  writeFileSync(
    fakeVirsh,
    `#!/bin/sh\necho run >> '${runs}'\necho "error: failed to connect to the hypervisor" >&2\necho "error: Failed to connect socket to '/nonexistent/sock': No such file or directory" >&2\nexit 1\n`,
  );
  chmodSync(fakeVirsh, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const count = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HostRegistry', () => {
  it('a host that failed is not read again by verdicts at once: no loop of reads when verdicts follow every read', async () => {
    const hosts = new HostRegistry();
    hosts.configure({
      hosts: [{ name: 'gone', uri: 'qemu:///system?socket=/nonexistent/sock' }],
      virsh: fakeVirsh,
      timeoutMs: 5000,
    });
    let heard = 0;
    // as the server does: each read that ends re-judges the open documents, whose verdicts ask for the host's context
    hosts.onFacts(() => {
      heard++;
      setTimeout(() => hosts.context('gone'), 10); // after the pull the refresh asks for
    });
    try {
      assert.equal(hosts.context('gone'), undefined, 'no facts yet');
      while (heard === 0) await sleep(20);
      const afterFirst = count();
      assert.ok(afterFirst >= 1, 'virsh ran');
      await sleep(1000);
      assert.equal(count(), afterFirst, 'virsh was run again by the verdicts');
      assert.equal(heard, 1);
      assert.equal(hosts.lastError('gone')?.kind, 'connect-refused');
    } finally {
      hosts.configure(undefined); // ends a loop, if there is one
    }
  });

  it('finds a host whatever the case of its name (VS Code lower-cases the host of a libvirt-domain: URI)', async () => {
    const hosts = new HostRegistry();
    hosts.configure({
      hosts: [{ name: 'Host-A', uri: 'qemu:///system?socket=/nonexistent/sock' }],
      virsh: fakeVirsh,
      timeoutMs: 5000,
    });
    assert.deepEqual(hosts.names(), ['Host-A']);
    assert.ok(hosts.has('host-a'));
    assert.equal(hosts.uri('host-a'), 'qemu:///system?socket=/nonexistent/sock');
    const heard: string[] = [];
    hosts.onFacts((name) => heard.push(name));
    await assert.rejects(hosts.facts('host-a'), VirshError);
    assert.deepEqual(heard, ['Host-A'], 'listeners hear the configured name');
  });
});

describe("what virsh prints, and what Node's errors may repeat", () => {
  it('migrate --verbose progress of virsh 9.0 ([%3d %%]) and 11.3 ([%5.2f %%]), whole percent', () => {
    assert.deepEqual(migrationPercents('Migration: [  0 %]\rMigration: [ 45 %]\rMigration: [100 %]'), [0, 45, 100]);
    assert.deepEqual(migrationPercents('\rMigration: [ 0.00 %]\rMigration: [45.23 %]\rMigration: [100.00 %]'), [0, 45, 100]);
  });

  it('a URI Node refuses as an argument (a NUL byte): the error names it without its password', async () => {
    const e = await runVirsh({ uri: 'qemu+ssh://root:s3cretpw@h/system\0', virsh: fakeVirsh }, ['list'], {
      timeoutMs: 5000,
    }).then(
      () => assert.fail('ran'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof VirshError, String(e));
    assert.match(e.message, /cannot run/);
    assert.ok(!e.message.includes('s3cretpw'), e.message);
  });
});
