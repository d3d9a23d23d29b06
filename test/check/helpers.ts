/** Shared bits of the checker tests: the toy model, an unreachable goal, temp directories. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { defineModel } from '../../src/check/model.ts';
import { sometimes } from '../../src/check/property.ts';
import type { Leases } from '../fixtures/toy.ts';
import { type ToyConfig, toyModel } from '../fixtures/toy-model.ts';

export { toyModel };

/** Two leases at once: impossible in the `race` scenario, which has one child. */
export const twoLeasesHeld = sometimes('two-leases-held', (v) => Object.keys(v.external<Leases>('leases')).length >= 2);

/** The toy model with an extra, unreachable `sometimes` goal. */
export const toyWithUnreachableGoal = defineModel<ToyConfig>({ ...toyModel, properties: [...toyModel.properties, twoLeasesHeld] });

/** A fresh temporary directory, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kuberace-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A report minus wall-clock time, for equality checks. */
export function withoutTime<T extends { stats: { durationMs: number } }>(r: T): unknown {
  const { durationMs: _d, ...stats } = r.stats;
  return { ...r, stats };
}
