/**
 * The API reference builds: `npm run docs` (TypeDoc over src/index.ts, typedoc.json) must
 * finish without a single warning — typedoc.json sets treatWarningsAsErrors, and this test
 * also fails on any warning line in case that setting is lost. The JSON output is checked too:
 * one page per export of src/index.ts, each with a summary and an `@example`, and a
 * deliberately broken link in a scratch project is shown to fail the same configuration.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as api from '../../src/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TYPEDOC = join(root, 'node_modules/typedoc/bin/typedoc');
const work = mkdtempSync(join(tmpdir(), 'kuberace-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function typedoc(options: string, args: string[]): { status: number; output: string } {
  const r = spawnSync(process.execPath, [TYPEDOC, '--options', options, ...args], {
    cwd: dirname(options),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

interface Part {
  readonly kind: string;
  readonly text: string;
}
interface Comment {
  readonly summary: readonly Part[];
  readonly blockTags?: readonly { readonly tag: string; readonly content: readonly Part[] }[];
}
interface Reflection {
  readonly name: string;
  readonly comment?: Comment;
  readonly signatures?: readonly { readonly comment?: Comment }[];
}

describe('npm run docs (TypeDoc)', () => {
  const out = join(work, 'html');
  const json = join(work, 'api.json');
  let run: { status: number; output: string };
  let seconds: number;
  beforeAll(() => {
    const started = Date.now();
    run = typedoc(join(root, 'typedoc.json'), ['--out', out, '--json', json]);
    seconds = (Date.now() - started) / 1000;
  }, 90_000);

  test('builds the reference without a warning, in well under a minute', () => {
    expect(run.output).not.toMatch(/\[(warning|error)\]/i);
    expect(run.status, run.output).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'functions/checkRandom.html'))).toBe(true);
    expect(seconds).toBeLessThan(60);
  });

  test('documents every export of src/index.ts with a summary and an example', () => {
    const project = JSON.parse(readFileSync(json, 'utf8')) as { children: readonly Reflection[] };
    const names = project.children.map((c) => c.name).sort();
    // Runtime exports must all be there; type-only exports are counted by api-docs.test.ts.
    for (const value of Object.keys(api)) expect(names, value).toContain(value);
    expect(names.length).toBeGreaterThan(Object.keys(api).length);
    const lacking: string[] = [];
    for (const c of project.children) {
      const comment = c.comment ?? c.signatures?.find((s) => s.comment)?.comment;
      const summary = (comment?.summary ?? []).map((p) => p.text).join('').trim();
      const example = (comment?.blockTags ?? []).some((t) => t.tag === '@example' && t.content.some((p) => p.kind === 'code'));
      if (!summary || !example) lacking.push(c.name);
    }
    expect(lacking).toEqual([]);
  });

  test('the configuration turns a warning into a failure', () => {
    // typedoc.json's own settings, pointed at a scratch file with a link to nothing.
    const scratch = join(work, 'scratch');
    mkdirSync(scratch, { recursive: true });
    writeFileSync(join(scratch, 'bad.ts'), '/**\n * Points at {@link Nowhere}.\n *\n * @example\n * ```ts\n * x;\n * ```\n */\nexport const x = 1;\n');
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', target: 'ES2022', noEmit: true }, files: ['bad.ts'] }));
    const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as Record<string, unknown>;
    expect(config.treatWarningsAsErrors).toBe(true);
    const options = { ...config, entryPoints: ['bad.ts'], tsconfig: 'tsconfig.json', out: 'out', intentionallyNotExported: [] };
    writeFileSync(join(scratch, 'typedoc.json'), JSON.stringify(options));
    const bad = typedoc(join(scratch, 'typedoc.json'), []);
    expect(bad.output).toMatch(/\[warning\].*Nowhere/);
    expect(bad.status).not.toBe(0);
  });
});
