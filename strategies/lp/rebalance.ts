import { defineStrategy } from '../define.ts';
import { NO_ACTIONS, type LpAction, type StrategyContext } from '../../sim/engine/strategy.ts';
import { checkParam, nonNegativeInteger, positiveFinite } from './checkParam.ts';
import { rangeAround, recentreIfOut } from './range.ts';

/**
 * Re-centring range: like `range`, but when the pool price has been outside the position's range for more
 * than `delay` consecutive steps and is beyond it by at least `threshold` (a fraction of the bound; both 0 by
 * default: the first step out), burn the
 * position (collecting fees), swap the wallet to the new range's ratio through the pool (paying fee and
 * impact), and mint [P/(1+W), P·(1+W)] around the current pool price. Every action pays gas. With `compound`, the
 * collected fees are moved into the wallet before the new mint (a `useFees` action): they are re-invested and pay
 * gas, so a strategy whose principal went to gas keeps going on its fees; by default they stay set aside.
 */
const USE_FEES: LpAction = Object.freeze({ kind: 'useFees' });

export const rebalanceStrategy = defineStrategy({
  name: 'rebalance',
  description: 'range [P/(1+W), P*(1+W)] re-centred when out of range (after --rebalance-delay steps and at least a threshold beyond it)',
  defaults: { width: 0.1, delay: 0, threshold: 0, compound: false as boolean },
  create: (p) => {
    checkParam('width', p.width, positiveFinite, 'must be a number > 0 (the range half-width: [P/(1+W), P·(1+W)])');
    checkParam('delay', p.delay, nonNegativeInteger, 'must be an integer ≥ 0 (steps out of range before re-centring)');
    checkParam('threshold', p.threshold, (v) => Number.isFinite(v) && v >= 0, 'must be a number ≥ 0 (how far beyond the range, as a fraction of the bound)');
    let outFor = 0;
    return {
      onStart: (ctx) => [{ kind: 'mint', range: rangeAround(ctx.poolPrice, p.width), rebalance: true }],
      onStep(ctx: StrategyContext): readonly LpAction[] {
        const pos = ctx.positions[0];
        if (pos === undefined || pos.range === null) return NO_ACTIONS;
        const q = ctx.poolPrice;
        const { lower, upper } = pos.range;
        if (q >= lower && q <= upper) {
          outFor = 0;
          return NO_ACTIONS;
        }
        outFor++;
        const beyond = q < lower ? (lower - q) / lower : (q - upper) / upper;
        if (outFor <= p.delay || beyond < p.threshold) return NO_ACTIONS;
        outFor = 0;
        const acts = recentreIfOut(ctx, () => p.width);
        if (acts === undefined) return NO_ACTIONS;
        return p.compound ? [acts[0]!, USE_FEES, ...acts.slice(1)] : acts;
      },
    };
  },
});
