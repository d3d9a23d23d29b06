/** Models known to the CLI, by name. */
import type { ModelDef } from '../src/check/model.ts';
import { kubeOvnModel } from './kube-ovn/index.ts';

export const models: Readonly<Record<string, ModelDef<any>>> = {
  [kubeOvnModel.name]: kubeOvnModel,
};
