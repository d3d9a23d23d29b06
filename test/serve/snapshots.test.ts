/**
 * The replayed states `kuberace serve` answers from agree with the report timeline of the same
 * trace, and its watch events rebuild every state from nothing (W1 types; D6 for DELETED).
 */
import { describe, expect, it } from 'vitest';
import { models } from '../../models/index.ts';
import { emptyApiState } from '../../src/api/server.ts';
import type { StoredObject } from '../../src/api/types.ts';
import { timelineOf } from '../../src/cli/common.ts';
import { eventsBetween } from '../../src/serve/snapshots.ts';
import { loadTrace, served } from './helpers.ts';

describe('served states', () => {
  const trace = loadTrace();
  const s = served(trace);
  const timeline = timelineOf(models[trace.model], trace);

  it('step 0 is the setup and step n the state after the n-th step of the report timeline', () => {
    expect(s.steps.length).toBe(timeline.steps.length + 1);
    expect(s.steps[0].api.objects).toEqual(timeline.initial.objects);
    timeline.steps.forEach((t, i) => {
      expect(s.steps[i + 1].id).toBe(t.id);
      expect(s.steps[i + 1].api.objects).toEqual(t.objects);
      expect(s.steps[i + 1].clock).toBe(t.clock);
    });
    expect(s.kinds.map((k) => k.kind)).toEqual(Object.keys(timeline.final.api.kinds).sort());
    expect(s.kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['IP', 'Namespace', 'Pod', 'Subnet']));
  });

  it('applying the events in order rebuilds the objects of every step', () => {
    const objects = new Map<string, StoredObject>();
    const key = (o: StoredObject) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    let e = 0;
    for (const st of s.steps) {
      for (; e < s.events.length && s.events[e].step === st.step; e++) {
        const ev = s.events[e];
        if (ev.type === 'DELETED') expect(objects.delete(key(ev.object))).toBe(true);
        else {
          expect(objects.has(key(ev.object))).toBe(ev.type === 'MODIFIED');
          objects.set(key(ev.object), ev.object);
        }
      }
      expect(Object.fromEntries([...objects].sort(([a], [b]) => (a < b ? -1 : 1)))).toEqual(st.api.objects);
    }
    expect(e).toBe(s.events.length);
    expect(s.events.some((ev) => ev.type === 'DELETED')).toBe(true);
  });

  it('eventsBetween: ADDED and MODIFIED in RV order, DELETED last with the last state at the new RV', () => {
    const meta = (name: string, rv: number) => ({ name, uid: name, resourceVersion: String(rv), creationTimestamp: '2025-01-01T00:00:00Z', generation: 0 });
    const cm = (name: string, rv: number, data = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...meta(name, rv), namespace: 'ns' }, data }) as StoredObject;
    const before = { ...emptyApiState(), rv: 3, objects: { 'ConfigMap/ns/a': cm('a', 1), 'ConfigMap/ns/b': cm('b', 2), 'ConfigMap/ns/c': cm('c', 3) } };
    const after = { ...before, rv: 6, objects: { 'ConfigMap/ns/b': cm('b', 5, { x: '1' }), 'ConfigMap/ns/c': before.objects['ConfigMap/ns/c'], 'ConfigMap/ns/d': cm('d', 4) } };
    const evs = eventsBetween(before, after, 7);
    expect(evs.map((e) => [e.step, e.type, e.object.metadata.name, e.object.metadata.resourceVersion])).toEqual([
      [7, 'ADDED', 'd', '4'],
      [7, 'MODIFIED', 'b', '5'],
      [7, 'DELETED', 'a', '6'],
    ]);
    expect(evs[2].object.metadata.uid).toBe('a');
    expect(eventsBetween(before, before, 1)).toEqual([]);
  });
});
