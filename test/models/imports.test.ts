/**
 * The models are written against kuberace's public API only, so each is an example to copy:
 * every import is src/index.ts, a file of the same model (for Kube-OVN, its model directory and
 * its properties file properties/kube-ovn.ts), a node built-in or fast-check.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PUBLIC_API = join(root, 'src/index.ts');
/** A model: the files checked and the paths (directories or files) they may import besides src/index.ts. */
interface ModelFiles {
  readonly name: string;
  readonly files: readonly string[];
  readonly own: readonly string[];
}
const KUBE_OVN_OWN = ['models/kube-ovn', 'properties/kube-ovn.ts'];
const MODELS: readonly ModelFiles[] = [
  { name: 'models/vpc', files: ['models/vpc'], own: ['models/vpc'] },
  { name: 'models/operator', files: ['models/operator'], own: ['models/operator'] },
  { name: 'models/kube-ovn', files: ['models/kube-ovn'], own: KUBE_OVN_OWN },
  { name: 'properties/kube-ovn.ts', files: ['properties/kube-ovn.ts'], own: KUBE_OVN_OWN },
];

function files(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
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

function allowed(file: string, own: readonly string[], spec: string): boolean {
  if (spec.startsWith('node:') || builtins.has(spec)) return true;
  if (spec === 'fast-check') return true;
  if (!spec.startsWith('.')) return false;
  const target = resolve(dirname(file), spec);
  if (target === PUBLIC_API) return true;
  return own.some((o) => {
    const rel = relative(o, target);
    return rel === '' || !(rel.startsWith('..') || rel.startsWith('/'));
  });
}

describe('models use the public API only', () => {
  test('the scanner sees every kind of import', () => {
    const src = `import { a } from '../../src/engine/x.ts';\nimport type { B } from "./b.ts";\nexport * from './c.ts';\nexport { d } from '../d.ts';\nconst e = await import('../../src/api/e.ts');\nimport 'side-effect';\n// import { no } from 'comment';\n`;
    expect(specifiers(src)).toEqual(['../../src/engine/x.ts', './b.ts', './c.ts', '../d.ts', 'side-effect', '../../src/api/e.ts']);
    const vpc = [join(root, 'models/vpc')];
    const f = join(root, 'models/vpc/index.ts');
    expect(allowed(f, vpc, '../../src/index.ts')).toBe(true);
    expect(allowed(f, vpc, './objects.ts')).toBe(true);
    expect(allowed(f, vpc, 'node:fs')).toBe(true);
    expect(allowed(f, vpc, 'fast-check')).toBe(true);
    expect(allowed(f, vpc, '../../src/engine/system.ts')).toBe(false);
    expect(allowed(f, vpc, '../kube-ovn/objects.ts')).toBe(false);
    expect(allowed(f, vpc, 'immer')).toBe(false);
    const ovn = KUBE_OVN_OWN.map((o) => join(root, o));
    const g = join(root, 'models/kube-ovn/index.ts');
    expect(allowed(g, ovn, '../../properties/kube-ovn.ts')).toBe(true);
    expect(allowed(g, ovn, '../../properties/other.ts')).toBe(false);
    expect(allowed(g, ovn, '../../src/api/json.ts')).toBe(false);
    const p = join(root, 'properties/kube-ovn.ts');
    expect(allowed(p, ovn, '../models/kube-ovn/context.ts')).toBe(true);
    expect(allowed(p, ovn, '../src/check/property.ts')).toBe(false);
  });

  for (const model of MODELS) {
    test(`${model.name} imports only src/index.ts, its own files, node built-ins and fast-check`, () => {
      const own = model.own.map((o) => join(root, o));
      const found = model.files.flatMap((d) => files(join(root, d)));
      expect(found.length).toBeGreaterThan(0);
      const bad: string[] = [];
      let publicImports = 0;
      for (const f of found) {
        for (const spec of specifiers(readFileSync(f, 'utf8'))) {
          if (!allowed(f, own, spec)) bad.push(`${relative(root, f)}: ${spec}`);
          if (spec.startsWith('.') && resolve(dirname(f), spec) === PUBLIC_API) publicImports++;
        }
      }
      expect(bad).toEqual([]);
      expect(publicImports).toBeGreaterThan(0);
    });
  }
});
