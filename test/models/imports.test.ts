/**
 * models/vpc and models/operator are written against kuberace's public API only: every import
 * is src/index.ts, a sibling file of the same model, a node built-in or fast-check.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PUBLIC_API = join(root, 'src/index.ts');
const MODELS = ['models/vpc', 'models/operator'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.[cm]?[jt]s$/.test(f) ? [p] : [];
  });
}

/** Module specifiers of static imports, re-exports, dynamic imports and require calls. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  // Comments may mention modules; strip them first (line and block comments).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

const builtins = new Set(builtinModules);

function allowed(file: string, modelDir: string, spec: string): boolean {
  if (spec.startsWith('node:') || builtins.has(spec)) return true;
  if (spec === 'fast-check') return true;
  if (!spec.startsWith('.')) return false;
  const target = resolve(dirname(file), spec);
  if (target === PUBLIC_API) return true;
  return !relative(modelDir, target).startsWith('..');
}

describe('models use the public API only', () => {
  test('the scanner sees every kind of import', () => {
    const src = `import { a } from '../../src/engine/x.ts';\nimport type { B } from "./b.ts";\nexport * from './c.ts';\nexport { d } from '../d.ts';\nconst e = await import('../../src/api/e.ts');\nimport 'side-effect';\n// import { no } from 'comment';\n`;
    expect(specifiers(src)).toEqual(['../../src/engine/x.ts', './b.ts', './c.ts', '../d.ts', 'side-effect', '../../src/api/e.ts']);
    const modelDir = join(root, 'models/vpc');
    const f = join(modelDir, 'index.ts');
    expect(allowed(f, modelDir, '../../src/index.ts')).toBe(true);
    expect(allowed(f, modelDir, './objects.ts')).toBe(true);
    expect(allowed(f, modelDir, 'node:fs')).toBe(true);
    expect(allowed(f, modelDir, 'fast-check')).toBe(true);
    expect(allowed(f, modelDir, '../../src/engine/system.ts')).toBe(false);
    expect(allowed(f, modelDir, '../kube-ovn/objects.ts')).toBe(false);
    expect(allowed(f, modelDir, 'immer')).toBe(false);
  });

  for (const dir of MODELS) {
    test(`${dir} imports only src/index.ts, its own files, node built-ins and fast-check`, () => {
      const modelDir = join(root, dir);
      const found = files(modelDir);
      expect(found.length).toBeGreaterThan(0);
      const bad: string[] = [];
      let publicImports = 0;
      for (const f of found) {
        for (const spec of specifiers(readFileSync(f, 'utf8'))) {
          if (!allowed(f, modelDir, spec)) bad.push(`${relative(root, f)}: ${spec}`);
          if (spec.startsWith('.') && resolve(dirname(f), spec) === PUBLIC_API) publicImports++;
        }
      }
      expect(bad).toEqual([]);
      expect(publicImports).toBeGreaterThan(0);
    });
  }
});
