import type { XmlElement } from '../parser/nodes';
import { attrValue, child, childElements } from '../parser/query';
import type { RewriteContext } from './context';
import { formatHostService, mapped, parseHostService, pointer } from './profile';

/** Whether `path` lies under the profile prefix: `/a/b/` matches `/a/b/x`; `/a/b` matches `/a/b` and `/a/b/x`, not `/a/bc`. */
function under(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (prefix.endsWith('/') || path.length === prefix.length || path[prefix.length] === '/');
}

/** The disk's sources and those of its backing chain, in document order (a loop: a chain can be 10,000 deep). */
function diskSources(disk: XmlElement): { source: XmlElement; backing: boolean }[] {
  const out: { source: XmlElement; backing: boolean }[] = [];
  const stack: { el: XmlElement; backing: boolean }[] = [{ el: disk, backing: false }];
  for (let f = stack.pop(); f; f = stack.pop()) {
    for (const s of childElements(f.el, 'source')) out.push({ source: s, backing: f.backing });
    const chain = childElements(f.el, 'backingStore');
    for (let i = chain.length - 1; i >= 0; i--) stack.push({ el: chain[i], backing: true });
  }
  return out;
}

/** Disk sources on file, block and directory storage, by longest matching path prefix. */
export function rewriteDisks(ctx: RewriteContext): void {
  const prefixes = Object.keys(ctx.profile.disks ?? {}).sort((a, b) => b.length - a.length);
  if (!prefixes.length) return;
  for (const disk of childElements(ctx.model.devicesEl, 'disk')) {
    const target = attrValue(child(disk, 'target'), 'dev');
    for (const { source, backing } of diskSources(disk)) {
      for (const attr of ['file', 'dev', 'dir']) {
        const value = attrValue(source, attr);
        const prefix = value === undefined ? undefined : prefixes.find((p) => under(value, p));
        if (value === undefined || prefix === undefined) continue;
        ctx.used.add(pointer('disks', prefix));
        const after = mapped(ctx.profile.disks, prefix)! + value.slice(prefix.length);
        ctx.setValue(`${backing ? 'backing store ' : ''}source ${attr} of disk '${target ?? '?'}'`, source, attr, after);
      }
    }
  }
}

/** VNC and SPICE listen addresses: the `listen` attribute and every `<listen type='address'>`. */
export function rewriteGraphics(ctx: RewriteContext): void {
  const address = ctx.profile.graphicsListen;
  if (address === undefined) return;
  for (const g of childElements(ctx.model.devicesEl, 'graphics')) {
    const type = attrValue(g, 'type');
    if (type !== 'vnc' && type !== 'spice') continue;
    const places: [XmlElement, string][] = [];
    if (attrValue(g, 'listen') !== undefined) places.push([g, 'listen']);
    for (const l of childElements(g, 'listen')) {
      if ((attrValue(l, 'type') ?? 'address') === 'address' && attrValue(l, 'address') !== undefined) places.push([l, 'address']);
    }
    for (const [el, attr] of places) {
      ctx.used.add(pointer('graphicsListen'));
      ctx.setValue(`listen address of <graphics type='${type}'>${el === g ? '' : ' (<listen>)'}`, el, attr, address);
    }
  }
}

const CHARDEVS = new Set(['serial', 'console', 'parallel', 'channel']);

/** TCP and UDP host sources of serial ports, consoles, parallel ports and channels. */
export function rewriteChardevs(ctx: RewriteContext): void {
  for (const dev of ctx.model.devices) {
    const type = attrValue(dev.el, 'type');
    if (!CHARDEVS.has(dev.el.name) || (type !== 'tcp' && type !== 'udp')) continue;
    for (const source of childElements(dev.el, 'source')) {
      const host = attrValue(source, 'host');
      const service = attrValue(source, 'service');
      if (host === undefined || service === undefined) continue;
      const key = formatHostService(host, service);
      const dest = mapped(ctx.profile.chardevs, key);
      const to = dest === undefined ? undefined : parseHostService(dest);
      if (!to) continue;
      ctx.used.add(pointer('chardevs', key));
      const changed = [ctx.set(source, 'host', to.host), ctx.set(source, 'service', to.service)].some(Boolean);
      if (changed)
        ctx.changes.push({
          what: `${type.toUpperCase()} source of ${ctx.describe(dev)}`,
          start: source.start,
          end: source.end,
          before: key,
          after: formatHostService(to.host, to.service),
        });
    }
  }
}

/** vcpu cpuset, vcpupin/emulatorpin/iothreadpin cpusets and numatune nodesets: host CPUs and NUMA nodes. */
export function rewriteTuning(ctx: RewriteContext): void {
  const { domain } = ctx.model;
  const p = ctx.profile;
  const vcpu = child(domain, 'vcpu');
  if (p.vcpuCpuset !== undefined && attrValue(vcpu, 'cpuset') !== undefined) {
    ctx.used.add(pointer('vcpuCpuset'));
    ctx.setValue('cpuset of <vcpu>', vcpu!, 'cpuset', p.vcpuCpuset);
  }
  const cputune = child(domain, 'cputune');
  pins(ctx, childElements(cputune, 'vcpupin'), 'vcpu', 'cpuset', p.cputune?.vcpupin, ['cputune', 'vcpupin']);
  pins(ctx, childElements(cputune, 'iothreadpin'), 'iothread', 'cpuset', p.cputune?.iothreadpin, ['cputune', 'iothreadpin']);
  const emulatorpin = child(cputune, 'emulatorpin');
  if (p.cputune?.emulatorpin !== undefined && attrValue(emulatorpin, 'cpuset') !== undefined) {
    ctx.used.add(pointer('cputune', 'emulatorpin'));
    ctx.setValue('cpuset of <emulatorpin>', emulatorpin!, 'cpuset', p.cputune.emulatorpin);
  }
  const numatune = child(domain, 'numatune');
  const memory = child(numatune, 'memory');
  if (p.numatune?.memory !== undefined && attrValue(memory, 'nodeset') !== undefined) {
    ctx.used.add(pointer('numatune', 'memory'));
    ctx.setValue('nodeset of <numatune><memory>', memory!, 'nodeset', p.numatune.memory);
  }
  pins(ctx, childElements(numatune, 'memnode'), 'cellid', 'nodeset', p.numatune?.memnode, ['numatune', 'memnode']);
}

function pins(
  ctx: RewriteContext,
  els: XmlElement[],
  idAttr: string,
  setAttr: string,
  map: Record<string, string> | undefined,
  at: string[],
): void {
  if (!map) return;
  for (const el of els) {
    const raw = attrValue(el, idAttr);
    const id = raw !== undefined && /^\s*\d+\s*$/.test(raw) ? String(Number(raw)) : undefined;
    const dest = id === undefined ? undefined : mapped(map, id);
    if (dest === undefined || attrValue(el, setAttr) === undefined) continue;
    ctx.used.add(pointer(...at, id!));
    ctx.setValue(`${setAttr} of <${el.name} ${idAttr}='${raw}'>`, el, setAttr, dest);
  }
}
