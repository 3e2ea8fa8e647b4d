import { unwritableChar } from '../edits/xml';
import { DEFAULT_SETTINGS, type FixSettings } from '../protocol/settings';
import { contextByPath } from '../schema/lookup';

/**
 * The settings that flow into the user's XML (the network or bridge of an added standby, the VF pool network),
 * checked as libvirt checks those names. A workspace can set them (resource scope), so a value that is not a name
 * libvirt accepts is refused with a message saying why, and the default is used instead.
 */

/** Why `name` is not a network name libvirt accepts (it refuses '/' and what XML cannot hold), or undefined. */
export function networkNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'a network name must not be empty';
  const bad = unwritableChar(name);
  if (bad) return `'${printable(name)}' holds the character ${bad}, which XML cannot hold`;
  if (name.includes('/')) return `'${printable(name)}' is not a network name libvirt accepts: it refuses '/' in one`;
  return undefined;
}

/** Why `name` is not a bridge name libvirt's domain schema accepts (`<source bridge=…>`), or undefined. */
export function bridgeNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'a bridge name must not be empty';
  const bad = unwritableChar(name);
  if (bad) return `'${printable(name)}' holds the character ${bad}, which XML cannot hold`;
  const type = contextByPath("domain/devices/interface[@type='bridge']/source")?.attrs.get('bridge');
  if (type && !type.accepts(name))
    return `'${printable(name)}' is not a bridge name libvirt accepts: only letters, digits, spaces and _ . - \\ : /`;
  return undefined;
}

/** A value as a message can show it: control characters as \uXXXX, and no longer than a line. */
function printable(s: string): string {
  const shown = s.length > 64 ? `${s.slice(0, 64)}…` : s;
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface CheckedFixSettings {
  /** The settings to use: each refused value replaced by its default. */
  settings: FixSettings;
  /** One message per refused setting, naming it. */
  problems: string[];
}

type NameSetting = 'standbyNetwork' | 'standbyBridge' | 'vfPoolNetwork';

const CHECKS: [NameSetting, (name: string) => string | undefined, string][] = [
  ['standbyNetwork', networkNameProblem, 'a libvirt network name'],
  ['standbyBridge', bridgeNameProblem, 'a bridge name, or empty for none'],
  ['vfPoolNetwork', networkNameProblem, 'a libvirt network name'],
];

/**
 * The fix settings as read from a configuration (any JSON: a workspace may set a number or an object), with every
 * value that would not be a name libvirt accepts refused. An empty string keeps its meaning (the default; for
 * standbyBridge, no bridge).
 */
export function checkFixSettings(raw: Readonly<Record<string, unknown>> | undefined): CheckedFixSettings {
  const settings: FixSettings = {};
  const problems: string[] = [];
  const given = raw ?? {};
  if (Object.hasOwn(given, 'rules') && given.rules !== null && typeof given.rules === 'object')
    settings.rules = given.rules as Record<string, string>;
  for (const [key, check, what] of CHECKS) {
    const value = Object.hasOwn(given, key) ? given[key] : undefined;
    if (value === undefined || value === null || value === '') continue;
    const fallback = DEFAULT_SETTINGS[key] === '' ? 'none' : `'${DEFAULT_SETTINGS[key]}'`;
    const problem = typeof value !== 'string' ? `it must be ${what}, not ${describe(value)}` : check(value);
    if (problem) problems.push(`migratable.${key}: ${problem}; using ${fallback} instead`);
    else if (typeof value === 'string') settings[key] = value;
  }
  return { settings, problems };
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
