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
 * When `text` is a bare four-digit number (`2024`), why it is refused — it reads as unix seconds (1970-01-01T00:33:44Z),
 * and the window would keep no row of any real series, where a year was almost certainly meant — else undefined.
 */
export function bareYear(text: string, bound: 'from' | 'to'): string | undefined {
  if (!/^\d{4}$/.test(text)) return undefined;
  const asDate = bound === 'from' ? `${text}-01-01` : `${text}-12-31 (a bare date as --to is the whole day)`;
  return `${text} is ambiguous: a year or ${text} unix seconds (${compactIso(Number(text) * 1000)})? give a date, e.g. ${asDate}, or unix seconds with more digits`;
}

/** `2024-01-01T00:00:00Z`: ISO-8601 without the milliseconds when they are 0. */
export function compactIso(ms: number): string {
  return iso(ms).replace('.000Z', 'Z');
}

/**
 * A `--from` / `--to` bound in unix ms: ISO-8601 (`2022-01-01`, `2022-01-01T12:00:00Z`) or unix seconds. A bare date
 * as `--to` means the whole day (to 23:59:59.999 UTC), so `--from 2022-01-01 --to 2022-12-31` is the year 2022.
 * A number past the year 5000 in seconds is refused as milliseconds ({@link secondsLookLikeMilliseconds}), and a
 * bare four-digit number as a year given without its month and day ({@link bareYear}).
 */
export function windowBoundMs(value: string | number, bound: 'from' | 'to'): number {
  const flag = bound === 'from' ? '--from' : '--to';
  const s = String(value).trim();
  let ms: number;
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const year = bareYear(s, bound);
    if (year !== undefined) throw new ConfigError(flag, year);
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

/** The median of the first (`atEnd` false) or last `k` steps of `ts` (ms); undefined with fewer than 2 rows. */
function edgeSpacingMs(ts: Float64Array, atEnd: boolean, k = 100): number | undefined {
  const n = ts.length;
  if (n < 2) return undefined;
  const m = Math.min(k, n - 1);
  const d = new Float64Array(m);
  for (let j = 0; j < m; j++) d[j] = atEnd ? ts[n - 1 - j]! - ts[n - 2 - j]! : ts[j + 1]! - ts[j]!;
  d.sort();
  return d[(m - 1) >> 1]!;
}

/** A duration for a message: `365 days`, `5.5 hours`, `12 minutes`, `40 s`. */
function duration(ms: number): string {
  const trim = (x: number): string => String(Number(x.toFixed(1)));
  if (ms >= 2 * 86_400_000) return `${trim(ms / 86_400_000)} days`;
  if (ms >= 2 * 3_600_000) return `${trim(ms / 3_600_000)} hours`;
  if (ms >= 2 * 60_000) return `${trim(ms / 60_000)} minutes`;
  return `${trim(ms / 1000)} s`;
}

/**
 * What a `--from` / `--to` window wider than the data did to the run, as warnings: the window is recorded in the
 * series' provenance (`params.from` / `params.to`, by {@link windowSeries}), and when the series' first row comes
 * after `from` by more than two of its usual steps (the median of its first 100) and more than 1 % of the window,
 * or its last row that much before `to`, the run is shorter than the window asked for — said with the data's first
 * (last) time. Empty otherwise.
 */
export function windowCoverageWarnings(series: PriceSeries): string[] {
  const params = series.provenance.params ?? {};
  const n = series.length;
  if (n < 2) return [];
  const ts = series.timestampMs;
  const out: string[] = [];
  const from = typeof params['from'] === 'string' ? Date.parse(params['from']) : NaN;
  const to = typeof params['to'] === 'string' ? Date.parse(params['to']) : NaN;
  const first = ts[0]!;
  const last = ts[n - 1]!;
  // a shortfall of a step or two is how rows fall on a window; so is one under 1 % of the window (the first swap of a day)
  const span = (Number.isFinite(to) ? to : last) - (Number.isFinite(from) ? from : first);
  const startTolerance = Math.max(2 * edgeSpacingMs(ts, false)!, span / 100);
  const endTolerance = Math.max(2 * edgeSpacingMs(ts, true)!, span / 100);
  if (Number.isFinite(from) && first - from > startTolerance) {
    out.push(`the data starts at ${compactIso(first)}, ${duration(first - from)} after --from ${compactIso(from)}: the run starts there`);
  }
  if (Number.isFinite(to) && to - last > endTolerance) {
    out.push(`the data ends at ${compactIso(last)}, ${duration(to - last)} before --to ${compactIso(to)}: the run ends there`);
  }
  return out;
}
