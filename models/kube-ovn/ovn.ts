/**
 * OVN northbound as an external system: logical switches and logical switch ports (LSPs).
 * Deleting a switch removes its ports (OVN garbage-collects non-root rows). Calls mirror the
 * ovs client methods the controller uses (v1.12.28 pkg/ovs).
 * Simplification: ACLs, DHCP options, routes, NAT and load balancers are not modelled.
 */
import { ExternalError, type ExternalSystemDef } from '../../src/index.ts';

export interface LogicalSwitchPort {
  readonly switch: string;
  /** external_ids:pod = ns/pod */
  readonly pod: string;
  readonly ip: string;
  readonly mac: string;
}

export interface OvnNb {
  readonly switches: Readonly<Record<string, true>>;
  readonly ports: Readonly<Record<string, LogicalSwitchPort>>;
}

export const OVN_NB = 'ovn-nb';

function withoutPorts(nb: OvnNb, drop: (name: string, p: LogicalSwitchPort) => boolean): OvnNb {
  const names = Object.keys(nb.ports).filter((n) => drop(n, nb.ports[n]));
  if (!names.length) return nb;
  const ports = { ...nb.ports };
  for (const n of names) delete ports[n];
  return { ...nb, ports };
}

export const ovnNb: ExternalSystemDef<OvnNb> = {
  name: OVN_NB,
  initial: { switches: {}, ports: {} },
  calls: {
    /** CreateLogicalSwitch: an upsert. */
    createLogicalSwitch: (nb, a: { name: string }) => (nb.switches[a.name] ? { state: nb } : { state: { ...nb, switches: { ...nb.switches, [a.name]: true } } }),
    /** DeleteLogicalSwitch: the switch and its ports; no error when absent. */
    deleteLogicalSwitch: (nb, a: { name: string }) => {
      if (!nb.switches[a.name]) return { state: nb };
      const { [a.name]: _gone, ...switches } = nb.switches;
      return { state: withoutPorts({ ...nb, switches }, (_n, p) => p.switch === a.name) };
    },
    /** CreateLogicalSwitchPort: fails when the switch does not exist; otherwise an upsert. */
    createLogicalSwitchPort: (nb, a: { name: string } & LogicalSwitchPort) => {
      if (!nb.switches[a.switch]) throw new ExternalError(`logical switch ${a.switch} not found`);
      const port: LogicalSwitchPort = { switch: a.switch, pod: a.pod, ip: a.ip, mac: a.mac };
      return { state: { ...nb, ports: { ...nb.ports, [a.name]: port } } };
    },
    deleteLogicalSwitchPort: (nb, a: { name: string }) => ({ state: withoutPorts(nb, (n) => n === a.name) }),
    getLogicalSwitchPort: (nb, a: { name: string }) => ({ state: nb, result: nb.ports[a.name] }),
    /** ListNormalLogicalSwitchPorts with external_ids pod=<pod> (port names, sorted). */
    listPodPorts: (nb, a: { pod: string }) => ({ state: nb, result: Object.keys(nb.ports).filter((n) => nb.ports[n].pod === a.pod).sort() }),
    /** All normal LSPs (markAndCleanLSP). */
    listPorts: (nb) => ({ state: nb, result: Object.keys(nb.ports).sort().map((name) => ({ name, ...nb.ports[name] })) }),
  },
};
