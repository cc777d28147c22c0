/**
 * Transforms applied after loading: gap policy, resampling to a coarser interval, and pair derivation.
 * Pure functions over {@link PriceSeries}; each returns a new series (inputs are not modified).
 */
import { createHash } from 'node:crypto';
import { ConfigError, InputError } from '../../sim/core/errors.ts';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { mostCommonStep } from '../../sim/core/time.ts';
import { Float64Builder } from './columnBuilder.ts';
import { isoForMessage } from './timestamps.ts';

/** What to do where consecutive rows are not exactly one interval apart. */
export type GapPolicy = 'error' | 'skip' | 'ffill';
export const GAP_POLICIES: readonly GapPolicy[] = ['error', 'skip', 'ffill'];

/** `90061500` → `1d 1h 1m 1.5s`; `3600000` → `1h`. */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) {
    const k = Math.floor(rest / size);
    if (k > 0) parts.push(`${k}${unit}`);
    rest -= k * size;
  }
  if (rest > 0 || parts.length === 0) parts.push(`${Number((rest / 1000).toFixed(3))}s`);
  return sign + parts.join(' ');
}

/** Parses an interval such as `1m`, `5m`, `1h`, `4h`, `1d`, `30s`, `1w` (or a number of ms) to milliseconds. */
export function parseInterval(text: string | number, flag = '--resample'): number {
  if (typeof text === 'number') {
    if (Number.isSafeInteger(text) && text > 0) return text;
    throw new ConfigError(flag, `must be a positive whole number of milliseconds or an interval like 1m, 1h, 1d; was ${text}`);
  }
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  const k = m === null ? Number.NaN : Number(m[1]);
  if (m === null || !(k > 0)) throw new ConfigError(flag, `must be an interval like 1m, 5m, 1h, 4h, 1d (units ms, s, m, h, d, w); was ${JSON.stringify(text)}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'];
  return k * unit;
}

/** The most common step between consecutive timestamps (ties: the smallest); undefined for < 2 rows. */
export function inferIntervalMs(series: PriceSeries): number | undefined {
  return mostCommonStep(series.timestampMs);
}

/** Flow columns (traded quantities per row): summed when resampling, 0 in filled rows. */
function isVolumeLike(name: string): boolean {
  return /volume|amount/i.test(name);
}

/**
 * The step refused by the gap policy `error`: `<file>: timestamp: rows must be evenly spaced …; was a step of … from
 * <fromMs> to <toMs>`. The series' rows know no lines (an index into it, after a cache hit, --from/--to, resampling or
 * a --pair's rows only, is no line of the file): {@link loadSeries} finds the line of the row at `toMs` in the file
 * and throws this error's problem again as `<file>:<line>: <time column>: …` (data/loadSeries.ts `locateGap`).
 */
export class GapError extends InputError {
  /** The times of the two rows either side of the step (unix ms). */
  readonly fromMs: number;
  readonly toMs: number;
  constructor(file: string, problem: string, fromMs: number, toMs: number) {
    super(file, undefined, 'timestamp', problem);
    this.fromMs = fromMs;
    this.toMs = toMs;
  }
}

/**
 * What would make the series `t` evenly spaced every `interval`, for the gap error about its step `at` (the first that is
 * not one interval). `--gaps ffill` adds rows only inside a step that is a whole number of intervals: when every step
 * is one, it makes the series regular; when one is not (rows off the grid, e.g. hourly candles at :28 after ones at
 * :00), it leaves that step, and --resample to the interval (buckets aligned to the epoch) puts every row on the grid,
 * with --gaps ffill when that leaves empty buckets.
 */
function gapHint(t: Float64Array, interval: number, at: number): string {
  let off = -1;
  let minStep = Infinity;
  for (let i = 1; i < t.length; i++) {
    const d = t[i]! - t[i - 1]!;
    minStep = Math.min(minStep, d);
    if (off < 0 && (d <= 0 || d % interval !== 0)) off = i;
  }
  if (off < 0) return '--gaps skip accepts gaps, --gaps ffill fills them';
  const step = off === at ? 'this step' : `the step of ${formatDuration(t[off]! - t[off - 1]!)} from ${isoForMessage(t[off - 1]!)} to ${isoForMessage(t[off]!)}`;
  const leaves = `--gaps ffill fills whole missing steps only, and would leave ${step} (no whole number of ${formatDuration(interval)})`;
  // --resample cannot make rows finer than the series' shortest step (seriesTransforms resampleSeries)
  if (!(interval >= minStep)) return `--gaps skip accepts gaps; ${leaves}`;
  let empty = false;
  for (let i = 1; i < t.length && !empty; i++) empty = Math.floor(t[i]! / interval) - Math.floor(t[i - 1]! / interval) > 1;
  return `--gaps skip accepts gaps; ${leaves}: --resample ${intervalFlag(interval)}${empty ? ' --gaps ffill' : ''} puts the rows on an even ${formatDuration(interval)} grid`;
}

/** An interval as --resample reads it, in its largest whole unit: 3600000 → `1h`, 5400000 → `90m`. */
function intervalFlag(ms: number): string {
  for (const [unit, size] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * Applies the gap policy with the series' interval (given, else {@link inferIntervalMs}):
 * - `error`: the first step that is not exactly one interval is a {@link GapError} naming its start, end and length;
 * - `skip`: the series is returned as it is (gaps stay gaps);
 * - `ffill`: each gap is filled with rows every interval after its start (while before its end): price and
 *   any other column carried forward from the row before the gap, except `open`/`high`/`low`/`close`, which
 *   are set to the carried price (a flat candle), and flow columns (name contains "volume" or "amount"), set to 0.
 *   Steps shorter than the interval (off-grid rows) are kept as they are.
 */
export function applyGapPolicy(series: PriceSeries, policy: GapPolicy, options: { file?: string; intervalMs?: number } = {}): PriceSeries {
  if (policy === 'skip' || series.length < 2) return series;
  const interval = options.intervalMs ?? inferIntervalMs(series)!;
  const file = options.file ?? series.provenance.file ?? '(series)';
  const t = series.timestampMs;
  if (policy === 'error') {
    for (let i = 1; i < t.length; i++) {
      const d = t[i]! - t[i - 1]!;
      if (d !== interval) {
        const missing = d > interval && d % interval === 0 ? `, ${d / interval - 1} missing row${d / interval - 1 === 1 ? '' : 's'}` : '';
        throw new GapError(
          file,
          `rows must be evenly spaced every ${formatDuration(interval)} (the series' ${options.intervalMs === undefined ? 'most common ' : ''}step; ${gapHint(t, interval, i)}); ` +
            `was a step of ${formatDuration(d)} from ${isoForMessage(t[i - 1]!)} to ${isoForMessage(t[i]!)}${missing}`,
          t[i - 1]!,
          t[i]!,
        );
      }
    }
    return series;
  }
  if (policy !== 'ffill') throw new ConfigError('--gaps', `must be one of ${GAP_POLICIES.join(', ')}; was ${String(policy)}`);
  const names = [...series.extra.keys()];
  const cols = names.map((k) => series.extra.get(k)!);
  const kinds = names.map((k) => (/^(open|high|low|close)$/i.test(k) ? 'ohlc' : isVolumeLike(k) ? 'volume' : 'carry'));
  const ts = new Float64Builder(t.length + 16);
  const price = new Float64Builder(t.length + 16);
  const out = names.map(() => new Float64Builder(t.length + 16));
  let filled = 0;
  for (let i = 0; i < t.length; i++) {
    if (i > 0) {
      const prevT = t[i - 1]!;
      const prevP = series.price[i - 1]!;
      for (let x = prevT + interval; x < t[i]!; x += interval) {
        ts.push(x);
        price.push(prevP);
        for (let c = 0; c < cols.length; c++) out[c]!.push(kinds[c] === 'ohlc' ? prevP : kinds[c] === 'volume' ? 0 : cols[c]![i - 1]!);
        filled++;
      }
    }
    ts.push(t[i]!);
    price.push(series.price[i]!);
    for (let c = 0; c < cols.length; c++) out[c]!.push(cols[c]![i]!);
  }
  if (filled === 0) return series;
  const extra = new Map<string, Float64Array>();
  names.forEach((k, c) => extra.set(k, out[c]!.finish()));
  return makeSeries(ts.finish(), price.finish(), extra, {
    ...series.provenance,
    params: { ...series.provenance.params, gaps: 'ffill', gapIntervalMs: interval, filledRows: filled },
  });
}

/**
 * Resamples to `intervalMs` buckets aligned to the unix epoch (so `1d` buckets start at 00:00 UTC), labelled
 * by bucket start (open time). OHLC-aware: price = close = last price in the bucket; `open` = first open (or
 * first price), `high` = max high (or price), `low` = min low (or price) — these three are always present in
 * the result; other columns whose name starts with `open` / `high` / `low` (e.g. `openTick`, `highestTick`)
 * take the first / max / min too; flow columns (name contains "volume" or "amount", e.g. `volumefrom`,
 * `inAmount0`) are summed; any other column takes its last value.
 * Empty buckets produce no row (apply a gap policy afterwards).
 */
export function resampleSeries(series: PriceSeries, intervalMs: number): PriceSeries {
  if (!(Number.isSafeInteger(intervalMs) && intervalMs > 0)) throw new ConfigError('--resample', `must be a positive whole number of milliseconds; was ${intervalMs}`);
  // resampling aggregates rows into buckets; with buckets shorter than every step between rows no two rows share
  // one, so nothing would be aggregated (a daily file at --resample 1h is the same daily file)
  const t0 = series.timestampMs;
  let minStep = Infinity;
  for (let i = 1; i < t0.length; i++) minStep = Math.min(minStep, t0[i]! - t0[i - 1]!);
  if (intervalMs < minStep && Number.isFinite(minStep)) {
    throw new ConfigError('--resample', `${formatDuration(intervalMs)} is finer than every step between the series' rows (the shortest: ${formatDuration(minStep)}${series.provenance.file === undefined ? '' : ` in ${series.provenance.file}`}): resampling only aggregates rows, it cannot make new ones (--gaps ffill fills missing rows at the series' step)`);
  }
  const src = series.extra;
  const names = [...new Set([...src.keys(), 'open', 'high', 'low'])].sort();
  type Agg = 'first' | 'max' | 'min' | 'sum' | 'last';
  const agg = (k: string): Agg => (/^open/i.test(k) ? 'first' : /^high/i.test(k) ? 'max' : /^low/i.test(k) ? 'min' : isVolumeLike(k) ? 'sum' : 'last');
  const inputs = names.map((k) => src.get(k) ?? series.price);
  const aggs = names.map(agg);
  const ts = new Float64Builder(1024);
  const price = new Float64Builder(1024);
  const out = names.map(() => new Float64Builder(1024));
  const acc = new Float64Array(names.length);
  let bucket = Number.NaN;
  let lastPrice = 0;
  const flush = (): void => {
    ts.push(bucket);
    price.push(lastPrice);
    for (let c = 0; c < names.length; c++) out[c]!.push(acc[c]!);
  };
  const t = series.timestampMs;
  for (let i = 0; i < t.length; i++) {
    const b = Math.floor(t[i]! / intervalMs) * intervalMs;
    if (b !== bucket) {
      if (!Number.isNaN(bucket)) flush();
      bucket = b;
      for (let c = 0; c < names.length; c++) acc[c] = inputs[c]![i]!;
    } else {
      for (let c = 0; c < names.length; c++) {
        const v = inputs[c]![i]!;
        const a = aggs[c];
        if (a === 'max') acc[c] = Math.max(acc[c]!, v);
        else if (a === 'min') acc[c] = Math.min(acc[c]!, v);
        else if (a === 'sum') acc[c] = acc[c]! + v;
        else if (a === 'last') acc[c] = v;
      }
    }
    lastPrice = series.price[i]!;
  }
  if (!Number.isNaN(bucket)) flush();
  const extra = new Map<string, Float64Array>();
  names.forEach((k, c) => extra.set(k, out[c]!.finish()));
  return makeSeries(ts.finish(), price.finish(), extra, {
    ...series.provenance,
    params: { ...series.provenance.params, resampleMs: intervalMs },
  });
}

/**
 * Derives a cross pair on matching timestamps: `numerator` is BASE/X and `denominator` is QUOTE/X (same X),
 * the result is BASE/QUOTE = numerator ÷ denominator (e.g. BTC/ETH = BTC/USD ÷ ETH/USD). Rows whose
 * timestamp is in only one input are dropped. Extra columns are not carried (volumes do not combine).
 */
export function derivePair(numerator: PriceSeries, denominator: PriceSeries): PriceSeries {
  const a = numerator.timestampMs;
  const b = denominator.timestampMs;
  const ts = new Float64Builder(Math.min(a.length, b.length) + 1);
  const price = new Float64Builder(Math.min(a.length, b.length) + 1);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) i++;
    else if (y < x) j++;
    else {
      ts.push(x);
      price.push(numerator.price[i]! / denominator.price[j]!);
      i++;
      j++;
    }
  }
  const fa = numerator.provenance.file ?? numerator.provenance.kind;
  const fb = denominator.provenance.file ?? denominator.provenance.kind;
  if (ts.length === 0) {
    throw new InputError(fb, undefined, 'timestamp', `must share at least one timestamp with ${fa} to derive a pair; none match (${isoForMessage(a[0] ?? 0)}… vs ${isoForMessage(b[0] ?? 0)}…)`);
  }
  const sha256 = createHash('sha256').update(`${numerator.provenance.sha256}/${denominator.provenance.sha256}`).digest('hex');
  return makeSeries(ts.finish(), price.finish(), new Map(), {
    kind: 'derived',
    file: `${fa} / ${fb}`,
    sha256,
    params: { numerator: fa, numeratorSha256: numerator.provenance.sha256, denominator: fb, denominatorSha256: denominator.provenance.sha256, droppedRows: a.length + b.length - 2 * ts.length },
  });
}
