/** `check` and `explore` in-process: exit codes, the report, the --json object, determinism, scenario files. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACE_FORMAT } from '../../src/trace/format.ts';
import { run, tempDir, withoutDurations } from './helpers.ts';

const dir = tempDir();
const SMALL = ['--scenario', 'single-network', '--runs', '20', '--seed', '1'];

describe('check', () => {
  it('finds scenario A, writes the trace, prints the timeline, the violation and kubectl tables; exit 1', async () => {
    const r = await run(['check', 'kube-ovn', ...SMALL], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const file = join(dir, 'kuberace-counterexample.json');
    expect(existsSync(file)).toBe(true);
    const trace = JSON.parse(readFileSync(file, 'utf8'));
    expect(trace.format).toBe(TRACE_FORMAT);
    expect(trace.violation.property).toBe('ip-outlives-pod-and-subnet');
    const out = r.stdout;
    expect(out).toMatch(/^kube-ovn\/v1\.12\.28, scenario single-network: \d+ steps/);
    expect(out).toMatch(/^ +1 {2}\d+\.\d{3}s +user +create Pod\/vm\/p1$/m);
    expect(out).toMatch(/changed: Pod\/vm\/p1/);
    expect(out).toMatch(/✗ property ip-outlives-pod-and-subnet \(atStable\) violated after step \d+:/);
    expect(out).toMatch(/\$ kubectl get pods -A\nNo resources found/);
    expect(out).toMatch(/\$ kubectl get subnets\nNo resources found/);
    expect(out).toMatch(/\$ kubectl get ips\nNAME +V4IP +MAC +NODE +SUBNET +FINALIZERS +DELETING\np1\.vm +10\.16\.0\.\d+ +00:00:0a:10:00:\w\w +node1 +s1 +kube-ovn-controller +no/);
    expect(out).toMatch(/replay: npx kuberace replay kuberace-counterexample\.json/);
    expect(out).not.toMatch(/\u001b\[/); // no colours off a terminal
  });

  it('--json prints exactly one object with the documented shape', async () => {
    const r = await run(['check', 'kube-ovn', ...SMALL, '--json', '--out', 'sub/ce.json'], { cwd: dir });
    expect(r.code).toBe(1);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(['model', 'variant', 'mode', 'scenario', 'result', 'property', 'properties', 'violation', 'stats', 'coverage', 'counterexample', 'finalState', 'traceFile', 'rerun']);
    expect(o).toMatchObject({ model: 'kube-ovn', variant: 'v1.12.28', mode: 'random', scenario: 'single-network', result: 'violated', property: 'ip-outlives-pod-and-subnet', traceFile: 'sub/ce.json' });
    expect(Object.keys(o.stats).slice(0, 4)).toEqual(['runs', 'steps', 'states', 'durationMs']);
    expect(o.stats.states).toBeNull();
    expect(o.stats.seed).toBe(1);
    expect(o.counterexample.format).toBe(TRACE_FORMAT);
    expect(o.counterexample.steps.length).toBe(o.violation.step);
    expect(o.finalState.kind).toBe('List');
    expect(o.finalState.items.map((x: { kind: string; metadata: { name: string } }) => `${x.kind}/${x.metadata.name}`)).toContain('IP/p1.vm');
    expect(o.coverage).toHaveProperty('subnet-gone-while-ip-crs-remain');
    expect(JSON.parse(readFileSync(join(dir, 'sub/ce.json'), 'utf8'))).toEqual(o.counterexample);
  });

  it('--seed S twice prints byte-identical JSON once durationMs is removed', async () => {
    const a = await run(['check', 'kube-ovn', '--runs', '15', '--seed', '7', '--max-steps', '30', '--json', '--out', 'd1.json'], { cwd: dir });
    const b = await run(['check', 'kube-ovn', '--runs', '15', '--seed', '7', '--max-steps', '30', '--json', '--out', 'd1.json'], { cwd: dir });
    expect(a.code).toBe(b.code);
    expect(JSON.stringify(withoutDurations(JSON.parse(a.stdout)), null, 2)).toBe(JSON.stringify(withoutDurations(JSON.parse(b.stdout)), null, 2));
    // And the text is only wall-clock apart (the duration in the summary line).
    const c = await run(['check', 'kube-ovn', ...SMALL, '--out', 'd2.json'], { cwd: dir });
    const d = await run(['check', 'kube-ovn', ...SMALL, '--out', 'd2.json'], { cwd: dir });
    const clean = (s: string) => s.replace(/, [\d.]+ (ms|s)\n/g, '\n');
    expect(clean(c.stdout)).toBe(clean(d.stdout));
  });

  it('holds: a summary, coverage, exit 0 (and --json result holds without counterexample)', async () => {
    const r = await run(['check', 'kube-ovn', '--variant', 'fix2', '--property', 'ip-outlives-pod-and-subnet', '--scenario', 'single-network', '--runs', '10', '--seed', '3'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ kube-ovn\/fix2, scenario single-network: no violation of ip-outlives-pod-and-subnet\n {2}random search: 10 runs, [\d,]+ steps, seed 3, /);
    expect(r.stdout).toMatch(/coverage: /);
    const j = await run(['check', 'kube-ovn', '--variant', 'fix2', '--property', 'ip-outlives-pod-and-subnet', '--scenario', 'single-network', '--runs', '10', '--seed', '3', '--json'], { cwd: dir });
    expect(j.code).toBe(0);
    const o = JSON.parse(j.stdout);
    expect(o).toMatchObject({ result: 'holds', property: null, violation: null, properties: ['ip-outlives-pod-and-subnet'], stats: { runs: 10 } });
    expect(o).not.toHaveProperty('counterexample');
    expect(o).not.toHaveProperty('finalState');
  });

  it('runs a YAML scenario file (the shipped issue-4898 one) and names the trace after it', async () => {
    const yaml = join(process.cwd(), 'scenarios/kube-ovn-issue-4898.yaml');
    const r = await run(['check', 'kube-ovn', '--scenario', yaml, '--runs', '10', '--seed', '1', '--json', '--out', 'yaml.json'], { cwd: dir });
    expect(r.code).toBe(1);
    const o = JSON.parse(r.stdout);
    expect(o.scenario).toBe('issue-4898');
    expect(o.counterexample.scenarioName).toBe('issue-4898');
    expect(o.property).toBe('ip-outlives-pod-and-subnet');
    // The trace replays from its embedded scenario.
    const rep = await run(['replay', 'yaml.json'], { cwd: dir });
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/reproduced: ip-outlives-pod-and-subnet/);
  });

  it('--workers splits the runs over worker threads; --shard runs a share', async () => {
    const r = await run(['check', 'kube-ovn', ...SMALL, '--workers', '2', '--json', '--out', 'w.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'violated', property: 'ip-outlives-pod-and-subnet', stats: { seed: 1 } });
    const s = await run(['check', 'kube-ovn', '--variant', 'fix2', '--property', 'ip-outlives-pod-and-subnet', '--scenario', 'single-network', '--runs', '10', '--seed', '1', '--shard', '2/3', '--json'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).stats).toMatchObject({ runs: 3, seed: 2 });
  });

  it('colours on a terminal, none with NO_COLOR; progress only when stderr is a terminal', async () => {
    const tty = await run(['check', 'kube-ovn', ...SMALL, '--out', 'c.json'], { cwd: dir, stdoutIsTTY: true, stderrIsTTY: true });
    expect(tty.stdout).toMatch(/\u001b\[31m/);
    expect(tty.stderr).toMatch(/^\r\u001b\[K.*random runs/);
    const noColor = await run(['check', 'kube-ovn', ...SMALL, '--out', 'c.json'], { cwd: dir, stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
    expect(noColor.stderr).toBe('');
  });
});

describe('explore', () => {
  it('--symmetry proves two-pods on the recommended fix with half the states (p1/user1 and p2/user2 interchangeable)', async () => {
    const base = ['explore', 'kube-ovn', '--variant', 'fix2+fix4', '--scenario', 'two-pods', '--json'];
    const plain = JSON.parse((await run(base, { cwd: dir })).stdout);
    const r = await run([...base, '--symmetry'], { cwd: dir });
    expect(r.code).toBe(0);
    const sym = JSON.parse(r.stdout);
    expect(sym).toMatchObject({ result: 'holds', stats: { complete: true } });
    expect(plain).toMatchObject({ result: 'holds', stats: { complete: true } });
    expect(sym.stats.states).toBeLessThan(plain.stats.states * 0.55);
    expect(sym.stats.symmetryRenamings).toBe(1);
    expect(sym.stats.symmetryChecked).toBeGreaterThan(100);
    expect(plain.stats.symmetryRenamings).toBeUndefined();
  });

  it('finds a violation by exhaustive DFS on a small scenario; exit 1 and a trace', async () => {
    const r = await run(['explore', 'kube-ovn', '--scenario', 'single-network', '--max-states', '5000', '--json', '--out', 'ex.json'], { cwd: dir });
    expect(r.code).toBe(1);
    const o = JSON.parse(r.stdout);
    expect(o).toMatchObject({ mode: 'exhaustive', result: 'violated', scenario: 'single-network', traceFile: 'ex.json' });
    expect(o.stats.states).toBeGreaterThan(0);
    expect(o.stats.runs).toBeNull();
    expect(o.counterexample.found.mode).toBe('exhaustive');
    expect(existsSync(join(dir, 'ex.json'))).toBe(true);
  });

  it('no violation within a budget: exit 3, no green tick, says which budget stopped it', async () => {
    const r = await run(['explore', 'kube-ovn', '--variant', 'master', '--scenario', 'single-network', '--property', 'ip-outlives-pod-and-subnet', '--max-states', '300'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^⚠ kube-ovn\/master, scenario single-network: no violation of ip-outlives-pod-and-subnet found, but the search is incomplete\n {2}exhaustive search: 300 states, /);
    expect(r.stdout).not.toMatch(/✓ kube-ovn/);
    expect(r.stdout).toMatch(/stopped by the state budget \(--max-states 300\)/);
    expect(r.stdout).toMatch(/exit code 3: no violation found, search incomplete/);
  });

  it('a complete search that reached no stable state is vacuous for atStable properties: exit 3, no green tick', async () => {
    // Within lag <= 1 no run of single-network settles: ip-outlives-pod-and-subnet is never checked.
    const r = await run(['explore', 'kube-ovn', '--variant', 'fix2+fix4', '--scenario', 'single-network', '--max-lag', '1', '--por', 'source-dpor', '--property', 'ip-outlives-pod-and-subnet'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^⚠ kube-ovn\/fix2\+fix4, scenario single-network: no violation of ip-outlives-pod-and-subnet, but vacuous for ip-outlives-pod-and-subnet: no stable state was reached\n {2}exhaustive search: [\d,]+ states, [\d,]+ transitions, 0 stable, /);
    expect(r.stdout).not.toMatch(/✓ kube-ovn/);
    expect(r.stdout).toMatch(/exit code 3: no violation found, but vacuous for the atStable properties/);
    // An always property is checked at every state: the same search is a pass for it.
    const always = await run(['explore', 'kube-ovn', '--variant', 'fix2+fix4', '--scenario', 'single-network', '--max-lag', '1', '--por', 'source-dpor', '--property', 'no-duplicate-address', '--json'], { cwd: dir });
    expect(always.code).toBe(0);
    expect(JSON.parse(always.stdout).stats.stableStates).toBe(0);
    // With stable states the count is reported and the pass stands.
    const held = await run(['explore', 'kube-ovn', '--variant', 'v1.12.28', '--scenario', 'subnet-held-by-live-pod'], { cwd: dir });
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(/^✓ kube-ovn\/v1\.12\.28, scenario subnet-held-by-live-pod: .*\n {2}exhaustive search: 1,331 states, [\d,]+ transitions, 4 stable, /);
  });

  it('--lag-unit writes counts API writes (D9: the kubelet delete is one): serialized-idle settles within lag <= 1; a bad unit is a one-line error', async () => {
    const base = ['explore', 'kube-ovn', '--variant', 'fix2+fix4', '--scenario', 'serialized-idle', '--max-lag', '1'];
    const events = await run([...base, '--json'], { cwd: dir });
    expect(JSON.parse(events.stdout).stats.stableStates).toBe(0);
    const writes = await run([...base, '--lag-unit', 'writes'], { cwd: dir });
    expect(writes.code).toBe(0);
    expect(writes.stdout).toMatch(/^✓ kube-ovn\/fix2\+fix4, scenario serialized-idle: .*\n {2}exhaustive search: [\d,]+ states, [\d,]+ transitions, 1 stable, /);
    expect(writes.stdout).toMatch(/complete within the fairness bound: informers at most 1 writes behind \(--max-lag\)/);
    const bad = await run([...base, '--lag-unit', 'requests'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/lag-unit/);
    const off = await run(['explore', 'kube-ovn', '--scenario', 'serialized-idle', '--max-lag', 'off', '--lag-unit', 'writes'], { cwd: dir });
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/--lag-unit needs a bound/);
  });

  it('--shortest, --no-por, --max-depth, --shard and --clock are accepted', async () => {
    const base = ['explore', 'kube-ovn', '--variant', 'master', '--scenario', 'single-network', '--property', 'ip-outlives-pod-and-subnet', '--json'];
    for (const extra of [['--shortest', '--max-states', '200'], ['--no-por', '--max-states', '200'], ['--max-depth', '5'], ['--shard', '1/2', '--max-states', '200'], ['--clock', 'any', '--max-states', '200'], ['--max-time', '0.5']]) {
      const r = await run([...base, ...extra], { cwd: dir });
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(3);
      const o = JSON.parse(r.stdout);
      expect(o.result).toBe('holds');
      expect(o.stats.complete).toBe(false);
    }
  });

  it('--workers runs the shards in worker threads and merges them', async () => {
    const r = await run(['explore', 'kube-ovn', '--scenario', 'single-network', '--workers', '2', '--max-states', '3000', '--json', '--out', 'w.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const o = JSON.parse(r.stdout);
    expect(o.result).toBe('violated');
    expect(o.stats.shards).toBeGreaterThanOrEqual(1); // the first violation stops the other worker
    const h = await run(['explore', 'kube-ovn', '--variant', 'master', '--property', 'ip-outlives-pod-and-subnet', '--scenario', 'single-network', '--workers', '2', '--max-states', '200', '--json'], { cwd: dir });
    expect(h.code, h.stderr).toBe(3);
    expect(JSON.parse(h.stdout).stats.shards).toBe(2);
  });

  it('explores a YAML scenario file', async () => {
    const yaml = join(process.cwd(), 'scenarios/kube-ovn-issue-4898.yaml');
    const r = await run(['explore', 'kube-ovn', '--variant', 'master', '--property', 'ip-outlives-pod-and-subnet', '--scenario', yaml, '--max-states', '200'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/scenario issue-4898: no violation/);
  });
});
