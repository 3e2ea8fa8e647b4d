import { appendChild, setAttribute } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { element } from '../edits/xml';
import { takenAliasNames, type NetInterface, type Teaming } from '../model/domain';
import { suggestAlias } from '../rules/alias-dropped';
import { addPartner, describeInterface, partnerFix, describeVf, deviceAt, editable, freeAlias, isTaken, persistentInterfaces } from './model';
import type { Fix, FixBuilder, FixContext } from './types';

/** teaming-dangling: name a standby that exists (safe when exactly one is free), or add one (safe when none is). */
export const teamingDangling: FixBuilder = (ctx, problem) => {
  const t = transientAt(ctx, problem.start);
  if (!t || t.persistent?.value !== problem.data.name) return [];
  return pointOrAdd(ctx, t);
};

/** teaming-persistent-attr-missing: the same choices as a dangling persistent=. */
export const teamingPersistentAttrMissing: FixBuilder = (ctx, problem) => {
  const t = transientAt(ctx, problem.start);
  if (!t || t.persistent?.value) return [];
  return pointOrAdd(ctx, t);
};

/** teaming-multiple-transients: every VF but one (the one whose MAC matches, else the first) gets its own standby. */
export const teamingMultipleTransients: FixBuilder = (ctx, problem) => {
  const t = transientAt(ctx, problem.start);
  const link = ctx.model.links.find((l) => l.transient === t);
  if (!t || !link?.partner || t.persistent?.value !== problem.data.name) return [];
  const standby = link.partner;
  const rivals = ctx.model.links.filter((l) => l.partner === standby);
  const sameMac = (l: typeof link) => l.transient.owner.kind === 'interface' && !!standby.mac
    && l.transient.owner.mac?.value.toLowerCase() === standby.mac.value.toLowerCase();
  const keeper = rivals.find(sameMac) ?? rivals[0];
  const plan = addPartner(ctx, t.owner, sameMac(link));
  if (!plan) return [];
  return [{
    title: 'Add a separate virtio failover partner for this VF',
    edits: plan.edits,
    safe: link !== keeper,
    summary: `gave ${describeVf(t.owner)} its own virtio failover partner '${plan.alias}' (MAC ${plan.mac}) instead of sharing '${problem.data.name}'`,
  }];
};

function transientAt(ctx: FixContext, offset: number): Teaming | undefined {
  const dev = deviceAt(ctx.model, offset);
  const t = dev?.kind !== 'other' ? dev?.teaming : undefined;
  return t?.type?.value === 'transient' && t.el.start <= offset && offset <= t.el.end ? t : undefined;
}

function pointOrAdd(ctx: FixContext, t: Teaming): Fix[] {
  const vf = t.owner;
  const candidates = persistentInterfaces(ctx.model, vf).filter(editable);
  const free = candidates.filter((c) => !isTaken(ctx.model, c, vf));
  const out = candidates.map((c) => pointAt(ctx, t, c, free.length === 1 && free[0] === c));
  if (free.length === 0) {
    const plan = addPartner(ctx, vf);
    if (plan) out.push(partnerFix(plan, vf, 'Add a virtio failover partner', true));
  }
  return out;
}

/** Points persistent= at a standby, giving the standby an alias libvirt keeps when it has none. */
function pointAt(ctx: FixContext, t: Teaming, standby: NetInterface, safe: boolean): Fix {
  const edits: OffsetEdit[] = [];
  let name: string;
  let what: string;
  if (standby.alias?.kept) {
    name = standby.alias.name.value;
    what = `Point at '${name}'`;
  } else if (standby.alias) {
    const old = standby.alias.name.value;
    name = suggestAlias(old, takenAliasNames(ctx.model));
    edits.push(setAttribute(ctx.style, standby.alias.el, 'name', name));
    for (const other of ctx.model.teamings) {
      if (other !== t && other.persistent?.value === old) edits.push(setAttribute(ctx.style, other.el, 'persistent', name));
    }
    what = `Rename the alias '${old}' to '${name}' and point at it`;
  } else {
    name = freeAlias(ctx.model);
    edits.push(appendChild(ctx.text, ctx.style, standby.el, element('alias', [['name', name]])));
    what = `Point at ${describeInterface(standby)} (giving it the alias '${name}')`;
  }
  edits.push(setAttribute(ctx.style, t.el, 'persistent', name));
  return { title: what, edits, safe, summary: `pointed the teaming of ${describeVf(t.owner)} at the standby '${name}'` };
}
