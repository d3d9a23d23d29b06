/**
 * A model: data plus a way to build the system for a variant, its named properties and its
 * scenarios. The checkers (random, exhaustive, replay) take a model and never look inside
 * its controllers — Stateright's split between model and checker.
 */
import type * as fc from 'fast-check';
import type { EngineOptions, Scenario, SystemDef } from '../engine/system.ts';
import type { Classifier } from './classify.ts';
import type { Property } from './property.ts';

export interface VariantDef<Config> {
  readonly description: string;
  readonly config: Config;
}

export interface ModelDef<Config = unknown> {
  /** Used on the command line and in trace files. */
  readonly name: string;
  readonly description: string;
  /** Variant name -> configuration (e.g. upstream versions, fix switches). The first one is the default. */
  readonly variants: Readonly<Record<string, VariantDef<Config>>>;
  /** Build the simulated cluster for a variant. */
  system(config: Config): SystemDef;
  readonly properties: readonly Property[];
  /** Named fixed scenarios for exhaustive search and demos. The first one is the default. */
  readonly scenarios: Readonly<Record<string, Scenario>>;
  /** Scenarios for random search; defaults to picking among the named ones. */
  scenarioArbitrary?(config: Config): fc.Arbitrary<Scenario>;
  /** Engine options every run of this model uses (fault budgets, budgets). */
  readonly engine?: EngineOptions;
  /** Names the class of a violation (e.g. `scenario A`) with final-state evidence, for every report. */
  readonly classify?: Classifier;
}

/** Identity helper that keeps the Config type parameter. */
export function defineModel<Config>(model: ModelDef<Config>): ModelDef<Config> {
  return model;
}

/** Look up a variant; a clear error names the known ones. */
export function variantOf<Config>(model: ModelDef<Config>, name?: string): [string, VariantDef<Config>] {
  const names = Object.keys(model.variants);
  const chosen = name ?? names[0];
  const v = model.variants[chosen];
  if (!v) throw new UsageError(`unknown variant "${chosen}" of model ${model.name} (known: ${names.join(', ')})`);
  return [chosen, v];
}

/** Look up a property by name. */
export function propertyOf(model: ModelDef<any>, name: string): Property {
  const p = model.properties.find((x) => x.name === name);
  if (!p) throw new UsageError(`unknown property "${name}" of model ${model.name} (known: ${model.properties.map((x) => x.name).join(', ')})`);
  return p;
}

/** Bad input from a user (flag, file, name): reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
