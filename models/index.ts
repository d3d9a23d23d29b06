/** Models known to the CLI, by name. */
import type { ModelDef } from '../src/check/model.ts';
import { kubeOvnModel } from './kube-ovn/index.ts';
import { operatorModel } from './operator/index.ts';
import { vpcModel } from './vpc/index.ts';

export const models: Readonly<Record<string, ModelDef<any>>> = {
  [kubeOvnModel.name]: kubeOvnModel,
  [vpcModel.name]: vpcModel,
  [operatorModel.name]: operatorModel,
};
