import { freshMacFix } from './build';

/** mac-multicast: a fresh MAC, on the interface and on its intended teaming partner (safe: libvirt refuses the current one). */
export const fix = freshMacFix(true);
