/** Read-only helpers for properties and reports over a world. */
import { objectKey } from '../api/keys.ts';
import type { StoredObject } from '../api/types.ts';
import { matchesSelector } from '../engine/selector.ts';
import type { Inflight, World } from '../engine/world.ts';

/**
 * Read-only view of a world for properties: stored objects (`get`, `list`), a controller's
 * memory and informer cache, external systems' state, in-flight handlers, the clock.
 *
 * @example
 * ```ts
 * const noLeak: PropertyCheck = (v: WorldView) => {
 *   const rules = v.external<Record<string, string>>('cloud');
 *   return Object.values(rules).every((owner) => v.get('FirewallRule', 'default', owner)) || 'a cloud rule outlives its object';
 * };
 * ```
 *
 * @category Models and properties
 */
export class WorldView {
  constructor(readonly world: World) {}

  /** The stored object, or undefined when it does not exist. */
  get<T extends StoredObject = StoredObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.world.api.objects[objectKey(kind, namespace, name)] as T | undefined;
  }

  /** Stored objects of a kind (sorted by key), optionally filtered by an equality label selector. */
  list<T extends StoredObject = StoredObject>(kind: string, labelSelector?: string): T[] {
    const out: T[] = [];
    for (const key of Object.keys(this.world.api.objects).sort()) {
      const obj = this.world.api.objects[key];
      if (obj.kind !== kind) continue;
      if (labelSelector && !matchesSelector(obj.metadata.labels ?? {}, labelSelector)) continue;
      out.push(obj as T);
    }
    return out;
  }

  memory<M = unknown>(controller: string): M {
    return this.world.controllers[controller].memory as M;
  }

  external<S = unknown>(system: string): S {
    return this.world.externals[system] as S;
  }

  /** A controller's informer cache for a kind. */
  cache<T extends StoredObject = StoredObject>(controller: string, kind: string): T[] {
    const inf = this.world.controllers[controller].informers[kind];
    return inf ? (Object.values(inf.cache) as T[]) : [];
  }

  /** Handlers paused at a scheduling point. */
  inflight(controller?: string): Inflight[] {
    const out: Inflight[] = [];
    for (const [name, c] of Object.entries(this.world.controllers)) {
      if (controller && name !== controller) continue;
      out.push(...Object.values(c.inflight));
    }
    return out;
  }

  get clock(): number {
    return this.world.clock;
  }
}
