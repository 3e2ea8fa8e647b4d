export type VirshErrorKind =
  'not-installed' | 'connect-refused' | 'auth-failed' | 'permission-denied' | 'not-found' | 'timeout' | 'cancelled' | 'failed';

/** A virsh call that did not give what was asked. `message` is one line for a user, with libvirt's own words. */
export class VirshError extends Error {
  override readonly name = 'VirshError';
  constructor(
    readonly kind: VirshErrorKind,
    message: string,
    /** virsh's stderr as it was (secrets of the URI removed). */
    readonly stderr = '',
  ) {
    super(message);
  }
}

/**
 * libvirt's `error: …` messages of a virsh stderr, joined into one line (`failed to connect…: Failed to connect
 * socket…`). A message may run over several lines when it carries ssh's stderr (`Cannot recv data: ` and ssh's
 * banner for a changed host key, 14 lines): its lines are joined, `@@@` rules dropped, and a long one keeps its
 * first two lines and its last two (where ssh says what failed).
 */
export function libvirtMessage(stderr: string): string {
  const entries: string[][] = [];
  const loose: string[] = [];
  const clean = (l: string) =>
    l
      .replace(/@{3,}/g, '')
      .replace(/^\s*@\s+|\s+@\s*$/g, '')
      .trim();
  for (const raw of stderr.split('\n')) {
    const line = clean(raw);
    if (raw.trim().startsWith('error: ')) entries.push([clean(raw.trim().slice('error: '.length))]);
    else if (!line) continue;
    else if (entries.length) entries[entries.length - 1].push(line);
    else loose.push(line);
  }
  if (!entries.length) return loose.join(': ');
  return entries
    .map((lines) => {
      const kept = lines.filter((l, i) => i === 0 || l);
      return (kept.length > 4 ? [...kept.slice(0, 2), '…', ...kept.slice(-2)] : kept).join(' ').trim();
    })
    .join(': ');
}

/**
 * What went wrong, from virsh's LC_ALL=C stderr. The messages are libvirt 9.0's and 11.3's and OpenSSH 9.2's (seen;
 * a refused key and unknown or changed host keys against a real sshd): ssh runs under virsh for qemu+ssh:// and its
 * stderr reaches virsh's as `Cannot recv data: …`.
 * Order matters: ssh's `Permission denied (publickey)` is an authentication failure, not a socket permission.
 */
const RULES: [VirshErrorKind, RegExp][] = [
  [
    'auth-failed',
    /authentication failed|authentication unavailable|no polkit agent|Host key verification failed|Permission denied \((?:publickey|password|keyboard-interactive|gssapi|hostbased)|Too many authentication failures|SASL|certificate/i,
  ],
  [
    'permission-denied',
    /Failed to connect socket to '[^']*': Permission denied|operation forbidden|access denied|read only access prevents|Permission denied/i,
  ],
  [
    'connect-refused',
    /Failed to connect socket to|unable to connect to server|Connection refused|Could not resolve hostname|Name or service not known|Temporary failure in name resolution|Connection timed out|No route to host|Network is unreachable|Connection reset by peer|End of file while reading data|failed to connect to the hypervisor|no valid connection|Cannot recv data|Cannot write data/i,
  ],
  [
    'not-found',
    /\b(?:Domain|Network|Storage pool|Storage volume|Node device|Interface|Secret|Network filter|Domain snapshot|Domain checkpoint|Network port) not found\b|^failed to get (?:domain|network|pool|vol|interface|secret|nwfilter|snapshot|checkpoint) '|Could not find matching device/im,
  ],
];

export function classify(stderr: string): VirshErrorKind {
  const text = libvirtMessage(stderr);
  for (const [kind, re] of RULES) if (re.test(text)) return kind;
  return 'failed';
}

/**
 * What to do when ssh, under virsh for a `+ssh` URI, could not log in: virsh runs ssh without a terminal, so ssh
 * cannot ask to accept a host key or for a passphrase or a password (OpenSSH 9.2's words, seen under virsh 9.0).
 */
export function sshHint(uri: string, stderr: string): string | undefined {
  const m = /^[a-z0-9.-]*\+(?:ssh|libssh2?):\/\/(?:([^/@?#:]*)(?::[^/@?#]*)?@)?(\[[^\]/]*\]|[^/:?#]+)(?::(\d+))?/i.exec(uri);
  if (!m) return undefined;
  const [, user, host, port] = m;
  const ssh = `ssh ${port ? `-p ${port} ` : ''}${user ? `${user}@` : ''}${host.replace(/^\[(.*)\]$/, '$1')}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|host key for .* has changed/i.test(stderr))
    return `the host's ssh key is not the one ssh knows for it: find out why before trusting it (\`${ssh}\` in a terminal says more)`;
  if (/Host key verification failed/i.test(stderr))
    return `ssh does not know this host's key and cannot ask under virsh: run \`${ssh}\` once in a terminal to check and accept it`;
  if (
    /Permission denied \((?:publickey|password|keyboard-interactive|gssapi|hostbased)|Too many authentication failures/i.test(
      stderr,
    )
  )
    return `ssh could not log in without a terminal: use a key the host accepts, loaded in ssh-agent or named by ?keyfile= in the URI (test it with \`${ssh} -o BatchMode=yes true\`)`;
  return undefined;
}

/** Query parameters of a libvirt URI whose values are shown; every other value is replaced (keyfile, pkipath, …). */
const SHOWN_PARAMS = new Set([
  'socket',
  'mode',
  'proxy',
  'no_verify',
  'no_tty',
  'transport',
  'sshauth',
  'known_hosts_verify',
  'tls_priority',
  'name',
  'netcat',
]);

/**
 * A libvirt URI safe to show or log: no password in the user info, and only harmless query values
 * (`qemu+ssh://root:***@h/system?keyfile=***`). Not a URL parser's job: libvirt URIs may be `test:///abs/path`.
 */
export function redactUri(uri: string): string {
  let out = uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@?#]*)@/i, (_m, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return `${scheme}${colon >= 0 ? info.slice(0, colon) + ':***' : info}@`;
  });
  const q = out.indexOf('?');
  if (q >= 0) {
    const params = out
      .slice(q + 1)
      .split('&')
      .map((p) => {
        const eq = p.indexOf('=');
        if (eq < 0) return p;
        const key = p.slice(0, eq);
        return SHOWN_PARAMS.has(decodeSafe(key).toLowerCase()) ? p : `${key}=***`;
      });
    out = out.slice(0, q + 1) + params.join('&');
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The secrets of a URI (a password, hidden query values), to scrub them from text virsh or ssh printed. */
export function uriSecrets(uri: string): string[] {
  const secrets: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@?#]*)@/i.exec(uri);
  if (m && m[1].includes(':')) secrets.push(m[1].slice(m[1].indexOf(':') + 1));
  const q = uri.indexOf('?');
  if (q >= 0) {
    for (const p of uri.slice(q + 1).split('&')) {
      const eq = p.indexOf('=');
      if (eq > 0 && !SHOWN_PARAMS.has(decodeSafe(p.slice(0, eq)).toLowerCase())) secrets.push(p.slice(eq + 1));
    }
  }
  return secrets.filter((s) => s.length > 0).flatMap((s) => [s, decodeSafe(s)]);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** A short name for a host given only by its URI: `host-b` for `qemu+ssh://root@host-b/system`, else the redacted URI. */
export function hostLabel(uri: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@?#]*@)?([^/:?#]+)/i.exec(uri);
  return m ? m[1] : redactUri(uri);
}
