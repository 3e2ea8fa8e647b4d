import { insertBefore, prependChild, removeAttribute, renameElement, replaceElement, setAttribute } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { element } from '../edits/xml';
import { describeVf } from '../model/describe';
import type { Hostdev, NetInterface } from '../model/domain';
import { isVfInterface } from '../model/teaming';
import { DEFAULT_SETTINGS } from '../protocol/settings';
import { attribute, child, path } from '../parser/query';
import { addPartner, deviceAt, editable, partnerFix, setTransient, standbyElement } from './build';
import type { Fix, FixBuilder, FixContext } from './types';

/**
 * migration-hostdev: a VF without transient teaming. On an <interface type='hostdev'>, adding a virtio partner
 * is the obvious fix (safe); the VF pool variant is a choice. On a plain PCI <hostdev> nothing is safe without a
 * host: it may not even be a NIC; when the host says it is an Ethernet VF, converting it is safe. When the host
 * migrates the VF with its device state, nothing is needed: every fix stays a choice.
 */
export const fix: FixBuilder = (ctx, problem) => {
  const dev = deviceAt(ctx.model, problem.start);
  let fixes: Fix[] = [];
  if (problem.data.device === 'interface' && isVfInterface(dev)) fixes = interfaceFixes(ctx, dev);
  if (problem.data.device === 'hostdev' && dev?.kind === 'hostdev' && dev.type?.value === 'pci') {
    fixes = hostdevFixes(ctx, dev, problem.data.ethernetVf === true);
  }
  // the host migrates this VF with its device state: teaming is still offered, but it is a choice, not a fix
  return problem.data.migratesWithState === true ? fixes.map((f) => ({ ...f, safe: false })) : fixes;
};

function interfaceFixes(ctx: FixContext, vf: NetInterface): Fix[] {
  const plan = addPartner(ctx, vf);
  if (!plan) return [];
  const out: Fix[] = [partnerFix(plan, vf, 'Add a virtio failover partner', true)];
  const pool = toPoolNetwork(ctx, vf);
  if (pool) {
    const network = ctx.settings.vfPoolNetwork || DEFAULT_SETTINGS.vfPoolNetwork;
    out.push({
      title: `Use the VF pool network '${network}' instead of this host's PCI address (and add a virtio failover partner)`,
      edits: [...plan.edits, ...pool],
      safe: false,
      summary: `took ${describeVf(vf)} from the VF pool network '${network}', with the virtio failover partner '${plan.alias}'`,
    });
  }
  return out;
}

/** type='hostdev' → type='network', the host PCI <source> → <source network='pool'/>, no managed=. */
function toPoolNetwork(ctx: FixContext, vf: NetInterface): OffsetEdit[] | undefined {
  const source = child(vf.el, 'source');
  if (!source || !vf.type) return undefined;
  const network = ctx.settings.vfPoolNetwork || DEFAULT_SETTINGS.vfPoolNetwork;
  const edits = [
    setAttribute(ctx.style, vf.el, 'type', 'network'),
    replaceElement(ctx.text, ctx.style, source, element('source', [['network', network]])),
  ];
  const managed = attribute(vf.el, 'managed');
  if (managed) edits.push(removeAttribute(ctx.text, managed));
  return edits;
}

/** `ethernetVf`: the host says the device is an Ethernet VF (not, say, a GPU): converting it is then the safe fix. */
function hostdevFixes(ctx: FixContext, hd: Hostdev, ethernetVf: boolean): Fix[] {
  if (!editable(hd)) return [];
  const out: Fix[] = [];
  const converted = convertToInterface(ctx, hd);
  if (converted) out.push({ ...converted, safe: ethernetVf });
  const plan = addPartner(ctx, hd);
  if (plan) {
    out.push(
      partnerFix(
        plan,
        hd,
        "Add a virtio failover partner, keep <hostdev> (then set the VF's MAC on the host)",
        false,
        '; set that MAC on the VF on every host',
      ),
    );
  }
  return out;
}

/** <hostdev mode='subsystem' type='pci'> → <interface type='hostdev'> with a <mac>, teamed with a new standby. */
function convertToInterface(ctx: FixContext, hd: Hostdev): Fix | undefined {
  const address = path(hd.el, 'source', 'address');
  if (!hd.type || !address) return undefined;
  const mac = ctx.names.mac();
  const alias = ctx.names.alias();
  const edits: OffsetEdit[] = [
    insertBefore(ctx.text, ctx.style, hd.el, standbyElement(ctx.settings, mac, alias)),
    ...renameElement(ctx.text, hd.el, 'interface'),
    setAttribute(ctx.style, hd.el, 'type', 'hostdev'),
    prependChild(ctx.text, ctx.style, hd.el, element('mac', [['address', mac]])),
    ...setTransient(ctx, hd, alias),
  ];
  const mode = attribute(hd.el, 'mode');
  if (mode) edits.push(removeAttribute(ctx.text, mode));
  const addrType = attribute(address, 'type');
  if (addrType?.value !== 'pci') edits.push(setAttribute(ctx.style, address, 'type', 'pci', true));
  return {
    title: "Convert to <interface type='hostdev'> with a virtio failover partner (libvirt then sets the VF's MAC)",
    edits,
    safe: false,
    summary: `converted ${describeVf(hd)} to <interface type='hostdev'> with MAC ${mac} and the virtio failover partner '${alias}'`,
  };
}
