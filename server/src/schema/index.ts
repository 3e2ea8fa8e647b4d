export { schemaCodeActions } from './actions';
export { schemaFindings, SCHEMA_CODES, type SchemaCode, type SchemaData, type SchemaFinding } from './check';
export { vocabulary, Vocabulary, VOCABULARY_FILE_NAME, type Context } from './vocabulary';
export { ValueType } from './types';
