import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type HtmlData, escapeHtml, jsonForScript, renderHtml } from '../../src/report/html.ts';
import type { Timeline } from '../../src/report/timeline.ts';
import type { TraceFile } from '../../src/trace/format.ts';
import { EVIL_NAME, EVIL_NOTE, kubeOvnTrace, timelineOf, withEvilObject } from '../e2e/kube-ovn-timeline.ts';

/** The JSON embedded in the page, parsed back. */
function embedded(html: string): HtmlData {
  const m = /<script type="application\/json" id="kuberace-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'embedded data script').not.toBeNull();
  return JSON.parse(m![1]!) as HtmlData;
}

describe('renderHtml', () => {
  let trace: TraceFile;
  let timeline: Timeline;
  let html: string;
  beforeAll(() => {
    trace = kubeOvnTrace();
    timeline = timelineOf(trace);
    html = renderHtml(timeline);
  });

  it('is deterministic: the same timeline (even replayed again) gives byte-identical HTML', () => {
    expect(renderHtml(timeline)).toBe(html);
    expect(renderHtml(timelineOf(trace))).toBe(html);
    // No wall clock: rendering at another (faked) time gives the same bytes.
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2001-02-03T04:05:06Z'));
      const early = renderHtml(timeline);
      vi.setSystemTime(new Date('2042-12-31T23:59:59Z'));
      expect(renderHtml(timeline)).toBe(early);
      expect(early).toBe(html);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is one self-contained document: no external resources, a strict CSP matching its own script and style', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!.replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t, 'utf8').digest('base64')}'`;
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.match(/<\/script/g)).toHaveLength(2);
  });

  it('embeds every step with its notes, changes, objects and externals', () => {
    const data = embedded(html);
    expect(data.model).toBe('kube-ovn');
    expect(data.variant).toBe('v1.12.28');
    expect(data.scenarioName).toBe('single-network');
    expect(data.steps).toHaveLength(timeline.steps.length);
    expect(timeline.steps.length).toBe(trace.steps.length);
    data.steps.forEach((s, i) => {
      const t = timeline.steps[i]!;
      expect(s).toMatchObject({ step: t.step, id: t.id, actor: t.actor, notes: t.notes, changed: t.changed, clock: t.clock });
      expect(s.id).toBe(trace.steps[i]);
      const objects = Object.fromEntries(Object.entries(s.objects).map(([k, j]) => [k, data.objs[j]]));
      expect(objects).toEqual(JSON.parse(JSON.stringify(t.objects)));
      expect(data.exts[s.ext]).toEqual(JSON.parse(JSON.stringify(t.externals)));
    });
    const initial = Object.fromEntries(Object.entries(data.initial.objects).map(([k, j]) => [k, data.objs[j]]));
    expect(initial).toEqual(JSON.parse(JSON.stringify(timeline.initial.objects)));
    // Interning: an object unchanged between steps is stored once.
    expect(data.objs.length).toBeLessThan(data.steps.reduce((n, s) => n + Object.keys(s.objects).length, 0));
    for (const s of timeline.steps) expect(html).toContain(escapeHtml(s.id));
  });

  it('marks the violating step and names the violated property at the top', () => {
    const v = timeline.violation!;
    expect(v.property).toBe('ip-outlives-pod-and-subnet');
    const marked = [...html.matchAll(/<li class="([^"]*)" id="step-(\d+)"/g)].filter((m) => m[1]!.split(' ').includes('violation'));
    expect(marked.map((m) => Number(m[2]))).toEqual([v.step]);
    const header = /<header[\s\S]*?<\/header>/.exec(html)![0];
    expect(header).toContain(`<code id="property">${v.property}</code>`);
    expect(header).toContain('VIOLATED');
    expect(header).toContain(escapeHtml(v.message));
    expect(embedded(html).violation).toEqual({ property: v.property, kind: v.kind, message: v.message, step: v.step, classification: v.classification });
    // The model's class of the counterexample and its evidence, in the header.
    expect(v.classification?.label).toBe('scenario A');
    expect(header).toContain('class: <strong>scenario A</strong>');
    expect(header).toContain(escapeHtml(v.classification!.evidence[0]));
    // One list item per step plus the initial state.
    expect(html.match(/<li class="step/g)).toHaveLength(timeline.steps.length + 1);
  });

  it('says when the recorded violation no longer reproduces', () => {
    const holds = renderHtml({ ...timeline, violation: undefined });
    expect(holds).toContain('NOT REPRODUCED');
    expect(holds).not.toMatch(/<li class="[^"]*\bviolation\b/);
    expect(holds).toMatch(new RegExp(`<li class="[^"]*\\brecorded\\b[^"]*" id="step-${timeline.recorded.step}"`));
    expect(embedded(holds).violation).toBeNull();
  });

  it('escapes hostile object names, notes, ids and messages (no markup, no script break-out)', () => {
    const evil = renderHtml(withEvilObject(timeline));
    expect(evil).not.toContain('<img');
    expect(evil).not.toContain('<svg');
    expect(evil).not.toContain('<b>fin');
    expect(evil).not.toContain('<i>');
    expect(evil).not.toContain('<u>');
    expect(evil).not.toContain('<!--');
    expect(evil.match(/<script\b/g)).toHaveLength(2);
    expect(evil.match(/<\/script/g)).toHaveLength(2);
    expect(evil).toContain('&#60;u&#62;user&#60;/u&#62;');
    // The data survives the escaping intact.
    const data = embedded(evil);
    expect(data.objs.some((o) => o.metadata.name === EVIL_NAME)).toBe(true);
    expect(data.steps[0]!.notes).toContain(EVIL_NOTE);
    expect(data.violation!.message.endsWith(EVIL_NOTE)).toBe(true);
  });

  it('jsonForScript and escapeHtml', () => {
    expect(jsonForScript({ a: '</script><!-- & \u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}');
    expect(JSON.parse(jsonForScript({ a: '</script>\u2029' }))).toEqual({ a: '</script>\u2029' });
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});
