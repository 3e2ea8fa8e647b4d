import { parseJson, type JsonMember, type JsonNode, type JsonSpan } from './json';
import { unwritableChar } from '../edits/xml';
import { formatPci, parsePciText } from '../model/pci';

/**
 * One destination host, as read from a `*.migration.json` profile (schemas/destination-profile.schema.json).
 * Map keys are normalised: PCI addresses as `0000:3b:02.0`, mdev UUIDs in lower case.
 */
export interface DestinationProfile {
  name?: string;
  uri?: string;
  /** Source host PCI address → destination host PCI address (VFs and other PCI hostdevs). */
  hostdevs?: Record<string, string>;
  networks?: Record<string, string>;
  bridges?: Record<string, string>;
  /** Path prefix of disk sources (file, block device, directory) → the prefix on the destination. */
  disks?: Record<string, string>;
  graphicsListen?: string;
  /** `HOST:SERVICE` of a serial/console/parallel/channel TCP or UDP source → the destination's. */
  chardevs?: Record<string, string>;
  vcpuCpuset?: string;
  cputune?: { vcpupin?: Record<string, string>; emulatorpin?: string; iothreadpin?: Record<string, string> };
  numatune?: { memory?: string; memnode?: Record<string, string> };
  /** Mediated device UUID on the source → on the destination. */
  mdevs?: Record<string, string>;
  /** Where each setting is written in the profile text, by JSON pointer of its normalised key (`/hostdevs/0000:3b:02.0`). */
  locations?: Record<string, { key: JsonSpan; value: JsonSpan }>;
  /** Map entries whose key is right but whose value is not (a template's placeholder): the value as written, by pointer. */
  unusable?: Record<string, string>;
}

export interface ProfileProblem {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  start: number;
  end: number;
}

/**
 * A profile map's value for a name the domain writes: own keys only, so a network named `constructor` or
 * `__proto__` is looked up like any other name (an inherited method was taken for a destination).
 */
export function mapped(map: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets a key read from the file as an own property: `out['__proto__'] = v` would set the prototype instead. */
function put<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** RFC 6901 pointer: disk prefixes contain '/'. */
export function pointer(...parts: string[]): string {
  return parts.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

const CPUSET = /^\s*\^?\d+(\s*-\s*\d+)?(\s*,\s*\^?\d+(\s*-\s*\d+)?)*\s*$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ID = /^\d+$/;

/** `HOST:SERVICE` (an IPv6 host in brackets), or undefined. */
export function parseHostService(text: string): { host: string; service: string } | undefined {
  const m = /^\[([^\]]+)\]:([^:\s]+)$/.exec(text) ?? /^([^:\s[\]]+):([^:\s]+)$/.exec(text);
  return m ? { host: m[1], service: m[2] } : undefined;
}

export function formatHostService(host: string, service: string): string {
  return host.includes(':') ? `[${host}]:${service}` : `${host}:${service}`;
}

export const PROFILE_KEYS = [
  '$schema',
  'name',
  'uri',
  'hostdevs',
  'networks',
  'bridges',
  'disks',
  'graphicsListen',
  'chardevs',
  'vcpuCpuset',
  'cputune',
  'numatune',
  'mdevs',
] as const;
const CPUTUNE_KEYS = ['vcpupin', 'emulatorpin', 'iothreadpin'];
const NUMATUNE_KEYS = ['memory', 'memnode'];

/** A key's validator: the normalised key, or an error message. */
type Check = (s: string) => string | { error: string };

const nonEmpty: Check = (s) => (s.trim() ? s : { error: 'must not be empty' });
const pci =
  (what: string): Check =>
  (s) => {
    if (s === 'DDDD:BB:SS.F') return { error: `fill in the ${what} PCI address (DDDD:BB:SS.F, e.g. 0000:5e:10.2)` };
    const a = parsePciText(s);
    return a ? formatPci(a) : { error: `'${s}' is not a PCI address: write DDDD:BB:SS.F in hex, e.g. 0000:3b:02.0` };
  };
const cpuset =
  (what: string): Check =>
  (s) =>
    CPUSET.test(s) ? s.trim() : { error: `'${s}' is not a ${what}: write e.g. 0-3,8,^2` };
const id =
  (what: string): Check =>
  (s) =>
    ID.test(s) ? String(Number(s)) : { error: `'${s}' is not a ${what} number` };
const uuid: Check = (s) =>
  UUID.test(s) ? s.toLowerCase() : { error: `'${s}' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)` };
const hostService: Check = (s) => {
  const hs = parseHostService(s);
  return hs ? formatHostService(hs.host, hs.service) : { error: `'${s}' is not HOST:SERVICE (e.g. 127.0.0.1:4555, [::1]:4555)` };
};
const path: Check = (s) => (s.startsWith('/') ? s : { error: `'${s}' is not an absolute path` });

/** A value the rewrite writes into the XML must be one XML can hold (JSON can spell NUL and ESC: \u0000). */
function writable(check: Check): Check {
  return (s) => {
    const bad = unwritableChar(s);
    return bad ? { error: `the value holds the character ${bad}, which XML cannot hold` } : check(s);
  };
}

/** Reads a destination profile; problems carry offsets into `text`. Without a usable JSON object, no profile. */
export function parseProfile(text: string): { profile?: DestinationProfile; problems: ProfileProblem[] } {
  const { root, error } = parseJson(text);
  if (error)
    return {
      problems: [
        {
          code: 'profile-syntax',
          severity: 'error',
          message: `the profile is not valid JSON: ${error.message}`,
          start: error.start,
          end: error.end,
        },
      ],
    };
  if (root!.kind !== 'object')
    return {
      problems: [
        {
          code: 'profile-type',
          severity: 'error',
          message: 'a destination profile is a JSON object: { "name": …, "hostdevs": { … } }',
          start: root!.start,
          end: root!.end,
        },
      ],
    };
  return new ProfileReader().read(root!);
}

class ProfileReader {
  private readonly problems: ProfileProblem[] = [];
  private readonly profile: DestinationProfile = { locations: {} };

  read(root: JsonNode & { kind: 'object' }): { profile: DestinationProfile; problems: ProfileProblem[] } {
    const p = this.profile;
    for (const m of this.members(root, PROFILE_KEYS, '')) {
      switch (m.key) {
        case 'name':
        case 'uri':
        case 'graphicsListen': {
          const v = this.scalar(m, [m.key], nonEmpty);
          if (v !== undefined) p[m.key] = v;
          if (m.key === 'uri' && v !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) {
            this.problem(
              'profile-uri',
              'warning',
              `'${v}' does not look like a libvirt connection URI (e.g. qemu+ssh://host-b/system)`,
              m.value,
            );
          }
          break;
        }
        case 'hostdevs':
          p.hostdevs = this.map(m, [m.key], pci('source'), pci('destination'));
          break;
        case 'networks':
        case 'bridges':
          p[m.key] = this.map(m, [m.key], nonEmpty, nonEmpty);
          break;
        case 'disks':
          p.disks = this.disks(m);
          break;
        case 'chardevs':
          p.chardevs = this.map(m, [m.key], hostService, hostService);
          break;
        case 'vcpuCpuset':
          p.vcpuCpuset = this.scalar(m, [m.key], cpuset('cpuset'));
          break;
        case 'mdevs':
          p.mdevs = this.map(m, [m.key], uuid, uuid);
          break;
        case 'cputune':
          this.cputune(m);
          break;
        case 'numatune':
          this.numatune(m);
          break;
        case '$schema':
          this.scalar(m, [m.key], nonEmpty);
          break;
      }
    }
    return { profile: p, problems: this.problems.sort((a, b) => a.start - b.start) };
  }

  private cputune(m: JsonMember): void {
    if (!this.isObject(m)) return;
    const t: NonNullable<DestinationProfile['cputune']> = {};
    for (const c of this.members(m.value, CPUTUNE_KEYS, 'cputune.')) {
      if (c.key === 'emulatorpin') t.emulatorpin = this.scalar(c, ['cputune', c.key], cpuset('cpuset'));
      else
        t[c.key as 'vcpupin' | 'iothreadpin'] = this.map(
          c,
          ['cputune', c.key],
          id(c.key === 'vcpupin' ? 'vCPU' : 'iothread'),
          cpuset('cpuset'),
        );
    }
    this.profile.cputune = t;
  }

  private numatune(m: JsonMember): void {
    if (!this.isObject(m)) return;
    const t: NonNullable<DestinationProfile['numatune']> = {};
    for (const c of this.members(m.value, NUMATUNE_KEYS, 'numatune.')) {
      if (c.key === 'memory') t.memory = this.scalar(c, ['numatune', c.key], cpuset('nodeset'));
      else t.memnode = this.map(c, ['numatune', c.key], id('NUMA cell'), cpuset('nodeset'));
    }
    this.profile.numatune = t;
  }

  private disks(m: JsonMember): Record<string, string> | undefined {
    const out = this.map(m, ['disks'], path, path);
    if (!out || m.value.kind !== 'object') return out;
    for (const e of m.value.members) {
      if (e.value.kind !== 'string' || mapped(out, e.key) !== e.value.value) continue;
      if (e.key.endsWith('/') !== e.value.value.endsWith('/')) {
        this.problem(
          'profile-disk-prefix',
          'warning',
          `'${e.key}' and '${e.value.value}' differ in their trailing '/': the rewritten paths would ${e.key.endsWith('/') ? 'lose' : 'gain'} a '/'`,
          e.value,
        );
      }
    }
    return out;
  }

  /** An object's members, with unknown keys reported (and a suggestion when one is close). */
  private members(obj: JsonNode & { kind: 'object' }, known: readonly string[], prefix: string): JsonMember[] {
    const out: JsonMember[] = [];
    const seen = new Set<string>();
    for (const m of obj.members) {
      if (!known.includes(m.key)) {
        const near = known.find((k) => close(k, m.key));
        this.problem(
          'profile-unknown-key',
          'warning',
          `unknown setting "${prefix}${m.key}"${near ? `: did you mean "${prefix}${near}"?` : ` (known: ${known.filter((k) => k !== '$schema').join(', ')})`}`,
          m.keySpan,
        );
      } else if (seen.has(m.key)) {
        this.problem('profile-duplicate', 'error', `"${prefix}${m.key}" is set twice`, m.keySpan);
      } else {
        seen.add(m.key);
        out.push(m);
      }
    }
    return out;
  }

  private isObject(m: JsonMember): m is JsonMember & { value: { kind: 'object' } } {
    if (m.value.kind === 'object') return true;
    this.problem('profile-type', 'error', `"${m.key}" must be an object`, m.value);
    return false;
  }

  private scalar(m: JsonMember, at: string[], check: Check): string | undefined {
    if (m.value.kind !== 'string') {
      this.problem('profile-type', 'error', `"${at.join('.')}" must be a string`, m.value);
      return undefined;
    }
    const v = writable(check)(m.value.value);
    if (typeof v !== 'string') {
      this.problem('profile-value', 'error', `"${at.join('.')}": ${v.error}`, m.value);
      return undefined;
    }
    this.profile.locations![pointer(...at)] = { key: m.keySpan, value: span(m.value) };
    return v;
  }

  private map(m: JsonMember, at: string[], checkKey: Check, checkValue: Check): Record<string, string> | undefined {
    if (!this.isObject(m)) return undefined;
    const out: Record<string, string> = {};
    const spelled = new Map<string, string>();
    for (const e of m.value.members) {
      const k = checkKey(e.key);
      if (typeof k !== 'string') {
        this.problem('profile-value', 'error', `"${at.join('.')}": ${k.error}`, e.keySpan);
        continue;
      }
      if (spelled.has(k)) {
        const first = spelled.get(k)!;
        this.problem(
          'profile-duplicate',
          'error',
          first === e.key
            ? `"${at.join('.')}" maps '${e.key}' twice`
            : `"${at.join('.')}": '${e.key}' and '${first}' are the same (${k})`,
          e.keySpan,
        );
        continue;
      }
      spelled.set(k, e.key);
      if (e.value.kind !== 'string') {
        this.problem('profile-type', 'error', `"${at.join('.')}": the value for '${e.key}' must be a string`, e.value);
        continue;
      }
      const v = writable(checkValue)(e.value.value);
      if (typeof v !== 'string') {
        this.problem('profile-value', 'error', `"${at.join('.')}": ${v.error}`, e.value);
        (this.profile.unusable ??= {})[pointer(...at, k)] = e.value.value;
        continue;
      }
      put(out, k, v);
      this.profile.locations![pointer(...at, k)] = { key: e.keySpan, value: span(e.value) };
    }
    return out;
  }

  private problem(code: string, severity: 'error' | 'warning', message: string, where: JsonSpan): void {
    this.problems.push({ code, severity, message, start: where.start, end: where.end });
  }
}

function span(n: JsonSpan): JsonSpan {
  return { start: n.start, end: n.end };
}

/** Same letters ignoring case, or one edit apart (a likely typo). */
function close(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) || a.slice(i) === b.slice(i + 1);
}
