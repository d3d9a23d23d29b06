/**
 * Entry point of the kuberace command line: `npx tsx src/cli.ts <command>` (what `npm start`
 * and bin/kuberace.mjs run). See src/cli/main.ts.
 */
import './check/self-resolve-register.mjs'; // a user model's 'kuberace' is this copy (see there)
import { main } from './cli/main.ts';

// `kuberace replay t.json | head`: a closed pipe ends the output quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
