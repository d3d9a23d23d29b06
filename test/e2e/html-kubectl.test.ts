/**
 * The HTML viewer shows, for the selected step, the `kuberace serve` command for that step and
 * the kubectl commands that look at it (what the step changed, as -o yaml). Checked in Debian's
 * Chromium like the other HTML e2e test (skipped with a notice without it; CI installs it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models } from '../../models/index.ts';
import { timelineOf } from '../../src/cli/common.ts';
import { htmlData, renderHtml } from '../../src/report/html.ts';
import type { Timeline } from '../../src/report/timeline.ts';
import { loadTrace } from '../serve/helpers.ts';

const CHROMIUM = process.env.KUBERACE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === 'true') throw new Error(`CI must run the HTML e2e tests, but ${CHROMIUM} is missing`);
if (!hasChromium) console.warn(`HTML kubectl-command test skipped: Chromium not installed (${CHROMIUM})`);

const FILE = 'test/counterexamples/a-v1.12.28-issue-4898.json';

describe('HTML viewer: kubectl commands per step', () => {
  let timeline: Timeline;
  beforeAll(() => {
    const trace = loadTrace();
    timeline = timelineOf(models[trace.model], trace);
  });

  it('embeds the trace file, its kubeconfig and the resource name of every kind', () => {
    const d = htmlData(timeline, { traceFile: FILE });
    expect(d.serve.trace).toBe(FILE);
    expect(d.serve.kubeconfig).toBe('test/counterexamples/a-v1.12.28-issue-4898.kubeconfig');
    expect(Object.keys(d.serve.plurals)).toEqual(Object.keys(timeline.final.api.kinds).sort());
    expect(d.serve.plurals).toMatchObject({ IP: 'ips', Namespace: 'namespaces', NetworkAttachmentDefinition: 'network-attachment-definitions', Pod: 'pods', Subnet: 'subnets' });
    expect(htmlData(timeline).serve.trace).toBe('<trace.json>');
  });

  describe.skipIf(!hasChromium)('in Chromium', () => {
    let dir = '';
    let server: Server | undefined;
    let context: BrowserContext | undefined;
    let base = '';
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kuberace-html-kubectl-'));
      const html = renderHtml(timeline, { traceFile: FILE });
      server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { chromium } = await import('playwright-core');
      context = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    }, 60_000);
    afterAll(async () => {
      await context?.close();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('the selected step shows its serve command, the kinds present and what it changed', async () => {
      // The step that creates the leaked IP CR (found by what it changed, not by number).
      const i = timeline.steps.findIndex((s) => s.changed.some((k) => k.startsWith('IP/') && s.objects[k]));
      expect(i).toBeGreaterThanOrEqual(0);
      const step = timeline.steps[i];
      const ipKey = step.changed.find((k) => k.startsWith('IP/') && step.objects[k])!;
      const page = await context!.newPage();
      await page.goto(`${base}/#step-${step.step}`);
      await page.waitForSelector('li.step.selected');
      const lines = ((await page.textContent('#kubectl')) ?? '').split('\n');
      const kc = 'test/counterexamples/a-v1.12.28-issue-4898.kubeconfig';
      expect(lines[0]).toBe(`$ npx kuberace serve ${FILE} --step ${step.step}    # or, running: curl -X POST <url>/kuberace/step/${step.step}`);
      const kinds = [...new Set(Object.values(step.objects).map((o) => o.kind))].sort();
      const plurals = htmlData(timeline).serve.plurals;
      expect(lines[1]).toBe(`$ kubectl --kubeconfig ${kc} get ${kinds.map((k) => plurals[k]).join(',')} -A`);
      expect(lines).toContain(`$ kubectl --kubeconfig ${kc} get ips ${step.objects[ipKey].metadata.name} -o yaml`);
      // Stepping updates it.
      await page.click('#next');
      expect(((await page.textContent('#kubectl')) ?? '').split('\n')[0]).toContain(`--step ${step.step + 1} `);
      await page.close();
    }, 60_000);
  });
});
