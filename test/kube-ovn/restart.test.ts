/**
 * Controller restarts on the Kube-OVN model: in-memory IPAM is lost and rebuilt by InitIPAM,
 * caches relist as Add events. v1.12.28 never retries a terminating IP after a restart (the
 * Add event goes to handleAddIP, a no-op); restarting into master's code (an upgrade) frees it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import type { KubeOvnMemory } from '../../models/kube-ovn/context.ts';
import { contextFor, target } from '../../src/check/context.ts';
import { execute } from '../../src/check/execute.ts';
import { settle } from '../../src/engine/settle.ts';
import { Simulator } from '../../src/engine/simulator.ts';
import type { World } from '../../src/engine/world.ts';
import { readTraceFile } from '../../src/trace/replay.ts';

const trace = readTraceFile(join(import.meta.dirname, '..', 'counterexamples', 'a-kubectl-delete-ip-hangs-v1.12.28.json'));

function stuckWorld(): World {
  const ctx = contextFor(target(kubeOvnModel, { variant: 'v1.12.28' }), trace.scenario);
  return execute(ctx, { kind: 'ids', ids: trace.steps, strict: true }).world;
}

function restartUnder(variant: keyof typeof kubeOvnModel.variants, world: World): World {
  const sim = new Simulator(kubeOvnModel.system(kubeOvnModel.variants[variant].config), { faults: { restarts: 1 } });
  const withBudget: World = { ...world, faults: { ...world.faults, restarts: 1 } };
  const restarted = sim.stepById(withBudget, 'fault: restart kube-ovn-controller', trace.scenario);
  expect(restarted).toBeDefined();
  const after = settle(sim, trace.scenario, restarted!.world, { maxSteps: 5000 });
  expect(after.kind).toBe('stable');
  return after.world;
}

describe('kube-ovn: controller restart', () => {
  it('v1.12.28: the restart loses IPAM and never retries the terminating IP', () => {
    const before = stuckWorld();
    expect(before.api.objects['IP/p1.vm']?.metadata.deletionTimestamp).toBeDefined();
    const after = restartUnder('v1.12.28', before);
    expect(after.controllers['kube-ovn-controller'].restarts).toBe(1);
    expect(after.api.objects['IP/p1.vm']?.metadata.deletionTimestamp).toBeDefined();
    const q = after.controllers['kube-ovn-controller'].queues.updateIPQueue;
    expect(q.queue).toEqual([]);
    expect(q.delayed).toEqual([]);
    // IPAM is rebuilt from subnets and alive pods only: nothing is left.
    expect((after.controllers['kube-ovn-controller'].memory as KubeOvnMemory).ipam).toEqual({});
  });

  it('restarting into master (an upgrade) re-queues the terminating IP and frees it', () => {
    const after = restartUnder('master', stuckWorld());
    expect(after.api.objects['IP/p1.vm']).toBeUndefined();
  });
});
