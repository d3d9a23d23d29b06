/**
 * Command lines that repeat a check: after a failure, one that goes straight to the
 * counterexample (fast-check's seed and path, as fast-check prints them); after Ctrl-C, one
 * that repeats the same runs. Built from the parsed flags, so the values are normalised
 * (`--seed=-5` and `--seed -5` print the same) and quoted for a POSIX shell.
 */
import type { OptionSpec, Parsed } from './args.ts';
import { shellCommand } from './shell.ts';

export interface RerunChanges {
  /** Flags left out. */
  readonly drop?: readonly string[];
  /** Flags set (after the kept ones, in this order); undefined leaves a flag out. */
  readonly set?: Readonly<Record<string, string | undefined>>;
}

export function rerunCommand(command: string, model: string, p: Parsed, spec: OptionSpec, changes: RerunChanges = {}): string {
  const words = ['npx', 'kuberace', command, model];
  const set = changes.set ?? {};
  for (const name of Object.keys(spec)) {
    if (name === 'help' || changes.drop?.includes(name) || name in set) continue;
    const v = p.values[name];
    if (v === true) words.push(`--${name}`);
    else if (typeof v === 'string') words.push(`--${name}`, v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') words.push(`--${name}`, x);
  }
  for (const [name, v] of Object.entries(set)) if (v !== undefined) words.push(`--${name}`, v);
  return shellCommand(words);
}
