import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { loadSeries } from '../loadSeries.ts';
import { applyGapPolicy, GapError, resampleSeries } from './seriesTransforms.ts';

/**
 * The gap error's hint (data/loaders/seriesTransforms.ts gapHint) says what would make the series evenly spaced: --gaps
 * ffill only when every step is a whole number of intervals (it fills whole missing steps, and leaves off-grid rows
 * where they are); otherwise --resample to the interval, with --gaps ffill when that leaves empty buckets.
 */

const T0 = Date.UTC(2024, 0, 1);
const M = 60_000;
const H = 3_600_000;

function series(ts: number[]): PriceSeries {
  return makeSeries(Float64Array.from(ts), Float64Array.from(ts.map((_, i) => 100 + i)), new Map(), { kind: 'csv', file: 'p.csv', sha256: 'x' });
}

function gapMessage(s: PriceSeries): string {
  try {
    applyGapPolicy(s, 'error');
  } catch (err) {
    expect(err).toBeInstanceOf(GapError);
    return (err as GapError).message;
  }
  throw new Error('no gap error');
}

/** Whether the series is evenly spaced after the hinted flags: --resample (when hinted), then the gap policy. */
function regularAfter(s: PriceSeries, resampleMs: number | undefined, gaps: 'ffill' | 'error'): boolean {
  const r = resampleMs === undefined ? s : resampleSeries(s, resampleMs);
  const filled = applyGapPolicy(r, gaps);
  try {
    applyGapPolicy(filled, 'error');
    return true;
  } catch {
    return false;
  }
}

// hourly rows on the hour, then 9 hours missing, then hourly rows at :28 (a feed that moved its candles), then on the hour again
const OFF_GRID = [0, 1, 2, 3, 4, 5].map((h) => T0 + h * H).concat([15, 16, 17, 18, 19, 20].map((h) => T0 + h * H + 28 * M), [21, 22, 23].map((h) => T0 + h * H));

describe('the gap error suggests only what would make the series evenly spaced', () => {
  it('error: steps that are whole numbers of the interval: --gaps ffill fills them (the text as before), and it does', () => {
    const s = series([T0, T0 + H, T0 + 4 * H, T0 + 5 * H]);
    expect(gapMessage(s)).toBe(
      "p.csv: timestamp: rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps, --gaps ffill fills them); was a step of 3h from 2024-01-01T01:00:00.000Z to 2024-01-01T04:00:00.000Z, 2 missing rows",
    );
    expect(regularAfter(s, undefined, 'ffill')).toBe(true);
  });

  it('error: off-grid rows: not "ffill fills them" (ffill leaves the 28m and 32m steps) but --resample 1h --gaps ffill, which makes it even', () => {
    const s = series(OFF_GRID);
    expect(regularAfter(s, undefined, 'ffill')).toBe(false); // what the old hint promised
    expect(gapMessage(s)).toBe(
      "p.csv: timestamp: rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps; --gaps ffill fills whole missing steps only, and would leave this step (no whole number of 1h): --resample 1h --gaps ffill puts the rows on an even 1h grid); was a step of 10h 28m from 2024-01-01T05:00:00.000Z to 2024-01-01T15:28:00.000Z",
    );
    expect(regularAfter(s, H, 'ffill')).toBe(true);
  });

  it('error: the first irregular step a whole number of hours, an off-grid one later: that later step is named', () => {
    const s = series([T0, T0 + H, T0 + 3 * H, T0 + 4 * H, T0 + 5 * H + 28 * M, T0 + 6 * H + 28 * M, T0 + 7 * H + 28 * M]);
    expect(gapMessage(s)).toBe(
      "p.csv: timestamp: rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps; --gaps ffill fills whole missing steps only, and would leave the step of 1h 28m from 2024-01-01T04:00:00.000Z to 2024-01-01T05:28:00.000Z (no whole number of 1h): --resample 1h --gaps ffill puts the rows on an even 1h grid); was a step of 2h from 2024-01-01T01:00:00.000Z to 2024-01-01T03:00:00.000Z, 1 missing row",
    );
    expect(regularAfter(s, H, 'ffill')).toBe(true);
  });

  it('error: off-grid rows with no hour missing: --resample 1h alone, which makes it even', () => {
    const s = series([T0, T0 + H, T0 + 2 * H, T0 + 3 * H + 28 * M, T0 + 4 * H + 28 * M, T0 + 5 * H + 28 * M, T0 + 6 * H, T0 + 7 * H]);
    expect(gapMessage(s)).toMatch(/; --gaps skip accepts gaps; --gaps ffill fills whole missing steps only, and would leave this step \(no whole number of 1h\): --resample 1h puts the rows on an even 1h grid\); was a step of 1h 28m /);
    expect(regularAfter(s, H, 'error')).toBe(true);
  });

  it('error: an interval in a unit --resample reads (90m), not formatDuration\'s "1h 30m"', () => {
    const step = 90 * M;
    const s = series([0, 1, 2, 3, 4].map((k) => T0 + k * step).concat([T0 + 4 * step + 20 * M, T0 + 5 * step + 20 * M, T0 + 6 * step + 20 * M]));
    expect(gapMessage(s)).toContain('--resample 90m puts the rows on an even 1h 30m grid');
  });

  const CEX = resolve(process.cwd(), '../shared/data/cex_hourly_2021/binance_ETH_USDT-1h.json');
  it.skipIf(!existsSync(CEX))('error: the Binance JSON with +28m candles (2018-02-09…11) suggests --resample 1h --gaps ffill, and that loads evenly spaced', async () => {
    const err = await loadSeries(CEX, {}).then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toBe(
      `${CEX}: row 493: timestamp: rows must be evenly spaced every 1h (the series' most common step; --gaps skip accepts gaps; --gaps ffill fills whole missing steps only, and would leave the step of 1d 9h 28m 14.8s from 2018-02-08T00:00:00.000Z to 2018-02-09T09:28:14.800Z (no whole number of 1h): --resample 1h --gaps ffill puts the rows on an even 1h grid); was a step of 8h from 2017-09-06T15:00:00.000Z to 2017-09-06T23:00:00.000Z, 7 missing rows`,
    );
    const fixed = await loadSeries(CEX, { resample: '1h', gaps: 'ffill' });
    expect(() => applyGapPolicy(fixed, 'error')).not.toThrow();
  });
});
