import { afterEach, describe, expect, it } from 'vitest';
import { ageOf, columnsOf, formatTable, orderKinds, pathColumn, pathValue, registerColumns, shortDuration, tableOf, tablesOf } from '../../src/report/tables.ts';
import { obj } from './fixtures.ts';

const ctx = { clock: 390_000 };

describe('kubectl tables', () => {
  afterEach(() => registerColumns('Widget', []));

  it('short durations like kubectl', () => {
    const h = 3600_000;
    expect([0, 999, 45_000, 119_000, 120_000, 390_000, 600_000, 7_500_000, 3 * h + 300_000, 20.5 * h, 100 * h, 49 * h, 30 * 24 * h].map(shortDuration)).toEqual([
      '0s', '0s', '45s', '119s', '2m', '6m30s', '10m', '125m', '3h5m', '20h', '4d4h', '2d1h', '30d',
    ]);
    expect(ageOf('2025-01-01T00:00:00Z', ctx)).toBe('6m30s');
    expect(ageOf(undefined, ctx)).toBe('<none>');
  });

  it('path values: <none> for absent or empty, lists joined', () => {
    const o = obj('Subnet', 's1', { spec: { a: { b: 3 }, list: ['x', 'y'], empty: [] } });
    expect(pathValue(o, 'spec.a.b')).toBe('3');
    expect(pathValue(o, 'spec.list')).toBe('x,y');
    expect(pathValue(o, 'spec.empty')).toBe('<none>');
    expect(pathValue(o, 'spec.missing.deeper')).toBe('<none>');
  });

  it('kubectl get pods: NAMESPACE NAME STATUS AGE NODE FINALIZERS DELETING', () => {
    const pods = [
      obj('Pod', 'p1', { namespace: 'vm', spec: { nodeName: 'node1' }, status: { phase: 'Running' } }),
      obj('Pod', 'p2', { namespace: 'vm', status: { phase: 'Running' }, metadata: { deletionTimestamp: '2025-01-01T00:06:00Z', finalizers: ['a', 'b'] } as never }),
    ];
    const t = tableOf('Pod', pods, ctx, { kind: 'Pod', namespaced: true });
    expect(t.command).toBe('kubectl get pods -A');
    expect(t.headers).toEqual(['NAMESPACE', 'NAME', 'STATUS', 'AGE', 'NODE', 'FINALIZERS', 'DELETING']);
    expect(t.rows).toEqual([
      ['vm', 'p1', 'Running', '6m30s', 'node1', '<none>', 'no'],
      ['vm', 'p2', 'Terminating', '6m30s', '<none>', 'a,b', 'yes (30s)'],
    ]);
    expect(formatTable(t)).toBe(
      [
        '$ kubectl get pods -A',
        'NAMESPACE   NAME   STATUS        AGE     NODE     FINALIZERS   DELETING',
        'vm          p1     Running       6m30s   node1    <none>       no',
        'vm          p2     Terminating   6m30s   <none>   a,b          yes (30s)',
      ].join('\n'),
    );
  });

  it('kubectl get subnets and ips with their printer columns', () => {
    const s = obj('Subnet', 's1', { apiVersion: 'kubeovn.io/v1', spec: { provider: 'ovn', cidrBlock: '10.16.0.0/28' }, status: { v4usingIPs: 1, v4availableIPs: 12 }, metadata: { finalizers: ['kube-ovn-controller'], deletionTimestamp: '2025-01-01T00:00:00Z' } as never });
    const ip = obj('IP', 'p1.vm', { spec: { v4IpAddress: '10.16.0.2', macAddress: '00:00:0a:10:00:02', nodeName: 'node1', subnet: 's1' } });
    const [subnets, ips] = tablesOf({ 'IP/p1.vm': ip, 'Subnet/s1': s }, ['IP', 'Subnet'], ctx, { Subnet: { kind: 'Subnet', namespaced: false }, IP: { kind: 'IP', plural: 'ips', namespaced: false } });
    expect(subnets.command).toBe('kubectl get subnets');
    expect(subnets.headers).toEqual(['NAME', 'PROVIDER', 'CIDR', 'V4USED', 'V4AVAILABLE', 'FINALIZERS', 'DELETING']);
    expect(subnets.rows).toEqual([['s1', 'ovn', '10.16.0.0/28', '1', '12', 'kube-ovn-controller', 'yes (6m30s)']]);
    expect(ips.command).toBe('kubectl get ips');
    expect(ips.headers).toEqual(['NAME', 'V4IP', 'MAC', 'NODE', 'SUBNET', 'FINALIZERS', 'DELETING']);
    expect(ips.rows).toEqual([['p1.vm', '10.16.0.2', '00:00:0a:10:00:02', 'node1', 's1', '<none>', 'no']]);
  });

  it('generic columns for any kind, extra columns by registration; empty tables say so', () => {
    const w = obj('Widget', 'w1', { namespace: 'a', spec: { size: 3 } });
    expect(tableOf('Widget', [w], ctx).headers).toEqual(['NAMESPACE', 'NAME', 'FINALIZERS', 'DELETING']);
    registerColumns('Widget', [pathColumn('SIZE', 'spec.size')]);
    expect(columnsOf('Widget').map((c) => c.header)).toEqual(['SIZE']);
    const t = tableOf('Widget', [w], ctx);
    expect(t.command).toBe('kubectl get widgets -A');
    expect(t.rows).toEqual([['a', 'w1', '3', '<none>', 'no']]);
    expect(formatTable(tableOf('Policy', [], ctx))).toBe('$ kubectl get policies\nNo resources found');
  });

  it('orders Pod, Subnet, IP first, then the others alphabetically', () => {
    expect(orderKinds(['Namespace', 'IP', 'ConfigMap', 'Pod', 'Subnet', 'IP'])).toEqual(['Pod', 'Subnet', 'IP', 'ConfigMap', 'Namespace']);
  });
});
