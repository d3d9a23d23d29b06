/** `replay` in every format, against the recorded and another variant, and --out. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.ts';

const dir = tempDir();

describe('replay', () => {
  beforeAll(async () => {
    const r = await run(['check', 'kube-ovn', '--scenario', 'single-network', '--runs', '20', '--seed', '1', '--out', 'a.json'], { cwd: dir });
    expect(r.code).toBe(1);
  });

  it('text: the timeline, the tables and "reproduced"; exit 1', async () => {
    const r = await run(['replay', 'a.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^kube-ovn\/v1\.12\.28, scenario single-network: \d+ steps/);
    expect(r.stdout).toMatch(/\$ kubectl get ips\n/);
    expect(r.stdout).toMatch(/\nkube-ovn\/v1\.12\.28: reproduced: ip-outlives-pod-and-subnet violated after step \d+: IP p1\.vm/);
  });

  it('json and yaml carry the same data: steps, changed objects, final state, replay status', async () => {
    const j = await run(['replay', 'a.json', '--format', 'json'], { cwd: dir });
    const y = await run(['replay', 'a.json', '--format', 'yaml'], { cwd: dir });
    expect(j.code).toBe(1);
    expect(y.code).toBe(1);
    const data = JSON.parse(j.stdout);
    expect(parseYaml(y.stdout)).toEqual(data);
    expect(data.format).toBe('kuberace-timeline/1');
    expect(data.replay).toMatchObject({ status: 'reproduced', variant: 'v1.12.28', recordedVariant: 'v1.12.28', stillViolated: true });
    expect(data.steps[0]).toMatchObject({ step: 1, actor: 'user', id: 'user: create Pod/vm/p1', changed: ['Pod/vm/p1'] });
    expect(data.steps[0].objects['Pod/vm/p1'].metadata.name).toBe('p1');
    expect(data.final.state.kind).toBe('List');
    expect(data.violation.property).toBe('ip-outlives-pod-and-subnet');
  });

  it('mermaid: a sequence diagram with the API server, informers, queues, ovn-nb and the violation', async () => {
    const r = await run(['replay', 'a.json', '--format', 'mermaid'], { cwd: dir });
    expect(r.code).toBe(1);
    const m = r.stdout;
    expect(m.startsWith('sequenceDiagram\n')).toBe(true);
    expect(m).toMatch(/ {2}actor P0 as user\n/);
    expect(m).toMatch(/participant P\d+ as API server/);
    expect(m).toMatch(/participant P\d+ as kube-ovn-controller informers/);
    expect(m).toMatch(/participant P\d+ as addOrUpdatePodQueue/);
    expect(m).toMatch(/participant P\d+ as ovn-nb/);
    expect(m).toMatch(/P0->>P\d+: 1\. create Pod\/vm\/p1/);
    expect(m).toMatch(/rect rgb\(255, 228, 228\)\n {2}Note over P0,P\d+: ✗ ip-outlives-pod-and-subnet \(atStable\) violated after step \d+/);
  });

  it('html: the self-contained viewer', async () => {
    const r = await run(['replay', 'a.json', '--format', 'html'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/i);
    expect(r.stdout).toContain('kuberace');
  });

  it('--out writes the report to a file and prints one summary line', async () => {
    const r = await run(['replay', 'a.json', '--format', 'mermaid', '--out', 'a.mmd'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^kube-ovn\/v1\.12\.28: reproduced: .*\nwrote mermaid report to a\.mmd\n$/);
    expect(readFileSync(join(dir, 'a.mmd'), 'utf8')).toMatch(/^sequenceDiagram/);
  });

  it('--variant with the fix: the violation no longer occurs, exit 0; the buggy variant still violates, exit 1', async () => {
    const fixed = await run(['replay', 'a.json', '--variant', 'fix2'], { cwd: dir });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/kube-ovn\/fix2, scenario single-network/);
    expect(fixed.stdout).toMatch(/✓ no violation on this replay: ip-outlives-pod-and-subnet holds/);
    expect(fixed.stdout).toMatch(/kube-ovn\/fix2 \(recorded on v1\.12\.28\): holds: /);
    const json = JSON.parse((await run(['replay', 'a.json', '--variant', 'fix2', '--format', 'json'], { cwd: dir })).stdout);
    expect(json.replay).toMatchObject({ status: 'holds', variant: 'fix2', recordedVariant: 'v1.12.28', stillViolated: false });
    expect(json.violation).toBeNull();
    const still = await run(['replay', 'a.json', '--variant', 'v1.12.28+webhook'], { cwd: dir });
    expect(still.code).toBe(1);
    expect(still.stdout).toMatch(/✗ property ip-outlives-pod-and-subnet/);
  });

  it('--variant unknown is bad input', async () => {
    const r = await run(['replay', 'a.json', '--variant', 'nope'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kuberace: unknown variant "nope" of model kube-ovn \(known: /);
  });
});
