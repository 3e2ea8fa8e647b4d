import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { GUEST_FAILOVER_SUPPORT } from '../model/teaming';
import type { Readiness, ReadinessItem, ReadinessPair } from '../protocol/types';
import { vfOrigin } from '../model/describe';
import type { Parsed } from '../model/parsed';
import { hostPciAddress } from '../model/pci';
import { attrValue, child, textContent } from '../parser/query';
import { isBlocker } from './validate';

const NOT_A_DOMAIN: Readiness = {
  isDomain: false,
  domainRange: undefined,
  name: undefined,
  pairs: [],
  blockers: [],
  destinationNeeds: [],
  notes: [],
};

/** A domain's migration readiness, from its parsed form and its diagnostics (as validate() returned them). */
export function readiness(document: TextDocument, parsed: Parsed, diagnostics: Diagnostic[]): Readiness {
  const model = parsed.model;
  if (!model) return NOT_A_DOMAIN;
  const range = (start: number, end: number): Range => ({ start: document.positionAt(start), end: document.positionAt(end) });
  const pairs: ReadinessPair[] = model.links
    .filter((l) => l.partner)
    .map((l) => {
      const vf = l.transient.owner;
      return {
        alias: l.transient.persistent!.value,
        standbyMac: l.partner!.mac?.value,
        vfMac: vf.kind === 'interface' ? vf.mac?.value : undefined,
        vf: vfOrigin(vf),
        range: range(vf.el.start, vf.el.startTagEnd),
      };
    });
  const blockers: ReadinessItem[] = diagnostics.filter(isBlocker).map((d) => ({
    code: String(d.code),
    message: typeof d.message === 'string' ? d.message : d.message.value,
    severity: d.severity === DiagnosticSeverity.Error ? ('error' as const) : ('warning' as const),
    range: d.range,
  }));

  const needs = new Set<string>();
  for (const dev of [...model.interfaces, ...model.hostdevs]) {
    const address = hostPciAddress(dev);
    if (address) needs.add(`a VF for the PCI device now at ${address} (map it in the destination profile's "hostdevs")`);
  }
  for (const iface of model.interfaces) {
    const source = child(iface.el, 'source');
    const network = attrValue(source, 'network');
    const bridge = attrValue(source, 'bridge');
    if (iface.type?.value === 'network' && network)
      needs.add(
        `the network '${network}'${iface.teaming?.type?.value === 'transient' ? " (a VF pool: <forward mode='hostdev'>)" : ''}`,
      );
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
    notes: [`The guest must support virtio-net failover (${GUEST_FAILOVER_SUPPORT}).`],
  };
}
