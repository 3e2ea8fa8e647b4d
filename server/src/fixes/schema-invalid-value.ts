import { didYouMean } from './schema-did-you-mean';

/** schema-invalid-value: "did you mean" — the nearest valid names (fixes/schema-did-you-mean.ts). */
export const fix = didYouMean;
