import type { HostContext, HostFacts } from '../host';
import { poolAddresses, poolsWith, whoUses } from '../host';
import { parseText } from '../model/parsed';
import type { DomainOnHost, NetworkOnHost, PfOnHost, VfOnHost } from '../protocol/hosts';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isBlocker, validate } from './validate';

/** What the host view shows, computed from a host's facts by the same language service that checks documents. */

/** Errors and migration blockers of a definition judged for a host, `line N: message (code)`. */
export function judgeDefinition(xml: string, host: HostContext | undefined, uri = 'libvirt-domain://host/domain.xml'): string[] {
  const document = TextDocument.create(uri, 'xml', 0, xml);
  const parsed = parseText(xml, uri);
  if (!parsed.model) return [`not a libvirt domain`];
  return validate(document, parsed, { host })
    .filter(isBlocker)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message} (${d.code})`);
}

export interface Definition {
  name: string;
  uuid?: string;
  state?: string;
  persistent?: boolean;
  xml?: string;
  error?: string;
}

/** Each domain with its verdict: "migratable", "N blockers", or why it could not be judged. */
export function domainsOnHost(definitions: Definition[], host: HostContext): DomainOnHost[] {
  return definitions
    .map((d): DomainOnHost => {
      const base = {
        name: d.name,
        ...(d.uuid ? { uuid: d.uuid } : {}),
        ...(d.state ? { state: d.state } : {}),
        ...(d.persistent !== undefined ? { persistent: d.persistent } : {}),
      };
      if (d.xml === undefined)
        return { ...base, blockers: 0, verdict: `not judged: ${d.error ?? 'no definition read'}`, details: [] };
      const blockers = judgeDefinition(d.xml, host, `libvirt-domain://${host.name}/${encodeURIComponent(d.name)}.xml`);
      return {
        ...base,
        blockers: blockers.length,
        verdict: blockers.length === 0 ? 'migratable' : `${blockers.length} blocker${blockers.length === 1 ? '' : 's'}`,
        details: blockers.slice(0, 5),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Networks, with VFs total / in use for a hostdev pool. */
export function networksOnHost(facts: HostFacts): NetworkOnHost[] {
  return facts.networks
    .map((n): NetworkOnHost => {
      const out: NetworkOnHost = { name: n.name };
      if (n.active !== undefined) out.active = n.active;
      if (n.forwardMode) out.forwardMode = n.forwardMode;
      if (n.bridge) out.bridge = n.bridge;
      if (n.forwardMode === 'hostdev') {
        const vfs = poolAddresses(facts, n);
        out.vfs = { total: vfs.length, inUse: vfs.filter((a) => whoUses(facts, a).length > 0).length };
      }
      return out;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const id = (v: string) => v.replace(/^0x/i, '');

/** SR-IOV physical functions and their VFs: address, vendor:product, driver, MAC, which domain uses each. */
export function sriovOnHost(facts: HostFacts): PfOnHost[] {
  return facts.pcis
    .filter((p) => p.sriovCapable || p.virtFunctions.length > 0)
    .map((pf): PfOnHost => {
      const vfs = facts.pcis.filter((v) => v.physFunction === pf.address || pf.virtFunctions.includes(v.address));
      const seen = new Set<string>();
      const vfItems: VfOnHost[] = [];
      for (const v of vfs) {
        if (seen.has(v.address)) continue;
        seen.add(v.address);
        const item: VfOnHost = {
          address: v.address,
          vendorProduct: `${id(v.vendorId)}:${id(v.productId)}`,
          usedBy: whoUses(facts, v.address),
          pools: poolsWith(facts, v.address),
        };
        if (v.driver) item.driver = v.driver;
        if (v.mac) item.mac = v.mac;
        if (v.netInterface) item.netInterface = v.netInterface;
        vfItems.push(item);
      }
      // listed VFs the node devices do not show (not enabled yet) are left out: nothing can use them
      const out: PfOnHost = { address: pf.address, vendorProduct: `${id(pf.vendorId)}:${id(pf.productId)}`, vfs: vfItems };
      if (pf.productName) out.productName = pf.productName;
      if (pf.driver) out.driver = pf.driver;
      if (pf.netInterface) out.netInterface = pf.netInterface;
      if (pf.maxVfs !== undefined) out.maxVfs = pf.maxVfs;
      return out;
    });
}
