/**
 * A generic operator that programs an external resource (a cloud firewall rule) for each
 * FirewallRule object and holds the object with a finalizer until the resource is deleted.
 * Adding the finalizer only after the side effect leaks the resource when the object is
 * deleted quickly: the shape of Kube-OVN's iptables FIP leak (kubeovn/kube-ovn#5115), fixed by
 * adding the finalizer first (#5142).
 *
 * Variants: `finalizer-after` (buggy), `finalizer-first` (fixed), and
 * `finalizer-first-ignore-notfound`: the finalizer first, but a NotFound while adding it is
 * taken as success and the side effect goes ahead — as Kube-OVN's handleAddIptablesFipFinalizer
 * still does after #5142 (v1.13.9, master), which reopens the leak when the cache is stale.
 *
 * Written against kuberace's public API only (test/models/imports.test.ts enforces it).
 */
import * as fc from 'fast-check';
import { type Scenario, type UserOp, type WorldView, atStable, defineModel, sometimes } from '../../src/index.ts';
import { CONTROLLER, type OperatorConfig, operatorController } from './controller.ts';
import { CLOUD, type CloudFirewall, type FirewallRule, FirewallRuleKind, NS, cloudFirewall, createRule, deleteRule, namespaceOp, ruleId } from './objects.ts';

export type { OperatorConfig };

/** At stable states every cloud rule belongs to an existing FirewallRule. */
export const noLeakedCloudRule = atStable(
  'no-leaked-cloud-rule',
  (v: WorldView) => {
    const rules = v.external<CloudFirewall>(CLOUD);
    const leaked = Object.keys(rules).filter((id) => {
      const [ns, name] = id.split('/');
      return !v.get('FirewallRule', ns, name);
    });
    return leaked.length === 0 || `cloud rule ${leaked.join(', ')} outlives its FirewallRule`;
  },
  'at stable states no cloud rule exists without its FirewallRule object',
);

/** At stable states no FirewallRule is stuck terminating. */
export const noStuckFirewallRule = atStable(
  'no-stuck-firewallrule',
  (v: WorldView) => {
    const stuck = v.list<FirewallRule>('FirewallRule').filter((r) => r.metadata.deletionTimestamp);
    return stuck.length === 0 || `stuck terminating: ${stuck.map((r) => `${r.metadata.namespace}/${r.metadata.name} finalizers=[${(r.metadata.finalizers ?? []).join(',')}]`).join('; ')}`;
  },
  'at stable states no FirewallRule keeps a deletionTimestamp',
);

/** At stable states every live FirewallRule is programmed (so "holds" is not "does nothing"). */
export const everyRuleProgrammed = atStable(
  'every-rule-programmed',
  (v: WorldView) => {
    const rules = v.external<CloudFirewall>(CLOUD);
    const missing = v.list<FirewallRule>('FirewallRule').filter((r) => !r.metadata.deletionTimestamp && !(ruleId(NS, r.metadata.name) in rules));
    return missing.length === 0 || `FirewallRule ${missing.map((r) => r.metadata.name).join(', ')} has no cloud rule`;
  },
  'at stable states every FirewallRule that is not being deleted has its cloud rule',
);

/** The race window: the object is gone while its reconcile is still running. */
export const deletedWhileReconciling = sometimes(
  'deleted-while-reconciling',
  (v: WorldView) => v.inflight(CONTROLLER).some((f) => !v.get('FirewallRule', NS, f.key.split('/')[1])),
  'a FirewallRule is deleted while its reconcile is in flight',
);

export const properties = [noLeakedCloudRule, noStuckFirewallRule, everyRuleProgrammed, deletedWhileReconciling];

export const variants = {
  'finalizer-after': {
    description: 'cloud rule, status, then the finalizer (Kube-OVN v1.13.8 handleAddIptablesFip, #5115)',
    config: { finalizer: 'after' },
  },
  'finalizer-first': {
    description: 'the finalizer first; a failed finalizer write ends the reconcile (#5142, controller-runtime style)',
    config: { finalizer: 'first' },
  },
  'finalizer-first-ignore-notfound': {
    description: 'the finalizer first, but NotFound while adding it counts as success (Kube-OVN v1.13.9/master handleAddIptablesFipFinalizer)',
    config: { finalizer: 'first-ignore-notfound' },
  },
} satisfies Record<string, { description: string; config: OperatorConfig }>;

/** Create a rule and delete it right away: the delete races the first reconcile. */
export const createThenDelete: Scenario = { setup: [namespaceOp], ops: [createRule('web', 443), deleteRule('web')] };

/** Two rules, one deleted quickly, by different users. */
export const twoRules: Scenario = {
  setup: [namespaceOp],
  ops: [createRule('web', 443, 'alice'), deleteRule('web', 'alice'), createRule('ssh', 22, 'bob')],
};

export const scenarios = { 'create-then-delete': createThenDelete, 'two-rules': twoRules };

/** Random scenarios: one to three rules, each created by its own user and deleted by them or not. */
export function operatorScenarioArbitrary(): fc.Arbitrary<Scenario> {
  return fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }).map((deleted): Scenario => {
    const ops: UserOp[] = [];
    deleted.forEach((del, i) => {
      const name = `rule${i + 1}`;
      ops.push(createRule(name, 8000 + i, `user${i + 1}`));
      if (del) ops.push(deleteRule(name, `user${i + 1}`));
    });
    return { setup: [namespaceOp], ops };
  });
}

export const operatorModel = defineModel<OperatorConfig>({
  name: 'operator',
  description: 'a generic operator programming a cloud firewall rule per object: finalizer after the side effect leaks it (shape of kubeovn/kube-ovn#5115, #5142)',
  variants,
  system: (cfg) => ({ kinds: [FirewallRuleKind], controllers: [operatorController(cfg)], externals: [cloudFirewall], systemActors: ['namespace-controller'] }),
  properties,
  scenarios,
  scenarioArbitrary: () => operatorScenarioArbitrary(),
});
