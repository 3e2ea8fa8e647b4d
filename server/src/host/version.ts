import type { Parsed, Versions } from './facts';

const LINE = /^(Compiled against library|Using library|Using API|Running hypervisor|Running against daemon):\s*(.*?)\s*$/;

/**
 * `virsh version --daemon` under LC_ALL=C:
 *   Compiled against library: libvirt 9.0.0 / Using library: libvirt 9.0.0 / Using API: QEMU 9.0.0 /
 *   Running hypervisor: QEMU 7.2.22 / Running against daemon: 11.3.0
 * A driver without a daemon (test:///) still reports a daemon line; older daemons may leave lines out.
 */
export function parseVersion(text: string): Parsed<Versions> {
  const v: Versions = {};
  const problems: string[] = [];
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw.trim());
    if (!m) continue;
    const [, key, rest] = m;
    const words = rest.split(/\s+/);
    const version = words[words.length - 1];
    if (!/^\d+(\.\d+)*$/.test(version)) {
      problems.push(`unreadable version line: ${raw.trim()}`);
      continue;
    }
    if (key === 'Compiled against library') v.virshClient = version;
    else if (key === 'Using library') v.library = version;
    else if (key === 'Running against daemon') v.libvirt = version;
    else if (key === 'Running hypervisor') {
      const name = words.slice(0, -1).join(' ');
      v.hypervisor = { name, version };
      if (name === 'QEMU') v.qemu = version;
    }
  }
  if (!v.libvirt && v.library) v.libvirt = v.library;
  if (!v.libvirt && !v.virshClient) return { problems: [...problems, 'no version lines in the output'] };
  return { value: v, problems };
}

/** Compares dotted versions numerically (`9.10.0` > `9.7`); missing parts are 0; a suffix (`-rc1`) is ignored. */
export function compareVersion(a: string, b: string): -1 | 0 | 1 {
  const parts = (s: string) =>
    s
      .trim()
      .split(/[^0-9.]/)[0]
      .split('.')
      .filter((p) => p !== '')
      .map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
