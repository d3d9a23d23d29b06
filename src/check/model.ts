/**
 * A model: data plus a way to build the system for a variant, its named properties and its
 * scenarios. The checkers (random, exhaustive, replay) take a model and never look inside
 * its controllers — Stateright's split between model and checker.
 */
import type * as fc from 'fast-check';
import type { EngineOptions, Scenario, SystemDef } from '../engine/system.ts';
import type { Classifier } from './classify.ts';
import { callerFile, recordModelSource } from './model-source.ts';
import type { Property } from './property.ts';

/**
 * One variant of a model: a description and the configuration passed to `system`.
 *
 * @example
 * ```ts
 * const v2: VariantDef<{ finalizerFirst: boolean }> = { description: 'finalizer before the snapshot', config: { finalizerFirst: true } };
 * ```
 *
 * @category Models and properties
 */
export interface VariantDef<Config> {
  readonly description: string;
  readonly config: Config;
}

/**
 * A model: a name, variants (configurations such as upstream versions or fix switches; the
 * first is the default), a function building the {@link SystemDef} of a variant, named
 * properties and scenarios, optionally a scenario generator for random search.
 *
 * @example
 * ```ts
 * const m: ModelDef<{ finalizerFirst: boolean }> = backupModel;
 * console.log(Object.keys(m.variants), m.properties.map((p) => p.name));
 * ```
 *
 * @category Models and properties
 */
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
  /**
   * Defaults for exhaustive search of this model, e.g. the fairness bound `maxInformerLag` (see
   * ExhaustiveOptions) for a controller whose own writes retrigger it while its informer lags.
   */
  readonly exhaustive?: { readonly maxInformerLag?: number; readonly lagUnit?: 'events' | 'writes' };
  /** Names the class of a violation (e.g. `scenario A`) with final-state evidence, for every report. */
  readonly classify?: Classifier;
}

/**
 * Define a model, keeping its configuration type (an identity helper for the `Config` type
 * parameter). Returns its argument. It also notes the file it is called from: a
 * counterexample found in a test then prints a replay command with `--model <that file>`, so
 * define (and export) a model in a module of its own, not in a test file.
 *
 * @example
 * ```ts
 * export const backupModel = defineModel<{ finalizerFirst: boolean }>({
 *   name: 'backup',
 *   description: 'Backup CRs and their snapshots',
 *   variants: {
 *     v1: { description: 'snapshot, then finalizer', config: { finalizerFirst: false } },
 *     v2: { description: 'finalizer, then snapshot', config: { finalizerFirst: true } },
 *   },
 *   system: (c) => ({ kinds: [BackupKind], controllers: [backupController(c)], externals: [snapshots], systemActors: [] }),
 *   properties: [noOrphanSnapshot],
 *   scenarios: { 'create-then-delete': createThenDelete },
 * });
 * ```
 *
 * @category Models and properties
 */
export function defineModel<Config>(model: ModelDef<Config>): ModelDef<Config> {
  // Noted for the replay command a test failure prints (./model-source.ts).
  recordModelSource(model, callerFile(defineModel));
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

/**
 * Bad input from a user (unknown variant, scenario or property name, a bad flag or file): a
 * one-line message (the CLI prints it and exits with code 2).
 *
 * @example
 * ```ts
 * expect(() => checkRandom(backupModel, { variant: 'v9' })).toThrow(UsageError);
 * ```
 *
 * @category Models and properties
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
