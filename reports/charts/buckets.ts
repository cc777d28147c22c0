/**
 * Calendar buckets for bar charts: UTC days, or UTC weeks starting Monday when the span is longer than
 * {@link DAILY_MAX_DAYS} days.
 */
export const DAY_MS = 86_400_000;
export const DAILY_MAX_DAYS = 120;

export interface Bucketing {
  readonly period: 'day' | 'week';
  readonly periodMs: number;
}

export function chooseBucketing(firstMs: number, lastMs: number): Bucketing {
  return (lastMs - firstMs) / DAY_MS <= DAILY_MAX_DAYS ? { period: 'day', periodMs: DAY_MS } : { period: 'week', periodMs: 7 * DAY_MS };
}

/** Start (unix ms) of the UTC day or Monday-based UTC week holding `t`. 1970-01-01 was a Thursday. */
export function bucketStart(t: number, b: Bucketing): number {
  const day = Math.floor(t / DAY_MS);
  if (b.period === 'day') return day * DAY_MS;
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return (day - sinceMonday) * DAY_MS;
}

/** Consecutive row ranges [start, end) falling in the same bucket, in time order. */
export function bucketRanges(t: ArrayLike<number>, b: Bucketing): Array<{ startMs: number; from: number; to: number }> {
  const out: Array<{ startMs: number; from: number; to: number }> = [];
  const n = t.length;
  let i = 0;
  while (i < n) {
    const s = bucketStart(t[i]!, b);
    const next = s + b.periodMs;
    let j = i + 1;
    // rows j stay in the bucket while s <= t[j] < s + period (false for NaN, which gets a bucket of its own)
    while (j < n && t[j]! >= s && t[j]! < next) j++;
    out.push({ startMs: s, from: i, to: j });
    i = j;
  }
  return out;
}
