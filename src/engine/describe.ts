/** Human-readable, position-independent descriptions used in action ids and logs. */
import { objectKey } from '../api/keys.ts';
import type { Effect } from './effects.ts';

function nameOf(obj: { metadata?: { name?: string; generateName?: string } }): string {
  return obj.metadata?.name || `${obj.metadata?.generateName ?? ''}<generated>`;
}

/** `GET Subnet/s1`, `PATCH IP/p1.ns`, `LOCK podKey(ns/p1)`, `CALL ovn-nb.deleteLogicalSwitchPort(p1.ns)`. */
export function describeEffect(e: Effect): string {
  switch (e.op) {
    case 'get':
      return `GET ${objectKey(e.kind, e.namespace, e.name)}`;
    case 'list':
      return `LIST ${e.kind}${e.options?.namespace ? `/${e.options.namespace}` : ''}${e.options?.labelSelector ? `?${e.options.labelSelector}` : ''}`;
    case 'create':
      return `CREATE ${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, nameOf(e.object))}`;
    case 'update':
      return `UPDATE ${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, nameOf(e.object))}`;
    case 'updateStatus':
      return `UPDATE-STATUS ${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, nameOf(e.object))}`;
    case 'patch':
      return `PATCH${e.subresource ? '-STATUS' : ''} ${objectKey(e.kind, e.namespace, e.name)}`;
    case 'delete':
      return `DELETE ${objectKey(e.kind, e.namespace, e.name)}`;
    case 'lock':
      return `LOCK ${e.mutex}(${e.key})`;
    case 'unlock':
      return `UNLOCK ${e.mutex}(${e.key})`;
    case 'external':
      return `CALL ${e.system}.${e.call}(${describeArgs(e.args)})`;
    case 'sleep':
      return `SLEEP ${formatTime(e.ms)}`;
    default:
      return e.op;
  }
}

function describeArgs(args: unknown): string {
  if (args === undefined) return '';
  if (typeof args === 'string' || typeof args === 'number') return String(args);
  if (typeof args === 'object' && args !== null) {
    const name = (args as { name?: unknown }).name;
    if (typeof name === 'string') return name;
    const first = Object.values(args).find((v) => typeof v === 'string');
    if (typeof first === 'string') return first;
  }
  return '…';
}

/** `12.345s` — clock times in ids are fixed-precision so ids stay stable. */
export function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}
