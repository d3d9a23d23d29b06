/**
 * A replayed counterexample as a Mermaid sequence diagram, for GitHub issues and Markdown docs.
 *
 * Participants, left to right: the user actors (and the cluster's system actors such as the
 * kubelet), the API server, each controller's informers and then its work queues (a queue
 * stands for its handler), and the external systems the handlers call. Each step is one
 * arrow numbered with its step, its API result the reply arrow; handler log lines, locks and
 * clock or fault steps are notes; the violation is a highlighted note at the end.
 *
 * Every piece of text goes through {@link mermaidText}: characters Mermaid gives meaning to
 * (`#`, `;`, `<`, `>`, quotes, line breaks) become entity codes, so names from a trace cannot
 * break or inject into the diagram.
 */
import type { Timeline, TimelineStep } from './timeline.ts';

/**
 * Escape text for a Mermaid message or note; with `label`, for a participant label, where
 * `:` and `,` are escaped too.
 */
export function mermaidText(text: string, label = false): string {
  const special = label ? /[#;<>"&:,{}|%`]/g : /[#;<>"&{}|%`]/g;
  return text.replace(/[\r\n\t]+/g, ' ').replace(special, (c) => {
    switch (c) {
      case '<':
        return '#lt;';
      case '>':
        return '#gt;';
      case '"':
        return '#quot;';
      case '&':
        return '#amp;';
      default:
        return `#${c.charCodeAt(0)};`;
    }
  });
}

const messageText = (text: string) => mermaidText(text);

/** Break a long note into lines of about `width` characters (joined by `<br/>`, after escaping). */
function wrap(text: string, width = 72): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.map(messageText).join('<br/>');
}

type Parsed =
  | { readonly type: 'actor'; readonly actor: string; readonly text: string }
  | { readonly type: 'deliver'; readonly controller: string; readonly text: string }
  | { readonly type: 'handler'; readonly controller: string; readonly queue: string; readonly call: string; readonly effect: string; readonly fail: boolean }
  | { readonly type: 'global'; readonly text: string };

const HANDLER = /^([^/:\s]+)\/([^:]+): (\S+?\(.*\)) (.+?)( !fail)?$/;
const DELIVER = /^deliver (.+) -> (\S+)$/;
/** Start-up and periodic tasks: `ctrl/task: name begin`. */
const TASK = /^([^/:\s]+)\/([^:]+): (\S+) begin$/;
const API_EFFECT = /^(GET|LIST|CREATE|UPDATE|UPDATE-STATUS|PATCH|PATCH-STATUS|DELETE) /;
const CALL = /^CALL ([^.(\s]+)\.(.+)$/;

function parse(s: TimelineStep): Parsed {
  const h = HANDLER.exec(s.id);
  if (h && (s.actor === h[1] || s.actor === 'fault')) {
    return { type: 'handler', controller: h[1], queue: h[2], call: h[3], effect: h[4], fail: !!h[5] };
  }
  const t = TASK.exec(s.id);
  if (t && s.actor === t[1]) return { type: 'handler', controller: t[1], queue: t[2], call: t[3], effect: 'begin', fail: false };
  const d = DELIVER.exec(s.id);
  if (d && d[2] === s.actor) return { type: 'deliver', controller: d[2], text: d[1] };
  if (s.actor === 'clock' || s.actor === 'fault') return { type: 'global', text: s.id };
  const text = s.id.startsWith(`${s.actor}: `) ? s.id.slice(s.actor.length + 2) : s.id;
  return { type: 'actor', actor: s.actor, text };
}

/** The result part of an effect note (`PATCH IP/x -> ok (rv 15)` -> `ok (rv 15)`). */
function resultOf(effect: string, notes: readonly string[]): { result?: string; rest: string[] } {
  const prefix = `${effect} -> `;
  const i = notes.findIndex((n) => n.startsWith(prefix));
  if (i < 0) return { rest: [...notes] };
  return { result: notes[i].slice(prefix.length), rest: notes.filter((_, j) => j !== i) };
}

/**
 * Options of {@link renderMermaid}: the highlight colour of the violation note.
 *
 * @example
 * ```ts
 * const opts: MermaidOptions = { violationColor: 'rgb(255, 200, 200)' };
 * ```
 *
 * @category Reports
 */
export interface MermaidOptions {
  /** Highlight colour of the violation note (default a light red). */
  readonly violationColor?: string;
}

/**
 * A replayed counterexample as a Mermaid sequence diagram (source, no code fences): users,
 * the API server, informers, work queues and external systems as participants, one arrow per
 * request, the violation as a highlighted note.
 *
 * @example
 * ```ts
 * writeFileSync('race.mmd', renderMermaid(timelineOf(model, trace)));
 * ```
 *
 * @category Reports
 */
export function renderMermaid(timeline: Timeline, opts: MermaidOptions = {}): string {
  const parsed = timeline.steps.map((s) => ({ step: s, p: parse(s) }));
  // Participants in display order.
  const actors: string[] = [];
  const controllers: string[] = [];
  const queues = new Map<string, string[]>();
  const externals: string[] = [];
  const addTo = (list: string[], x: string) => {
    if (!list.includes(x)) list.push(x);
  };
  for (const { p } of parsed) {
    if (p.type === 'actor') addTo(actors, p.actor);
    if (p.type === 'deliver') addTo(controllers, p.controller);
    if (p.type === 'handler') {
      addTo(controllers, p.controller);
      const qs = queues.get(p.controller) ?? [];
      addTo(qs, p.queue);
      queues.set(p.controller, qs);
      const c = CALL.exec(p.effect);
      if (c) addTo(externals, c[1]);
    }
  }
  const ids = new Map<string, string>();
  const lines: string[] = ['sequenceDiagram'];
  const participant = (key: string, label: string, kind: 'actor' | 'participant' = 'participant') => {
    const id = `P${ids.size}`;
    ids.set(key, id);
    lines.push(`  ${kind} ${id} as ${mermaidText(label, true)}`);
  };
  for (const a of actors) participant(`actor:${a}`, a, 'actor');
  participant('api', 'API server');
  for (const c of controllers) {
    participant(`informers:${c}`, `${c} informers`);
    for (const q of queues.get(c) ?? []) participant(`queue:${c}/${q}`, controllers.length > 1 ? `${c}/${q}` : q);
  }
  for (const e of externals) participant(`external:${e}`, e);
  const first = 'P0';
  const last = `P${ids.size - 1}`;
  const span = first === last ? first : `${first},${last}`;
  const note = (over: string, text: string) => lines.push(`  Note over ${over}: ${wrap(text)}`);

  for (const { step: s, p } of parsed) {
    const n = `${s.step}.`;
    switch (p.type) {
      case 'actor': {
        const a = ids.get(`actor:${p.actor}`)!;
        lines.push(`  ${a}->>P${actors.length}: ${messageText(`${n} ${p.text}`)}`);
        const [result, ...rest] = s.notes;
        if (result !== undefined) lines.push(`  P${actors.length}-->>${a}: ${messageText(result)}`);
        for (const r of rest) note(a, r);
        break;
      }
      case 'deliver': {
        const inf = ids.get(`informers:${p.controller}`)!;
        lines.push(`  P${actors.length}-)${inf}: ${messageText(`${n} ${p.text}`)}`);
        for (const r of s.notes) note(inf, r);
        break;
      }
      case 'handler': {
        const q = ids.get(`queue:${p.controller}/${p.queue}`)!;
        const fail = p.fail ? ' (injected failure)' : '';
        const call = CALL.exec(p.effect);
        if (API_EFFECT.test(p.effect) || call) {
          const to = call ? ids.get(`external:${call[1]}`)! : `P${actors.length}`;
          const { result, rest } = resultOf(p.effect, s.notes);
          lines.push(`  ${q}->>${to}: ${messageText(`${n} ${call ? call[2] : p.effect}${fail}`)}`);
          if (result !== undefined) lines.push(`  ${to}-->>${q}: ${messageText(result)}`);
          for (const r of rest) note(q, r);
        } else {
          note(q, `${n} ${p.effect === 'begin' ? `${p.call} begins` : `${p.call} ${p.effect}`}${fail}`);
          for (const r of s.notes) note(q, r);
        }
        break;
      }
      case 'global':
        note(span, `${n} ${p.text}`);
        for (const r of s.notes) note(span, r);
        break;
    }
  }
  const v = timeline.violation;
  lines.push(`  rect ${opts.violationColor ?? 'rgb(255, 228, 228)'}`);
  if (v) note(span, `✗ ${v.property} (${v.kind}) violated after step ${v.step}: ${v.message}`);
  else note(span, `✓ ${timeline.recorded.property} holds on this replay`);
  lines.push('  end');
  return `${lines.join('\n')}\n`;
}

/**
 * {@link renderMermaid}'s diagram in a fenced block, ready for a GitHub comment or a Markdown file.
 *
 * @example
 * ```ts
 * const comment = `Found by kuberace:\n\n${renderMermaidMarkdown(timelineOf(model, trace))}`;
 * ```
 *
 * @category Reports
 */
export function renderMermaidMarkdown(timeline: Timeline, opts: MermaidOptions = {}): string {
  return `\`\`\`mermaid\n${renderMermaid(timeline, opts)}\`\`\`\n`;
}
