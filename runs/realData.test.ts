import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeries } from '../data/loadSeries.ts';
import { runBacktest } from './backtest.ts';
import { resolveBacktestConfig } from './config.ts';

const ETH_1H = resolve(process.cwd(), '../shared/data/eth_usd/binance_spot_ETHUSDT_1h.csv');
const present = existsSync(ETH_1H);
if (!present) console.warn(`skipping the real-data backtest: ${ETH_1H} is absent (../shared/data is provided beside the checkout)`);

describe.skipIf(!present)('real data: Binance ETH/USDT hourly, 2017-08 → 2026-05 (../shared/data/eth_usd)', () => {
  it('behavior: a fee-0 full-range v2 LP follows the IL identity 2√r/(1+r) − 1 at every step of the real path', async () => {
    // The file has exchange-maintenance gaps (e.g. February 2018); skip over them.
    const series = await loadSeries(ETH_1H, { gaps: 'skip' });
    expect(series.length).toBe(74_542);
    const res = await runBacktest(resolveBacktestConfig({ fee: 0, poolLiquidity: 1e15, prices: ETH_1H, gaps: 'skip' }), series);
    const ts = res.timeseries;
    const deposit = ts.poolPrice[0]!;
    let worst = 0;
    for (let t = 1; t < series.length; t++) {
      const r = ts.poolPrice[t]! / deposit;
      worst = Math.max(worst, Math.abs(ts.impermanentLoss[t]! - ((2 * Math.sqrt(r)) / (1 + r) - 1)));
      // With fee 0 and no gas the arbitrageur leaves the pool exactly at the market price.
      expect(Math.abs(ts.poolPrice[t]! / series.price[t]! - 1)).toBeLessThan(1e-9);
    }
    expect(worst).toBeLessThan(1e-9);
    // ETH went from ~300 to ~2,000+: a large, real IL.
    expect(res.summary.impermanentLoss).toBeLessThan(-0.2);
    expect(res.summary.feesEarned).toBe(0);
  });
});
