import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineStrategy, resolveParams } from '../strategies/define.ts';
import { fullRangeStrategy } from '../strategies/lp/fullRange.ts';
import { loadStrategyFactory } from '../strategies/registry.ts';
import { createArbitrageur } from '../strategies/trader/arbitrageur.ts';
import { createNoiseTrader } from '../strategies/trader/noise.ts';
import { createEnginePool } from './createPool.ts';
import { V2FloatPool } from '../sim/pools/v2/v2FloatPool.ts';
import { Rng } from '../sim/core/rng.ts';
import { TIMESERIES_COLUMNS } from '../sim/metrics/record.ts';
import { runEngine } from '../sim/engine/engine.ts';
import { constantGas } from '../sim/engine/gas.ts';
import { NO_ACTIONS } from '../sim/engine/strategy.ts';
import { loadConfiguredSeries, loadRunInputs, runBacktest } from './backtest.ts';
import { BACKTEST_DEFAULTS, resolveBacktestConfig, type BacktestConfig } from './config.ts';
import { gbmPath, seriesOf } from '../sim/engine/testing/engineTesting.ts';

const cfg = (over: Partial<BacktestConfig>): BacktestConfig => resolveBacktestConfig(over as Record<string, unknown>);

/** Full-range IL of a fee-less position at price ratio r (Uniswap docs; Pintail, "Uniswap: A Good Deal for Liquidity Providers?", 2019). */
const ilFullRange = (r: number): number => (2 * Math.sqrt(r)) / (1 + r) - 1;

describe('behavior: v2 full-range LP, fee 0', () => {
  // A pool so deep that the LP's own split swap moves the price by ~1e-11: the deposit price is P0.
  const deep = { fee: 0, poolLiquidity: 1e15, capital: 10_000, strategy: 'full-range' } as const;

  it.each([0.2, 0.5, 1.25, 1.5, 2, 3, 5])('impermanentLoss equals 2√r/(1+r) − 1 at r = %s', async (r) => {
    const res = await runBacktest(cfg(deep), seriesOf([1000, 1000 * Math.sqrt(r), 1000 * r]));
    const depositPrice = res.timeseries.poolPrice[0]!;
    const rr = (1000 * r) / depositPrice;
    expect(res.summary.impermanentLoss).toBeCloseTo(ilFullRange(rr), 9);
    expect(res.summary.feesEarned).toBe(0);
  });

  it('matches the published IL table (−0.6 % at 1.25×, −2.0 % at 1.5×, −5.7 % at 2×, −13.4 % at 3×, −25.5 % at 5×)', async () => {
    const table: Array<[number, number]> = [[1.25, -0.6], [1.5, -2.0], [2, -5.7], [3, -13.4], [5, -25.5]];
    for (const [r, pct] of table) {
      const res = await runBacktest(cfg(deep), seriesOf([1000, 1000 * r]));
      expect(Math.round(res.summary.impermanentLoss * 1000) / 10).toBe(pct);
    }
  });

  it('lvr equals Σ L·√P_{t−1}·(√(P_t/P_{t−1}) − 1)² to 1e-9 relative, and ≈ σ²/8 · mean pool value · T within 10 %', async () => {
    const sigma = 0.8;
    const dt = 1 / 8760;
    const prices = gbmPath(8761, sigma, dt, 2000, 7);
    const res = await runBacktest(cfg(deep), seriesOf(prices));
    const ts = res.timeseries;
    // L from the LP's deposited amounts: x·y = L².
    const L = Math.sqrt(ts.lpBase[0]! * ts.lpQuote[0]!);
    let expected = 0;
    for (let t = 1; t < prices.length; t++) {
      const a = ts.poolPrice[t - 1]!;
      expected += L * Math.sqrt(a) * (Math.sqrt(prices[t]! / a) - 1) ** 2;
    }
    expect(Math.abs(res.summary.lvr - expected) / expected).toBeLessThan(1e-9);
    let meanValue = 0;
    for (let t = 0; t < prices.length; t++) meanValue += ts.lpValue[t]!;
    meanValue /= prices.length;
    const years = (prices.length - 1) * dt;
    const theory = ((sigma * sigma) / 8) * meanValue * years;
    expect(Math.abs(res.summary.lvr / theory - 1)).toBeLessThan(0.1);
  });
});

describe('behavior: accounting', () => {
  const series = seriesOf(gbmPath(2000, 0.9, 1 / 8760, 1500, 3));

  it('a mint by ticks swaps the wallet to the split of the range it mints ([77250, 77270): ticks whose Math.pow price was 8.5e-9 ticks low, one spacing outside once snapped)', async () => {
    // The ledger prices the ticks to size its swap, and the pool turns the prices back into ticks: with
    // Math.pow(1.0001, tick) the lower tick came back as 77249, snapped down to 77240, so the swap aimed at a wider
    // range's split (the wallet's base share was 41 % off the position's); the float pool's own tick price round-trips.
    const c = cfg({ pool: 'v3', fee: 0.0005, capital: 50_000_000, poolLiquidity: 1e11 });
    const flat = seriesOf([2266.145, 2266.145, 2266.145]);
    let seen: { wallet: { base: number; quote: number }; position: { base: number; quote: number } } | undefined;
    const out = runEngine({
      series: flat,
      pool: createEnginePool(c, flat.price[0]!),
      lp: {
        id: 'ticks',
        params: {},
        onStart: () => [{ kind: 'mint', ticks: { lower: 77250, upper: 77270 }, liquidity: 10n ** 26n * 2n }],
        onStep: (ctx) => {
          seen ??= { wallet: { base: ctx.wallet.base, quote: ctx.wallet.quote }, position: { base: ctx.positions[0]!.base, quote: ctx.positions[0]!.quote } };
          return NO_ACTIONS;
        },
      },
      traders: [],
      capital: c.capital,
      gas: constantGas('v3', 0),
      rng: new Rng(1),
    });
    // the split swap is an event of its own, right before the mint it funds
    expect(out.events.map((e) => e.kind)).toEqual(['split', 'mint']);
    const p = flat.price[0]!;
    const share = (x: { base: number; quote: number }): number => (x.base * p) / (x.base * p + x.quote);
    expect(share(seen!.position)).toBeGreaterThan(0.1);
    expect(Math.abs(share(seen!.wallet) / share(seen!.position) - 1)).toBeLessThan(1e-3);
  });

  it('no token is created or lost across the LP, the traders and the pool (1e-9 relative)', async () => {
    const c = cfg({ fee: 0.003, capital: 50_000, poolLiquidity: 500_000 });
    const pool = createEnginePool(c, series.price[0]!);
    const out = runEngine({
      series,
      pool,
      lp: fullRangeStrategy.create({}),
      traders: [createNoiseTrader({ rate: 2, meanSize: 2_000 }), createArbitrageur()],
      capital: c.capital,
      gas: constantGas('v2', 0),
      rng: new Rng(1),
    });
    let base = pool.tokenBalances().base;
    let quote = pool.tokenBalances().quote;
    for (const a of out.accounts.values()) {
      base += a.base;
      quote += a.quote;
    }
    expect(Math.abs(base - out.initialPoolBalances.base) / out.initialPoolBalances.base).toBeLessThan(1e-9);
    expect(Math.abs(quote - (out.initialPoolBalances.quote + c.capital)) / out.initialPoolBalances.quote).toBeLessThan(1e-9);
    expect(out.traders.get('noise')!.trades).toBeGreaterThan(1000);
  });

  it.each([
    ['v2 float, full range', { pool: 'v2' }, 'full-range'],
    ['v2 exact, full range', { pool: 'v2', exact: true }, 'full-range'],
    ['v3 float, ±5 % range', { pool: 'v3', width: 0.05 }, 'range'],
    ['v3 exact, ±5 % range', { pool: 'v3', width: 0.05, exact: true }, 'range'],
    ['v3 float, ±30 % range', { pool: 'v3', width: 0.3 }, 'range'],
  ] as const)('the start split sizes its swap for the price impact, so a shallow pool leaves no capital idle (%s)', async (_name, over, strategy) => {
    // 10,000 of capital into 40,000 of pool liquidity: the split swap moves the price by several %
    const c = cfg({ fee: 0.003, capital: 10_000, poolLiquidity: 40_000, ...over });
    const pool = createEnginePool(c, 2000);
    const factory = await loadStrategyFactory(strategy);
    const out = runEngine({
      series: seriesOf([2000, 2000, 2000]),
      pool,
      lp: factory.create(resolveParams(factory, 'width' in over ? { width: over.width } : {})),
      traders: [],
      capital: c.capital,
      gas: constantGas(c.pool, 0),
      rng: new Rng(1),
    });
    expect(Math.abs(pool.price() / 2000 - 1)).toBeGreaterThan(0.01);
    const idle = out.accounts.get('lp')!;
    expect((Math.max(0, idle.base) * pool.price() + Math.max(0, idle.quote)) / c.capital).toBeLessThan(1e-6);
  });

  it.each([0.05, 0.1, 0.2])('a deep pool (the default, entry impact just under 1e-4) leaves no capital idle either: ±%s range', async (width) => {
    // the first-order size ignores the impact, and a narrow range's split moves fast with the price: at ±10 % it left
    // 0.1 % of the capital (≈ 10 quote) idle, until the split is checked at the post-swap price
    const c = cfg({ pool: 'v3', width, fee: 0.003, capital: 10_000 });
    const pool = createEnginePool(c, 2000);
    const factory = await loadStrategyFactory('range');
    const out = runEngine({ series: seriesOf([2000, 2000]), pool, lp: factory.create(resolveParams(factory, { width })), traders: [], capital: c.capital, gas: constantGas('v3', 0), rng: new Rng(1) });
    const idle = out.accounts.get('lp')!;
    expect((Math.max(0, idle.base) * pool.price() + Math.max(0, idle.quote)) / c.capital).toBeLessThan(1e-8);
  });

  it('warning: --exact where base amounts are a few thousand wei (prices near 2e17) says the rounding is visible; a normal run says nothing', async () => {
    const r = await runBacktest(cfg({ pool: 'v3', exact: true, strategy: 'range' }), seriesOf([2e17, 2.1e17, 2e17]));
    expect(r.summary.warnings).toContainEqual(expect.stringMatching(/^--exact: the pool's or the LP's base amounts are ~[\d,]+ wei \(18 decimals\) at these prices, so whole-wei rounding moves them by up to ~[\d.e-]+ % per action; rescale the prices \(e\.g\. --divide-by\) or drop --exact$/));
    const plain = await runBacktest(cfg({ pool: 'v3', exact: true, strategy: 'range' }), seriesOf([2000, 2100, 2000]));
    expect(plain.summary.warnings).toEqual([]);
  });

  it('an entry swap that would buy nothing (the exact pool\'s whole-wei base at a price of 2e33) is not made: the capital stays (it was swapped away for 0)', async () => {
    const r = await runBacktest(cfg({ pool: 'v3', exact: true, strategy: 'range' }), seriesOf([2e33, 2e33, 2e33]));
    expect(r.summary.finalValue).toBeCloseTo(10_000, 6);
    // the skipped mint says why: the wallet was not empty (it said 'its wallet held nothing to mint with')
    expect(r.summary.warnings).toContainEqual(expect.stringMatching(/^range could not mint from step 0 \(.*\) on: the pool refused its mint \(.*\) with 0 base and 10000 quote in the wallet \(gas paid 0 of capital 10000;/));
  });

  it('regression: the skipped mint\'s wallet amounts keep their significant digits (0.001664 base read as "0 base")', async () => {
    const r = await runBacktest(resolveBacktestConfig({ pool: 'v3', strategy: 'rebalance', width: 0.02, capital: 1000, gasPrice: 20 }), await loadConfiguredSeries(resolveBacktestConfig({})));
    expect(r.summary.warnings).toContainEqual(expect.stringContaining('with 0.001664 base and -1.044 quote in the wallet (gas paid 763.85 of capital 1000;'));
  });

  it('fees are earned with a fee > 0 and the LP value decomposes: final = hold + IL·hold + fees − gas (v2, approximately)', async () => {
    const res = await runBacktest(cfg({ fee: 0.003, gasPrice: 0 }), series);
    const s = res.summary;
    expect(s.feesEarned).toBeGreaterThan(0);
    // v2 compounds fees into the reserves, so the reinvested fees themselves suffer IL: the decomposition is
    // off by at most the fees times the path's worst IL (here a few %), never by more than the fees.
    const recomposed = s.holdValue * (1 + s.impermanentLoss) + s.feesEarned - s.gasCost;
    expect(Math.abs(s.finalValue - recomposed)).toBeLessThan(0.1 * s.feesEarned);
  });
});

describe('property: the arbitrageur never loses money', () => {
  it('every arbitrage trade has profit ≥ 0 after fee and gas (fast-check, 40 runs, seed 20261123)', async () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.constantFrom(0, 0.0005, 0.003, 0.01),
        fc.constantFrom(0, 10, 200),
        (moves, fee, gwei) => {
          const prices = [1000];
          for (const m of moves) prices.push(Math.min(1e7, Math.max(1e-3, prices[prices.length - 1]! * m)));
          const out = runEngine({
            series: seriesOf(prices),
            pool: new V2FloatPool(fee, 100, 100_000),
            lp: fullRangeStrategy.create({}),
            traders: [createArbitrageur()],
            capital: 1_000,
            gas: constantGas('v2', gwei),
            rng: new Rng(1),
          });
          expect(out.traders.get('arbitrageur')!.minTradeProfit).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 40, seed: 20261123 },
    );
  });
});

describe('behavior: no look-ahead', () => {
  it('error: a strategy asking for a future price fails the run with a clear message', async () => {
    const cheater = defineStrategy({
      name: 'cheater',
      description: 'peeks',
      defaults: {},
      create: () => ({ onStart: () => NO_ACTIONS, onStep: (ctx) => (ctx.history.price(ctx.step + 1), NO_ACTIONS) }),
    });
    await expect(runBacktest(cfg({}), seriesOf([1, 2, 3]), { strategy: cheater })).rejects.toThrowError(
      /^strategy cheater: step 1 \(.*\): onStep threw: history\.price\(2\) is outside 0\.\.1: a strategy sees only the past$/,
    );
  });

  it('error: a wrong strategy stops the run with one line naming it and the step (what create() returned, a bad swap, a throw, a non-array)', async () => {
    const run = (create: () => unknown): Promise<unknown> =>
      runBacktest(cfg({}), seriesOf([1, 2, 3, 4]), { strategy: { name: 'bad', description: '', defaults: {}, create } as never });
    const step = (s: number): string => `strategy bad: step ${s} (`;
    await expect(run(() => ({ onStart: () => NO_ACTIONS }))).rejects.toThrowError(`${step(0)}2024-01-01T00:00:00.000Z): create() returned no onStep(ctx) function; a strategy has onStart(ctx) and onStep(ctx)`);
    await expect(run(() => undefined)).rejects.toThrowError('create() returned undefined; it must return { onStart(ctx), onStep(ctx) } (onEnd optional)');
    await expect(run(() => ({ onStart: () => NO_ACTIONS, onStep: () => NO_ACTIONS, onEnd: 5 }))).rejects.toThrowError('onEnd must be a function (or left out)');
    const swapping = (amountIn: unknown, baseIn: unknown = false) => () => ({ onStart: () => NO_ACTIONS, onStep: (ctx: { step: number }) => (ctx.step === 2 ? [{ kind: 'swap', baseIn, amountIn }] : NO_ACTIONS) });
    await expect(run(swapping(NaN))).rejects.toThrowError(/^strategy bad: step 2 \(.*\): swap: amountIn must be a finite number > 0; was NaN$/);
    await expect(run(swapping('5'))).rejects.toThrowError('swap: amountIn must be a finite number > 0; was "5"');
    await expect(run(swapping(5, 'yes'))).rejects.toThrowError('swap: baseIn must be true (sell base) or false (sell quote); was "yes"');
    await expect(run(() => ({ onStart: () => NO_ACTIONS, onStep: () => { throw new Error('boom'); } }))).rejects.toThrowError(/^strategy bad: step 1 \(.*\): onStep threw: boom$/);
    await expect(run(() => ({ onStart: () => NO_ACTIONS, onStep: () => 5 }))).rejects.toThrowError('onStep returned 5; it must return an array of actions (NO_ACTIONS when idle)');
  });

  it('error: found by an audit: onEnd throwing is one line naming the strategy; a history index that is not an integer, or asked by a plain-object strategy, is named', async () => {
    const run = (create: () => unknown): Promise<unknown> =>
      runBacktest(cfg({}), seriesOf([1, 2, 3, 4]), { strategy: { name: 'bad', description: '', defaults: {}, create } as never });
    await expect(run(() => ({ onStart: () => NO_ACTIONS, onStep: () => NO_ACTIONS, onEnd: () => { throw new Error('boom in onEnd'); } }))).rejects.toThrowError(/^strategy bad: step 3 \(.*\): onEnd threw: boom in onEnd$/);
    await expect(run(() => ({ onStart: () => NO_ACTIONS, onStep: (ctx: { history: { price: (i: number) => number } }) => (ctx.history.price(0.5), NO_ACTIONS) }))).rejects.toThrowError(/^strategy bad: step 1 \(.*\): onStep threw: history\.price\(0\.5\): an index is an integer step in 0\.\.1$/);
    await expect(run(() => ({ onStart: () => NO_ACTIONS, onStep: (ctx: { step: number; history: { price: (i: number) => number } }) => (ctx.history.price(ctx.step + 1), NO_ACTIONS) }))).rejects.toThrowError(/^strategy bad: step 1 \(.*\): onStep threw: history\.price\(2\) is outside 0\.\.1: a strategy sees only the past$/);
  });

  it('error: built-in strategies refuse parameters outside their domain before the run, naming them (they were accepted and did nothing, or failed mid-run as --width)', async () => {
    const bad = (strategy: string, params: Record<string, unknown>) => runBacktest(cfg({ pool: 'v3', strategy, params } as Partial<BacktestConfig>), seriesOf([2000, 2000]));
    await expect(bad('rebalance', { delay: -1 })).rejects.toThrowError('--param delay: must be an integer ≥ 0 (steps out of range before re-centring); was -1');
    await expect(bad('rebalance', { delay: 2.5 })).rejects.toThrowError('--param delay: must be an integer ≥ 0');
    await expect(bad('rebalance', { threshold: -1 })).rejects.toThrowError('--param threshold: must be a number ≥ 0');
    await expect(bad('hold', { baseShare: 1.5 })).rejects.toThrowError('--param baseShare: must be a fraction in [0, 1] (of the capital swapped into base); was 1.5');
    await expect(bad('adaptive', { k: 0 })).rejects.toThrowError('--param k: must be a number > 0');
    await expect(bad('adaptive', { lookback: 2.5 })).rejects.toThrowError('--param lookback: must be an integer ≥ 2');
    await expect(bad('adaptive', { minWidth: 0.5, maxWidth: 0.1 })).rejects.toThrowError('--param maxWidth: must be a number ≥ minWidth (0.5); was 0.1');
    await expect(runBacktest(cfg({ pool: 'v3', strategy: 'adaptive', rebalanceDelay: 2 }), seriesOf([2000, 2000]))).rejects.toThrowError('--rebalance-delay: strategy adaptive has no re-centring delay (its parameters: width, k, lookback, horizon, minWidth, maxWidth)');
  });

  it('behavior: summary.config.params are the parameters the strategy ran with (defaults included, typed), not the strings given', async () => {
    const r = await runBacktest(cfg({ pool: 'v3', strategy: 'rebalance', params: { width: '0.2', delay: '2', compound: 'true' } } as Partial<BacktestConfig>), seriesOf([2000, 2100, 2300]));
    expect((r.summary.config as { params: unknown }).params).toEqual({ width: 0.2, delay: 2, threshold: 0, compound: true });
    const a = await runBacktest(cfg({ pool: 'v3', strategy: 'adaptive' }), seriesOf([2000, 2000]));
    expect((a.summary.config as { params: unknown }).params).toEqual({ width: 0.1, k: 2, lookback: 168, horizon: 24, minWidth: 0.01, maxWidth: 1 });
  });

  it('error: a strategy cannot write the wallet or the collected fees (a JavaScript strategy, which readonly does not bind, created tokens)', async () => {
    for (const field of ['wallet', 'collectedFees'] as const) {
      const forger = defineStrategy({
        name: 'forger',
        description: 'writes its wallet',
        defaults: {},
        create: () => ({ onStart: () => NO_ACTIONS, onStep: (ctx) => (((ctx[field] as { base: number }).base = 5), NO_ACTIONS) }),
      });
      await expect(runBacktest(cfg({}), seriesOf([1, 2, 3]), { strategy: forger })).rejects.toThrowError(/forger.*Cannot set property base/);
    }
    const reader = defineStrategy({
      name: 'reader',
      description: 'reads its wallet',
      defaults: {},
      create: () => ({ onStart: (ctx) => (seenWallet.push(JSON.stringify(ctx.wallet), ctx.wallet.quote), NO_ACTIONS), onStep: () => NO_ACTIONS }),
    });
    const seenWallet: unknown[] = [];
    await runBacktest(cfg({ capital: 1000 }), seriesOf([1, 2, 3]), { strategy: reader });
    expect(seenWallet).toEqual(['{"base":0,"quote":1000}', 1000]);
  });

  it('property: decisions up to step t do not depend on prices after t (fast-check, 25 runs, seed 7)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 5, max: 40 }), fc.integer({ min: 1, max: 1000 }), async (cut, seed) => {
        const base = gbmPath(50, 1, 1 / 365, 100, seed);
        const altered = base.map((p, i) => (i > cut ? p * 3 : p));
        const seen: number[][] = [[], []];
        const make = (k: number) =>
          defineStrategy({
            name: 'observer',
            description: 'records what it can see',
            defaults: {},
            create: () => ({
              onStart: () => [{ kind: 'mint', range: null, rebalance: true }],
              onStep: (ctx) => {
                if (ctx.step <= cut) seen[k]!.push(ctx.history.price(ctx.step), ctx.poolPrice, ctx.positions[0]!.base);
                return NO_ACTIONS;
              },
            }),
          });
        await runBacktest(cfg({ noiseRate: 1 }), seriesOf(base), { strategy: make(0) });
        await runBacktest(cfg({ noiseRate: 1 }), seriesOf(altered), { strategy: make(1) });
        expect(seen[1]).toEqual(seen[0]);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe('behavior: determinism', () => {
  it('same inputs and seed give identical results; another seed changes noise-driven results', async () => {
    const s = seriesOf(gbmPath(500, 0.8, 1 / 8760, 2000, 11));
    const a = await runBacktest(cfg({ noiseRate: 3, seed: 5 }), s);
    const b = await runBacktest(cfg({ noiseRate: 3, seed: 5 }), s);
    const c = await runBacktest(cfg({ noiseRate: 3, seed: 6 }), s);
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(Buffer.from(b.timeseries.lpValue.buffer).equals(Buffer.from(a.timeseries.lpValue.buffer))).toBe(true);
    expect(c.summary.finalValue).not.toBe(a.summary.finalValue);
  });

  it('a run written into the arrays of another run (columns reuse) equals a run into new arrays, bit for bit', async () => {
    const s = seriesOf(gbmPath(500, 0.8, 1 / 8760, 2000, 11));
    const other = await runBacktest(cfg({ noiseRate: 3, seed: 6, strategy: 'rebalance', pool: 'v3', width: 0.05 }), s);
    const fresh = await runBacktest(cfg({ noiseRate: 3, seed: 5 }), s);
    const reused = await runBacktest(cfg({ noiseRate: 3, seed: 5 }), s, { columns: other.timeseries });
    // written into the given arrays; the timestamp and price columns are the series' own (never written)
    for (const [name, col] of Object.entries(reused.timeseries)) {
      const own = name === 'timestamp' ? s.timestampMs : name === 'price' ? s.price : other.timeseries[name as keyof typeof other.timeseries];
      expect(col, name).toBe(own);
    }
    expect(fresh.timeseries.timestamp).toBe(s.timestampMs);
    expect(fresh.timeseries.price).toBe(s.price);
    // every column, in the record's order, whether the arrays are new or reused
    expect(Object.keys(fresh.timeseries)).toEqual([...TIMESERIES_COLUMNS]);
    expect(Object.keys(reused.timeseries)).toEqual([...TIMESERIES_COLUMNS]);
    expect(JSON.stringify(reused.summary)).toBe(JSON.stringify(fresh.summary));
    for (const [name, col] of Object.entries(fresh.timeseries)) {
      const got = reused.timeseries[name as keyof typeof fresh.timeseries]!;
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(col.buffer, col.byteOffset, col.byteLength)), name).toBe(true);
    }
    const short = seriesOf(gbmPath(100, 0.8, 1 / 8760, 2000, 11));
    await expect(runBacktest(cfg({}), short, { columns: fresh.timeseries })).rejects.toThrow('timeseries column timestamp must have 100 rows to be reused; has 500');
  });
});

describe('a series put together by hand (not through makeSeries)', () => {
  it('error: runBacktest checks it: a NaN price names its row', async () => {
    const good = seriesOf([2000, 2010, 1990]);
    const bad = { ...good, price: Float64Array.from([2000, NaN, 1990]) };
    await expect(runBacktest(resolveBacktestConfig({}), bad)).rejects.toThrow('test series: row 2: price: must be a finite number > 0; was NaN');
    await expect(runBacktest(resolveBacktestConfig({}), { ...good })).resolves.toBeDefined();
  });
});

describe('gas beyond the capital, and absurd magnitudes', () => {
  it('warning: gas that costs more than the capital says the wallet paid it on credit', async () => {
    const r = await runBacktest(resolveBacktestConfig({ strategy: 'hold', capital: 10, gasPrice: 50 }), seriesOf([2000, 2010, 1990]));
    expect(r.summary.finalValue).toBeLessThan(0);
    expect(r.summary.warnings).toContainEqual(expect.stringMatching(/^gas cost 11\.00 more than the capital 10: the wallet paid it on credit, so values below 0 are a debt \(--gas-price is in gwei\)$/));
    expect((await runBacktest(resolveBacktestConfig({ gasPrice: 20 }), seriesOf([2000, 2010, 1990]))).summary.warnings).toEqual([]);
  });
  it('error: a gas price in wei, and a capital past 1e15, are refused', () => {
    expect(() => resolveBacktestConfig({ gasPrice: 2e10 })).toThrow('--gas-price: must be in [0, 1,000,000] gwei (a price in wei is 10^9 times too large); was 20000000000');
    expect(() => resolveBacktestConfig({ capital: 1e300 })).toThrow('--capital: must be > 0 and ≤ 1e15 (quote units); was 1e+300');
  });
});

describe('one gas model whichever way a run gets it', () => {
  it('regression: runBacktest without inputs (compare, a sweep row, the library) gives the numbers of runBacktest with loadRunInputs (backtest) to the bit at --gas-price > 0 (gasCost was 54.17023200000001 vs 54.170232: u·(g·1e−9)·p vs u·g·1e−9·p)', async () => {
    const series = seriesOf(gbmPath(24 * 30, 0.8, 1 / 8760, 2000.5, 3));
    for (const over of [{ strategy: 'range', width: 0.05, pool: 'v3' }, { strategy: 'rebalance', width: 0.02, pool: 'v3' }, { strategy: 'full-range', pool: 'v2' }] as const) {
      const config = cfg({ ...over, gasPrice: 30 });
      const plain = await runBacktest(config, series);
      const loaded = await runBacktest(config, series, await loadRunInputs(config, series));
      expect(plain.summary.gasCost).toBeGreaterThan(0);
      expect(plain.summary).toEqual(loaded.summary);
    }
  });
});

describe('IL, hold and the entry gas', () => {
  it('behavior: at a flat price IL is 0 with gas too, and LP − hold is all the gas: a holder pays none', async () => {
    const flat = seriesOf([2000, 2000, 2000]);
    for (const c of [{}, { pool: 'v3' }, { strategy: 'hold' }] as const) {
      const r = await runBacktest(resolveBacktestConfig({ ...c, gasPrice: 20 }), flat);
      const at = JSON.stringify(c);
      expect(r.summary.gasCost, at).toBeGreaterThan(4);
      expect(Math.abs(r.summary.impermanentLoss), at).toBeLessThan(1e-12);
      // no fees are earned at a flat price with no noise: what the LP is behind holding is its gas (less dust the
      // mint left in the wallet)
      expect(r.summary.feesEarned, at).toBe(0);
      expect(r.summary.vsHold + r.summary.gasCost, at).toBeCloseTo(r.timeseries.lpValue[0]! + r.summary.gasCost - r.timeseries.holdValue[0]!, 9);
      expect(Math.abs(r.summary.vsHold + r.summary.gasCost), at).toBeLessThan(1e-6 * r.summary.initialValue);
    }
  });
  it('behavior: IL is (finalValue − feesValueAtEnd + gasCost − holdValue) / holdValue from summary.json\'s own fields, gas paid at the entry included', async () => {
    const s = seriesOf(gbmPath(500, 0.8, 1 / 8760, 2000, 3));
    for (const c of [{}, { pool: 'v3', strategy: 'rebalance', width: 0.05 }] as const) {
      const r = (await runBacktest(resolveBacktestConfig({ ...c, gasPrice: 50 }), s)).summary;
      const il = (r.finalValue - r.feesValueAtEnd! + r.gasCost - r.holdValue) / r.holdValue;
      expect(r.impermanentLoss, JSON.stringify(c)).toBeCloseTo(il, 12);
    }
  });
});

describe('a --seed that changes nothing', () => {
  const s = seriesOf(gbmPath(200, 0.8, 1 / 8760, 2000, 3));
  const warned = (w: readonly string[] | undefined): boolean => (w ?? []).some((x) => x.includes('changed nothing'));
  it('warning: a run over a price file with no noise, no gbm reward price and a strategy that draws nothing says its seed changed nothing', async () => {
    const r = await runBacktest(resolveBacktestConfig({ seed: 7 }), s);
    expect(r.summary.warnings).toContain('--seed 7 changed nothing: nothing in this run draws random numbers (a price file, no noise traders, no gbm reward price, and the strategy drew none)');
    // the default seed is not a choice the user made; noise traders and a strategy drawing from ctx.rng use it
    expect(warned((await runBacktest(resolveBacktestConfig({}), s)).summary.warnings)).toBe(false);
    expect(warned((await runBacktest(resolveBacktestConfig({ seed: 7, noiseRate: 1 }), s)).summary.warnings)).toBe(false);
    const dice = defineStrategy({ name: 'dice', description: 'draws from ctx.rng', defaults: {}, create: () => ({ onStart: () => [{ kind: 'mint', range: null }], onStep: (ctx) => (ctx.rng.uniform() < 0 ? [] : NO_ACTIONS) }) });
    expect(warned((await runBacktest(resolveBacktestConfig({ seed: 7 }), s, { strategy: dice })).summary.warnings)).toBe(false);
  });
  it('behavior: Rng.draws counts what a generator and all its forks drew', () => {
    const root = new Rng(5);
    const a = root.fork('a');
    a.fork('b').uniform();
    a.normal();
    expect(root.draws).toBeGreaterThanOrEqual(3);
    expect(new Rng(5).draws).toBe(0);
  });
});

describe('config', () => {
  it('error: unknown config key gets a did-you-mean hint', () => {
    expect(() => resolveBacktestConfig({}, { capitol: 5 }, 'run.json')).toThrowError('run.json: unknown key "capitol"; did you mean "capital"?');
  });
  it('behavior: a config file may spell keys as the flags do (gas-price) or in camelCase; the same key both ways is refused', () => {
    expect(resolveBacktestConfig({}, { 'gas-price': 5, 'noise-rate': 1 }, 'run.json')).toMatchObject({ gasPrice: 5, noiseRate: 1 });
    expect(() => resolveBacktestConfig({}, { 'gas-price': 5, gasPrice: 3 }, 'run.json')).toThrowError('run.json: "gas-price" and "gasPrice" are the same key; give it once');
    expect(() => resolveBacktestConfig({}, { 'gas-prize': 5 }, 'run.json')).toThrowError('run.json: unknown key "gas-prize"; did you mean "gasPrice"?');
  });
  it('error: --gas-price beside --gas-price-series is refused (the series prices every action; the flag was recorded but unused)', () => {
    expect(() => resolveBacktestConfig({ gasPrice: 500, gasPriceSeries: 'gas.csv' })).toThrowError('--gas-price: 500 gwei beside --gas-price-series, which prices every action instead; give one of them');
  });
  it('error: invalid values name the flag and the value', () => {
    expect(() => resolveBacktestConfig({ fee: 1.5 })).toThrowError('--fee: must be a fraction in [0, 1) (0.003 = 0.30 %); was 1.5');
    expect(() => resolveBacktestConfig({ capital: -1 })).toThrowError('--capital: must be > 0 and ≤ 1e15 (quote units); was -1');
    expect(() => resolveBacktestConfig({ pool: 'v4' })).toThrowError('--pool: must be v2 or v3; was "v4"');
  });
  it('flags win over the config file, which wins over defaults', () => {
    const c = resolveBacktestConfig({ fee: 0.01 }, { fee: 0.0005, capital: 7 });
    expect(c.fee).toBe(0.01);
    expect(c.capital).toBe(7);
    expect(c.width).toBe(BACKTEST_DEFAULTS.width); // undefined: the strategy's own default
  });
  it('error: --width and --param width with different values (one would be ignored) are refused; the same value, or either alone, runs', async () => {
    const s = seriesOf(gbmPath(48, 0.8, 1 / 8760, 2000, 5));
    await expect(runBacktest(cfg({ pool: 'v3', strategy: 'range', width: 0.2, params: { width: '0.3' } }), s)).rejects.toThrowError('--width: 0.2 and --param width=0.3 both set the range width; give one of them');
    await expect(runBacktest(cfg({ pool: 'v3', strategy: 'rebalance', rebalanceDelay: 2, params: { delay: 3 } }), s)).rejects.toThrowError('--rebalance-delay: 2 and --param delay=3 both set the re-centring delay; give one of them');
    const a = await runBacktest(cfg({ pool: 'v3', strategy: 'range', width: 0.3, params: { width: '0.3' } }), s);
    const b = await runBacktest(cfg({ pool: 'v3', strategy: 'range', params: { width: 0.3 } }), s);
    const c = await runBacktest(cfg({ pool: 'v3', strategy: 'range', width: 0.3 }), s);
    expect(a.summary.finalValue).toBe(c.summary.finalValue);
    expect(b.summary.finalValue).toBe(c.summary.finalValue);
    await runBacktest(cfg({ pool: 'v3', strategy: 'rebalance', rebalanceDelay: 2, params: { delay: 2 } }), s);
  });
});

describe('behavior: gas that outruns the capital', () => {
  it('a re-centring strategy stops minting once the wallet is spent; the gas debt is carried, the run completes', async () => {
    const s = seriesOf(gbmPath(3000, 1.2, 1 / 8760, 2000, 9));
    const res = await runBacktest(cfg({ pool: 'v3', strategy: 'rebalance', width: 0.01, capital: 500, gasPrice: 50 }), s);
    // Gas ate the capital: the strategy could no longer mint, and the run says so instead of failing.
    expect(res.summary.gasCost).toBeGreaterThan(400);
    expect(res.summary.warnings!.join('\n')).toMatch(/could not mint from step \d+ .*gas paid/);
    expect(res.summary.finalValue).toBeLessThan(50); // what is left: collected fees set aside
    const lastMint = Math.max(...res.events.filter((e) => e.kind === 'mint').map((e) => e.step));
    expect(lastMint).toBeLessThan(2999);
    expect(res.timeseries.inRange[2999]).toBe(0);
  });
});

describe('behavior: rebalance --param compound=true spends collected fees (issue #11 item 2)', () => {
  it('re-invests the fees and pays gas from them, so a strategy whose principal went to gas keeps going longer', async () => {
    const s = seriesOf(gbmPath(3000, 1.2, 1 / 8760, 2000, 9));
    const base = { pool: 'v3' as const, strategy: 'rebalance', width: 0.01, capital: 1000, gasPrice: 20 };
    const setAside = await runBacktest(cfg(base), s);
    const compounding = await runBacktest(cfg({ ...base, params: { compound: true } }), s);
    const firstIdle = (w: readonly string[] | undefined): number => Number(/could not mint from step (\d+)/.exec((w ?? []).join('\n'))?.[1] ?? Infinity);
    expect(firstIdle(compounding.summary.warnings)).toBeGreaterThan(firstIdle(setAside.summary.warnings));
    expect(compounding.summary.gasCost).toBeGreaterThan(setAside.summary.gasCost); // the fees paid for more gas
    // Fees stay counted as fees earned either way (useFees moves them, it does not unearn them).
    expect(compounding.summary.feesEarned).toBeGreaterThan(0);
  });
});
