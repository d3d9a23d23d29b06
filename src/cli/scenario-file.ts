/**
 * Scenario files (`--scenario FILE.yaml`): YAML (or JSON, which is YAML) read with the `yaml`
 * package and converted to the engine's {@link Scenario}.
 *
 * Either one document with `setup:` (Kubernetes manifests created, and settled, before the
 * exploration; an entry with `verb:` is an operation) and `ops:` (the operations that race
 * with the controllers), optionally `name:` and `description:`:
 *
 * ```yaml
 * name: one-pod
 * setup:
 *   - {apiVersion: v1, kind: Namespace, metadata: {name: vm}}
 * ops:
 *   - verb: create
 *     actor: user
 *     manifest: {apiVersion: v1, kind: Pod, metadata: {name: p1, namespace: vm}}
 *   - {verb: delete, actor: user, kind: Pod, namespace: vm, name: p1}
 *   - {verb: delete, actor: admin, kind: Subnet, name: s1, afterGone: [Pod/vm/p1]}
 *   - {verb: patch, kind: Subnet, name: s1, patch: {metadata: {labels: {a: b}}}}
 * symmetry: [[[p1, user1], [p2, user2]]]   # optional: interchangeable names (explore --symmetry)
 * ```
 *
 * or a multi-document file whose documents are manifests (added to the setup), operations
 * (documents with `verb:`, added to the ops) or scenario documents as above.
 *
 * Every problem is a UsageError of one line naming the file and the entry.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { type Document, parseAllDocuments } from 'yaml';
import { objectKey } from '../api/keys.ts';
import type { KindDef, KubeObject } from '../api/types.ts';
import { UsageError } from '../check/model.ts';
import type { Scenario, UserOp } from '../engine/system.ts';

export interface ScenarioFile {
  readonly name: string;
  readonly description?: string;
  readonly scenario: Scenario;
}

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

class At {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}
  at(part: string | number): At {
    return new At(this.file, typeof part === 'number' ? `${this.path}[${part}]` : this.path ? `${this.path}.${part}` : part);
  }
  err(msg: string): UsageError {
    return new UsageError(`${this.file}: ${this.path ? `${this.path}: ` : ''}${msg}`.replace(/\s*[\r\n]+\s*/g, ' '));
  }
}

function onlyKeys(o: Obj, allowed: readonly string[], at: At): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw at.err(`unknown field "${k}" (allowed: ${allowed.join(', ')})`);
}

function optString(o: Obj, key: string, at: At): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw at.at(key).err(`must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function reqString(o: Obj, key: string, at: At): string {
  const v = optString(o, key, at);
  if (v === undefined) throw at.err(`missing "${key}"`);
  return v;
}

function manifest(x: unknown, at: At): KubeObject {
  if (!isObj(x)) throw at.err('a manifest must be a mapping with apiVersion, kind and metadata');
  reqString(x, 'apiVersion', at);
  reqString(x, 'kind', at);
  const md = x.metadata;
  if (!isObj(md)) throw at.err('missing "metadata" (a mapping with a name)');
  const m = at.at('metadata');
  if (optString(md, 'name', m) === undefined && optString(md, 'generateName', m) === undefined) throw m.err('missing "name"');
  optString(md, 'namespace', m);
  return x as KubeObject;
}

const OP_KEYS = ['verb', 'actor', 'afterGone', 'whenIdle', 'manifest', 'kind', 'namespace', 'name', 'patch', 'options'];
const KEY_RE = /^[A-Za-z][A-Za-z0-9]*\/([^/\s]+\/)?[^/\s]+$/;

function operation(x: unknown, at: At): UserOp {
  if (!isObj(x)) throw at.err('an operation must be a mapping with a "verb"');
  onlyKeys(x, OP_KEYS, at);
  const verb = x.verb;
  if (verb !== 'create' && verb !== 'delete' && verb !== 'patch') throw at.at('verb').err(`must be create, delete or patch, got ${JSON.stringify(verb)}`);
  const extra: { actor?: string; afterGone?: string[]; whenIdle?: boolean } = {};
  const actor = optString(x, 'actor', at);
  if (actor !== undefined) extra.actor = actor;
  if (x.afterGone !== undefined) {
    const a = x.afterGone;
    if (!Array.isArray(a) || !a.every((k) => typeof k === 'string' && KEY_RE.test(k))) {
      throw at.at('afterGone').err('must be a list of object keys like Pod/vm/p1 or Subnet/s1');
    }
    extra.afterGone = a as string[];
  }
  if (x.whenIdle !== undefined) {
    if (typeof x.whenIdle !== 'boolean') throw at.at('whenIdle').err('must be true or false');
    extra.whenIdle = x.whenIdle;
  }
  if (verb === 'create') {
    if (x.manifest === undefined) throw at.err('create needs a "manifest"');
    for (const k of ['kind', 'namespace', 'name', 'patch', 'options']) if (x[k] !== undefined) throw at.err(`create takes a "manifest", not "${k}"`);
    return { verb, object: manifest(x.manifest, at.at('manifest')), ...extra };
  }
  // delete / patch: the target from kind/namespace/name, or from a manifest.
  let kind: string;
  let namespace: string | undefined;
  let name: string;
  if (x.manifest !== undefined) {
    const m = manifest(x.manifest, at.at('manifest'));
    for (const k of ['kind', 'namespace', 'name']) if (x[k] !== undefined) throw at.err(`give either "manifest" or "${k}", not both`);
    kind = m.kind!;
    namespace = m.metadata!.namespace;
    if (!m.metadata!.name) throw at.at('manifest.metadata').err(`${verb} needs a name, not a generateName`);
    name = m.metadata!.name;
  } else {
    kind = reqString(x, 'kind', at);
    namespace = optString(x, 'namespace', at);
    name = reqString(x, 'name', at);
  }
  const target = { kind, ...(namespace !== undefined ? { namespace } : {}), name };
  if (verb === 'patch') {
    if (!isObj(x.patch)) throw at.at('patch').err('patch needs a "patch" mapping (a JSON merge patch)');
    if (x.options !== undefined) throw at.err('patch takes no "options"');
    return { verb, ...target, patch: x.patch, ...extra };
  }
  if (x.patch !== undefined) throw at.err('delete takes no "patch"');
  if (x.options !== undefined) {
    const o = x.options;
    if (!isObj(o)) throw at.at('options').err('must be a mapping (gracePeriodSeconds, propagationPolicy, preconditions)');
    onlyKeys(o, ['gracePeriodSeconds', 'propagationPolicy', 'preconditions'], at.at('options'));
    if (o.gracePeriodSeconds !== undefined && !(Number.isInteger(o.gracePeriodSeconds) && (o.gracePeriodSeconds as number) >= 0)) {
      throw at.at('options.gracePeriodSeconds').err('must be a whole number >= 0');
    }
    if (o.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(o.propagationPolicy as string)) {
      throw at.at('options.propagationPolicy').err('must be Orphan, Background or Foreground');
    }
    return { verb, ...target, options: o, ...extra };
  }
  return { verb, ...target, ...extra };
}

/** A setup entry: a manifest (created by `user`), or an operation. */
function setupEntry(x: unknown, at: At): UserOp {
  if (isObj(x) && 'verb' in x) return operation(x, at);
  return { verb: 'create', object: manifest(x, at) };
}

function list(x: unknown, at: At): unknown[] {
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x)) throw at.err('must be a list');
  return x;
}

/** `symmetry:` a list of groups, each a list of tuples (lists) of names: `[[[p1, user1], [p2, user2]]]`. */
function symmetryEntry(x: unknown, at: At): string[][][] {
  return list(x, at).map((group, i) =>
    list(group, at.at(i)).map((tuple, j) =>
      list(tuple, at.at(i).at(j)).map((name, k) => {
        if (typeof name !== 'string') throw at.at(i).at(j).at(k).err('must be a name (a string)');
        return name;
      }),
    ),
  );
}

/** Convert parsed YAML documents (plain data) to a scenario. */
export function scenarioFromDocuments(docs: readonly unknown[], file: string): ScenarioFile {
  const root = new At(file, '');
  const setup: UserOp[] = [];
  const ops: UserOp[] = [];
  let name: string | undefined;
  let description: string | undefined;
  let symmetry: string[][][] | undefined;
  const multi = docs.length > 1;
  docs.forEach((doc, i) => {
    const at = multi ? root.at(`document ${i + 1}`) : root;
    if (doc === null || doc === undefined) return;
    if (!isObj(doc)) throw at.err('expected a mapping (a scenario with setup/ops, a manifest, or an operation)');
    if ('setup' in doc || 'ops' in doc) {
      onlyKeys(doc, ['name', 'description', 'setup', 'ops', 'symmetry'], at);
      if ('symmetry' in doc) symmetry = symmetryEntry(doc.symmetry, at.at('symmetry'));
      name ??= optString(doc, 'name', at);
      description ??= optString(doc, 'description', at);
      list(doc.setup, at.at('setup')).forEach((e, j) => setup.push(setupEntry(e, at.at('setup').at(j))));
      list(doc.ops, at.at('ops')).forEach((e, j) => ops.push(operation(e, at.at('ops').at(j))));
    } else if ('verb' in doc) {
      ops.push(operation(doc, at));
    } else if ('apiVersion' in doc || 'kind' in doc) {
      setup.push({ verb: 'create', object: manifest(doc, at) });
    } else {
      throw at.err('expected "setup"/"ops", an operation with "verb", or a manifest with apiVersion and kind');
    }
  });
  if (ops.length === 0) throw root.err('no operations: a scenario needs at least one entry in "ops" (or an operation document)');
  const scenario: Scenario = { ...(setup.length ? { setup } : {}), ops, ...(symmetry ? { symmetry } : {}) };
  return { name: name ?? basename(file, extname(file)), ...(description ? { description } : {}), scenario };
}

/** Parse the text of a scenario file. */
export function parseScenarioText(text: string, file: string): ScenarioFile {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: true }) as Document.Parsed[];
  } catch (e) {
    throw new UsageError(`${file}: invalid YAML: ${(e as Error).message}`.replace(/\s*[\r\n]+\s*/g, ' '));
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const d of docs) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new UsageError(`${file}: invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${msg}`);
    }
  }
  const data = docs.map((d) => {
    try {
      return d.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw new UsageError(`${file}: invalid YAML: ${(e as Error).message}`.replace(/\s*[\r\n]+\s*/g, ' '));
    }
  });
  return scenarioFromDocuments(data, file);
}

/** Read a scenario file (path relative to `cwd`). */
export function readScenarioFile(path: string, cwd: string): ScenarioFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new UsageError(`${path}: cannot read scenario file (${why})`.replace(/\s*[\r\n]+\s*/g, ' '));
  }
  return parseScenarioText(text, path);
}

/** Check every kind and namespace against the kinds a model registers (so a typo is not a silent no-op). */
export function checkScenarioKinds(sf: ScenarioFile, kinds: Readonly<Record<string, KindDef>>, file: string): void {
  const known = Object.keys(kinds).sort();
  const check = (op: UserOp, where: string) => {
    const kind = op.verb === 'create' ? op.object.kind! : op.kind;
    const namespace = op.verb === 'create' ? op.object.metadata?.namespace : op.namespace;
    const name = op.verb === 'create' ? (op.object.metadata?.name ?? op.object.metadata?.generateName ?? '') : op.name;
    const def = kinds[kind];
    if (!def) throw new UsageError(`${file}: ${where}: unknown kind "${kind}" (known: ${known.join(', ')})`);
    if (def.namespaced && !namespace) throw new UsageError(`${file}: ${where}: ${kind} "${name}" needs a namespace`);
    if (!def.namespaced && namespace) throw new UsageError(`${file}: ${where}: ${kind} is cluster-scoped, ${objectKey(kind, namespace, name)} has a namespace`);
  };
  (sf.scenario.setup ?? []).forEach((op, i) => check(op, `setup[${i}]`));
  sf.scenario.ops.forEach((op, i) => check(op, `ops[${i}]`));
}

/** Whether a --scenario argument names a file rather than a model scenario. */
export function looksLikeFile(arg: string): boolean {
  return /\.(ya?ml|json)$/i.test(arg) || arg.includes('/') || arg.includes('\\');
}
