/**
 * The LP events' amounts (events.json): what each event moved, checked against the pool's positions, the summary's
 * entry cost and the LP's wallet, on the float and the exact (--exact) pools of v2 and v3.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../runs/backtest.ts';
import { resolveBacktestConfig } from '../../runs/config.ts';
import type { LpEvent } from '../metrics/record.ts';
import type { PositionView } from '../pools/enginePool.ts';
import { Rng } from '../core/rng.ts';
import { V2FloatPool } from '../pools/v2/v2FloatPool.ts';
import { intervalHarvest } from '../../strategies/harvest/builtins.ts';
import { fullRangeStrategy } from '../../strategies/lp/fullRange.ts';
import { createArbitrageur } from '../../strategies/trader/arbitrageur.ts';
import { runEngine } from './engine.ts';
import { constantGas } from './gas.ts';
import { createProgram } from './incentives.ts';
import { NO_ACTIONS, type LpAction, type LpStrategyFactory, type StrategyContext } from './strategy.ts';
import { gbmPath, seriesOf } from './testing/engineTesting.ts';

const POOLS = [
  { pool: 'v2', exact: false },
  { pool: 'v2', exact: true },
  { pool: 'v3', exact: false },
  { pool: 'v3', exact: true },
] as const;
type PoolCase = (typeof POOLS)[number];
const label = (c: PoolCase): string => `${c.pool}${c.exact ? ' --exact' : ''}`;

/** |a − b| within `rel` of the larger magnitude among `scale` (the amounts the two sides were summed from). */
function near(a: number, b: number, scale: number, rel = 1e-11): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(1, scale));
}

/**
 * A strategy that exercises every LP event kind: a mint at the start; every `every` steps a collect, a partial burn,
 * a swap of the wallet's base (when it holds any), the burn of the rest and a new mint around the pool price (a
 * rebalance). The positions it sees at each step are kept, so a test can compare a mint with its position.
 */
function auditor(every: number, seen: Map<number, readonly PositionView[]>): LpStrategyFactory<Record<string, unknown>> {
  const range = (ctx: StrategyContext) => (ctx.poolKind === 'v2' ? null : { lower: ctx.poolPrice / 1.05, upper: ctx.poolPrice * 1.05 });
  return {
    name: 'auditor',
    description: 'every LP event kind',
    defaults: {},
    create: () => ({
      id: 'auditor',
      params: {},
      onStart: (ctx) => [{ kind: 'mint', range: range(ctx) }],
      onStep(ctx) {
        seen.set(ctx.step, ctx.positions);
        const pos = ctx.positions[0];
        if (pos === undefined || ctx.step % every !== 0) return NO_ACTIONS;
        const acts: LpAction[] = [
          { kind: 'collect', positionId: pos.positionId },
          { kind: 'burn', positionId: pos.positionId, fraction: 0.5 },
        ];
        if (ctx.wallet.base > 1e-9) acts.push({ kind: 'swap', baseIn: true, amountIn: ctx.wallet.base / 2 });
        acts.push({ kind: 'burn', positionId: pos.positionId }, { kind: 'mint', range: range(ctx) });
        return acts;
      },
    }),
  };
}

/** The change an event made to the LP's wallet (base, quote), its gas included; rebalance and harvest: none here. */
function walletChange(e: LpEvent): [number, number] {
  const g = e.gas ?? 0;
  switch (e.kind) {
    case 'mint':
      return [-e.base!, -e.quote! - g];
    case 'burn':
      return [e.base!, e.quote! - g];
    case 'collect':
      return [0, -g];
    case 'swap':
    case 'split':
      return e.baseIn ? [-e.amountIn!, e.amountOut! - g] : [e.amountOut!, -e.amountIn! - g];
    default:
      return [0, 0];
  }
}

async function auditRun(c: PoolCase, over: Record<string, unknown> = {}) {
  const seen = new Map<number, readonly PositionView[]>();
  const series = seriesOf(gbmPath(400, 1.5, 1 / 8760, 2000, 7));
  const config = resolveBacktestConfig({ pool: c.pool, exact: c.exact, fee: 0.003, gasPrice: 20, noiseRate: 2, capital: 10_000, ...over });
  const r = await runBacktest(config, series, { strategy: auditor(50, seen) });
  return { ...r, seen };
}

describe('events.json: what each LP event moved', () => {
  it.each(POOLS)('behavior: every LP event kind carries its amounts, gas and the wallet after it ($pool, exact $exact)', async (c) => {
    const r = await auditRun(c);
    const kinds = new Set(r.events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['burn', 'collect', 'mint', 'rebalance', 'split', 'swap']);
    const has = (e: LpEvent, keys: readonly (keyof LpEvent)[]): void => {
      for (const k of keys) expect(Number.isFinite(e[k] as number), `${e.kind}.${k} = ${String(e[k])}`).toBe(true);
    };
    const common = ['step', 'timestampMs', 'price', 'gas', 'walletBase', 'walletQuote'] as const;
    for (const e of r.events) {
      has(e, common);
      if (e.kind === 'mint') has(e, ['positionId', 'base', 'quote', 'liquidity']);
      if (e.kind === 'burn') has(e, ['positionId', 'fraction', 'base', 'quote', 'feesBase', 'feesQuote', 'liquidity']);
      if (e.kind === 'collect') has(e, ['positionId', 'feesBase', 'feesQuote']);
      if (e.kind === 'swap' || e.kind === 'split') {
        expect(typeof e.baseIn).toBe('boolean');
        has(e, ['amountIn', 'amountOut', 'fee', 'priceBefore', 'priceAfter']);
        expect(e.amountIn).toBeGreaterThan(0);
        expect(e.amountOut).toBeGreaterThan(0);
        // the fee is the pool's, charged on the input
        near(e.fee!, e.amountIn! * 0.003, e.amountIn!, 1e-9);
        // selling base moves the price down, buying it up
        expect(Math.sign(e.priceAfter! - e.priceBefore!)).toBe(e.baseIn ? -1 : 1);
      }
      if (e.kind === 'rebalance') has(e, ['positionId', 'base', 'quote', 'liquidity', 'outBase', 'outQuote', 'feesBase', 'feesQuote', 'swapBase', 'swapQuote']);
      expect(e.gas).toBeGreaterThanOrEqual(0);
    }
    // the existing keys keep their meaning: the step's market price and time, a mint's range
    const mint = r.events.find((e) => e.kind === 'mint')!;
    expect(mint.price).toBe(r.timeseries.price[mint.step]);
    expect(mint.timestampMs).toBe(r.timeseries.timestamp[mint.step]);
    if (c.pool === 'v3') expect(mint.rangeLower).toBe(r.timeseries.rangeLower[mint.step]);
    // every action's gas is in an event
    near(r.events.filter((e) => e.kind !== 'rebalance').reduce((s, e) => s + e.gas!, 0), r.summary.gasCost, r.summary.gasCost, 1e-12);
  });

  it.each(POOLS)("behavior: a mint's amounts and liquidity are its position's at that step ($pool, exact $exact)", async (c) => {
    const r = await auditRun(c, { noiseRate: 0, arbitrage: false }); // no trading: the pool stays as the step left it
    const mints = r.events.filter((e) => e.kind === 'mint');
    expect(mints.length).toBeGreaterThan(5);
    for (const m of mints) {
      const p = r.seen.get(m.step + 1)?.find((v) => v.positionId === m.positionId);
      if (p === undefined) continue; // the last step's mint
      // the exact pools round a mint's amounts up and a position's principal down: a few wei apart
      near(m.base!, p.base, m.base!, 1e-12);
      near(m.quote!, p.quote, m.quote!, 1e-12);
      near(m.liquidity!, p.liquidity, m.liquidity!, 1e-12);
      // what the step recorded: the wallet after the mint plus the position
      near(r.timeseries.lpBase[m.step]!, m.walletBase! + p.base, p.base, 1e-12);
      near(r.timeseries.lpQuote[m.step]!, m.walletQuote! + p.quote, p.quote, 1e-12);
    }
  });

  it.each(POOLS)("behavior: the entry's split swap is entryCost: its fee, valued at the first price, plus its price impact ($pool, exact $exact)", async (c) => {
    for (const poolLiquidity of [1e6, 1e12]) {
      const r = await auditRun(c, { poolLiquidity, gasPrice: 0 });
      const [split, mint] = r.events;
      expect([split!.kind, mint!.kind]).toEqual(['split', 'mint']);
      expect(split!.step).toBe(0);
      const p0 = split!.price;
      const value = (amount: number, base: boolean): number => (base ? amount * p0 : amount);
      const fee = value(split!.fee!, split!.baseIn!);
      const impact = value(split!.amountIn! - split!.fee!, split!.baseIn!) - value(split!.amountOut!, !split!.baseIn!);
      expect(impact).toBeGreaterThanOrEqual(-1e-9 * 10_000);
      near(r.summary.entryCost!, fee + impact, 10_000, 1e-10);
      near(r.summary.entryPriceImpact!, split!.priceAfter! / p0 - 1, 1, 1e-9);
      // a deep pool: the fee is all of the entry cost
      if (poolLiquidity === 1e12) near(fee, r.summary.entryCost!, r.summary.entryCost!, 1e-3);
      else expect(impact).toBeGreaterThan(0.01 * fee);
    }
  });

  it.each(POOLS)('behavior: tokens are conserved event by event and across each rebalance: out of the old position + swaps = into the new one + the wallet’s change ($pool, exact $exact)', async (c) => {
    const r = await auditRun(c);
    // the wallet, event by event (the strategy moves no fees into it: no useFees)
    let base = 0;
    let quote = 10_000;
    for (const e of r.events) {
      const [db, dq] = walletChange(e);
      base += db;
      quote += dq;
      near(e.walletBase!, base, 10, 1e-11);
      near(e.walletQuote!, quote, 10_000, 1e-11);
      base = e.walletBase!;
      quote = e.walletQuote!;
    }
    const rebalances = r.events.filter((e) => e.kind === 'rebalance');
    expect(rebalances.length).toBe(r.summary.rebalances);
    expect(rebalances.length).toBeGreaterThan(5);
    for (const rb of rebalances) {
      const i = r.events.indexOf(rb);
      const step = r.events.filter((e, k) => k < i && e.step === rb.step);
      const before = r.events[i - step.length - 1]!; // the wallet before the step: after the previous event
      const sum = (kind: LpEvent['kind'][], f: (e: LpEvent) => number): number => step.filter((e) => kind.includes(e.kind)).reduce((s, e) => s + f(e), 0);
      // the rebalance is the step's totals
      expect(rb.base).toBe(sum(['mint'], (e) => e.base!));
      expect(rb.quote).toBe(sum(['mint'], (e) => e.quote!));
      expect(rb.outBase).toBe(sum(['burn'], (e) => e.base!));
      expect(rb.outQuote).toBe(sum(['burn'], (e) => e.quote!));
      expect(rb.feesBase).toBe(sum(['burn', 'collect'], (e) => e.feesBase!));
      expect(rb.gas).toBe(sum(['mint', 'burn', 'collect', 'swap', 'split'], (e) => e.gas!));
      const last = step[step.length - 1]!;
      expect([rb.positionId, rb.rangeLower, rb.rangeUpper, rb.walletBase]).toEqual([last.positionId, last.rangeLower, last.rangeUpper, last.walletBase]);
      // conservation: out of the old position + the swaps = into the new one + what stayed in the wallet
      const scale = rb.outBase! + Math.abs(rb.swapBase!) + rb.base!;
      near(rb.outBase! + rb.swapBase!, rb.base! + (rb.walletBase! - before.walletBase!), scale, 1e-12);
      const scaleQ = rb.outQuote! + Math.abs(rb.swapQuote!) + rb.quote! + rb.gas!;
      near(rb.outQuote! + rb.swapQuote!, rb.quote! + rb.gas! + (rb.walletQuote! - before.walletQuote!), scaleQ, 1e-12);
      // the fees went aside, not into the new position (the fees of a burn are not its principal)
      expect(rb.feesBase! + rb.feesQuote!).toBeGreaterThan(0);
    }
  });

  it('behavior: the float and exact pools record the same events (kinds, steps, keys) and amounts within float error', async () => {
    for (const pool of ['v2', 'v3'] as const) {
      const f = await auditRun({ pool, exact: false });
      const x = await auditRun({ pool, exact: true });
      expect(x.events.map((e) => `${e.step}:${e.kind}:${Object.keys(e).join(',')}`)).toEqual(f.events.map((e) => `${e.step}:${e.kind}:${Object.keys(e).join(',')}`));
      f.events.forEach((e, i) => {
        const y = x.events[i]!;
        for (const k of ['base', 'quote', 'amountIn', 'amountOut', 'fee', 'gas'] as const) if (e[k] !== undefined) near(y[k] as number, e[k] as number, Math.abs(e[k] as number), 1e-6);
      });
    }
  });

  it('behavior: deterministic: the same run gives the same events.json text', async () => {
    const a = await auditRun({ pool: 'v3', exact: false });
    const b = await auditRun({ pool: 'v3', exact: false });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });
});

describe('events.json: harvests say what was claimed and sold', () => {
  it.each(['hold', 'sell', 'compound'] as const)('behavior: harvest events add up to the reward totals (then %s)', (then) => {
    const prices = gbmPath(24 * 6 + 1, 0.6, 1 / 8760, 2000, 3);
    const series = seriesOf(prices);
    const T0 = Date.UTC(2024, 0, 1) / 1000;
    const out = runEngine({
      series,
      pool: new V2FloatPool(0.003, 500, 1_000_000),
      lp: fullRangeStrategy.create({}),
      traders: [createArbitrageur()],
      capital: 10_000,
      gas: constantGas('v2', 10),
      rng: new Rng(1),
      incentives: {
        programs: [createProgram({ kind: 'staking-rewards', token: 'UNI', source: 'test', startSec: T0, endSec: T0 + 6 * 86_400, amountRaw: 100_000n * 10n ** 18n, topUps: [], otherStake: 0n })],
        policy: intervalHarvest.create({ every: '1d', then }),
        rewardPrice: new Float64Array(series.length).fill(2),
        rewardPoolLiquidity: 1_000_000,
        performanceFee: 0.1,
        callerFee: 0.01,
      },
    });
    const t = out.rewards!;
    const harvests = out.events.filter((e) => e.kind === 'harvest');
    expect(harvests.length).toBe(t.harvests);
    expect(harvests.length).toBeGreaterThanOrEqual(5);
    const sum = (f: (e: LpEvent) => number): number => harvests.reduce((s, e) => s + f(e), 0);
    for (const h of harvests) {
      expect(h.then).toBe(then);
      expect(h.rewardPrice).toBe(2);
      near(h.rewardFeeTokens!, h.rewardTokens! * 0.11, h.rewardTokens!, 1e-12);
    }
    near(sum((e) => e.rewardTokens!), t.rewardTokensEarned - t.rewardTokensPending, t.rewardTokensEarned, 1e-12);
    near(sum((e) => e.gas!), t.harvestGas, t.harvestGas, 1e-12);
    near(sum((e) => e.rewardFeeTokens! * e.rewardPrice!), t.performanceFees + t.callerFees - t.rewardTokensPending * 0.11 * 2, t.performanceFees, 1e-12);
    near(sum((e) => e.soldTokens!), t.rewardTokensSold, t.rewardTokensEarned, 1e-12);
    if (then === 'hold') {
      expect(sum((e) => e.soldQuote!)).toBe(0);
      near(t.rewardTokensHeld, sum((e) => e.rewardTokens! - e.rewardFeeTokens!), t.rewardTokensHeld, 1e-12);
    } else if (then === 'sell') near(sum((e) => e.soldQuote!), t.rewardQuote, t.rewardQuote, 1e-12);
    else {
      near(sum((e) => e.soldQuote!), t.rewardsCompounded, t.rewardsCompounded, 1e-12);
      // each compound's burn and re-mint follow its harvest event
      const i = out.events.indexOf(harvests[1]!);
      expect(out.events.slice(i, i + 4).map((e) => e.kind)).toEqual(['harvest', 'burn', 'split', 'mint']);
    }
  });
});
