/**
 * docs/guide.md is executable: this test replays it in a fresh project.
 *
 * - Every ```ts block must start with `// guide:run <file>` (append the block to <file>) or
 *   `// guide:run <file> replace <name>` (replace the top-level declaration <name> in <file>).
 * - A ```sh block preceded by `<!-- guide:exec -->` is run with bash in the project (with
 *   `<!-- guide:exec fails -->` it must exit non-zero, otherwise zero).
 * - A ```text block preceded by `<!-- guide:output -->` must match the output of the last
 *   command run: its lines, in order, each equal to a line of the output (ANSI colours removed,
 *   whitespace collapsed, numbers and the trace file hash normalised).
 * - At the end the whole project typechecks with strict tsc.
 *
 * The project imports 'kuberace' from this repository's src/index.ts (a tsconfig `paths` entry
 * for tsc and tsx, a vite alias for vitest) and links this repository's node_modules; the
 * packed package is tested by test/package/pack.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GUIDE = join(root, 'docs/guide.md');

export type GuideStep =
  | { readonly type: 'code'; readonly line: number; readonly file: string; readonly replace?: string; readonly code: string }
  | { readonly type: 'exec'; readonly line: number; readonly fails: boolean; readonly script: string }
  | { readonly type: 'output'; readonly line: number; readonly text: string };

interface Fence {
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  /** The `<!-- guide:... -->` directive on the last non-blank line before the fence, if any. */
  readonly directive?: string;
}

function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    if (end >= lines.length) throw new Error(`docs/guide.md:${i + 1}: unclosed code fence`);
    let prev = i - 1;
    while (prev >= 0 && lines[prev].trim() === '') prev--;
    const d = prev >= 0 ? /^<!--\s*(guide:[^>]*?)\s*-->$/.exec(lines[prev].trim()) : null;
    out.push({ line: i + 1, lang: open[1], body: lines.slice(i + 1, end).join('\n'), ...(d ? { directive: d[1] } : {}) });
    i = end;
  }
  return out;
}

/** The guide as a sequence of steps; throws on a ```ts block without its `// guide:run` line. */
export function parseGuide(markdown: string): GuideStep[] {
  const steps: GuideStep[] = [];
  for (const f of fences(markdown)) {
    if (f.lang === 'ts' || f.lang === 'typescript') {
      const [first, ...rest] = f.body.split('\n');
      const m = /^\/\/ guide:run (\S+)(?: replace (\S+))?\s*$/.exec(first);
      if (!m) throw new Error(`docs/guide.md:${f.line}: a ts block must start with "// guide:run <file>" (found ${JSON.stringify(first)})`);
      steps.push({ type: 'code', line: f.line, file: m[1], ...(m[2] ? { replace: m[2] } : {}), code: rest.join('\n') });
    } else if (f.directive?.startsWith('guide:exec')) {
      if (f.lang !== 'sh' && f.lang !== 'bash') throw new Error(`docs/guide.md:${f.line}: guide:exec needs a sh block`);
      steps.push({ type: 'exec', line: f.line, fails: /\bfails\b/.test(f.directive), script: f.body });
    } else if (f.directive === 'guide:output') {
      steps.push({ type: 'output', line: f.line, text: f.body });
    } else if (f.directive) {
      throw new Error(`docs/guide.md:${f.line}: unknown directive ${f.directive}`);
    }
  }
  return steps;
}

/** Replace the top-level declaration `name` (from its first line to the next line that is `}` or `};`). */
export function replaceDeclaration(source: string, name: string, replacement: string): string {
  const lines = source.split('\n');
  const decl = new RegExp(`^(export )?(async )?(function\\*? ?${name}\\b|(const|let|class|interface|type) ${name}\\b)`);
  const start = lines.findIndex((l) => decl.test(l));
  if (start < 0) throw new Error(`no top-level declaration ${name} to replace`);
  let end = start;
  while (end < lines.length && !/^\};?\s*$/.test(lines[end])) end++;
  if (end >= lines.length) throw new Error(`declaration ${name} has no closing line`);
  return [...lines.slice(0, start), replacement.replace(/\n+$/, ''), ...lines.slice(end + 1)].join('\n');
}

/** ANSI colours removed, whitespace collapsed, numbers and trace hashes normalised. */
export function normalizeLine(line: string): string {
  return line
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/-[0-9a-f]{10}\.json\b/g, '-<hash>.json')
    .replace(/\d+(\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every expected line, in order, equals some later line of the actual output. */
export function matchOutput(expected: string, actual: string): string | undefined {
  const want = expected.split('\n').map(normalizeLine).filter((l) => l && l !== '...');
  const have = actual.split('\n').map(normalizeLine);
  let at = 0;
  for (const w of want) {
    const i = have.indexOf(w, at);
    if (i < 0) return `expected line not found (in order): ${JSON.stringify(w)}`;
    at = i + 1;
  }
  return undefined;
}

/** Run a script with bash in `cwd`, outside this vitest run's environment. */
function run(script: string, cwd: string): { status: number; output: string } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('VITEST') || k === 'NODE_OPTIONS' || k === 'TEST' || k === 'NODE_ENV' || k === 'FORCE_COLOR') continue;
    env[k] = v;
  }
  env.NO_COLOR = '1';
  env.CI = '1';
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: 90_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe('the guide parser', () => {
  test('reads files, directives and outputs; refuses an unmarked ts block', () => {
    const md = [
      '```ts',
      '// guide:run a.ts',
      'export const a = 1;',
      '```',
      '<!-- guide:exec fails -->',
      '```sh',
      'false',
      '```',
      '<!-- guide:output -->',
      '```text',
      'x',
      '```',
      '```json',
      '{}',
      '```',
    ].join('\n');
    expect(parseGuide(md)).toEqual([
      { type: 'code', line: 1, file: 'a.ts', code: 'export const a = 1;' },
      { type: 'exec', line: 6, fails: true, script: 'false' },
      { type: 'output', line: 10, text: 'x' },
    ]);
    expect(() => parseGuide('```ts\nconst x = 1;\n```')).toThrow(/must start with "\/\/ guide:run <file>"/);
  });

  test('replaces one declaration', () => {
    const src = 'import x from "y";\n\nexport function* f(a: number) {\n  yield 1;\n}\n\nexport const g = 2;\n';
    expect(replaceDeclaration(src, 'f', 'export function* f() {\n  yield 2;\n}\n')).toBe('import x from "y";\n\nexport function* f() {\n  yield 2;\n}\n\nexport const g = 2;\n');
    expect(() => replaceDeclaration(src, 'h', '')).toThrow(/no top-level declaration h/);
  });

  test('matches outputs line by line, ignoring colours, spacing, numbers and hashes', () => {
    const actual = '\x1b[2m      Tests \x1b[22m 3 passed (3)\nreplay: npx kuberace replay .kuberace/m-v-p-0123456789.json\n';
    expect(matchOutput('Tests 5 passed (5)\nreplay: npx kuberace replay .kuberace/m-v-p-abcdefabcd.json', actual)).toBeUndefined();
    expect(matchOutput('replay: x\nTests 3 passed (3)', actual)).toMatch(/not found/);
  });
});

describe('docs/guide.md', () => {
  const steps = parseGuide(readFileSync(GUIDE, 'utf8'));
  const project = mkdtempSync(join(tmpdir(), 'kuberace-guide-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  test('every ts block is runnable and the guide exercises the whole workflow', () => {
    const code = steps.filter((s) => s.type === 'code');
    expect(code.length).toBeGreaterThanOrEqual(6);
    const all = code.map((s) => s.code).join('\n');
    for (const api of ['defineKind', 'defineExternalSystem', 'defineController', 'atStable', 'defineModel', 'checkRandom', 'checkExhaustive', 'expectHolds', 'replayTrace', 'readTraceFile', 'kuberaceProperty']) {
      expect(all, api).toContain(api);
    }
    expect(steps.filter((s) => s.type === 'exec' && s.fails)).toHaveLength(1);
  });

  test(
    'runs step by step in a fresh project and does what the text says',
    () => {
      writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'guide-project', private: true, type: 'module' }, null, 2)}\n`);
      writeFileSync(
        join(project, 'tsconfig.json'),
        `${JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2022',
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              noEmit: true,
              allowImportingTsExtensions: true,
              types: ['node'],
              skipLibCheck: true,
              paths: { kuberace: [join(root, 'src/index.ts')] },
            },
            include: ['*.ts'],
          },
          null,
          2,
        )}\n`,
      );
      writeFileSync(
        join(project, 'vitest.config.ts'),
        `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ resolve: { alias: { kuberace: ${JSON.stringify(join(root, 'src/index.ts'))} } }, test: { testTimeout: 60_000 } });\n`,
      );
      symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');

      const files = new Map<string, string>();
      let last: { step: GuideStep; status: number; output: string } | undefined;
      for (const step of steps) {
        const where = `docs/guide.md:${step.line}`;
        if (step.type === 'code') {
          const before = files.get(step.file);
          let next: string;
          if (step.replace) {
            expect(before, `${where}: replace in a file not written yet`).toBeDefined();
            next = replaceDeclaration(before!, step.replace, step.code);
          } else {
            next = before === undefined ? `${step.code}\n` : `${before}\n${step.code}\n`;
          }
          files.set(step.file, next);
          writeFileSync(join(project, step.file), next);
        } else if (step.type === 'exec') {
          const r = run(step.script, project);
          last = { step, ...r };
          if (step.fails) expect(r.status, `${where}: expected a failure\n${r.output}`).not.toBe(0);
          else expect(r.status, `${where}: exit status\n${r.output}`).toBe(0);
        } else {
          expect(last, `${where}: output block before any command`).toBeDefined();
          const problem = matchOutput(step.text, last!.output);
          expect(problem, `${where}: ${problem}\n--- actual output of docs/guide.md:${last!.step.line} ---\n${last!.output}`).toBeUndefined();
        }
      }

      // What the text claims, beyond the shown output:
      // step 4 wrote the counterexample, which step 8 committed;
      const traces = readdirSync(join(project, '.kuberace'));
      expect(traces).toHaveLength(1);
      expect(traces[0]).toMatch(/^backup-main-no-orphan-snapshot-[0-9a-f]{10}\.json$/);
      const committed = JSON.parse(readFileSync(join(project, 'counterexamples/delete-during-snapshot.json'), 'utf8'));
      expect(committed).toMatchObject({ format: 'kuberace-trace/1', model: 'backup', variant: 'main', violation: { property: 'no-orphan-snapshot' } });
      // the fixed controller is what the project ends with;
      expect(files.get('backup.ts')).toContain('The fix: hold the object BEFORE the snapshot exists.');
      expect(files.get('backup.ts')!.match(/function\* reconcileBackup/g)).toHaveLength(1);
      // and all of it typechecks under strict settings.
      const tsc = run(`${JSON.stringify(join(root, 'node_modules/.bin/tsc'))} -p .`, project);
      expect(tsc.output).toBe('');
      expect(tsc.status).toBe(0);
      expect(existsSync(join(project, 'explain.ts'))).toBe(true);
    },
    120_000,
  );
});
