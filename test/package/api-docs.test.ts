/**
 * The public API is documented: every export of src/index.ts carries a doc comment with an
 * `@example`, read with the TypeScript compiler API (so a new export without one fails here).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const INDEX = join(root, 'src/index.ts');

function exportsOf(): Map<string, { doc: string; example: boolean }[]> {
  const program = ts.createProgram([INDEX], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(INDEX)!;
  const out = new Map<string, { doc: string; example: boolean }[]>();
  for (const sym of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    const decls = (sym.declarations ?? []).filter((d) => d.getSourceFile() === source);
    out.set(
      sym.getName(),
      decls.map((d) => {
        const host = ts.isVariableDeclaration(d) ? d.parent.parent : d;
        const docs = ts.getJSDocCommentsAndTags(host).filter(ts.isJSDoc);
        const doc = docs.map((j) => (typeof j.comment === 'string' ? j.comment : ts.getTextOfJSDocComment(j.comment) ?? '')).join('\n');
        const example = docs.some((j) => (j.tags ?? []).some((t) => t.tagName.text === 'example' && (ts.getTextOfJSDocComment(t.comment) ?? '').trim().length > 0));
        return { doc, example };
      }),
    );
  }
  return out;
}

describe('src/index.ts', () => {
  const exported = exportsOf();

  test('exports what a controller author needs', () => {
    const names = [...exported.keys()];
    for (const name of [
      'defineKind', 'PodKind', 'builtinKinds', 'KubeObject', 'StoredObject', 'ObjectMeta',
      'ApiError', 'isNotFound', 'isConflict',
      'ControllerDef', 'defineController', 'Scenario', 'UserOp', 'ExternalSystemDef', 'defineExternalSystem', 'ExternalError',
      'ReconcileContext', 'ReconcileError', 'Effect', 'EngineOptions',
      'defineModel', 'always', 'atStable', 'sometimes', 'WorldView', 'checkRandom', 'checkExhaustive', 'CheckReport',
      'readTraceFile', 'writeTraceFile', 'replayTrace', 'describeTrace', 'kuberaceProperty', 'expectHolds', 'CounterexampleError',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(names.length).toBeGreaterThan(80);
  });

  test('every export has a doc comment with an @example', () => {
    const missing: string[] = [];
    for (const [name, decls] of exported) {
      if (!decls.some((d) => d.doc.trim().length > 0 && d.example)) missing.push(name);
    }
    expect(missing).toEqual([]);
  });
});
