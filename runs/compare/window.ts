import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { ConfigError } from '../../sim/core/errors.ts';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The rows of `series` with `fromMs` ≤ timestamp ≤ `toMs` (either bound may be undefined = open), as a new series
 * with the same extra columns. Provenance keeps the file and its sha256 and records the window in `params`.
 * ConfigError (naming --from / --to) when fewer than two rows remain.
 */
export function windowSeries(series: PriceSeries, fromMs: number | undefined, toMs: number | undefined): PriceSeries {
  if (fromMs === undefined && toMs === undefined) return series;
  const ts = series.timestampMs;
  let a = 0;
  if (fromMs !== undefined) while (a < series.length && ts[a]! < fromMs) a++;
  let b = series.length;
  if (toMs !== undefined) while (b > a && ts[b - 1]! > toMs) b--;
  if (b - a < 2) {
    const span = series.length > 0 ? `${iso(ts[0]!)} … ${iso(ts[series.length - 1]!)}` : 'no rows';
    throw new ConfigError(fromMs !== undefined ? '--from' : '--to', `the window keeps ${b - a} row(s) of the series (${span}); it needs at least 2`);
  }
  const extra = new Map<string, Float64Array>();
  for (const [k, v] of series.extra) extra.set(k, v.slice(a, b));
  const { rows: _r, firstTimestampMs: _f, lastTimestampMs: _l, ...prov } = series.provenance;
  return makeSeries(ts.slice(a, b), series.price.slice(a, b), extra, {
    ...prov,
    params: { ...(prov.params ?? {}), ...(fromMs === undefined ? {} : { from: iso(fromMs) }), ...(toMs === undefined ? {} : { to: iso(toMs) }) },
  });
}
