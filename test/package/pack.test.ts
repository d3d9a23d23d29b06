/**
 * The packed package works for a separate consumer project: `npm pack` (whose prepack script
 * builds dist/ with tsconfig.build.json), then a consumer that installs the tarball, writes a
 * property test against a tiny racy controller with kuberace's public API, runs it with vitest
 * (no special config: dist is plain ESM JavaScript), typechecks it with strict tsc (no
 * skipLibCheck, so kuberace's .d.ts files are checked too), and imports the package from plain
 * Node without any TypeScript loader.
 *
 * Offline-safe: the tarball is unpacked into consumer/node_modules/kuberace, which is what
 * `npm install <tarball>` does with the package's files, and kuberace's dependencies and the
 * tools (vitest, typescript, @types/node) are links to this repository's node_modules.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'kuberace-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'TEST' || k === 'NODE_ENV' || k === 'FORCE_COLOR') continue;
    // npm lifecycle variables of an outer `npm test` would leak into the inner npm.
    if (k.startsWith('npm_')) continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  return env;
}

function run(cmd: string, args: string[], cwd: string): { status: number; stdout: string; output: string } {
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 90_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout ?? '', output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The consumer's own model, in a module of its own (what \`kuberace --model\` loads). */
const CONSUMER_MODEL = `import {
  type ReconcileContext,
  type StoredObject,
  atStable,
  defineController,
  defineExternalSystem,
  defineKind,
  defineModel,
  isNotFound,
} from 'kuberace';

// A tiny controller: for each Lease object it reserves a slot in an external pool and adds a
// finalizer; the buggy variant reserves before adding the finalizer.
const LeaseKind = defineKind({ apiVersion: 'example.com/v1', kind: 'Lease', namespaced: true });
type Lease = StoredObject<{ readonly slot: string }>;
const FINALIZER = 'example.com/slot';
const pool = defineExternalSystem<Readonly<Record<string, true>>>({
  name: 'pool',
  initial: {},
  calls: {
    reserve: (s, a: { id: string }) => ({ state: { ...s, [a.id]: true as const } }),
    release: (s, a: { id: string }) => {
      const { [a.id]: _gone, ...rest } = s;
      return { state: rest };
    },
  },
});

function reconcile(finalizerFirst: boolean) {
  return function* reconcileLease(ctx: ReconcileContext, key: string) {
    const [ns, name] = key.split('/');
    let lease: Lease;
    try {
      lease = yield* ctx.lister<Lease>('Lease').get(ns, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    // The lease this one replaces, if any (there is none here). The not-found error comes from
    // the engine and isNotFound comes from this module's 'kuberace': under the CLI they must be
    // one copy of kuberace, or this throws.
    try {
      yield* ctx.lister<Lease>('Lease').get(ns, \`\${name}-previous\`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const fins = lease.metadata.finalizers ?? [];
    if (lease.metadata.deletionTimestamp) {
      if (!fins.includes(FINALIZER)) return;
      yield* ctx.external('pool', 'release', { id: key });
      yield* ctx.client.update({ ...lease, metadata: { ...lease.metadata, finalizers: fins.filter((f) => f !== FINALIZER) } });
      return;
    }
    if (fins.includes(FINALIZER)) return;
    if (finalizerFirst) lease = yield* ctx.client.update<Lease>({ ...lease, metadata: { ...lease.metadata, finalizers: [...fins, FINALIZER] } });
    yield* ctx.external('pool', 'reserve', { id: key });
    if (!finalizerFirst) yield* ctx.client.update({ ...lease, metadata: { ...lease.metadata, finalizers: [...fins, FINALIZER] } });
  };
}

export const model = defineModel<{ finalizerFirst: boolean }>({
  name: 'lease',
  description: 'consumer test model',
  variants: { buggy: { description: 'reserve, then finalizer', config: { finalizerFirst: false } }, fixed: { description: 'finalizer first', config: { finalizerFirst: true } } },
  system: (c) => ({
    kinds: [LeaseKind],
    externals: [pool],
    systemActors: [],
    controllers: [
      defineController({
        name: 'lease-controller',
        initialMemory: null,
        watches: { Lease: { add: (ctx, o) => ctx.enqueue('q', \`\${o.metadata.namespace}/\${o.metadata.name}\`), update: (ctx, _o, o) => ctx.enqueue('q', \`\${o.metadata.namespace}/\${o.metadata.name}\`) } },
        queues: { q: { workers: 1, reconcile: reconcile(c.finalizerFirst) } },
      }),
    ],
  }),
  properties: [
    atStable('no-leaked-slot', (v) => Object.keys(v.external<Record<string, true>>('pool')).every((id) => v.get('Lease', ...(id.split('/') as [string, string]))) || 'a slot outlives its Lease'),
  ],
  scenarios: {
    race: {
      setup: [{ verb: 'create', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } }],
      ops: [
        { verb: 'create', object: { apiVersion: 'example.com/v1', kind: 'Lease', metadata: { name: 'l1', namespace: 'default' }, spec: { slot: 'a' } } },
        { verb: 'delete', kind: 'Lease', namespace: 'default', name: 'l1' },
      ],
    },
  },
});

`;

const CONSUMER_TEST = `import { describe, expect, expectTypeOf, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { type CheckReport, CounterexampleError, checkExhaustive, checkRandom, kuberaceProperty } from 'kuberace';
import { model } from './models/lease.ts';

describe('kuberace from the packed package', () => {
  test('checkRandom finds the race in the buggy variant', () => {
    const report: CheckReport = checkRandom(model, { variant: 'buggy', seed: 7 });
    expect(report.result).toBe('violated');
    expect(report.violation?.property).toBe('no-leaked-slot');
    expect(report.counterexample?.steps.length).toBeGreaterThan(0);
  });

  test('the fixed variant holds on every interleaving', () => {
    const report = checkExhaustive(model, { variant: 'fixed' });
    expect(report.result).toBe('holds');
    expect(report.stats.complete).toBe(true);
  });

  test('kuberaceProperty fails with a CounterexampleError', () => {
    const p = kuberaceProperty(model, { variant: 'buggy', dir: false });
    let error: unknown;
    try {
      fc.assert(p, { ...p.parameters, seed: 7 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CounterexampleError);
    expect((error as CounterexampleError).message).toContain('property "no-leaked-slot" (atStable) violated');
  });

  test('a failure prints a replay command that finds the model module', () => {
    const p = kuberaceProperty(model, { variant: 'buggy' });
    let error: CounterexampleError | undefined;
    try {
      fc.assert(p, { ...p.parameters, seed: 7 });
    } catch (e) {
      error = e as CounterexampleError;
    }
    expect(error?.replayCommand).toMatch(/^npx kuberace replay --model models\\/lease\\.ts \\.kuberace\\/lease-buggy-no-leaked-slot-[0-9a-f]{10}\\.json$/);
    writeFileSync('replay-command.txt', error!.replayCommand!);
  });

  test('the types are real, not any', () => {
    expectTypeOf(checkRandom).returns.toEqualTypeOf<CheckReport>();
    // @ts-expect-error numRuns is a number
    expect(() => checkRandom(model, { numRuns: 'many', variant: 'nope' })).toThrow(/unknown variant "nope"/);
  });
});
`;

/** A consumer that is plain Node: no TypeScript, no test runner. */
const CONSUMER_PLAIN = `import { createRequire } from 'node:module';
import { checkRandom, defineKind, builtinKinds } from 'kuberace';
const pkg = createRequire(import.meta.url)('kuberace/package.json');
const k = defineKind({ apiVersion: 'example.com/v1', kind: 'Thing', namespaced: false });
console.log(JSON.stringify({ version: pkg.version, kind: k.kind, builtins: builtinKinds.length, checkRandom: typeof checkRandom }));
`;

describe('npm pack', () => {
  test(
    'produces a package a separate project installs, tests, typechecks and imports from plain Node',
    () => {
      // 1. Pack (prepack builds dist/).
      const pack = run('npm', ['pack', '--pack-destination', work, '--json'], root);
      expect(pack.status, pack.output).toBe(0);
      const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
      const files = info[0].files.map((f) => f.path);
      for (const f of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/check/vitest.js', 'src/index.ts', 'docs/guide.md', 'LICENSE', 'docs/apiserver-semantics.md', 'scenarios/kube-ovn-issue-4898.yaml']) {
        expect(files).toContain(f);
      }
      expect(files.filter((f) => f.startsWith('test/') || f.startsWith('node_modules/') || f.startsWith('.kuberace/'))).toEqual([]);
      const tarball = join(work, info[0].filename);

      // 2. "Install" it into a consumer project.
      const consumer = join(work, 'consumer');
      const nm = join(consumer, 'node_modules');
      mkdirSync(join(nm, 'kuberace'), { recursive: true });
      const untar = run('tar', ['-xzf', tarball, '-C', join(nm, 'kuberace'), '--strip-components=1'], work);
      expect(untar.status, untar.output).toBe(0);
      const packed = JSON.parse(readFileSync(join(nm, 'kuberace/package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string>; exports: unknown };
      expect(packed.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' });
      // fast-check is a peer dependency: the consumer brings its own (one copy, its version).
      expect(packed.peerDependencies).toEqual({ 'fast-check': '^4' });
      expect(Object.keys(packed.dependencies)).not.toContain('fast-check');
      for (const dep of [...Object.keys(packed.dependencies), ...Object.keys(packed.peerDependencies), 'vitest', 'typescript', '@types']) {
        mkdirSync(dirname(join(nm, dep)), { recursive: true });
        symlinkSync(join(root, 'node_modules', dep), join(nm, dep), 'dir');
      }
      writeFileSync(
        join(consumer, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { kuberace: `file:${tarball}`, 'fast-check': '^4' } }, null, 2),
      );
      writeFileSync(
        join(consumer, 'tsconfig.json'),
        JSON.stringify(
          { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, allowImportingTsExtensions: true, types: ['node'], skipLibCheck: false }, files: ['lease.test.ts'] },
          null,
          2,
        ),
      );
      writeFileSync(join(consumer, 'lease.test.ts'), CONSUMER_TEST);
      mkdirSync(join(consumer, 'models'));
      writeFileSync(join(consumer, 'models/lease.ts'), CONSUMER_MODEL);
      writeFileSync(join(consumer, 'plain.mjs'), CONSUMER_PLAIN);

      // 3. Its property test runs under vitest with no configuration and finds the race.
      const vitest = run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', consumer], consumer);
      expect(vitest.status, vitest.output).toBe(0);
      expect(vitest.output).toMatch(/Tests\s+5 passed \(5\)/);

      // 4. It typechecks, kuberace's declaration files included.
      const tsc = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer], consumer);
      expect(tsc.output).toBe('');
      expect(tsc.status).toBe(0);

      // 5. Plain Node imports the built JavaScript.
      const node = run(process.execPath, ['plain.mjs'], consumer);
      expect(node.status, node.output).toBe(0);
      expect(JSON.parse(node.stdout)).toEqual({ version: '0.1.0', kind: 'Thing', builtins: 4, checkRandom: 'function' });
      expect(readdirSync(join(nm, 'kuberace/dist')).sort()).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']));

      // 6. The CLI of the installed package on the consumer's own model: the replay command the
      //    failing test printed works as printed, and renders the counterexample as HTML.
      const bin = join(nm, 'kuberace/bin/kuberace.mjs');
      const kuberace = (...args: string[]) => run(process.execPath, [bin, ...args], consumer);
      const printed = readFileSync(join(consumer, 'replay-command.txt'), 'utf8').trim().split(' ');
      expect(printed.slice(0, 2)).toEqual(['npx', 'kuberace']);
      const text = kuberace(...printed.slice(2));
      expect(text.status, text.output).toBe(1);
      expect(text.stdout).toMatch(/lease\/buggy: reproduced: no-leaked-slot violated/);
      const html = kuberace(...printed.slice(2), '--format', 'html', '--out', 'lease.html');
      expect(html.status, html.output).toBe(1);
      const page = readFileSync(join(consumer, 'lease.html'), 'utf8');
      expect(page).toMatch(/^<!DOCTYPE html>/);
      expect(page).toContain('no-leaked-slot');
      expect(page).toContain('"name":"lease-controller"'); // the controller's cache, queues and memory are embedded
      // Without --model the CLI does not know the model, and says how to tell it.
      const bare = kuberace('replay', printed.at(-1)!);
      expect(bare.status).toBe(2);
      expect(bare.output).toMatch(/unknown model "lease" in trace .*--model FILE or a kuberace\.config\.ts/);
      // check and explore (in worker threads) load it too; a kuberace.config.ts replaces --model.
      const check = kuberace('check', '--model', 'models/lease.ts', '--variant', 'buggy', '--seed', '7', '--out', 'check.json');
      expect(check.status, check.output).toBe(1);
      expect(check.stdout).toContain('replay: npx kuberace replay --model models/lease.ts check.json');
      const explore = kuberace('explore', '--model', 'models/lease.ts', '--variant', 'fixed', '--workers', '2', '--json');
      expect(explore.status, explore.output).toBe(0);
      expect(JSON.parse(explore.stdout)).toMatchObject({ model: 'lease', result: 'holds', stats: { complete: true, shards: 2 } });
      writeFileSync(join(consumer, 'kuberace.config.ts'), "import { model } from './models/lease.ts';\nexport default { models: [model] };\n");
      const configured = kuberace('replay', 'check.json', '--format', 'json');
      expect(configured.status, configured.output).toBe(1);
      expect(JSON.parse(configured.stdout).replay.status).toBe('reproduced');
    },
    120_000,
  );
});
