/**
 * Liquidity-mining charts, drawn only for runs with incentive programs (their timeseries carries the REWARD_COLUMNS:
 * rewardsCumulative, rewardTokensPending, rewardPrice; their events the `harvest` kind):
 * - rewards over time: rewards earned (cumulative, each claim valued when claimed, pending at the step's price) and
 *   the value of the pending rewards, with a marker at each harvest;
 * - the reward token's price path, with the harvests on it;
 * - the PnL split at the end (summary figures): fees + rewards − IL − gas − slippage − vault fees, the residual to
 *   the actual LP − hold, and LVR beside it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Timeseries } from '../../sim/metrics/record.ts';
import { chartNumber } from '../downsample.ts';
import type { ChartOptions, ReportRun } from '../model.ts';
import { downsampleNote, lineName, lineRows, lineTooltip, maxPointsOf, pushUnique, scratchArray, specFrame, timeX, type ChartRow } from './common.ts';

/** The reward columns of a run, or undefined when it had no programs. */
export function rewardColumns(ts: Timeseries): { cumulative: Float64Array; pending: Float64Array; price: Float64Array } | undefined {
  const { rewardsCumulative: cumulative, rewardTokensPending: pending, rewardPrice: price } = ts as Timeseries & Partial<Record<'rewardsCumulative' | 'rewardTokensPending' | 'rewardPrice', Float64Array>>;
  return cumulative === undefined || pending === undefined || price === undefined ? undefined : { cumulative, pending, price };
}

/** Whether a run had incentive programs. */
export function hasRewards(run: ReportRun): boolean {
  return rewardColumns(run.result.timeseries) !== undefined;
}

/** Harvest markers of a run at `value[step]`, thinned to ≤ maxPoints (first and last kept). */
function harvestMarkers(runs: readonly ReportRun[], run: ReportRun, value: ArrayLike<number>, opts: ChartOptions): ChartRow[] {
  const events = run.result.events.filter((e) => e.kind === 'harvest');
  const step = Math.max(1, Math.ceil(events.length / maxPointsOf(opts)));
  const out: ChartRow[] = [];
  events.forEach((e, k) => {
    if (k % step === 0 || k === events.length - 1) out.push({ t: e.timestampMs, series: lineName(runs, run, 'harvest'), v: chartNumber(value[e.step]!) });
  });
  return out;
}

/** Lines plus harvest markers on one y axis. */
function linesWithMarkers(args: { title: string; subtitle: string[]; lines: ChartRow[]; markers: ChartRow[]; domain: string[]; yTitle: string; yFormat: string; log?: boolean }): TopLevelSpec {
  for (const r of args.markers) pushUnique(args.domain, String(r.series));
  const scale = args.log === true ? { type: 'log' as const } : { zero: false };
  return {
    ...specFrame(args.title, args.subtitle),
    encoding: {
      x: timeX(),
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...args.domain] }, sort: [...args.domain] },
    },
    layer: [
      {
        data: { values: args.lines },
        mark: { type: 'line', strokeWidth: 1.5, invalid: 'break-paths-show-domains' },
        encoding: {
          y: { field: 'v', type: 'quantitative', title: args.yTitle, axis: { format: args.yFormat }, scale },
          tooltip: lineTooltip(args.yTitle, args.yFormat),
        },
      },
      {
        data: { values: args.markers },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 24, opacity: 0.8 },
        encoding: {
          y: { field: 'v', type: 'quantitative', scale },
          tooltip: lineTooltip(args.yTitle, args.yFormat),
        },
      },
    ],
  };
}

/** Rewards earned and pending over time (quote), harvests marked on the cumulative line. */
export function rewardsChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const lines: ChartRow[] = [];
  const markers: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const r = rewardColumns(run.result.timeseries);
    if (r === undefined) continue;
    const t = run.result.timeseries.timestamp;
    const earned = lineName(runs, run, 'rewards earned');
    const pending = lineName(runs, run, 'pending rewards');
    pushUnique(domain, earned);
    pushUnique(domain, pending);
    lines.push(...lineRows(earned, t, r.cumulative, opts));
    const pv = scratchArray(t.length);
    for (let i = 0; i < pv.length; i++) pv[i] = r.pending[i]! * r.price[i]!;
    lines.push(...lineRows(pending, t, pv, opts));
    markers.push(...harvestMarkers(runs, run, r.cumulative, opts));
  }
  return linesWithMarkers({
    title: 'Rewards over time',
    subtitle: [
      'Cumulative rewards earned (each claim at the reward price when claimed, pending at the price of the step) and the value of the rewards not yet claimed, quote units; ◆ = harvest.',
      downsampleNote(opts),
    ],
    lines,
    markers,
    domain,
    yTitle: 'rewards (quote)',
    yFormat: ',.7~r',
  });
}

/** The reward token's price (quote per reward token) over time, harvests marked on it. Log axis. */
export function rewardPriceChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const lines: ChartRow[] = [];
  const markers: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const r = rewardColumns(run.result.timeseries);
    if (r === undefined) continue;
    const name = lineName(runs, run, 'reward token price');
    pushUnique(domain, name);
    lines.push(...lineRows(name, run.result.timeseries.timestamp, r.price, opts));
    markers.push(...harvestMarkers(runs, run, r.price, opts));
  }
  const positive = lines.every((x) => x.v === null || (x.v as number) > 0);
  return linesWithMarkers({
    title: 'Reward token price',
    subtitle: [`Quote per reward token${positive ? ' (log scale)' : ''}; ◆ = harvest (claims sold or held at this price).`, downsampleNote(opts)],
    lines,
    markers,
    domain,
    yTitle: 'reward price (quote)',
    yFormat: ',.7~r',
    log: positive,
  });
}

function num(s: Readonly<Record<string, unknown>>, key: string): number {
  const v = s[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** The PnL split's terms of a summary, in order (quote; costs negative). The residual closes the sum to LP − hold. */
export function pnlSplitTerms(summary: Readonly<Record<string, unknown>>): Array<[term: string, value: number]> {
  const s = summary;
  const terms: Array<[string, number]> = [
    ['fees', num(s, 'feesEarned')],
    ['rewards', num(s, 'rewardsEarned')],
    ['IL', num(s, 'impermanentLoss') * num(s, 'holdValue')],
    ['−gas', -num(s, 'gasCost')],
    ['−reward slippage', -num(s, 'rewardSlippage')],
    ['−vault fees', -(num(s, 'performanceFees') + num(s, 'callerFees'))],
  ];
  const sum = terms.reduce((a, [, v]) => a + v, 0);
  const actual = num(s, 'vsHold');
  terms.push(['token price moves after earning', actual - sum], ['= LP − hold', actual], ['−LVR (beside)', -num(s, 'lvr')]);
  return terms;
}

/** The longest line of a PnL split term's axis label (a longer term is wrapped at its spaces). */
export const TERM_LABEL_LINE = 18;

/** A term as its axis label's lines: words joined while the line stays within {@link TERM_LABEL_LINE} characters. */
export function termLabelLines(term: string): string[] {
  const lines: string[] = [];
  for (const word of term.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= TERM_LABEL_LINE) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The axis labels of the terms that wrap, as a vega expression (`{}` when none does). */
function termLabelExpr(terms: readonly string[]): { labelExpr?: string } {
  const wrapped = terms.map((t) => [t, termLabelLines(t)] as const).filter(([, lines]) => lines.length > 1);
  if (wrapped.length === 0) return {};
  return { labelExpr: wrapped.reduceRight((rest, [t, lines]) => `datum.value === ${JSON.stringify(t)} ? ${JSON.stringify(lines)} : ${rest}`, 'datum.label') };
}

/**
 * The PnL split at the end of each run with rewards, as bars (quote units): fees + rewards + IL − gas − reward
 * slippage − vault fees, the residual (fee and reward tokens held after they were earned move with their prices),
 * the actual LP − hold they add up to, and LVR beside (the same adverse selection as IL, measured another way: not
 * added).
 */
export function pnlSplitChart(runs: readonly ReportRun[], _opts: ChartOptions = {}): TopLevelSpec {
  const rows: ChartRow[] = [];
  const domain: string[] = [];
  const terms: string[] = [];
  for (const run of runs) {
    if (!hasRewards(run)) continue;
    const series = runs.length > 1 ? run.label : 'PnL split';
    pushUnique(domain, series);
    for (const [term, v] of pnlSplitTerms(run.result.summary as unknown as Record<string, unknown>)) {
      pushUnique(terms, term);
      rows.push({ term, series, v: chartNumber(v) });
    }
  }
  return {
    ...specFrame('PnL split vs hold', [
      'At the end, quote units: fees + rewards + IL − gas − reward slippage − vault fees; the residual is the later price change of fee and reward tokens held.',
      'They add up to LP − hold. LVR is shown beside IL, never added to it (the same loss measured two ways).',
    ]),
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      // the terms in full, never cut to "token price moves aft…": a long one on two lines (labelLimit 0: no limit)
      x: { field: 'term', type: 'nominal', title: null, sort: [...terms], axis: { labelAngle: -20, labelLimit: 0, ...termLabelExpr(terms) } },
      xOffset: { field: 'series', type: 'nominal', sort: [...domain] },
      y: { field: 'v', type: 'quantitative', title: 'quote', axis: { format: ',.7~r' } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...domain] }, sort: [...domain], legend: domain.length > 1 ? {} : null },
      tooltip: [
        { field: 'series', type: 'nominal', title: 'run' },
        { field: 'term', type: 'nominal', title: 'term' },
        { field: 'v', type: 'quantitative', title: 'quote', format: ',.2f' },
      ],
    },
  };
}
