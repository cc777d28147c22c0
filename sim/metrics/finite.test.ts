import { describe, expect, it } from 'vitest';
import { CHECKED_COLUMNS, firstNonFiniteMetric, firstNonFiniteStep } from './finite.ts';

const columns = (n: number, patch: Partial<Record<(typeof CHECKED_COLUMNS)[number], number[]>> = {}) =>
  Object.fromEntries(CHECKED_COLUMNS.map((c) => [c, new Float64Array(patch[c] ?? new Array<number>(n).fill(1))])) as Record<(typeof CHECKED_COLUMNS)[number], Float64Array>;

describe('finite results', () => {
  it('behavior: the first summary metric that JSON would write as null (±Infinity, NaN), in summary order', () => {
    expect(firstNonFiniteMetric({ initialValue: 1, finalValue: 2, apr: 0 })).toBeUndefined();
    expect(firstNonFiniteMetric({ initialValue: 1, finalValue: Infinity, lvr: NaN })).toEqual({ key: 'finalValue', value: Infinity });
    expect(firstNonFiniteMetric({ entryCost: -Infinity })).toEqual({ key: 'entryCost', value: -Infinity });
  });

  it('behavior: the first step at which a column went wrong, whichever column; a pool price of 0 counts (a reserve lost to rounding)', () => {
    expect(firstNonFiniteStep(columns(4))).toBeUndefined();
    expect(firstNonFiniteStep(columns(4, { lvrCumulative: [0, 1, -Infinity, NaN], lpValue: [1, 1, 1, Infinity] }))).toEqual({ index: 2, column: 'lvrCumulative', value: -Infinity });
    expect(firstNonFiniteStep(columns(4, { poolPrice: [2000, 2000, 0, 0], lvrCumulative: [0, 1, 2, NaN] }))).toEqual({ index: 2, column: 'poolPrice', value: 0 });
  });
});
