import { ConfigError } from '../../sim/core/errors.ts';
import { defineStrategy } from '../define.ts';
import { NO_ACTIONS, type LpAction, type StrategyContext } from '../../sim/engine/strategy.ts';

/** The range [P/(1+W), P·(1+W)] around a price (CONTRACT.md `--width`). */
export function rangeAround(price: number, width: number): { lower: number; upper: number } {
  if (!(width > 0)) throw new ConfigError('--width', `must be > 0; was ${width}`);
  return { lower: price / (1 + width), upper: price * (1 + width) };
}

/**
 * If the first position's range no longer contains the pool price, the intents that re-centre it: burn it,
 * then mint [P/(1+W), P·(1+W)] around the pool price with the wallet split to the new ratio. `width` is called
 * only when a re-centre happens. Otherwise `undefined` (in range, or no concentrated position).
 */
export function recentreIfOut(ctx: StrategyContext, width: () => number): readonly LpAction[] | undefined {
  const pos = ctx.positions[0];
  if (pos === undefined || pos.range === null) return undefined;
  const q = ctx.poolPrice;
  if (q >= pos.range.lower && q <= pos.range.upper) return undefined;
  return [
    { kind: 'burn', positionId: pos.positionId },
    { kind: 'mint', range: rangeAround(q, width()), rebalance: true },
  ];
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
