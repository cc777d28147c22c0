import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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

  it('property: equals the plain definition (per bucket the earliest min, earliest max and first non-finite row, plus both ends)', () => {
    const reference = (v: ArrayLike<number>, maxPoints: number): number[] => {
      const n = v.length;
      if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
      const buckets = Math.floor((maxPoints - 2) / 3);
      const keep = new Set([0, n - 1]);
      for (let b = 0; b < buckets; b++) {
        const rows = [];
        for (let i = Math.floor((b * n) / buckets); i < Math.floor(((b + 1) * n) / buckets); i++) rows.push(i);
        const finite = rows.filter((i) => Number.isFinite(v[i]!));
        if (finite.length > 0) {
          keep.add(finite.reduce((m, i) => (v[i]! < v[m]! ? i : m)));
          keep.add(finite.reduce((m, i) => (v[i]! > v[m]! ? i : m)));
        }
        const gap = rows.find((i) => !Number.isFinite(v[i]!));
        if (gap !== undefined) keep.add(gap);
      }
      return [...keep].sort((a, b) => a - b);
    };
    const value = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0) });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 400 }), fc.integer({ min: 5, max: 60 }), (xs, maxPoints) => {
        const expected = reference(xs, maxPoints);
        expect(minMaxIndices(Float64Array.from(xs), maxPoints)).toEqual(expected);
        expect(minMaxIndices(xs, maxPoints)).toEqual(expected);
      }),
      { numRuns: 500, seed: 20240102 },
    );
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
