import { ConfigError } from '../../sim/core/errors.ts';
import { NO_SWAPS, type SwapIntent, type TraderContext, type TraderStrategy } from '../../sim/engine/strategy.ts';

export interface NoiseTraderParams {
  /** Mean number of trades per step (Poisson). */
  readonly rate: number;
  /** Mean trade size in quote units; sizes are log-normal with σ = `sizeSigma`. */
  readonly meanSize: number;
  readonly sizeSigma: number;
  /** When > 0 and the series has a `volume` column (base units), trade this fraction of it per step instead. */
  readonly volumeShare: number;
}

export const NOISE_TRADER_DEFAULTS: Readonly<NoiseTraderParams> = Object.freeze({ rate: 0, meanSize: 1_000, sizeSigma: 1, volumeShare: 0 });

/**
 * Uninformed flow: at each step a Poisson(`rate`) number of trades, each buying or selling base with equal
 * probability, sized log-normally around `meanSize` quote (the log-normal's mean is exactly `meanSize`).
 * Driven by the series instead when `volumeShare` > 0 and a `volume` column exists: one trade per step of
 * `volumeShare × volume` base (valued at the market price), direction drawn at random.
 * All draws come from the context's seeded rng, so runs are reproducible.
 */
export function createNoiseTrader(params: Partial<NoiseTraderParams> = {}): TraderStrategy {
  const p: NoiseTraderParams = { ...NOISE_TRADER_DEFAULTS, ...params };
  if (!(p.rate >= 0)) throw new ConfigError('--noise-rate', `must be ≥ 0; was ${p.rate}`);
  if (!(p.meanSize > 0)) throw new ConfigError('--noise-size', `must be > 0; was ${p.meanSize}`);
  const mu = Math.log(p.meanSize) - (p.sizeSigma * p.sizeSigma) / 2;
  return {
    id: 'noise',
    onStep(ctx: TraderContext): readonly SwapIntent[] {
      if (p.volumeShare > 0) {
        const v = ctx.extra('volume');
        if (v !== undefined && v > 0) {
          const baseIn = ctx.rng.uniform() < 0.5;
          const amountBase = p.volumeShare * v;
          return [{ kind: 'exactIn', baseIn, amountIn: baseIn ? amountBase : amountBase * ctx.price }];
        }
        if (p.rate === 0) return NO_SWAPS;
      }
      if (p.rate === 0) return NO_SWAPS;
      const n = ctx.rng.poisson(p.rate);
      if (n === 0) return NO_SWAPS;
      const out: SwapIntent[] = [];
      for (let i = 0; i < n; i++) {
        const baseIn = ctx.rng.uniform() < 0.5;
        const sizeQuote = Math.exp(mu + p.sizeSigma * ctx.rng.normal());
        out.push({ kind: 'exactIn', baseIn, amountIn: baseIn ? sizeQuote / ctx.price : sizeQuote });
      }
      return out;
    },
  };
}
