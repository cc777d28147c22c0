import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { daysInMonth } from '../../sim/core/time.ts';
import { UNIX_SECONDS_LIMIT } from './timestamps.ts';

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

/**
 * When `text`, a number read as unix seconds, is at or past {@link UNIX_SECONDS_LIMIT} (after the year 5000: a time
 * in milliseconds, most likely), what is wrong with it — `1640995200000 reads as a time after the year 5000:
 * milliseconds? (1640995200 in seconds)`, the words of runs/incentives/programFile.ts — else undefined.
 */
export function secondsLookLikeMilliseconds(text: string): string | undefined {
  const n = Number(text);
  return n >= UNIX_SECONDS_LIMIT ? `${text} reads as a time after the year 5000: milliseconds? (${Math.floor(n / 1000)} in seconds)` : undefined;
}

/**
 * A `--from` / `--to` bound in unix ms: ISO-8601 (`2022-01-01`, `2022-01-01T12:00:00Z`) or unix seconds. A bare date
 * as `--to` means the whole day (to 23:59:59.999 UTC), so `--from 2022-01-01 --to 2022-12-31` is the year 2022.
 * A number past the year 5000 in seconds is refused as milliseconds ({@link secondsLookLikeMilliseconds}).
 */
export function windowBoundMs(value: string | number, bound: 'from' | 'to'): number {
  const flag = bound === 'from' ? '--from' : '--to';
  const s = String(value).trim();
  let ms: number;
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const problem = secondsLookLikeMilliseconds(s);
    if (problem !== undefined) throw new ConfigError(flag, problem);
    ms = Number(s) * 1000;
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    ms = Date.parse(`${s}T00:00:00Z`);
    if (bound === 'to' && Number.isFinite(ms)) ms += 86_400_000 - 1;
  } else ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`);
  if (!Number.isFinite(ms)) throw new ConfigError(flag, `must be an ISO-8601 date or time (2022-01-01, 2022-01-01T12:00:00Z) or unix seconds; was ${JSON.stringify(value)}`);
  // Date.parse rolls a day past the month's end over (2023-02-30 is read as 2023-03-02): such a date is refused
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (ymd !== null && Number(ymd[3]) > daysInMonth(Number(ymd[1]), Number(ymd[2]))) {
    throw new ConfigError(flag, `must be a real date; ${ymd[0]} has no day ${Number(ymd[3])}`);
  }
  return ms;
}
