/**
 * The HTML report: one self-contained file (inline CSS and JS, no network) to step through a
 * counterexample. The timeline is embedded as JSON; the page shows the step list (the violating
 * step marked), the notes of the selected step, what it changed (field by field), the objects at
 * that step as kubectl-like tables per kind (those the violation names highlighted at the
 * violation step), each controller's view — informer caches against the API server, pending
 * watch events, work queues, in-flight handlers, locks, memory (./html-state.ts) — and the
 * external systems' state.
 *
 * Output is a pure function of the timeline: the same timeline gives byte-identical HTML.
 * All text from the trace reaches the page escaped (static parts) or through `textContent`
 * (the viewer), and a Content-Security-Policy allows only the page's own script and style,
 * by hash, and no network access.
 */
import { createHash } from 'node:crypto';
import { pluralOf } from '../api/kinds.ts';
import type { StoredObject } from '../api/types.ts';
import { kubeconfigPathFor } from '../serve/kubeconfig.ts';
import type { World } from '../engine/world.ts';
import { type ControllerView, type FieldChange, controllerViews, fieldDiff, objectsNamed } from './html-state.ts';
import { CSS, JS } from './html-assets.ts';
import type { Timeline } from './timeline.ts';
import type { Violation } from '../check/execute.ts';

/**
 * An extra kubectl-like column of the HTML report: a header and a dotted path into the object.
 *
 * @example
 * ```ts
 * const replicas: HtmlColumn = { header: 'REPLICAS', path: 'spec.replicas' };
 * ```
 *
 * @category Reports
 */
export interface HtmlColumn {
  readonly header: string;
  readonly path: string;
}

/**
 * Options of {@link renderHtml}: extra columns per kind and the trace file (for the
 * `kuberace serve` and kubectl commands the page shows per step).
 *
 * @example
 * ```ts
 * const opts: HtmlOptions = { traceFile: 'rs.json', columns: { ReplicaSet: [{ header: 'READY', path: 'status.readyReplicas' }] } };
 * ```
 *
 * @category Reports
 */
export interface HtmlOptions {
  /** Extra columns per kind, shown after NAME, FINALIZERS and DELETIONTIMESTAMP (default {@link DEFAULT_COLUMNS}). */
  readonly columns?: Readonly<Record<string, readonly HtmlColumn[]>>;
  /** The trace file, for the `kuberace serve` and kubectl commands shown per step (default `<trace.json>`). */
  readonly traceFile?: string;
}

/**
 * The HTML report's default extra columns: those of the kinds the bundled models use (the
 * printer columns `kubectl get` shows). Spread it to add your own.
 *
 * @example
 * ```ts
 * renderHtml(timeline, { columns: { ...DEFAULT_COLUMNS, ReplicaSet: [{ header: 'REPLICAS', path: 'spec.replicas' }] } });
 * ```
 *
 * @category Reports
 */
export const DEFAULT_COLUMNS: Readonly<Record<string, readonly HtmlColumn[]>> = {
  Subnet: [
    { header: 'PROVIDER', path: 'spec.provider' },
    { header: 'CIDR', path: 'spec.cidrBlock' },
    { header: 'V4USED', path: 'status.v4usingIPs' },
    { header: 'V4AVAILABLE', path: 'status.v4availableIPs' },
  ],
  IP: [
    { header: 'V4IP', path: 'spec.v4IpAddress' },
    { header: 'MAC', path: 'spec.macAddress' },
    { header: 'NODE', path: 'spec.nodeName' },
    { header: 'SUBNET', path: 'spec.subnet' },
  ],
  Pod: [
    { header: 'STATUS', path: 'status.phase' },
    { header: 'NODE', path: 'spec.nodeName' },
  ],
  Namespace: [{ header: 'STATUS', path: 'status.phase' }],
};

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON safe inside a `<script>` element: `<`, `>`, `&` and the JS line separators become
 * `\uXXXX` escapes, so neither `</script` nor `<!--` can occur in the output.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The embedded data (objects and externals interned: a step refers to them by index). */
export interface HtmlData {
  readonly format: 'kuberace-html/1';
  readonly model: string;
  readonly variant: string;
  readonly scenarioName: string | null;
  readonly violation: {
    readonly property: string;
    readonly kind: string;
    readonly message: string;
    readonly step: number;
    readonly classification?: { readonly label: string; readonly evidence: readonly string[] };
  } | null;
  readonly recorded: { readonly property: string; readonly kind: string; readonly message: string; readonly step: number };
  readonly columns: Readonly<Record<string, readonly HtmlColumn[]>>;
  /** How to look at a step with kubectl: the trace file, its kubeconfig and each kind's resource name. */
  readonly serve: { readonly trace: string; readonly kubeconfig: string; readonly plurals: Readonly<Record<string, string>> };
  readonly objs: readonly StoredObject[];
  readonly exts: readonly unknown[];
  /** Controller views (memory as an index into `exts`), interned by content: a step lists one index per controller. */
  readonly ctrls: readonly (Omit<ControllerView, 'memory'> & { readonly memory: number })[];
  /** Objects the violation names (message and classification evidence), highlighted at its step. */
  readonly violating: readonly string[];
  readonly initial: { readonly objects: Readonly<Record<string, number>>; readonly ext: number; readonly controllers: readonly number[] };
  readonly steps: readonly {
    readonly step: number;
    readonly id: string;
    readonly actor: string;
    readonly notes: readonly string[];
    readonly changed: readonly string[];
    /** Field-level changes of each object the step modified (created and deleted objects are shown whole). */
    readonly diffs: Readonly<Record<string, readonly FieldChange[]>>;
    readonly objects: Readonly<Record<string, number>>;
    readonly ext: number;
    readonly controllers: readonly number[];
    readonly clock: number;
  }[];
}

/** Build the embedded data. Objects are immutable and shared between steps, so interning by identity keeps the file small. */
export function htmlData(timeline: Timeline, opts: HtmlOptions = {}): HtmlData {
  const objs: StoredObject[] = [];
  const objIndex = new Map<StoredObject, number>();
  const exts: unknown[] = [];
  const extIndex = new Map<unknown, number>();
  const internObjects = (objects: Readonly<Record<string, StoredObject>>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const key of Object.keys(objects).sort()) {
      const o = objects[key]!;
      let i = objIndex.get(o);
      if (i === undefined) {
        i = objs.push(o) - 1;
        objIndex.set(o, i);
      }
      out[key] = i;
    }
    return out;
  };
  const internExt = (e: unknown): number => {
    let i = extIndex.get(e);
    if (i === undefined) {
      i = exts.push(e) - 1;
      extIndex.set(e, i);
    }
    return i;
  };
  const ctrls: HtmlData['ctrls'][number][] = [];
  const ctrlIndex = new Map<string, number>();
  const internControllers = (world: World | undefined): number[] =>
    world
      ? controllerViews(world).map((c) => {
          const view = { ...c, memory: internExt(c.memory) };
          const text = JSON.stringify(view);
          let i = ctrlIndex.get(text);
          if (i === undefined) {
            i = ctrls.push(view) - 1;
            ctrlIndex.set(text, i);
          }
          return i;
        })
      : [];
  const v = (x: Violation) => ({
    property: x.property,
    kind: x.kind,
    message: x.message,
    step: x.step,
    ...(x.classification ? { classification: { label: x.classification.label, evidence: [...x.classification.evidence] } } : {}),
  });
  const shown = timeline.violation;
  let violating: string[] = [];
  if (shown) {
    const at = shown.step === 0 ? timeline.initial.objects : (timeline.steps[shown.step - 1]?.objects ?? timeline.final.api.objects);
    const before = shown.step > 1 ? timeline.steps[shown.step - 2].objects : timeline.initial.objects;
    const text = [shown.message, ...(shown.classification?.evidence ?? [])].join('\n');
    violating = objectsNamed(text, { ...before, ...at });
  }
  const diffsOf = (changed: readonly string[], now: Readonly<Record<string, StoredObject>>, prev: Readonly<Record<string, StoredObject>>) => {
    const out: Record<string, FieldChange[]> = {};
    for (const k of changed) if (prev[k] && now[k]) out[k] = fieldDiff(prev[k], now[k]);
    return out;
  };
  return {
    format: 'kuberace-html/1',
    model: timeline.model,
    variant: timeline.variant,
    scenarioName: timeline.scenarioName ?? null,
    violation: timeline.violation ? v(timeline.violation) : null,
    recorded: v(timeline.recorded),
    columns: opts.columns ?? DEFAULT_COLUMNS,
    serve: {
      trace: opts.traceFile ?? '<trace.json>',
      kubeconfig: opts.traceFile ? kubeconfigPathFor(opts.traceFile) : '<trace.kubeconfig>',
      plurals: Object.fromEntries(Object.values(timeline.final.api.kinds).map((k) => [k.kind, pluralOf(k)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    },
    objs,
    exts,
    ctrls,
    violating,
    initial: { objects: internObjects(timeline.initial.objects), ext: internExt(timeline.initial.externals), controllers: internControllers(timeline.initial.world) },
    steps: timeline.steps.map((s, i) => ({
      step: s.step,
      id: s.id,
      actor: s.actor,
      notes: [...s.notes],
      changed: [...s.changed],
      diffs: diffsOf(s.changed, s.objects, i === 0 ? timeline.initial.objects : timeline.steps[i - 1].objects),
      objects: internObjects(s.objects),
      ext: internExt(s.externals),
      controllers: internControllers(s.world),
      clock: s.clock,
    })),
  };
}


function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** A stable small palette index per actor (sorted), emitted as CSS classes. */
function actorClasses(actors: readonly string[]): { css: string; cls: Map<string, string> } {
  const sorted = [...new Set(actors)].sort();
  const cls = new Map<string, string>();
  let css = '';
  sorted.forEach((a, i) => {
    const hue = Math.round((i * 137.508) % 360);
    cls.set(a, `actor-${i}`);
    css += `#steps .actor-${i}, #detail .actor-${i} { color: hsl(${hue} 60% 35%); }\n`;
  });
  return { css, cls };
}

/**
 * A replayed counterexample as one self-contained, deterministic HTML page (no network, strict
 * CSP) to step through: per step the action and notes, the field-level diff of each write, the
 * objects as kubectl-like tables (those the violation names highlighted at its step), each
 * controller's informer cache against the API server, pending watch events, work queues,
 * in-flight handlers, locks and memory, and the external systems.
 *
 * @example
 * ```ts
 * writeFileSync('race.html', renderHtml(timelineOf(model, readTraceFile('race.json')), { traceFile: 'race.json' }));
 * ```
 *
 * @category Reports
 */
export function renderHtml(timeline: Timeline, opts: HtmlOptions = {}): string {
  const data = htmlData(timeline, opts);
  const v = data.violation;
  const rec = data.recorded;
  const shown = v ?? rec;
  const total = data.steps.length;
  const actors = actorClasses(['setup', ...data.steps.map((s) => s.actor)]);
  const style = `${CSS}${actors.css}`;
  const csp = `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(JS)}; img-src data:; base-uri 'none'; form-action 'none'`;

  const where = (step: number) => (step === 0 ? 'in the initial world' : `after step ${step}`);
  const verdict = v
    ? `<span class="badge">VIOLATED</span> property <code id="property">${escapeHtml(v.property)}</code> (${escapeHtml(v.kind)}) ${where(v.step)}`
    : `<span class="badge">NOT REPRODUCED</span> property <code id="property">${escapeHtml(rec.property)}</code> holds on replay; the trace recorded a violation (${escapeHtml(rec.kind)}) ${where(rec.step)}`;
  const cls = v?.classification;
  const classLine = cls
    ? `<p class="verdict sub" id="classification">class: <strong>${escapeHtml(cls.label)}</strong>${cls.evidence.length ? ` — ${cls.evidence.map(escapeHtml).join('; ')}` : ''}</p>`
    : '';
  const differs = v && (v.property !== rec.property || v.step !== rec.step) ? `<p class="verdict sub">recorded in the trace: property <code>${escapeHtml(rec.property)}</code> ${where(rec.step)}: ${escapeHtml(rec.message)}</p>` : '';

  const stepItem = (n: number, actor: string, id: string, changes: boolean): string => {
    const cls = ['step'];
    if (changes) cls.push('has-changes');
    if (v && v.step === n) cls.push('violation');
    else if (!v && rec.step === n) cls.push('recorded');
    const mark = v && v.step === n ? ` <span class="vmark">\u2716 ${escapeHtml(v.property)}</span>` : '';
    return (
      `<li class="${cls.join(' ')}" id="step-${n}" data-step="${n}">` +
      `<span class="num">${n}</span><span class="actor ${actors.cls.get(actor)}">${escapeHtml(actor)}${mark}</span>` +
      `<span class="id">${escapeHtml(id)}</span></li>`
    );
  };
  const items = [stepItem(0, 'setup', 'initial state (after the scenario setup)', false), ...data.steps.map((s) => stepItem(s.step, s.actor, s.id, s.changed.length > 0))];

  const title = `kuberace: ${data.model}/${data.variant} \u2014 ${shown.property}`;
  const scenario = data.scenarioName ? ` \u00b7 scenario ${escapeHtml(data.scenarioName)}` : ' \u00b7 generated scenario';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="generator" content="kuberace">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<header id="summary" class="${v ? 'violated' : 'holds'}">
<h1>kuberace <span class="sub">\u00b7 ${escapeHtml(data.model)} ${escapeHtml(data.variant)}${scenario} \u00b7 ${total} step${total === 1 ? '' : 's'}</span></h1>
<p class="verdict">${verdict}</p>
<p id="message">${escapeHtml(shown.message)}</p>
${classLine}${differs}</header>
<main>
<nav id="steps-pane" aria-label="steps">
<div class="controls">
<button type="button" id="prev" title="previous step (\u2190)">\u25c0 Prev</button>
<span id="position">step 0 / ${total}</span>
<button type="button" id="next" title="next step (\u2192)">Next \u25b6</button>
<button type="button" id="jump-violation" title="go to the violating step (v)">Violation</button>
<span class="hint">\u2190/\u2192 or j/k step \u00b7 Home/End \u00b7 v violation</span>
</div>
<ol id="steps">
${items.join('\n')}
</ol>
</nav>
<section id="detail" aria-live="polite">
<h2><span id="detail-title">Initial state</span> \u00b7 <span id="detail-actor"></span></h2>
<div id="detail-id" class="mono"></div>
<div id="detail-meta"></div>
<div id="violation-banner" hidden></div>
<h3>Notes</h3>
<ul id="notes"></ul>
<h3>Changed by this step</h3>
<div id="changes"></div>
<h3>Objects</h3>
<div id="objects"><noscript>This viewer needs JavaScript.</noscript></div>
<h3>Controllers <span class="sub">informer caches vs the API server, watch events, work queues, in-flight handlers, locks, memory</span></h3>
<div id="controllers"></div>
<h3>With kubectl</h3>
<pre id="kubectl"></pre>
<h3>External systems <span id="externals-changed" class="tag" hidden>changed by this step</span></h3>
<pre id="externals"></pre>
</section>
</main>
<script type="application/json" id="kuberace-data">${jsonForScript(data)}</script>
<script>${JS}</script>
</body>
</html>
`;
}
