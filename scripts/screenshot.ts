/**
 * Makes the README screenshot from a real run: runs a backtest on the built-in synthetic series (nothing is
 * faked), renders its report.html, opens it in headless Chromium and saves the top of the page (title, metrics,
 * first charts) as a PNG.
 *
 *   npx tsx scripts/screenshot.ts [--out docs/report.png] [--height 1700] [backtest flags as JSON keys, e.g. --pool v3 --strategy rebalance --width 0.05]
 *
 * Default run: a static v3 range [P0/1.2, P0·1.2] (`range`, width 0.2) when this build supports v3 backtests, otherwise v2
 * full range (a note goes to stderr). Needs Chromium (/usr/bin/chromium or $CHROMIUM_PATH).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeFileAtomic } from '../data/io/atomicWrite.ts';
import { loadSeries } from '../data/loadSeries.ts';
import { buildReportFromRun } from '../reports/html.ts';
import { runBacktest } from '../runs/backtest.ts';
import { resolveBacktestConfig } from '../runs/config.ts';
import type { BacktestResult } from '../sim/metrics/record.ts';
import { ConfigError } from '../sim/core/errors.ts';
import { seriesOptions } from './commands/backtestFlags.ts';

const PREFERRED: Readonly<Record<string, unknown>> = { pool: 'v3', strategy: 'range', width: 0.2 };
const FALLBACK: Readonly<Record<string, unknown>> = { pool: 'v2', strategy: 'full-range' };

function parseArgs(argv: readonly string[]): { out: string; height: number; flags: Record<string, unknown> } {
  let out = 'docs/report.png';
  let height = 1700;
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!;
    const value = argv[i + 1];
    if (!key.startsWith('--') || value === undefined) throw new ConfigError(key, 'flags come in pairs: --name value');
    const name = key.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (name === 'out') out = value;
    else if (name === 'height') height = Number(value);
    else flags[name] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (!(Number.isInteger(height) && height >= 400 && height <= 20_000)) throw new ConfigError('--height', `must be an integer in [400, 20000]; was ${height}`);
  return { out, height, flags };
}

async function runOnce(flags: Record<string, unknown>): Promise<BacktestResult> {
  const config = resolveBacktestConfig(flags);
  return runBacktest(config, await loadSeries(config.prices, seriesOptions(config)));
}

async function main(): Promise<void> {
  const { out, height, flags } = parseArgs(process.argv.slice(2));
  let result: BacktestResult;
  if (Object.keys(flags).length > 0) result = await runOnce(flags);
  else {
    try {
      result = await runOnce({ ...PREFERRED });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`note: ${err.message}; using ${JSON.stringify(FALLBACK)} instead\n`);
      result = await runOnce({ ...FALLBACK });
    }
  }
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new ConfigError('CHROMIUM_PATH', `no Chromium at ${chromiumPath} (apt-get install chromium)`);
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-shot-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const file = join(dir, 'report.html');
    writeFileSync(file, buildReportFromRun(result));
    const page = await browser.newPage({ viewport: { width: 1000, height }, deviceScaleFactor: 1 });
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-rendered') !== null, null, { timeout: 60_000 });
    const state = await page.evaluate(() => document.documentElement.getAttribute('data-rendered'));
    if (state !== 'ok') throw new Error(`report did not render (${String(state)})`);
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 1000, height } });
    writeFileAtomic(out, png);
    process.stdout.write(`wrote ${out} (${png.length} bytes) from ${/^[aeio]/i.test(String(result.summary.config.strategy)) ? 'an' : 'a'} ${String(result.summary.config.strategy)} run of ${result.summary.steps} steps\n`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
