/**
 * The kuberace command line. `main(argv, io)` runs one command and returns its exit code
 * (./exit-codes.ts): 0 every property holds, 1 a property is violated, 2 bad usage or input
 * (one line on stderr, never a stack trace; `--debug` adds the stack of an unexpected error),
 * 3 explore found nothing within its budgets, 4 a replay did not reproduce, 130 interrupted.
 */
import { ModelChangedError, } from '../check/execute.ts';
import { UsageError } from '../check/model.ts';
import { TraceFormatError } from '../trace/format.ts';
import { checkCommand, exploreCommand } from './check.ts';
import { version } from './common.ts';
import { demoCommand } from './demo.ts';
import { type CliIo, processIo } from './io.ts';
import { listCommand } from './list.ts';
import { matrixCommand } from './matrix.ts';
import { type ModelCatalog, loadCatalog } from './models.ts';
import { replayCommand } from './replay.ts';
import { SERVE_HELP, serveCommand } from './serve.ts';

import { EXIT_CODES_HELP, EXIT_HOLDS, EXIT_USAGE } from './exit-codes.ts';

export { EXIT_HOLDS, EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_NOT_REPRODUCED, EXIT_USAGE, EXIT_VIOLATED } from './exit-codes.ts';

const HELP: Record<string, string> = {
  serve: SERVE_HELP,
  '': `kuberace — find races in Kubernetes controllers by deterministic simulation and model checking

usage: kuberace <command> [options]

commands:
  list [model] [--json]              models, variants, properties, scenarios
  check <model> [options]            random search (fast-check) for a property violation
  explore <model> [options]          exhaustive search of every interleaving of one scenario
  replay <trace.json> [options]      re-run a counterexample, render it (text, json, mermaid, yaml, html)
  matrix <model> [options]           every variant x property, written to a Markdown file
  serve <trace.json> [options]       the state at a step of a counterexample as a read-only API for kubectl
  demo                               the Kube-OVN #4898 race, found and explained (npm start)
  help [command]                     this text, or a command's options

${EXIT_CODES_HELP}
models: the bundled ones, those listed in ./kuberace.config.ts (export default { models: [...] }),
  and those of --model FILE (a module exporting a model made with defineModel; repeatable,
  any command; with a single --model model, <model> may be left out)

global options: --model FILE, --debug (stack traces of internal errors), --version, --help
`,
  list: `usage: kuberace list [model] [--json]
  Lists the models with their variants (the first is the default), properties
  (name, kind, description) and named scenarios.
`,
  check: `usage: kuberace check <model> [options]
  Random search: fast-check draws schedules (and scenarios, unless --scenario is given),
  shrinks a failing one and minimises it; the counterexample is written as a trace file
  and printed as a timeline with the final state as kubectl tables.

  --variant V           model variant (default: the first; see kuberace list)
  --runs N              random runs (default 200)
  --seed S              fast-check seed (default random; printed, pass it back to repeat)
  --path P              fast-check replay path: with --seed, straight to a failing run
                        (a failure prints this rerun command; Ctrl-C prints the seed)
  --max-steps N         longest random schedule before the default policy settles (default 60)
  --scenario NAME|FILE  a named scenario or a scenario .yaml file (default: generated ones)
  --property P          check only this property (repeatable; default all)
  --out FILE            trace file for a counterexample (default kuberace-counterexample.json)
  --workers N           split the runs over N worker threads
  --shard i/n           run only shard i of n (CI matrix jobs; 1-based)
  --no-minimize         keep fast-check's shrunk counterexample as it is
  --strategy S         how schedules are drawn: mixed (default: uniform or PCT priorities), uniform, pct
  --json                print one JSON object instead of the report
`,
  explore: `usage: kuberace explore <model> [options]
  Exhaustive search (DFS with sleep-set partial-order reduction, or BFS with --shortest)
  of every interleaving of one scenario, within a depth, state and time budget. Exit 0
  when no property is violated and the search was complete; exit 3 when nothing was found
  but a budget cut it short (the report says which, and which depth was fully covered).

  --variant V           model variant (default: the first)
  --scenario NAME|FILE  a named scenario or a scenario .yaml file (default: the model's first)
  --max-depth D         deepest path (default 400)
  --max-states N        most distinct states (default 2,000,000)
  --max-time SECONDS    wall-clock budget (default none)
  --shortest            breadth-first: the counterexample is a shortest one (no POR)
  --no-por              turn partial-order reduction off
  --por sleep-sets|source-dpor
                        sleep sets (default: prune transitions) or source-set DPOR with state
                        caching (removes states; from the root, one worker)
  --symmetry            symmetry reduction over the scenario's interchangeable names (its
                        \`symmetry\`, e.g. two-pods: p1/user1 and p2/user2); checked on sampled states
  --clock idle|any      when time may pass (default idle: only when nothing else can happen)
  --max-lag N|off       fairness bound: do not expand states where an informer is more than N
                        events behind (default: the model's, kube-ovn 6); the result says so
  --lag-unit events|writes
                        what --max-lag counts: watch events (default) or API writes not fully
                        delivered (the kubelet's grace-0 pod delete is one write, two events)
  --exact-time          key states by exact times and backoff counters, not the idle-clock time
                        abstraction (which keeps only the order of pending timers)
  --workers N           split the root branches over N worker threads
  --shard i/n           explore only shard i of n of the root branches (1-based)
  --property P          check only this property (repeatable; default all)
  --out FILE            trace file for a counterexample (default kuberace-counterexample.json)
  --json                print one JSON object instead of the report
`,
  replay: `usage: kuberace replay <trace.json> [--variant V] [--format F] [--out FILE]
  Re-executes a trace file. On its own variant the replay is strict (a step that is no
  longer enabled means the model changed); with --variant another variant runs the same
  schedule (skipping steps that are not enabled there) and reports whether the violation
  still occurs: exit 0 when the property holds there, 1 when it is still violated. On its
  own variant a replay that no longer violates the property exits 4 (the model or the
  property changed); the trace's fingerprints of the property and the variant config say
  which ("drift"), or "no fingerprint recorded" for older traces.

  --variant V           replay against this variant
  --format F            text (default), json, mermaid, yaml or html
  --out FILE            write the report to FILE instead of stdout
`,
  matrix: `usage: kuberace matrix <model> [options]
  Every variant x property: random search on each named scenario and exhaustive search on
  the small ones, within budgets; writes a Markdown table between <!-- matrix:begin -->
  and <!-- matrix:end --> (text around the markers is kept). Exit 0 once written.

  --scenario NAME       random search on these scenarios (repeatable; default all named)
  --exhaustive NAME     exhaustive search on these (repeatable; default single-network,
                        one-attachment, serialized where the model has them; "none" for none);
                        NAME@K within lag <= K events, NAME@Kw within lag <= K writes
  --variant V           only these variants (repeatable; default all)
  --property P          only these properties (repeatable; default all safety properties)
  --runs N              random runs per scenario (default 200)
  --seed S              fast-check seed (default 1, so the table is reproducible)
  --max-states N        state budget per exhaustive search (default 20,000)
  --max-depth D         depth budget per exhaustive search (default 400)
  --max-time SECONDS    time budget per exhaustive search (default 60)
  --out FILE            Markdown file (default docs/RESULTS.md)
`,
  demo: `usage: kuberace demo [--runs N] [--seed S]
  On kube-ovn v1.12.28 finds scenario A (ip-outlives-pod-and-subnet) and a stuck
  Terminating object (no-stuck-terminating) by random search, prints one counterexample as a
  timeline with kubectl tables, then which variants hold. Exit 0.

  --runs N              random runs per search in the variant table (default 100)
  --seed S              fast-check seed (default 1)
`,
};

type Command = (args: readonly string[], io: CliIo, catalog: ModelCatalog) => number | Promise<number>;

const COMMANDS: Record<string, Command> = {
  list: listCommand,
  check: checkCommand,
  explore: exploreCommand,
  replay: replayCommand,
  matrix: matrixCommand,
  demo: demoCommand,
  serve: serveCommand,
};

/** One line: newlines folded, long messages cut. */
function oneLine(text: string): string {
  const t = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return t.length > 2000 ? `${t.slice(0, 2000)}…` : t;
}

function isInputError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof TraceFormatError || e instanceof ModelChangedError;
}

/**
 * `--model FILE` (or `--model=FILE`, repeatable) anywhere on the line: a module of the user's
 * own models, for every command. Taken out before the command parses its flags.
 */
function globalFlags(argv: readonly string[]): { args: string[]; modelFiles: string[] } {
  const args: string[] = [];
  const modelFiles: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a === '--model') {
      const next = argv[i + 1];
      if (next === undefined || next === '') throw new UsageError('option "--model" needs a value (a module exporting your model, e.g. --model ./models/replicaset.ts)');
      modelFiles.push(next);
      i++;
    } else if (a.startsWith('--model=')) {
      const v = a.slice('--model='.length);
      if (!v) throw new UsageError('option "--model" needs a value (a module exporting your model, e.g. --model ./models/replicaset.ts)');
      modelFiles.push(v);
    } else {
      args.push(a);
    }
  }
  return { args, modelFiles };
}

/** Run one command line (without `node` and the script). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const { args, modelFiles } = globalFlags(argv.filter((a) => a !== '--debug'));
    const [command, ...rest] = args;
    if (command === undefined) throw new UsageError(`missing command (known: ${Object.keys(COMMANDS).join(', ')}, help; see kuberace --help)`);
    if (command === '--help' || command === '-h') {
      io.stdout(HELP['']);
      return EXIT_HOLDS;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout(`kuberace ${version()}\n`);
      return EXIT_HOLDS;
    }
    if (command === 'help') {
      const topic = rest[0] ?? '';
      if (!(topic in HELP)) throw new UsageError(`unknown command "${topic}" (known: ${Object.keys(COMMANDS).join(', ')}, help)`);
      io.stdout(HELP[topic]);
      return EXIT_HOLDS;
    }
    const run = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) {
      throw new UsageError(
        command.startsWith('-')
          ? `expected a command before "${command}" (known: ${Object.keys(COMMANDS).join(', ')}, help)`
          : `unknown command "${command}" (known: ${Object.keys(COMMANDS).join(', ')}, help)`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP[command]);
      return EXIT_HOLDS;
    }
    return await run(rest, io, await loadCatalog(modelFiles, io.cwd));
  } catch (e) {
    if (isInputError(e)) {
      io.stderr(`kuberace: ${oneLine(e.message)}\n`);
    } else {
      const err = e instanceof Error ? e : new Error(String(e));
      io.stderr(`kuberace: internal error: ${oneLine(`${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`)}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
      if (debug && err.stack) io.stderr(`${err.stack}\n`);
    }
    return EXIT_USAGE;
  }
}
