/**
 * Models found in an imported module: what `kuberace --model FILE`, a `kuberace.config.ts` and
 * the worker threads of ./parallel.ts share. A module offers models as its default export, as
 * named exports, or as a config object (`export default { models: [...] }`, see
 * {@link KuberaceConfig}).
 */
import type { ModelDef } from './model.ts';

/**
 * What a `kuberace.config.ts` (or `.mts`, `.js`, `.mjs`) in the working directory exports as
 * its default: the models the CLI knows besides the bundled ones, so that `npx kuberace replay`,
 * `check`, `explore`, `matrix`, `serve` and `list` work for them without `--model`.
 *
 * @example
 * ```ts
 * // kuberace.config.ts
 * import type { KuberaceConfig } from 'kuberace';
 * import { replicasetModel } from './models/replicaset.ts';
 * export default { models: [replicasetModel] } satisfies KuberaceConfig;
 * ```
 *
 * @category Models and properties
 */
export interface KuberaceConfig {
  /** The models, as a list or by name (the key is ignored: a model's `name` is what the CLI uses). */
  readonly models: readonly ModelDef<any>[] | Readonly<Record<string, ModelDef<any>>>;
}

/** A model found in a module, and where: the export, and for a config the index in its list. */
export interface FoundModel {
  readonly model: ModelDef<any>;
  /** `default`, a named export, or `default.models[2]` / `default.models.rs` for a config. */
  readonly where: string;
}

/** Duck-typed: models may come from another copy of kuberace (an installed package next to a checkout). */
export function isModelDef(x: unknown): x is ModelDef<any> {
  if (!x || typeof x !== 'object') return false;
  const m = x as Partial<ModelDef<any>>;
  return typeof m.name === 'string' && typeof m.system === 'function' && Array.isArray(m.properties) && !!m.variants && typeof m.variants === 'object' && !!m.scenarios && typeof m.scenarios === 'object';
}

function configModels(x: unknown): FoundModel[] {
  if (!x || typeof x !== 'object' || !('models' in x)) return [];
  const list = (x as { models: unknown }).models;
  if (Array.isArray(list)) return list.flatMap((m, i) => (isModelDef(m) ? [{ model: m, where: `default.models[${i}]` }] : []));
  if (list && typeof list === 'object') return Object.entries(list).flatMap(([k, m]) => (isModelDef(m) ? [{ model: m, where: `default.models.${k}` }] : []));
  return [];
}

/** Every model a module offers, each once (the first place it is found), default export first. */
export function modelsOfModule(mod: Readonly<Record<string, unknown>>): FoundModel[] {
  const found: FoundModel[] = [];
  const add = (f: FoundModel) => {
    if (!found.some((x) => x.model === f.model)) found.push(f);
  };
  if (isModelDef(mod.default)) add({ model: mod.default, where: 'default' });
  for (const f of configModels(mod.default)) add(f);
  for (const [k, v] of Object.entries(mod)) if (k !== 'default' && isModelDef(v)) add({ model: v, where: k });
  return found;
}

/**
 * Problems with a config's model list, for a one-line error: entries that are not models
 * (a typo'd import is `undefined`).
 */
export function configProblems(mod: Readonly<Record<string, unknown>>): string | undefined {
  const cfg = mod.default;
  if (!cfg || typeof cfg !== 'object' || !('models' in cfg)) return 'its default export has no "models" list';
  const list = (cfg as { models: unknown }).models;
  const entries = Array.isArray(list) ? list.map((m, i) => [String(i), m] as const) : list && typeof list === 'object' ? Object.entries(list) : undefined;
  if (!entries) return '"models" is neither a list nor an object';
  const bad = entries.filter(([, m]) => !isModelDef(m)).map(([k]) => k);
  return bad.length ? `models ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a model (name, variants, system, properties, scenarios)` : undefined;
}
