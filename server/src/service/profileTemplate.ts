import { dict } from '../util/dict';
import { attrValue, child, childElements } from '../parser/query';
import type { Parsed } from '../model/parsed';
import { hostPciAddress } from '../model/pci';

/** The placeholder for a destination VF address: deliberately not an address, so the profile shows an error until filled. */
export const ADDRESS_PLACEHOLDER = 'DDDD:BB:SS.F';

/**
 * A destination profile prefilled with this domain's host-specific values: every VF's host PCI address (to be
 * mapped), and the networks, bridges, disk folders and graphics listen address as identity mappings to edit.
 */
export function profileTemplate(parsed: Parsed, host: string): string {
  const model = parsed.model;
  const hostdevs: Record<string, string> = dict();
  const networks: Record<string, string> = dict();
  const bridges: Record<string, string> = dict();
  const disks: Record<string, string> = dict();
  let graphicsListen: string | undefined;
  if (model) {
    for (const dev of [...model.interfaces, ...model.hostdevs]) {
      const address = hostPciAddress(dev);
      if (address) hostdevs[address] = ADDRESS_PLACEHOLDER;
    }
    for (const iface of model.interfaces) {
      const source = child(iface.el, 'source');
      const network = attrValue(source, 'network');
      const bridge = attrValue(source, 'bridge');
      if (iface.type?.value === 'network' && network) networks[network] = network;
      if (iface.type?.value === 'bridge' && bridge) bridges[bridge] = bridge;
    }
    for (const disk of childElements(model.devicesEl, 'disk')) {
      const file = attrValue(child(disk, 'source'), 'file');
      const folder = file?.slice(0, file.lastIndexOf('/') + 1);
      if (folder) disks[folder] = folder;
    }
    for (const g of childElements(model.devicesEl, 'graphics')) {
      graphicsListen ??= attrValue(g, 'listen') ?? attrValue(child(g, 'listen'), 'address');
    }
  }
  const profile = {
    name: host,
    uri: `qemu+ssh://${host}/system`,
    hostdevs,
    networks,
    bridges,
    disks,
    ...(graphicsListen !== undefined ? { graphicsListen } : {}),
  };
  return JSON.stringify(profile, null, 2) + '\n';
}
