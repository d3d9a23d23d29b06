/** A real Kube-OVN counterexample (v1.12.28, single-network) as a report timeline, for the HTML report tests. */
import type { StoredObject } from '../../src/api/types.ts';
import { checkRandom } from '../../src/check/random.ts';
import { contextFor, target } from '../../src/check/context.ts';
import { buildTimeline, type Timeline } from '../../src/report/timeline.ts';
import type { TraceFile } from '../../src/trace/format.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';

export function kubeOvnTrace(): TraceFile {
  const r = checkRandom(kubeOvnModel, { variant: 'v1.12.28', scenario: 'single-network', numRuns: 100, seed: 1 });
  if (!r.counterexample) throw new Error(`expected a Kube-OVN v1.12.28 counterexample, got ${r.result}`);
  return r.counterexample;
}

export function timelineOf(trace: TraceFile): Timeline {
  const t = target(kubeOvnModel, { variant: trace.variant, engine: trace.engine });
  const ctx = contextFor(t, trace.scenario);
  return buildTimeline({ ...ctx, scenarioName: trace.scenarioName }, trace);
}

export function kubeOvnTimeline(): Timeline {
  return timelineOf(kubeOvnTrace());
}

export const EVIL_NAME = '<img src=x onerror="window.__xss=1">';
export const EVIL_NOTE = '</script><script>window.__xss=2</script><!--';

/** The timeline with a hostile IP object in every step and hostile text in notes, ids and the message. */
export function withEvilObject(tl: Timeline): Timeline {
  const evil: StoredObject = {
    apiVersion: 'kubeovn.io/v1',
    kind: 'IP',
    metadata: {
      name: EVIL_NAME,
      uid: 'u-evil',
      resourceVersion: '1',
      generation: 1,
      creationTimestamp: '2025-01-01T00:00:00Z',
      finalizers: ['<b>fin</b>'],
    },
    spec: { v4IpAddress: '<svg onload=alert(1)>', subnet: "s1' onmouseover='x" },
  };
  const key = `IP/${EVIL_NAME}`;
  return {
    ...tl,
    initial: { ...tl.initial, objects: { ...tl.initial.objects, [key]: evil } },
    steps: tl.steps.map((s, i) => ({
      ...s,
      id: i === 0 ? `${s.id} <i>${EVIL_NOTE}</i>` : s.id,
      actor: i === 0 ? `<u>user</u>` : s.actor,
      notes: i === 0 ? [...s.notes, EVIL_NOTE] : s.notes,
      changed: i === 0 ? [...s.changed, key].sort() : s.changed,
      objects: { ...s.objects, [key]: evil },
    })),
    violation: tl.violation && { ...tl.violation, message: `${tl.violation.message} ${EVIL_NOTE}` },
  };
}
