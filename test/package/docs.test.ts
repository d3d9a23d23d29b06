/**
 * The documents a user reads first hold up: the licence matches package.json, the README's
 * vitest example imports from the package, the install lines work without a registry entry,
 * fast-check is a peer dependency, and every file the docs point to (the API semantics spec,
 * scenario files, other docs) exists and is shipped in the package.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as { license: string; files: string[]; dependencies: Record<string, string>; peerDependencies?: Record<string, string>; devDependencies: Record<string, string> };
const DOCS = ['README.md', 'docs/guide.md', 'docs/ARCHITECTURE.md', 'src/api/README.md'];

/** Whether package.json "files" ships a path (first path segment listed, not excluded). */
function shipped(path: string): boolean {
  if (['package.json', 'README.md', 'LICENSE'].includes(path)) return true;
  const top = path.split('/')[0];
  return pkg.files.includes(top) && !pkg.files.some((f) => f.startsWith('!') && (path === f.slice(1) || path.startsWith(`${f.slice(1)}/`)));
}

describe('user-facing documents', () => {
  test('LICENSE is the Apache License 2.0 text, as package.json says', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = read('LICENSE');
    expect(text).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    // The canonical https://www.apache.org/licenses/LICENSE-2.0.txt, byte for byte.
    expect(createHash('md5').update(text).digest('hex')).toBe('3b83ef96387f14655fc854ddc3c6bd57');
    expect(shipped('LICENSE')).toBe(true);
  });

  test("the README's vitest example imports kuberace by package name", () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Using it in vitest'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    expect(code).toMatch(/from 'kuberace';/);
    expect(code).not.toMatch(/from '\.\/src\//);
  });

  test('fast-check is a peer dependency; the install lines install the package from a tarball, with fast-check', () => {
    expect(pkg.peerDependencies).toEqual({ 'fast-check': '^4' });
    expect(pkg.dependencies).not.toHaveProperty('fast-check');
    expect(pkg.devDependencies).toHaveProperty('fast-check');
    for (const f of ['README.md', 'docs/guide.md']) {
      const installs = read(f).split('\n').filter((l) => /^npm install\b/.test(l));
      expect(installs.length, f).toBeGreaterThan(0);
      for (const l of installs) {
        expect(l, f).toMatch(/\.\/kuberace\/kuberace-\d+\.\d+\.\d+\.tgz/);
        expect(l, f).toMatch(/\bfast-check\b/);
        expect(l.split(/\s+/), f).not.toContain('kuberace'); // not on the registry yet
      }
      const version = /kuberace-(\d+\.\d+\.\d+)\.tgz/.exec(installs[0])![1];
      expect(version).toBe(JSON.parse(read('package.json')).version);
    }
  });

  test('the spec the docs cite is in the repository and shipped; none cites the outside copy', () => {
    expect(existsSync(join(root, 'docs/apiserver-semantics.md'))).toBe(true);
    expect(shipped('docs/apiserver-semantics.md')).toBe(true);
    const spec = read('docs/apiserver-semantics.md');
    for (const id of ['D3', 'D5', 'D6', 'D9']) expect(spec).toMatch(new RegExp(`^- ${id} `, 'm'));
    for (const f of [...DOCS, 'src/api/server.ts']) expect(read(f), f).not.toContain('shared/spec');
  });

  test('every relative link and scenario file in the docs exists and is shipped', () => {
    for (const f of DOCS) {
      const text = read(f);
      const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l) && !l.startsWith('api/'));
      for (const l of links) {
        const target = relative(root, resolve(root, dirname(f), l));
        expect(existsSync(join(root, target)), `${f} links ${l}`).toBe(true);
        if (f === 'README.md' || f.startsWith('docs/')) expect(shipped(target), `${f} links ${target}, not shipped`).toBe(true);
      }
      for (const m of text.matchAll(/\bscenarios\/[\w.-]+\.ya?ml\b/g)) {
        expect(existsSync(join(root, m[0])), `${f} names ${m[0]}`).toBe(true);
        expect(shipped(m[0])).toBe(true);
      }
    }
  });

  test('the docs say where pod deletion is immediate and what stable means', () => {
    const readme = read('README.md');
    const guide = read('docs/guide.md');
    expect(readme).toMatch(/Deleting a Pod without `spec\.nodeName` is immediate \(D9\)/);
    expect(guide).toMatch(/Pod without `spec\.nodeName`/);
    expect(readme).toMatch(/\| \*\*stable\*\* \|/);
    expect(guide).toMatch(/a world is \*stable\* when/);
  });
});
