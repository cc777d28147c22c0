/**
 * End-to-end: open generated reports in real headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH)
 * and check that every chart rendered, nothing was fetched from the network, nothing was logged as an error,
 * and the metrics table shows the numbers of summary.json. Skipped, with a message, when no Chromium exists
 * (CI installs it with apt-get in .ci/run).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCharts } from './charts/index.ts';
import { buildReportFromRun, normalizeRunForReport, renderReportHtml } from './html.ts';
import { formatMetric, metricRows } from './metrics.ts';
import { syntheticRun } from './testing/syntheticRun.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`reports/report.browser.test.ts: SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const root = mkdtempSync(join(tmpdir(), 'ammsim-browser-'));
let browser: Browser | undefined;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

interface PageCheck {
  consoleErrors: string[];
  networkRequests: string[];
  rendered: string | null;
  charts: Array<{ id: string; svgs: number; marks: number; pathChars: number }>;
  exact: Record<string, string[]>;
  shown: Record<string, string[]>;
}

async function openReport(file: string): Promise<PageCheck> {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
  const consoleErrors: string[] = [];
  const networkRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) await route.continue();
    else {
      networkRequests.push(url);
      await route.abort();
    }
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.getAttribute('data-rendered') !== null, null, { timeout: 60_000 });
  const result = await page.evaluate(() => {
    const charts = [...document.querySelectorAll('figure.chart')].map((f) => {
      const marks = f.querySelectorAll('g.mark-line path, g.mark-area path, g.mark-rect path, g.mark-symbol path');
      let pathChars = 0;
      marks.forEach((m) => (pathChars += (m.getAttribute('d') ?? '').length));
      return { id: f.id, svgs: f.querySelectorAll('svg.marks').length, marks: marks.length, pathChars };
    });
    const exact: Record<string, string[]> = {};
    const shown: Record<string, string[]> = {};
    document.querySelectorAll('#metrics-table tbody tr').forEach((tr) => {
      const key = tr.getAttribute('data-key')!;
      const cells = [...tr.querySelectorAll('td.num')];
      exact[key] = cells.map((td) => td.getAttribute('data-exact') ?? '');
      shown[key] = cells.map((td) => td.textContent ?? '');
    });
    return { rendered: document.documentElement.getAttribute('data-rendered'), charts, exact, shown };
  });
  await page.close();
  return { consoleErrors, networkRequests, ...result };
}

describe.skipIf(!HAVE_CHROMIUM)('report.html in headless Chromium', () => {
  it('behavior: one run: every chart renders, no console error, no network request, table = summary.json', async () => {
    const run = syntheticRun({ steps: 30_000, width: 0.1, rebalanceAt: 20_000 });
    const dir = join(root, 'one');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(run.summary, null, 2) + '\n');
    writeFileSync(join(dir, 'report.html'), buildReportFromRun(run));
    const check = await openReport(join(dir, 'report.html'));
    expect(check.networkRequests).toEqual([]);
    expect(check.consoleErrors).toEqual([]);
    expect(check.rendered).toBe('ok');
    const ids = reportCharts([{ label: 'x', result: run }]).map((c) => `chart-${c.id}`);
    expect(check.charts.map((c) => c.id)).toEqual(ids);
    for (const c of check.charts) {
      expect(c.svgs, c.id).toBe(1);
      expect(c.marks, c.id).toBeGreaterThan(0);
      expect(c.pathChars, c.id).toBeGreaterThan(100);
    }
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const m of metricRows([summary])) {
      if (!(m.key in summary)) continue;
      expect(check.exact[m.key], m.key).toEqual([JSON.stringify(summary[m.key])]);
      expect(check.shown[m.key], m.key).toEqual([formatMetric(summary[m.key], m.format)]);
    }
    // The shown text is the same number, rounded (quote to 0.01, fractions to 0.01 %).
    const shownNumber = (s: string) => Number(s.replace(/[ ,%]/g, ''));
    expect(Math.abs(shownNumber(check.shown.finalValue![0]!) - (summary.finalValue as number))).toBeLessThanOrEqual(0.005);
    expect(Math.abs(shownNumber(check.shown.impermanentLoss![0]!) / 100 - (summary.impermanentLoss as number))).toBeLessThanOrEqual(0.00005);
  });

  it('behavior: two runs side by side render with one table column each', async () => {
    const a = normalizeRunForReport(syntheticRun({ steps: 5000, width: 0.05 }));
    const b = normalizeRunForReport(syntheticRun({ steps: 5000 }));
    const file = join(root, 'two.html');
    writeFileSync(file, renderReportHtml([{ label: 'narrow', result: a }, { label: 'full', result: b, extraSeries: [{ name: 'staking', timestampMs: [a.timeseries.timestamp[0]!, a.timeseries.timestamp[4999]!], value: [10_000, 10_050] }] }]));
    const check = await openReport(file);
    expect(check.networkRequests).toEqual([]);
    expect(check.consoleErrors).toEqual([]);
    expect(check.rendered).toBe('ok');
    for (const c of check.charts) expect(c.marks, c.id).toBeGreaterThan(0);
    expect(check.exact.finalValue).toEqual([JSON.stringify(a.summary.finalValue), JSON.stringify(b.summary.finalValue)]);
  });
});
