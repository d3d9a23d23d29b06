/**
 * The models the CLI knows: the bundled ones (models/index.ts), those listed by a
 * `kuberace.config.{ts,mts,js,mjs}` in the working directory, and those of `--model FILE`
 * modules. Looked up by name with one-line errors; each knows how a worker thread imports it
 * and which `--model` words a printed command line needs to find it again.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ModelDef, UsageError } from '../check/model.ts';
import { configProblems, modelsOfModule } from '../check/model-module.ts';
import type { ModelRef } from '../check/parallel.ts';
import { fsReason } from '../trace/fs-error.ts';
import { models as bundled } from '../../models/index.ts';

/** Config files looked for in the working directory, in this order. */
export const CONFIG_FILES = ['kuberace.config.ts', 'kuberace.config.mts', 'kuberace.config.js', 'kuberace.config.mjs'] as const;

const OWN_MODEL_HINT = 'a model of your own: --model FILE or a kuberace.config.ts';

interface Entry {
  readonly model: ModelDef<any>;
  readonly ref: ModelRef;
  /** Words a printed command line needs to find the model (`--model FILE`; none when bundled or in the config). */
  readonly args: readonly string[];
  readonly source: string;
}

export class ModelCatalog {
  readonly #entries = new Map<string, Entry>();
  /** Models given with --model (a command without a <model> takes the only one). */
  readonly #given: string[] = [];

  /** @internal Use {@link loadCatalog}. */
  add(e: Entry, given: boolean): void {
    const prev = this.#entries.get(e.model.name);
    if (prev && prev.model !== e.model && prev.source === e.source) return; // one module, two of a name: the first
    if (prev && prev.model !== e.model && !prev.source.startsWith('bundled')) {
      throw new UsageError(`two models are named "${e.model.name}": in ${prev.source} and in ${e.source}`);
    }
    this.#entries.set(e.model.name, e); // a user's model shadows a bundled one of the same name
    if (given && !this.#given.includes(e.model.name)) this.#given.push(e.model.name);
  }

  /** Model name -> model. */
  get models(): Readonly<Record<string, ModelDef<any>>> {
    return Object.fromEntries([...this.#entries].map(([k, e]) => [k, e.model]));
  }

  get names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Look a model up by name; without a name, the only model given with --model. */
  modelOf(name: string | undefined, command: string): ModelDef<any> {
    const known = this.names.join(', ');
    if (name === undefined) {
      if (this.#given.length === 1) return this.#entries.get(this.#given[0])!.model;
      throw new UsageError(`${command}: missing <model> (known: ${known})`);
    }
    const e = this.#entries.get(name);
    if (!e) throw new UsageError(`unknown model "${name}" (known: ${known}; ${OWN_MODEL_HINT})`);
    return e.model;
  }

  /** The model a trace file was recorded on. */
  modelOfTrace(trace: { readonly model: string }): ModelDef<any> {
    const e = this.#entries.get(trace.model);
    if (!e) throw new UsageError(`unknown model "${trace.model}" in trace (known: ${this.names.join(', ')}; ${OWN_MODEL_HINT})`);
    return e.model;
  }

  /** How worker threads import a model. */
  refOf(model: ModelDef<any>): ModelRef {
    const e = this.#entries.get(model.name);
    if (!e || e.model !== model) throw new UsageError(`model ${model.name} cannot run in worker threads: it is not in the CLI's catalog`);
    return e.ref;
  }

  /** `--model FILE` words for printed command lines (empty for bundled and configured models). */
  argsOf(name: string): readonly string[] {
    return this.#entries.get(name)?.args ?? [];
  }
}

/** Import a module for the CLI; errors become one line naming the file as the user wrote it. */
async function importModule(file: string, shown: string): Promise<Record<string, unknown>> {
  if (!existsSync(file)) throw new UsageError(`cannot read model module ${shown}: no such file`);
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code && /^E[A-Z]+$/.test(err.code) ? fsReason(e) : err.message;
    throw new UsageError(`cannot load ${shown}: ${String(why).split('\n')[0]}`);
  }
}

/**
 * The catalog for one command line: bundled models, then the config of `cwd` (if any), then
 * each `--model` module (paths relative to `cwd`).
 */
export async function loadCatalog(modelFiles: readonly string[], cwd: string): Promise<ModelCatalog> {
  const catalog = new ModelCatalog();
  const bundledModule = (name: string) => new URL(`../../models/${name}/index.ts`, import.meta.url);
  for (const m of Object.values(bundled)) catalog.add({ model: m, ref: { module: fileURLToPath(bundledModule(m.name)), model: m.name }, args: [], source: `bundled models/${m.name}` }, false);
  const config = CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (config) {
    const shown = relative(cwd, config);
    const mod = await importModule(config, shown);
    const problem = configProblems(mod);
    if (problem) throw new UsageError(`${shown}: ${problem} (expected: export default { models: [myModel] })`);
    for (const f of modelsOfModule(mod)) catalog.add({ model: f.model, ref: { module: config, model: f.model.name }, args: [], source: shown }, false);
  }
  for (const file of modelFiles) {
    const full = resolve(cwd, file);
    const mod = await importModule(full, file);
    const found = modelsOfModule(mod);
    if (!found.length) throw new UsageError(`${file} exports no model (export one made with defineModel, as default or named export; exports: ${Object.keys(mod).join(', ') || 'none'})`);
    for (const f of found) catalog.add({ model: f.model, ref: { module: full, model: f.model.name }, args: ['--model', file], source: file }, true);
  }
  return catalog;
}
