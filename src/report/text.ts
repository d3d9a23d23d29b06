/**
 * The text report of a replayed counterexample: a numbered timeline (step, simulated time,
 * actor, action, API results and handler notes, objects changed), the violated property with
 * its message, then the final state as kubectl-style tables and the external systems.
 */
import type { StoredObject } from '../api/types.ts';
import type { Violation } from '../check/execute.ts';
import { type Style, plain } from './style.ts';
import { formatTable, tablesOf } from './tables.ts';
import type { Timeline } from './timeline.ts';

/**
 * Options of {@link renderText}: a {@link Style} (ANSI colours or {@link plain}), at most
 * `maxSteps` steps (the middle elided), `noState` to leave out the final-state tables.
 *
 * @example
 * ```ts
 * const opts: TextOptions = { style: process.stdout.isTTY ? ansi : plain, maxSteps: 40 };
 * ```
 *
 * @category Reports
 */
export interface TextOptions {
  readonly style?: Style;
  /** Show at most this many steps (the middle is elided); default all. */
  readonly maxSteps?: number;
  /** Leave out the final-state tables. */
  readonly noState?: boolean;
}

/** Simulated time as shown in reports: `12.345s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** The action id without the actor prefix (`user: create Pod/a` -> `create Pod/a`); actor + rest = id. */
export function actionWithoutActor(id: string, actor: string): string {
  if (id.startsWith(`${actor}: `)) return id.slice(actor.length + 2);
  if (id.startsWith(`${actor}/`)) return id.slice(actor.length + 1);
  return id;
}

/** A note `PATCH IP/x -> ok (rv 15)` of the step `... PATCH IP/x` is shown as `ok (rv 15)`. */
function withoutEffect(note: string, id: string): string {
  const i = note.indexOf(' -> ');
  if (i > 0 && id.endsWith(` ${note.slice(0, i)}`)) return note.slice(i + 4);
  return note;
}

/** Every kind that exists at some point of the timeline. */
export function kindsOf(timeline: Timeline): string[] {
  const kinds = new Set<string>();
  const add = (objects: Readonly<Record<string, StoredObject>>) => {
    for (const o of Object.values(objects)) if (o.kind) kinds.add(o.kind);
  };
  add(timeline.initial.objects);
  for (const s of timeline.steps) add(s.objects);
  add(timeline.final.api.objects);
  return [...kinds];
}

export function describeViolation(v: Violation): string {
  const where = v.step === 0 ? 'in the initial state' : `after step ${v.step}`;
  return `property ${v.property} (${v.kind}) violated ${where}`;
}

/** The timeline part: one block per step. */
export function renderSteps(timeline: Timeline, opts: TextOptions = {}): string[] {
  const st = opts.style ?? plain;
  const steps = timeline.steps;
  const numW = Math.max(1, String(steps.length).length);
  const timeW = Math.max(6, ...steps.map((s) => seconds(s.clock).length));
  const actorW = Math.max(5, ...steps.map((s) => s.actor.length));
  const indent = ' '.repeat(numW + 2 + timeW + 2 + actorW + 2);
  const lines: string[] = [];
  lines.push(st.dim(`${'#'.padStart(numW)}  ${'TIME'.padEnd(timeW)}  ${'ACTOR'.padEnd(actorW)}  ACTION`));
  const max = opts.maxSteps ?? Infinity;
  const head = steps.length > max ? Math.ceil(max / 2) : steps.length;
  const tail = steps.length > max ? Math.floor(max / 2) : 0;
  const violationStep = timeline.violation?.step;
  steps.forEach((s, i) => {
    if (i === head && head < steps.length - tail) lines.push(st.dim(`${indent}... ${steps.length - head - tail} more steps ...`));
    if (i >= head && i < steps.length - tail) return;
    const action = actionWithoutActor(s.id, s.actor);
    const marked = s.step === violationStep ? st.red(st.bold(action)) : st.bold(action);
    lines.push(`${String(s.step).padStart(numW)}  ${seconds(s.clock).padEnd(timeW)}  ${st.cyan(s.actor.padEnd(actorW))}  ${marked}`);
    for (const n of s.notes) lines.push(`${indent}${st.dim('→')} ${withoutEffect(n, s.id)}`);
    if (s.changed.length) lines.push(`${indent}${st.yellow('changed:')} ${s.changed.join(', ')}`);
  });
  return lines;
}

/** The violation part: the property and message, or that the property held on this replay. */
export function renderVerdict(timeline: Timeline, st: Style = plain): string[] {
  const v = timeline.violation;
  const r = timeline.recorded;
  if (!v) return [st.green(`✓ no violation on this replay: ${r.property} holds (the trace recorded a violation after step ${r.step})`)];
  const lines = [st.red(st.bold(`✗ ${describeViolation(v)}:`)), `  ${v.message}`];
  // The model's name for this failure and the final-state facts that make it that.
  if (v.classification) lines.push(st.bold(`  class: ${v.classification.label}`), ...v.classification.evidence.map((e) => `    - ${e}`));
  if (v.property !== r.property || v.step !== r.step) lines.push(st.yellow(`  (the trace recorded ${describeViolation(r)})`));
  return lines;
}

/**
 * The final state of a timeline as text lines: a kubectl-style table (`kubectl get subnets`)
 * for every kind seen in the run, then the external systems.
 *
 * @example
 * ```ts
 * console.log(renderState(timeline).join('\n'));
 * ```
 *
 * @category Reports
 */
export function renderState(timeline: Timeline, st: Style = plain): string[] {
  const world = timeline.final;
  const lines = [st.bold(`Final state (simulated time ${seconds(world.clock)}):`)];
  for (const t of tablesOf(world.api.objects, kindsOf(timeline), { clock: world.clock }, world.api.kinds)) {
    lines.push('', formatTable(t, { bold: st.bold }));
  }
  const ext = Object.keys(world.externals).sort();
  if (ext.length) {
    lines.push('', st.bold('External systems:'));
    for (const name of ext) lines.push(`  ${name}: ${JSON.stringify(world.externals[name])}`);
  }
  return lines;
}

/**
 * The text report of a replayed counterexample: numbered steps (time, actor, action, API
 * results and handler notes, objects changed), the violated property and its message, then
 * the final state as kubectl-style tables and the external systems — what `kuberace replay`
 * prints.
 *
 * @example
 * ```ts
 * process.stdout.write(renderText(timelineOf(model, readTraceFile('x.json')), { style: ansi }));
 * ```
 *
 * @category Reports
 */
export function renderText(timeline: Timeline, opts: TextOptions = {}): string {
  const st = opts.style ?? plain;
  const scenario = timeline.scenarioName ? `scenario ${timeline.scenarioName}` : 'generated scenario';
  const lines = [st.bold(`${timeline.model}/${timeline.variant}, ${scenario}: ${timeline.steps.length} step${timeline.steps.length === 1 ? '' : 's'}`), ''];
  lines.push(...renderSteps(timeline, opts), '', ...renderVerdict(timeline, st));
  if (!opts.noState) lines.push('', ...renderState(timeline, st));
  return `${lines.join('\n')}\n`;
}
