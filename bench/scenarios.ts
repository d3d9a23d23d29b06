/**
 * Scenarios for the scaling group, built like models/kube-ovn/scenarios.ts does: `pods` pods
 * (each created then deleted by its own user), each with `attachments` NAD attachments, in
 * `subnets` subnets that an admin deletes while the pods come and go.
 */
import { nad, namespace, pod, subnet } from '../models/kube-ovn/objects.ts';
import type { Scenario, UserOp } from '../src/engine/system.ts';

export interface ScenarioShape {
  readonly pods: number;
  readonly attachments: number;
  readonly subnets: number;
}

const NS = 'vm';

export function scaledScenario({ pods, attachments, subnets }: ScenarioShape): Scenario {
  const subnetNames = Array.from({ length: subnets }, (_, i) => `s${i + 1}`);
  const nadNames = Array.from({ length: attachments }, (_, i) => `attach${i + 1}`);
  const setup: UserOp[] = [
    { verb: 'create', object: namespace(NS) },
    ...subnetNames.map((s, i): UserOp => ({ verb: 'create', object: subnet(s, 16 + i) })),
    ...nadNames.map((n): UserOp => ({ verb: 'create', object: nad(n, NS) })),
  ];
  const ops: UserOp[] = [];
  for (let i = 0; i < pods; i++) {
    const name = `p${i + 1}`;
    const actor = pods === 1 ? 'user' : `user${i + 1}`;
    // Pod i in subnet i mod n; its attachments spread over the subnets too.
    const own = subnetNames[i % subnets];
    const atts = nadNames.map((n, j) => ({ nad: n, subnet: subnetNames[(i + j + 1) % subnets] }));
    ops.push({ verb: 'create', object: pod(name, NS, own, atts), actor });
    ops.push({ verb: 'delete', kind: 'Pod', namespace: NS, name, actor });
  }
  for (const s of subnetNames) ops.push({ verb: 'delete', kind: 'Subnet', name: s, actor: 'admin' });
  return { setup, ops };
}

export function shapeLabel(s: ScenarioShape): string {
  return `${s.pods} pod${s.pods > 1 ? 's' : ''}, ${s.attachments} att, ${s.subnets} subnet${s.subnets > 1 ? 's' : ''}`;
}
