import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { Position } from 'vscode-languageserver-textdocument';

/**
 * The parts of a request's params a handler reads, checked: null, missing or mistyped params answer an
 * InvalidParams error (-32602) that says what is wrong, where reading them threw a TypeError answered as an
 * internal error (-32603).
 */

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** `params.a.b` when it is of the kind asked; otherwise an InvalidParams error. */
export function param<T>(params: unknown, path: string, kind: Kind): T {
  const value = at(params, path);
  const ok =
    kind === 'array'
      ? Array.isArray(value)
      : kind === 'object'
        ? value !== null && typeof value === 'object'
        : typeof value === kind;
  if (!ok) throw invalid(`${path || 'params'} must be ${kind === 'array' || kind === 'object' ? 'an' : 'a'} ${kind}`);
  return value as T;
}

/** `params.textDocument.uri`, or `params.uri` for our own requests. */
export function documentUri(params: unknown): string {
  return param<string>(params, 'textDocument.uri', 'string');
}

export function uri(params: unknown): string {
  return param<string>(params, 'uri', 'string');
}

/** `params.position`: a line and a character, each a whole number of at least 0. */
export function position(params: unknown): Position {
  const p = param<Record<string, unknown>>(params, 'position', 'object');
  for (const key of ['line', 'character'] as const) {
    const n = p[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalid(`position.${key} must be a whole number >= 0`);
  }
  return { line: p.line as number, character: p.character as number };
}

function at(params: unknown, path: string): unknown {
  if (path === '') return params;
  let value = params;
  for (const key of path.split('.')) {
    value =
      value !== null && typeof value === 'object' && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}

function invalid(what: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `invalid params: ${what}`);
}
