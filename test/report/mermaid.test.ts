import { describe, expect, it } from 'vitest';
import { mermaidText, renderMermaid, renderMermaidMarkdown } from '../../src/report/mermaid.ts';
import { hostileTimeline, realTimeline } from './fixtures.ts';

/** Every line must be one of the statement forms the renderer emits, with no raw special character in its text. */
function expectWellFormed(src: string): void {
  const lines = src.trimEnd().split('\n');
  expect(lines[0]).toBe('sequenceDiagram');
  const clean = (t: string) => t.replace(/#(\d+|[a-z]+);/g, '').replace(/<br\/>/g, '');
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^ {2}(?:actor|participant) P\d+ as (.+)$/.exec(line))) {
      expect(clean(m[1]), line).not.toMatch(/[;#<>":,]/);
    } else if ((m = /^ {2}P\d+(?:->>|-->>|-\))P\d+: (.+)$/.exec(line))) {
      expect(clean(m[1]), line).not.toMatch(/[;#<>"]/);
    } else if ((m = /^ {2}Note over P\d+(?:,P\d+)?: (.+)$/.exec(line))) {
      expect(clean(m[1]), line).not.toMatch(/[;#<>"]/);
    } else {
      expect(line).toMatch(/^ {2}(rect rgb\(\d+, \d+, \d+\)|end)$/);
    }
  }
}

describe('Mermaid sequence diagram', () => {
  it('a real counterexample: participants, numbered steps, API replies, the violation note', () => {
    const src = renderMermaid(realTimeline());
    expectWellFormed(src);
    const participants = [...src.matchAll(/^ {2}(?:actor|participant) (P\d+) as (.+)$/gm)].map((m) => m[2]);
    expect(participants.slice(0, 3)).toEqual(['user', 'admin', 'kubelet']);
    expect(participants).toContain('API server');
    expect(participants).toContain('kube-ovn-controller informers');
    expect(participants).toContain('ovn-nb');
    expect(participants.indexOf('API server')).toBeLessThan(participants.indexOf('kube-ovn-controller informers'));
    expect(participants.at(-1)).toBe('ovn-nb');
    expect(src).toMatch(/P0->>P3: 1\. create Pod\/vm\/p1\n {2}P3-->>P0: ok \(rv \d+\)/);
    expect(src).toMatch(/P3-\)P4: \d+\. Pod\/vm\/p1 ADDED/);
    expect(src).toMatch(/->>P\d+: \d+\. createLogicalSwitchPort\(p1\.vm\)/);
    // Every step appears once with its number.
    for (const s of realTimeline().steps) expect(src).toContain(`: ${s.step}. `);
    expect(src).toMatch(/ {2}rect rgb\(255, 228, 228\)\n {2}Note over P0,P\d+: ✗ ip-outlives-pod-and-subnet \(atStable\) violated after step \d+: IP p1\.vm/);
    expect(renderMermaid(realTimeline())).toBe(src);
  });

  it('hostile names cannot break out of a statement or add one', () => {
    const src = renderMermaid(hostileTimeline());
    expectWellFormed(src);
    expect(src).toContain('actor P0 as us#59;er#35;1');
    expect(src).toContain('Note over P0: line1 line2 --#gt;#gt; x');
    expect(src).toMatch(/: ✗ p#59;#35;#lt;#gt;#quot; \(atStable\) violated after step 7: bad #quot;thing#quot;#59; end rect/);
    // Participant labels that are keywords stay labels.
    expect(src).toMatch(/actor P\d+ as participant\n/);
    expect(src).toMatch(/actor P\d+ as end\n/);
  });

  it('start-up and periodic tasks are their own participants; faults and the clock span the diagram', () => {
    const base = hostileTimeline();
    const mk = (n: number, id: string, actor: string, notes: string[] = []) => ({ step: n, id, actor, notes, changed: [], objects: {}, externals: {}, clock: 0 });
    const src = renderMermaid({
      ...base,
      steps: [
        mk(1, 'ctl/start: InitIPAM begin', 'ctl'),
        mk(2, 'ctl/start: InitIPAM() LIST IP', 'ctl', ['LIST IP -> ok (0 items)']),
        mk(3, 'fault: restart ctl', 'fault', ['ctl crashed']),
        mk(4, 'ctl/q: h(k) PATCH Pod/a/b !fail', 'fault', ['injected fault: 500']),
        mk(5, 'kubelet: delete Pod/a/b', 'kubelet', ['deleted (rv 3)']),
      ],
    });
    expectWellFormed(src);
    expect(src).toMatch(/participant (P\d+) as start\n/);
    expect(src).toMatch(/Note over P\d+: 1\. InitIPAM begins/);
    expect(src).toMatch(/P\d+->>P\d+: 2\. LIST IP\n {2}P\d+-->>P\d+: ok \(0 items\)/);
    expect(src).toMatch(/Note over P0,P\d+: 3\. fault: restart ctl\n {2}Note over P0,P\d+: ctl crashed/);
    expect(src).toMatch(/->>P\d+: 4\. PATCH Pod\/a\/b \(injected failure\)/);
    expect(src).toMatch(/actor P0 as kubelet/);
  });

  it('escapes for labels and text', () => {
    expect(mermaidText('a:b,c;d#e<f>g"h&i\nj')).toBe('a:b,c#59;d#35;e#lt;f#gt;g#quot;h#amp;i j');
    expect(mermaidText('a:b,c', true)).toBe('a#58;b#44;c');
  });

  it('a fenced block for Markdown', () => {
    expect(renderMermaidMarkdown(realTimeline())).toMatch(/^```mermaid\nsequenceDiagram\n[\s\S]*\n```\n$/);
  });
});
