/**
 * Counterexample classes: a model may name which known failure a violation is (Kube-OVN's
 * "scenario A", "scenario B as reported", ...) and show the final-state facts that prove it, so a
 * reader of a report, a trace or a results matrix sees the class without rerunning anything.
 */
import type { WorldView } from './view.ts';

/** A named class of violation and the final-state evidence for it. */
export interface Classification {
  /** Short and stable, e.g. `scenario A`; used in matrix cells. */
  readonly label: string;
  /** Facts of the world at the violation, one per line (`IP p1.vm: pod vm/p1 gone, subnet s1 gone`). */
  readonly evidence: readonly string[];
}

/** Names the class of a violation of `property` in the violating world; undefined when it knows none. */
export type Classifier = (view: WorldView, violation: { readonly property: string; readonly message: string }) => Classification | undefined;
