/**
 * How many states could a static persistent-set (stubborn-set) reduction remove at best?
 * Pass 1 explores the whole space and records, per agent class (a user actor, a controller's
 * informer of one kind, a queue with every handler it starts, a system actor), the union of
 * every footprint its steps ever had: a perfect "may touch" declaration, better than any the
 * engine or a model could give. Pass 2 explores with persistent sets built from those
 * futures (closure over agents: an agent joins when its future conflicts with a member's
 * step, or writes what a member's enabling condition reads), smallest set over every seed.
 * The count of pass 2 bounds what static persistent sets can achieve on the scenario.
 *
 *   npx tsx scripts/persistent-set-bound.ts kube-ovn fix2 single-network
 *   DROP=mem/,ext/ npx tsx scripts/persistent-set-bound.ts ...   # also ignore memory and externals
 *
 * Measured (fix2, single-network, engine of 68af8b8 before the W2 change): 298,026 states in both passes, also with memory and
 * externals ignored: every agent's future meets every other through the informer cache,
 * the queues and the API objects, so no state is removed (docs/BENCHMARKS.md, group 2).
 */
import { models } from '../models/index.ts';
import { contextFor, target } from '../src/check/context.ts';
import { fingerprint } from '../src/engine/fingerprint.ts';
import { dependent, type Footprint } from '../src/engine/footprint.ts';
import { isQuiescent } from '../src/engine/settle.ts';
import type { Action } from '../src/engine/simulator.ts';
import type { World } from '../src/engine/world.ts';

const [modelName = 'kube-ovn', variant = 'fix2', scenario = 'single-network'] = process.argv.slice(2);
const model = models[modelName];
if (!model) {
  process.stderr.write(`unknown model ${modelName} (known: ${Object.keys(models).join(', ')})\n`);
  process.exit(2);
}
const ctx = contextFor(target(model, { variant }), scenario);
const sim = ctx.sim;
const dropped = (process.env.DROP ?? '').split(',').filter(Boolean);
const keep = (r: string) => !dropped.some((d) => r.startsWith(d));

function agentOf(a: Action): string {
  switch (a.kind) {
    case 'user':
      return `user/${a.actor}`;
    case 'deliver':
      return `deliver/${a.controller}/${a.informer}`;
    case 'begin':
      return `queue/${a.controller}/${a.queue}`;
    case 'resume':
      return a.fail ? 'fault' : `inflight/${a.inflight}`;
    case 'beginTask':
      return `task/${a.controller}/${a.task}`;
    case 'system':
      return `system/${a.actor}`;
    case 'clock':
      return 'clock';
    default:
      return 'fault';
  }
}

/** A handler belongs to the class of the queue (or task) that started it. */
function classOf(agent: string, w: World): string {
  if (!agent.startsWith('inflight/')) return agent;
  for (const c of Object.values(w.controllers)) {
    const f = c.inflight[agent.slice('inflight/'.length)];
    if (f) return f.queue ? `queue/${f.controller}/${f.queue}` : `task/${f.controller}/${f.task}`;
  }
  return agent;
}

/** Resources whose change can enable more actions of the agent. */
function guardOf(agent: string, w: World): string[] {
  const p = agent.split('/');
  if (p[0] === 'deliver') return [`pending/${p[1]}/${p[2]}/*`];
  if (p[0] === 'queue') return [`queue/${p[1]}/${p[2]}`];
  if (p[0] === 'inflight') {
    for (const c of Object.values(w.controllers)) {
      const f = c.inflight[agent.slice('inflight/'.length)];
      if (f?.pending.op === 'lock') return [`lock/${f.controller}/${f.pending.mutex}/${f.pending.key}`];
    }
    return [];
  }
  if (p[0] === 'user') {
    const op = ctx.scenario.ops.filter((o) => (o.actor ?? 'user') === p[1])[w.users[p[1]] ?? 0];
    if (!op) return [];
    return op.whenIdle ? ['*'] : (op.afterGone ?? []).map((k) => `api/${k}`);
  }
  if (p[0] === 'system') return p[1] === 'kubelet' ? ['api/Pod/*'] : ['api/*'];
  return ['*'];
}

function explore(choose: (w: World, actions: Action[], quiet: boolean) => Action[]): number {
  const seen = new Set<number>([fingerprint(ctx.root, 'time-abstract')]);
  const stack: World[] = [ctx.root];
  let n = 0;
  while (stack.length) {
    const w = stack.pop()!;
    n++;
    const actions = sim.enabled(w, ctx.scenario);
    const quiet = isQuiescent(actions);
    for (const a of choose(w, actions, quiet)) {
      const r = sim.step(w, a, ctx.scenario);
      const fp = fingerprint(r.world, 'time-abstract');
      if (!seen.has(fp) && !r.world.failure) {
        seen.add(fp);
        stack.push(r.world);
      }
    }
  }
  return n;
}

const learned = new Map<string, { reads: Set<string>; writes: Set<string> }>();
const full = explore((w, actions, quiet) => {
  const chosen = actions.filter((a) => a.kind !== 'clock' || quiet);
  for (const a of chosen) {
    const r = sim.step(w, a, ctx.scenario);
    const cls = classOf(agentOf(a), w);
    let e = learned.get(cls);
    if (!e) learned.set(cls, (e = { reads: new Set(), writes: new Set() }));
    for (const x of r.entry.reads) if (keep(x)) e.reads.add(x);
    for (const x of r.entry.writes) if (keep(x)) e.writes.add(x);
  }
  return chosen;
});
const future = new Map<string, Footprint>([...learned].map(([k, v]) => [k, { reads: k === 'system/kubelet' ? ['api/Pod/*'] : [...v.reads], writes: [...v.writes] }]));

let reducedAt = 0;
const reduced = explore((w, actions, quiet) => {
  if (quiet || actions.some((a) => a.actor === 'fault')) return actions.filter((a) => a.kind !== 'clock' || quiet);
  const steps = actions.filter((a) => a.kind !== 'clock').map((a) => {
    const r = sim.step(w, a, ctx.scenario);
    return { a, agent: agentOf(a), fp: { reads: r.entry.reads.filter(keep), writes: r.entry.writes.filter(keep) } };
  });
  const live = new Map(future);
  for (const c of Object.values(w.controllers)) {
    for (const f of Object.values(c.inflight)) live.set(`inflight/${f.id}`, future.get(classOf(`inflight/${f.id}`, w)) ?? { reads: ['*'], writes: ['*'] });
  }
  let best: Action[] | undefined;
  for (const seed of new Set(steps.map((x) => x.agent))) {
    const members = new Set([seed]);
    const work = [seed];
    const join = (b: string) => {
      members.add(b);
      work.push(b);
    };
    while (work.length) {
      const m = work.pop()!;
      for (const x of steps) if (x.agent === m) for (const [b, fb] of live) if (!members.has(b) && dependent(x.fp, fb)) join(b);
      const guard = guardOf(m, w);
      if (guard.length) for (const [b, fb] of live) if (!members.has(b) && dependent({ reads: guard, writes: [] }, { reads: [], writes: fb.writes })) join(b);
    }
    const set = steps.filter((x) => members.has(x.agent)).map((x) => x.a);
    if (!best || set.length < best.length) best = set;
  }
  if (best!.length < steps.length) reducedAt++;
  return best!;
});
process.stdout.write(`${modelName} ${variant} ${scenario}${dropped.length ? ` (ignoring ${dropped.join(', ')})` : ''}: ${full} states unreduced, ${reduced} with persistent sets from perfect per-agent futures; a proper subset chosen at ${reducedAt} states\n`);
