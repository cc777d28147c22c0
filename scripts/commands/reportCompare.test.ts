/**
 * `ammsim report --run <comparison folder>`: compare's report.html rebuilt byte for byte from what the folder keeps
 * (summary.json, series.arrow, lp-events.json), its charts as SVG, and the flags and folder mixes that cannot apply
 * refused. It read the folder as a backtest's and failed: "summary.json: finalValue: must be a number; is this the
 * summary of one backtest (not of `compare`)?".
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateGbm } from '../../data/synthetic/gbm.ts';
import { makeSeries } from '../../sim/core/series.ts';
import { compareFolderFiles, COMPARE_EVENTS_FILE, COMPARE_SERIES_FILE, readCompareDir } from '../../reports/compareDir.ts';
import { compareReportHtml } from '../../reports/compare.ts';
import { writeBacktestDir } from './testing/runDir.ts';
import { syntheticRun } from '../../reports/testing/syntheticRun.ts';
import { runCompare, type CompareConfig, type CompareResult } from '../../runs/compare/compare.ts';
import { COMPARE_DEFAULTS } from '../../runs/compare/config.ts';
import { resolveBacktestConfig } from '../../runs/config.ts';
import { runCliInProcess } from '../testing/runCliInProcess.ts';
import { COMPARE_OUTPUTS } from './compare.ts';
import { runReport } from './report.ts';

const root = mkdtempSync(join(tmpdir(), 'ammsim-report-compare-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cfg(backtest: Record<string, unknown>, strategies: string[], widths: number[] | undefined): CompareConfig {
  return { backtest: resolveBacktestConfig(backtest), strategies, widths, options: { ...COMPARE_DEFAULTS, stakingApr: 0.05 }, aprSeries: undefined, lstSeries: undefined };
}

/** A comparison's folder as `ammsim compare --out` writes it: report.html, series.arrow, lp-events.json, then summary.json. */
function writeCompareDir(name: string, result: CompareResult): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, data] of compareFolderFiles(result)) writeFileSync(join(dir, file), data);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(result.summary, null, 2) + '\n');
  return dir;
}

/** Writes a backtest's folder (as report.test.ts does). */
function writeRunDir(name: string): string {
  return writeBacktestDir(root, name, syntheticRun({ steps: 500, width: 0.1 }));
}

const series = generateGbm({ steps: 600 });
// two ranges and full range (several LPs whose holds differ), and one LP alone
const several = await runCompare(cfg({ pool: 'v3' }, ['range', 'full-range'], [0.05, 0.2]), series);
const one = await runCompare(cfg({ pool: 'v2' }, ['full-range'], undefined), series);

/** 20 days of hourly prices from 2022-01-01 and a liquidity-mining program over most of them (as runs/compare's tests). */
async function withMining(): Promise<CompareResult> {
  const t0 = Date.UTC(2022, 0, 1);
  const n = 24 * 20 + 1;
  const ts = Float64Array.from({ length: n }, (_, i) => t0 + i * 3_600_000);
  const price = Float64Array.from({ length: n }, (_, i) => 2000 * (1 + 0.1 * Math.sin(i / 40)));
  const program = join(root, 'farm.json');
  writeFileSync(program, JSON.stringify({ kind: 'staking-rewards', token: 'FARM', total: 40_000, start: '2022-01-03T00:00:00Z', end: '2022-01-18T00:00:00Z', otherStakedValue: 2_000_000 }));
  const mining = { incentives: [program], harvest: 'interval', harvestParams: { every: '1d', then: 'sell' }, rewardPrice: 3, gasPrice: 5 };
  return runCompare(cfg({ pool: 'v3', ...mining }, ['range', 'full-range'], [0.1]), makeSeries(ts, price, new Map(), { kind: 'test', sha256: 'test' }));
}

describe('ammsim report --run <comparison folder>', () => {
  it('regression: rebuilds compare\'s report.html byte for byte (several LP alternatives; one alone)', async () => {
    for (const [name, result] of [['several', several], ['one', one]] as const) {
      const dir = writeCompareDir(`cmp-${name}`, result);
      const out = join(root, `cmp-${name}-rebuilt.html`);
      expect(await runReport({ run: [dir], out })).toEqual([out]);
      const rebuilt = readFileSync(out, 'utf8');
      const written = readFileSync(join(dir, 'report.html'), 'utf8');
      expect(rebuilt === written, name).toBe(true);
      // the page compare draws from the run in memory is the one drawn from the folder
      expect(compareReportHtml(result) === written, name).toBe(true);
    }
  });

  it('regression: with liquidity mining (reward columns, harvests, the PnL split) the folder rebuilds the same page and its SVGs', async () => {
    const mining = await withMining();
    const dir = writeCompareDir('cmp-mining', mining);
    const out = join(root, 'cmp-mining.html');
    const svg = join(root, 'cmp-mining-svg');
    await runReport({ run: [dir], out, svg });
    const written = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(readFileSync(out, 'utf8') === written).toBe(true);
    expect(written).toContain('id="rewards-table"');
    expect(readdirSync(svg)).toEqual(expect.arrayContaining(['pnl-split.svg', 'rewards.svg', 'reward-price.svg']));
    // the PnL split's terms in full (none cut with an ellipsis)
    const split = readFileSync(join(svg, 'pnl-split.svg'), 'utf8');
    expect(split).not.toContain('…');
    expect(split).toContain('<tspan>token price moves</tspan><tspan x="0" dy="13">after earning</tspan>');
  });

  it('behavior: --svg writes the comparison\'s charts (staking drawn beside the LPs); --max-points redraws the lines', async () => {
    const dir = writeCompareDir('cmp-svg', several);
    const svg = join(root, 'cmp-svg-out');
    const written = await runReport({ run: [dir], svg });
    const files = readdirSync(svg).sort();
    expect(files).toEqual(['drawdown.svg', 'fees.svg', 'il-curve.svg', 'il-time.svg', 'pnl.svg', 'price.svg', 'time-in-range.svg', 'value.svg']);
    expect(written).toHaveLength(files.length);
    const value = readFileSync(join(svg, 'value.svg'), 'utf8');
    expect(value).toContain('staking');
    expect(value).toContain('hold-staked');
    const out = join(root, 'cmp-coarse.html');
    await runReport({ run: [dir], out, maxPoints: 100 });
    expect(readFileSync(out, 'utf8')).not.toBe(readFileSync(join(dir, 'report.html'), 'utf8'));
    expect(readFileSync(out, 'utf8')).toContain('≤ 100 points');
  });

  it('error: a comparison folder mixed with backtest folders, twice over, or with flags that do not apply is refused', async () => {
    const dir = writeCompareDir('cmp-flags', one);
    const other = writeCompareDir('cmp-flags-2', one);
    const backtest = writeRunDir('bt');
    const out = join(root, 'never.html');
    await expect(runReport({ run: [backtest, dir], out })).rejects.toThrow(`--run: ${dir} is a comparison folder (written by \`ammsim compare\`): give it alone (one --run) to rebuild its report; backtest folders can be drawn together`);
    await expect(runReport({ run: [dir, backtest], out })).rejects.toThrow(`--run: ${dir} is a comparison folder`);
    await expect(runReport({ run: [dir, other], out })).rejects.toThrow(`--run: ${dir} is a comparison folder`);
    await expect(runReport({ run: [dir], out, label: ['mine'] })).rejects.toThrow(`--label: applies to backtest folders; ${dir} is a comparison folder (its lines and columns are named by the alternatives' ids)`);
    await expect(runReport({ run: [dir], out, metric: 'apr' })).rejects.toThrow(`--metric: applies to a sweep folder (written by \`ammsim sweep\`); ${dir} is a comparison folder`);
    await expect(runReport({ run: [dir], out, top: 3 })).rejects.toThrow('--top: applies to a sweep folder');
    expect(readdirSync(root)).not.toContain('never.html');
  });

  it('error: a comparison folder without its series (an older compare) says how to get them; files of another comparison are refused', async () => {
    const dir = writeCompareDir('cmp-old', one);
    rmSync(join(dir, COMPARE_SERIES_FILE));
    await expect(runReport({ run: [dir], out: join(root, 'x.html') })).rejects.toThrow(`${join(dir, COMPARE_SERIES_FILE)}: ${COMPARE_SERIES_FILE} is missing: the comparison was written by an ammsim whose compare saved no series; run the comparison again (ammsim compare --config ${join(dir, 'summary.json')} --out ANOTHER_DIR) to rebuild its report`);
    const mixed = writeCompareDir('cmp-mixed', one);
    writeFileSync(join(mixed, COMPARE_SERIES_FILE), readFileSync(join(writeCompareDir('cmp-src', several), COMPARE_SERIES_FILE)));
    expect(() => readCompareDir(mixed)).toThrow(/series\.arrow: holds the LP alternatives \["lp:range,width=0\.05",.*but summary\.json names \["lp"\]: the two files are of different comparisons/);
    const noEvents = writeCompareDir('cmp-no-events', one);
    rmSync(join(noEvents, COMPARE_EVENTS_FILE));
    expect(() => readCompareDir(noEvents)).toThrow(`${COMPARE_EVENTS_FILE} is missing`);
  });

  it('behavior: the LP events section names the comparison\'s events file, not a backtest\'s events.json', () => {
    const html = readFileSync(join(writeCompareDir('cmp-events', several), 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('<h2 id="events">'), html.indexOf('<h2 id="staking">'));
    expect(section).toContain('<p class="note">The LP’s actions, as in the comparison’s lp-events.json (which has every event and the exact numbers)');
    expect(section).not.toContain('a backtest’s events.json');
    // every LP alternative with events has its block, named by its id
    for (const a of several.alternatives) if (several.runs[several.alternatives.indexOf(a)]!.events.length > 0) expect(section).toContain(`<summary><b>${a.id}</b>: `);
  });
});

describe('compare report: every figure is summary.json\'s', () => {
  /** The numbers of a table of the page, by row key: the exact values (data-exact) of its cells. */
  const exactValues = (html: string, tableId: string): Map<string, string[]> => {
    const at = html.indexOf(`<table id="${tableId}">`);
    const table = html.slice(at, html.indexOf('</table>', at));
    return new Map([...table.matchAll(/<tr data-key="([^"]+)">(.*?)<\/tr>/g)].map((m) => [m[1]!, [...m[2]!.matchAll(/data-exact="([^"]*)"/g)].map((x) => x[1]!)]));
  };

  it('regression: the table of every metric of the LP runs shows only figures summary.json holds (volatility 0.38… was shown, and absent from it)', () => {
    const html = compareReportHtml(several);
    const summary = JSON.parse(JSON.stringify(several.summary)) as Record<string, Record<string, unknown>>;
    const rows = exactValues(html, 'metrics-table');
    expect(rows.size).toBeGreaterThan(10);
    for (const [key, cells] of rows) {
      several.alternatives.forEach((a, i) => {
        const inSummary = key in summary[a.id]! ? summary[a.id]![key] : (summary as unknown as Record<string, unknown>)[key];
        expect(cells[i], `${a.id} ${key}`).toBe(inSummary === undefined ? '' : JSON.stringify(inSummary));
      });
    }
    // a figure of the run that compare's summary does not carry is not on the page
    for (const key of Object.keys(several.runs[0]!.summary)) {
      if (!(key in summary[several.alternatives[0]!.id]!) && !['steps', 'years', 'seed', 'config', 'data', 'warnings', 'strategyName'].includes(key)) expect(rows.has(key), key).toBe(false);
    }
  });

  it('behavior: the page\'s warnings are the comparison\'s (its staking rate\'s too), as summary.json lists them', () => {
    const warned = { ...one, summary: { ...one.summary, warnings: ['the staking APR 4 reads as 400 % a year', 'lp: the strategy stopped acting at step 3'] } };
    const html = compareReportHtml(warned);
    expect(html).toContain('<div class="warnings" id="warnings" role="alert"><b>Warnings</b><ul><li>the staking APR 4 reads as 400 % a year</li><li>lp: the strategy stopped acting at step 3</li></ul></div>');
    expect(compareReportHtml(one)).not.toContain('id="warnings"');
  });
});

describe('ammsim compare then ammsim report (CLI)', () => {
  // compare's command (scripts/commands/compare.ts) writes the files reports/compareDir.ts gives once it adopts them
  const writesSeries = COMPARE_OUTPUTS.includes(COMPARE_SERIES_FILE);
  it.skipIf(!writesSeries)('behavior: the report of a compare folder rebuilds byte for byte through the CLI', async () => {
    const dir = join(root, 'cli-compare');
    const c = await runCliInProcess(['compare', '--pool', 'v3', '--strategy', 'range', '--width', '0.05,0.2', '--out', dir]);
    expect(c.code, c.stderr).toBe(0);
    const out = join(root, 'cli-compare.html');
    const r = await runCliInProcess(['report', '--run', dir, '--out', out, '--svg', join(root, 'cli-compare-svg')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8') === readFileSync(join(dir, 'report.html'), 'utf8')).toBe(true);
  });
});
