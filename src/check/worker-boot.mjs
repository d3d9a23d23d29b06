// Worker-thread bootstrap for ./parallel.ts: load tsx's loader in this thread, then the
// TypeScript worker (./worker.ts). `execArgv: ['--import', 'tsx']` alone is not enough: tsx
// (4.x) registers its hooks only in the main thread on Node 20, so the worker imports
// through tsx's API instead.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';
import './self-resolve-register.mjs'; // a user model's 'kuberace' is this copy

await tsImport(workerData.entry, import.meta.url);
