/** YAML scenario files: the shipped issue-4898 file, both layouts, every operation, validation. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkScenarioKinds, looksLikeFile, parseScenarioText, readScenarioFile } from '../../src/cli/scenario-file.ts';
import { target } from '../../src/check/context.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { issue4898 } from '../../models/kube-ovn/scenarios.ts';

const kinds = target(kubeOvnModel).sim.initialWorld().api.kinds;

describe('scenario files', () => {
  it('scenarios/kube-ovn-issue-4898.yaml is exactly the model\'s issue-4898 scenario', () => {
    const sf = readScenarioFile('scenarios/kube-ovn-issue-4898.yaml', process.cwd());
    expect(sf.name).toBe('issue-4898');
    expect(sf.description).toMatch(/two attachments/);
    expect(isDeepStrictEqual(sf.scenario, JSON.parse(JSON.stringify(issue4898)))).toBe(true);
    checkScenarioKinds(sf, kinds, 'x.yaml');
  });

  it('a multi-document file: manifests go to setup, operation documents to ops, in order', () => {
    const sf = parseScenarioText(
      `apiVersion: v1
kind: Namespace
metadata: {name: vm}
---
apiVersion: kubeovn.io/v1
kind: Subnet
metadata: {name: s1}
spec: {cidrBlock: 10.16.0.0/28, gateway: 10.16.0.1, excludeIps: [10.16.0.1], provider: ovn, protocol: IPv4}
---
verb: create
actor: user
manifest: {apiVersion: v1, kind: Pod, metadata: {name: p1, namespace: vm, annotations: {ovn.kubernetes.io/logical_switch: s1}}}
---
verb: delete
manifest: {apiVersion: v1, kind: Pod, metadata: {name: p1, namespace: vm}}
options: {gracePeriodSeconds: 0}
---
verb: patch
actor: admin
kind: Subnet
name: s1
patch: {metadata: {labels: {team: a}}}
afterGone: [Pod/vm/p1]
whenIdle: true
`,
      'multi.yaml',
    );
    expect(sf.name).toBe('multi');
    expect(sf.scenario.setup!.map((op) => op.verb === 'create' && op.object.kind)).toEqual(['Namespace', 'Subnet']);
    expect(sf.scenario.ops).toEqual([
      { verb: 'create', actor: 'user', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'vm', annotations: { 'ovn.kubernetes.io/logical_switch': 's1' } } } },
      { verb: 'delete', kind: 'Pod', namespace: 'vm', name: 'p1', options: { gracePeriodSeconds: 0 } },
      { verb: 'patch', kind: 'Subnet', name: 's1', patch: { metadata: { labels: { team: 'a' } } }, actor: 'admin', afterGone: ['Pod/vm/p1'], whenIdle: true },
    ]);
    checkScenarioKinds(sf, kinds, 'multi.yaml');
  });

  it('setup entries may be operations; JSON is YAML', () => {
    const sf = parseScenarioText('{"setup": [{"verb": "create", "actor": "ops", "manifest": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}}], "ops": [{"verb": "delete", "kind": "Namespace", "name": "a"}]}', 's.json');
    expect(sf.scenario.setup).toEqual([{ verb: 'create', actor: 'ops', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } } }]);
  });

  it.each([
    ['ops: 3', /f\.yaml: ops: must be a list/],
    ['ops:\n  - {verb: create, kind: Pod, name: a}', /ops\[0\]: create needs a "manifest"/],
    ['ops:\n  - {verb: delete, kind: Pod}', /ops\[0\]: missing "name"/],
    ['ops:\n  - {verb: delete, kind: Pod, namespace: vm, name: a, patch: {}}', /ops\[0\]: delete takes no "patch"/],
    ['ops:\n  - {verb: patch, kind: Pod, namespace: vm, name: a}', /ops\[0\]\.patch: patch needs a "patch" mapping/],
    ['ops:\n  - {verb: delete, kind: Pod, namespace: vm, name: a, options: {propagationPolicy: Sometimes}}', /options\.propagationPolicy: must be Orphan, Background or Foreground/],
    ['ops:\n  - {verb: delete, kind: Pod, namespace: vm, name: a, whenIdle: "yes"}', /ops\[0\]\.whenIdle: must be true or false/],
    ['ops:\n  - {verb: delete, kind: Pod, namespace: vm, name: "", actor: u}', /ops\[0\]\.name: must be a non-empty string/],
    ['setup:\n  - {kind: Namespace, metadata: {name: a}}\nops: []', /setup\[0\]: missing "apiVersion"/],
    ['name: x\nops:\n  - {verb: delete, kind: Pod, namespace: vm, name: a}\nextra: 1', /f\.yaml: unknown field "extra"/],
    ['hello: world', /expected "setup"\/"ops", an operation with "verb", or a manifest/],
    ['ops:\n  - &a {verb: delete, kind: Pod, namespace: vm, name: a}\n  - *b', /f\.yaml: invalid YAML/],
  ])('rejects %j', (text, pattern) => {
    expect(() => parseScenarioText(text, 'f.yaml')).toThrow(pattern);
    try {
      parseScenarioText(text, 'f.yaml');
    } catch (e) {
      expect((e as Error).name).toBe('UsageError');
      expect((e as Error).message).not.toMatch(/\n/);
    }
  });

  it('checks kinds and namespaces against the model', () => {
    const sf = (op: string) => parseScenarioText(`ops:\n  - ${op}\n`, 'k.yaml');
    expect(() => checkScenarioKinds(sf('{verb: delete, kind: Subnet, namespace: vm, name: s1}'), kinds, 'k.yaml')).toThrow(/Subnet is cluster-scoped, Subnet\/vm\/s1 has a namespace/);
    expect(() => checkScenarioKinds(sf('{verb: delete, kind: IPs, name: a}'), kinds, 'k.yaml')).toThrow(/unknown kind "IPs" \(known: .*IP.*\)/);
  });

  it('tells scenario names from files', () => {
    expect(looksLikeFile('issue-4898')).toBe(false);
    expect(looksLikeFile('a.yaml')).toBe(true);
    expect(looksLikeFile('a.YML')).toBe(true);
    expect(looksLikeFile('dir/a')).toBe(true);
  });
});
