import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateGbm } from '../data/synthetic/gbm.ts';
import { runBacktest } from '../runs/backtest.ts';
import { resolveBacktestConfig } from '../runs/config.ts';
import type { BacktestResult } from '../sim/metrics/record.ts';
import { readRunDir } from './runDir.ts';
import { writeTimeseriesArrow } from './timeseriesFile.ts';

const root = mkdtempSync(join(tmpdir(), 'ammsim-rundir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A run folder as `ammsim backtest --out` writes it (events.json given as text). */
function writeRunDir(name: string, result: BacktestResult, eventsText = JSON.stringify(result.events, null, 1) + '\n'): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'timeseries.arrow'), writeTimeseriesArrow(result.timeseries));
  writeFileSync(join(dir, 'events.json'), eventsText);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(result.summary, null, 2) + '\n');
  return dir;
}

describe('readRunDir: events.json', () => {
  const result = runBacktest(resolveBacktestConfig({ pool: 'v3', strategy: 'rebalance', width: 0.02, gasPrice: 5 }), generateGbm({ steps: 600 }));

  it('behavior: reads the events back with their amounts, as JSON has them (NaN ranges as null)', async () => {
    const r = await result;
    expect(r.events.some((e) => e.kind === 'rebalance')).toBe(true);
    const back = readRunDir(writeRunDir('engine', r));
    expect(back.events).toEqual(JSON.parse(JSON.stringify(r.events)));
    const split = back.events.find((e) => e.kind === 'split')!;
    expect(Object.keys(split)).toEqual(['step', 'timestampMs', 'kind', 'price', 'rangeLower', 'rangeUpper', 'baseIn', 'amountIn', 'amountOut', 'fee', 'priceBefore', 'priceAfter', 'gas', 'walletBase', 'walletQuote']);
  });

  it('behavior: an events.json written before the amounts (only the six common keys) still reads', async () => {
    const r = await result;
    const old = r.events.map((e) => ({ step: e.step, timestampMs: e.timestampMs, kind: e.kind, price: e.price, rangeLower: e.rangeLower, rangeUpper: e.rangeUpper }));
    expect(readRunDir(writeRunDir('old', r, JSON.stringify(old))).events).toHaveLength(old.length);
  });

  it('error: an entry that is not an event is named by its index', async () => {
    const r = await result;
    const dir = writeRunDir('bad', r, JSON.stringify([r.events[0], null]));
    expect(() => readRunDir(dir)).toThrowError(`${join(dir, 'events.json')}: [1]: must be an LP event object with a numeric step and timestampMs and a string kind; was null`);
  });
});
