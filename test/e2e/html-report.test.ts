/**
 * The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
 * playwright-core, which downloads no browser of its own. The page for a real Kube-OVN
 * counterexample is served from 127.0.0.1 and clicked through.
 *
 * Without Chromium the tests are skipped with a notice (CI installs it in .ci/run; under
 * CI=true a missing Chromium fails the file instead of skipping).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.ts';
import type { Timeline } from '../../src/report/timeline.ts';
import { EVIL_NAME, kubeOvnTimeline, withEvilObject } from './kube-ovn-timeline.ts';

const CHROMIUM = process.env.KUBERACE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
if (!hasChromium && inCI) {
  throw new Error(`CI must run the HTML report e2e tests, but ${CHROMIUM} is missing (.ci/run installs the Debian chromium package)`);
}
if (!hasChromium) {
  console.warn(`HTML report e2e tests skipped: Chromium not installed (${CHROMIUM}); install it with: apt-get install -y chromium`);
}

const TITLE = hasChromium ? 'HTML report in headless Chromium' : 'HTML report in headless Chromium (skipped: Chromium not installed)';

describe(TITLE, () => {
  let dir = '';
  let server: Server | undefined;
  let base = '';
  let context: BrowserContext | undefined;
  let timeline: Timeline;
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    if (!hasChromium) return;
    dir = mkdtempSync(join(tmpdir(), 'kuberace-html-e2e-'));
    timeline = kubeOvnTimeline();
    pages['/report.html'] = renderHtml(timeline);
    pages['/evil.html'] = renderHtml(withEvilObject(timeline));
    for (const [name, html] of Object.entries(pages)) writeFileSync(join(dir, name), html);
    server = createServer((req, res) => {
      const html = pages[req.url ?? ''];
      res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const t0 = performance.now();
    const { chromium } = await import('playwright-core');
    // playwright passes --user-data-dir itself (it rejects it in args): a fresh profile in the temp dir.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    console.log(`HTML report e2e: Chromium ${context.browser()?.version() ?? ''} started in ${Math.round(performance.now() - t0)} ms`);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(join(dir, 'profile'), { recursive: true, force: true });
  });

  /** Open a page, recording every request, console error and uncaught exception. */
  async function open(path: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await context!.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(`${base}${path}`);
    await page.waitForSelector('li.step.selected');
    return { page, requests, errors };
  }

  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();
  const classes = async (page: Page, selector: string) => ((await page.getAttribute(selector, 'class')) ?? '').split(/\s+/);
  /** The cells of the kubectl-like row of object `key`, by column header. */
  async function row(page: Page, key: string): Promise<{ cells: Record<string, string>; classes: string[] }> {
    // Runs in the page (tsconfig has no DOM lib: the browser globals are reached untyped).
    return page.evaluate((k) => {
      const doc = (globalThis as any).document;
      const tr = [...doc.querySelectorAll('tr.obj')].find((r: any) => r.getAttribute('data-key') === k) as any;
      if (!tr) return { cells: {}, classes: [] as string[] };
      const headers: string[] = [...tr.closest('table').querySelectorAll('th')].map((th: any) => th.textContent ?? '');
      const cells: Record<string, string> = {};
      [...tr.querySelectorAll('td')].forEach((td: any, i) => (cells[headers[i]!] = td.textContent ?? ''));
      return { cells, classes: [...tr.classList] as string[] };
    }, key);
  }

  it.skipIf(!hasChromium)('steps through a Kube-OVN counterexample: buttons, keys, clicks, violation, screenshot', async () => {
    const started = performance.now();
    const { page, requests, errors } = await open('/report.html');
    const last = timeline.steps.length;
    const v = timeline.violation!;
    expect(v.property).toBe('ip-outlives-pod-and-subnet');

    // The violated property and its message, at the top.
    expect(await page.isVisible('#property')).toBe(true);
    expect(await text(page, '#property')).toBe(v.property);
    expect(await text(page, '#message')).toBe(v.message);
    expect(await page.title()).toContain(v.property);

    // Opens at the initial state.
    expect(await text(page, '#position')).toBe(`step 0 / ${last}`);
    expect(await text(page, '#detail-title')).toBe('Initial state');
    expect(await page.isDisabled('#prev')).toBe(true);
    expect(await row(page, 'Subnet/s1')).toMatchObject({ cells: { NAME: 's1', V4USED: '0' } });
    expect((await row(page, 'Pod/vm/p1')).classes).toEqual([]); // the pod does not exist yet

    // Next: step 1 creates the pod.
    await page.click('#next');
    const s1 = timeline.steps[0]!;
    expect(s1.id).toBe('user: create Pod/vm/p1');
    expect(await text(page, '#position')).toBe(`step 1 / ${last}`);
    expect(await text(page, '#detail-id')).toBe(s1.id);
    expect(await text(page, '#detail-actor')).toBe('user');
    expect(await page.$$eval('#notes li', (lis) => lis.map((li) => li.textContent))).toEqual([...s1.notes]);
    expect(await classes(page, '#step-1')).toContain('selected');
    expect(await classes(page, '#step-0')).not.toContain('selected');
    const pod = await row(page, 'Pod/vm/p1');
    expect(pod.classes).toContain('changed');
    expect(pod.cells).toMatchObject({ NAMESPACE: 'vm', NAME: 'p1', FINALIZERS: '<none>', DELETIONTIMESTAMP: '<none>' });
    expect((await row(page, 'Subnet/s1')).classes).not.toContain('changed');
    expect(await text(page, '#changes')).toContain('Pod/vm/p1 created');
    expect(new URL(page.url()).hash).toBe('#step-1');

    // Keyboard: right and left arrows.
    await page.keyboard.press('ArrowRight');
    expect(await text(page, '#position')).toBe(`step 2 / ${last}`);
    expect(await text(page, '#detail-id')).toBe(timeline.steps[1]!.id);
    expect((await row(page, 'Subnet/s1')).cells.DELETIONTIMESTAMP).toMatch(/^2025-/); // admin deleted it: terminating
    await page.keyboard.press('ArrowLeft');
    expect(await text(page, '#position')).toBe(`step 1 / ${last}`);

    // Click the step that creates the IP: its row is highlighted, with kubectl's V4IP and SUBNET.
    const ipStep = timeline.steps.find((s) => s.changed.some((k) => k.startsWith('IP/')))!;
    const ipKey = ipStep.changed.find((k) => k.startsWith('IP/'))!;
    const ip = ipStep.objects[ipKey]! as { spec: { v4IpAddress: string; subnet: string } };
    await page.click(`#step-${ipStep.step}`);
    expect(await text(page, '#position')).toBe(`step ${ipStep.step} / ${last}`);
    expect(await text(page, '#detail-id')).toBe(ipStep.id);
    expect(await page.$$eval('#notes li', (lis) => lis.map((li) => li.textContent))).toEqual([...ipStep.notes]);
    const ipRow = await row(page, ipKey);
    expect(ipRow.classes).toContain('changed');
    expect(ipRow.cells).toMatchObject({ NAME: 'p1.vm', V4IP: ip.spec.v4IpAddress, SUBNET: 's1' });
    expect(ip.spec.v4IpAddress).toMatch(/^10\.16\.0\.\d+$/);

    // Clicking a row shows the whole object.
    await page.click(`tr.obj[data-key="${ipKey}"]`);
    expect(await text(page, 'tr.json pre')).toContain(`"v4IpAddress": "${ip.spec.v4IpAddress}"`);

    // External systems: the step that calls OVN shows the new port.
    const lspStep = timeline.steps.find((s) => s.id.includes('createLogicalSwitchPort'))!;
    await page.click(`#step-${lspStep.step}`);
    expect(await page.isVisible('#externals-changed')).toBe(true);
    expect(JSON.parse(await text(page, '#externals'))).toEqual(JSON.parse(JSON.stringify(lspStep.externals)));
    await page.click('#next');
    expect(await page.isVisible('#externals-changed')).toBe(false);

    // The violating step is marked in the list; selecting it shows the violation.
    expect(await page.$$eval('li.step.violation', (lis) => lis.map((li) => li.getAttribute('data-step')))).toEqual([String(v.step)]);
    expect(await page.isVisible('#violation-banner')).toBe(false);
    await page.click('#jump-violation');
    expect(await text(page, '#position')).toBe(`step ${v.step} / ${last}`);
    expect(await classes(page, `#step-${v.step}`)).toEqual(expect.arrayContaining(['violation', 'selected']));
    expect(await page.isVisible('#violation-banner')).toBe(true);
    expect(await text(page, '#violation-banner')).toContain(v.property);
    expect(await text(page, '#violation-banner')).toContain(v.message);
    expect(await page.isDisabled('#next')).toBe(v.step === last);
    // The IP outlives its pod and subnet: at the violation only it (and the namespace) are left, with its finalizer.
    const kinds = await page.$$eval('#objects .kind', (ds) => ds.map((d) => d.getAttribute('data-kind')));
    expect(kinds).toEqual(['IP', 'Namespace']);
    expect((await row(page, ipKey)).cells.FINALIZERS).toBe('kube-ovn-controller');

    await page.click(`tr.obj[data-key="${ipKey}"]`); // collapse it again
    expect(await page.$$('tr.json')).toHaveLength(0);

    // Home goes back to the start.
    await page.keyboard.press('Home');
    expect(await text(page, '#position')).toBe(`step 0 / ${last}`);
    await page.keyboard.press('v');
    expect(await text(page, '#position')).toBe(`step ${v.step} / ${last}`);

    const screenshot = join(dir, 'kube-ovn-report.png');
    await page.screenshot({ path: screenshot });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);

    // Self-contained: the page made no request but for itself, and ran without errors (CSP included).
    expect(requests).toEqual([`${base}/report.html`]);
    expect(errors).toEqual([]);
    await page.close();
    console.log(`HTML report e2e: ${last} steps clicked through in ${Math.round(performance.now() - started)} ms; screenshot ${screenshot}`);
  });

  it.skipIf(!hasChromium)('shows the controller: stale informer cache vs the API server, events, queues, in-flight handlers, locks, memory; the violating object highlighted', async () => {
    const { page, errors } = await open('/report.html');
    const v = timeline.violation!;
    const at = async (step: number) => {
      await page.click(`#step-${step}`);
      expect(await text(page, '#position')).toBe(`step ${step} / ${timeline.steps.length}`);
    };
    const cacheRow = (key: string) =>
      page.evaluate((k) => {
        const doc = (globalThis as any).document;
        const tr = [...doc.querySelectorAll('#controllers tr.cache')].find((r: any) => r.getAttribute('data-key') === k) as any;
        return tr ? { cells: [...tr.querySelectorAll('td')].map((td: any) => td.textContent), classes: [...tr.classList] as string[] } : undefined;
      }, key);

    // The admin's delete reaches the server first: the controller's cache still has the old Subnet.
    const del = timeline.steps.find((s) => s.id === 'admin: delete Subnet/s1')!;
    await at(del.step);
    expect(await page.isVisible('#controllers .controller[data-controller="kube-ovn-controller"]')).toBe(true);
    const stale = await cacheRow('Subnet/s1');
    expect(stale?.classes).toContain('stale');
    expect(stale?.cells[0]).toBe('Subnet');
    expect(stale?.cells[4]).toMatch(/^STALE/);
    expect(await text(page, '#controllers table.informers')).toContain('metadata.deletionTimestamp: <absent> → ');
    expect(await text(page, '#controllers table.pending')).toContain('MODIFIED Subnet/s1');
    // Delivered: in sync again.
    await at(timeline.steps.find((s) => s.id === 'deliver Subnet/s1 MODIFIED -> kube-ovn-controller')!.step);
    expect(await cacheRow('Subnet/s1')).toBeUndefined();

    // A handler holding the pod lock while it calls OVN.
    const held = timeline.steps.find((s) => Object.values(s.world!.controllers)[0]!.inflight && Object.values(Object.values(s.world!.controllers)[0]!.inflight).some((f) => f.pending.op === 'external' && f.pending.call === 'createLogicalSwitchPort'))!;
    await at(held.step);
    expect(await text(page, '#controllers table.inflight')).toContain('handleAddOrUpdatePod');
    expect(await text(page, '#controllers table.locks')).toContain('podKeyMutex/vm/p1');
    expect(await text(page, '#controllers table.queues')).toContain('addOrUpdatePodQueue');
    expect(JSON.parse(await text(page, '#controllers pre.memory'))).toHaveProperty('ipam');

    // A write's field-level diff in "Changed by this step".
    const patch = timeline.steps.find((s) => s.id.includes('PATCH IP/p1.vm') && s.changed.includes('IP/p1.vm'))!;
    await at(patch.step);
    expect(await text(page, '#changes')).toContain('metadata.finalizers');

    // At the violation the IP CR the message names is highlighted, and only there.
    await page.keyboard.press('v');
    expect((await row(page, 'IP/p1.vm')).classes).toContain('violating');
    expect(await text(page, '#violation-banner')).toContain('objects named: IP/p1.vm');
    await page.keyboard.press('ArrowLeft');
    expect((await row(page, 'IP/p1.vm')).classes).not.toContain('violating');
    expect(v.step).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!hasChromium)('opens from file:// at the step named in the URL', async () => {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${join(dir, 'report.html')}#step-3`);
    await page.waitForSelector('li.step.selected');
    expect(await text(page, '#position')).toBe(`step 3 / ${timeline.steps.length}`);
    expect(await text(page, '#detail-id')).toBe(timeline.steps[2]!.id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.skipIf(!hasChromium)('shows a hostile object name as text and runs none of it', async () => {
    const { page, errors } = await open('/evil.html');
    await page.click('#step-1');
    const key = `IP/${EVIL_NAME}`;
    const evil = await row(page, key);
    expect(evil.classes).toContain('changed');
    expect(evil.cells.NAME).toBe(EVIL_NAME);
    expect(evil.cells.FINALIZERS).toBe('<b>fin</b>');
    expect(await text(page, '#notes')).toContain('</script><script>window.__xss=2</script>');
    expect(await text(page, '#step-1 .actor')).toBe('<u>user</u>');
    await page.click(`tr.obj[data-key="${key.replaceAll('"', '\\"')}"]`);
    expect(await text(page, 'tr.json pre')).toContain('onerror');
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.$$eval('img, svg, b, i, u', (els) => els.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
