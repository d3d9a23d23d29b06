/** `kuberace serve` on the command line: bad input is one line and exit 2; a run writes, serves and cleans up. */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadTrace, traceFile } from '../serve/helpers.ts';
import { expectUsageError, run, tempDir } from './helpers.ts';

const dir = tempDir();
const trace = join(dir, 'race.json');
copyFileSync(traceFile(), trace);
const steps = loadTrace().steps.length;

describe('serve: bad input', () => {
  it('missing or unreadable trace, not a trace', async () => {
    expectUsageError(await run(['serve'], { cwd: dir }), /serve: missing <trace\.json>/);
    expectUsageError(await run(['serve', 'nope.json'], { cwd: dir }), /nope\.json: cannot read trace file \(no such file\)/);
    writeFileSync(join(dir, 'bad.json'), '{"format": "something"}');
    expectUsageError(await run(['serve', 'bad.json'], { cwd: dir }), /not a kuberace trace/);
  });

  it('a trace that no longer replays', async () => {
    const t = JSON.parse(readFileSync(trace, 'utf8'));
    t.steps[1] = 'user: delete Subnet/nothing';
    writeFileSync(join(dir, 'changed.json'), JSON.stringify(t));
    expectUsageError(await run(['serve', 'changed.json'], { cwd: dir }), /model changed at step 2/);
  });

  it('a step out of range, a bad port, a non-loopback address, a port in use', async () => {
    expectUsageError(await run(['serve', 'race.json', '--step', '100000'], { cwd: dir }), new RegExp(`serve: bad --step 100000: race\\.json has steps 0 to \\d+`));
    expectUsageError(await run(['serve', 'race.json', '--step=-1'], { cwd: dir }), /bad --step "-1"/);
    expectUsageError(await run(['serve', 'race.json', '--port', '70000'], { cwd: dir }), /bad --port "70000"/);
    expectUsageError(await run(['serve', 'race.json', '--address', '0.0.0.0'], { cwd: dir }), /refusing to bind to "0\.0\.0\.0": the API is served on loopback only/);
    expectUsageError(await run(['serve', 'race.json', '--exit-after', 'soon'], { cwd: dir }), /bad --exit-after "soon"/);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      expectUsageError(await run(['serve', 'race.json', '--port', String(port)], { cwd: dir }), new RegExp(`serve: port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      blocker.close();
    }
    expect(existsSync(join(dir, 'race.kubeconfig'))).toBe(false);
  });
});

describe('serve: a run', () => {
  it('writes the kubeconfig next to the trace, serves until --exit-after, then removes it', async () => {
    const kc = join(dir, 'race.kubeconfig');
    let seen: string | undefined;
    const poll = setInterval(() => {
      if (existsSync(kc)) seen = readFileSync(kc, 'utf8');
    }, 20);
    const t0 = performance.now();
    const r = await run(['serve', 'race.json', '--step', '3', '--exit-after', '0.5'], { cwd: dir });
    const ms = performance.now() - t0;
    clearInterval(poll);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(ms).toBeGreaterThanOrEqual(500);
    const url = /read-only, at (http:\/\/127\.0\.0\.1:\d+)/.exec(r.stdout)?.[1];
    expect(url, r.stdout).toBeDefined();
    expect(r.stdout).toContain(`serving step 3/${steps}`);
    expect(r.stdout).toContain('kubeconfig: race.kubeconfig');
    expect(r.stdout).toContain('kubectl --kubeconfig race.kubeconfig get ips,subnets');
    expect(seen, 'the kubeconfig existed while serving').toBeDefined();
    expect(parse(seen!).clusters[0].cluster.server).toBe(url);
    expect(existsSync(kc)).toBe(false);
  });

  it('--kubeconfig - prints it instead; the step defaults to the violation step', async () => {
    const r = await run(['serve', 'race.json', '--kubeconfig', '-', '--exit-after', '0.2'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^apiVersion: v1\nkind: Config\n/);
    expect(r.stdout).toContain(`serving step ${loadTrace().violation.step}/`);
    expect(existsSync(join(dir, 'race.kubeconfig'))).toBe(false);
  });

  it('help', async () => {
    const r = await run(['help', 'serve']);
    expect(r.stdout).toMatch(/^usage: kuberace serve <trace\.json>/);
    expect((await run(['--help'])).stdout).toMatch(/serve <trace\.json>/);
  });
});
