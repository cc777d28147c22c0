import type { TopLevelSpec } from 'vega-lite';
import { chartNumber, minMaxIndices } from '../downsample.ts';
import { curveRatios, lpEntryPrice, positionIl, type PriceRange } from '../ilCurve.ts';
import type { ChartOptions, ReportRun } from '../model.ts';
import { maxPointsOf, pushUnique, specFrame, type ChartRow } from './common.ts';

/** One theoretical curve (and optionally a realised path) on the IL-vs-price-ratio chart. */
export interface IlCurveInput {
  /** Line name prefix; '' for a single position. */
  readonly label: string;
  /** Price at which the position was opened (ratio 1): the pool's price after the entry (see lpEntryPrice). */
  readonly entryPrice: number;
  /** Undefined for full range. */
  readonly range?: PriceRange;
  /** Realised (price, IL fraction) pairs, in time order; drawn as points over the curve. */
  readonly realised?: { readonly price: ArrayLike<number>; readonly il: ArrayLike<number> };
}

/** Points on each theoretical curve. */
const CURVE_POINTS = 241;

function describeRange(c: IlCurveInput): string {
  return c.range === undefined ? 'full range' : `range [${fmt(c.range.lower)}, ${fmt(c.range.upper)}]`;
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/**
 * Theoretical IL vs price ratio r = P/P0 of each position (full range: 2√r/(1+r) − 1; a range [pa, pb]: the
 * concentrated-liquidity curve from the v3 whitepaper amounts, see reports/ilCurve.ts), with the realised path
 * (price/P0, IL) drawn on it. Log x axis. The span covers [1/2, 2] at least, the range edges and the realised
 * path, with a 10 % margin. The realised path is downsampled by min/max of IL per bucket.
 */
export function ilCurveChart(curves: readonly IlCurveInput[], opts: ChartOptions & { title?: string } = {}): TopLevelSpec {
  let lo = 0.5;
  let hi = 2;
  for (const c of curves) {
    if (c.range !== undefined) {
      if (c.range.lower > 0) lo = Math.min(lo, (c.range.lower / c.entryPrice) * 0.8);
      if (Number.isFinite(c.range.upper)) hi = Math.max(hi, (c.range.upper / c.entryPrice) * 1.25);
    }
    const p = c.realised?.price;
    if (p !== undefined) {
      for (let i = 0; i < p.length; i++) {
        const r = p[i]! / c.entryPrice;
        if (Number.isFinite(r) && r > 0) {
          lo = Math.min(lo, r / 1.1);
          hi = Math.max(hi, r * 1.1);
        }
      }
    }
  }
  const curveRows: ChartRow[] = [];
  const pathRows: ChartRow[] = [];
  const domain: string[] = [];
  for (const c of curves) {
    const prefix = c.label === '' ? '' : `${c.label}: `;
    const curveName = `${prefix}theoretical IL, ${describeRange(c)}`;
    pushUnique(domain, curveName);
    const edges = c.range === undefined ? [] : [c.range.lower / c.entryPrice, c.range.upper / c.entryPrice];
    for (const r of curveRatios(lo, hi, CURVE_POINTS, edges)) {
      curveRows.push({ r: chartNumber(r), series: curveName, il: chartNumber(positionIl(r, c.entryPrice, c.range)) });
    }
    if (c.realised !== undefined) {
      const pathName = `${prefix}realised`;
      pushUnique(domain, pathName);
      for (const i of minMaxIndices(c.realised.il, maxPointsOf(opts))) {
        const r = c.realised.price[i]! / c.entryPrice;
        const il = c.realised.il[i]!;
        if (Number.isFinite(r) && r > 0 && Number.isFinite(il)) pathRows.push({ r: chartNumber(r), series: pathName, il: chartNumber(il) });
      }
    }
  }
  const subtitle = [
    `IL = V_LP / V_hold − 1 at price ratio r = P / P0 (no fees), P0 = the price the LP entered at (the pool's after its entry). ${curves.map((c) => `${c.label === '' ? '' : `${c.label}: `}P0 = ${fmt(c.entryPrice)}, ${describeRange(c)}`).join('; ')}.`,
  ];
  if (pathRows.length > 0) subtitle.push('Points: realised (price/P0, IL) of the run; after a rebalance the realised IL follows a new curve.');
  const x = {
    field: 'r',
    type: 'quantitative' as const,
    title: 'price ratio P / P0 (log scale)',
    scale: { type: 'log' as const, domain: [chartNumber(lo) ?? lo, chartNumber(hi) ?? hi] },
    axis: { tickCount: 8, format: '.3~g' },
  };
  const y = { field: 'il', type: 'quantitative' as const, title: 'impermanent loss', axis: { format: '.1%' } };
  const tooltip = [
    { field: 'series', type: 'nominal' as const },
    { field: 'r', type: 'quantitative' as const, title: 'P / P0', format: '.4~g' },
    { field: 'il', type: 'quantitative' as const, title: 'IL', format: '.3%' },
  ];
  return {
    ...specFrame(opts.title ?? 'Impermanent loss vs price ratio', subtitle),
    encoding: { color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...domain] }, sort: [...domain] } },
    layer: [
      { data: { values: curveRows }, mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, tooltip } },
      { data: { values: pathRows }, mark: { type: 'point', size: 6, opacity: 0.5, filled: true, clip: true }, encoding: { x, y, tooltip } },
    ],
  };
}

/**
 * The IL curve of each run's initial position: P0 = the price the LP entered at ({@link lpEntryPrice}: the pool's
 * price after the entry, not the first market price), the range from the first row's rangeLower/rangeUpper (NaN =
 * full range), with the run's realised (price, impermanentLoss) path.
 */
export function runIlCurveChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const curves: IlCurveInput[] = [];
  for (const run of runs) {
    const ts = run.result.timeseries;
    if (ts.price.length === 0) continue;
    const lower = ts.rangeLower[0]!;
    const upper = ts.rangeUpper[0]!;
    const hasRange = Number.isFinite(lower) && Number.isFinite(upper) && lower > 0 && upper > lower;
    curves.push({
      label: runs.length > 1 ? run.label : '',
      entryPrice: lpEntryPrice(ts.price[0]!, ts.poolPrice?.[0], run.result.summary.entryPriceImpact),
      ...(hasRange ? { range: { lower, upper } } : {}),
      realised: { price: ts.price, il: ts.impermanentLoss },
    });
  }
  return ilCurveChart(curves, opts);
}
