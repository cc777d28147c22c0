import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, ReportRun } from '../model.ts';
import { hasRewards, rewardColumns } from './rewards.ts';
import { downsampleNote, lineName, lineRows, multiLineSpec, pushUnique, scratchArray, type ChartRow } from './common.ts';

/**
 * LP value vs hold (and any extra alternatives such as staking) over time, in quote units. The fee and gas
 * components are visible as the gap between `LP value` (incl. fees, less gas) and `LP before fees and gas`
 * (the LP's value without fees, rewards and gas: holdValue × (1 + impermanentLoss), the value IL is defined on).
 */
export function valueChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const rows: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const ts = run.result.timeseries;
    const rewards = rewardColumns(ts)?.cumulative;
    // The value impermanentLoss is defined on: IL = (this − hold) / hold. (lpValue − feesCumulative would mix fee tokens
    // valued now with fees valued when earned: apart by feesValueAtEnd − feesEarned.)
    const principal = (): Float64Array => {
      const out = scratchArray(ts.lpValue.length);
      for (let i = 0; i < out.length; i++) out[i] = ts.holdValue[i]! * (1 + ts.impermanentLoss[i]!);
      return out;
    };
    const withoutRewards = (): Float64Array => {
      const out = scratchArray(ts.lpValue.length);
      for (let i = 0; i < out.length; i++) out[i] = ts.lpValue[i]! - rewards![i]!;
      return out;
    };
    const lines: Array<[string, ArrayLike<number>, ArrayLike<number> | (() => Float64Array)]> = [
      [lineName(runs, run, 'LP value'), ts.timestamp, ts.lpValue],
      ...(rewards === undefined
        ? []
        : ([[lineName(runs, run, 'LP value less rewards earned'), ts.timestamp, withoutRewards]] as Array<[string, ArrayLike<number>, () => Float64Array]>)),
      [lineName(runs, run, rewards === undefined ? 'LP before fees and gas' : 'LP before fees, rewards and gas'), ts.timestamp, principal],
      [lineName(runs, run, 'hold'), ts.timestamp, ts.holdValue],
    ];
    for (const extra of run.extraSeries ?? []) lines.push([extra.ownLine === true ? extra.name : lineName(runs, run, extra.name), extra.timestampMs, extra.value]);
    for (const [name, t, v] of lines) {
      pushUnique(domain, name);
      rows.push(...lineRows(name, t, typeof v === 'function' ? v() : v, opts));
    }
  }
  return multiLineSpec({
    title: 'Value over time',
    subtitle: runs.some(hasRewards)
      ? [
          'LP value incl. fees and rewards (held and pending at the reward price, sold ones as their quote) less gas, vs. holding the deposited tokens (quote units).',
          'LP value less rewards earned: the rewards’ part is the gap (rewards valued when claimed).',
          downsampleNote(opts),
        ]
      : ['LP value incl. fees less gas, vs. holding the deposited tokens (quote units).', downsampleNote(opts)],
    rows,
    domain,
    yTitle: 'value (quote)',
    yFormat: ',.7~r',
  });
}
