export { SCHEMA_CODES, type SchemaCode, type SchemaData } from './codes';
export { schemaFindings, isForeign, type SchemaFinding } from './check';
export { vocabulary, Vocabulary, VOCABULARY_FILE_NAME, type Context } from './vocabulary';
export { ValueType } from './types';
