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
  // Each bucket yields at most 3 rows (min, max, first non-finite); 2 more for the ends. Buckets are in index
  // order, so appending each bucket's (sorted) picks keeps the output sorted; only index 0 can repeat.
  const buckets = Math.floor((maxPoints - 2) / 3);
  const out: number[] = [0];
  const push = (i: number): void => {
    if (i >= 0 && i !== out[out.length - 1]) out.push(i);
  };
  const picks = [-1, -1, -1];
  for (let b = 0; b < buckets; b++) {
    bucketPicks(values, Math.floor((b * n) / buckets), Math.floor(((b + 1) * n) / buckets), picks);
    let a = picks[0]!;
    let c = picks[1]!;
    let g = picks[2]!;
    if (a > c) [a, c] = [c, a];
    if (c > g) [c, g] = [g, c];
    if (a > c) [a, c] = [c, a];
    push(a);
    if (c !== a) push(c);
    if (g !== c) push(g);
  }
  push(n - 1);
  return out;
}

/**
 * Sets `out` to [row of the earliest minimum, row of the earliest maximum, first non-finite row] of
 * values[start, end), each -1 when there is none. Two passes: branch-free Math.min/max (which also tell whether
 * any value is non-finite), then the first row holding each extreme; a bucket with a non-finite value takes
 * the row-by-row path. Several times faster than one branchy pass on long series.
 */
function bucketPicks(values: ArrayLike<number>, start: number, end: number, out: number[]): void {
  let vMin = Infinity;
  let vMax = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    // Math.min/max return NaN once any value is NaN, ±Infinity once one is infinite: both caught below
    vMin = Math.min(vMin, v);
    vMax = Math.max(vMax, v);
  }
  if (vMin - vMin === 0 && vMax - vMax === 0) {
    if (values instanceof Float64Array) {
      // the first occurrence at or after `start` lies in the bucket, which holds the value (−0 === 0 as for <)
      out[0] = values.indexOf(vMin, start);
      out[1] = values.indexOf(vMax, start);
    } else {
      let iMin = -1;
      let iMax = -1;
      for (let i = start; i < end && (iMin < 0 || iMax < 0); i++) {
        const v = values[i]!;
        if (iMin < 0 && v === vMin) iMin = i;
        if (iMax < 0 && v === vMax) iMax = i;
      }
      out[0] = iMin;
      out[1] = iMax;
    }
    out[2] = -1;
    return;
  }
  let iMin = -1;
  let iMax = -1;
  let iGap = -1;
  vMin = Infinity;
  vMax = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v - v !== 0) {
      if (iGap < 0) iGap = i;
    } else {
      if (v < vMin || iMin < 0) {
        vMin = v;
        iMin = i;
      }
      if (v > vMax || iMax < 0) {
        vMax = v;
        iMax = i;
      }
    }
  }
  out[0] = iMin;
  out[1] = iMax;
  out[2] = iGap;
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
