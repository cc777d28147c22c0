import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, ReportRun } from '../model.ts';
import { downsampleNote, lineName, lineRows, multiLineSpec, pushUnique, type ChartRow } from './common.ts';

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
    const il = new Float64Array(n);
    const lvr = new Float64Array(n);
    const gas = new Float64Array(n);
    const vsHold = new Float64Array(n);
    const vsRebal = new Float64Array(n);
    const actual = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      il[i] = ts.impermanentLoss[i]! * ts.holdValue[i]!;
      lvr[i] = -ts.lvrCumulative[i]!;
      gas[i] = -ts.gasCumulative[i]!;
      vsHold[i] = ts.feesCumulative[i]! + il[i]! + gas[i]!;
      vsRebal[i] = ts.feesCumulative[i]! + lvr[i]! + gas[i]!;
      actual[i] = ts.lpValue[i]! - ts.holdValue[i]!;
    }
    const lines: Array<[string, Float64Array]> = [
      ['fees', ts.feesCumulative],
      ['IL', il],
      ['−LVR', lvr],
      ['−gas', gas],
      ['fees + IL − gas', vsHold],
      ['fees − LVR − gas', vsRebal],
      ['LP − hold (actual)', actual],
    ];
    for (const [name, v] of lines) {
      const full = lineName(runs, run, name);
      pushUnique(domain, full);
      rows.push(...lineRows(full, ts.timestamp, v, opts));
    }
  }
  return multiLineSpec({
    title: 'PnL decomposition',
    subtitle: [
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
