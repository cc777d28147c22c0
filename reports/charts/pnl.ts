import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, ReportRun } from '../model.ts';
import { downsampleNote, lineName, lineRows, multiLineSpec, pushUnique, type ChartRow } from './common.ts';

/**
 * PnL decomposition over time, in quote units: cumulative fees, IL (impermanentLoss × holdValue), LVR and gas
 * (both drawn negative, as costs), and two sums:
 * - `fees + IL − gas` = lpValue − holdValue (PnL vs. holding; exact by the metric definitions);
 * - `fees − LVR − gas` (PnL vs. the rebalancing portfolio of Milionis et al. 2022).
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
    for (let i = 0; i < n; i++) {
      il[i] = ts.impermanentLoss[i]! * ts.holdValue[i]!;
      lvr[i] = -ts.lvrCumulative[i]!;
      gas[i] = -ts.gasCumulative[i]!;
      vsHold[i] = ts.feesCumulative[i]! + il[i]! + gas[i]!;
      vsRebal[i] = ts.feesCumulative[i]! + lvr[i]! + gas[i]!;
    }
    const lines: Array<[string, Float64Array]> = [
      ['fees', ts.feesCumulative],
      ['IL', il],
      ['−LVR', lvr],
      ['−gas', gas],
      ['fees + IL − gas (vs hold)', vsHold],
      ['fees − LVR − gas', vsRebal],
    ];
    for (const [name, v] of lines) {
      const full = lineName(runs, run, name);
      pushUnique(domain, full);
      rows.push(...lineRows(full, ts.timestamp, v, opts));
    }
  }
  return multiLineSpec({
    title: 'PnL decomposition',
    subtitle: ['Cumulative, quote units. IL and LVR measure the same loss two ways and are not added together.', downsampleNote(opts)],
    rows,
    domain,
    yTitle: 'cumulative (quote)',
    yFormat: ',.7~r',
    zero: true,
  });
}
