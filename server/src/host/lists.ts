import type { DomainListEntry, DomainState, Parsed } from './facts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/**
 * `virsh list --all --uuid --name`: one `UUID NAME` line per domain, the name written raw to the end of the line
 * (no padding, any bytes but a newline, which libvirt refuses in a name). The table form (`virsh list --all`) is not
 * read: it pads columns and, under LC_ALL=C, replaces non-ASCII letters of names with `\xff` escapes.
 * With format 'name' it reads `virsh list --all --name` (one name per line).
 */
export function parseDomainList(text: string, format: 'uuid-name' | 'name' = 'uuid-name'): Parsed<DomainListEntry[]> {
  const out: DomainListEntry[] = [];
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (format === 'name') {
      out.push({ name: line });
      continue;
    }
    const uuid = line.slice(0, 36);
    if (line[36] === ' ' && isUuid(uuid) && line.length > 37) out.push({ uuid: uuid.toLowerCase(), name: line.slice(37) });
    else problems.push(`unreadable domain list line: ${JSON.stringify(line)}`);
  }
  return { value: out, problems };
}

/** `virsh list|net-list|pool-list … --uuid`: one UUID per line. */
export function parseUuidList(text: string): Parsed<string[]> {
  const out: string[] = [];
  const problems: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (isUuid(line)) out.push(line.toLowerCase());
    else problems.push(`unreadable UUID list line: ${JSON.stringify(raw)}`);
  }
  return { value: out, problems };
}

/** `virsh nodedev-list [--cap …]`: one device name per line. */
export function parseNameList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The state of each UUID from the `list --all --uuid --state-*` listings (one per state). */
export function statesByUuid(lists: Partial<Record<DomainState, readonly string[]>>): Map<string, DomainState> {
  const out = new Map<string, DomainState>();
  for (const [state, uuids] of Object.entries(lists) as [DomainState, readonly string[]][]) {
    for (const u of uuids) out.set(u, state);
  }
  return out;
}
