/**
 * The public API is documented: every export of src/index.ts resolves (through its
 * `export { ... } from` list) to a declaration that carries a doc comment with an `@example`,
 * read with the TypeScript compiler API (so a new export without one fails here). src/index.ts
 * itself holds only re-export lists, so no second copy of a doc comment can drift from the
 * definition's.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const INDEX = join(root, 'src/index.ts');

interface Documented {
  readonly where: string;
  readonly doc: string;
  readonly example: boolean;
}

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

/** The doc comments of a declaration (a variable's sit on its statement). */
function docsOf(d: ts.Declaration): Documented {
  const host = ts.isVariableDeclaration(d) ? d.parent.parent : d;
  const docs = ts.getJSDocCommentsAndTags(host).filter(ts.isJSDoc);
  const doc = docs.map((j) => (typeof j.comment === 'string' ? j.comment : ts.getTextOfJSDocComment(j.comment) ?? '')).join('\n');
  const example = docs.some((j) => (j.tags ?? []).some((t) => t.tagName.text === 'example' && (ts.getTextOfJSDocComment(t.comment) ?? '').trim().length > 0));
  const sf = d.getSourceFile();
  return { where: `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(host.getStart()).line + 1}`, doc, example };
}

/** Each export of src/index.ts, resolved through the re-export to its definitions. */
function exportsOf(): Map<string, Documented[]> {
  const out = new Map<string, Documented[]>();
  for (const sym of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
    const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
    out.set(sym.getName(), (target.declarations ?? []).map(docsOf));
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

  test('holds only re-export lists: every export is defined in another module', () => {
    const local = source.statements.filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined));
    expect(local.map((s) => s.getText().split('\n')[0])).toEqual([]);
    for (const [name, decls] of exported) {
      expect(decls.length, name).toBeGreaterThan(0);
      for (const d of decls) expect(d.where.startsWith('src/index.ts'), `${name} at ${d.where}`).toBe(false);
    }
  });

  test('every export has a doc comment with an @example at its definition', () => {
    const missing: string[] = [];
    for (const [name, decls] of exported) {
      if (!decls.some((d) => d.doc.trim().length > 0 && d.example)) missing.push(`${name} (${decls.map((d) => d.where).join(', ')})`);
    }
    expect(missing).toEqual([]);
  });
});
