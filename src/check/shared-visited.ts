/**
 * What the workers of a frontier-split exhaustive search share (./parallel.ts): a visited set
 * of 53-bit state fingerprints in a SharedArrayBuffer (open addressing, inserted with an atomic
 * compare-and-swap, fixed capacity), the index of the next frontier node to take, the count of
 * distinct states and a stop flag. Every worker runs the same deterministic breadth-first
 * phase, so frontier node i is the same world in every worker; the nodes are then handed out
 * one at a time, and a state reached by two workers is explored by the first to insert it.
 */
const NEXT = 0;
const STATES = 1;
const STOP = 2;

export interface SharedSearchBuffers {
  readonly table: SharedArrayBuffer;
  readonly counters: SharedArrayBuffer;
}

export class SharedSearch {
  private readonly slots: BigUint64Array;
  private readonly counters: Int32Array;
  private readonly mask: number;

  constructor(readonly buffers: SharedSearchBuffers) {
    this.slots = new BigUint64Array(buffers.table);
    this.counters = new Int32Array(buffers.counters);
    this.mask = this.slots.length - 1;
  }

  /** Room for `states` fingerprints at a load factor of at most 1/2. */
  static create(states: number): SharedSearch {
    let cap = 1024;
    while (cap < states * 2) cap *= 2;
    return new SharedSearch({ table: new SharedArrayBuffer(cap * 8), counters: new SharedArrayBuffer(16) });
  }

  /** Insert `fp`; true when this call inserted it (no other worker had). */
  add(fp: number): boolean {
    // 0 marks an empty slot: store fp + 1 (fp < 2^53, so no collision with 0).
    const v = BigInt(fp) + 1n;
    let i = (fp >>> 0 ^ Math.floor(fp / 4294967296) * 0x9e3779b1) & this.mask;
    for (let probes = 0; probes <= this.mask; probes++) {
      const cur = Atomics.compareExchange(this.slots, i, 0n, v);
      if (cur === 0n) return true;
      if (cur === v) return false;
      i = (i + 1) & this.mask;
    }
    throw new Error('shared visited set is full');
  }

  /** The next frontier node index to explore. */
  takeNext(): number {
    return Atomics.add(this.counters, NEXT, 1);
  }

  /** Count `n` new distinct states; returns the total. */
  addStates(n: number): number {
    return Atomics.add(this.counters, STATES, n) + n;
  }

  stop(): void {
    Atomics.store(this.counters, STOP, 1);
  }

  get stopped(): boolean {
    return Atomics.load(this.counters, STOP) !== 0;
  }
}
