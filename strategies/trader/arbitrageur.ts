import { NO_SWAPS, type SwapIntent, type TraderContext, type TraderStrategy } from '../../sim/engine/strategy.ts';

export interface ArbitrageurParams {
  /** Minimum profit, in quote, beyond gas before the arbitrageur trades (default 0). */
  readonly minProfit: number;
}

export const ARBITRAGEUR_DEFAULTS: Readonly<ArbitrageurParams> = Object.freeze({ minProfit: 0 });

/**
 * Aligns the pool to the market price as far as it is profitable after the pool fee and gas.
 *
 * With fee f (γ = 1 − f) charged on the input, buying base at pool price Q costs Q/γ at the margin and selling
 * earns γ·Q, so the profit-maximising trade moves the price to γ·P when Q < γ·P and to P/γ when Q > P/γ, and
 * does nothing inside that band (closed form for v2; for v3 the same target is reached across ticks). Gas is a
 * fixed cost per trade, so it does not change the optimal size, only whether to trade: the arbitrageur trades
 * when the profit at the market price, −(Δbase·P + Δquote) from the pool's side, exceeds gas + minProfit.
 * With fee 0 and no gas the pool ends exactly at P.
 */
export function createArbitrageur(params: Partial<ArbitrageurParams> = {}): TraderStrategy {
  const p: ArbitrageurParams = { ...ARBITRAGEUR_DEFAULTS, ...params };
  return {
    id: 'arbitrageur',
    onStep(ctx: TraderContext): readonly SwapIntent[] {
      const g = 1 - ctx.fee;
      const P = ctx.price;
      const Q = ctx.poolPrice;
      let target: number;
      if (Q < g * P) target = g * P;
      else if (Q * g > P) target = P / g;
      else return NO_SWAPS;
      const fill = ctx.quoteToPrice(target);
      const profit = -(fill.baseDelta * P + fill.quoteDelta);
      if (!(profit > ctx.swapGasCost + p.minProfit)) return NO_SWAPS;
      return [{ kind: 'toPrice', targetPrice: target }];
    },
  };
}
