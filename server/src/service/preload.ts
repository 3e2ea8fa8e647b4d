import { vocabulary } from '../schema';

/** Loads what the first keystroke would otherwise wait for (the schema vocabulary). */
export function preload(): void {
  vocabulary();
}
