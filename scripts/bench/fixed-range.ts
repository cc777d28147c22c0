// Bench fixture: a fixed ±10 % v3 range written as a user strategy module (the shape a user writes in their
// own folder: a plain default-export object, types only from ammsim), for the real-data backtest row of
// `npm run bench`:
//   npm run -s ammsim -- backtest --prices ../shared/data/uniswap_v3/polygon_usdc_weth_005_0x45dd_minute_2022-07-19_2022-08-22.csv \
//     --gaps skip --pool v3 --fee 0.0005 --fee-model volume --strategy scripts/bench/fixed-range.ts
import type { LpAction, LpStrategyFactory, StrategyContext } from '../../index.ts';

const strategy: LpStrategyFactory<{ width: number }> = {
  name: 'fixed-range',
  description: 'one v3 range [P0/(1+W), P0*(1+W)] opened at the start, never moved',
  defaults: { width: 0.1 },
  create: (p) => ({
    id: 'fixed-range',
    params: p,
    onStart: (ctx: StrategyContext): readonly LpAction[] => [
      { kind: 'mint', range: { lower: ctx.poolPrice / (1 + p.width), upper: ctx.poolPrice * (1 + p.width) } },
    ],
    onStep: (): readonly LpAction[] => [],
  }),
};
export default strategy;
