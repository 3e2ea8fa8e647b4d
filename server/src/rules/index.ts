import type { Rule } from './rule';
import { rule as aliasDropped } from './alias-dropped';
import { rule as aliasDuplicate } from './alias-duplicate';
import { rule as macDuplicate } from './mac-duplicate';
import { rule as macInvalid } from './mac-invalid';
import { rule as macMulticast } from './mac-multicast';
import { rule as migrationCpuHostPassthrough } from './migration-cpu-host-passthrough';
import { rule as migrationHostdev } from './migration-hostdev';
import { rule as migrationHostdevUnsupported } from './migration-hostdev-unsupported';
import { rule as migrationInvtsc } from './migration-invtsc';
import { rule as migrationShmem } from './migration-shmem';
import { rule as migrationTransientDisk } from './migration-transient-disk';
import { rule as migrationVirtiofs } from './migration-virtiofs';
import { rule as schemaInvalidValue } from './schema-invalid-value';
import { rule as schemaMissingRequired } from './schema-missing-required';
import { rule as schemaUnknownAttribute } from './schema-unknown-attribute';
import { rule as schemaUnknownElement } from './schema-unknown-element';
import { rule as teamingDangling } from './teaming-dangling';
import { rule as teamingGuestSupport } from './teaming-guest-support';
import { rule as teamingHostdevInvalid } from './teaming-hostdev-invalid';
import { rule as teamingHostdevMac } from './teaming-hostdev-mac';
import { rule as teamingMacMismatch } from './teaming-mac-mismatch';
import { rule as teamingMacMissing } from './teaming-mac-missing';
import { rule as teamingMultipleTransients } from './teaming-multiple-transients';
import { rule as teamingNotPcie } from './teaming-not-pcie';
import { rule as teamingPersistentAttrMissing } from './teaming-persistent-attr-missing';
import { rule as teamingPersistentAttrUnexpected } from './teaming-persistent-attr-unexpected';
import { rule as teamingPersistentModel } from './teaming-persistent-model';
import { rule as teamingTransientType } from './teaming-transient-type';
import { rule as teamingTypeInvalid } from './teaming-type-invalid';
import { rule as templatePlaceholder } from './template-placeholder';

/** The code of the syntax diagnostics, which come from the parser rather than a rule. */
export const XML_SYNTAX = 'xml-syntax';

/** Every domain rule, in the order of the rules page. */
export const RULES: readonly Rule[] = [
  teamingPersistentModel,
  teamingTransientType,
  teamingPersistentAttrMissing,
  teamingPersistentAttrUnexpected,
  teamingTypeInvalid,
  teamingHostdevInvalid,
  teamingDangling,
  aliasDropped,
  aliasDuplicate,
  teamingMultipleTransients,
  teamingMacMissing,
  teamingMacMismatch,
  teamingHostdevMac,
  teamingNotPcie,
  macInvalid,
  macMulticast,
  macDuplicate,
  schemaUnknownElement,
  schemaUnknownAttribute,
  schemaInvalidValue,
  schemaMissingRequired,
  migrationHostdev,
  migrationHostdevUnsupported,
  migrationShmem,
  migrationInvtsc,
  migrationVirtiofs,
  migrationTransientDisk,
  migrationCpuHostPassthrough,
  teamingGuestSupport,
  templatePlaceholder,
];

export type { Rule, RuleEnv, Severity, Finding } from './rule';
