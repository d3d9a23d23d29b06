/**
 * `kuberace serve`'s HTTP layer (node:http only): a read-only Kubernetes API over the state of
 * a replayed trace at one step, bound to loopback.
 *
 * - discovery (/api, /apis, /apis/<group>[/<version>]), /version, /healthz, /readyz, /livez;
 * - GET of an object (404 Status with the API model's message: `ips.kubeovn.io "x" not found`),
 *   LIST of a kind (one namespace, all namespaces, cluster-scoped; label and field selectors),
 *   both also as a meta.k8s.io Table when the client asks;
 * - WATCH (`?watch=true` or the /watch/ prefix): the trace's events from step 0 up to the
 *   current step, then the stream stays open; moving the step forward sends the next events,
 *   moving it back ends the stream (the client relists). `timeoutSeconds` ends it too;
 * - every write verb is 405 MethodNotAllowed;
 * - /kuberace (what is served) and /kuberace/step/<n> (GET or POST: move to step n).
 * - requests whose Host is not a loopback name are 403 (a page on a rebound DNS name cannot read it).
 *
 * The resourceVersion of a list is the API state's RV at the served step; a watch ignores the
 * resourceVersion it is given and always replays from step 0, which is the point: `kubectl get
 * ips -w` prints the state at the step, then the race as it happened.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, isApiError } from '../api/errors.ts';
import { getObject, listObjects } from '../api/server.ts';
import type { KindDef, StoredObject } from '../api/types.ts';
import { parseLabelSelector, matchesSelector } from '../api/validation.ts';
import { UsageError } from '../check/model.ts';
import { coreVersions, group, groupList, resourceList } from './discovery.ts';
import { parseRoute, type Route } from './routes.ts';
import { matchesFields, parseFieldSelector } from './selectors.ts';
import type { ServedEvent, ServedStep, ServedTrace } from './snapshots.ts';
import { type StatusBody, badRequest, fromApiError, methodNotSupported, pathNotFound, status } from './status.ts';
import { type IncludeObject, tableVersionOf, toTable } from './table.ts';

/** Loopback addresses `serve` accepts (`localhost` means 127.0.0.1). */
const LOOPBACK: Readonly<Record<string, string>> = { '127.0.0.1': '127.0.0.1', localhost: '127.0.0.1', '::1': '::1', '[::1]': '::1' };

/** The address to bind for `address`, or a UsageError: the server never listens beyond this machine. */
export function loopbackAddress(address: string): string {
  const a = Object.prototype.hasOwnProperty.call(LOOPBACK, address) ? LOOPBACK[address] : undefined;
  if (!a) throw new UsageError(`serve: refusing to bind to "${address}": the API is served on loopback only (127.0.0.1, ::1 or localhost)`);
  return a;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

/** The host name of a Host header (`127.0.0.1:8001` -> `127.0.0.1`, `[::1]:8001` -> `::1`). */
function hostnameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  if (m) return m[1].toLowerCase();
  return header.replace(/:\d*$/, '').toLowerCase();
}

export interface ApiServerOptions {
  readonly served: ServedTrace;
  /** The step to serve first (0 = after the setup). */
  readonly step: number;
  /** 0 (default): any free port. */
  readonly port?: number;
  /** Default 127.0.0.1; anything but loopback is refused. */
  readonly address?: string;
  /** Called after the step changed through the control endpoint. */
  readonly onStep?: (step: ServedStep) => void;
}

export interface RunningApiServer {
  readonly url: string;
  readonly port: number;
  readonly address: string;
  /** The step served now. */
  step(): number;
  /** Serve another step (open watches get the events up to it, or end when it goes back). */
  setStep(step: number): void;
  /** Stop listening and end every open watch. */
  close(): Promise<void>;
}

/** The step number from text, or a UsageError naming the range. */
export function checkStep(served: ServedTrace, step: number): number {
  const last = served.steps.length - 1;
  if (!Number.isSafeInteger(step) || step < 0 || step > last) throw new UsageError(`step ${step} is out of range: the trace has steps 0 to ${last}`);
  return step;
}

interface Watcher {
  readonly res: ServerResponse;
  readonly matches: (o: StoredObject) => boolean;
  readonly encode: (e: ServedEvent) => unknown;
  /** Events up to this step have been sent. */
  sentUpTo: number;
}

const JSON_TYPE = 'application/json';

function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendStatus(res: ServerResponse, s: StatusBody, headers: Record<string, string> = {}): void {
  send(res, s.code, s, headers);
}

/** The verb a write method means on a resource path (for the 405 message). */
function writeAction(method: string, collection: boolean): string {
  switch (method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return collection ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const served = opts.served;
  const address = loopbackAddress(opts.address ?? '127.0.0.1');
  let current = checkStep(served, opts.step);
  const watchers = new Set<Watcher>();
  const kinds = served.kinds;

  const stateAt = () => served.steps[current];

  function pushEvents(w: Watcher, upTo: number): void {
    for (const e of served.events) {
      if (e.step <= w.sentUpTo || e.step > upTo || !w.matches(e.object)) continue;
      w.res.write(`${JSON.stringify(w.encode(e))}\n`);
    }
    w.sentUpTo = upTo;
  }

  function setStep(step: number): void {
    const next = checkStep(served, step);
    const back = next < current;
    current = next;
    for (const w of [...watchers]) {
      if (back) {
        watchers.delete(w);
        w.res.end();
      } else pushEvents(w, next);
    }
  }

  function info(host: string) {
    const s = stateAt();
    return {
      model: served.model,
      variant: served.variant,
      step: s.step,
      lastStep: served.steps.length - 1,
      violationStep: served.violationStep,
      id: s.id,
      actor: s.actor,
      resourceVersion: String(s.api.rv),
      setStep: `POST http://${host}/kuberace/step/<n>`,
    };
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, segs: string[], host: string): void {
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendStatus(res, status(405, 'MethodNotAllowed', `${req.method} is not allowed here (use GET or POST)`), { Allow: 'GET, POST' });
      return;
    }
    if (segs.length === 1 || (segs.length === 2 && segs[1] === 'step')) {
      send(res, 200, info(host));
      return;
    }
    if (segs.length === 3 && segs[1] === 'step') {
      const n = /^\d+$/.test(segs[2]) ? Number(segs[2]) : NaN;
      try {
        setStep(n);
      } catch (e) {
        if (e instanceof UsageError) return sendStatus(res, badRequest(`${/^\d+$/.test(segs[2]) ? e.message : `bad step "${segs[2]}": expected a whole number`}`));
        throw e;
      }
      opts.onStep?.(stateAt());
      send(res, 200, info(host));
      return;
    }
    sendStatus(res, pathNotFound());
  }

  function handleResource(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { kind: 'resource' }>, query: URLSearchParams): void {
    const gr = { group: route.group, resource: route.plural };
    const def: KindDef = route.def;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendStatus(res, methodNotSupported(gr, writeAction(req.method ?? '', route.name === undefined)), { Allow: 'GET' });
      return;
    }
    if (route.subresource !== undefined && (route.subresource !== 'status' || !def.statusSubresource)) {
      sendStatus(res, pathNotFound());
      return;
    }
    const s = stateAt();
    const tableVersion = tableVersionOf(req.headers.accept);
    const include = (query.get('includeObject') as IncludeObject | null) ?? 'Metadata';
    if (!['None', 'Metadata', 'Object'].includes(include)) return sendStatus(res, badRequest(`includeObject: unsupported value "${include}"`));
    const table = (objs: readonly StoredObject[], rv?: string) => toTable(def, objs, { version: tableVersion!, clock: s.clock, includeObject: include, ...(rv ? { resourceVersion: rv } : {}) });
    const watch = route.watchPrefix || query.get('watch') === 'true' || query.get('watch') === '1';
    try {
      if (route.name !== undefined && !watch) {
        const o = getObject(s.api, def.kind, route.namespace, route.name);
        send(res, 200, tableVersion ? table([o]) : o);
        return;
      }
      const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
      const fields = parseFieldSelector(query.get('fieldSelector'));
      const matches = (o: StoredObject) =>
        o.kind === def.kind &&
        (route.namespace === undefined || !def.namespaced || o.metadata.namespace === route.namespace) &&
        (route.name === undefined || o.metadata.name === route.name) &&
        (labels.length === 0 || matchesSelector(o.metadata.labels, labels)) &&
        matchesFields(o, fields);
      if (watch) {
        startWatch(req, res, matches, (e) => ({ type: e.type, object: tableVersion ? table([e.object]) : e.object }), query);
        return;
      }
      const items = listObjects(s.api, def.kind, route.namespace !== undefined ? { namespace: route.namespace } : {}).filter(matches);
      const rv = String(s.api.rv);
      send(res, 200, tableVersion ? table(items, rv) : { kind: `${def.kind}List`, apiVersion: def.apiVersion, metadata: { resourceVersion: rv }, items });
    } catch (e) {
      if (isApiError(e)) return sendStatus(res, fromApiError(e as ApiError, gr));
      throw e;
    }
  }

  function startWatch(req: IncomingMessage, res: ServerResponse, matches: (o: StoredObject) => boolean, encode: Watcher['encode'], query: URLSearchParams): void {
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    const w: Watcher = { res, matches, encode, sentUpTo: -1 };
    watchers.add(w);
    pushEvents(w, current);
    const timeout = Number(query.get('timeoutSeconds'));
    const timer = Number.isFinite(timeout) && timeout > 0 ? setTimeout(() => end(), timeout * 1000) : undefined;
    const end = () => {
      if (timer) clearTimeout(timer);
      if (watchers.delete(w)) res.end();
    };
    req.on('close', end);
    res.on('close', end);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // A web page whose DNS name was rebound to 127.0.0.1 sends its own Host: answer loopback names only.
    const hostname = hostnameOf(req.headers.host);
    if (hostname !== undefined && !LOOPBACK_HOSTS.has(hostname)) {
      return sendStatus(res, status(403, 'Forbidden', `host "${hostname}" is not allowed: kuberace serve answers requests to loopback names only`));
    }
    const host = req.headers.host ?? `${address}:${port}`;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segs = url.pathname.split('/').filter((x) => x !== '');
    if (segs[0] === 'kuberace') return handleControl(req, res, segs, host);
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    if (segs.length === 1 && ['healthz', 'readyz', 'livez'].includes(segs[0])) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (segs.length === 1 && segs[0] === 'version') {
      send(res, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0+kuberace', gitCommit: '', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: '', compiler: 'kuberace', platform: 'kuberace/replay' });
      return;
    }
    const route = parseRoute(url.pathname, kinds);
    if (route.kind === 'resource') return handleResource(req, res, route, url.searchParams);
    if (route.kind === 'not-found') return sendStatus(res, pathNotFound());
    if (!readOnly) return sendStatus(res, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}), { Allow: 'GET' });
    switch (route.kind) {
      case 'discovery-core':
        return send(res, 200, coreVersions(host));
      case 'discovery-groups':
        return send(res, 200, groupList(kinds));
      case 'discovery-group': {
        const g = group(kinds, route.group);
        return g ? send(res, 200, g) : sendStatus(res, pathNotFound());
      }
      case 'discovery-resources':
        return send(res, 200, resourceList(kinds, route.groupVersion));
    }
  }

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      // A bug here must not take the server down: answer 500 like the apiserver would.
      if (!res.headersSent) sendStatus(res, status(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
      else res.end();
    }
  });
  let port = 0;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const where = `${address.includes(':') ? `[${address}]` : address}:${opts.port ?? 0}`;
      if (e.code === 'EADDRINUSE') reject(new UsageError(`serve: port ${opts.port} on ${address} is in use`));
      else if (e.code === 'EACCES') reject(new UsageError(`serve: not allowed to listen on ${where}`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new UsageError(`serve: cannot listen on ${where} (address not available)`));
      else reject(new UsageError(`serve: cannot listen on ${where} (${e.code ?? e.message})`));
    });
    server.listen(opts.port ?? 0, address, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    address,
    step: () => current,
    setStep,
    close: () =>
      new Promise<void>((done) => {
        for (const w of watchers) w.res.end();
        watchers.clear();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
