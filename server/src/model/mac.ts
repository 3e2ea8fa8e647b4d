/** MAC addresses as libvirt reads them (libvirt-facts §7): one definition for rules, fixes, hover and completion. */

/** Six two-digit hex octets separated by colons: what libvirt's schema accepts. */
const MAC_SHAPE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const ANY_MAC = /[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}/g;

export function isMacShape(mac: string): boolean {
  return MAC_SHAPE.test(mac);
}

/** The first octet's lowest bit is the group bit: set, the address is multicast (libvirt refuses it on an interface). */
export function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** The first octet's second bit: set, the address is locally administered (not a vendor's). */
export function isLocalMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 2) === 2;
}

/** Six hex octets, unicast: a MAC libvirt accepts. */
export function isUsableMac(mac: string | undefined): mac is string {
  return mac !== undefined && isMacShape(mac) && !isMulticastMac(mac);
}

/** Every MAC written anywhere in the text (comments too), lower case. */
export function usedMacs(text: string): Set<string> {
  return new Set([...text.matchAll(ANY_MAC)].map((m) => m[0].toLowerCase()));
}

/** A random `52:54:00:xx:xx:xx` (the prefix libvirt and QEMU generate) not used anywhere in `text`. */
export function generateMac(text: string, random: () => number = Math.random): string {
  return unusedMac(usedMacs(text), random);
}

/** A random `52:54:00:xx:xx:xx` not in `used` (lower case). */
export function unusedMac(used: ReadonlySet<string>, random: () => number = Math.random): string {
  const octet = () =>
    Math.floor(random() * 256)
      .toString(16)
      .padStart(2, '0');
  for (let i = 0; i < 1000; i++) {
    const mac = `52:54:00:${octet()}:${octet()}:${octet()}`;
    if (!used.has(mac)) return mac;
  }
  throw new Error('no unused MAC address found: is the random source constant?');
}
