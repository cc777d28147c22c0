/**
 * Display downsampling. Method: **min/max per bucket** (a variant of M4, Jugel et al., VLDB 2014). The rows
 * are cut into equal-count index buckets; from each bucket we keep the row of its minimum and the row of its
 * maximum (in time order), plus the first non-finite row of the bucket so gaps stay visible, plus the very
 * first and last rows. Extremes (e.g. the deepest drawdown) therefore survive exactly. Tables and metrics use
 * the full data; only chart lines are downsampled. Deterministic: ties keep the earliest row.
 */
export function minMaxIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length;
  if (!Number.isInteger(maxPoints) || maxPoints < 5) throw new RangeError(`maxPoints must be an integer >= 5; was ${maxPoints}`);
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  // Each bucket yields at most 3 rows (min, max, first non-finite); 2 more for the ends.
  const buckets = Math.floor((maxPoints - 2) / 3);
  const keep = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let iMin = -1;
    let iMax = -1;
    let iGap = -1;
    for (let i = start; i < end; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        if (iGap < 0) iGap = i;
        continue;
      }
      if (iMin < 0 || v < values[iMin]!) iMin = i;
      if (iMax < 0 || v > values[iMax]!) iMax = i;
    }
    for (const i of [iMin, iMax, iGap]) if (i >= 0) keep.add(i);
  }
  return [...keep].sort((a, b) => a - b);
}

/**
 * Rows where a piecewise-constant pair of columns (e.g. a range's lower/upper price) changes, plus the first
 * and last rows: with step-after interpolation these redraw the band exactly. NaN counts as a value (a gap).
 * When there are more than `maxPoints` change rows, falls back to {@link minMaxIndices} over `a`.
 */
export function changeIndices(a: ArrayLike<number>, b: ArrayLike<number>, maxPoints: number): number[] {
  const n = a.length;
  if (n === 0) return [];
  const same = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));
  const out = [0];
  for (let i = 1; i < n; i++) if (!same(a[i]!, a[i - 1]!) || !same(b[i]!, b[i - 1]!)) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out.length <= maxPoints ? out : minMaxIndices(a, maxPoints);
}

/**
 * A number for chart data: 7 significant digits (plenty for a few-hundred-pixel axis, and it keeps the
 * inlined JSON small), `null` for non-finite values (JSON has no NaN; vega-lite breaks the line there).
 */
export function chartNumber(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(7));
}
