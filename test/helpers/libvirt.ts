/**
 * Tests that need libvirt as the judge run unless MIGRATABLE_SKIP_LIBVIRT=1 is set; then they are reported as
 * skipped with this reason (never silently passed). Without the variable, a missing tool is a failure that
 * names the Debian packages (scripts/system-deps.sh installs them).
 */
export const LIBVIRT_SKIP: string | false =
  process.env.MIGRATABLE_SKIP_LIBVIRT === '1' ? 'MIGRATABLE_SKIP_LIBVIRT=1: libvirt is not the judge in this run' : false;
