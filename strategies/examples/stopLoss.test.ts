import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../runs/backtest.ts';
import { resolveBacktestConfig } from '../../runs/config.ts';
import { seriesOf } from '../../sim/engine/testing/engineTesting.ts';
import { loadStrategyFactory } from '../registry.ts';

describe('README worked example: strategies/examples/stopLoss.ts', () => {
  it('behavior: the README shows the example file verbatim', () => {
    const readme = readFileSync('README.md', 'utf8');
    const source = readFileSync('strategies/examples/stopLoss.ts', 'utf8');
    expect(readme).toContain(source.trim());
  });

  it('behavior: loads by path, exits below the stop and re-enters above the entry price', async () => {
    const factory = await loadStrategyFactory('strategies/examples/stopLoss.ts');
    expect(factory.name).toBe('stop-loss');
    const prices = [1000, 950, 850, 700, 800, 1000, 1100, 1200];
    const res = await runBacktest(resolveBacktestConfig({ fee: 0, params: { stop: 0.2 } }), seriesOf(prices), { strategy: factory });
    const kinds = res.events.map((e) => `${e.step}:${e.kind}`);
    // Mint at start; 700 < 1000·0.8 → burn at step 3; 1100 > 1000 → mint again at step 6 (counted as a rebalance).
    // Each mint's swap to its range's ratio is a `split` event right before it.
    expect(kinds).toEqual(['0:split', '0:mint', '3:burn', '6:split', '6:mint', '6:rebalance']);
    // Out of the pool between steps 3 and 5: the LP holds the wallet tokens, so value tracks the tokens held.
    expect(res.timeseries.inRange[4]).toBe(0);
    expect(res.summary.rebalances).toBe(1);
  });

  it('error: an unknown parameter is rejected before the run with a hint', async () => {
    const factory = await loadStrategyFactory('strategies/examples/stopLoss.ts');
    await expect(runBacktest(resolveBacktestConfig({ params: { stpo: 0.1 } }), seriesOf([1, 2]), { strategy: factory })).rejects.toThrowError(
      '--param: strategy "stop-loss" has no parameter "stpo"; did you mean "stop"? (parameters: stop)',
    );
  });
});
