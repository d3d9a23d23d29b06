#!/usr/bin/env node
// The kuberace command: runs src/cli.ts through tsx (resolved from this package, so it works
// from a checkout, `npx kuberace`, or an install) in a child Node process that inherits the
// terminal, and exits with its exit code.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
let tsx;
try {
  tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
} catch {
  process.stderr.write('kuberace: cannot find the tsx package (run npm install in the kuberace checkout)\n');
  process.exit(2);
}
const child = spawn(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => {
  process.stderr.write(`kuberace: cannot start node: ${e.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  else process.exit(code ?? 2);
});
