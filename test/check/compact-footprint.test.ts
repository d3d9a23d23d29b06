import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactDependent, ResourceIds } from '../../src/check/compact-footprint.ts';
import { dependent } from '../../src/engine/footprint.ts';

// Resources shaped like the engine's: concrete paths, `/*` patterns at every depth, and `*`.
const segment = fc.constantFrom('api', 'cache', 'mem', 'c', 'IP', 'Subnet', 's1', 's2', 'ns', '#keys', '?', '@order');
const resource = fc.oneof(
  { weight: 6, arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }).map((xs) => xs.join('/')) },
  { weight: 3, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }).map((xs) => `${xs.join('/')}/*`) },
  { weight: 1, arbitrary: fc.constant('*') },
);
const footprint = fc.record({ reads: fc.array(resource, { maxLength: 4 }), writes: fc.array(resource, { maxLength: 3 }) });

describe('compact footprints (source-DPOR dependence checks on integer sets)', () => {
  it('agree with the string footprints on dependence, for every pair (fast-check)', () => {
    const ids = new ResourceIds();
    let dependentPairs = 0;
    fc.assert(
      fc.property(footprint, footprint, (a, b) => {
        const want = dependent(a, b);
        if (want) dependentPairs++;
        expect(compactDependent(ids.compact(a), ids.compact(b))).toBe(want);
        expect(compactDependent(ids.compact(b), ids.compact(a))).toBe(want);
      }),
      { numRuns: 5000, seed: 12 },
    );
    expect(dependentPairs).toBeGreaterThan(500);
    expect(dependentPairs).toBeLessThan(4500);
  });

  it('a union is dependent on what either part is; a meet only on what both share', () => {
    const ids = new ResourceIds();
    const a = ids.compact({ reads: ['cache/c/IP/p1'], writes: ['queue/c/q/@order'] });
    const b = ids.compact({ reads: ['cache/c/IP/p1'], writes: ['mem/c/ipam/s1'] });
    const probe = (w: string) => ids.compact({ reads: [], writes: [w] });
    const u = ids.union(a, b);
    expect(compactDependent(u, probe('mem/c/ipam/*'))).toBe(true);
    expect(compactDependent(u, probe('queue/c/q/@order'))).toBe(true);
    const m = ids.meet(a, b);
    expect(compactDependent(m, probe('cache/c/IP/*'))).toBe(true);
    expect(compactDependent(m, probe('mem/c/ipam/s1'))).toBe(false);
    expect(compactDependent(m, probe('queue/c/q/@order'))).toBe(false);
  });
});
