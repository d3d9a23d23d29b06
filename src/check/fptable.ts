/**
 * A visited set of 53-bit state fingerprints: open addressing over two Uint32Arrays, with an
 * optional value per state. Several times faster and smaller than a Map<number, …> (whose
 * keys above 2^31 are heap numbers) at the hundreds of thousands of states an exhaustive
 * search stores.
 */
const TWO_32 = 4294967296;

export class FingerprintTable<V = true> {
  private lo: Uint32Array;
  /** High 21 bits + 1 (0 marks an empty slot). */
  private hi: Uint32Array;
  private vals: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 16) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.lo = new Uint32Array(cap);
    this.hi = new Uint32Array(cap);
    this.vals = new Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slot(lo: number, hi: number): number {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[i];
      if (h === 0 || (h === hi && this.lo[i] === lo)) return i;
      i = (i + 1) & this.mask;
    }
  }

  has(fp: number): boolean {
    const lo = fp >>> 0;
    const hi = Math.floor(fp / TWO_32) + 1;
    return this.hi[this.slot(lo, hi)] !== 0;
  }

  get(fp: number): V | undefined {
    const lo = fp >>> 0;
    const hi = Math.floor(fp / TWO_32) + 1;
    const i = this.slot(lo, hi);
    return this.hi[i] === 0 ? undefined : this.vals[i];
  }

  /** Store `value` for `fp`; returns true when fp was new. */
  set(fp: number, value: V): boolean {
    const lo = fp >>> 0;
    const hi = Math.floor(fp / TWO_32) + 1;
    let i = this.slot(lo, hi);
    if (this.hi[i] !== 0) {
      this.vals[i] = value;
      return false;
    }
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      i = this.slot(lo, hi);
    }
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.vals[i] = value;
    this.count++;
    return true;
  }

  /** Add `fp` (with value `true`); returns true when it was new. */
  add(this: FingerprintTable<true>, fp: number): boolean {
    return this.set(fp, true);
  }

  private grow(): void {
    const { lo, hi, vals } = this;
    const cap = (this.mask + 1) * 2;
    this.lo = new Uint32Array(cap);
    this.hi = new Uint32Array(cap);
    this.vals = new Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < lo.length; j++) {
      if (hi[j] === 0) continue;
      const i = this.slot(lo[j], hi[j]);
      this.lo[i] = lo[j];
      this.hi[i] = hi[j];
      this.vals[i] = vals[j];
    }
  }
}
