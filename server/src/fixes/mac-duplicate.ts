import { freshMacFix } from './build';

/** mac-duplicate: a fresh MAC for one of the two interfaces (and its teaming partner); a choice, so not applied by fix-all. */
export const fix = freshMacFix(false);
