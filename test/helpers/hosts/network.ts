import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from './daemon';

export interface NetworkOptions {
  /** isolated: a bridge only (no address, no dnsmasq, no firewall); nat: 192.168.N.0/24 with DHCP and NAT. */
  mode?: 'isolated' | 'nat';
  /** Start it (default) or only define it. */
  start?: boolean;
}

export interface Network {
  name: string;
  bridge: string;
  xml: string;
  subnet?: string;
}

/** Bridge names and subnets unique in the process: all daemons of a test run share one network namespace. */
let counter = 0;

/**
 * Defines (and by default starts) a libvirt network on one daemon. A network the destination lacks is simply one
 * defined on the source only; with the same name on both, a domain's `<source network=…>` migrates unchanged.
 * Everything lives in the run's private network namespace (see rundir.ts), never on the host's interfaces.
 */
export async function defineNetwork(daemon: Daemon, name: string, opts: NetworkOptions = {}): Promise<Network> {
  const n = ++counter;
  const bridge = `mvbr${n}`;
  const mode = opts.mode ?? 'isolated';
  const subnet = mode === 'nat' ? `192.168.${100 + (n % 150)}` : undefined;
  const xml = [
    '<network>',
    `  <name>${name}</name>`,
    `  <bridge name='${bridge}' stp='off'/>`,
    ...(subnet
      ? [
          "  <forward mode='nat'/>",
          `  <ip address='${subnet}.1' netmask='255.255.255.0'>`,
          `    <dhcp><range start='${subnet}.10' end='${subnet}.99'/></dhcp>`,
          '  </ip>',
        ]
      : []),
    '</network>',
    '',
  ].join('\n');
  const file = join(daemon.runDir, `net-${daemon.id}-${name}.xml`);
  writeFileSync(file, xml);
  const def = await daemon.virsh(['net-define', file]);
  if (def.code !== 0) throw new Error(`net-define ${name} on ${daemon.name}: ${def.stderr}`);
  if (opts.start ?? true) {
    const st = await daemon.virsh(['net-start', name]);
    if (st.code !== 0) throw new Error(`net-start ${name} on ${daemon.name}: ${st.stderr}`);
  }
  return { name, bridge, xml, subnet: subnet && `${subnet}.0/24` };
}
