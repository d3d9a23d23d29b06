/** The real demo (npm start), once: it finds both properties, explains one counterexample and tabulates the variants. */
import { describe, expect, it } from 'vitest';
import { run } from './helpers.ts';

describe('demo', () => {
  // The whole demo (about 70 s on a 2-core machine) is run: its own timeout, not the 60 s default.
  it('finds scenario A and a stuck Terminating object on v1.12.28, prints the timeline, the variant table and timings', { timeout: 240_000 }, async () => {
    const r = await run(['demo']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/^kuberace demo: kube-ovn-controller v1\.12\.28 and kubeovn\/kube-ovn#4898/);
    expect(out).toMatch(/✗ ip-outlives-pod-and-subnet on issue-4898: \d+ steps/);
    expect(out).toMatch(/✗ ip-outlives-pod-and-subnet on single-network: \d+ steps/);
    expect(out).toMatch(/✗ no-stuck-terminating on [\w-]+( scenarios)?: \d+ steps/);
    expect(out).toMatch(/2\. The shortest counterexample for ip-outlives-pod-and-subnet, replayed/);
    expect(out).toMatch(/✗ property ip-outlives-pod-and-subnet \(atStable\) violated after step \d+/);
    expect(out).toMatch(/\$ kubectl get ips\nNAME +V4IP/);
    expect(out).toMatch(/VARIANT +IP-OUTLIVES-POD-AND-SUBNET +NO-STUCK-TERMINATING\nv1\.12\.28 +✗ scenario A, \d+ steps/);
    expect(out).toMatch(/^fix2 +✓/m);
    // A duration is "850 ms", "3.8 s" or, on a loaded machine, "1 min 37 s".
    const d = String.raw`(?:\d+ min )?[\d.]+ m?s`;
    expect(out).toMatch(new RegExp(`timings: scenario A ${d}, stuck Terminating ${d}, variant table ${d}; total ${d}\n$`));
  });
});
