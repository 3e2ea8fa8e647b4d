import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { isPciPassthrough, type AnyDevice } from '../model/domain';
import { formatPci, xmlPciAddress } from '../model/pci';
import { attrValue, child, path, textContent } from '../parser/query';
import type { Parsed } from './parsed';
import { isBlocker } from './validate';

export interface ReadinessPair {
  alias: string;
  standbyMac: string | undefined;
  vfMac: string | undefined;
  /** Where the VF comes from: a host PCI address, or a VF pool network. */
  vf: string;
  range: Range;
}

export interface ReadinessItem {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  range: Range;
}

export interface Readiness {
  isDomain: boolean;
  /** The <domain> start tag (where the CodeLens goes). */
  domainRange: Range | undefined;
  name: string | undefined;
  pairs: ReadinessPair[];
  /** Errors, and warnings that block live migration. */
  blockers: ReadinessItem[];
  /** What a destination host must provide, or what the destination XML must rewrite. */
  destinationNeeds: string[];
}

const NOT_A_DOMAIN: Readiness = { isDomain: false, domainRange: undefined, name: undefined, pairs: [], blockers: [], destinationNeeds: [] };

/** A domain's migration readiness, from its parsed form and its diagnostics (as validate() returned them). */
export function readiness(document: TextDocument, parsed: Parsed, diagnostics: Diagnostic[]): Readiness {
  const model = parsed.model;
  if (!model) return NOT_A_DOMAIN;
  const range = (start: number, end: number): Range => ({ start: document.positionAt(start), end: document.positionAt(end) });
  const pairs: ReadinessPair[] = model.links.filter((l) => l.partner).map((l) => {
    const vf = l.transient.owner;
    return {
      alias: l.transient.persistent!.value,
      standbyMac: l.partner!.mac?.value,
      vfMac: vf.kind === 'interface' ? vf.mac?.value : undefined,
      vf: describeVf(vf),
      range: range(vf.el.start, vf.el.startTagEnd),
    };
  });
  const blockers: ReadinessItem[] = diagnostics
    .filter(isBlocker)
    .map((d) => ({ code: String(d.code), message: typeof d.message === 'string' ? d.message : d.message.value, severity: d.severity === DiagnosticSeverity.Error ? 'error' as const : 'warning' as const, range: d.range }));

  const needs = new Set<string>();
  for (const dev of [...model.interfaces, ...model.hostdevs]) {
    const address = hostPciAddress(dev);
    if (address) needs.add(`a VF for the PCI device now at ${address} (map it in the destination profile's "hostdevs")`);
  }
  for (const iface of model.interfaces) {
    const source = child(iface.el, 'source');
    const network = attrValue(source, 'network');
    const bridge = attrValue(source, 'bridge');
    if (iface.type?.value === 'network' && network) needs.add(`the network '${network}'${iface.teaming?.type?.value === 'transient' ? ' (a VF pool: <forward mode=\'hostdev\'>)' : ''}`);
    if (iface.type?.value === 'bridge' && bridge) needs.add(`the bridge '${bridge}'`);
  }
  for (const disk of model.devices.filter((d) => d.el.name === 'disk')) {
    const file = attrValue(child(disk.el, 'source'), 'file') ?? attrValue(child(disk.el, 'source'), 'dev');
    if (file) needs.add(`the disk ${file} on shared storage, or copied (virsh migrate --copy-storage-all)`);
  }
  return {
    isDomain: true,
    domainRange: range(model.domain.start, model.domain.startTagEnd),
    name: textContent(parsed.xml.text, child(model.domain, 'name')) || undefined,
    pairs,
    blockers,
    destinationNeeds: [...needs],
  };
}

/** `0000:3b:02.0` for a device whose <source> holds a host PCI address (numbers read as libvirt reads them). */
export function hostPciAddress(dev: AnyDevice): string | undefined {
  const a = isPciPassthrough(dev) ? path(dev.el, 'source', 'address') : undefined;
  const address = a ? xmlPciAddress(a) : undefined;
  return address ? formatPci(address) : undefined;
}

function describeVf(dev: AnyDevice): string {
  const address = hostPciAddress(dev);
  if (address) return `host PCI ${address}`;
  const network = attrValue(child(dev.el, 'source'), 'network');
  return network ? `VF pool network '${network}'` : `<${dev.el.name}>`;
}
