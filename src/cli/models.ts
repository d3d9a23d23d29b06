/** The models the CLI knows (models/index.ts), looked up by name with one-line errors. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ModelDef, UsageError } from '../check/model.ts';
import type { ModelRef } from '../check/parallel.ts';
import { models } from '../../models/index.ts';

export { models };

export function modelOf(name: string | undefined, command: string): ModelDef<any> {
  const known = Object.keys(models);
  if (name === undefined) throw new UsageError(`${command}: missing <model> (known: ${known.join(', ')})`);
  if (!Object.prototype.hasOwnProperty.call(models, name)) throw new UsageError(`unknown model "${name}" (known: ${known.join(', ')})`);
  return models[name];
}

/**
 * Where worker threads import a model from: by convention `models/<name>/index.ts`, under the
 * export whose value is the registered model.
 */
export async function modelRefOf(model: ModelDef<any>): Promise<ModelRef> {
  const url = new URL(`../../models/${model.name}/index.ts`, import.meta.url);
  if (existsSync(fileURLToPath(url))) {
    const mod = (await import(url.href)) as Record<string, unknown>;
    const name = Object.keys(mod).find((k) => mod[k] === model);
    if (name) return { module: url, export: name };
  }
  throw new UsageError(`model ${model.name} cannot run in worker threads: models/${model.name}/index.ts does not export it`);
}
