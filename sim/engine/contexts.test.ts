import { describe, expect, it } from 'vitest';
import { makeSeries } from '../core/series.ts';
import { Rng } from '../core/rng.ts';
import { V2FloatPool } from '../pools/v2/v2FloatPool.ts';
import { historyView, strategyContext, traderContext } from './contexts.ts';
import { constantGas } from './gas.ts';
import { LpLedger, type Clock } from './ledger.ts';

function setup() {
  const series = makeSeries(new Float64Array([0, 60_000, 120_000]), new Float64Array([2000, 2010, 1990]), new Map([['volume', new Float64Array([5, 6, 7])]]), { kind: 'test', file: 'test', sha256: '', params: {} });
  const pool = new V2FloatPool(0.003, 500, 1_000_000);
  const clock: Clock = { step: 0, timestampMs: 0, price: 2000 };
  const ledger = new LpLedger(pool, constantGas('v2', 20), clock, 10_000, 'test');
  const rng = new Rng(1);
  const ctx = strategyContext(pool, clock, ledger, historyView(series, clock, 'test'), rng);
  const tctx = traderContext(pool, clock, series, ledger, () => rng);
  return { series, pool, clock, ledger, ctx, tctx };
}

describe('engine contexts', () => {
  it('behavior: getters read the current step; two runs\' contexts share one class (one shape)', () => {
    const { clock, ctx, tctx } = setup();
    expect([ctx.step, ctx.price, tctx.price, ctx.history.length]).toEqual([0, 2000, 2000, 1]);
    clock.step = 2;
    clock.timestampMs = 120_000;
    clock.price = 1990;
    expect([ctx.step, ctx.timestampMs, ctx.price, tctx.step, tctx.timestampMs, ctx.history.length]).toEqual([2, 120_000, 1990, 2, 120_000, 3]);
    expect(ctx.poolPrice).toBe(2000);
    expect(tctx.extra('volume')).toBe(7);
    const other = setup();
    expect(Object.getPrototypeOf(other.ctx)).toBe(Object.getPrototypeOf(ctx));
    expect(Object.getPrototypeOf(other.tctx)).toBe(Object.getPrototypeOf(tctx));
    expect(Object.getPrototypeOf(other.ctx.history)).toBe(Object.getPrototypeOf(ctx.history));
  });

  it('behavior: function members work when taken off the context (destructured)', () => {
    const { clock, ctx, tctx } = setup();
    clock.step = 1;
    const { gasCost, history, rewards } = ctx;
    const { price, timestampMs, extra } = history;
    const { pending } = rewards;
    const { quoteToPrice, quoteExactIn, extra: now } = tctx;
    expect(gasCost('swap')).toBeCloseTo(110_000 * 20e-9 * 2000, 9);
    expect([price(0), price(1), timestampMs(1), extra('volume', 1)]).toEqual([2000, 2010, 60_000, 6]);
    expect(pending()).toBe(0);
    expect(quoteToPrice(2010).baseDelta).toBeLessThan(0);
    expect(quoteExactIn(true, 1).quoteDelta).toBeLessThan(0);
    expect(now('volume')).toBe(6);
  });

  it('error: the history refuses the future, naming the strategy', () => {
    const { ctx } = setup();
    expect(() => ctx.history.price(1)).toThrow('strategy test: history.price(1) is outside 0..0: a strategy sees only the past');
  });
});
