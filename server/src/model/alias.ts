import { isKeptAlias, type DomainModel } from './domain';

/**
 * Names a new or renamed alias must avoid: every alias, and every name a `persistent=` gives (taking a name that a
 * dangling `persistent=` already uses would silently pair that VF with the renamed device).
 */
export function takenAliasNames(model: DomainModel): Set<string> {
  const names = new Set<string>();
  for (const a of model.aliases) names.add(a.name.value);
  for (const t of model.teamings) if (t.persistent) names.add(t.persistent.value);
  return names;
}

/** `${base}0`, `${base}1`, …: the first alias libvirt keeps that is not taken (`ua-standby0` for a new standby). */
export function freeAlias(model: DomainModel, base = 'ua-standby'): string {
  const taken = takenAliasNames(model);
  for (let i = 0; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** An alias libvirt would drop, made into one it keeps: `backup.0` → `ua-backup-0`, not taken. */
export function suggestAlias(name: string, taken: ReadonlySet<string>): string {
  const base =
    'ua-' +
    (name
      .replace(/^ua-/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'dev');
  let candidate = base;
  for (let i = 1; taken.has(candidate) || !isKeptAlias(candidate); i++) candidate = `${base}-${i}`;
  return candidate;
}
