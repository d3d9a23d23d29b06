/**
 * Command-line flags: node:util parseArgs in strict mode, its errors turned into one line that
 * names the command, and checked conversions of flag values.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../check/model.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** Parse `args` for `command`; unknown flags, missing values and stray arguments are UsageErrors. */
export function parseFlags(command: string, args: readonly string[], options: OptionSpec, maxPositionals: number): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: negativeValues(args, options), options, strict: true, allowPositionals: true }) as Parsed;
  } catch (e) {
    throw new UsageError(flagError(command, e as NodeJS.ErrnoException, options));
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    throw new UsageError(`${command}: unexpected argument "${extra}" (see kuberace help ${command})`);
  }
  return parsed;
}

/** A negative number after a flag that takes a value: a value (`--seed -60901743`, as printed), not an option. */
const NEGATIVE_NUMBER = /^-\d[\d_]*(\.\d+)?$/;

/** `--flag -5` becomes `--flag=-5` for flags that take a value, which parseArgs would otherwise reject as ambiguous. */
function negativeValues(args: readonly string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const next = args[i + 1];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (name !== undefined && Object.prototype.hasOwnProperty.call(options, name) && options[name].type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function flagError(command: string, e: NodeJS.ErrnoException, options: OptionSpec): string {
  const msg = String(e.message).split('\n')[0];
  const quoted = /'(-[^' ]*)/.exec(msg)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const known = Object.keys(options)
        .filter((k) => k !== 'help')
        .map((k) => `--${k}`)
        .join(', ');
      return `${command}: unknown option "${quoted ?? msg}" (known: ${known})`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(msg)) return `${command}: option "${quoted ?? '?'}" needs a value`;
      if (/ambiguous/.test(msg)) return `${command}: option "${quoted ?? '?'}" needs a value (for a value starting with "-" write ${quoted ?? '--option'}=VALUE)`;
      if (/does not take an argument/.test(msg)) return `${command}: option "${quoted ?? '?'}" does not take a value`;
      return `${command}: ${msg}`;
    default:
      return `${command}: ${msg}`;
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function bool(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A whole number flag within [min, max]; undefined when absent. */
export function int(p: Parsed, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const t = v.trim().replace(/_/g, '');
  const n = /^-?\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`bad --${name} "${v}": expected a whole number ${range}`);
  }
  return n;
}

/** A positive number of seconds (fractions allowed), returned in ms. */
export function secondsFlag(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const n = /^\s*\d+(\.\d+)?\s*s?\s*$/.test(v) ? Number.parseFloat(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`bad --${name} "${v}": expected a number of seconds > 0`);
  return Math.round(n * 1000);
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(p: Parsed, name: string, choices: readonly T[]): T | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`bad --${name} "${v}": expected one of ${choices.join(', ')}`);
  return v as T;
}
