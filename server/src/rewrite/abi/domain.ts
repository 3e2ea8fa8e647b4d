import type { XmlElement } from '../../parser/nodes';
import { attrValue, child, childElements, path, textContent } from '../../parser/query';
import { canonical, cpusetList, kib, num, type Abi, type Side } from './compare';

/** The domain-wide part of libvirt's virDomainDefCheckABIStability, in its order. */
export function checkDomain(a: Abi): void {
  const S = a.src.root;
  const D = a.dst.root;
  const st = (el: XmlElement | undefined) => textContent(a.src.text, el) || undefined;
  const dt = (el: XmlElement | undefined) => textContent(a.dst.text, el) || undefined;
  a.same(
    'abi-domain',
    attrValue(S, 'type'),
    attrValue(D, 'type'),
    (d, s) => `Target domain virt type ${d} does not match source ${s}`,
    S,
    D,
  );
  const uuid = (v: string | undefined) => v?.replace(/-/g, '').toLowerCase();
  a.same(
    'abi-domain',
    uuid(st(child(S, 'uuid'))),
    uuid(dt(child(D, 'uuid'))),
    (d, s) => `Target domain uuid ${d} does not match source ${s}`,
    child(S, 'uuid'),
    child(D, 'uuid'),
  );
  const sg = child(S, 'genid');
  const dg = child(D, 'genid');
  if (!!sg !== !!dg) a.report('abi-domain', 'Target domain requested genid does not match source', sg, dg);
  else if (sg && dg && st(sg) && dt(dg))
    a.same('abi-domain', uuid(st(sg)), uuid(dt(dg)), (d, s) => `Target domain genid ${d} does not match source ${s}`, sg, dg);
  a.same(
    'abi-domain',
    st(child(S, 'name')),
    dt(child(D, 'name')),
    (d, s) => `Target domain name '${d}' does not match source '${s}'`,
    child(S, 'name'),
    child(D, 'name'),
  );

  checkMemory(a);
  checkNuma(a);
  checkVcpus(a);

  const so = path(S, 'os', 'type');
  const dos = path(D, 'os', 'type');
  // libvirt stops at the first difference of the three
  if (
    a.same('abi-os', st(so), dt(dos), (d, s) => `Target domain OS type ${d} does not match source ${s}`, so, dos) &&
    a.same(
      'abi-os',
      attrValue(so, 'arch'),
      attrValue(dos, 'arch'),
      (d, s) => `Target domain architecture ${d} does not match source ${s}`,
      so,
      dos,
    )
  ) {
    a.same(
      'abi-os',
      attrValue(so, 'machine'),
      attrValue(dos, 'machine'),
      (d, s) => `Target domain machine type ${d} does not match source ${s}`,
      so,
      dos,
    );
  }
  a.same(
    'abi-os',
    attrValue(path(S, 'os', 'smbios'), 'mode'),
    attrValue(path(D, 'os', 'smbios'), 'mode'),
    (d, s) => `Target domain SMBIOS mode ${d} does not match source ${s}`,
    path(S, 'os', 'smbios'),
    path(D, 'os', 'smbios'),
  );

  checkFeatures(a);
  checkTimers(a);
  checkCpu(a);
  const ss = childElements(S, 'sysinfo');
  const ds = childElements(D, 'sysinfo');
  if (ss.length !== ds.length) a.report('abi-sysinfo', 'Target domain count of sysinfo does not match source', ss[0], ds[0]);
  else
    ss.forEach(
      (s, i) =>
        canonical(a.src.text, s) === canonical(a.dst.text, ds[i]) ||
        a.report('abi-sysinfo', 'Target sysinfo does not match source', s, ds[i]),
    );
}

function checkMemory(a: Abi): void {
  const sm = child(a.src.root, 'memory');
  const dm = child(a.dst.root, 'memory');
  if (
    !a.same(
      'abi-memory',
      kib(a.src.text, sm),
      kib(a.dst.text, dm),
      (d, s) => `Target domain max memory ${d} does not match source ${s}`,
      sm,
      dm,
    )
  )
    return;
  const sx = child(a.src.root, 'maxMemory');
  const dx = child(a.dst.root, 'maxMemory');
  if (
    a.same(
      'abi-memory',
      kib(a.src.text, sx) ?? '0',
      kib(a.dst.text, dx) ?? '0',
      (d, s) => `Target maximum memory size '${d}' doesn't match source '${s}'`,
      sx,
      dx,
    )
  ) {
    a.same(
      'abi-memory',
      num(attrValue(sx, 'slots')),
      num(attrValue(dx, 'slots')),
      (d, s) => `Target domain memory slots count '${d}' doesn't match source '${s}'`,
      sx,
      dx,
    );
  }
  // The QEMU driver's own addition to the check.
  const sb = path(a.src.root, 'memoryBacking', 'source');
  const db = path(a.dst.root, 'memoryBacking', 'source');
  a.same(
    'abi-memory',
    attrValue(sb, 'type'),
    attrValue(db, 'type'),
    (d, s) => `Target memoryBacking source '${d}' doesn't match source memoryBacking source '${s}'`,
    sb,
    db,
  );
}

function cells(side: Side): XmlElement[] {
  return childElements(path(side.root, 'cpu', 'numa'), 'cell');
}

function checkNuma(a: Abi): void {
  const sc = cells(a.src);
  const dc = cells(a.dst);
  if (
    !a.same(
      'abi-numa',
      String(sc.length),
      String(dc.length),
      (d, s) => `Target NUMA node count '${d}' doesn't match source '${s}'`,
      sc[0],
      dc[0],
    )
  )
    return;
  sc.every((s, i) => {
    const d = dc[i];
    return (
      a.same(
        'abi-numa',
        kib(a.src.text, s, attrValue(s, 'memory')),
        kib(a.dst.text, d, attrValue(d, 'memory')),
        (dv, sv) => `Size of target NUMA node ${i} (${dv}) doesn't match source (${sv})`,
        s,
        d,
      ) &&
      a.same(
        'abi-numa',
        cpusetList(attrValue(s, 'cpus')),
        cpusetList(attrValue(d, 'cpus')),
        () => `Processor mask of target NUMA node ${i} doesn't match source`,
        s,
        d,
      ) &&
      a.same(
        'abi-numa',
        canonicalOf(a.src, child(s, 'distances')),
        canonicalOf(a.dst, child(d, 'distances')),
        () => `Target NUMA distances of node ${i} don't match source`,
        s,
        d,
      )
    );
  });
}

function canonicalOf(side: Side, el: XmlElement | undefined): string | undefined {
  return el ? canonical(side.text, el) : undefined;
}

/** Whether each vCPU is online and its hot-plug order, from `<vcpu current>` or `<vcpus>`. */
function vcpuStates(side: Side): { max: string; online: (i: number) => boolean; order: (i: number) => string | undefined } {
  const vcpu = child(side.root, 'vcpu');
  const max = textContent(side.text, vcpu) || '1';
  const current = Number(attrValue(vcpu, 'current') ?? max);
  const list = childElements(child(side.root, 'vcpus'), 'vcpu');
  const byId = (i: number) => list.find((v) => num(attrValue(v, 'id')) === String(i));
  return {
    max,
    online: (i) => (list.length ? attrValue(byId(i), 'enabled') === 'yes' : i < current),
    order: (i) => attrValue(byId(i), 'order'),
  };
}

function checkVcpus(a: Abi): void {
  const s = vcpuStates(a.src);
  const d = vcpuStates(a.dst);
  const sv = child(a.src.root, 'vcpu');
  const dv = child(a.dst.root, 'vcpu');
  if (!a.same('abi-vcpu', s.max, d.max, (dm, sm) => `Target domain vCPU max ${dm} does not match source ${sm}`, sv, dv)) return;
  for (let i = 0; i < Number(s.max) && i < 4096; i++) {
    if (s.online(i) !== d.online(i))
      return void a.report('abi-vcpu', `State of vCPU '${i}' differs between source and destination definitions`, sv, dv);
    if (s.order(i) !== d.order(i))
      return void a.report(
        'abi-vcpu',
        `vcpu enable order of vCPU '${i}' differs between source and destination definitions`,
        sv,
        dv,
      );
  }
}

/** A feature's state as libvirt prints it: 'default' when absent, 'on' or its state= when plain, else its whole content. */
function featureState(side: Side, name: string, el: XmlElement | undefined): string {
  const state = el ? (attrValue(el, 'state') ?? 'on') : 'default';
  if (name === 'apic') return `${state},eoi=${attrValue(el, 'eoi') ?? 'default'}`;
  if (!el || (el.attributes.every((x) => x.name === 'state') && !childElements(el).length)) return state;
  return canonical(side.text, el);
}

function checkFeatures(a: Abi): void {
  const sf = child(a.src.root, 'features');
  const df = child(a.dst.root, 'features');
  const names = new Set([...childElements(sf), ...childElements(df)].map((e) => e.name));
  for (const name of names) {
    const s = child(sf, name);
    const d = child(df, name);
    a.same(
      'abi-features',
      featureState(a.src, name, s),
      featureState(a.dst, name, d),
      (dv, sv) => `State of feature '${name}' differs: source: '${sv}', destination: '${dv}'`,
      s ?? sf,
      d ?? df,
    );
  }
}

function checkTimers(a: Abi): void {
  const sc = child(a.src.root, 'clock');
  const dc = child(a.dst.root, 'clock');
  const st = childElements(sc, 'timer');
  const dt = childElements(dc, 'timer');
  if (st.length !== dt.length) return void a.report('abi-clock', 'Target domain timers do not match source', sc, dc);
  st.every((s, i) => {
    const d = dt[i];
    return (
      a.same(
        'abi-clock',
        attrValue(s, 'name'),
        attrValue(d, 'name'),
        (dv, sv) => `Target timer ${dv} does not match source ${sv}`,
        s,
        d,
      ) &&
      a.same(
        'abi-clock',
        attrValue(s, 'present') ?? 'absent',
        attrValue(d, 'present') ?? 'absent',
        (dv, sv) => `Target timer presence '${dv}' does not match source '${sv}'`,
        s,
        d,
      ) &&
      (attrValue(s, 'name') !== 'tsc' ||
        (a.same(
          'abi-clock',
          num(attrValue(s, 'frequency')),
          num(attrValue(d, 'frequency')),
          (dv, sv) => `Target TSC frequency ${dv} does not match source ${sv}`,
          s,
          d,
        ) &&
          a.same(
            'abi-clock',
            attrValue(s, 'mode'),
            attrValue(d, 'mode'),
            (dv, sv) => `Target TSC mode ${dv} does not match source ${sv}`,
            s,
            d,
          )))
    );
  });
}

/** virCPUDefIsEqual: mode, check, model, vendor, topology, maxphysaddr and the feature list, in order. */
function checkCpu(a: Abi): void {
  const s = child(a.src.root, 'cpu');
  const d = child(a.dst.root, 'cpu');
  if (!s && !d) return;
  if (!s || !d) return void a.report('abi-cpu', 'Target CPU does not match source', s, d);
  const st = (el: XmlElement | undefined) => textContent(a.src.text, el) || undefined;
  const dt = (el: XmlElement | undefined) => textContent(a.dst.text, el) || undefined;
  const cmp = (what: string, sv: string | undefined, dv: string | undefined) =>
    a.same('abi-cpu', sv, dv, (x, y) => `Target CPU ${what} ${x} does not match source ${y}`, s, d);
  const topo = (el: XmlElement, n: string) => attrValue(child(el, 'topology'), n);
  const ok =
    cmp('mode', attrValue(s, 'mode') ?? 'custom', attrValue(d, 'mode') ?? 'custom') &&
    cmp('check', attrValue(s, 'check'), attrValue(d, 'check')) &&
    cmp('model', st(child(s, 'model')), dt(child(d, 'model'))) &&
    cmp('vendor', st(child(s, 'vendor')), dt(child(d, 'vendor'))) &&
    cmp('vendor id', attrValue(child(s, 'model'), 'vendor_id'), attrValue(child(d, 'model'), 'vendor_id')) &&
    ['sockets', 'dies', 'cores', 'threads'].every((n) => cmp(n, topo(s, n), topo(d, n))) &&
    a.same(
      'abi-cpu',
      canonicalOf(a.src, child(s, 'maxphysaddr')),
      canonicalOf(a.dst, child(d, 'maxphysaddr')),
      () => 'Target CPU maxphysaddr does not match source',
      s,
      d,
    );
  if (!ok) return;
  const sf = childElements(s, 'feature');
  const df = childElements(d, 'feature');
  if (!cmp('feature count', String(sf.length), String(df.length))) return;
  sf.every(
    (f, i) =>
      cmp('feature', attrValue(f, 'name'), attrValue(df[i], 'name')) &&
      cmp('feature policy', attrValue(f, 'policy') ?? 'require', attrValue(df[i], 'policy') ?? 'require'),
  );
}
