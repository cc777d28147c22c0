import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { resolveBacktestConfig } from '../config.ts';
import { COMPARE_DEFAULTS, type CompareOptions } from './config.ts';
import { runCompare, stakingRateWarnings, type CompareConfig } from './compare.ts';
import type { AprSeries } from '../../data/loaders/stakingSeries.ts';

const H = 3_600_000;
const T0 = Date.UTC(2022, 0, 1);
const series = makeSeries(Float64Array.from({ length: 48 }, (_, i) => T0 + i * H), Float64Array.from({ length: 48 }, (_, i) => 2000 + i), new Map(), { kind: 'test', sha256: 'test' });

function cfg(options: Partial<CompareOptions>, aprSeries?: AprSeries): CompareConfig {
  return { backtest: resolveBacktestConfig({}), strategies: ['full-range'], widths: undefined, options: { ...COMPARE_DEFAULTS, ...options }, aprSeries, lstSeries: undefined };
}

describe('compare: a staking rate that reads as 100 % a year or more', () => {
  it('behavior: --staking-apr 4 (400 %) is said first in summary.json warnings, with 0.04 as the fraction meant; 0.04 says nothing', async () => {
    const r = await runCompare(cfg({ stakingApr: 4 }), series);
    expect(r.summary.warnings).toEqual(['--staking-apr 4 is 400 % a year (the rate is a fraction); for 4 % give 0.04']);
    expect((await runCompare(cfg({ stakingApr: 0.04 }), series)).summary.warnings).toEqual([]);
    expect((await runCompare(cfg({}), series)).summary.warnings).toEqual([]);
  });

  it('behavior: a --staking-series with APRs of 1 or more (a column in percent): how many rows, the largest', () => {
    const s = (apr: number[]): AprSeries => ({ timestampMs: Float64Array.from(apr, (_, i) => T0 + i * 86_400_000), apr: Float64Array.from(apr), length: apr.length, file: 'apr.csv', kind: 'csv' });
    expect(stakingRateWarnings(cfg({ stakingSeries: 'apr.csv' }, s([4.1, 4.25, 0.5])))).toEqual([
      'the staking series apr.csv has APRs of 1 or more (2 of 3 rows, up to 4.25 = 425 % a year): its APRs are fractions (0.04 = 4 %); a column in percent must be divided by 100',
    ]);
    expect(stakingRateWarnings(cfg({ stakingSeries: 'apr.csv' }, s([0.041, 0.0425])))).toEqual([]);
  });
});
