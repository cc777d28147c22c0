import { describe, expect, it } from 'vitest';
import { makeSeries } from '../../sim/core/series.ts';
import { derivePair } from './seriesTransforms.ts';
import { divideByWarnings, withUnmatchedRows } from './divideBy.ts';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const at = (file: string, hours: readonly number[]) =>
  makeSeries(Float64Array.from(hours, (h) => T + h * H), Float64Array.from(hours, (h) => 100 + h), new Map(), { kind: 'csv', file, sha256: file });

describe('withUnmatchedRows / divideByWarnings (--divide-by rows without a match)', () => {
  it('behavior: each file\'s rows with no equal time in the other, in the window, and the first such time', () => {
    const a = at('a.csv', [0, 1, 2, 3, 4, 5, 6, 7]);
    const b = at('b.csv', [0, 2, 4, 5, 6, 9]);
    const d = withUnmatchedRows(derivePair(a, b), a, b, undefined, undefined);
    expect(d.provenance.params).toMatchObject({ droppedRows: 4, matchedRows: 5, numeratorUnmatchedRows: 3, denominatorUnmatchedRows: 1, firstUnmatched: '2024-01-01T01:00:00Z' });
    expect(divideByWarnings(d)).toEqual(['--divide-by keeps only the times both files have: 3 of 8 rows of a.csv and 1 of 6 of b.csv had no row at the same time in the other (the first at 2024-01-01T01:00:00Z)']);
    // the window [4 h, 8 h]: a's 7 and none of b's (9 is after it)
    const w = withUnmatchedRows(derivePair(a, b), a, b, T + 4 * H, T + 8 * H);
    expect(divideByWarnings(w)).toEqual(['--divide-by keeps only the times both files have: 1 of 4 rows of a.csv and 0 of 3 of b.csv had no row at the same time in the other (the first at 2024-01-01T07:00:00Z)']);
  });

  it('behavior: files matching row for row in the window: the derived series as it was, no warning', () => {
    const a = at('a.csv', [0, 1, 2, 3]);
    const b = at('b.csv', [1, 2, 3, 4]);
    const d = derivePair(a, b);
    expect(withUnmatchedRows(d, a, b, T + H, T + 3 * H)).toBe(d);
    expect(divideByWarnings(d)).toEqual([]);
    expect(divideByWarnings(a)).toEqual([]);
  });
});
