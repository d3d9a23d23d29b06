/**
 * A generic operator's custom resource and the cloud API it drives: a FirewallRule CR whose
 * controller programs a rule in a cloud firewall. Written against kuberace's public API only.
 */
import { type KubeObject, type StoredObject, type UserOp, defineExternalSystem, defineKind } from '../../src/index.ts';

export const FirewallRuleKind = defineKind({ apiVersion: 'networking.example.com/v1', kind: 'FirewallRule', namespaced: true, statusSubresource: true });

export interface FirewallRuleSpec {
  readonly port: number;
  readonly source: string;
}

export interface FirewallRuleStatus {
  readonly ready?: boolean;
  readonly ruleId?: string;
}

export type FirewallRule = StoredObject<FirewallRuleSpec, FirewallRuleStatus>;

/** The operator's finalizer: the cloud rule is deleted before the object may go. */
export const FINALIZER = 'networking.example.com/cloud-rule';

export const NS = 'default';

/** The cloud rule id of an object: its namespace/name (the cloud API takes client-chosen ids). */
export const ruleId = (namespace: string, name: string) => `${namespace}/${name}`;

/** A rule in the cloud firewall; `owner` is the id of the object it was created for. */
export interface CloudRule {
  readonly port: number;
  readonly source: string;
}

export type CloudFirewall = Readonly<Record<string, CloudRule>>;

export const CLOUD = 'cloud-firewall';

/** The cloud firewall API: create is an upsert by id, delete of an absent id succeeds (idempotent, like most cloud APIs). */
export const cloudFirewall = defineExternalSystem<CloudFirewall>({
  name: CLOUD,
  initial: {},
  calls: {
    createRule: (s, a: { id: string; port: number; source: string }) => ({ state: { ...s, [a.id]: { port: a.port, source: a.source } }, result: a.id }),
    deleteRule: (s, a: { id: string }) => {
      if (!(a.id in s)) return { state: s };
      const { [a.id]: _gone, ...rest } = s;
      return { state: rest };
    },
  },
});

export function firewallRule(name: string, port: number): KubeObject<FirewallRuleSpec> {
  return { apiVersion: FirewallRuleKind.apiVersion, kind: 'FirewallRule', metadata: { name, namespace: NS }, spec: { port, source: '0.0.0.0/0' } };
}

export const namespaceOp: UserOp = { verb: 'create', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } };
export const createRule = (name: string, port: number, actor = 'user'): UserOp => ({ verb: 'create', object: firewallRule(name, port), actor });
export const deleteRule = (name: string, actor = 'user'): UserOp => ({ verb: 'delete', kind: 'FirewallRule', namespace: NS, name, actor });
