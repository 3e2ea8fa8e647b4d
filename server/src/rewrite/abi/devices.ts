import type { XmlElement } from '../../parser/nodes';
import { attrValue, child, childElements, path, textContent } from '../../parser/query';
import { num, type Abi, type AbiCode, type Side } from './compare';

/** One device class of libvirt's ABI check: its elements are compared by position. */
interface DeviceClass {
  label: string;
  elements: (side: Side) => XmlElement[];
  /** Compares one device's own properties (after the count, before virtio options and the guest address). */
  check?: (c: DeviceCheck) => boolean;
  /** Whether libvirt reads virtio options from its `<driver>` (so even adding `<driver>` changes the ABI). */
  virtio?: boolean;
  /** Whether the guest address is compared here (interface VFs are compared once, as net cards). */
  address?: (el: XmlElement) => boolean;
}

/** One pair of devices at the same position. */
class DeviceCheck {
  constructor(
    readonly a: Abi,
    readonly s: XmlElement,
    readonly d: XmlElement,
  ) {}

  /** Compares a property read the same way on both sides. */
  prop(
    code: AbiCode,
    read: (el: XmlElement, text: string) => string | undefined,
    msg: (d: string, s: string) => string,
  ): boolean {
    return this.a.same(code, read(this.s, this.a.src.text), read(this.d, this.a.dst.text), msg, this.s, this.d);
  }
}

const at =
  (...names: string[]) =>
  (attr: string) =>
  (el: XmlElement) =>
    attrValue(names.length ? path(el, ...names) : el, attr);
const own = at();
const text = (name: string) => (el: XmlElement, t: string) => textContent(t, child(el, name)) || undefined;
const byName =
  (...names: string[]) =>
  (side: Side) =>
    childElements(path(side.root, 'devices')).filter((e) => names.includes(e.name));

function diskBus(el: XmlElement): string | undefined {
  const target = child(el, 'target');
  const bus = attrValue(target, 'bus');
  if (bus) return bus;
  const dev = attrValue(target, 'dev') ?? '';
  if (attrValue(el, 'device') === 'floppy') return 'fdc';
  const prefix = [
    ['hd', 'ide'],
    ['sd', 'scsi'],
    ['vd', 'virtio'],
    ['xvd', 'xen'],
    ['ubd', 'uml'],
  ].find(([p]) => dev.startsWith(p));
  return prefix?.[1];
}

function isHostdevInterface(el: XmlElement): boolean {
  return el.name === 'interface' && attrValue(el, 'type') === 'hostdev';
}

const mac = (el: XmlElement) => attrValue(child(el, 'mac'), 'address')?.toLowerCase();

/** The device classes in the order libvirt compares them, with libvirt's names for the count messages. */
const CLASSES: DeviceClass[] = [
  {
    label: 'disk',
    elements: byName('disk'),
    virtio: true,
    check: (c) =>
      c.prop(
        'abi-device',
        (e) => attrValue(e, 'device') ?? 'disk',
        (d, s) => `Target disk device ${d} does not match source ${s}`,
      ) &&
      c.prop('abi-device', diskBus, (d, s) => `Target disk bus ${d} does not match source ${s}`) &&
      c.prop('abi-device', at('target')('dev'), (d, s) => `Target disk ${d} does not match source ${s}`) &&
      c.prop('abi-device', text('serial'), (d, s) => `Target disk serial ${d} does not match source ${s}`) &&
      c.prop('abi-device', text('wwn'), (d, s) => `Target disk wwn '${d}' does not match source '${s}'`) &&
      c.prop(
        'abi-device',
        (e) => String(!!child(e, 'readonly') || attrValue(e, 'device') === 'cdrom'),
        () => 'Target disk access mode does not match source',
      ) &&
      c.prop('abi-model', own('model'), (d, s) => `Target disk model ${d} does not match source ${s}`) &&
      c.prop(
        'abi-device',
        at('target')('rotation_rate'),
        (d, s) => `Target disk rotation rate ${d} RPM does not match source ${s} RPM`,
      ) &&
      c.prop('abi-device', at('driver')('queues'), (d, s) => `Target disk queue count ${d} does not match source ${s}`) &&
      c.prop('abi-device', at('driver')('queue_size'), (d, s) => `Target disk queue size ${d} does not match source ${s}`),
  },
  {
    label: 'controller',
    elements: byName('controller'),
    virtio: true,
    check: (c) =>
      c.prop('abi-device', own('type'), (d, s) => `Target controller type ${d} does not match source ${s}`) &&
      c.prop(
        'abi-device',
        (e) => num(attrValue(e, 'index')),
        (d, s) => `Target controller index ${d} does not match source ${s}`,
      ) &&
      c.prop('abi-model', own('model'), (d, s) => `Target controller model ${d} does not match source ${s}`) &&
      c.prop('abi-device', own('ports'), (d, s) => `Target controller ports ${d} does not match source ${s}`) &&
      c.prop('abi-device', own('vectors'), (d, s) => `Target controller vectors ${d} does not match source ${s}`),
  },
  {
    label: 'filesystem',
    elements: byName('filesystem'),
    virtio: true,
    check: (c) =>
      c.prop('abi-device', at('target')('dir'), (d, s) => `Target filesystem guest target ${d} does not match source ${s}`) &&
      c.prop(
        'abi-device',
        (e) => String(!!child(e, 'readonly')),
        () => 'Target filesystem access mode does not match source',
      ) &&
      c.prop('abi-model', own('model'), () => 'Target filesystem model does not match source'),
  },
  {
    label: 'net card',
    elements: byName('interface'),
    virtio: true,
    check: (c) =>
      netMac(c) &&
      c.prop('abi-model', at('model')('type'), (d, s) => `Target network card model ${d} does not match source ${s}`) &&
      c.prop(
        'abi-device',
        (e) => num(attrValue(child(e, 'mtu'), 'size')),
        (d, s) => `Target network card MTU ${d} does not match source ${s}`,
      ),
  },
  {
    label: 'input device',
    elements: byName('input'),
    virtio: true,
    check: (c) =>
      c.prop('abi-device', own('type'), (d, s) => `Target input device type ${d} does not match source ${s}`) &&
      c.prop('abi-device', own('bus'), (d, s) => `Target input device bus ${d} does not match source ${s}`) &&
      c.prop('abi-model', own('model'), (d, s) => `Target input model ${d} does not match source ${s}`),
  },
  {
    label: 'sound card',
    elements: byName('sound'),
    check: (c) => c.prop('abi-model', own('model'), (d, s) => `Target sound card model ${d} does not match source ${s}`),
  },
  {
    label: 'video card',
    elements: byName('video'),
    virtio: true,
    check: (c) =>
      c.prop('abi-model', at('model')('type'), (d, s) => `Target video card model ${d} does not match source ${s}`) &&
      ['ram', 'vram', 'vram64', 'vgamem', 'heads'].every((n) =>
        c.prop('abi-device', at('model')(n), (d, s) => `Target video card ${n} ${d} does not match source ${s}`),
      ) &&
      c.prop(
        'abi-device',
        (e) => String(!!path(e, 'model', 'acceleration')),
        () => 'Target video card acceleration does not match source',
      ) &&
      ['accel2d', 'accel3d'].every((n) =>
        c.prop(
          'abi-device',
          at('model', 'acceleration')(n),
          (d, s) => `Target video card ${n.slice(5)} accel ${d} does not match source ${s}`,
        ),
      ),
  },
  {
    // libvirt lists <interface type='hostdev'> VFs first, then the <hostdev> elements.
    label: 'host device',
    elements: (side) => [...byName('interface')(side).filter(isHostdevInterface), ...byName('hostdev')(side)],
    address: (el) => !isHostdevInterface(el),
    check: (c) =>
      c.prop(
        'abi-device',
        (e) => (isHostdevInterface(e) ? 'subsystem' : (attrValue(e, 'mode') ?? 'subsystem')),
        (d, s) => `Target host device mode ${d} does not match source ${s}`,
      ) &&
      ((c.s.name === 'hostdev' && (attrValue(c.s, 'mode') ?? 'subsystem') !== 'subsystem') ||
        c.prop(
          'abi-device',
          (e) => (isHostdevInterface(e) ? 'pci' : attrValue(e, 'type')),
          (d, s) => `Target host device subsystem ${d} does not match source ${s}`,
        )),
  },
  { label: 'smartcard', elements: byName('smartcard') },
  {
    label: 'serial port',
    elements: byName('serial'),
    check: (c) =>
      c.prop('abi-device', at('target')('type'), (d, s) => `Target serial type ${d} does not match source ${s}`) &&
      c.prop('abi-model', at('target', 'model')('name'), (d, s) => `Target serial model ${d} does not match source ${s}`) &&
      c.prop(
        'abi-device',
        (e) => num(attrValue(child(e, 'target'), 'port'), ''),
        (d, s) => `Target serial port ${d} does not match source ${s}`,
      ),
  },
  {
    label: 'parallel port',
    elements: byName('parallel'),
    check: (c) => c.prop('abi-device', at('target')('port'), (d, s) => `Target parallel port ${d} does not match source ${s}`),
  },
  {
    label: 'channel',
    elements: byName('channel'),
    check: (c) =>
      ['type', 'name', 'address', 'port'].every((n) =>
        c.prop('abi-device', at('target')(n), (d, s) => `Target channel ${n} ${d} does not match source ${s}`),
      ),
  },
  {
    label: 'console',
    elements: byName('console'),
    check: (c) => c.prop('abi-device', at('target')('type'), (d, s) => `Target console type ${d} does not match source ${s}`),
  },
  {
    label: 'hub device',
    elements: byName('hub'),
    check: (c) => c.prop('abi-device', own('type'), (d, s) => `Target hub device type ${d} does not match source ${s}`),
  },
  {
    label: 'redirected devices',
    elements: byName('redirdev'),
    check: (c) => c.prop('abi-device', own('bus'), (d, s) => `Target redirected device bus ${d} does not match source ${s}`),
  },
  { label: 'USB redirection filter', elements: byName('redirfilter') },
  {
    label: 'watchdog',
    elements: byName('watchdog'),
    check: (c) => c.prop('abi-model', own('model'), (d, s) => `Target watchdog model ${d} does not match source ${s}`),
  },
  {
    label: 'memory balloon',
    elements: byName('memballoon'),
    virtio: true,
    check: (c) => c.prop('abi-model', own('model'), (d, s) => `Target balloon model ${d} does not match source ${s}`),
  },
  {
    label: 'RNG device',
    elements: byName('rng'),
    virtio: true,
    check: (c) => c.prop('abi-model', own('model'), (d, s) => `Target RNG model '${d}' does not match source '${s}'`),
  },
  {
    label: 'panic device',
    elements: byName('panic'),
    check: (c) => c.prop('abi-model', own('model'), (d, s) => `Target panic model '${d}' does not match source '${s}'`),
  },
  {
    label: 'shared memory device',
    elements: byName('shmem'),
    check: (c) => c.prop('abi-device', own('name'), (d, s) => `Target shared memory name '${d}' does not match source '${s}'`),
  },
  {
    label: 'TPM device',
    elements: byName('tpm'),
    check: (c) => c.prop('abi-model', own('model'), () => "Target TPM device model doesn't match source"),
  },
  {
    label: 'memory device',
    elements: byName('memory'),
    check: (c) =>
      c.prop('abi-model', own('model'), (d, s) => `Target memory device model '${d}' doesn't match source model '${s}'`) &&
      c.prop('abi-device', at('alias')('name'), (d, s) => `Target memory device alias '${d}' doesn't match source alias '${s}'`),
  },
  {
    label: 'IOMMU device',
    elements: byName('iommu'),
    check: (c) =>
      c.prop('abi-model', own('model'), (d, s) => `Target domain IOMMU device model '${d}' does not match source '${s}'`),
  },
  { label: 'vsock device', elements: byName('vsock'), virtio: true },
];

/** A MAC change, with a hint when the destination only lists the same interfaces in another order. */
function netMac(c: DeviceCheck): boolean {
  const s = mac(c.s);
  const d = mac(c.d);
  if (s === d) return true;
  const elsewhere = (side: Side, el: XmlElement, m: string | undefined) =>
    m !== undefined && byName('interface')(side).some((e) => e !== el && mac(e) === m);
  const moved = elsewhere(c.a.dst, c.d, s) && elsewhere(c.a.src, c.s, d);
  const hint = moved ? ' (the destination lists the interfaces in another order: libvirt compares devices by position)' : '';
  return c.a.report('abi-mac', `Target network card mac ${d ?? 'none'} does not match source ${s ?? 'none'}${hint}`, c.s, c.d);
}

const VIRTIO_OPTIONS = ['iommu', 'ats', 'packed', 'page_per_vq'];

function sameVirtio(c: DeviceCheck): boolean {
  const s = child(c.s, 'driver');
  const d = child(c.d, 'driver');
  if (!s && !d) return true;
  if (!s || !d) return c.a.report('abi-virtio', "Target device virtio options don't match the source", c.s, c.d);
  return VIRTIO_OPTIONS.every((o) =>
    c.a.same(
      'abi-virtio',
      attrValue(s, o),
      attrValue(d, o),
      (dv, sv) => `Target device ${o} option '${dv}' does not match source '${sv}'`,
      s,
      d,
    ),
  );
}

const ADDRESS_FIELDS: Record<string, [string[], (v: string[]) => string, string]> = {
  pci: [
    ['domain', 'bus', 'slot', 'function'],
    ([d, b, s, f]) => `${hex(d, 4)}:${hex(b, 2)}:${hex(s, 2)}.${hex(f, 1)}`,
    'PCI address',
  ],
  drive: [['controller', 'bus', 'unit'], (v) => v.join(':'), 'drive address'],
  'virtio-serial': [['controller', 'bus', 'port'], (v) => v.join(':'), 'virtio serial address'],
  ccid: [['controller', 'slot'], (v) => v.join(':'), 'ccid address'],
  isa: [['iobase', 'irq'], (v) => v.join(':'), 'isa address'],
  dimm: [['slot', 'base'], (v) => v.join(':'), 'dimm address'],
};

function hex(v: string, width: number): string {
  return /^\d+$/.test(v) ? Number(v).toString(16).padStart(width, '0') : v;
}

/** virDomainDeviceInfoCheckABIStability: the guest address and the ACPI index. */
function sameAddress(c: DeviceCheck): boolean {
  const s = child(c.s, 'address');
  const d = child(c.d, 'address');
  const st = attrValue(s, 'type') ?? 'none';
  const dt = attrValue(d, 'type') ?? 'none';
  if (st !== dt) return c.a.report('abi-address', `Target device address type ${dt} does not match source ${st}`, c.s, c.d);
  const spec = ADDRESS_FIELDS[st];
  if (spec) {
    const [fields, format, what] = spec;
    const sv = fields.map((f) => num(attrValue(s, f)));
    const dv = fields.map((f) => num(attrValue(d, f)));
    if (sv.some((v, i) => v !== dv[i]))
      return c.a.report('abi-address', `Target device ${what} ${format(dv)} does not match source ${format(sv)}`, s, d);
  }
  return c.a.same(
    'abi-address',
    num(attrValue(child(c.s, 'acpi'), 'index')),
    num(attrValue(child(c.d, 'acpi'), 'index')),
    (dv, sv) => `Target ACPI index '${dv}' does not match source '${sv}'`,
    c.s,
    c.d,
  );
}

/** Every device class: the count, then each device by position (the first difference of each device). */
export function checkDevices(a: Abi): void {
  for (const cls of CLASSES) {
    const s = cls.elements(a.src);
    const d = cls.elements(a.dst);
    if (s.length !== d.length) {
      a.report(
        'abi-device-count',
        `Target domain ${cls.label} count ${d.length} does not match source ${s.length}`,
        s[0] ?? path(a.src.root, 'devices'),
        d[0] ?? path(a.dst.root, 'devices'),
      );
      continue;
    }
    s.forEach((el, i) => {
      const c = new DeviceCheck(a, el, d[i]);
      if (cls.check && !cls.check(c)) return;
      if (cls.virtio && !sameVirtio(c)) return;
      if (!cls.address || cls.address(el)) sameAddress(c);
    });
  }
}
