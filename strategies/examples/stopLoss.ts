// A complete user strategy: full-range liquidity that exits to the wallet when the price falls `stop`
// below the entry price, and re-enters when it recovers above the entry. Run it with
//   npm run -s ammsim -- backtest --strategy strategies/examples/stopLoss.ts --param stop=0.2
import { defineStrategy } from '../define.ts';
import { NO_ACTIONS, type LpAction, type StrategyContext } from '../../sim/engine/strategy.ts';

export default defineStrategy({
  name: 'stop-loss',
  description: 'full range, exit below entry·(1 − stop), re-enter above entry',
  defaults: { stop: 0.2 },
  create: (params) => {
    let entry = 0;
    return {
      onStart(ctx: StrategyContext): readonly LpAction[] {
        entry = ctx.price;
        return [{ kind: 'mint', range: null }];
      },
      onStep(ctx: StrategyContext): readonly LpAction[] {
        const open = ctx.positions[0];
        if (open !== undefined && ctx.price < entry * (1 - params.stop)) {
          return [{ kind: 'burn', positionId: open.positionId }];
        }
        if (open === undefined && ctx.price > entry) {
          return [{ kind: 'mint', range: null }];
        }
        return NO_ACTIONS;
      },
    };
  },
});
