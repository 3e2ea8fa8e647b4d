import type { Parsed } from '../service/parsed';

const SHAPE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const ANY_MAC = /[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}/g;

/** Six hex octets, unicast: a MAC libvirt accepts. */
export function isUsableMac(mac: string | undefined): mac is string {
  return mac !== undefined && SHAPE.test(mac) && (parseInt(mac.slice(0, 2), 16) & 1) === 0;
}

/** Every MAC written anywhere in the text (comments too), lower case. */
export function usedMacs(text: string): Set<string> {
  return new Set([...text.matchAll(ANY_MAC)].map((m) => m[0].toLowerCase()));
}

/** A random `52:54:00:xx:xx:xx` (the prefix libvirt and QEMU generate) not used in the document. */
export function generateMac(source: Parsed | string, random: () => number = Math.random): string {
  const used = usedMacs(typeof source === 'string' ? source : source.xml.text);
  const octet = () => Math.floor(random() * 256).toString(16).padStart(2, '0');
  for (let i = 0; i < 1000; i++) {
    const mac = `52:54:00:${octet()}:${octet()}:${octet()}`;
    if (!used.has(mac)) return mac;
  }
  throw new Error('no unused MAC address found: is the random source constant?');
}
