/**
 * The toy race (test/fixtures/toy.ts): enumerating schedules finds the interleaving that leaks
 * a lease in the unfixed controller, and shows the fixed one never leaks. Once with the
 * library's explorer (no POR), once with a hand-written DFS over `enabled`/`step`, so the
 * result does not depend on the explorer.
 */
import { describe, expect, it } from 'vitest';
import { contextFor, target } from '../../src/check/context.ts';
import { execute } from '../../src/check/execute.ts';
import { explore } from '../../src/check/exhaustive.ts';
import { setupWorld } from '../../src/engine/settle.ts';
import { Simulator } from '../../src/engine/simulator.ts';
import type { World } from '../../src/engine/world.ts';
import { leakedLeases, toyScenario, toySystem } from '../fixtures/toy.ts';
import { toyModel } from '../fixtures/toy-model.ts';

const CHILD_BEGIN = 'toy/children: handleChild(default/child) begin';
const ACQUIRE = 'toy/children: handleChild(default/child) CALL leases.acquire(child)';
const PARENT_BEGIN = 'toy/parents: handleParentDelete(default/parent) begin';
const DELETE_PARENT = 'admin: delete ConfigMap/default/parent';

/** Every maximal schedule from the toy's root, without state merging. */
function allSchedules(fixed: boolean): Array<{ ids: string[]; leaked: string[] }> {
  const sim = new Simulator(toySystem(fixed));
  const root = setupWorld(sim, toyScenario);
  const out: Array<{ ids: string[]; leaked: string[] }> = [];
  const path: string[] = [];
  const dfs = (w: World) => {
    expect(w.failure).toBeUndefined();
    const actions = sim.enabled(w, toyScenario);
    if (actions.length === 0) {
      out.push({ ids: [...path], leaked: leakedLeases(w) });
      return;
    }
    for (const a of actions) {
      path.push(a.id);
      dfs(sim.step(w, a, toyScenario).world);
      path.pop();
    }
  };
  dfs(root);
  return out;
}

describe('toy race: hand-written DFS over enabled/step', () => {
  it('the unfixed toy leaks a lease in some schedules: check the parent, parent cleaned up, then acquire', () => {
    const schedules = allSchedules(false);
    const bad = schedules.filter((s) => s.leaked.length > 0);
    expect(schedules.length).toBeGreaterThan(10);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThan(schedules.length);
    for (const s of bad) {
      expect(s.leaked).toEqual(['child']);
      // The race: the child saw the parent in its cache, the parent's cleanup ran, then the child acquired.
      const at = (id: string) => s.ids.indexOf(id);
      expect(at(CHILD_BEGIN)).toBeGreaterThanOrEqual(0);
      expect(at(CHILD_BEGIN)).toBeLessThan(at(PARENT_BEGIN));
      expect(at(PARENT_BEGIN)).toBeLessThan(at(ACQUIRE));
      expect(at(DELETE_PARENT)).toBeLessThan(at(PARENT_BEGIN));
    }
    // And every schedule with that order leaks.
    const raceOrder = schedules.filter((s) => s.ids.indexOf(CHILD_BEGIN) >= 0 && s.ids.indexOf(CHILD_BEGIN) < s.ids.indexOf(PARENT_BEGIN) && s.ids.indexOf(PARENT_BEGIN) < s.ids.indexOf(ACQUIRE));
    expect(raceOrder).toEqual(bad);
  });

  it('the fixed toy never leaks, in any schedule, and still interleaves the two handlers', () => {
    const schedules = allSchedules(true);
    expect(schedules.length).toBeGreaterThan(10);
    expect(schedules.filter((s) => s.leaked.length > 0)).toEqual([]);
    // Not vacuous: some schedules start the child's handler before the parent's cleanup begins.
    expect(schedules.some((s) => s.ids.includes(CHILD_BEGIN) && s.ids.indexOf(CHILD_BEGIN) < s.ids.indexOf(PARENT_BEGIN))).toBe(true);
  });
});

describe('toy race: exhaustive explorer without POR', () => {
  it('finds the leaking interleaving in the unfixed toy, and it replays', () => {
    const t = target(toyModel, { variant: 'buggy' });
    const ctx = contextFor(t, 'race');
    const report = explore(t, ctx, { por: false });
    expect(report.result).toBe('violated');
    expect(report.violation!.property).toBe('no-leaked-lease');
    const steps = report.counterexample!.steps;
    expect(steps.indexOf(CHILD_BEGIN)).toBeLessThan(steps.indexOf(PARENT_BEGIN));
    expect(steps.indexOf(PARENT_BEGIN)).toBeLessThan(steps.indexOf(ACQUIRE));
    // The hand DFS agrees: the counterexample is one of its leaking schedules.
    expect(allSchedules(false).filter((s) => s.leaked.length).map((s) => s.ids.join('\n'))).toContain(steps.join('\n'));
    const replay = execute(ctx, { kind: 'ids', ids: steps, strict: true });
    expect(replay.violation?.property).toBe('no-leaked-lease');
    expect(leakedLeases(replay.world)).toEqual(['child']);
  });

  it('proves the fixed toy: complete search, no violation, the race window was reached', () => {
    const t = target(toyModel, { variant: 'fixed' });
    const ctx = contextFor(t, 'race');
    const report = explore(t, ctx, { por: false });
    expect(report.result).toBe('holds');
    expect(report.stats.complete).toBe(true);
    expect(report.stats.states).toBeGreaterThan(10);
    expect(report.coverage['parent-deleted-while-child-in-flight']).toBe(true);
    // With sleep-set POR: same verdict, no more states.
    const withPor = explore(t, ctx, {});
    expect(withPor.result).toBe('holds');
    expect(withPor.stats.complete).toBe(true);
    expect(withPor.stats.states!).toBeLessThanOrEqual(report.stats.states!);
  });
});
