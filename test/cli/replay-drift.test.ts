/** `replay` reports drift from the trace's fingerprints and exits 4 when the recorded violation does not happen on its own variant. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.ts';

const dir = tempDir();
let trace: Record<string, any>;
const write = (name: string, t: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(t, null, 2)}\n`);

describe('replay: fingerprints and drift', () => {
  beforeAll(async () => {
    const r = await run(['check', 'kube-ovn', '--scenario', 'single-network', '--runs', '20', '--seed', '1', '--out', 'a.json'], { cwd: dir });
    expect(r.code).toBe(1);
    trace = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
  });

  it('a fresh trace carries fingerprints; its replay says unchanged; exit 1 (reproduced)', async () => {
    expect(trace.definitions).toEqual({ config: expect.stringMatching(/^[0-9a-f]{16}$/), property: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const r = await run(['replay', 'a.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reproduced: ip-outlives-pod-and-subnet .*\ndefinitions: property ip-outlives-pod-and-subnet and variant v1\.12\.28 unchanged since the trace was recorded\n$/);
  });

  it('an older trace without fingerprints still replays: "no fingerprint recorded"', async () => {
    const { definitions: _d, ...old } = trace;
    write('old.json', old);
    const r = await run(['replay', 'old.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reproduced: .*\ndefinitions: no fingerprint recorded/);
  });

  it('a recorded property fingerprint that differs is reported as drift (the violation still reproduces: exit 1)', async () => {
    write('drift.json', { ...trace, definitions: { ...trace.definitions, property: '0000000000000000' } });
    const r = await run(['replay', 'drift.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/definitions: drift: property ip-outlives-pod-and-subnet changed since the trace was recorded/);
  });

  it('not reproduced on its own variant (the recorded property no longer fires): exit 4, not 0, with the drift', async () => {
    // As if ip-outlives-pod-and-subnet had been edited into a property that holds on this schedule.
    write('gone.json', { ...trace, violation: { ...trace.violation, property: 'no-duplicate-address', kind: 'always' } });
    const r = await run(['replay', 'gone.json'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/kube-ovn\/v1\.12\.28: holds: no-duplicate-address is no longer violated/);
    expect(r.stdout).toMatch(/definitions: drift: property no-duplicate-address changed since the trace was recorded/);
    expect(r.stdout).toMatch(/✗ not reproduced on the variant the trace was recorded on: the model or a property changed since \(exit 4\)/);
    const j = await run(['replay', 'gone.json', '--format', 'json'], { cwd: dir });
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stdout).replay).toMatchObject({ status: 'holds', notReproducedOnOwnVariant: true, definitions: { status: 'changed', property: true, config: false } });
    // On another variant "holds" is the fix working: exit 0 as before.
    const other = await run(['replay', 'a.json', '--variant', 'fix2'], { cwd: dir });
    expect(other.code).toBe(0);
  });

  it('a committed trace from before fingerprints still replays (whether or not the model still reproduces it)', async () => {
    // A committed trace as an older kuberace wrote it: no `definitions` field.
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../counterexamples/a-v1.12.28-single-network.json'), 'utf8'));
    delete committed.definitions;
    const file = join(dir, 'old-format.json');
    writeFileSync(file, JSON.stringify(committed, null, 2));
    const r = await run(['replay', file], { cwd: dir });
    expect([1, 4], r.stderr).toContain(r.code);
    expect(r.stdout).toMatch(/\ndefinitions: no fingerprint recorded \(trace from an older kuberace\)\n/);
  });
});
