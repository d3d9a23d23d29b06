/**
 * Where a model was defined: {@link defineModel} notes the file of its caller, so that a
 * counterexample found in a test can print a replay command that finds the model again
 * (`npx kuberace replay --model ./models/x.ts …`). Only a hint for printed commands: nothing
 * the checkers compute depends on it.
 */
import { fileURLToPath } from 'node:url';

const byModel = new WeakMap<object, string>();
const byName = new Map<string, string>();

/** The file of the caller of `fn` (a V8 call site; undefined when it cannot be told). */
export function callerFile(fn: Function): string | undefined {
  const prev = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_e, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, fn);
    const sites = holder.stack as NodeJS.CallSite[] | undefined;
    const name = Array.isArray(sites) ? sites[0]?.getFileName?.() : undefined;
    if (!name) return undefined;
    const plain = name.replace(/[?#].*$/, '');
    return plain.startsWith('file:') ? fileURLToPath(plain) : plain.startsWith('/') || /^[A-Za-z]:[\\/]/.test(plain) ? plain : undefined;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = prev;
  }
}

/** Record where `model` was defined. */
export function recordModelSource(model: { readonly name: string }, file: string | undefined): void {
  if (file === undefined) return;
  byModel.set(model, file);
  // By name (for a report, which names its model): the first definition; later ones of the same name derive from it.
  if (!byName.has(model.name)) byName.set(model.name, file);
}

/** The file a model (or the first model of that name) was defined in, if known. */
export function modelSourceOf(model: { readonly name: string } | string): string | undefined {
  return typeof model === 'string' ? byName.get(model) : (byModel.get(model) ?? byName.get(model.name));
}
