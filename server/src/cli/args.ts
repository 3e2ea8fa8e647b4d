import { parseArgs as parseNodeArgs } from 'node:util';
import { UsageError } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}

export interface Parsed<O extends Record<string, OptionSpec>> {
  values: {
    [K in keyof O]?: O[K] extends { multiple: true }
      ? O[K]['type'] extends 'string'
        ? string[]
        : boolean[]
      : O[K]['type'] extends 'string'
        ? string
        : boolean;
  };
  positionals: string[];
}

/**
 * Every subcommand's arguments, read by node's own parser (`--opt value`, `--opt=value`, `-o value`, `--` ends the
 * options, a lone `-` is standard input), with its errors worded as the CLI's usage errors. An empty value is refused.
 */
export function parseArguments<O extends Record<string, OptionSpec>>(args: string[], options: O): Parsed<O> {
  let parsed;
  try {
    parsed = parseNodeArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(describeError(e as NodeJS.ErrnoException & { message: string }));
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const values = Array.isArray(value) ? value : [value];
    if (options[name].type === 'string' && values.some((v) => v === '')) throw new UsageError(`--${name} needs a value`);
  }
  return parsed as unknown as Parsed<O>;
}

function describeError(e: NodeJS.ErrnoException & { message: string }): string {
  const option = /'(-[^' ,]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option ?? e.message}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `${longName(option)} needs a value` : e.message;
    default:
      return e.message;
  }
}

/** `-o` as the user wrote it, `--format` from node's `'--format <value>'`. */
function longName(option: string): string {
  return option.replace(/\s.*$/, '');
}
