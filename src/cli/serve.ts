/**
 * `kuberace serve <trace.json>`: replay a counterexample and serve the API state at one step
 * as a read-only Kubernetes API on loopback, with a kubeconfig for kubectl. Runs until
 * --exit-after, SIGINT or SIGTERM; the kubeconfig it wrote is removed when it stops.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinKinds, pluralOf } from '../api/kinds.ts';
import { UsageError } from '../check/model.ts';
import { checkStep, loopbackAddress, startApiServer } from '../serve/apiserver-http.ts';
import { defaultNamespace, kubeconfigPathFor, kubeconfigText } from '../serve/kubeconfig.ts';
import { type ServedTrace, serveTrace } from '../serve/snapshots.ts';
import { readTraceArg } from './common.ts';
import { type OptionSpec, int, parseFlags, secondsFlag, str } from './args.ts';
import type { CliIo } from './io.ts';
import type { ModelCatalog } from './models.ts';

export const SERVE_HELP = `usage: kuberace serve <trace.json> [options]
  Replays the counterexample and serves the API state after step N as a read-only
  Kubernetes API on loopback (discovery, get, list, watch; writes are 405), and writes a
  kubeconfig for it, so that \`kubectl --kubeconfig FILE get subnets,ips\` works as is.
  \`kubectl get ips -w\` streams the trace's watch events from step 0 to N.
  Change the step without a restart: curl -X POST http://127.0.0.1:PORT/kuberace/step/N

  --step N              step to serve (0 = after the setup; default: the violation's step)
  --port P              port (default: any free one)
  --address A           127.0.0.1 (default), ::1 or localhost; nothing else is accepted
  --kubeconfig FILE     where to write the kubeconfig (default: next to the trace,
                        x.json -> x.kubeconfig); "-" prints it instead
  --exit-after SECONDS  stop after this long (default: run until interrupted)
`;

export const SERVE_OPTIONS: OptionSpec = {
  step: { type: 'string' },
  port: { type: 'string' },
  address: { type: 'string' },
  kubeconfig: { type: 'string' },
  'exit-after': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** The kubectl command the banner suggests: the model's own kinds (not the built-ins) that occur in the trace. */
export function kubectlHint(kubeconfig: string, served: ServedTrace): string {
  const present = new Set(served.events.map((e) => e.object.kind));
  const own = served.kinds.filter((k) => present.has(k.kind) && !builtinKinds.some((b) => b.kind === k.kind));
  const plurals = (own.length ? own : served.kinds.filter((k) => present.has(k.kind))).map((k) => pluralOf(k));
  return `kubectl --kubeconfig ${kubeconfig} get ${plurals.join(',') || 'namespaces'}`;
}

export async function serveCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): Promise<number> {
  const p = parseFlags('serve', args, SERVE_OPTIONS, 1);
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError('serve: missing <trace.json>');
  const address = loopbackAddress(str(p, 'address') ?? '127.0.0.1');
  const port = int(p, 'port', 0, 65535) ?? 0;
  const exitAfter = secondsFlag(p, 'exit-after');
  const stepFlag = int(p, 'step', 0);
  const trace = readTraceArg(io, file);
  const served = serveTrace(catalog.modelOfTrace(trace), trace);
  const last = served.steps.length - 1;
  const step = stepFlag === undefined ? Math.min(served.violationStep, last) : stepFlag;
  try {
    checkStep(served, step);
  } catch (e) {
    throw new UsageError(`serve: bad --step ${step}: ${file} has steps 0 to ${last}`);
  }
  const server = await startApiServer({
    served,
    step,
    port,
    address,
    onStep: (s) => io.stdout(`step ${s.step}/${last}: ${s.id}\n`),
  });
  const kcArg = str(p, 'kubeconfig');
  const config = kubeconfigText(server.url, defaultNamespace(served));
  let kubeconfig: string | undefined;
  if (kcArg === '-') io.stdout(config);
  else {
    kubeconfig = resolve(io.cwd, kcArg ?? kubeconfigPathFor(file));
    try {
      writeFileSync(kubeconfig, config, { mode: 0o600 });
    } catch (e) {
      await server.close();
      throw new UsageError(`serve: cannot write kubeconfig ${kcArg ?? kubeconfigPathFor(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const shown = kcArg === '-' ? '<the kubeconfig above>' : (kcArg ?? kubeconfigPathFor(file));
  const s = served.steps[step];
  io.stdout(
    [
      `${served.model}/${served.variant}: serving step ${step}/${last} (${s.id}) of ${file}, read-only, at ${server.url}`,
      ...(kubeconfig ? [`kubeconfig: ${shown}`] : []),
      `  ${kubectlHint(kubeconfig ? shown : 'FILE', served)}`,
      `  change step: curl -X POST ${server.url}/kuberace/step/<0-${last}>`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    const timer = exitAfter !== undefined ? setTimeout(stop, exitAfter) : undefined;
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  if (kubeconfig) rmSync(kubeconfig, { force: true });
  return 0;
}
