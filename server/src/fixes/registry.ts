import { aliasDropped } from './alias-dropped';
import { migrationHostdev } from './migration-hostdev';
import { teamingPersistentAttrUnexpected, teamingPersistentModel, teamingTypeInvalid } from './teaming-attrs';
import { newMac, teamingMacMismatch, teamingMacMissing } from './teaming-mac';
import { teamingDangling, teamingMultipleTransients, teamingPersistentAttrMissing } from './teaming-target';
import type { FixBuilder } from './types';

/**
 * The fix builders by diagnostic code, in the order "Make Domain Migratable" applies them: the shape of each
 * pair first (types, partners, aliases), then models, then MACs, so that a MAC fix sees the final pairs.
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
  ['mac-invalid', newMac(true)],
  ['mac-multicast', newMac(true)],
  ['mac-duplicate', newMac(false)],
]);
