/** `kuberace list`: models, variants, properties and scenarios. */
import { type OptionSpec, bool, parseFlags } from './args.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import type { ModelCatalog } from './models.ts';
import { describeUserOp } from '../engine/simulator.ts';
import type { UserOp } from '../engine/system.ts';

/** `admin: delete Subnet/s1 (after Pod/vm/p1 gone, when idle)`. */
export function describeOp(op: UserOp): string {
  const when = [...(op.afterGone?.length ? [`after ${op.afterGone.join(', ')} gone`] : []), ...(op.whenIdle ? ['when idle'] : [])];
  return `${op.actor ?? 'user'}: ${describeUserOp(op)}${when.length ? ` (${when.join(', ')})` : ''}`;
}

export const LIST_OPTIONS: OptionSpec = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

export function listCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): number {
  const models = catalog.models;
  const p = parseFlags('list', args, LIST_OPTIONS, 1);
  const names = p.positionals.length ? [catalog.modelOf(p.positionals[0], 'list').name] : catalog.names;
  if (bool(p, 'json')) {
    const data = names.map((n) => {
      const m = models[n];
      return {
        name: m.name,
        description: m.description,
        variants: Object.entries(m.variants).map(([name, v], i) => ({ name, description: v.description, default: i === 0 })),
        properties: m.properties.map((x) => ({ name: x.name, kind: x.kind, description: x.description ?? null })),
        scenarios: Object.entries(m.scenarios).map(([name, s], i) => ({ name, default: i === 0, setup: (s.setup ?? []).map(describeOp), ops: s.ops.map(describeOp) })),
      };
    });
    io.stdout(`${JSON.stringify({ models: data }, null, 2)}\n`);
    return 0;
  }
  const st = stdoutStyle(io);
  const out: string[] = [];
  for (const n of names) {
    const m = models[n];
    out.push(`${st.bold(`model ${m.name}`)}: ${m.description}`, '');
    const vw = Math.max(...Object.keys(m.variants).map((v) => v.length));
    out.push(st.bold('  variants') + st.dim(' (the first is the default)'));
    for (const [name, v] of Object.entries(m.variants)) out.push(`    ${st.cyan(name.padEnd(vw))}  ${v.description}`);
    out.push('', st.bold('  properties'));
    const pw = Math.max(...m.properties.map((x) => x.name.length));
    const kw = Math.max(...m.properties.map((x) => x.kind.length));
    for (const x of m.properties) out.push(`    ${st.cyan(x.name.padEnd(pw))}  ${x.kind.padEnd(kw)}  ${x.description ?? ''}`.trimEnd());
    out.push('', st.bold('  scenarios') + st.dim(' (the first is the default for explore; check without --scenario generates random ones)'));
    const sw = Math.max(...Object.keys(m.scenarios).map((s) => s.length));
    for (const [name, s] of Object.entries(m.scenarios)) {
      out.push(`    ${st.cyan(name.padEnd(sw))}  ${s.ops.map(describeOp).join('; ')}`);
      if (s.setup?.length) out.push(st.dim(`    ${' '.repeat(sw)}  setup: ${s.setup.map((op) => describeOp(op).replace(/^user: create /, '')).join(', ')}`));
    }
    out.push('');
  }
  io.stdout(`${out.join('\n')}`);
  return 0;
}
