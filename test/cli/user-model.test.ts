/**
 * A model of the user's own (not bundled) for every command: `--model FILE` and a
 * `kuberace.config.ts` in the working directory; parallel workers load it too; printed
 * commands (replay, rerun) carry the `--model` words that find it again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectUsageError, run, tempDir } from './helpers.ts';

const toy = fileURLToPath(new URL('../fixtures/toy-model.ts', import.meta.url));
const dir = tempDir();

describe('--model FILE', () => {
  let checkOut = '';
  beforeAll(async () => {
    const r = await run(['check', '--model', toy, 'toy', '--variant', 'buggy', '--scenario', 'race', '--seed', '1', '--out', 'toy.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    checkOut = r.stdout;
  });

  it('check finds the race and prints replay and rerun commands with --model', () => {
    expect(checkOut).toMatch(/no-leaked-lease/);
    expect(checkOut).toContain(`replay: npx kuberace replay --model ${toy} toy.json`);
    expect(checkOut).toMatch(new RegExp(`rerun: npx kuberace check --model ${toy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} toy `));
  });

  it('without --model the trace names a model the CLI does not know, and says how to add it', async () => {
    expectUsageError(await run(['replay', 'toy.json'], { cwd: dir }), /unknown model "toy" in trace \(known: kube-ovn, vpc, operator; a model of your own: --model FILE or a kuberace\.config\.ts\)/);
  });

  it('replay (flag before or after the command) reproduces it and renders HTML', async () => {
    const text = await run(['--model', toy, 'replay', 'toy.json'], { cwd: dir });
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/toy\/buggy: reproduced: no-leaked-lease/);
    const html = await run(['replay', 'toy.json', `--model=${toy}`, '--format', 'html', '--out', 'toy.html'], { cwd: dir });
    expect(html.code, html.stderr).toBe(1);
    const page = readFileSync(join(dir, 'toy.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('no-leaked-lease');
  });

  it('list shows the bundled models and the user model; list <model> only that one', async () => {
    const all = await run(['list', '--model', toy, '--json'], { cwd: dir });
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).models.map((m: { name: string }) => m.name)).toEqual(['kube-ovn', 'vpc', 'operator', 'toy']);
    const one = await run(['list', 'toy', '--model', toy], { cwd: dir });
    expect(one.stdout).toMatch(/^model toy: /);
    expect(one.stdout).toMatch(/no-leaked-lease/);
  });

  it('with a single --model model, <model> may be left out; explore runs it in worker threads too', async () => {
    const r = await run(['explore', '--model', toy, '--variant', 'fixed', '--workers', '2', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ model: 'toy', variant: 'fixed', result: 'holds', stats: { complete: true, shards: 2 } });
    const buggy = await run(['explore', '--model', toy, '--variant', 'buggy', '--workers', '2', '--out', 'w.json'], { cwd: dir });
    expect(buggy.code, buggy.stderr).toBe(1);
    expect(buggy.stdout).toContain(`replay: npx kuberace replay --model ${toy} w.json`);
  });

  it('serve and matrix take it as well', async () => {
    const s = await run(['serve', 'toy.json', '--model', toy, '--kubeconfig', '-', '--exit-after', '0.05'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/toy\/buggy: serving step \d+\/\d+/);
    const m = await run(['matrix', '--model', toy, '--runs', '5', '--exhaustive', 'race', '--out', 'm.md'], { cwd: dir });
    expect(m.code, m.stderr).toBe(0);
    const md = readFileSync(join(dir, 'm.md'), 'utf8');
    expect(md).toMatch(/\| `buggy` \| .*✗/);
    expect(md).toContain(`kuberace check --model ${toy} toy --variant V`);
  });

  it('bad modules are one-line usage errors', async () => {
    expectUsageError(await run(['list', '--model', 'nope.ts'], { cwd: dir }), /cannot read model module nope\.ts: no such file/);
    writeFileSync(join(dir, 'empty.ts'), 'export const x = 1;\n');
    expectUsageError(await run(['list', '--model', 'empty.ts'], { cwd: dir }), /empty\.ts exports no model .*exports: x/);
    writeFileSync(join(dir, 'broken.ts'), 'throw new Error("boom in the model");\n');
    expectUsageError(await run(['list', '--model', 'broken.ts'], { cwd: dir }), /cannot load broken\.ts: boom in the model/);
    expectUsageError(await run(['list', '--model'], { cwd: dir }), /option "--model" needs a value/);
  });
});

describe('kuberace.config.ts', () => {
  const cdir = tempDir();
  beforeAll(() => {
    writeFileSync(join(cdir, 'kuberace.config.ts'), `import { toyModel } from ${JSON.stringify(toy)};\nexport default { models: [toyModel] };\n`);
  });

  it('lists the models of the config; their printed commands need no --model', async () => {
    const l = await run(['list', '--json'], { cwd: cdir });
    expect(l.code, l.stderr).toBe(0);
    expect(JSON.parse(l.stdout).models.map((m: { name: string }) => m.name)).toContain('toy');
    const c = await run(['check', 'toy', '--variant', 'buggy', '--scenario', 'race', '--seed', '1', '--out', 'c.json'], { cwd: cdir });
    expect(c.code, c.stderr).toBe(1);
    expect(c.stdout).toContain('replay: npx kuberace replay c.json');
    const r = await run(['replay', 'c.json', '--format', 'json'], { cwd: cdir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).replay.status).toBe('reproduced');
  });

  it('workers load a config model', async () => {
    const r = await run(['explore', 'toy', '--variant', 'fixed', '--workers', '2', '--json'], { cwd: cdir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'holds', stats: { complete: true } });
  });

  it('a config whose list holds something else is a usage error', async () => {
    const bad = tempDir();
    writeFileSync(join(bad, 'kuberace.config.mjs'), 'export default { models: [undefined] };\n');
    expectUsageError(await run(['list'], { cwd: bad }), /kuberace\.config\.mjs: models 0 is not a model/);
  });
});
