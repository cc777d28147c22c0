import { ConfigError } from '../../sim/errors.ts';
import { defineStrategy } from '../define.ts';
import { NO_ACTIONS } from '../types.ts';

/** The range [P/(1+W), P·(1+W)] around a price (CONTRACT.md `--width`). */
export function rangeAround(price: number, width: number): { lower: number; upper: number } {
  if (!(width > 0)) throw new ConfigError('--width', `must be > 0; was ${width}`);
  return { lower: price / (1 + width), upper: price * (1 + width) };
}

/**
 * Fixed range: one concentrated position over [P0/(1+W), P0·(1+W)] (snapped outward to ticks), opened at the
 * start after splitting the capital to the range's token ratio through the pool, and never moved.
 */
export const rangeStrategy = defineStrategy({
  name: 'range',
  description: 'one fixed range [P0/(1+W), P0*(1+W)], never moved',
  defaults: { width: 0.1 },
  create: (p) => ({
    onStart: (ctx) => [{ kind: 'mint', range: rangeAround(ctx.poolPrice, p.width), rebalance: true }],
    onStep: () => NO_ACTIONS,
  }),
});
