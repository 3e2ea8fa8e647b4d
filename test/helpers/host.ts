import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { basename } from 'node:path';

/** Processes (pid, command line) whose command line contains `needle`, this process excluded. */
export function processesWith(needle: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      if (cmdline.includes(needle)) out.push({ pid: Number(p), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const PCI = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** The host's PCI devices and their bound drivers, read from sysfs: an oracle for the node device listing. */
export function sysfsPciDrivers(): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const a of readdirSync('/sys/bus/pci/devices')) {
    let driver: string | undefined;
    try {
      driver = basename(readlinkSync(`/sys/bus/pci/devices/${a}/driver`));
    } catch {
      driver = undefined;
    }
    out.set(a, driver);
  }
  return out;
}

/** Network interfaces by the PCI device they sit on (the nearest PCI device up their sysfs path). */
export function sysfsNetByPci(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const iface of readdirSync('/sys/class/net')) {
    const parts = realpathSync(`/sys/class/net/${iface}`).split('/');
    const pci = [...parts].reverse().find((p) => PCI.test(p));
    if (pci) out.set(pci, [...(out.get(pci) ?? []), iface]);
  }
  return out;
}
