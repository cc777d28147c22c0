import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, mostCommonStep } from './time.ts';

/** The definition, counted plainly: each step's occurrences; the most frequent, the shortest among equals. */
function reference(t: readonly number[]): number | undefined {
  if (t.length < 2) return undefined;
  const counts = new Map<number, number>();
  for (let i = 1; i < t.length; i++) counts.set(t[i]! - t[i - 1]!, (counts.get(t[i]! - t[i - 1]!) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best!)) [best, bestCount] = [d, c];
  return best;
}

describe('mostCommonStep', () => {
  it('behavior: the most frequent step, the shortest among equals; one pass for an even series', () => {
    const H = 3_600_000;
    expect(mostCommonStep([])).toBeUndefined();
    expect(mostCommonStep([5])).toBeUndefined();
    expect(mostCommonStep([0, H, 2 * H, 3 * H])).toBe(H);
    expect(mostCommonStep([0, 2 * H, 3 * H, 5 * H])).toBe(2 * H); // 2h, 1h, 2h
    expect(mostCommonStep([0, 2 * H, 3 * H, 5 * H, 6 * H])).toBe(H); // 2h ×2, 1h ×2: the shorter
    expect(mostCommonStep(new Float64Array([0, 60_000, 120_000, 300_000, 360_000]))).toBe(60_000);
    // a majority step with gaps before, between and after it (the vote's candidate changes along the way)
    expect(mostCommonStep([0, 5 * H, 10 * H, 11 * H, 12 * H, 13 * H, 20 * H])).toBe(H);
    expect(mostCommonStep([0, H, 2 * H, 9 * H, 9.5 * H, 10 * H, 10.5 * H, 11 * H])).toBe(H / 2);
    // exactly half is no majority: the tie goes to the shorter step
    expect(mostCommonStep([0, 2 * H, 4 * H, 5 * H, 6 * H])).toBe(H);
  });

  it('property: equals the plain count on increasing timestamps (few distinct steps, many, fractional)', () => {
    const steps = fc.oneof(fc.constantFrom(1, 2, 3, 60_000, 3_600_000), fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.array(steps, { maxLength: 200 }), (t0, ds) => {
        const t = [t0];
        for (const d of ds) t.push(t[t.length - 1]! + d);
        expect(mostCommonStep(t)).toBe(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('daysInMonth', () => {
  it('behavior: the Gregorian calendar (leap years every 4, not every 100, every 400); 0 outside 1–12', () => {
    expect([1, 2, 3, 4, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31]);
    expect([2024, 1900, 2000].map((y) => daysInMonth(y, 2))).toEqual([29, 28, 29]);
    expect([daysInMonth(2024, 0), daysInMonth(2024, 13)]).toEqual([0, 0]);
  });
});
