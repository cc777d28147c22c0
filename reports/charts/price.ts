import type { TopLevelSpec } from 'vega-lite';
import { changeIndices, chartNumber } from '../downsample.ts';
import type { ChartOptions, ReportRun } from '../model.ts';
import { downsampleNote, lineName, lineRows, lineTooltip, maxPointsOf, pushUnique, specFrame, timeX, type ChartRow } from './common.ts';

/**
 * Prices on a log axis: over a long run (ETH from 80 to 4,800) a linear axis squeezes a ±5 % range at low prices
 * into a pixel; on a log axis every ±W % band has the same height wherever the price is.
 */
const PRICE_SCALE = { type: 'log' as const };

type Layer = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Event kinds drawn as markers on the price chart (collect and swap are too frequent to be useful there). */
const MARKER_KINDS = ['mint', 'burn', 'rebalance'] as const;

/**
 * Market price vs pool price, the LP's range as a band (columns rangeLower/rangeUpper, drawn step-after from
 * the rows where the range changes; NaN = no range / full range = no band), and markers at LP events
 * (mint, burn, rebalance). More than `maxPoints` markers per run are thinned to every k-th (first and last kept).
 * The price axis is logarithmic and the time axis zooms (wheel or drag) so the band stays visible on long runs.
 */
export function priceChart(runs: readonly ReportRun[], opts: ChartOptions = {}): TopLevelSpec {
  const maxPoints = maxPointsOf(opts);
  const lines: ChartRow[] = [];
  const band: ChartRow[] = [];
  const markers: ChartRow[] = [];
  const domain: string[] = [];
  for (const run of runs) {
    const ts = run.result.timeseries;
    const market = lineName(runs, run, 'market price');
    const pool = lineName(runs, run, 'pool price');
    pushUnique(domain, market);
    pushUnique(domain, pool);
    lines.push(...lineRows(market, ts.timestamp, ts.price, opts));
    lines.push(...lineRows(pool, ts.timestamp, ts.poolPrice, opts));
    const rangeName = lineName(runs, run, 'LP range');
    const runBand: ChartRow[] = [];
    for (const i of changeIndices(ts.rangeLower, ts.rangeUpper, maxPoints)) {
      const lo = chartNumber(ts.rangeLower[i]!);
      const hi = chartNumber(ts.rangeUpper[i]!);
      const ok = lo !== null && hi !== null;
      runBand.push({ t: ts.timestamp[i]!, series: rangeName, lo: ok ? lo : null, hi: ok ? hi : null });
    }
    if (runBand.some((r) => r.lo !== null)) {
      pushUnique(domain, rangeName);
      band.push(...runBand);
    }
    const events = run.result.events.filter((e) => (MARKER_KINDS as readonly string[]).includes(e.kind));
    const step = Math.max(1, Math.ceil(events.length / maxPoints));
    events.forEach((e, k) => {
      if (k % step === 0 || k === events.length - 1) {
        markers.push({ t: e.timestampMs, series: lineName(runs, run, e.kind), v: chartNumber(e.price) });
      }
    });
  }
  for (const r of markers) pushUnique(domain, String(r.series));
  const sub = [
    'Market vs pool price (quote per base), LP range band, and LP events. Log scale: a ±W % range has the same height at every price.',
    `${downsampleNote(opts)}; scroll or drag to zoom the time axis, double-click to reset`,
  ];
  const bandLayer: Layer = {
    data: { values: band },
    mark: { type: 'area', interpolate: 'step-after', opacity: 0.3, invalid: 'break-paths-show-domains' },
    encoding: {
      y: { field: 'lo', type: 'quantitative', title: 'price (quote per base, log scale)', scale: PRICE_SCALE },
      y2: { field: 'hi' },
    },
  };
  const lineLayer: Layer = {
    data: { values: lines },
    params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }],
    mark: { type: 'line', strokeWidth: 1.2, invalid: 'break-paths-show-domains' },
    encoding: {
      y: { field: 'v', type: 'quantitative', title: 'price (quote per base, log scale)', scale: PRICE_SCALE },
      tooltip: lineTooltip('price', ',.7~r'),
    },
  };
  const markerLayer: Layer = {
    data: { values: markers },
    mark: { type: 'point', shape: 'triangle-up', filled: true, size: 40 },
    encoding: {
      y: { field: 'v', type: 'quantitative' },
      tooltip: lineTooltip('price', ',.7~r'),
    },
  };
  return {
    ...specFrame('Price and LP range', sub),
    encoding: {
      x: timeX(),
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: [...domain] }, sort: [...domain] },
    },
    // a layer with no rows (no range on a v2 or full-range run, no LP events for hold) is left out: vega warns of an
    // infinite extent for each field of an empty layer
    layer: [...(band.length === 0 ? [] : [bandLayer]), lineLayer, ...(markers.length === 0 ? [] : [markerLayer])],
  };
}
