/**
 * Fingerprints of the definitions a trace depends on, so that a replay can tell "the model or
 * the property changed since this trace was recorded" from "the bug is fixed".
 *
 * - `config`: the recorded variant's configuration as canonical JSON (sorted keys);
 * - `property`: the violated property's name, kind and check function source text, with runs
 *   of white space folded (absent for engine failures, which no property defines).
 *
 * Each is the first 16 hex digits of a SHA-256. Source text is what the JavaScript engine
 * returns for the function: the same for the same kuberace and model sources on any machine,
 * but a different TypeScript loader (tsx version) or a bundler may print the same function
 * differently, so a mismatch is reported as possible drift, never treated as an error by
 * itself. The controllers' code is not fingerprinted: a strict replay already notices when a
 * recorded step is no longer enabled.
 */
import { createHash } from 'node:crypto';
import type { ModelDef } from '../check/model.ts';

export interface Definitions {
  readonly config: string;
  readonly property?: string;
}

export type DefinitionsCheck =
  /** The trace predates fingerprints. */
  | { readonly status: 'not-recorded' }
  /** The recorded variant no longer exists: nothing to compare. */
  | { readonly status: 'unknown-variant' }
  | { readonly status: 'unchanged' }
  /** What differs from when the trace was recorded. */
  | { readonly status: 'changed'; readonly config: boolean; readonly property: boolean };

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted, so that key order in a config object does not matter. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? 'undefined';
}

/** The fingerprints of `variant` and (unless an engine failure) the property `propertyName`. */
export function definitionsOf(model: ModelDef<any>, variant: string, propertyName?: string): Definitions {
  const def = Object.prototype.hasOwnProperty.call(model.variants, variant) ? model.variants[variant] : undefined;
  const p = propertyName === undefined ? undefined : model.properties.find((x) => x.name === propertyName);
  return {
    config: hash(canonical(def?.config)),
    ...(p ? { property: hash(`${p.name}\n${p.kind}\n${String(p.check).replace(/\s+/g, ' ')}`) } : {}),
  };
}

/** Compare a trace's recorded fingerprints with the model as it is now. */
export function checkDefinitions(model: ModelDef<any>, variant: string, propertyName: string | undefined, recorded: Definitions | undefined): DefinitionsCheck {
  if (!recorded) return { status: 'not-recorded' };
  if (!Object.prototype.hasOwnProperty.call(model.variants, variant)) return { status: 'unknown-variant' };
  const now = definitionsOf(model, variant, propertyName);
  const config = now.config !== recorded.config;
  const property = now.property !== recorded.property;
  return config || property ? { status: 'changed', config, property } : { status: 'unchanged' };
}

/** One line about the fingerprints, for replay reports. */
export function describeDefinitions(c: DefinitionsCheck, variant: string, property: string): string {
  switch (c.status) {
    case 'not-recorded':
      return 'definitions: no fingerprint recorded (trace from an older kuberace)';
    case 'unknown-variant':
      return `definitions: recorded variant ${variant} no longer exists`;
    case 'unchanged':
      return `definitions: property ${property} and variant ${variant} unchanged since the trace was recorded`;
    case 'changed': {
      const what = [c.property ? `property ${property}` : '', c.config ? `the configuration of variant ${variant}` : ''].filter(Boolean).join(' and ');
      return `definitions: drift: ${what} changed since the trace was recorded`;
    }
  }
}
