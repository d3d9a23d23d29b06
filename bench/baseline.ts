/**
 * Group 6: the same race written the way a TypeScript user would without kuberace — async
 * handlers over a tiny in-memory store, every API call an `await s.schedule(...)` of a
 * fast-check `fc.scheduler()`, events delivered by starting the next handler directly.
 *
 * The race has the shape of kubeovn/kube-ovn#4898 scenario A:
 * - the pod handler allocates from the controller's IPAM memory and creates the IP CR;
 * - the IP CR triggers a subnet status recount (usingIPs), which triggers the subnet handler;
 * - the subnet handler decides the finalizer from the subnet's stored usingIPs — stale while
 *   the recount has not run — and, when 0 on a deleting subnet, removes it;
 * - the pod delete handler looks the subnet up first and, when it is gone, gives up
 *   ("failed to get pod nets"), so the IP CR outlives both.
 * Property: once everything is idle, no IP CR whose pod and subnet are both gone.
 *
 * The harness is deliberately simpler than the kuberace model (no informer caches, queues,
 * retries, finalizers on IPs or OVN), which if anything makes the race easier to hit.
 */
import * as fc from 'fast-check';

interface SubnetObj {
  deleting: boolean;
  usingIPs: number;
}

interface Store {
  readonly pods: Map<string, { readonly subnet: string }>;
  readonly subnets: Map<string, SubnetObj>;
  readonly ips: Map<string, { readonly pod: string; readonly subnet: string }>;
}

/** One execution of the race under scheduler `s`; returns the violation, if any. */
export async function raceUnderScheduler(s: fc.Scheduler): Promise<string | undefined> {
  const store: Store = { pods: new Map(), subnets: new Map([['s1', { deleting: false, usingIPs: 0 }]]), ips: new Map() };
  const ipam = new Set<string>(['s1']);
  const spawned: Promise<unknown>[] = [];
  const spawn = (p: Promise<unknown>) => void spawned.push(p);
  // Every call to the API server is a scheduling point.
  const api = async <T>(label: string, f: () => T): Promise<T> => {
    await s.schedule(Promise.resolve(label), label);
    return f();
  };

  async function handleAddPod(name: string): Promise<void> {
    const pod = await api(`get pod ${name}`, () => store.pods.get(name));
    if (!pod || !ipam.has(pod.subnet)) return;
    await api(`create ip ${name}`, () => store.ips.set(name, { pod: name, subnet: pod.subnet }));
    spawn(handleUpdateSubnetStatus(pod.subnet));
  }

  async function handleUpdateSubnetStatus(subnet: string): Promise<void> {
    const count = await api(`list ips of ${subnet}`, () => [...store.ips.values()].filter((ip) => ip.subnet === subnet).length);
    const updated = await api(`patch status ${subnet}`, () => {
      const sub = store.subnets.get(subnet);
      if (sub) sub.usingIPs = count;
      return sub !== undefined;
    });
    if (updated) spawn(handleSubnetUpdate(subnet));
  }

  async function handleSubnetUpdate(subnet: string): Promise<void> {
    const sub = await api(`get subnet ${subnet}`, () => {
      const x = store.subnets.get(subnet);
      return x && { ...x };
    });
    if (!sub || !sub.deleting || sub.usingIPs !== 0) return;
    await api(`remove finalizer ${subnet}`, () => store.subnets.delete(subnet));
    spawn(api(`ipam delete ${subnet}`, () => ipam.delete(subnet)));
  }

  async function handleDeletePod(name: string, subnet: string): Promise<void> {
    const sub = await api(`get subnet ${subnet}`, () => store.subnets.get(subnet));
    if (!sub) return; // failed to get pod nets: subnet not found
    await api(`delete ips of ${name}`, () => {
      for (const [k, ip] of store.ips) if (ip.pod === name) store.ips.delete(k);
    });
    spawn(handleUpdateSubnetStatus(subnet));
  }

  spawn(
    (async () => {
      await api('user: create pod p1', () => store.pods.set('p1', { subnet: 's1' }));
      spawn(handleAddPod('p1'));
      await api('user: delete pod p1', () => store.pods.delete('p1'));
      spawn(handleDeletePod('p1', 's1'));
    })(),
  );
  spawn(
    (async () => {
      await api('admin: delete subnet s1', () => {
        const sub = store.subnets.get('s1');
        if (sub) sub.deleting = true;
      });
      spawn(handleSubnetUpdate('s1'));
    })(),
  );
  await s.waitIdle();
  await Promise.all(spawned);
  const leaked = [...store.ips.entries()].filter(([, ip]) => !store.pods.has(ip.pod) && !store.subnets.has(ip.subnet));
  return leaked.length ? `IP ${leaked.map(([k]) => k).join(', ')} outlives pod and subnet` : undefined;
}

export interface BaselineRun {
  readonly found: boolean;
  /** Runs up to and including the first failing one. */
  readonly runs: number;
  /** ms until the first failing run ended (before fast-check shrinks). */
  readonly msToBug: number;
  readonly totalMs: number;
}

/** fc.check of the race with `seed`; `numRuns` caps the search. */
export async function baselineCheck(seed: number, numRuns: number, clock: () => number): Promise<BaselineRun> {
  let runs = 0;
  let firstAt: number | undefined;
  const start = clock();
  const details = await fc.check(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      runs++;
      const v = await raceUnderScheduler(s);
      if (v !== undefined && firstAt === undefined) firstAt = clock();
      return v === undefined;
    }),
    { seed, numRuns, endOnFailure: true },
  );
  return {
    found: details.failed,
    runs: details.failed ? details.numRuns : runs,
    msToBug: (firstAt ?? clock()) - start,
    totalMs: clock() - start,
  };
}
