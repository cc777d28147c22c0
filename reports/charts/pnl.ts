import type { TopLevelSpec } from 'vega-lite';
import type { Timeseries } from '../../sim/metrics/record.ts';
import type { ChartOptions, ReportRun } from '../model.ts';
import { hasRewards, rewardColumns } from './rewards.ts';
import { downsampleNote, lineName, lineRows, multiLineSpec, pushUnique, scratchArray, type ChartRow } from './common.ts';

/**
 * PnL decomposition over time, in quote units: cumulative fees, IL (impermanentLoss × holdValue), LVR and gas
 * (both drawn negative, as costs), two sums, and the actual PnL vs hold:
 * - `fees + IL − gas` (PnL vs. holding, with fees valued when earned);
 * - `fees − LVR − gas` (PnL vs. the rebalancing portfolio of Milionis et al. 2022);
 * - `LP − hold` = lpValue − holdValue as recorded. It differs from `fees + IL − gas` by the later price change
 *   of fee tokens already earned (fees are valued when earned but held as tokens), so the gap is shown, not hidden.
 * LVR and IL are two views of the same adverse selection, so they are never added together.
 */
export function pnlChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const rows: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const ts = run.result.timeseries;
    const n = ts.timestamp.length;
    const rewards = rewardColumns(ts)?.cumulative;
    const lines: Array<[string, PnlLine]> =
      rewards === undefined
        ? [
            ['fees', 'fees'],
            ['IL', 'il'],
            ['−LVR', 'lvr'],
            ['−gas', 'gas'],
            ['fees + IL − gas', 'vsHold'],
            ['fees − LVR − gas', 'vsRebalancing'],
            ['LP − hold (actual)', 'actual'],
          ]
        : [
            ['fees', 'fees'],
            ['rewards', 'rewards'],
            ['IL', 'il'],
            ['−LVR', 'lvr'],
            ['−gas', 'gas'],
            ['fees + rewards + IL − gas', 'vsHold'],
            ['fees + rewards − LVR − gas', 'vsRebalancing'],
            ['LP − hold (actual)', 'actual'],
          ];
    for (const [name, v] of lines) {
      const full = lineName(runs, run, name);
      pushUnique(domain, full);
      const values = v === 'fees' ? ts.feesCumulative : v === 'rewards' ? rewards! : pnlLine(ts, v, scratchArray(n));
      if (rewards !== undefined && (v === 'vsHold' || v === 'vsRebalancing')) for (let i = 0; i < n; i++) values[i] = values[i]! + rewards[i]!;
      rows.push(...lineRows(full, ts.timestamp, values, opts));
    }
  }
  return multiLineSpec({
    title: 'PnL decomposition',
    subtitle: runs.some(hasRewards)
      ? [
          'Cumulative, quote units; rewards valued when claimed (pending at the step’s price). IL and LVR measure the same loss two ways and are not added together.',
          'LP − hold also carries the price change of fee and reward tokens after they were earned, reward-sale slippage and vault fees (see the PnL split).',
          downsampleNote(opts),
        ]
      : [
          'Cumulative, quote units. IL and LVR measure the same loss two ways and are not added together.',
          'LP − hold also carries the price change of fee tokens after they were earned.',
          downsampleNote(opts),
        ],
    rows,
    domain,
    yTitle: 'cumulative (quote)',
    yFormat: ',.7~r',
    zero: true,
  });
}

type PnlLine = 'fees' | 'rewards' | 'il' | 'lvr' | 'gas' | 'vsHold' | 'vsRebalancing' | 'actual';

/** One derived PnL line into `out` (one plain loop per line: no per-row callback). */
function pnlLine(ts: Timeseries, line: Exclude<PnlLine, 'fees' | 'rewards'>, out: Float64Array): Float64Array {
  const { feesCumulative: fees, impermanentLoss: il, holdValue: hold, lvrCumulative: lvr, gasCumulative: gas, lpValue } = ts;
  const n = out.length;
  switch (line) {
    case 'il':
      for (let i = 0; i < n; i++) out[i] = il[i]! * hold[i]!;
      break;
    case 'lvr':
      for (let i = 0; i < n; i++) out[i] = -lvr[i]!;
      break;
    case 'gas':
      for (let i = 0; i < n; i++) out[i] = -gas[i]!;
      break;
    case 'vsHold':
      for (let i = 0; i < n; i++) out[i] = fees[i]! + il[i]! * hold[i]! - gas[i]!;
      break;
    case 'vsRebalancing':
      for (let i = 0; i < n; i++) out[i] = fees[i]! - lvr[i]! - gas[i]!;
      break;
    case 'actual':
      for (let i = 0; i < n; i++) out[i] = lpValue[i]! - hold[i]!;
      break;
  }
  return out;
}
