/** Bad input of every kind: exactly one line on stderr naming the problem, exit 2, no stack trace. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACE_FORMAT } from '../../src/trace/format.ts';
import { expectUsageError, run, tempDir } from './helpers.ts';

const dir = tempDir();
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};

const cases: Array<[string, string[], RegExp]> = [
  ['no command', [], /^kuberace: missing command \(known: list, check, explore, replay, matrix, demo, serve, help; see kuberace --help\)$/],
  ['unknown command', ['frobnicate'], /unknown command "frobnicate" \(known: list, check, explore, replay, matrix, demo/],
  ['flag before the command', ['--runs', '3'], /expected a command before "--runs"/],
  ['help of an unknown command', ['help', 'nope'], /unknown command "nope"/],
  ['missing model', ['check'], /check: missing <model> \(known: kube-ovn/],
  ['unknown model', ['check', 'nope'], /unknown model "nope" \(known: kube-ovn/],
  ['unknown model (explore)', ['explore', 'nope'], /unknown model "nope"/],
  ['unknown model (matrix)', ['matrix', 'nope'], /unknown model "nope"/],
  ['unknown model (list)', ['list', 'nope'], /unknown model "nope"/],
  ['unknown variant', ['check', 'kube-ovn', '--variant', 'x'], /^kuberace: unknown variant "x" of model kube-ovn \(known: v1\.12\.28, /],
  ['unknown variant (explore)', ['explore', 'kube-ovn', '--variant', 'x', '--scenario', 'single-network'], /unknown variant "x" of model kube-ovn/],
  ['unknown variant (matrix)', ['matrix', 'kube-ovn', '--variant', 'x'], /unknown variant "x" of model kube-ovn/],
  ['unknown property', ['check', 'kube-ovn', '--property', 'nope'], /unknown property "nope" of model kube-ovn \(known: ip-outlives-pod-and-subnet/],
  ['unknown property (explore)', ['explore', 'kube-ovn', '--property', 'nope'], /unknown property "nope"/],
  ['unknown property (matrix)', ['matrix', 'kube-ovn', '--property', 'nope'], /unknown property "nope"/],
  ['unknown scenario', ['check', 'kube-ovn', '--scenario', 'nope'], /unknown scenario "nope" of model kube-ovn \(known: issue-4898, /],
  ['unknown scenario (explore)', ['explore', 'kube-ovn', '--scenario', 'nope'], /unknown scenario "nope"/],
  ['unknown scenario (matrix)', ['matrix', 'kube-ovn', '--scenario', 'nope'], /unknown scenario "nope"/],
  ['unknown option', ['check', 'kube-ovn', '--bogus'], /check: unknown option "--bogus" \(known: --variant, /],
  ['unknown short option', ['explore', 'kube-ovn', '-z'], /explore: unknown option "-z"/],
  ['option without its value', ['check', 'kube-ovn', '--runs'], /check: option "--runs" needs a value/],
  ['value for a boolean option', ['check', 'kube-ovn', '--json=yes'], /check: option "--json" does not take a value/],
  ['extra argument', ['check', 'kube-ovn', 'extra'], /check: unexpected argument "extra"/],
  ['non-numeric --runs', ['check', 'kube-ovn', '--runs', 'abc'], /bad --runs "abc": expected a whole number >= 1/],
  ['zero --runs', ['check', 'kube-ovn', '--runs', '0'], /bad --runs "0"/],
  ['fractional --seed', ['check', 'kube-ovn', '--seed', '1.5'], /bad --seed "1\.5"/],
  ['bad --max-states', ['explore', 'kube-ovn', '--max-states=-3'], /bad --max-states "-3"/],
  ['option value that looks like an option', ['explore', 'kube-ovn', '--out', '-x.json'], /explore: option "--out" needs a value \(for a value starting with "-" write --out=VALUE\)/],
  ['negative number after a flag is its value', ['explore', 'kube-ovn', '--max-states', '-3'], /bad --max-states "-3": expected a whole number >= 1/],
  ['seed out of range, negative', ['check', 'kube-ovn', '--seed', '-9999999999'], /bad --seed "-9999999999": expected a whole number from -2147483648 to 2147483647/],
  ['bad --max-depth', ['explore', 'kube-ovn', '--max-depth', 'deep'], /bad --max-depth "deep"/],
  ['bad --max-time', ['explore', 'kube-ovn', '--max-time', 'soon'], /bad --max-time "soon"/],
  ['bad --workers', ['explore', 'kube-ovn', '--workers', '0'], /bad --workers "0"/],
  ['bad --shard', ['explore', 'kube-ovn', '--shard', '3/2'], /bad --shard "3\/2"/],
  ['bad --shard (check)', ['check', 'kube-ovn', '--shard', 'x'], /bad --shard "x"/],
  ['bad --clock', ['explore', 'kube-ovn', '--clock', 'sometimes'], /bad --clock "sometimes": expected one of idle, any/],
  ['--symmetry on a scenario without one', ['explore', 'kube-ovn', '--scenario', 'single-network', '--symmetry'], /symmetry reduction needs a scenario that declares its interchangeable names/],
  [
    '--symmetry that does not map the scenario onto itself',
    ['explore', 'kube-ovn', '--symmetry', '--scenario', file('asym.yaml', 'setup:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: vm}}\nops:\n  - {verb: create, actor: u1, manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: vm}}}\n  - {verb: delete, actor: u1, kind: ConfigMap, namespace: vm, name: a}\n  - {verb: create, actor: u2, manifest: {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: vm}}}\nsymmetry: [[[a, u1], [b, u2]]]\n')],
    /symmetry a→b, u1→u2, b→a, u2→u1 does not map the scenario onto itself/,
  ],
  ['malformed symmetry in a scenario file', ['explore', 'kube-ovn', '--scenario', file('badsym.yaml', 'ops:\n  - {verb: delete, kind: Pod, namespace: vm, name: p1}\nsymmetry: [[[1, 2]]]\n')], /badsym\.yaml.*symmetry.*must be a name/],
  ['bad --format', ['replay', 'x.json', '--format', 'pdf'], /bad --format "pdf": expected one of text, json, mermaid, yaml, html/],
  ['bad --runs (matrix)', ['matrix', 'kube-ovn', '--runs', 'many'], /bad --runs "many"/],
  ['demo takes no arguments', ['demo', 'now'], /demo: unexpected argument "now"/],
  ['replay without a file', ['replay'], /replay: missing <trace\.json>/],
  ['nonexistent trace file', ['replay', 'missing.json'], /^kuberace: missing\.json: cannot read trace file \(no such file\)$/],
  ['trace file that is a directory', ['replay', '.'], /cannot read trace file \(is a directory\)/],
  ['malformed JSON trace', ['replay', file('bad.json', '{"format": "kuberace-trace/1",\n "steps": [')], /bad\.json: not valid JSON/],
  ['not a trace', ['replay', file('other.json', '{"hello": 1}')], /other\.json: not a kuberace trace/],
  [
    'wrong trace format version',
    ['replay', file('v9.json', JSON.stringify({ format: 'kuberace-trace/9', model: 'kube-ovn' }))],
    /v9\.json: unsupported trace format "kuberace-trace\/9" \(this kuberace reads "kuberace-trace\/1"\)/,
  ],
  [
    'trace of an unknown model',
    [
      'replay',
      file(
        'unknown-model.json',
        JSON.stringify({ format: TRACE_FORMAT, model: 'nope', variant: 'v', engine: {}, scenario: { ops: [] }, steps: [], violation: { property: 'p', kind: 'atStable', message: 'm', step: 0 } }),
      ),
    ],
    /unknown model "nope" in trace/,
  ],
  ['nonexistent scenario file', ['check', 'kube-ovn', '--scenario', 'nofile.yaml'], /^kuberace: nofile\.yaml: cannot read scenario file \(no such file\)$/],
  ['malformed YAML scenario', ['check', 'kube-ovn', '--scenario', file('broken.yaml', 'ops:\n  - verb: create\n    manifest: {a: [1, 2\n')], /broken\.yaml: invalid YAML at line \d+, column \d+: /],
  ['YAML scenario without ops', ['check', 'kube-ovn', '--scenario', file('empty.yaml', 'setup: []\n')], /empty\.yaml: no operations/],
  ['YAML scenario with a bad verb', ['check', 'kube-ovn', '--scenario', file('verb.yaml', 'ops:\n  - verb: apply\n    kind: Pod\n    name: a\n')], /verb\.yaml: ops\[0\]\.verb: must be create, delete or patch, got "apply"/],
  ['YAML scenario with an unknown field', ['check', 'kube-ovn', '--scenario', file('field.yaml', 'ops:\n  - verb: delete\n    kind: Pod\n    nme: a\n')], /field\.yaml: ops\[0\]: unknown field "nme"/],
  ['YAML scenario with an unknown kind', ['check', 'kube-ovn', '--scenario', file('kind.yaml', 'ops:\n  - {verb: delete, kind: Sbunet, name: s1}\n')], /kind\.yaml: ops\[0\]: unknown kind "Sbunet" \(known: /],
  ['YAML scenario: namespaced kind without namespace', ['check', 'kube-ovn', '--scenario', file('ns.yaml', 'ops:\n  - {verb: delete, kind: Pod, name: p1}\n')], /ns\.yaml: ops\[0\]: Pod "p1" needs a namespace/],
  ['YAML scenario: manifest without metadata', ['explore', 'kube-ovn', '--scenario', file('md.yaml', 'setup:\n  - {apiVersion: v1, kind: Namespace}\nops:\n  - {verb: delete, kind: Namespace, name: x}\n')], /md\.yaml: setup\[0\]: missing "metadata"/],
  ['YAML scenario: bad afterGone', ['check', 'kube-ovn', '--scenario', file('after.yaml', 'ops:\n  - {verb: delete, kind: Subnet, name: s1, afterGone: [p1]}\n')], /after\.yaml: ops\[0\]\.afterGone: must be a list of object keys/],
  ['YAML scenario that is a list', ['check', 'kube-ovn', '--scenario', file('list.yaml', '- a\n- b\n')], /list\.yaml: expected a mapping/],
  ['JSON scenario file with a syntax error', ['check', 'kube-ovn', '--scenario', file('sc.json', '{"ops": [}')], /sc\.json: invalid YAML/],
];

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  it.each(cases)('%s', async (_name, argv, pattern) => {
    expectUsageError(await run(argv, { cwd: dir }), pattern);
  });

  it('a trace whose steps are no longer enabled (the model changed) is bad input too', async () => {
    const r0 = await run(['check', 'kube-ovn', '--scenario', 'single-network', '--runs', '20', '--seed', '1', '--json', '--out', 'ok.json'], { cwd: dir });
    expect(r0.code).toBe(1);
    const trace = JSON.parse(r0.stdout).counterexample;
    trace.steps = ['user: create Pod/vm/nope', ...trace.steps.slice(1)];
    writeFileSync(join(dir, 'changed.json'), JSON.stringify(trace));
    expectUsageError(await run(['replay', 'changed.json'], { cwd: dir }), /model changed at step 1: expected "user: create Pod\/vm\/nope"/);
  });

  it('an unexpected internal error is one line and exit 2; --debug adds the stack', async () => {
    const boom = (argv: string[]) => {
      let stderr = '';
      return import('../../src/cli/main.ts').then(async ({ main }) => {
        const code = await main(argv, {
          stdout: () => {
            throw new TypeError('stdout exploded');
          },
          stderr: (t) => void (stderr += t),
          stdoutIsTTY: false,
          stderrIsTTY: false,
          env: {},
          cwd: dir,
        });
        return { code, stderr };
      });
    };
    const plain = await boom(['list']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe('kuberace: internal error: TypeError: stdout exploded (run with --debug for the stack trace)\n');
    const debug = await boom(['list', '--debug']);
    expect(debug.code).toBe(2);
    expect(debug.stderr.split('\n')[0]).toBe('kuberace: internal error: TypeError: stdout exploded');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
