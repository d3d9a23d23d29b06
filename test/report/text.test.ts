import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderJson, timelineData } from '../../src/report/json.ts';
import { ansi, stripAnsi } from '../../src/report/style.ts';
import { actionWithoutActor, kindsOf, renderText, seconds } from '../../src/report/text.ts';
import { renderYaml } from '../../src/report/yaml.ts';
import { realTimeline } from './fixtures.ts';

describe('text report', () => {
  it('numbered timeline with time, actor, action, results and changed objects; then the violation; then kubectl tables', () => {
    const tl = realTimeline();
    const text = renderText(tl);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`kube-ovn/v1.12.28, scenario single-network: ${tl.steps.length} steps`);
    expect(lines[2]).toMatch(/^ *# {2}TIME +ACTOR +ACTION$/);
    expect(text).toMatch(/\n {1,2}1 {2}\d+\.\d{3}s +user +create Pod\/vm\/p1\n +→ ok \(rv \d+\)\n +changed: Pod\/vm\/p1\n/);
    // The result of an effect is shown without repeating the effect.
    expect(text).toMatch(/CREATE IP\/p1\.vm\n +→ ok \(rv \d+\)\n +changed: IP\/p1\.vm/);
    for (const s of tl.steps) expect(text).toMatch(new RegExp(`\\n *${s.step}  ${seconds(s.clock).replace('.', '\\.')} +`));
    const verdict = text.indexOf('✗ property ip-outlives-pod-and-subnet (atStable) violated after step');
    const state = text.indexOf('Final state (simulated time');
    expect(verdict).toBeGreaterThan(0);
    // The class of the counterexample, with the final-state evidence.
    expect(text).toMatch(/\n {2}class: scenario A\n {4}- IP p1\.vm \(10\.16\.0\.\d+\) finalizers=\[kube-ovn-controller\]: pod vm\/p1 gone, subnet s1 gone\n/);
    expect(state).toBeGreaterThan(verdict);
    expect(text.slice(state)).toMatch(/\$ kubectl get pods -A\nNo resources found\n\n\$ kubectl get subnets\nNo resources found\n\n\$ kubectl get ips\nNAME/);
    expect(text).toMatch(/External systems:\n {2}ovn-nb: \{/);
    expect(text).not.toMatch(/\u001b/);
  });

  it('colours only with the ANSI style, same text otherwise', () => {
    const tl = realTimeline();
    const coloured = renderText(tl, { style: ansi });
    expect(coloured).toMatch(/\u001b\[31m/);
    expect(stripAnsi(coloured)).toBe(renderText(tl));
  });

  it('elides the middle of long timelines and can leave out the state', () => {
    const text = renderText(realTimeline(), { maxSteps: 6, noState: true });
    expect(text).toMatch(/\.\.\. \d+ more steps \.\.\./);
    expect(text).not.toMatch(/kubectl get/);
  });

  it('helpers', () => {
    expect(actionWithoutActor('user: create Pod/a', 'user')).toBe('create Pod/a');
    expect(actionWithoutActor('ctl/q: h(k) begin', 'ctl')).toBe('q: h(k) begin');
    expect(actionWithoutActor('deliver X ADDED -> ctl', 'ctl')).toBe('deliver X ADDED -> ctl');
    expect(kindsOf(realTimeline()).sort()).toEqual(['IP', 'Namespace', 'Pod', 'Subnet']);
  });
});

describe('JSON and YAML reports', () => {
  it('the same data: per-step changed objects, final state as a List; YAML reads back equal', () => {
    const tl = realTimeline();
    const json = JSON.parse(renderJson(tl, { extra: 1 }));
    expect(json.extra).toBe(1);
    expect(json.format).toBe('kuberace-timeline/1');
    expect(json.steps).toHaveLength(tl.steps.length);
    const created = json.steps.find((s: { changed: string[] }) => s.changed.includes('IP/p1.vm'));
    expect(created.objects['IP/p1.vm'].kind).toBe('IP');
    expect(json.final.state).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(json.final.state.items.map((o: { kind: string }) => o.kind)).toContain('IP');
    expect(parseYaml(renderYaml(tl, { extra: 1 }))).toEqual(json);
    expect(JSON.parse(JSON.stringify(timelineData(tl)))).toEqual(JSON.parse(renderJson(tl)));
  });

  it('a removed object is null in its step; YAML quotes strings that would read as other types', () => {
    const tl = realTimeline();
    const data = timelineData(tl);
    const removal = data.steps.find((s) => Object.values(s.objects).some((o) => o === null));
    expect(removal).toBeDefined();
    const y = renderYaml(tl);
    expect(y).toMatch(/resourceVersion: "\d+"/);
    expect(y).not.toMatch(/&a\d|\*a\d/); // no anchors/aliases
  });
});
