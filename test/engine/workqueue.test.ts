import { describe, expect, it } from 'vitest';
import * as wq from '../../src/engine/workqueue.ts';

const limiter = wq.defaultRateLimiter;

function drain(q: wq.QueueState): string[] {
  const out: string[] = [];
  for (let g = wq.get(q); g; g = wq.get(q)) {
    out.push(g[0]);
    q = wq.done(g[1], g[0]);
  }
  return out;
}

describe('workqueue (client-go util/workqueue)', () => {
  it('Q1: Add de-duplicates items that are waiting', () => {
    let q = wq.emptyQueue();
    q = wq.add(wq.add(wq.add(q, 'a'), 'b'), 'a');
    expect(q.queue).toEqual(['a', 'b']);
  });

  it('Q2: Get marks processing; an item is never handed out twice at once; re-add while processing is re-queued by Done', () => {
    let q = wq.add(wq.emptyQueue(), 'a');
    const [item, q1] = wq.get(q)!;
    expect(item).toBe('a');
    expect(q1.processing).toEqual({ a: true });
    q = wq.add(q1, 'a');
    expect(q.queue).toEqual([]); // held back while processing
    expect(wq.get(q)).toBeUndefined();
    q = wq.add(q, 'a'); // still de-duplicated while dirty
    q = wq.done(q, 'a');
    expect(q.queue).toEqual(['a']);
    expect(q.processing).toEqual({});
  });

  it('Q2: Done without a re-add does not re-queue', () => {
    const [, q1] = wq.get(wq.add(wq.emptyQueue(), 'a'))!;
    expect(wq.done(q1, 'a').queue).toEqual([]);
  });

  it('Q3: FIFO by first Add', () => {
    let q = wq.emptyQueue();
    for (const k of ['c', 'a', 'b', 'c', 'a']) q = wq.add(q, k);
    expect(drain(q)).toEqual(['c', 'a', 'b']);
  });

  it('Q4: AddAfter(d <= 0) is Add; a delayed insert keeps the earliest ready time', () => {
    let q = wq.addAfter(wq.emptyQueue(), 'now', 0, 100);
    expect(q.queue).toEqual(['now']);
    q = wq.addAfter(q, 'x', 500, 100);
    q = wq.addAfter(q, 'x', 50, 100); // earlier wins
    q = wq.addAfter(q, 'x', 900, 100); // later is ignored
    expect(q.delayed).toEqual([{ item: 'x', readyAt: 150 }]);
    expect(wq.nextReadyAt(q)).toBe(150);
    expect(wq.promoteReady(q, 149).queue).toEqual(['now']);
    expect(wq.promoteReady(q, 150).queue).toEqual(['now', 'x']);
  });

  it('Q5: AddRateLimited backs off 5ms * 2^failures per item; Forget resets; NumRequeues counts', () => {
    let q = wq.emptyQueue({ ...limiter, bucketQps: 0 });
    const noBucket = { ...limiter, bucketQps: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [d, next] = wq.when(q, 'a', 0, noBucket);
      delays.push(d);
      q = next;
    }
    expect(delays).toEqual([5, 10, 20, 40]);
    expect(wq.numRequeues(q, 'a')).toBe(4);
    q = wq.forget(q, 'a');
    expect(wq.numRequeues(q, 'a')).toBe(0);
    expect(wq.when(q, 'a', 0, noBucket)[0]).toBe(5);
  });

  it('Q5: the per-item backoff is capped at 1000 s', () => {
    let q = wq.emptyQueue();
    q = { ...q, failures: { a: 40 } };
    expect(wq.when(q, 'a', 0, { ...limiter, bucketQps: 0 })[0]).toBe(1_000_000);
  });

  it('Q5: the overall bucket (10/s, burst 100) delays once the burst is spent', () => {
    let q = wq.emptyQueue();
    let last = 0;
    for (let i = 0; i < 101; i++) {
      const [d, next] = wq.when(q, `item-${i}`, 0, limiter);
      last = d;
      q = next;
    }
    expect(last).toBe(100); // the 101st token is 1/10 s away
  });

  it('Q5: AddRateLimited puts the item on the delayed list', () => {
    const q = wq.addRateLimited(wq.emptyQueue(), 'a', 1000, limiter);
    expect(q.delayed).toEqual([{ item: 'a', readyAt: 1005 }]);
  });

  it('Q6: error -> rate-limited requeue; RequeueAfter -> Forget + AddAfter; success -> Forget', () => {
    const [, q0] = wq.get(wq.add({ ...wq.emptyQueue(), failures: { a: 2 } }, 'a'))!;
    const err = wq.finishItem(q0, 'a', { kind: 'error' }, 0, limiter);
    expect(err.delayed).toEqual([{ item: 'a', readyAt: 20 }]);
    expect(wq.numRequeues(err, 'a')).toBe(3);
    const after = wq.finishItem(q0, 'a', { kind: 'requeueAfter', delayMs: 7000 }, 0, limiter);
    expect(after.delayed).toEqual([{ item: 'a', readyAt: 7000 }]);
    expect(wq.numRequeues(after, 'a')).toBe(0);
    const ok = wq.finishItem(q0, 'a', { kind: 'success' }, 0, limiter);
    expect(ok.delayed).toEqual([]);
    expect(ok.processing).toEqual({});
    expect(wq.numRequeues(ok, 'a')).toBe(0);
  });
});
