import { describe, expect, it } from 'vitest';
import { changeIndices, chartNumber, minMaxIndices } from './downsample.ts';

describe('minMaxIndices', () => {
  it('behavior: keeps every row when there are few enough', () => {
    expect(minMaxIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
  });

  it('behavior: never exceeds maxPoints and keeps the ends and the global extremes', () => {
    const n = 100_003;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = Math.sin(i / 500) * 10 + ((i * 7919) % 13) / 13;
    v[54_321] = -1000; // a single-row crash must survive downsampling
    v[77_777] = 1000;
    const idx = minMaxIndices(v, 2000);
    expect(idx.length).toBeLessThanOrEqual(2000);
    expect(idx.length).toBeGreaterThan(1000);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    expect(idx).toContain(54_321);
    expect(idx).toContain(77_777);
    for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
  });

  it('behavior: keeps a row inside a gap of NaN so the gap is drawn', () => {
    const v = new Float64Array(10_000).fill(1);
    for (let i = 5000; i < 5100; i++) v[i] = NaN;
    const idx = minMaxIndices(v, 100);
    expect(idx.some((i) => Number.isNaN(v[i]!))).toBe(true);
  });

  it('error: rejects a tiny maxPoints', () => {
    expect(() => minMaxIndices([1], 2)).toThrowErrorMatchingInlineSnapshot(`[RangeError: maxPoints must be an integer >= 5; was 2]`);
  });
});

describe('changeIndices', () => {
  it('behavior: returns the first row, each change and the last row', () => {
    const lo = [1, 1, 1, 2, 2, NaN, NaN, 3];
    const hi = [5, 5, 6, 6, 6, NaN, NaN, 7];
    expect(changeIndices(lo, hi, 100)).toEqual([0, 2, 3, 5, 7]);
  });
});

describe('chartNumber', () => {
  it('behavior: rounds to 7 significant digits and maps non-finite to null', () => {
    expect(chartNumber(1234.56789)).toBe(1234.568);
    expect(chartNumber(NaN)).toBeNull();
    expect(chartNumber(-Infinity)).toBeNull();
    expect(chartNumber(-0)).toBe(0);
  });
});
