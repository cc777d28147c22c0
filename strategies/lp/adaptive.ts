import { defineStrategy } from '../define.ts';
import { NO_ACTIONS, type LpAction, type StrategyContext } from '../../sim/engine/strategy.ts';
import { checkParam, positiveFinite } from './checkParam.ts';
import { rangeAround, recentreIfOut } from './range.ts';

/**
 * Volatility-adaptive range: the width is `k` times the trailing realised volatility over `lookback` steps,
 * scaled to a horizon of `horizon` steps (W = k·σ_step·√horizon), clamped to [minWidth, maxWidth]. It starts
 * with `minWidth`-or-`width` until enough history exists and re-centres (with a freshly measured width) when
 * the pool price leaves the range. Only past prices are used.
 */
export const adaptiveStrategy = defineStrategy({
  name: 'adaptive',
  description: 'range width from trailing realised volatility, re-centred when out of range',
  defaults: { width: 0.1, k: 2, lookback: 168, horizon: 24, minWidth: 0.01, maxWidth: 1 },
  create: (p) => {
    checkParam('width', p.width, positiveFinite, 'must be a number > 0 (the width until enough history exists)');
    checkParam('k', p.k, positiveFinite, 'must be a number > 0 (width = k × volatility)');
    checkParam('lookback', p.lookback, (v) => Number.isInteger(v) && v >= 2, 'must be an integer ≥ 2 (steps of returns to measure volatility over)');
    checkParam('horizon', p.horizon, positiveFinite, 'must be a number > 0 (steps the volatility is scaled to)');
    checkParam('minWidth', p.minWidth, positiveFinite, 'must be a number > 0');
    checkParam('maxWidth', p.maxWidth, (v) => Number.isFinite(v) && v >= p.minWidth, `must be a number ≥ minWidth (${p.minWidth})`);
    const widthNow = (ctx: StrategyContext): number => {
      const n = Math.min(p.lookback, ctx.step);
      if (n < 2) return p.width;
      let s = 0;
      let s2 = 0;
      for (let i = ctx.step - n + 1; i <= ctx.step; i++) {
        const r = Math.log(ctx.history.price(i) / ctx.history.price(i - 1));
        s += r;
        s2 += r * r;
      }
      const m = s / n;
      const sd = Math.sqrt(Math.max(0, (s2 - n * m * m) / (n - 1)));
      return Math.min(p.maxWidth, Math.max(p.minWidth, p.k * sd * Math.sqrt(p.horizon)));
    };
    return {
      onStart: (ctx) => [{ kind: 'mint', range: rangeAround(ctx.poolPrice, p.width), rebalance: true }],
      onStep: (ctx: StrategyContext): readonly LpAction[] => recentreIfOut(ctx, () => widthNow(ctx)) ?? NO_ACTIONS,
    };
  },
});
