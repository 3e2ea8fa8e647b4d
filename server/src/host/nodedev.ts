import { formatPci } from '../model/pci';
import type { NetCapability, NodeDevice, Parsed, PciDevice } from './facts';
import { addressOf, attr, child, childText, childrenOf, parseXml, type El } from './xml';

/** A 16-bit id as libvirt writes it (`0x15b3`); other spellings are normalised. */
function pciId(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const m = /^(?:0x)?([0-9a-f]{1,4})$/i.exec(v.trim());
  return m ? '0x' + m[1].toLowerCase().padStart(4, '0') : undefined;
}

function uint(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^\d+$/.test(t)) return parseInt(t, 10);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  return undefined;
}

function pciCapability(name: string, cap: El, problems: string[]): PciDevice | undefined {
  // the pci capability writes its own address as decimal elements (<domain>0</domain><bus>59</bus>…)
  const [domain, bus, slot, fn] = ['domain', 'bus', 'slot', 'function'].map((p) => uint(childText(cap, p)));
  if (
    domain === undefined ||
    bus === undefined ||
    slot === undefined ||
    fn === undefined ||
    domain > 0xffff ||
    bus > 0xff ||
    slot > 0x1f ||
    fn > 7
  ) {
    problems.push(`${name}: no readable PCI address in the pci capability`);
    return undefined;
  }
  const product = child(cap, 'product');
  const vendor = child(cap, 'vendor');
  const vendorId = pciId(attr(vendor, 'id'));
  const productId = pciId(attr(product, 'id'));
  if (!vendorId || !productId) problems.push(`${name}: vendor or product id missing`);
  const dev: PciDevice = {
    name,
    address: formatPci({ domain, bus, slot, function: fn }),
    vendorId: vendorId ?? '',
    productId: productId ?? '',
    virtFunctions: [],
    sriovCapable: false,
  };
  const vendorName = vendor?.text.trim();
  const productName = product?.text.trim();
  if (vendorName) dev.vendorName = vendorName;
  if (productName) dev.productName = productName;
  const klass = childText(cap, 'class');
  if (klass && /^0x[0-9a-f]{1,6}$/i.test(klass)) dev.classCode = '0x' + klass.slice(2).toLowerCase().padStart(6, '0');
  for (const sub of childrenOf(cap, 'capability')) {
    const type = attr(sub, 'type');
    if (type === 'phys_function') {
      const pf = addressOf(child(sub, 'address'));
      if (pf) dev.physFunction = pf;
      else problems.push(`${name}: phys_function without a readable address`);
    } else if (type === 'virt_functions') {
      dev.sriovCapable = true;
      const max = uint(attr(sub, 'maxCount'));
      if (max !== undefined) dev.maxVfs = max;
      for (const a of childrenOf(sub, 'address')) {
        const vf = addressOf(a);
        if (vf) dev.virtFunctions.push(vf);
        else problems.push(`${name}: a virt_functions address is unreadable`);
      }
    }
  }
  const group = uint(attr(child(cap, 'iommuGroup'), 'number'));
  if (group !== undefined) dev.iommuGroup = group;
  const numa = uint(attr(child(cap, 'numa'), 'node'));
  if (numa !== undefined) dev.numaNode = numa;
  return dev;
}

function netCapability(cap: El): NetCapability | undefined {
  const iface = childText(cap, 'interface');
  if (!iface) return undefined;
  const net: NetCapability = { interface: iface };
  const mac = childText(cap, 'address');
  if (mac) net.mac = mac.toLowerCase();
  const state = attr(child(cap, 'link'), 'state');
  if (state) net.linkState = state;
  return net;
}

/** `virsh nodedev-dumpxml NAME`. */
export function parseNodeDevice(xml: string): Parsed<NodeDevice> {
  const { root, problems } = parseXml(xml, 'device');
  if (!root) return { problems };
  const name = childText(root, 'name');
  if (!name) return { problems: [...problems, 'node device without a name'] };
  const dev: NodeDevice = { name, capabilities: [] };
  const parent = childText(root, 'parent');
  if (parent) dev.parent = parent;
  const driver = childText(child(root, 'driver'), 'name');
  if (driver) dev.driver = driver;
  for (const cap of childrenOf(root, 'capability')) {
    const type = attr(cap, 'type');
    if (!type) continue;
    dev.capabilities.push(type);
    if (type === 'pci') {
      const pci = pciCapability(name, cap, problems);
      if (pci) {
        if (parent) pci.parent = parent;
        if (driver) pci.driver = driver;
        dev.pci = pci;
      }
    } else if (type === 'net') {
      const net = netCapability(cap);
      if (net) dev.net = net;
      else problems.push(`${name}: net capability without an interface name`);
    }
  }
  return { value: dev, problems };
}

/**
 * The PCI devices of a node device listing, each with the network interface of its child `net` device (a PF's
 * `enp59s0f0`, a VF's when a host driver holds it), sorted by address. A VF whose own XML names no PF gets the PF
 * that lists it among its virt_functions.
 */
export function pciDevices(devices: readonly NodeDevice[]): PciDevice[] {
  const netOf = new Map<string, NetCapability>();
  for (const d of devices) {
    // a device may have several net children (e.g. representors); the first one listed wins, as lspci-style tools do
    if (d.net && d.parent && !netOf.has(d.parent)) netOf.set(d.parent, d.net);
  }
  const out: PciDevice[] = [];
  for (const d of devices) {
    if (!d.pci) continue;
    const net = netOf.get(d.name);
    out.push(net ? { ...d.pci, netInterface: net.interface, ...(net.mac ? { mac: net.mac } : {}) } : { ...d.pci });
  }
  const pfOf = new Map<string, string>();
  for (const p of out) for (const vf of p.virtFunctions) pfOf.set(vf, p.address);
  for (const d of out) {
    const pf = pfOf.get(d.address);
    if (!d.physFunction && pf) d.physFunction = pf;
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
