import { describe, expect, test } from 'vitest';
import { FingerprintTable } from '../../src/check/fptable.ts';

describe('FingerprintTable', () => {
  test('agrees with a Map on 53-bit keys, through growth, with values', () => {
    const t = new FingerprintTable<number>(4);
    const m = new Map<number, number>();
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // Keys spread over 53 bits, with deliberate repeats and equal low words.
      const fp = (i % 7 === 0 ? 0 : (x % 2097152) * 4294967296) + (i % 5 === 0 ? 42 : x);
      const isNew = !m.has(fp);
      expect(t.set(fp, i)).toBe(isNew);
      m.set(fp, i);
    }
    expect(t.size).toBe(m.size);
    for (const [k, v] of m) expect(t.get(k)).toBe(v);
    expect(t.has(2 ** 53 - 1)).toBe(m.has(2 ** 53 - 1));
    expect(t.get(2 ** 52 + 3)).toBe(m.get(2 ** 52 + 3));
  });

  test('add reports first insertion only', () => {
    const t = new FingerprintTable();
    expect(t.add(0)).toBe(true);
    expect(t.add(0)).toBe(false);
    expect(t.has(0)).toBe(true);
    expect(t.has(1)).toBe(false);
  });
});
