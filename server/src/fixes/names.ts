import type { OffsetEdit } from '../edits/textEdits';
import { takenAliasNames } from '../model/alias';
import type { DomainModel } from '../model/domain';
import { unusedMac, usedMacs } from '../model/mac';

/**
 * The new aliases and MACs of fixes built on one parse. "Make Domain Migratable" applies many fixes of one parse
 * at once: the names a chosen fix writes are committed, so no later fix of that parse picks the same `ua-standby0`
 * or MAC; the alternatives of one diagnostic, each applied alone, still start from the same free names. The
 * document's own names are collected once per parse (once per fix, they made fix-all quadratic).
 */
export class FreshNames {
  private aliases: Set<string> | undefined;
  private macs: Set<string> | undefined;
  /** Names handed out since the last commit, and the set each belongs to. */
  private handed: { set: Set<string>; name: string }[] = [];

  constructor(
    private readonly model: DomainModel,
    private readonly text: string,
    private readonly random: () => number,
  ) {}

  /** Alias names a new or renamed alias must avoid: the document's (see takenAliasNames) and those committed. */
  takenAliases(): ReadonlySet<string> {
    return this.aliasSet();
  }

  /** `${base}0`, `${base}1`, …: the first that is not taken. */
  alias(base = 'ua-standby'): string {
    const taken = this.aliasSet();
    for (let i = 0; ; i++) if (!taken.has(`${base}${i}`)) return this.take(`${base}${i}`);
  }

  /** An alias name a fix chose (a rename): committed with the fix that writes it. */
  take(name: string): string {
    this.handed.push({ set: this.aliasSet(), name });
    return name;
  }

  /** A random unicast `52:54:00:…` MAC used nowhere in the document nor by a committed fix. */
  mac(): string {
    this.macs ??= usedMacs(this.text);
    const mac = unusedMac(this.macs, this.random);
    this.handed.push({ set: this.macs, name: mac });
    return mac;
  }

  /** The names handed out since the last commit that these edits write are taken from now on; the rest are free. */
  commit(edits: readonly OffsetEdit[]): void {
    for (const { set, name } of this.handed) if (edits.some((e) => e.text.includes(name))) set.add(name);
    this.handed = [];
  }

  /** The names handed out since the last commit stay free (their fix is not applied). */
  forget(): void {
    this.handed = [];
  }

  private aliasSet(): Set<string> {
    return (this.aliases ??= takenAliasNames(this.model));
  }
}
