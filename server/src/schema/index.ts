export { isForeign } from './check';
export { vocabulary } from './vocabulary';
