/**
 * The Kube-OVN model: kube-ovn-controller's pod, IP and subnet flows of v1.12.28 and master,
 * with the proposed fixes of kubeovn/kube-ovn#4898 as variants.
 */
import { defineModel } from '../../src/index.ts';
import { classifyKubeOvn, kubeOvnProperties } from '../../properties/kube-ovn.ts';
import type { KubeOvnConfig } from './config.ts';
import { variants } from './config.ts';
import { kubeOvnSystem } from './controller.ts';
import { scenarioArbitrary, scenarios } from './scenarios.ts';

export const kubeOvnModel = defineModel<KubeOvnConfig>({
  name: 'kube-ovn',
  description: 'kube-ovn-controller pod/subnet/IP deletion race (kubeovn/kube-ovn#4898)',
  variants,
  system: kubeOvnSystem,
  properties: kubeOvnProperties,
  scenarios,
  scenarioArbitrary: () => scenarioArbitrary(),
  classify: classifyKubeOvn,
  // Every full handleAddOrUpdateSubnet run writes the status twice and a terminating subnet at 0
  // requeues itself on each write: an unfair schedule that never lets the informer catch up has
  // unboundedly many states. Six undelivered events per informer is more lag than any race found
  // here needs (the deepest uses three); the bound is printed with every exhaustive result.
  exhaustive: { maxInformerLag: 6 },
});

export { variants, scenarios };
export type { KubeOvnConfig };
