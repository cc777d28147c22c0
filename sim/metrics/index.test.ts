import { describe, expect, it } from 'vitest';
// The metrics never import runs/ or the engine; this test does, to check computeSummaryMetrics against real runs.
import { runBacktest } from '../../runs/backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from '../../runs/config.ts';
import { gbmPath, seriesOf } from '../engine/testing/engineTesting.ts';
import { computeSummaryMetrics, SUMMARY_METRICS, type MetricInput } from './index.ts';
import type { BacktestResult } from './record.ts';

const cfg = (over: Partial<BacktestConfig>): BacktestConfig => resolveBacktestConfig(over as Record<string, unknown>);

/**
 * The metric input of a finished run, rebuilt from its record: in-range steps are the sum of the `inRange`
 * column, rebalances the `rebalance` events; the traders' totals are not in the record, so they are read back from
 * the summary (pass-through engine totals, like the fee tokens and the entry's cost).
 */
function inputOf(r: BacktestResult): MetricInput {
  const ts = r.timeseries;
  let inRange = 0;
  for (let i = 0; i < ts.inRange.length; i++) inRange += ts.inRange[i]!;
  const s = r.summary;
  return {
    timeseries: ts,
    timestampMs: Float64Array.from(ts.timestamp),
    capital: (s.config as { capital: number }).capital,
    inRangeSteps: inRange,
    rebalances: r.events.filter((e) => e.kind === 'rebalance').length,
    traders: new Map([
      ['arbitrageur', { trades: s.arbitrageTrades, volume: s.arbitrageVolume }],
      ['noise', { trades: s.noiseTrades, volume: s.noiseVolume }],
    ]),
    feesBase: s.feesBase!,
    feesQuote: s.feesQuote!,
    entryCost: s.entryCost!,
    entryPriceImpact: s.entryPriceImpact!,
    seed: s.seed,
  };
}

const prices = gbmPath(3000, 0.9, 1 / 8760, 2000, 5);

describe('computeSummaryMetrics equals runBacktest’s summary (every numeric key, bit for bit, same order)', () => {
  it.each([
    ['v2 full range, noise traders', { pool: 'v2', strategy: 'full-range', noiseRate: 0.5, seed: 3 }],
    ['v3 ±2 % range, re-centring, gas', { pool: 'v3', strategy: 'rebalance', width: 0.02, gasPrice: 2, capital: 100_000, poolLiquidity: 1e9, noiseRate: 0.3, seed: 9 }],
    ['v3 ±10 % fixed range', { pool: 'v3', strategy: 'range', width: 0.1, fee: 0.0005, seed: 1 }],
  ] as const)('%s', async (_name, over) => {
    const r = await runBacktest(cfg(over as Partial<BacktestConfig>), seriesOf(prices));
    const m = computeSummaryMetrics(inputOf(r));
    const summary = r.summary as unknown as Record<string, unknown>;
    const numericKeys = Object.keys(summary).filter((k) => typeof summary[k] === 'number');
    expect(Object.keys(m)).toEqual(numericKeys);
    for (const k of numericKeys) expect(Object.is(m[k as keyof typeof m], summary[k]), k).toBe(true);
    // the run exercised what it is meant to
    if (over.strategy === 'rebalance') expect(r.summary.rebalances).toBeGreaterThan(0);
    if ('gasPrice' in over) expect(r.summary.gasCost).toBeGreaterThan(0);
  });
});

describe('SUMMARY_METRICS', () => {
  it('keys are unique; every definition has a label, a format and a description; short labels fit 18 characters', () => {
    const keys = SUMMARY_METRICS.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of SUMMARY_METRICS) {
      expect(m.label.length).toBeGreaterThan(0);
      expect(m.description.length).toBeGreaterThan(0);
      expect((m.short ?? m.label).length <= 18 || m.short === undefined).toBe(true);
      if (m.short !== undefined) expect(m.short.length).toBeLessThanOrEqual(18);
    }
  });
});
