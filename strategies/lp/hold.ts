import { defineStrategy } from '../define.ts';
import { NO_ACTIONS } from '../../sim/engine/strategy.ts';
import { checkParam } from './checkParam.ts';

/**
 * Hold: swap `baseShare` of the capital's value into base through the pool at the start, then do nothing.
 * With the default 0.5 this is the 50/50 portfolio a full-range LP is compared against.
 */
export const holdStrategy = defineStrategy({
  name: 'hold',
  description: 'buy the 50/50 split at the start (through the pool) and hold it',
  defaults: { baseShare: 0.5 },
  create: (p) => {
    checkParam('baseShare', p.baseShare, (v) => v >= 0 && v <= 1, 'must be a fraction in [0, 1] (of the capital swapped into base)');
    return {
      onStart(ctx) {
        const amount = ctx.wallet.quote * p.baseShare;
        return amount > 0 ? [{ kind: 'swap', baseIn: false, amountIn: amount }] : NO_ACTIONS;
      },
      onStep: () => NO_ACTIONS,
    };
  },
});
