import { after, before, describe, it } from 'node:test';
import { startDaemon, type Daemon, type DaemonOptions } from './daemon';
import { assertPrerequisites, skipReason, type LibvirtVersion } from './prereq';

/**
 * A node:test suite on fresh sandboxed daemons of one libvirt version: started (in order) before its tests, stopped
 * after them; one skipped test saying why when the beds are off (MIGRATABLE_SKIP_LIBVIRT=1). `body` registers the
 * tests; `daemons` is filled when they run (its own `before` hooks run after the daemons have started).
 */
export function describeOnDaemons(
  title: string,
  libvirt: LibvirtVersion,
  specs: Omit<DaemonOptions, 'libvirt'>[],
  body: (daemons: Daemon[]) => void,
): void {
  describe(title, () => {
    const skip = skipReason();
    if (skip) {
      it('needs libvirt daemons', { skip }, () => {});
      return;
    }
    const daemons: Daemon[] = [];
    before(
      async () => {
        assertPrerequisites([libvirt]);
        for (const spec of specs) daemons.push(await startDaemon({ libvirt, ...spec }));
      },
      { timeout: 25 * 60_000 },
    );
    after(async () => {
      await Promise.all(daemons.map((d) => d.stop()));
    });
    body(daemons);
  });
}
