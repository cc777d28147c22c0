import { defineStrategy } from '../define.ts';
import { NO_ACTIONS } from '../../sim/engine/strategy.ts';

/**
 * Full range: split the capital to the pool's ratio through the pool at the start and provide liquidity over
 * the whole price range (v2, or v3 MIN_TICK..MAX_TICK), never touching it again.
 */
export const fullRangeStrategy = defineStrategy({
  name: 'full-range',
  description: 'provide full-range liquidity once and hold the position',
  defaults: {},
  create: () => ({
    onStart: () => [{ kind: 'mint', range: null, rebalance: true }],
    onStep: () => NO_ACTIONS,
  }),
});
