/** `list`, help and version. */
import { describe, expect, it } from 'vitest';
import { models } from '../../models/index.ts';
import { run } from './helpers.ts';

describe('list', () => {
  it('prints models, variants with descriptions, properties with kinds, scenarios', async () => {
    const r = await run(['list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const m of Object.values(models)) {
      expect(r.stdout).toContain(`model ${m.name}: ${m.description}`);
      for (const [v, def] of Object.entries(m.variants)) expect(r.stdout).toMatch(new RegExp(`\\n {4}${v.replace(/[.+]/g, '\\$&')} +${def.description.slice(0, 20).replace(/[.+()#[\]]/g, '\\$&')}`));
      for (const p of m.properties) expect(r.stdout).toMatch(new RegExp(`\\n {4}${p.name} +${p.kind} +`));
      for (const s of Object.keys(m.scenarios)) expect(r.stdout).toMatch(new RegExp(`\\n {4}${s} +\\S`));
    }
    expect(r.stdout).toMatch(/serialized +user: create Pod\/vm\/p1; user: delete Pod\/vm\/p1; user: delete Subnet\/s1 \(after Pod\/vm\/p1 gone\)/);
  });

  it('list <model> --json', async () => {
    const r = await run(['list', 'kube-ovn', '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.models).toHaveLength(1);
    const m = o.models[0];
    expect(m.name).toBe('kube-ovn');
    expect(m.variants[0]).toMatchObject({ name: 'v1.12.28', default: true });
    expect(m.properties.find((p: { name: string }) => p.name === 'no-stuck-terminating')).toMatchObject({ kind: 'atStable' });
    expect(m.scenarios.map((s: { name: string }) => s.name)).toContain('issue-4898');
  });

  it('help, command help and --version', async () => {
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/usage: kuberace <command>/);
    for (const c of ['list', 'check', 'explore', 'replay', 'matrix', 'demo']) {
      const r = await run(['help', c]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: kuberace ${c}`));
      expect((await run([c, '--help'])).stdout).toBe(r.stdout);
    }
    const v = await run(['--version']);
    expect(v.stdout).toMatch(/^kuberace \d+\.\d+\.\d+\n$/);
  });
});
