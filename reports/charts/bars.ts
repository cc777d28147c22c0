import type { TopLevelSpec } from 'vega-lite';
import { chartNumber } from '../downsample.ts';
import type { ChartOptions, ReportRun } from '../model.ts';
import { bucketRanges, chooseBucketing, type Bucketing } from './buckets.ts';
import { pushUnique, specFrame, timeX, type ChartRow } from './common.ts';

function runsBucketing(runs: readonly ReportRun[]): Bucketing {
  let first = Infinity;
  let last = -Infinity;
  for (const r of runs) {
    const t = r.result.timeseries.timestamp;
    if (t.length === 0) continue;
    first = Math.min(first, t[0]!);
    last = Math.max(last, t[t.length - 1]!);
  }
  return chooseBucketing(Number.isFinite(first) ? first : 0, Number.isFinite(last) ? last : 0);
}

/**
 * Bars over time: one bar per bucket and run; with several runs each bucket is split into equal side-by-side
 * slots (explicit x/x2 in the data, so no faceting is needed).
 */
function barSpec(args: {
  title: string;
  subtitle: string[];
  runs: readonly ReportRun[];
  bucketing: Bucketing;
  value: (run: ReportRun, from: number, to: number) => number;
  yTitle: string;
  yFormat: string;
}): TopLevelSpec {
  const rows: ChartRow[] = [];
  const domain: string[] = [];
  const k = args.runs.length;
  args.runs.forEach((run, j) => {
    const name = k > 1 ? run.label : args.yTitle;
    pushUnique(domain, name);
    const slot = args.bucketing.periodMs / k;
    for (const b of bucketRanges(run.result.timeseries.timestamp, args.bucketing)) {
      rows.push({
        t: b.startMs + j * slot,
        t2: b.startMs + (j + 1) * slot,
        series: name,
        v: chartNumber(args.value(run, b.from, b.to)),
      });
    }
  });
  return {
    ...specFrame(args.title, args.subtitle),
    data: { values: rows },
    mark: { type: 'bar', orient: 'vertical' },
    encoding: {
      x: timeX(),
      x2: { field: 't2' },
      y: { field: 'v', type: 'quantitative', title: args.yTitle, axis: { format: args.yFormat } },
      y2: { datum: 0 },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...domain] }, sort: [...domain], legend: k > 1 ? {} : null },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 't', type: 'temporal', timeUnit: 'utcyearmonthdate', title: `${args.bucketing.period} starting (UTC)` },
        { field: 'v', type: 'quantitative', title: args.yTitle, format: args.yFormat },
      ],
    },
  };
}

/**
 * Fees earned per UTC day (or Monday-based week for runs longer than 120 days), in quote units: the increase of
 * feesCumulative over the bucket (the first bucket counts from 0). Computed from every row.
 */
export function feesBarChart(runs: readonly ReportRun[], _opts: ChartOptions = {}): TopLevelSpec {
  const bucketing = runsBucketing(runs);
  return barSpec({
    title: `Fees per ${bucketing.period}`,
    subtitle: [`Fees earned in each UTC ${bucketing.period}${bucketing.period === 'week' ? ' (weeks start Monday)' : ''}, quote units, valued when earned.`],
    runs,
    bucketing,
    value: (run, from, to) => {
      const fc = run.result.timeseries.feesCumulative;
      return fc[to - 1]! - (from === 0 ? 0 : fc[from - 1]!);
    },
    yTitle: 'fees (quote)',
    yFormat: ',.7~r',
  });
}

/** Fraction of steps in range per UTC day (or week): the mean of the `inRange` column over the bucket's rows. */
export function timeInRangeChart(runs: readonly ReportRun[], _opts: ChartOptions = {}): TopLevelSpec {
  const bucketing = runsBucketing(runs);
  return barSpec({
    title: 'Time in range',
    subtitle: [`Fraction of steps with every open position in range, per UTC ${bucketing.period}.`],
    runs,
    bucketing,
    value: (run, from, to) => {
      const r = run.result.timeseries.inRange;
      let s = 0;
      for (let i = from; i < to; i++) s += r[i]! === 1 ? 1 : 0;
      return s / (to - from);
    },
    yTitle: 'time in range',
    yFormat: '.0%',
  });
}
