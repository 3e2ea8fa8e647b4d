import { fix as aliasDropped } from './alias-dropped';
import { fix as macDuplicate } from './mac-duplicate';
import { fix as macInvalid } from './mac-invalid';
import { fix as macMulticast } from './mac-multicast';
import { fix as migrationHostdev } from './migration-hostdev';
import { fix as schemaInvalidValue } from './schema-invalid-value';
import { fix as schemaMissingRequired } from './schema-missing-required';
import { fix as schemaUnknownAttribute } from './schema-unknown-attribute';
import { fix as schemaUnknownElement } from './schema-unknown-element';
import { fix as teamingDangling } from './teaming-dangling';
import { fix as teamingMacMismatch } from './teaming-mac-mismatch';
import { fix as teamingMacMissing } from './teaming-mac-missing';
import { fix as teamingMultipleTransients } from './teaming-multiple-transients';
import { fix as teamingNotPcie } from './teaming-not-pcie';
import { fix as teamingPersistentAttrMissing } from './teaming-persistent-attr-missing';
import { fix as teamingPersistentAttrUnexpected } from './teaming-persistent-attr-unexpected';
import { fix as teamingPersistentModel } from './teaming-persistent-model';
import { fix as teamingTypeInvalid } from './teaming-type-invalid';
import type { FixBuilder } from './types';

/**
 * The quick fixes of each diagnostic code (fixes/CODE.ts), and the ORDER in which "Make Domain Migratable"
 * applies their safe fixes: the shape of each pair first (types, partners, aliases), then models, then MACs, so
 * that a MAC fix sees the final pairs, then where the VFs sit on the guest's PCI buses. The schema fixes are never safe (a guess is a choice); they come last.
 */
export const FIXES: ReadonlyMap<string, FixBuilder> = new Map<string, FixBuilder>([
  ['teaming-type-invalid', teamingTypeInvalid],
  ['teaming-persistent-attr-unexpected', teamingPersistentAttrUnexpected],
  ['alias-dropped', aliasDropped],
  ['teaming-persistent-attr-missing', teamingPersistentAttrMissing],
  ['teaming-dangling', teamingDangling],
  ['teaming-multiple-transients', teamingMultipleTransients],
  ['migration-hostdev', migrationHostdev],
  ['teaming-persistent-model', teamingPersistentModel],
  ['teaming-mac-mismatch', teamingMacMismatch],
  ['teaming-mac-missing', teamingMacMissing],
  ['mac-invalid', macInvalid],
  ['mac-multicast', macMulticast],
  ['mac-duplicate', macDuplicate],
  ['teaming-not-pcie', teamingNotPcie],
  ['schema-unknown-element', schemaUnknownElement],
  ['schema-unknown-attribute', schemaUnknownAttribute],
  ['schema-invalid-value', schemaInvalidValue],
  ['schema-missing-required', schemaMissingRequired],
]);

export { deviceAt } from './build';
export { FreshNames } from './names';
export { escapeSnippet, teamingPairSnippet, type TeamingPairSnippetOptions } from './snippet';
export type { Fix, FixBuilder, FixContext, FixSettings, Problem } from './types';
