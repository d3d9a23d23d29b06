/**
 * `kuberace serve` under the real kubectl (Debian's kubernetes-client in CI; .ci/run installs it
 * when missing): the CLI is spawned on a saved counterexample, kubectl talks to it through the
 * kubeconfig it writes, at two steps (the second reached through the control endpoint, without a
 * restart). Expected objects come from replaying the trace here (the report timeline), never
 * from fixed step numbers: the saved traces are regenerated when the engine changes.
 *
 * kubectl runs with HOME and KUBECACHEDIR in a temporary directory, so its discovery cache
 * never lands in the repository (checked). Without kubectl the tests are skipped with a notice;
 * under CI=true a missing kubectl fails the file instead.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { models } from '../../models/index.ts';
import type { StoredObject } from '../../src/api/types.ts';
import { timelineOf } from '../../src/cli/common.ts';
import type { Timeline } from '../../src/report/timeline.ts';
import { loadTrace, traceFile } from '../serve/helpers.ts';

const REPO = join(import.meta.dirname, '..', '..');

function findKubectl(): string | undefined {
  if (process.env.KUBERACE_KUBECTL) return existsSync(process.env.KUBERACE_KUBECTL) ? process.env.KUBERACE_KUBECTL : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'kubectl'))) return join(dir, 'kubectl');
  }
  return undefined;
}

const KUBECTL = findKubectl();
if (!KUBECTL && process.env.CI === 'true') {
  throw new Error('CI must run the kubectl e2e tests, but kubectl is missing (.ci/run installs the Debian kubernetes-client package)');
}
if (!KUBECTL) console.warn('kubectl e2e tests skipped: kubectl not installed; install it with: apt-get install -y kubernetes-client');

interface Out {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe.skipIf(!KUBECTL)(`kuberace serve under kubectl (${KUBECTL ?? 'skipped: kubectl not installed'})`, () => {
  let dir = '';
  let kubeconfig = '';
  let server: ChildProcess | undefined;
  let serverExit: Promise<number | null>;
  let banner = '';
  let url = '';
  let timeline: Timeline;
  let env: NodeJS.ProcessEnv;
  const repoBefore = new Set(readdirSync(REPO));
  const timings: string[] = [];

  /** Objects of the replay after `step` (0 = the setup). */
  const objectsAt = (step: number): Readonly<Record<string, StoredObject>> => (step === 0 ? timeline.initial.objects : timeline.steps[step - 1].objects);
  const kindAt = (step: number, kind: string) => Object.keys(objectsAt(step)).sort().filter((k) => k.startsWith(`${kind}/`)).map((k) => objectsAt(step)[k]);

  function kubectl(...args: string[]): Promise<Out> {
    const t0 = performance.now();
    return new Promise((resolve) => {
      execFile(KUBECTL!, ['--kubeconfig', kubeconfig, ...args], { cwd: dir, env, timeout: 30_000 }, (err, stdout, stderr) => {
        timings.push(`kubectl ${args.join(' ')}: ${Math.round(performance.now() - t0)} ms`);
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /**
   * `kubectl get <resource> -w`, stopped (SIGTERM) once `rows` rows arrived, or after 15 s (timedOut).
   * Expecting no rows, it is stopped after 1.5 s (then any row that came is a failure).
   */
  function watchRows(resource: string, rows: number): Promise<{ lines: string[]; timedOut: boolean }> {
    const t0 = performance.now();
    return new Promise((resolve) => {
      const child = spawn(KUBECTL!, ['--kubeconfig', kubeconfig, 'get', resource, '-w'], { cwd: dir, env });
      let out = '';
      let timedOut = false;
      const dataLines = () => out.split('\n').filter((l) => l.trim() && !l.startsWith('NAME ') && !l.startsWith('No resources'));
      const timer = setTimeout(
        () => {
          timedOut = rows > 0;
          child.kill('SIGTERM');
        },
        rows > 0 ? 15_000 : 1500,
      );
      child.stdout.on('data', (d) => {
        out += String(d);
        // A complete line per row: stop as soon as the expected rows are there.
        if (out.endsWith('\n') && dataLines().length >= rows) child.kill('SIGTERM');
      });
      child.on('close', () => {
        clearTimeout(timer);
        timings.push(`kubectl get ${resource} -w (${rows} rows): ${Math.round(performance.now() - t0)} ms`);
        resolve({ lines: dataLines(), timedOut });
      });
    });
  }

  /** The two steps looked at, by what the replay shows there. */
  let subnetTerminating = -1;
  let ipLeaked = -1;
  let leakedIp = '';

  beforeAll(async () => {
    const trace = loadTrace();
    timeline = timelineOf(models[trace.model], trace);
    const n = timeline.steps.length;
    const steps = Array.from({ length: n + 1 }, (_, i) => i);
    subnetTerminating = steps.find((i) => objectsAt(i)['Subnet/s1']?.metadata.deletionTimestamp !== undefined) ?? -1;
    // The leak of scenario A: an IP CR with a finalizer while subnet s1 is gone.
    ipLeaked = steps.find((i) => !objectsAt(i)['Subnet/s1'] && kindAt(i, 'IP').some((o) => o.metadata.finalizers?.length)) ?? -1;
    expect(subnetTerminating, 'a step with subnet s1 terminating').toBeGreaterThanOrEqual(0);
    expect(ipLeaked, 'a step with an IP CR outliving s1').toBeGreaterThan(subnetTerminating);
    leakedIp = kindAt(ipLeaked, 'IP').find((o) => o.metadata.finalizers?.length)!.metadata.name;

    dir = mkdtempSync(join(tmpdir(), 'kuberace-kubectl-e2e-'));
    kubeconfig = join(dir, 'trace.kubeconfig');
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      KUBECACHEDIR: join(dir, 'kube-cache'),
      // The gcloud kubectl dispatcher (some machines) keeps its state under this.
      CLOUDSDK_CONFIG: join(dir, 'gcloud'),
      NO_COLOR: '1',
    };
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const t0 = performance.now();
    server = spawn(
      process.execPath,
      ['--import', tsx, join(REPO, 'src', 'cli.ts'), 'serve', traceFile(), '--step', String(subnetTerminating), '--kubeconfig', kubeconfig, '--exit-after', '120'],
      { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } },
    );
    serverExit = new Promise((resolve) => server!.on('exit', (code) => resolve(code)));
    server.stdout!.on('data', (d) => void (banner += String(d)));
    server.stderr!.on('data', (d) => void (banner += String(d)));
    const deadline = Date.now() + 30_000;
    while (!/at (http:\/\/127\.0\.0\.1:\d+)/.test(banner)) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`kuberace serve did not start: ${banner}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1];
    timings.push(`kuberace serve ready: ${Math.round(performance.now() - t0)} ms`);
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await serverExit;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`kubectl e2e timings:\n  ${timings.join('\n  ')}`);
  });

  it('the kubeconfig next to the server points kubectl at loopback, with the trace namespace', () => {
    expect(banner).toContain(`kubeconfig: ${kubeconfig}`);
    const kc = parse(readFileSync(kubeconfig, 'utf8'));
    expect(kc['current-context']).toBe('kuberace');
    expect(kc.clusters[0].cluster.server).toBe(url);
    expect(kc.contexts[0].context.namespace).toBe('vm');
  });

  /** Checks of one step: table, JSON, yaml of an IP, describe of s1, watch, refused writes. */
  async function checkStep(step: number): Promise<void> {
    const subnets = kindAt(step, 'Subnet');
    const ips = kindAt(step, 'IP');

    const table = await kubectl('get', 'subnets,ips');
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^(subnet|ip)\.kubeovn\.io\//.test(l));
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual([...subnets.map((o) => `subnet.kubeovn.io/${o.metadata.name}`), ...ips.map((o) => `ip.kubeovn.io/${o.metadata.name}`)]);
    for (const [i, o] of [...subnets, ...ips].entries()) {
      const cells = rows[i].split(/\s{3,}/);
      expect(cells).toContain(o.metadata.finalizers?.length ? o.metadata.finalizers.join(',') : '<none>');
      expect(cells[cells.length - 1]).toMatch(o.metadata.deletionTimestamp ? /^yes/ : /^no$/);
    }

    const json = await kubectl('get', 'subnets,ips', '-o', 'json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).items).toEqual([...subnets, ...ips]);

    const yaml = await kubectl('get', 'ip', leakedIp, '-o', 'yaml');
    const ip = objectsAt(step)[`IP/${leakedIp}`];
    if (ip) {
      expect(yaml.code, yaml.stderr).toBe(0);
      const got = parse(yaml.stdout);
      expect(got).toEqual(ip);
      expect(got.metadata.finalizers).toEqual(ip.metadata.finalizers);
      expect(got.metadata.deletionTimestamp).toBe(ip.metadata.deletionTimestamp);
    } else {
      expect(yaml.code).toBe(1);
      expect(yaml.stderr.trim()).toBe(`Error from server (NotFound): ips.kubeovn.io "${leakedIp}" not found`);
    }

    const describe = await kubectl('describe', 'subnet', 's1');
    const s1 = objectsAt(step)['Subnet/s1'];
    if (s1) {
      expect(describe.code, describe.stderr).toBe(0);
      expect(describe.stdout).toMatch(/^Name:\s+s1$/m);
      expect(describe.stdout).toMatch(/^Kind:\s+Subnet$/m);
      const fins = /^ {2}Finalizers:\n((?: {4}\S.*\n)+)/m.exec(describe.stdout)?.[1].trim().split(/\n\s*/) ?? [];
      expect(fins).toEqual(s1.metadata.finalizers ?? []);
      const dts = /^ {2}Deletion Timestamp:\s+(\S+)$/m.exec(describe.stdout)?.[1];
      expect(dts).toBe(s1.metadata.deletionTimestamp);
      expect(describe.stdout).toMatch(new RegExp(`^ {2}Resource Version:\\s+${s1.metadata.resourceVersion}$`, 'm'));
    } else {
      expect(describe.code).toBe(1);
      expect(describe.stderr.trim()).toBe('Error from server (NotFound): subnets.kubeovn.io "s1" not found');
    }

    // -w: the list at the step, then every watch event of the kind from step 0 to the step.
    const fin = (o: StoredObject) => (o.metadata.finalizers?.length ? o.metadata.finalizers.join(',') : '<none>');
    for (const [kind, resource, listed] of [['IP', 'ips', ips], ['Subnet', 'subnets', subnets]] as const) {
      const events = timeline.steps.slice(0, step).flatMap((st, i) => {
        const prev = objectsAt(i);
        return st.changed.filter((k) => k.startsWith(`${kind}/`)).map((k) => st.objects[k] ?? prev[k]);
      });
      // Step 0's objects arrive as ADDED events first.
      const initial = Object.keys(timeline.initial.objects).sort().filter((k) => k.startsWith(`${kind}/`)).map((k) => timeline.initial.objects[k]);
      const expected = [...listed, ...initial, ...events];
      const w = await watchRows(resource, expected.length);
      expect(w.timedOut, w.lines.join('\n')).toBe(false);
      expect(w.lines.map((l) => [l.split(/\s+/)[0], l.split(/\s{3,}/).at(-2)])).toEqual(expected.map((o) => [o.metadata.name, fin(o)]));
    }

    // Writes are refused, and nothing changed.
    const del = await kubectl('delete', 'subnet', 's1', '--wait=false');
    expect(del.code).toBe(1);
    expect(del.stderr.trim()).toBe('Error from server (MethodNotAllowed): delete is not supported on resources of kind "subnets.kubeovn.io"');
    const delIp = await kubectl('delete', 'ip', leakedIp, '--wait=false');
    expect(delIp.stderr.trim()).toBe('Error from server (MethodNotAllowed): delete is not supported on resources of kind "ips.kubeovn.io"');
    // kubectl patch reads the object first: patch one that exists at this step.
    const [kind, name, resource] = ip ? ['ip', leakedIp, 'ips'] : ['subnet', 's1', 'subnets'];
    const patch = await kubectl('patch', kind, name, '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}');
    expect(patch.code).toBe(1);
    expect(patch.stderr.trim()).toBe(`Error from server (MethodNotAllowed): patch is not supported on resources of kind "${resource}.kubeovn.io"`);
    expect(JSON.parse((await kubectl('get', 'subnets,ips', '-o', 'json')).stdout).items).toEqual([...subnets, ...ips]);
  }

  it('at the step where subnet s1 is terminating', async () => {
    await checkStep(subnetTerminating);
  }, 60_000);

  it('at the step where an IP CR outlives s1, reached without a restart', async () => {
    const r = await fetch(`${url}/kuberace/step/${ipLeaked}`, { method: 'POST' });
    expect(((await r.json()) as { step: number }).step).toBe(ipLeaked);
    await checkStep(ipLeaked);
  }, 60_000);

  it('kubectl kept its discovery cache in the temporary HOME, nothing in the repository', () => {
    const cached = [join(dir, 'kube-cache'), join(dir, '.kube', 'cache')].filter((d) => existsSync(d));
    expect(cached.length, 'a discovery cache under the temporary directory').toBeGreaterThan(0);
    expect(readdirSync(REPO).filter((f) => !repoBefore.has(f))).toEqual([]);
    expect(existsSync(join(REPO, '.kube'))).toBe(false);
  });

  it('SIGTERM stops the server: exit 0, kubeconfig removed', async () => {
    server!.kill('SIGTERM');
    expect(await serverExit).toBe(0);
    expect(existsSync(kubeconfig)).toBe(false);
  });
});
