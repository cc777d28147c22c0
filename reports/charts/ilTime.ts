import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, ReportRun } from '../model.ts';
import { downsampleNote, lineName, lineRows, multiLineSpec, pushUnique, type ChartRow } from './common.ts';

/** Impermanent loss over time, as a fraction of hold value (column `impermanentLoss`; negative is a loss). */
export function ilTimeChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const rows: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const name = lineName(runs, run, 'impermanent loss');
    pushUnique(domain, name);
    rows.push(...lineRows(name, run.result.timeseries.timestamp, run.result.timeseries.impermanentLoss, opts));
  }
  return multiLineSpec({
    title: 'Impermanent loss over time',
    subtitle: ['(LP value without fees and gas − hold) / hold.', downsampleNote(opts)],
    rows,
    domain,
    yTitle: 'IL',
    yFormat: '.2%',
    zero: true,
  });
}
