/**
 * Counterexample classes: a model may name which known failure a violation is (Kube-OVN's
 * "scenario A", "scenario B as reported", ...) and show the final-state facts that prove it, so a
 * reader of a report, a trace or a results matrix sees the class without rerunning anything.
 */
import type { WorldView } from './view.ts';

/**
 * A named class of violation and the final-state evidence for it, as a model's
 * {@link Classifier} returns it and {@link Violation.classification} carries it.
 *
 * @example
 * ```ts
 * const c: Classification = { label: 'snapshot leaked', evidence: ['snapshot default/db: Backup default/db gone'] };
 * ```
 *
 * @category Models and properties
 */
export interface Classification {
  /** Short and stable, e.g. `scenario A`; used in matrix cells. */
  readonly label: string;
  /** Facts of the world at the violation, one per line (`IP p1.vm: pod vm/p1 gone, subnet s1 gone`). */
  readonly evidence: readonly string[];
}

/**
 * Names the class of a violation of `property` in the violating world; undefined when it knows
 * none. A model sets it as {@link ModelDef.classify}; reports, traces and the results matrix
 * show the label.
 *
 * @example
 * ```ts
 * const classify: Classifier = (v, violation) => {
 *   if (violation.property !== 'no-orphan-snapshot') return undefined;
 *   const ids = Object.keys(v.external<Snapshots>('snapshots'));
 *   return { label: 'snapshot leaked', evidence: ids.map((id) => `snapshot ${id}: no Backup`) };
 * };
 * ```
 *
 * @category Models and properties
 */
export type Classifier = (view: WorldView, violation: { readonly property: string; readonly message: string }) => Classification | undefined;
