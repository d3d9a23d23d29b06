/**
 * The HTML viewer's controller state, without a browser: the embedded data (informer caches
 * against the API server, watch events, queues, in-flight handlers, locks, memory, field
 * diffs of writes, the objects the violation names) of a real Kube-OVN counterexample, and the
 * viewer's script run over a minimal fake DOM, stepped to the violation (the real browser
 * test is test/e2e/html-report.test.ts, which needs Chromium).
 */
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HtmlData, htmlData, renderHtml } from '../../src/report/html.ts';
import { fieldDiff, objectsNamed } from '../../src/report/html-state.ts';
import type { Timeline } from '../../src/report/timeline.ts';
import { kubeOvnTimeline } from '../e2e/kube-ovn-timeline.ts';
import { hostileTimeline, obj } from './fixtures.ts';

function embedded(html: string): HtmlData {
  const m = /<script type="application\/json" id="kuberace-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]!) as HtmlData;
}

let timeline: Timeline;
let data: HtmlData;
beforeAll(() => {
  timeline = kubeOvnTimeline();
  data = htmlData(timeline);
});

const stepOf = (id: string) => {
  const i = data.steps.findIndex((s) => s.id === id);
  expect(i, id).toBeGreaterThanOrEqual(0);
  return data.steps[i];
};
const ctrlAt = (s: HtmlData['steps'][number]) => data.ctrls[s.controllers[0]];

describe('embedded controller state', () => {
  it('is in the page as built: one view per controller at every step, interned', () => {
    expect(embedded(renderHtml(timeline))).toEqual(JSON.parse(JSON.stringify(data)));
    expect(data.initial.controllers).toHaveLength(1);
    for (const s of data.steps) expect(s.controllers).toHaveLength(1);
    expect(data.ctrls[data.initial.controllers[0]].name).toBe('kube-ovn-controller');
    expect(data.ctrls.length).toBeLessThanOrEqual(data.steps.length + 1);
  });

  it('shows the informer cache lagging the API server, with the field diff, and the pending event', () => {
    const del = stepOf('admin: delete Subnet/s1');
    const c = ctrlAt(del);
    const subnets = c.informers.find((i) => i.kind === 'Subnet')!;
    const s1 = subnets.entries.find((e) => e.key === 'Subnet/s1')!;
    expect(s1.state).toBe('stale');
    expect(Number(s1.serverRv)).toBeGreaterThan(Number(s1.cacheRv));
    expect(s1.diff!.find((d) => d.path === 'metadata.deletionTimestamp')).toMatchObject({ new: expect.any(String) });
    expect(s1.diff!.find((d) => d.path === 'metadata.deletionTimestamp')).not.toHaveProperty('old');
    expect(subnets.pending).toEqual(['MODIFIED Subnet/s1']);
    // Once delivered, the cache is in sync again.
    const delivered = ctrlAt(stepOf('deliver Subnet/s1 MODIFIED -> kube-ovn-controller'));
    expect(delivered.informers.find((i) => i.kind === 'Subnet')!.entries.find((e) => e.key === 'Subnet/s1')!.state).toBe('in-sync');
  });

  it('shows work queues, in-flight handlers with the effect they wait at, and locks', () => {
    const queued = ctrlAt(stepOf('deliver Pod/vm/p1 ADDED -> kube-ovn-controller'));
    expect(queued.queues.find((q) => q.name === 'addOrUpdatePodQueue')!.waiting).toEqual(['vm/p1']);
    const locked = data.steps.map(ctrlAt).find((c) => c.inflight.some((f) => f.pending.startsWith('CALL ovn-nb.createLogicalSwitchPort')))!;
    expect(locked.inflight[0]).toMatchObject({ handler: 'handleAddOrUpdatePod', key: 'vm/p1', where: 'queue addOrUpdatePodQueue' });
    expect(Object.keys(locked.locks)).toEqual(['podKeyMutex/vm/p1']);
    expect(locked.locks['podKeyMutex/vm/p1']).toBe(locked.inflight[0].id);
  });

  it('shows controller memory (interned with the externals)', () => {
    const last = ctrlAt(data.steps.at(-1)!);
    expect(data.exts[last.memory]).toMatchObject({ startupGcDone: true });
    expect(Object.keys(data.exts[last.memory] as object)).toEqual(expect.arrayContaining(['ipam', 'deletingPods']));
  });

  it('has a field-level diff for every object a step modified', () => {
    for (const [i, s] of data.steps.entries()) {
      const prev = i === 0 ? timeline.initial.objects : timeline.steps[i - 1].objects;
      const now = timeline.steps[i].objects;
      const modified = s.changed.filter((k) => prev[k] && now[k]);
      expect(Object.keys(s.diffs).sort()).toEqual(modified.sort());
      for (const k of modified) expect(s.diffs[k]).toEqual(fieldDiff(prev[k], now[k]));
    }
    const patch = data.steps.find((s) => s.id.includes('PATCH IP/p1.vm') && s.diffs['IP/p1.vm'])!;
    expect(patch.diffs['IP/p1.vm'].map((d) => d.path)).toContain('metadata.finalizers');
  });

  it('names the violating object', () => {
    expect(data.violation!.message).toMatch(/^IP p1\.vm /);
    expect(data.violating).toEqual(['IP/p1.vm']);
  });

  it('a hand-made timeline without worlds has no controller views', () => {
    const d = htmlData(hostileTimeline());
    expect(d.ctrls).toEqual([]);
    expect(d.steps.every((s) => s.controllers.length === 0)).toBe(true);
  });
});

describe('fieldDiff and objectsNamed', () => {
  it('fieldDiff: nested paths, added and removed fields, arrays whole', () => {
    expect(fieldDiff({ a: { b: 1, c: [1] }, d: 1 }, { a: { b: 2, c: [1, 2] }, e: 'x' })).toEqual([
      { path: 'a.b', old: 1, new: 2 },
      { path: 'a.c', old: [1], new: [1, 2] },
      { path: 'd', old: 1 },
      { path: 'e', new: 'x' },
    ]);
    expect(fieldDiff({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it('objectsNamed: Kind/ns/name, Kind name, kind ns/name; not a prefix of a longer name', () => {
    const objects = {
      'IP/p1.vm': obj('IP', 'p1.vm'),
      'IP/p1': obj('IP', 'p1'),
      'Pod/vm/p1': obj('Pod', 'p1', { namespace: 'vm' }),
      'Subnet/s1': obj('Subnet', 's1'),
      'Subnet/s10': obj('Subnet', 's10'),
    };
    expect(objectsNamed('IP p1.vm (10.16.0.2) outlive(s) pod vm/p1 and subnet s1', objects)).toEqual(['IP/p1.vm', 'Pod/vm/p1', 'Subnet/s1']);
    expect(objectsNamed('stuck: Subnet/s10 finalizers=[x]', objects)).toEqual(['Subnet/s10']);
    expect(objectsNamed('nothing here about p1', objects)).toEqual([]);
  });
});

/** A minimal DOM: what the viewer's script calls, nothing more. */
class FakeNode {
  children: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  className = '';
  hidden = false;
  disabled = false;
  title = '';
  colSpan = 1;
  attrs: Record<string, string> = {};
  listeners: Record<string, ((ev: unknown) => void)[]> = {};
  #text = '';
  constructor(
    readonly tagName: string,
    readonly id = '',
  ) {}
  get firstChild(): FakeNode | null {
    return this.children[0] ?? null;
  }
  get textContent(): string {
    return this.children.length ? this.children.map((c) => c.textContent).join('') : this.#text;
  }
  set textContent(t: string) {
    this.children = [];
    this.#text = String(t);
  }
  get classList() {
    const list = () => this.className.split(/\s+/).filter(Boolean);
    return {
      add: (c: string) => void (this.className = [...new Set([...list(), c])].join(' ')),
      remove: (c: string) => void (this.className = list().filter((x) => x !== c).join(' ')),
      contains: (c: string) => list().includes(c),
    };
  }
  appendChild(c: FakeNode): FakeNode {
    c.parentNode = this;
    this.children.push(c);
    return c;
  }
  removeChild(c: FakeNode): FakeNode {
    this.children = this.children.filter((x) => x !== c);
    return c;
  }
  setAttribute(k: string, v: string) {
    this.attrs[k] = String(v);
  }
  getAttribute(k: string) {
    return this.attrs[k] ?? null;
  }
  removeAttribute(k: string) {
    delete this.attrs[k];
  }
  addEventListener(type: string, f: (ev: unknown) => void) {
    (this.listeners[type] ??= []).push(f);
  }
  fire(type: string, ev: Record<string, unknown> = {}) {
    for (const f of this.listeners[type] ?? []) f({ target: this, preventDefault() {}, ...ev });
  }
  querySelector(sel: string): FakeNode | null {
    return this.all().find((n) => sel.startsWith('.') && n.classList.contains(sel.slice(1))) ?? null;
  }
  scrollIntoView() {}
  all(): FakeNode[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
}

function runViewer(html: string, d: HtmlData) {
  const byId = new Map<string, FakeNode>();
  const document = {
    body: new FakeNode('body'),
    listeners: {} as Record<string, ((ev: unknown) => void)[]>,
    getElementById(id: string) {
      if (!byId.has(id)) byId.set(id, new FakeNode('div', id));
      return byId.get(id)!;
    },
    querySelectorAll(sel: string) {
      expect(sel).toBe('#steps li.step');
      return items;
    },
    createElement: (tag: string) => new FakeNode(tag),
    createTextNode: (t: string) => {
      const n = new FakeNode('#text');
      n.textContent = t;
      return n;
    },
    addEventListener(type: string, f: (ev: unknown) => void) {
      (this.listeners[type] ??= []).push(f);
    },
  };
  const items = [0, ...d.steps.map((s) => s.step)].map((n) => {
    const li = new FakeNode('li');
    li.className = 'step';
    li.setAttribute('data-step', String(n));
    const actor = new FakeNode('span');
    actor.className = 'actor actor-0';
    li.appendChild(actor);
    return li;
  });
  document.getElementById('kuberace-data').textContent = /<script type="application\/json" id="kuberace-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  const script = html.slice(html.lastIndexOf('<script>') + '<script>'.length, html.lastIndexOf('</script>'));
  vm.runInNewContext(script, { document, history: { replaceState() {} }, location: { hash: '' } });
  const $ = (id: string) => document.getElementById(id);
  const key = (k: string) => {
    for (const f of document.listeners.keydown ?? []) f({ key: k, preventDefault() {} });
  };
  return { $, key, step: () => Number(document.body.getAttribute('data-step')) };
}

describe('the viewer script over a fake DOM', () => {
  it('renders the controller sections per step and highlights the violating object at the violation', () => {
    const html = renderHtml(timeline);
    const d = embedded(html);
    const { $, key, step } = runViewer(html, d);
    expect(step()).toBe(0);
    expect($('controllers').textContent).toContain('kube-ovn-controller');
    // To the subnet delete: the stale cache entry and its diff are shown.
    const del = d.steps.findIndex((s) => s.id === 'admin: delete Subnet/s1') + 1;
    for (let i = 0; i < del; i++) $('next').fire('click');
    expect(step()).toBe(del);
    const ctl = $('controllers');
    const stale = ctl.all().find((n) => n.classList.contains('stale') && n.getAttribute('data-key') === 'Subnet/s1');
    expect(stale, ctl.textContent).toBeDefined();
    expect(stale!.textContent).toContain('STALE');
    expect(ctl.textContent).toContain('metadata.deletionTimestamp: <absent> \u2192 ');
    expect(ctl.textContent).toContain('MODIFIED Subnet/s1');
    expect($('changes').textContent).toContain('metadata.deletionTimestamp: <absent> \u2192 ');
    // At the violation ('v'): the banner names the object and its row is highlighted.
    key('v');
    expect(step()).toBe(d.violation!.step);
    expect($('violation-banner').hidden).toBe(false);
    expect($('violation-banner').textContent).toContain('objects named: IP/p1.vm (highlighted)');
    const row = $('objects').all().find((n) => n.getAttribute('data-key') === 'IP/p1.vm')!;
    expect(row.classList.contains('violating')).toBe(true);
    // One step earlier it is not highlighted.
    $('prev').fire('click');
    expect($('objects').all().find((n) => n.getAttribute('data-key') === 'IP/p1.vm')!.classList.contains('violating')).toBe(false);
    // In-flight handlers and locks appear where they are held.
    const held = d.steps.findIndex((s) => d.ctrls[s.controllers[0]].inflight.some((f) => f.pending.startsWith('CALL ovn-nb.createLogicalSwitchPort'))) + 1;
    key('Home');
    for (let i = 0; i < held; i++) key('ArrowRight');
    expect($('controllers').textContent).toContain('handleAddOrUpdatePod');
    expect($('controllers').textContent).toContain('podKeyMutex/vm/p1');
  });
});
