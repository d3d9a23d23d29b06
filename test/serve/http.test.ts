/**
 * The HTTP layer of `kuberace serve`: discovery shapes, GET/LIST/WATCH against the replayed
 * state, Status errors worded like kube-apiserver, 405 for every write, the step control
 * endpoint, Table output and the loopback-only bind.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../src/api/server.ts';
import { UsageError } from '../../src/check/model.ts';
import { type RunningApiServer, loopbackAddress, startApiServer } from '../../src/serve/apiserver-http.ts';
import type { ServedTrace } from '../../src/serve/snapshots.ts';
import { call, interestingSteps, served, watchEvents } from './helpers.ts';

let s: ServedTrace;
let srv: RunningApiServer;
let steps: ReturnType<typeof interestingSteps>;

beforeAll(async () => {
  s = served();
  steps = interestingSteps(s);
  srv = await startApiServer({ served: s, step: steps.ipWithFinalizer });
});
afterAll(async () => {
  await srv?.close();
});

const at = (step: number) => s.steps[step].api;
const ipAt = (step: number) => Object.values(at(step).objects).find((o) => o.kind === 'IP' && (o.metadata.finalizers?.length ?? 0) > 0)!;

describe('discovery', () => {
  it('/api lists the core version and /apis the named groups of the trace, with preferred versions', async () => {
    const core = await call(`${srv.url}/api`);
    expect(core.status).toBe(200);
    expect(core.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await call(`${srv.url}/apis`);
    expect(groups.body.kind).toBe('APIGroupList');
    const names = groups.body.groups.map((g: any) => g.name);
    // Every named group of the model's kinds, sorted (the model grows: not a fixed list).
    const want = [...new Set(s.kinds.filter((k) => k.apiVersion.includes('/')).map((k) => k.apiVersion.split('/')[0]))].sort();
    expect(want).toContain('kubeovn.io');
    expect(names).toEqual(want);
    expect(groups.body.groups.find((g: any) => g.name === 'kubeovn.io')).toEqual({ name: 'kubeovn.io', versions: [{ groupVersion: 'kubeovn.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'kubeovn.io/v1', version: 'v1' } });
    const one = await call(`${srv.url}/apis/kubeovn.io`);
    expect(one.body).toMatchObject({ kind: 'APIGroup', name: 'kubeovn.io' });
    expect((await call(`${srv.url}/apis/example.com`)).status).toBe(404);
  });

  it('resource lists: read-only verbs, scope, kind, singular and short names, status subresources', async () => {
    const r = await call(`${srv.url}/apis/kubeovn.io/v1`);
    expect(r.body.kind).toBe('APIResourceList');
    expect(r.body.groupVersion).toBe('kubeovn.io/v1');
    const byName = Object.fromEntries(r.body.resources.map((x: any) => [x.name, x]));
    expect(byName.ips).toEqual({ name: 'ips', singularName: 'ip', namespaced: false, kind: 'IP', verbs: ['get', 'list', 'watch'], shortNames: ['ip'] });
    expect(byName.subnets).toMatchObject({ namespaced: false, kind: 'Subnet', verbs: ['get', 'list', 'watch'] });
    expect(byName['subnets/status']).toMatchObject({ verbs: ['get'] });
    expect(byName['ips/status']).toBeUndefined(); // IP has no status subresource in the model
    const core = await call(`${srv.url}/api/v1`);
    const pods = core.body.resources.find((x: any) => x.name === 'pods');
    expect(pods).toMatchObject({ namespaced: true, kind: 'Pod', shortNames: ['po'] });
    expect(core.body.resources.find((x: any) => x.name === 'namespaces')).toMatchObject({ namespaced: false });
    expect((await call(`${srv.url}/apis/kubeovn.io/v2`)).status).toBe(404);
  });

  it('/version and the health endpoints answer', async () => {
    expect((await call(`${srv.url}/version`)).body).toMatchObject({ major: '1' });
    for (const p of ['healthz', 'readyz', 'livez']) expect(await call(`${srv.url}/${p}`)).toMatchObject({ status: 200, body: 'ok' });
  });
});

describe('get and list', () => {
  it('GET returns the stored object at the served step; LIST has its items and the state resourceVersion', async () => {
    const step = srv.step();
    const ip = ipAt(step);
    const got = await call(`${srv.url}/apis/kubeovn.io/v1/ips/${encodeURIComponent(ip.metadata.name)}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(ip);
    const list = await call(`${srv.url}/apis/kubeovn.io/v1/ips`);
    expect(list.body).toMatchObject({ kind: 'IPList', apiVersion: 'kubeovn.io/v1', metadata: { resourceVersion: String(at(step).rv) } });
    expect(list.body.items).toEqual(listObjects(at(step), 'IP'));
  });

  it('namespaced kinds: one namespace, all namespaces, and no object path outside a namespace', async () => {
    const step = steps.podExists;
    srv.setStep(step);
    const pods = listObjects(at(step), 'Pod');
    expect(pods.length).toBeGreaterThan(0);
    const ns = pods[0].metadata.namespace!;
    expect((await call(`${srv.url}/api/v1/pods`)).body.items).toEqual(pods);
    expect((await call(`${srv.url}/api/v1/namespaces/${ns}/pods`)).body.items).toEqual(pods.filter((p) => p.metadata.namespace === ns));
    expect((await call(`${srv.url}/api/v1/namespaces/elsewhere/pods`)).body.items).toEqual([]);
    expect((await call(`${srv.url}/api/v1/namespaces/${ns}/pods/${pods[0].metadata.name}`)).body).toEqual(pods[0]);
    expect((await call(`${srv.url}/api/v1/pods/${pods[0].metadata.name}`)).status).toBe(404);
    // The Namespace object itself, and its status subresource.
    expect((await call(`${srv.url}/api/v1/namespaces/${ns}`)).body).toEqual(at(step).objects[`Namespace/${ns}`]);
    expect((await call(`${srv.url}/api/v1/namespaces/${ns}/status`)).body).toEqual(at(step).objects[`Namespace/${ns}`]);
    srv.setStep(steps.ipWithFinalizer);
  });

  it('selectors: labels and metadata.name filter; an unsupported field is 400 like kube-apiserver', async () => {
    const ip = ipAt(srv.step());
    const [k, v] = Object.entries(ip.metadata.labels ?? {})[0];
    expect((await call(`${srv.url}/apis/kubeovn.io/v1/ips?labelSelector=${encodeURIComponent(`${k}=${v}`)}`)).body.items.map((o: any) => o.metadata.name)).toContain(ip.metadata.name);
    expect((await call(`${srv.url}/apis/kubeovn.io/v1/ips?labelSelector=${encodeURIComponent(`${k}!=${v}`)}`)).body.items.map((o: any) => o.metadata.name)).not.toContain(ip.metadata.name);
    expect((await call(`${srv.url}/apis/kubeovn.io/v1/ips?fieldSelector=metadata.name%3Dnope`)).body.items).toEqual([]);
    const bad = await call(`${srv.url}/apis/kubeovn.io/v1/ips?fieldSelector=spec.subnet%3Ds1`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'field label not supported: spec.subnet' });
  });

  it('a missing object is a 404 Status with the real reason and message', async () => {
    const r = await call(`${srv.url}/apis/kubeovn.io/v1/ips/x`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'ips.kubeovn.io "x" not found',
      reason: 'NotFound',
      details: { name: 'x', group: 'kubeovn.io', kind: 'ips' },
      code: 404,
    });
    expect((await call(`${srv.url}/api/v1/namespaces/vm/pods/x`)).body.message).toBe('pods "x" not found');
    expect((await call(`${srv.url}/apis/kubeovn.io/v1/ips/x/status`)).status).toBe(404);
    expect((await call(`${srv.url}/apis/kubeovn.io/v1/widgets`)).status).toBe(404);
    expect((await call(`${srv.url}/nothing/here`)).body).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });
});

describe('read-only', () => {
  it.each([
    ['POST', '/apis/kubeovn.io/v1/ips', 'create'],
    ['PUT', '/apis/kubeovn.io/v1/subnets/s1', 'update'],
    ['PATCH', '/apis/kubeovn.io/v1/subnets/s1', 'patch'],
    ['DELETE', '/apis/kubeovn.io/v1/subnets/s1', 'delete'],
    ['DELETE', '/apis/kubeovn.io/v1/ips', 'deletecollection'],
    ['PATCH', '/apis/kubeovn.io/v1/subnets/s1/status', 'patch'],
    ['DELETE', '/api/v1/namespaces/vm/pods/p1', 'delete'],
  ])('%s %s is 405 MethodNotAllowed (%s)', async (method, path, action) => {
    const before = srv.step();
    const r = await call(`${srv.url}${path}`, { method, body: method === 'DELETE' ? undefined : '{}', headers: { 'content-type': 'application/merge-patch+json' } });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
    const resource = path.startsWith('/api/') ? 'pods' : path.split('/')[4];
    const qualified = path.startsWith('/api/') ? 'pods' : `${resource}.kubeovn.io`;
    expect(r.body).toMatchObject({ kind: 'Status', code: 405, reason: 'MethodNotAllowed', message: `${action} is not supported on resources of kind "${qualified}"` });
    expect(srv.step()).toBe(before);
  });
});

describe('Table output', () => {
  it('as=Table gives the report columns, one row per object with its metadata', async () => {
    const step = srv.step();
    const r = await call(`${srv.url}/apis/kubeovn.io/v1/ips`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
    expect(r.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: String(at(step).rv) } });
    expect(r.body.columnDefinitions.map((c: any) => c.name)).toEqual(['NAME', 'V4IP', 'MAC', 'NODE', 'SUBNET', 'FINALIZERS', 'DELETING']);
    const ips = listObjects(at(step), 'IP');
    expect(r.body.rows.map((row: any) => row.cells[0])).toEqual(ips.map((o) => o.metadata.name));
    expect(r.body.rows.map((row: any) => row.cells[5])).toEqual(ips.map((o) => o.metadata.finalizers?.join(',') || '<none>'));
    expect(r.body.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: ips[0].metadata });
    const old = await call(`${srv.url}/apis/kubeovn.io/v1/ips?includeObject=None`, { headers: { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' } });
    expect(old.body.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(old.body.rows[0].object).toBeUndefined();
  });
});

describe('watch and the step control', () => {
  it('streams the events from step 0 to the served step in order, then stays open; stepping on sends more (W1)', async () => {
    const step = srv.step();
    const expected = s.events.filter((e) => e.step <= step && e.object.kind === 'Subnet');
    expect(expected.length).toBeGreaterThan(0);
    const all = await watchEvents(`${srv.url}/apis/kubeovn.io/v1/subnets?watch=true&resourceVersion=${at(step).rv}`, expected.length + 1, {}, 600);
    expect(all.timedOut).toBe(true); // the stream is still open after the last event
    expect(all.events).toEqual(expected.map((e) => ({ type: e.type, object: e.object })));
    expect(all.events[0].type).toBe('ADDED');

    // Moving the step forward while a watch is open sends the next events on the same stream:
    // open it at the IP's creation, step to the IP's last event.
    const ipEvents = s.events.filter((e) => e.object.kind === 'IP');
    const start = ipEvents[0].step;
    const target = ipEvents[ipEvents.length - 1].step;
    expect(target).toBeGreaterThan(start);
    srv.setStep(start);
    const want = ipEvents.filter((e) => e.step <= target).length;
    const pending = watchEvents(`${srv.url}/apis/kubeovn.io/v1/watch/ips`, want);
    await new Promise((r) => setTimeout(r, 100));
    const moved = await call(`${srv.url}/kuberace/step/${target}`, { method: 'POST' });
    expect(moved.body).toMatchObject({ step: target, id: s.steps[target].id });
    const got = await pending;
    expect(got.events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion])).toEqual(
      s.events.filter((e) => e.step <= target && e.object.kind === 'IP').map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion]),
    );
    srv.setStep(step);
  });

  it('moving the step back ends open watches; DELETED events carry the last state (D6)', async () => {
    const last = s.steps.length - 1;
    srv.setStep(last);
    const deleted = s.events.find((e) => e.type === 'DELETED');
    expect(deleted).toBeDefined();
    // Step back once the stream is surely open (its first event arrived).
    const got = await watchEvents(`${srv.url}/apis/${deleted!.object.apiVersion}/${deleted!.object.kind === 'Subnet' ? 'subnets' : 'ips'}?watch=1`, 10_000, {}, 10_000, (_e, i) => {
      if (i === 0) srv.setStep(0);
    });
    expect(got.ended).toBe(true);
    const d = got.events.find((e) => e.type === 'DELETED');
    expect(d.object.metadata.name).toBe(deleted!.object.metadata.name);
    expect(Number(d.object.metadata.resourceVersion)).toBe(s.steps[deleted!.step].api.rv);
    srv.setStep(steps.ipWithFinalizer);
  });

  it('the control endpoint reports the step and refuses one out of range', async () => {
    const info = await call(`${srv.url}/kuberace`);
    expect(info.body).toMatchObject({ model: 'kube-ovn', variant: 'v1.12.28', step: srv.step(), lastStep: s.steps.length - 1 });
    const bad = await call(`${srv.url}/kuberace/step/${s.steps.length}`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe(`step ${s.steps.length} is out of range: the trace has steps 0 to ${s.steps.length - 1}`);
    expect((await call(`${srv.url}/kuberace/step/x`)).status).toBe(400);
    expect((await call(`${srv.url}/kuberace/step/3`, { method: 'DELETE' })).status).toBe(405);
    expect(srv.step()).toBe(steps.ipWithFinalizer);
    await call(`${srv.url}/kuberace/step/${steps.subnetTerminating}`);
    expect((await call(`${srv.url}/apis/kubeovn.io/v1/subnets/s1`)).body.metadata.deletionTimestamp).toBe(s.steps[steps.subnetTerminating].api.objects['Subnet/s1'].metadata.deletionTimestamp);
    srv.setStep(steps.ipWithFinalizer);
  });
});

describe('binding', () => {
  it('accepts loopback only', async () => {
    expect(loopbackAddress('localhost')).toBe('127.0.0.1');
    expect(loopbackAddress('::1')).toBe('::1');
    for (const a of ['0.0.0.0', '::', '192.168.1.10', '127.0.0.2', 'example.com', '']) {
      expect(() => loopbackAddress(a)).toThrow(UsageError);
    }
    await expect(startApiServer({ served: s, step: 0, address: '0.0.0.0' })).rejects.toThrow(/refusing to bind to "0.0.0.0"/);
  });

  it('a port in use is a UsageError naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startApiServer({ served: s, step: 0, port })).rejects.toThrow(new UsageError(`serve: port ${port} on 127.0.0.1 is in use`));
    } finally {
      blocker.close();
    }
  });

  it('answers loopback host names only (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const get = (host: string) =>
      new Promise<{ code: number; body: any }>((resolve, reject) => {
        const req = request(`${srv.url}/api`, { headers: { host } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ code: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end();
      });
    const evil = await get('evil.example:8001');
    expect(evil.code).toBe(403);
    expect(evil.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: 'host "evil.example" is not allowed: kuberace serve answers requests to loopback names only' });
    for (const ok of [`localhost:${srv.port}`, `127.0.0.1:${srv.port}`, '[::1]:1']) expect((await get(ok)).code).toBe(200);
  });

  it('a step out of range is refused before listening', async () => {
    await expect(startApiServer({ served: s, step: s.steps.length })).rejects.toThrow(UsageError);
  });
});
