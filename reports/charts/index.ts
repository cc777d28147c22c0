import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, ReportRun } from '../model.ts';
import { feesBarChart, timeInRangeChart } from './bars.ts';
import { drawdownChart } from './drawdown.ts';
import { runIlCurveChart } from './ilCurveChart.ts';
import { ilTimeChart } from './ilTime.ts';
import { pnlChart } from './pnl.ts';
import { priceChart } from './price.ts';
import { hasRewards, pnlSplitChart, rewardPriceChart, rewardsChart } from './rewards.ts';
import { valueChart } from './value.ts';

/** A chart of the report: `id` names its SVG file (`<id>.svg`) and its element id in the HTML. */
export interface ReportChart {
  readonly id: string;
  readonly spec: TopLevelSpec;
}

/** Every chart of a report, in display order. */
export function reportCharts(runs: readonly ReportRun[], opts: ChartOptions = {}): ReportChart[] {
  // Liquidity-mining charts only when a run has programs (a run without keeps today's report bytes).
  const rewards = runs.some(hasRewards);
  return [
    { id: 'value', spec: valueChart(runs, opts) },
    { id: 'pnl', spec: pnlChart(runs, opts) },
    ...(rewards ? [{ id: 'pnl-split', spec: pnlSplitChart(runs, opts) }] : []),
    { id: 'price', spec: priceChart(runs, opts) },
    ...(rewards
      ? [
          { id: 'rewards', spec: rewardsChart(runs, opts) },
          { id: 'reward-price', spec: rewardPriceChart(runs, opts) },
        ]
      : []),
    { id: 'il-curve', spec: runIlCurveChart(runs, opts) },
    { id: 'il-time', spec: ilTimeChart(runs, opts) },
    { id: 'drawdown', spec: drawdownChart(runs, opts) },
    { id: 'fees', spec: feesBarChart(runs, opts) },
    { id: 'time-in-range', spec: timeInRangeChart(runs, opts) },
  ];
}
