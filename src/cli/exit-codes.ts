/**
 * The exit codes of the kuberace command line, one meaning each (documented in `--help` and
 * the README), so that scripts and CI can tell a proof from a bounded search.
 */

/** Every property holds (explore: and the search was complete). */
export const EXIT_HOLDS = 0;
/** A property is violated (a counterexample was found, or a replay reproduced one). */
export const EXIT_VIOLATED = 1;
/** Bad usage or input: one line on stderr. */
export const EXIT_USAGE = 2;
/** explore: no violation found, but a depth, state or time budget (or the JS heap) cut the search short. */
export const EXIT_INCOMPLETE = 3;
/** replay: on its own variant the recorded violation did not happen again (the model or a property changed). */
export const EXIT_NOT_REPRODUCED = 4;
/** Interrupted (Ctrl-C, SIGINT) after printing what was covered: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** The line `kuberace --help` shows. */
export const EXIT_CODES_HELP =
  'exit codes: 0 all properties hold (explore: search complete), 1 a property is violated,\n' +
  '  2 bad usage or input, 3 no violation found but a budget or the memory cut the search short,\n' +
  '  4 replay did not reproduce the recorded violation on its own variant, 130 interrupted (Ctrl-C)';
