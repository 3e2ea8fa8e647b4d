import type { HostFacts } from '../host';
import type { Endpoint } from '../migrate';
import { hostLabel, type VirshHost } from '../virsh';
import { connectionOf, hostOf, type Connection } from './connect';

/** Facts by URI: a command that names one host twice (source and destination) reads it once. */
const factsByUri = new Map<string, Promise<HostFacts>>();

/** A host given by URI on the command line, as the migration layer sees it; its facts read once. */
export function endpointOf(c: Connection): Endpoint {
  const host: VirshHost = hostOf(c);
  return {
    name: hostLabel(c.uri),
    host,
    uri: c.uri,
    facts: (o) => {
      let facts = factsByUri.get(c.uri);
      if (!facts) factsByUri.set(c.uri, (facts = host.facts({ ...(o.signal ? { signal: o.signal } : {}) })));
      return facts;
    },
  };
}

/** `--dest URI` with the same virsh and deadline as `--connect`. */
export function destOf(values: { dest?: string; virsh?: string; timeout?: string }): Connection | undefined {
  return connectionOf(values, values.dest);
}
