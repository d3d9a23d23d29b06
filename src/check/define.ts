/**
 * The identity helpers a model author wraps definitions in, so that TypeScript infers and
 * checks their type parameters (a controller's memory, an external system's state). The types
 * they return live in the engine (src/engine/system.ts); these live here because they are
 * part of authoring a model, beside `defineModel`.
 */
import type { ControllerDef, ExternalSystemDef } from '../engine/system.ts';

/**
 * Define a controller, keeping the type of its in-memory state: `M` is inferred from
 * `initialMemory` (or given), and every event handler, reconcile handler and task is checked
 * against it. Returns its argument.
 *
 * @example
 * ```ts
 * interface Memory { readonly seen: number }
 * export const backupController = defineController({
 *   name: 'backup-controller',
 *   initialMemory: { seen: 0 } as Memory,
 *   watches: {
 *     Backup: {
 *       add: (ctx, obj) => ctx.enqueue('backups', `${obj.metadata.namespace}/${obj.metadata.name}`),
 *       update: (ctx, _old, obj) => ctx.enqueue('backups', `${obj.metadata.namespace}/${obj.metadata.name}`),
 *     },
 *   },
 *   queues: {
 *     backups: {
 *       workers: 1,
 *       *reconcile(ctx, key) {
 *         yield* ctx.updateMemory((m) => ({ seen: m.seen + 1 })); // m: Memory
 *         yield* ctx.log(`reconcile ${key}`);
 *       },
 *     },
 *   },
 * });
 * ```
 *
 * @category Controllers and the engine
 */
export function defineController<M>(def: ControllerDef<M>): ControllerDef<M> {
  return def;
}

/**
 * Define an external system, keeping the type of its state: `S` is inferred from `initial`
 * (or given) and every call is checked against it. Returns its argument.
 *
 * @example
 * ```ts
 * type Snapshots = Readonly<Record<string, { volume: string }>>;
 * export const snapshots = defineExternalSystem<Snapshots>({
 *   name: 'snapshots',
 *   initial: {},
 *   calls: {
 *     create: (s, a: { id: string; volume: string }) => ({ state: { ...s, [a.id]: { volume: a.volume } } }),
 *     delete: (s, a: { id: string }) => {
 *       if (!s[a.id]) throw new ExternalError(`snapshot ${a.id} not found`);
 *       const { [a.id]: _gone, ...rest } = s;
 *       return { state: rest };
 *     },
 *   },
 * });
 * ```
 *
 * @category Controllers and the engine
 */
export function defineExternalSystem<S>(def: ExternalSystemDef<S>): ExternalSystemDef<S> {
  return def;
}
