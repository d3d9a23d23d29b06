/**
 * Source-set dynamic partial-order reduction with state caching (`por: 'source-dpor'`).
 *
 * Source-DPOR (Abdulla, Aronis, Jonsson, Sagonas, "Source Sets: A Foundation for Optimal Dynamic
 * Partial Order Reduction", JACM 2017) explores, at each state, first one action; whenever an
 * executed step races with an earlier one on the path (dependent footprints, no chain of
 * dependent steps between them), it adds to the earlier state's backtrack set an action that
 * starts the reversed race (an "initial" of the steps not ordered after the earlier one). Only
 * actions so added are explored, and sleep sets stay on top. Every terminal (stable) state of the
 * full search is reached, and, with the visibility condition below, every `always` violation.
 *
 * Actions are identified by their ids, and two steps are dependent when their footprints
 * overlap (src/engine/footprint.ts): the footprint of a step must name everything it reads,
 * including what made it enabled, which the engine's footprints do and the soundness suite checks.
 *
 * Adaptations, each conservative:
 * - State caching (Yang et al., "Efficient Stateful Dynamic Partial Order Reduction", SPIN
 *   2008, in spirit): every explored state keeps a summary of the steps its subtree took, each
 *   with the union footprint of the subtree steps it causally depends on ("past", intersected
 *   over the paths that reach it). A revisited state is not explored again; its summary's steps
 *   are raced against the current path as if they ran next, with only the recorded pasts as
 *   causal links (fewer links: more races, never fewer). When the race has no step of the path
 *   to start its reversal, every summary step without a past (enabled at the cached state, and
 *   independent of the path since the race) is added, which includes every real initial.
 * - A state on the current path reached again closes a cycle: every state of the cycle is
 *   expanded fully (the cycle proviso), and the summaries of the states inside it are
 *   incomplete, so those states are not cached (they are explored again when reached again).
 * - A state the search does not expand (at the depth bound, a failed world, a violation when
 *   the search goes on) makes its parent fully expanded: the step into it disables everything,
 *   a dependence footprints do not show.
 * - The informer-lag bound is enabledness: a step into a state over the bound is not taken (the
 *   state is counted, as the plain search counts it, and not expanded). Appends read and pops
 *   at the bound write `lag/<controller>/<kind>` (see {@link withLag}), and a step that brings
 *   an informer to the bound adds every action it disables that way (probed).
 * - Program order: every step writes `proc/<agent>`, so the steps of one agent are ordered in
 *   happens-before (and in the pasts of summaries) even when their footprints are disjoint.
 * - The clock (idle mode: enabled only when nothing else is) is made dependent on every step.
 * - Visibility: a step that writes something an `always` property reads (its declared
 *   `reads`, or everything) also writes the pseudo-resource `visible`, so such steps are never
 *   reordered and every explored interleaving shows the property the same values.
 *   `sometimes` goals are not made visible: a goal reported reached was reached; one reported
 *   not reached may have been skipped.
 *
 * The reduction is trusted only as far as test/check/reduction-soundness.test.ts shows it: on
 * every bundled scenario small enough, the same stable states and verdicts as the plain search.
 */
import { dependent, type Footprint } from '../engine/footprint.ts';
import { type CompactFootprint, compactDependent, compactKey, EMPTY_COMPACT, ResourceIds } from './compact-footprint.ts';
import { isQuiescent } from '../engine/settle.ts';
import type { Action } from '../engine/simulator.ts';
import type { World } from '../engine/world.ts';
import { type CheckContext, type Violation, checkAlways, recordCoverage } from './execute.ts';
import { FingerprintTable } from './fptable.ts';
import type { Histories } from './history.ts';
import type { Property } from './property.ts';
import { type LagBound, classifyState, informerLag, nearBound, pendingCount, withLag } from './state-kind.ts';

/** What {@link sourceDpor} reports back to the explorer that called it. */
export interface DporOutcome {
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly depthCut: boolean;
  readonly lagPruned: number;
  readonly stoppedBy?: 'states' | 'time';
  readonly found?: { readonly path: string[]; readonly violation: Violation };
  /** States explored again because their cached summary was incomplete (inside a cycle) or their sleep set larger. */
  readonly reexplored: number;
  /** Backtrack points added by races, and full expansions forced (cycles, unexpanded children). */
  readonly racesAdded: number;
  readonly fullExpansions: number;
}

export interface DporOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly lagBound?: LagBound;
  readonly idleClock: boolean;
  readonly stopAtFirst: boolean;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly overTime: () => boolean;
  readonly reached: Set<string>;
  readonly onStable?: (fp: number, world: World) => void;
  readonly onState?: (states: number, transitions: number, depth: number, pathLength: number) => void;
}

/** A step as the reduction sees it: its action id and its footprint (with the pseudo-resources added). */
interface Ev {
  readonly id: string;
  readonly fp: Footprint;
  /** The same footprint as integer sets, for the dependence checks. */
  readonly cfp: CompactFootprint;
  /**
   * The sequential agent that took it: an in-flight handler (its begin and every resume), an
   * informer's delivery loop, a user. Two steps of one agent run in program order and never
   * race.
   */
  readonly proc: string;
}

/** Interned steps and pasts, so summaries are small integer maps. */
class Interner {
  readonly resources = new ResourceIds();
  readonly evs: Ev[] = [];
  readonly pasts: CompactFootprint[] = [EMPTY_COMPACT];
  private readonly evIndex = new Map<string, number>();
  private readonly pastIndex = new Map<string, number>([[compactKey(EMPTY_COMPACT), 0]]);
  private readonly unions = new Map<number, number>();
  private readonly meets = new Map<number, number>();

  ev(e: Omit<Ev, 'cfp'>): number {
    const key = `${e.id}\u0000${e.fp.reads.join('\u0001')}\u0000${e.fp.writes.join('\u0001')}`;
    let i = this.evIndex.get(key);
    if (i === undefined) {
      i = this.evs.length;
      this.evs.push({ ...e, cfp: this.resources.compact(e.fp) });
      this.evIndex.set(key, i);
    }
    return i;
  }

  private past(f: CompactFootprint): number {
    const key = compactKey(f);
    let i = this.pastIndex.get(key);
    if (i === undefined) {
      i = this.pasts.length;
      this.pasts.push(f);
      this.pastIndex.set(key, i);
    }
    return i;
  }

  /** The past `p` extended by the footprint of step `e`. */
  union(p: number, e: number): number {
    const key = p * 2 ** 26 + e;
    let i = this.unions.get(key);
    if (i === undefined) {
      i = this.past(this.resources.union(this.pasts[p], this.evs[e].cfp));
      this.unions.set(key, i);
    }
    return i;
  }

  /** What two pasts share (a step reached on two paths is ordered after what both show). */
  meet(p: number, q: number): number {
    if (p === q) return p;
    if (p === 0 || q === 0) return 0;
    const key = p < q ? p * 2 ** 26 + q : q * 2 ** 26 + p;
    let i = this.meets.get(key);
    if (i === undefined) {
      i = this.past(this.resources.meet(this.pasts[p], this.pasts[q]));
      this.meets.set(key, i);
    }
    return i;
  }
}

type StepFootprint = { readonly reads: readonly string[]; readonly writes: readonly string[] };
type Visited = 'ok' | 'dead' | 'overLag';

/** A summary: step index → past index (relative to the summarised state). */
type Summary = Map<number, number>;

/**
 * A cached state's summary, frozen: (step, past) pairs in the Map's insertion order (the order
 * races are raised in, kept so that packing changes no search). Equal ones are shared: most
 * states' subtrees end in a few summaries (about 4 states per distinct summary on
 * fix2+fix4/single-network), and a Map entry costs several times the 8 bytes of a pair.
 */
type PackedSummary = Int32Array;

/** Freezes summaries and sleep sets into shared values: a cached state holds references only. */
class CacheInterner {
  private readonly summaries = new Map<string, PackedSummary>();
  private readonly sleeps = new Map<string, ReadonlySet<string>>();

  summary(m: Summary): PackedSummary {
    const packed = new Int32Array(m.size * 2);
    let i = 0;
    for (const [e, p] of m) {
      packed[i++] = e;
      packed[i++] = p;
    }
    const key = packed.join(',');
    const shared = this.summaries.get(key);
    if (shared) return shared;
    this.summaries.set(key, packed);
    return packed;
  }

  sleep(ids: Iterable<string>): ReadonlySet<string> {
    const list = [...ids];
    const key = list.join('\u0000');
    let shared = this.sleeps.get(key);
    if (!shared) {
      shared = new Set(list);
      this.sleeps.set(key, shared);
    }
    return shared;
  }
}

const NO_SLEEP: ReadonlySet<string> = new Set();

interface Cached {
  /** The sleep set the state was explored with (its summary covers exactly what that explores). */
  readonly sleep: ReadonlySet<string>;
  /** Undefined: incomplete (inside a cycle), explore again when reached. */
  readonly summary?: PackedSummary;
  /** Not expanded (depth bound, failure, violation): its parent must be expanded fully. */
  readonly dead: boolean;
  /** Over the lag bound: the step into it counts as not enabled (no successor, no full expansion). */
  readonly overLag?: boolean;
}

/** Growable bitset over path positions. */
type Bits = Uint32Array;
const has = (b: Bits, i: number) => (b[i >>> 5] & (1 << (i & 31))) !== 0;
const set = (b: Bits, i: number) => {
  b[i >>> 5] |= 1 << (i & 31);
};
const orInto = (into: Bits, from: Bits) => {
  for (let k = 0; k < from.length; k++) into[k] |= from[k];
};

interface Frame {
  readonly world: World;
  readonly h: Histories;
  readonly key: number;
  /** Explorable actions in order, by id. */
  readonly actions: Map<string, Action>;
  readonly backtrack: Set<string>;
  readonly done: Set<string>;
  /** Footprints of the steps already explored from here (they join the children's sleep sets). */
  readonly doneFps: Map<string, CompactFootprint>;
  readonly sleep: Map<string, CompactFootprint>;
  readonly summary: Summary;
  /** Smallest path position of an on-path state reached again from this frame's subtree. */
  cycleTo: number;
  /** The step taken from this frame to the next one, and the path positions that happen before it. */
  ev: number;
  preds: Bits;
}

/** The agent of a step (see {@link Ev.proc}). */
function processOf(a: Action, writes: readonly string[]): string {
  switch (a.kind) {
    case 'resume':
      return `inflight/${a.inflight}`;
    case 'begin':
    case 'beginTask':
      return writes.find((w) => w.startsWith('inflight/')) ?? a.id;
    case 'deliver':
      return `deliver/${a.controller}/${a.informer}`;
    case 'user':
      return `user/${a.actor}`;
    default:
      return a.id;
  }
}

/** Ids of the actions a search may take (the idle clock only when nothing else is enabled). */
function explorableIds(all: readonly Action[]): Set<string> {
  const quiet = isQuiescent(all);
  const ids = new Set<string>();
  for (const a of all) if (a.kind !== 'clock' || quiet) ids.add(a.id);
  return ids;
}

/** Footprint resources that make a step visible to the `always` properties (undefined: none checked). */
export function visibleReads(properties: readonly Property[]): readonly string[] | undefined {
  const reads: string[] = [];
  let any = false;
  for (const p of properties) {
    if (p.kind !== 'always') continue;
    any = true;
    reads.push(...(p.reads ?? ['*']));
  }
  return any ? reads : undefined;
}

/**
 * Source-DPOR from the root of `ctx`, with `visited` keyed by `keyOf`. Returns counts and the
 * first violation (or every one, with stopAtFirst false: the first is returned).
 */
export function sourceDpor(ctx: CheckContext, keyOf: (w: World, h: Histories) => number, opts: DporOptions): DporOutcome {
  const lagBound = opts.lagBound;
  const visibility = visibleReads(ctx.properties);
  const visibleProbe: Footprint | undefined = visibility && { reads: [...visibility], writes: [] };
  const interner = new Interner();
  const frozen = new CacheInterner();
  const visited = new FingerprintTable<Cached>();
  const stats = { states: 0, transitions: 0, maxDepth: 0, depthCut: false, lagPruned: 0, reexplored: 0, racesAdded: 0, fullExpansions: 0 };
  let stoppedBy: 'states' | 'time' | undefined;
  let stopped = false;
  let found: DporOutcome['found'];
  const stack: Frame[] = [];
  const onPath = new Map<number, number>();
  const words = Math.ceil((opts.maxDepth + 2) / 32);
  const path = (): string[] => stack.slice(0, -1).map((f) => interner.evs[f.ev].id);

  const report = (p: string[], v: Violation) => {
    if (!found) found = { path: p, violation: { ...v, step: v.kind === 'engine' && v.step === 0 ? p.length : v.step } };
    if (opts.stopAtFirst) stopped = true;
  };

  const eventOf = (a: Action, entry: StepFootprint, pre: World): number => {
    const proc = processOf(a, entry.writes);
    const fp = footprintOf(a, entry, pre);
    // Program order is part of happens-before: the agent is a resource every one of its steps
    // writes (a DeltaFIFO's pops of different keys touch no common key, yet the second is only
    // enabled once the first is done).
    return interner.ev({ id: a.id, fp: { reads: fp.reads, writes: [...fp.writes, `proc/${proc}`] }, proc });
  };

  const footprintOf = (a: Action, entry: StepFootprint, pre: World): Footprint => {
    let reads = entry.reads as string[];
    let writes = entry.writes as string[];
    if (lagBound !== undefined) ({ reads, writes } = withLag(a, reads, writes, pre, lagBound));
    // Idle clock: enabled only when nothing else is, so it depends on every step.
    if (a.kind === 'clock') reads = ['*'];
    // A lock release is never enabled together with another handler's acquire of that lock
    // (the acquire waits), so the two need no order (Flanagan and Godefroid's treatment of locks):
    // the race to reverse is between the two acquires, which stay dependent.
    if (writes.some((w) => w.startsWith('lock/') && !entry.reads.includes(w))) writes = writes.filter((w) => !w.startsWith('lock/') || entry.reads.includes(w));
    if (visibleProbe && writes.length && dependent(visibleProbe, { reads: [], writes })) writes = [...writes, 'visible'];
    return { reads, writes };
  };

  /**
   * The lag bound's disabling: a step that brings an informer to the bound disables every other
   * action that would append to it, and the other order must be explored too. Probed by taking
   * each such action from the successor (a probe is not a state).
   */
  const lagDisabled = (frame: Frame, taken: Action, child: World, fe: Footprint, childIds: ReadonlySet<string>) => {
    if (lagBound === undefined || informerLag(child, lagBound.unit) > lagBound.max) return;
    let atBound = false;
    for (const w of fe.writes) {
      if (!w.startsWith('fifo/')) continue;
      const [ctrl, kind] = w.slice(5).split('/');
      if (pendingCount(child, ctrl, kind, lagBound.unit) >= nearBound(lagBound)) atBound = true;
    }
    if (!atBound) return;
    for (const [id, a] of frame.actions) {
      if (id === taken.id || !childIds.has(id) || frame.backtrack.has(id) || frame.sleep.has(id)) continue;
      const probe = ctx.sim.step(child, a, ctx.scenario);
      if (informerLag(probe.world, lagBound.unit) > lagBound.max) addBacktrack(stack.length - 1, id);
    }
  };

  const fullyExpand = (f: Frame) => {
    let added = false;
    for (const id of f.actions.keys()) {
      if (!f.backtrack.has(id) && !f.sleep.has(id)) {
        f.backtrack.add(id);
        added = true;
      }
    }
    if (added) stats.fullExpansions++;
  };

  /** Add `id` to frame j's backtrack set if it is explorable there and not asleep; false if not explorable. */
  const addBacktrack = (j: number, id: string): boolean => {
    const f = stack[j];
    if (!f.actions.has(id)) return false;
    if (!f.backtrack.has(id) && !f.sleep.has(id)) {
      f.backtrack.add(id);
      stats.racesAdded++;
    }
    return true;
  };

  /**
   * The race of the step at path position j with a later step `e` (position `n`, or a summary
   * step after the whole path with `n` = stack top): add an initial of notdep(j).e to frame j.
   * `ePreds`: the positions before n that happen before `e`. Returns false when the path has no
   * step after j to start the reversal with (the caller decides what then).
   */
  const race = (j: number, n: number, e: number, ePreds: Bits | undefined): boolean => {
    const notdep: number[] = [];
    for (let m = j + 1; m < n; m++) if (!has(stack[m].preds, j)) notdep.push(m);
    // Initials: steps of notdep with no step of notdep before them in happens-before.
    const initials: string[] = [];
    for (let x = 0; x < notdep.length; x++) {
      const px = stack[notdep[x]].preds;
      let initial = true;
      for (let y = 0; y < x && initial; y++) if (has(px, notdep[y])) initial = false;
      if (initial) initials.push(interner.evs[stack[notdep[x]].ev].id);
    }
    let eInitial = ePreds !== undefined;
    if (ePreds) for (const m of notdep) if (has(ePreds, m)) eInitial = false;
    const f = stack[j];
    if (eInitial) {
      // `e` could move right after j's step; before it only if enabled there. If it is not,
      // j's step enabled it (a changed id is a disabling, handled where the step is taken).
      if (!f.actions.has(interner.evs[e].id)) return true;
      initials.push(interner.evs[e].id);
    }
    if (initials.length === 0) return false;
    for (const id of initials) if (f.backtrack.has(id) || f.sleep.has(id)) return true;
    for (const id of initials) if (addBacktrack(j, id)) return true;
    fullyExpand(f);
    return true;
  };

  /** Races of the step just taken from the top frame (position n) with the path; its happens-before set. */
  const racesOfStep = (e: number): Bits => {
    const n = stack.length - 1;
    const preds = new Uint32Array(words);
    const fe = interner.evs[e];
    for (let m = n - 1; m >= 0; m--) {
      if (has(preds, m)) continue;
      const fm = stack[m];
      const em = interner.evs[fm.ev];
      if (!compactDependent(em.cfp, fe.cfp)) continue;
      if (em.proc !== fe.proc) race(m, n, e, preds);
      set(preds, m);
      orInto(preds, fm.preds);
    }
    return preds;
  };

  /** Race every step of a cached state's summary with the path, as if it ran next. */
  const racesOfSummary = (summary: PackedSummary) => {
    const n = stack.length; // every frame's step is on the path, the top frame's leads to the cached state
    for (let i = 0; i < summary.length; i += 2) {
      const e = summary[i];
      const p = summary[i + 1];
      const fe = interner.evs[e];
      const past = interner.pasts[p];
      const preds = new Uint32Array(words);
      for (let m = n - 1; m >= 0; m--) {
        if (has(preds, m)) continue;
        const fm = stack[m];
        const em = interner.evs[fm.ev];
        const onE = compactDependent(em.cfp, fe.cfp);
        const onPast = p !== 0 && compactDependent(em.cfp, past);
        if (!onE && !onPast) continue;
        if (onE && !onPast && em.proc !== fe.proc) {
          // `e` counts as an initial only without a past: otherwise steps of the cached subtree
          // may come before it.
          if (!race(m, n, e, p === 0 ? preds : undefined)) {
            // No path step after m to start with: the initials are among the summary's steps
            // without a past that are independent of the path from m on, and `e` itself.
            addBacktrack(m, fe.id);
            for (let k2 = 0; k2 < summary.length; k2 += 2) {
              const x = summary[k2];
              if (summary[k2 + 1] !== 0) continue;
              const fx = interner.evs[x].cfp;
              let independent = true;
              for (let k = m; k < n && independent; k++) if (compactDependent(interner.evs[stack[k].ev].cfp, fx)) independent = false;
              if (independent) addBacktrack(m, interner.evs[x].id);
            }
          }
        }
        set(preds, m);
        orInto(preds, fm.preds);
      }
    }
  };

  /** Merge a child's summary into its parent's, through the parent's step `e`. */
  const lift = (into: Summary, e: number, child: Summary | PackedSummary | undefined) => {
    const fe = interner.evs[e].cfp;
    const put = (x: number, p: number) => {
      const prev = into.get(x);
      into.set(x, prev === undefined ? p : interner.meet(prev, p));
    };
    const liftOne = (x: number, p: number) => {
      const ordered = compactDependent(fe, interner.evs[x].cfp) || (p !== 0 && compactDependent(fe, interner.pasts[p]));
      put(x, ordered ? interner.union(p, e) : p);
    };
    put(e, 0);
    if (child instanceof Int32Array) for (let i = 0; i < child.length; i += 2) liftOne(child[i], child[i + 1]);
    else if (child) for (const [x, p] of child) liftOne(x, p);
  };

  const countState = (depth: number): boolean => {
    stats.states++;
    if (depth > stats.maxDepth) stats.maxDepth = depth;
    opts.onState?.(stats.states, stats.transitions, stats.maxDepth, stack.length);
    if (stats.states >= opts.maxStates) stoppedBy = 'states';
    else if (stats.states % 1000 === 0 && opts.overTime()) stoppedBy = 'time';
    if (stoppedBy) stopped = true;
    return !stoppedBy;
  };

  const seen = new FingerprintTable<true>();

  /** Visit a state reached by the top frame's step (or the root); returns whether it was dead or over the lag bound. */
  const visit = (world: World, h: Histories, depth: number, sleepIn: Map<string, CompactFootprint>, enabled?: readonly Action[]): Visited => {
    const key = keyOf(world, h);
    const parent = stack[stack.length - 1];
    const onPathAt = onPath.get(key);
    if (onPathAt !== undefined) {
      for (let k = onPathAt; k < stack.length; k++) fullyExpand(stack[k]);
      for (let k = onPathAt + 1; k < stack.length; k++) stack[k].cycleTo = Math.min(stack[k].cycleTo, onPathAt);
      if (parent) {
        parent.cycleTo = Math.min(parent.cycleTo, onPathAt);
        lift(parent.summary, parent.ev, undefined);
      }
      return 'ok';
    }
    let sleep = sleepIn;
    const prev = visited.get(key);
    if (prev) {
      if (prev.overLag) return 'overLag';
      if (prev.dead) return 'dead';
      let subset = true;
      for (const id of prev.sleep) if (!sleep.has(id)) subset = false;
      if (subset && prev.summary) {
        racesOfSummary(prev.summary);
        if (parent) lift(parent.summary, parent.ev, prev.summary);
        return 'ok';
      }
      if (!subset) {
        const narrowed = new Map<string, CompactFootprint>();
        for (const [id, f] of sleep) if (prev.sleep.has(id)) narrowed.set(id, f);
        sleep = narrowed;
      }
      stats.reexplored++;
    }
    if (seen.add(key) && !countState(depth)) return 'ok';
    if (world.failure) return markDead(key);
    const all = enabled ?? ctx.sim.enabled(world, ctx.scenario);
    const { quiet, stable, violation } = classifyState(ctx, world, all, depth, h);
    if (stable && opts.onStable) opts.onStable(key, world);
    if (violation) {
      report(path().concat(parent ? [interner.evs[parent.ev].id] : []), violation);
      return markDead(key);
    }
    if (depth >= opts.maxDepth) {
      stats.depthCut = true;
      return markDead(key);
    }
    if (lagBound !== undefined && informerLag(world, lagBound.unit) > lagBound.max) {
      stats.lagPruned++;
      visited.set(key, { sleep: NO_SLEEP, dead: false, overLag: true });
      return 'overLag';
    }
    const actions = new Map<string, Action>();
    all.forEach((a, i) => {
      if (a.kind === 'clock' && (stable || (opts.idleClock && !quiet))) return;
      if (depth === 0 && opts.shard && i % opts.shard.count !== opts.shard.index) return;
      actions.set(a.id, a);
    });
    const frame: Frame = { world, h, key, actions, backtrack: new Set(), done: new Set(), doneFps: new Map(), sleep, summary: new Map(), cycleTo: Infinity, ev: -1, preds: new Uint32Array(words) };
    for (const id of actions.keys()) {
      if (!sleep.has(id)) {
        frame.backtrack.add(id);
        break;
      }
    }
    stack.push(frame);
    onPath.set(key, stack.length - 1);
    expand(frame, depth);
    onPath.delete(key);
    stack.pop();
    const complete = frame.cycleTo >= stack.length;
    visited.set(key, { sleep: frozen.sleep(sleep.keys()), ...(complete && !stopped ? { summary: frozen.summary(frame.summary) } : {}), dead: false });
    if (parent) {
      lift(parent.summary, parent.ev, frame.summary);
      if (frame.cycleTo < parent.cycleTo) parent.cycleTo = frame.cycleTo;
    }
    return 'ok';
  };

  const markDead = (key: number): 'dead' => {
    visited.set(key, { sleep: NO_SLEEP, dead: true });
    return 'dead';
  };

  const expand = (frame: Frame, depth: number) => {
    for (;;) {
      if (stopped) return;
      let next: Action | undefined;
      for (const [id, a] of frame.actions) {
        if (frame.backtrack.has(id) && !frame.done.has(id) && !frame.sleep.has(id)) {
          next = a;
          break;
        }
      }
      if (!next) return;
      frame.done.add(next.id);
      const r = ctx.sim.step(frame.world, next, ctx.scenario);
      stats.transitions++;
      const e = eventOf(next, r.entry, frame.world);
      frame.ev = e;
      frame.preds = racesOfStep(e);
      const fe = interner.evs[e].fp;
      const ce = interner.evs[e].cfp;
      // A step that disables an action enabled before it (the idle clock or a `whenIdle` user
      // once work appears, a delivery whose id grows with a new delta, a queue head taken)
      // conflicts with it: the other order starts with that action, so it is explored too.
      const childAll = ctx.sim.enabled(r.world, ctx.scenario);
      const childIds = explorableIds(childAll);
      for (const id of frame.actions.keys()) if (id !== next.id && !childIds.has(id)) addBacktrack(stack.length - 1, id);
      recordCoverage(ctx, r.world, opts.reached, undefined);
      const v = checkAlways(ctx, r.world, depth + 1, undefined);
      let outcome: Visited = 'ok';
      if (v) {
        report([...path(), next.id], v);
        outcome = 'dead';
      } else {
        if (lagBound !== undefined) lagDisabled(frame, next, r.world, fe, childIds);
        const childSleep = new Map<string, CompactFootprint>();
        for (const [id, f] of frame.sleep) if (!compactDependent(f, ce)) childSleep.set(id, f);
        for (const [id, f] of frame.doneFps) if (!compactDependent(f, ce)) childSleep.set(id, f);
        outcome = visit(r.world, undefined, depth + 1, childSleep, childAll);
      }
      frame.doneFps.set(next.id, ce);
      if (outcome !== 'ok') lift(frame.summary, e, undefined);
      if (outcome === 'dead') fullyExpand(frame);
    }
  };

  visit(ctx.root, undefined, 0, new Map());
  return {
    states: stats.states,
    transitions: stats.transitions,
    maxDepth: stats.maxDepth,
    depthCut: stats.depthCut,
    lagPruned: stats.lagPruned,
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(found ? { found } : {}),
    reexplored: stats.reexplored,
    racesAdded: stats.racesAdded,
    fullExpansions: stats.fullExpansions,
  };
}

