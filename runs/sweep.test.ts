import { describe, expect, it } from 'vitest';
import { resolveBacktestConfig } from './config.ts';
import { gbmPath, seriesOf } from '../sim/engine/testing/engineTesting.ts';
import { runBacktest } from './backtest.ts';
import { cartesian, runSweep, SWEEP_METRICS, sweepToCsv } from './sweep.ts';

describe('sweep', () => {
  it('behavior: combinations come in nested-loop order, the first axis slowest', () => {
    expect(cartesian([['fee', [0.0005, 0.003]], ['width', [0.1, 0.2, 0.3]]])).toEqual([
      { fee: 0.0005, width: 0.1 }, { fee: 0.0005, width: 0.2 }, { fee: 0.0005, width: 0.3 },
      { fee: 0.003, width: 0.1 }, { fee: 0.003, width: 0.2 }, { fee: 0.003, width: 0.3 },
    ]);
  });

  it('error: an empty axis is rejected', () => {
    expect(() => cartesian([['fee', []]])).toThrowError('--fee: needs at least one value');
  });

  it('behavior: each row equals a single backtest of that combination; the CSV has one line per run', async () => {
    const s = seriesOf(gbmPath(300, 0.8, 1 / 8760, 2000, 2));
    const base = resolveBacktestConfig({ noiseRate: 1 });
    const progress: number[] = [];
    const rows = await runSweep(base, [['strategy', ['full-range', 'hold']], ['fee', [0.0005, 0.01]]], s, (d) => progress.push(d));
    expect(progress).toEqual([1, 2, 3, 4]);
    const single = await runBacktest(resolveBacktestConfig({ noiseRate: 1, strategy: 'hold', fee: 0.01 }), s);
    expect(rows[3]!.params).toEqual({ strategy: 'hold', fee: 0.01 });
    expect(rows[3]!.metrics.finalValue).toBe(single.summary.finalValue);
    expect(rows[0]!.metrics.feesEarned).toBeLessThan(rows[1]!.metrics.feesEarned); // more fee, more fees earned
    const csv = sweepToCsv(['strategy', 'fee'], rows).trim().split('\n');
    expect(csv[0]).toBe(['strategy', 'fee', ...SWEEP_METRICS].join(','));
    expect(csv).toHaveLength(5);
    expect(csv[4]!.startsWith('hold,0.01,')).toBe(true);
  });
});
