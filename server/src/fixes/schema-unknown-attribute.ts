import { didYouMean } from './schema-did-you-mean';

/** schema-unknown-attribute: "did you mean" — the nearest valid names (fixes/schema-did-you-mean.ts). */
export const fix = didYouMean;
