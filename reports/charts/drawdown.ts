import type { TopLevelSpec } from 'vega-lite';
import type { ChartOptions, ReportRun } from '../model.ts';
import { downsampleNote, lineName, lineRows, multiLineSpec, pushUnique, scratchArray, type ChartRow } from './common.ts';

/**
 * Drawdown of a value line: v_t / max_{s ≤ t} v_s − 1 (≤ 0), computed on every row before downsampling, so its
 * minimum is the run's maximum drawdown. Non-finite values give NaN (a gap) and do not move the peak.
 */
export function drawdownSeries(v: ArrayLike<number>, out: Float64Array = new Float64Array(v.length)): Float64Array {
  let peak = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) {
      out[i] = NaN;
      continue;
    }
    if (x > peak) peak = x;
    out[i] = peak > 0 ? x / peak - 1 : NaN;
  }
  return out;
}

/** Drawdown over time of the LP value, hold and any extra alternatives. */
export function drawdownChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const rows: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const ts = run.result.timeseries;
    const lines: Array<[string, ArrayLike<number>, ArrayLike<number>]> = [
      [lineName(runs, run, 'LP value'), ts.timestamp, ts.lpValue],
      [lineName(runs, run, 'hold'), ts.timestamp, ts.holdValue],
    ];
    for (const extra of run.extraSeries ?? []) lines.push([extra.ownLine === true ? extra.name : lineName(runs, run, extra.name), extra.timestampMs, extra.value]);
    for (const [name, t, v] of lines) {
      pushUnique(domain, name);
      rows.push(...lineRows(name, t, drawdownSeries(v, scratchArray(v.length)), opts));
    }
  }
  return multiLineSpec({
    title: 'Drawdown',
    subtitle: ['Value / running peak − 1.', downsampleNote(opts)],
    rows,
    domain,
    yTitle: 'drawdown',
    yFormat: '.1%',
    zero: true,
  });
}
