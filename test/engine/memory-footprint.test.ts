import { types } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependent } from '../../src/engine/footprint.ts';
import { memoryWrites, trackedSelect, trackedUpdate } from '../../src/engine/memory-footprint.ts';

type Entry = { readonly n: number };
type Mem = { readonly [field: string]: any };

const P = 'mem/c';
const base: Mem = {
  ipam: { s1: { pool: ['10.0.0.2'], used: {} }, s2: { pool: ['10.1.0.2'], used: {} } },
  deletingPods: { 'ns/p1': { name: 'p1' } },
  startupGcDone: false,
};

describe('controller memory footprints (derived from what select and update touch)', () => {
  it('a select of one IPAM subnet reads that subnet, not the others', () => {
    const r = trackedSelect(P, base, (m: Mem) => m.ipam.s1.pool.length);
    expect(r.value).toBe(1);
    expect(r.footprint.reads).toContain('mem/c/ipam/s1');
    expect(r.footprint.reads.some((x) => x.startsWith('mem/c/ipam/s2'))).toBe(false);
    expect(dependent(r.footprint, { reads: [], writes: ['mem/c/ipam/s2'] })).toBe(false);
    expect(dependent(r.footprint, { reads: [], writes: ['mem/c/ipam/s1'] })).toBe(true);
  });

  it('an update in place of one subnet writes that subnet only, copies the rest without reading them, and stores no views', () => {
    const r = trackedUpdate(P, base, (m: Mem) => ({ ...m, ipam: { ...m.ipam, s1: { ...m.ipam.s1, pool: [] } } }));
    expect(r.footprint.writes).toEqual(['mem/c/ipam/s1']);
    expect(r.footprint.reads).toContain('mem/c/ipam/s1');
    expect(r.footprint.reads).not.toContain('mem/c/ipam/s2');
    expect(r.footprint.reads).not.toContain('mem/c/deletingPods/ns/p1');
    expect(types.isProxy(r.value)).toBe(false);
    expect(types.isProxy(r.value.ipam)).toBe(false);
    expect(types.isProxy(r.value.ipam.s2)).toBe(false);
    expect(r.value.ipam.s2).toBe(base.ipam.s2);
    expect(r.value.deletingPods).toBe(base.deletingPods);
  });

  it('adding or removing an entry writes its existence and the key set, which enumerating reads', () => {
    const add = trackedUpdate(P, base, (m: Mem) => ({ ...m, deletingPods: { ...m.deletingPods, 'ns/p2': { name: 'p2' } } }));
    expect(add.footprint.writes).toEqual(expect.arrayContaining(['mem/c/deletingPods/ns/p2', 'mem/c/deletingPods/ns/p2/?', 'mem/c/deletingPods/#keys']));
    const has = trackedSelect(P, base, (m: Mem) => 'ns/p2' in m.deletingPods);
    expect(dependent(has.footprint, add.footprint)).toBe(true);
    const count = trackedSelect(P, base, (m: Mem) => Object.keys(m.ipam).length);
    expect(count.footprint.reads).toContain('mem/c/ipam/#keys');
    expect(dependent(count.footprint, add.footprint)).toBe(false);
  });

  it('a memory object that leaves its place is read whole', () => {
    const sel = trackedSelect(P, base, (m: Mem) => m.deletingPods);
    expect(types.isProxy(sel.value)).toBe(false);
    expect(sel.value).toBe(base.deletingPods);
    expect(dependent(sel.footprint, { reads: [], writes: ['mem/c/deletingPods/ns/p1'] })).toBe(true);
    const moved = trackedUpdate(P, base, (m: Mem) => ({ ...m, backup: m.ipam }));
    expect(dependent(moved.footprint, { reads: [], writes: ['mem/c/ipam/s2'] })).toBe(true);
  });

  it('no select reads everything; a kept view read later is a loud error, not a missed read', () => {
    expect(trackedSelect(P, base, undefined).footprint.reads).toEqual(['mem/c/*']);
    let kept: any;
    trackedSelect(P, base, (m: Mem) => {
      kept = m.ipam;
      return 0;
    });
    expect(() => kept.s1).toThrow(/read after its select or update function returned/);
    expect(() => trackedUpdate(P, base, (m: any) => {
      m.startupGcDone = true;
      return m;
    })).toThrow(/immutable/);
  });

  it('memoryWrites: a changed scalar field, a new field, no change', () => {
    expect(memoryWrites(P, base, { ...base, startupGcDone: true })).toEqual(['mem/c/startupGcDone', 'mem/c/startupGcDone/*']);
    expect(memoryWrites(P, base, { ...base, extra: 1 })).toContain('mem/c/#keys');
    expect(memoryWrites(P, base, base)).toEqual([]);
  });

  // The property partial-order reduction relies on: two updates whose derived footprints are
  // independent commute (same memory in either order) and do not change what the other reads.
  type Op =
    | { k: 'set'; a: string; b: string; n: number }
    | { k: 'del'; a: string; b: string }
    | { k: 'copyIf'; a: string; b: string; a2: string; b2: string }
    | { k: 'setIfAbsent'; a: string; b: string; n: number }
    | { k: 'count'; a: string; a2: string; b2: string }
    | { k: 'flag'; v: boolean }
    | { k: 'flagIf'; a: string; b: string }
    | { k: 'sum'; a: string; a2: string; b2: string };
  const field = fc.constantFrom('x', 'y');
  const key = fc.constantFrom('p', 'q', 'r');
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant('set' as const), a: field, b: key, n: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ k: fc.constant('del' as const), a: field, b: key }),
    fc.record({ k: fc.constant('copyIf' as const), a: field, b: key, a2: field, b2: key }),
    fc.record({ k: fc.constant('setIfAbsent' as const), a: field, b: key, n: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ k: fc.constant('count' as const), a: field, a2: field, b2: key }),
    fc.record({ k: fc.constant('flag' as const), v: fc.boolean() }),
    fc.record({ k: fc.constant('flagIf' as const), a: field, b: key }),
    fc.record({ k: fc.constant('sum' as const), a: field, a2: field, b2: key }),
  );
  const put = (m: Mem, a: string, b: string, v: Entry): Mem => ({ ...m, [a]: { ...m[a], [b]: v } });
  const apply = (o: Op) => (m: Mem): Mem => {
    switch (o.k) {
      case 'set':
        return put(m, o.a, o.b, { n: o.n });
      case 'del': {
        if (!(o.b in m[o.a])) return m;
        const { [o.b]: _gone, ...rest } = m[o.a];
        return { ...m, [o.a]: rest };
      }
      case 'copyIf':
        return m[o.a][o.b] !== undefined ? put(m, o.a2, o.b2, m[o.a][o.b]) : m;
      case 'setIfAbsent':
        return o.b in m[o.a] ? m : put(m, o.a, o.b, { n: o.n });
      case 'count':
        return put(m, o.a2, o.b2, { n: Object.keys(m[o.a]).length });
      case 'flag':
        return m.flag === o.v ? m : { ...m, flag: o.v };
      case 'flagIf':
        return m[o.a][o.b] && m[o.a][o.b].n > 1 ? { ...m, flag: !m.flag } : m;
      case 'sum':
        return put(m, o.a2, o.b2, { n: Object.values(m[o.a] as Record<string, Entry>).reduce((s, e) => s + e.n, 0) % 4 });
    }
  };
  const memory = fc.record({
    x: fc.dictionary(key, fc.record({ n: fc.integer({ min: 0, max: 3 }) }), { maxKeys: 3 }),
    y: fc.dictionary(key, fc.record({ n: fc.integer({ min: 0, max: 3 }) }), { maxKeys: 3 }),
    flag: fc.boolean(),
  });

  it('independent derived footprints commute (fast-check over updates on random memories)', () => {
    let independentPairs = 0;
    fc.assert(
      fc.property(memory, op, op, (m, o1, o2) => {
        const r1 = trackedUpdate(P, m, apply(o1));
        const r2 = trackedUpdate(P, m, apply(o2));
        if (dependent(r1.footprint, r2.footprint)) return;
        independentPairs++;
        const a = trackedUpdate(P, r1.value, apply(o2));
        const b = trackedUpdate(P, r2.value, apply(o1));
        expect(a.value).toEqual(b.value);
        expect(a.footprint).toEqual(r2.footprint);
        expect(b.footprint).toEqual(r1.footprint);
      }),
      { numRuns: 3000, seed: 4898 },
    );
    // The test is only worth something if many pairs are judged independent.
    expect(independentPairs).toBeGreaterThan(500);
  });
});
