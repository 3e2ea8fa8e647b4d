import { existsSync, readFileSync, statSync } from 'node:fs';
import { pollUntil } from './proc';

/** One tick of the guest's /init (test/guest/init): `FO t=… master=… standby=… primary=… active=… ping=…`. */
export interface FoTick {
  t: number;
  master: string;
  standby: string;
  primary: string;
  active: 'primary' | 'standby' | 'none';
  line: string;
}

export function parseFo(line: string): FoTick | undefined {
  const m = /^FO t=(\d+) .*master=(\S+) standby=(\S+) primary=(\S+) active=(primary|standby|none)/.exec(line);
  return m ? { t: Number(m[1]), master: m[2], standby: m[3], primary: m[4], active: m[5] as FoTick['active'], line } : undefined;
}

/** The kernel's net_failover messages, e.g. `failover primary slave:enp2s0 registered`. */
export const PRIMARY_REGISTERED = /failover primary slave:(\S+) registered/;
export const PRIMARY_UNREGISTERED = /failover primary slave:(\S+) unregistered/;
export const ACTIVE_PRIMARY = /^FO t=\d+ .* active=primary\b/;

/** A serial console written to a file by QEMU (`<serial type='file'>`); positions are byte offsets into it. */
export class SerialLog {
  constructor(readonly path: string) {}

  text(from = 0): string {
    if (!existsSync(this.path)) return '';
    return readFileSync(this.path, 'latin1').slice(from);
  }

  /** Where the file ends now: pass it as `from` to wait for something that happens after this moment. */
  size(): number {
    return existsSync(this.path) ? statSync(this.path).size : 0;
  }

  lines(from = 0): string[] {
    return this.text(from).split(/\r?\n/);
  }

  tail(n = 15): string {
    return this.lines().filter(Boolean).slice(-n).join('\n');
  }

  /** The first line at or after byte `from` that matches, and the byte offset where that line ends. */
  find(re: RegExp, from = 0): { line: string; end: number } | undefined {
    const text = this.text(from);
    const lineRe = /[^\n]*\n/g;
    for (let m = lineRe.exec(text); m; m = lineRe.exec(text)) {
      const line = m[0].replace(/\r?\n$/, '');
      if (re.test(line)) return { line, end: from + lineRe.lastIndex };
    }
    return undefined;
  }

  /** Waits for `find` to succeed (complete lines only); rejects at the deadline with the log's tail. */
  async waitForMatch(re: RegExp, timeoutMs: number, from = 0): Promise<{ line: string; end: number }> {
    try {
      return await pollUntil(`${re} in ${this.path}`, timeoutMs, () => this.find(re, from), 200);
    } catch (e) {
      throw new Error(`${(e as Error).message}; last lines:\n${this.tail()}`, { cause: e });
    }
  }

  /** The first line at or after byte `from` that matches. */
  async waitFor(re: RegExp, timeoutMs: number, from = 0): Promise<string> {
    return (await this.waitForMatch(re, timeoutMs, from)).line;
  }
}
