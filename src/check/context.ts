/** Build a check context (simulator, scenario, properties, root world) from a model and a variant. */
import { setupWorld } from '../engine/settle.ts';
import { Simulator } from '../engine/simulator.ts';
import type { EngineOptions, Scenario } from '../engine/system.ts';
import type { CheckContext } from './execute.ts';
import { type ModelDef, UsageError, variantOf } from './model.ts';
import type { Property } from './property.ts';

export interface Target {
  readonly model: ModelDef<any>;
  readonly variant: string;
  readonly sim: Simulator;
  readonly engine: EngineOptions;
  readonly properties: readonly Property[];
}

/**
 * Options shared by every check: the variant (default: the model's first), extra engine
 * options merged over the model's, and which properties to check (default all).
 *
 * @example
 * ```ts
 * const opts: TargetOptions = { variant: 'v2', engine: { faults: { restarts: 1 } }, properties: ['no-orphan-snapshot'] };
 * ```
 *
 * @category Checking
 */
export interface TargetOptions {
  readonly variant?: string;
  /** Extra engine options (fault budgets, seed), merged over the model's. */
  readonly engine?: EngineOptions;
  /** Check only these properties (names); default all. */
  readonly properties?: readonly string[];
}

export function target(model: ModelDef<any>, opts: TargetOptions = {}): Target {
  const [variant, def] = variantOf(model, opts.variant);
  const engine: EngineOptions = { ...model.engine, ...opts.engine, faults: { ...model.engine?.faults, ...opts.engine?.faults } };
  let properties = model.properties;
  if (opts.properties?.length) {
    for (const name of opts.properties) {
      if (!model.properties.some((p) => p.name === name)) {
        throw new UsageError(`unknown property "${name}" of model ${model.name} (known: ${model.properties.map((p) => p.name).join(', ')})`);
      }
    }
    properties = model.properties.filter((p) => p.kind === 'sometimes' || opts.properties!.includes(p.name));
  }
  return { model, variant, sim: new Simulator(model.system(def.config), engine), engine, properties };
}

/** Resolve a scenario by name (or take the given one) and set it up. */
export function contextFor(t: Target, scenario?: Scenario | string): CheckContext & { scenarioName?: string } {
  let sc: Scenario;
  let scenarioName: string | undefined;
  if (scenario === undefined || typeof scenario === 'string') {
    const names = Object.keys(t.model.scenarios);
    scenarioName = scenario ?? names[0];
    const found = t.model.scenarios[scenarioName];
    if (!found) throw new UsageError(`unknown scenario "${scenarioName}" of model ${t.model.name} (known: ${names.join(', ')})`);
    sc = found;
  } else {
    sc = scenario;
  }
  return { sim: t.sim, scenario: sc, properties: t.properties, root: setupWorld(t.sim, sc), scenarioName, classify: t.model.classify };
}
