/** Each command's help lists exactly the options its parser accepts (a flag in the wrong help, or none, fails). */
import { describe, expect, test } from 'vitest';
import { CHECK_OPTIONS, EXPLORE_OPTIONS } from '../../src/cli/check.ts';
import { DEMO_OPTIONS } from '../../src/cli/demo.ts';
import type { OptionSpec } from '../../src/cli/args.ts';
import { LIST_OPTIONS } from '../../src/cli/list.ts';
import { MATRIX_OPTIONS } from '../../src/cli/matrix.ts';
import { REPLAY_OPTIONS } from '../../src/cli/replay.ts';
import { SERVE_OPTIONS } from '../../src/cli/serve.ts';
import { run } from './helpers.ts';

const commands: Array<[string, OptionSpec]> = [
  ['list', LIST_OPTIONS],
  ['check', CHECK_OPTIONS],
  ['explore', EXPLORE_OPTIONS],
  ['replay', REPLAY_OPTIONS],
  ['matrix', MATRIX_OPTIONS],
  ['serve', SERVE_OPTIONS],
  ['demo', DEMO_OPTIONS],
];

/** The `--flag`s a help text names, options lines and usage line alike (global ones aside). */
function flagsIn(help: string): Set<string> {
  const out = new Set<string>();
  for (const m of help.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)) out.add(m[1]);
  for (const global of ['model', 'debug', 'version', 'help']) out.delete(global);
  return out;
}

describe('kuberace help <command>', () => {
  test('the list above is every command the CLI knows', async () => {
    const r = await run([]);
    const known = /known: ([a-z, ]+), help;/.exec(r.stderr)?.[1].split(', ');
    expect(known?.sort()).toEqual(commands.map(([c]) => c).sort());
  });

  test.each(commands)('%s: every parsed option is documented and every documented one is parsed', async (command, spec) => {
    const r = await run(['help', command]);
    expect(r.code).toBe(0);
    const documented = flagsIn(r.stdout);
    const parsed = new Set(Object.keys(spec).filter((k) => k !== 'help'));
    expect([...parsed].filter((k) => !documented.has(k)), 'parsed but not in the help').toEqual([]);
    expect([...documented].filter((k) => !parsed.has(k)), 'in the help but not parsed').toEqual([]);
  });
});
