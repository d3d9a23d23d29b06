/**
 * OVN northbound as far as VPCs and subnets use it: one logical router per VPC and one
 * logical switch per subnet, connected to its VPC's router. Calls mirror the ovs client
 * methods of v1.13.x (pkg/ovs): CreateLogicalRouter, DeleteLogicalRouter, CreateLogicalSwitch,
 * DeleteLogicalSwitch. Simplification: router ports, static/policy routes, load balancers,
 * NAT and BFD are not modelled.
 */
import { ExternalError, defineExternalSystem } from '../../src/index.ts';

export interface OvnNb {
  /** Logical routers by name (a VPC's router is named after it). */
  readonly routers: Readonly<Record<string, true>>;
  /** Logical switches by name -> the router they are connected to. */
  readonly switches: Readonly<Record<string, string>>;
}

export const OVN_NB = 'ovn-nb';

function without<T>(m: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  const { [key]: _gone, ...rest } = m;
  return rest;
}

export const ovnNb = defineExternalSystem<OvnNb>({
  name: OVN_NB,
  initial: { routers: {}, switches: {} },
  calls: {
    /** CreateLogicalRouter: an upsert. */
    createLogicalRouter: (nb, a: { name: string }) => ({ state: nb.routers[a.name] ? nb : { ...nb, routers: { ...nb.routers, [a.name]: true } } }),
    /** DeleteLogicalRouter: no error when absent. Its switches stay (their router port goes). */
    deleteLogicalRouter: (nb, a: { name: string }) => ({ state: nb.routers[a.name] ? { ...nb, routers: without(nb.routers, a.name) } : nb }),
    /** CreateLogicalSwitch(ls, lr, ...): creates the switch and its router port; the router must exist. */
    createLogicalSwitch: (nb, a: { name: string; router: string }) => {
      if (!nb.routers[a.router]) throw new ExternalError(`logical router ${a.router} not found`);
      return { state: nb.switches[a.name] === a.router ? nb : { ...nb, switches: { ...nb.switches, [a.name]: a.router } } };
    },
    /** DeleteLogicalSwitch: no error when absent. */
    deleteLogicalSwitch: (nb, a: { name: string }) => ({ state: a.name in nb.switches ? { ...nb, switches: without(nb.switches, a.name) } : nb }),
  },
});
