/** The CLI as users start it: real processes through tsx and through bin/kuberace.mjs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutDurations } from './helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'src/cli.ts');
const bin = join(root, 'bin/kuberace.mjs');
// `--import tsx` resolves from the working directory (a temporary one here): pass tsx's own URL.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'kuberace-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[]) {
  const env = { ...process.env };
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('spawned CLI', () => {
  it('node --import tsx src/cli.ts list (from another directory)', () => {
    const r = node(['--import', tsx, cli, 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^model kube-ovn: /);
    expect(r.stderr).toBe('');
  });

  it('bin/kuberace.mjs: exit codes pass through, bad input is one stderr line with no stack trace', () => {
    const ok = node([bin, '--version']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^kuberace \d/);
    const bad = node([bin, 'check', 'kube-ovn', '--variant', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^kuberace: unknown variant "x" of model kube-ovn \(known: [^\n]*\)\n$/);
  });

  it('check --seed twice in separate processes prints identical JSON once durationMs is removed; exit 1 on a violation', () => {
    const args = ['--import', tsx, cli, 'check', 'kube-ovn', '--scenario', 'single-network', '--runs', '10', '--seed', '42', '--json'];
    const a = node(args);
    const b = node(args);
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(a.stderr).toBe(''); // no progress: stderr is not a terminal
    expect(JSON.stringify(withoutDurations(JSON.parse(a.stdout)))).toBe(JSON.stringify(withoutDurations(JSON.parse(b.stdout))));
    const lines = a.stdout.split('\n').filter((l) => !/"durationMs"/.test(l));
    expect(lines.join('\n')).toBe(b.stdout.split('\n').filter((l) => !/"durationMs"/.test(l)).join('\n'));
  });
});
