/** Printed seeds paste back: negative seeds parse, and a failure prints a command that goes straight back to it (seed + path). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../src/cli/shell.ts';
import { expectUsageError, run, tempDir } from './helpers.ts';

const dir = tempDir();
const FIND = ['check', 'kube-ovn', '--scenario', 'single-network', '--runs', '20'];

/** The argv of a printed `npx kuberace ...` command without quoting (these have none). */
function argvOf(command: string): string[] {
  const words = command.split(' ');
  expect(words.slice(0, 2)).toEqual(['npx', 'kuberace']);
  return words.slice(2);
}

const trace = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

describe('seeds and rerun commands', () => {
  it('--seed -60901743 and --seed=-60901743 parse as the same negative seed', async () => {
    const a = await run([...FIND, '--seed', '-60901743', '--json', '--out', 'n1.json'], { cwd: dir });
    const b = await run([...FIND, '--seed=-60901743', '--json', '--out', 'n2.json'], { cwd: dir });
    expect(a.stderr).toBe('');
    expect(JSON.parse(a.stdout).stats.seed).toBe(-60901743);
    expect(JSON.parse(b.stdout).stats.seed).toBe(-60901743);
    expect(trace('n1.json')).toEqual(trace('n2.json'));
  });

  it('a failure prints a rerun command with the seed and fast-check path; run as printed it goes straight to the same counterexample', async () => {
    const r = await run([...FIND, '--seed', '-60901743', '--out', 'first.json'], { cwd: dir });
    expect(r.code).toBe(1);
    const found = trace('first.json').found;
    expect(found.path).toMatch(/^\d+(:\d+)*$/);
    const m = /^rerun: (.*)$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(`npx kuberace check kube-ovn --runs 20 --scenario single-network --out first.json --seed -60901743 --path ${found.path}`);
    const again = await run([...argvOf(m![1]).map((w) => (w === 'first.json' ? 'again.json' : w)), '--json'], { cwd: dir });
    expect(again.code).toBe(1);
    const o = JSON.parse(again.stdout);
    expect(o.stats.runs).toBe(1); // the path replays the failing run only, then shrinks it
    const { found: _f1, ...t1 } = trace('first.json');
    const { found: _f2, ...t2 } = trace('again.json');
    expect(t2).toEqual(t1);
  });

  it('after --workers the rerun uses the winning worker seed and needs no workers', async () => {
    const r = await run([...FIND, '--seed', '1', '--workers', '2', '--json', '--out', 'w.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const o = JSON.parse(r.stdout);
    expect(o.rerun).not.toMatch(/--workers|--json/);
    expect(o.rerun).toContain(`--seed ${o.counterexample.found.seed} --path ${o.counterexample.found.path}`);
    const again = await run([...argvOf(o.rerun).map((w) => (w === 'w.json' ? 'w2.json' : w))], { cwd: dir });
    expect(again.code).toBe(1);
    expect(trace('w2.json').steps).toEqual(o.counterexample.steps);
  });

  it('a bad --path is bad input', async () => {
    expectUsageError(await run([...FIND, '--path', 'x:1'], { cwd: dir }), /bad --path "x:1": expected fast-check's replay path/);
  });

  it('words are quoted for a POSIX shell only when needed', () => {
    expect(shellQuote('scenarios/a.yaml')).toBe('scenarios/a.yaml');
    expect(shellQuote('-60901743')).toBe('-60901743');
    expect(shellQuote('my scenario.yaml')).toBe(`'my scenario.yaml'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe(`''`);
    expect(shellCommand(['npx', 'kuberace', 'check', 'm', '--scenario', 'a b'])).toBe(`npx kuberace check m --scenario 'a b'`);
  });
});

describe('help', () => {
  it('check --help documents --path', async () => {
    expect((await run(['help', 'check'])).stdout).toMatch(/--path P +fast-check replay path: with --seed, straight to a failing run/);
  });
});
