import { describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { makeSeries, validateSeries } from './series.ts';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function series(ts: readonly number[], price: readonly number[], extra: Record<string, readonly number[]> = {}, file?: string): ReturnType<typeof makeSeries> {
  const cols = new Map(Object.entries(extra).map(([k, v]) => [k, Float64Array.from(v)]));
  return makeSeries(Float64Array.from(ts), Float64Array.from(price), cols, { kind: 'test', sha256: '', ...(file === undefined ? {} : { file }) });
}

/** The InputError `f` throws (fails the test when it throws anything else, or nothing). */
function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError; nothing was thrown');
}

describe('makeSeries', () => {
  it('behavior: a valid series keeps its columns and records rows, first and last time', () => {
    const s = series([T0, T0 + H, T0 + 2 * H], [2000, 2010, 1990], { volume: [5, 6, 7] }, 'p.csv');
    expect(s.length).toBe(3);
    expect(s.provenance).toMatchObject({ kind: 'test', file: 'p.csv', rows: 3, firstTimestampMs: T0, lastTimestampMs: T0 + 2 * H });
    expect([...s.extra.get('volume')!]).toEqual([5, 6, 7]);
    expect(series([T0], [1]).length).toBe(1); // one row is a series (the loaders accept it)
  });

  it.each([
    ['NaN', NaN],
    ['0', 0],
    ['−5', -5],
    ['Infinity', Infinity],
    ['−0', -0],
  ])('behavior: a price of %s is an InputError naming the row and the price column', (_, bad) => {
    const e = inputError(() => series([T0, T0 + H, T0 + 2 * H], [2000, bad, 1990], {}, 'mine.csv'));
    expect(e.message).toBe(`mine.csv: row 2: price: must be a finite number > 0; was ${bad}`);
    expect(e.field).toBe('price');
    expect(e.line).toBe(2);
  });

  it('behavior: timestamps must be finite and strictly increasing (a repeat and a step back are named with the row before)', () => {
    expect(inputError(() => series([T0, T0 + H, T0 + H], [1, 2, 3])).message).toBe(
      'test series: row 3: timestampMs: must be strictly increasing; was 2024-01-01T01:00:00.000Z, the same time as row 2',
    );
    expect(inputError(() => series([T0, T0 + H, T0], [1, 2, 3])).message).toBe(
      'test series: row 3: timestampMs: must be strictly increasing; was 2024-01-01T00:00:00.000Z, earlier than row 2 (2024-01-01T01:00:00.000Z)',
    );
    expect(inputError(() => series([NaN, T0], [1, 2])).message).toBe('test series: row 1: timestampMs: must be a finite number (unix milliseconds); was NaN');
    expect(inputError(() => series([T0, Infinity], [1, 2])).message).toBe('test series: row 2: timestampMs: must be a finite number (unix milliseconds); was Infinity');
    expect(inputError(() => series([-Infinity, T0], [1, 2])).message).toBe('test series: row 1: timestampMs: must be a finite number (unix milliseconds); was -Infinity');
  });

  it('behavior: an empty series, and columns of other lengths (extra columns too), are InputErrors naming the column', () => {
    expect(inputError(() => series([], [])).message).toBe('test series: rows: must have at least one row; found none');
    expect(inputError(() => series([T0, T0 + H], [1, 2, 3])).message).toBe('test series: timestampMs: must have one value per price (3); has 2');
    expect(inputError(() => series([T0, T0 + H, T0 + 2 * H], [1, 2])).message).toBe('test series: timestampMs: must have one value per price (2); has 3');
    expect(inputError(() => series([T0, T0 + H], [1, 2], { volume: [1] })).message).toBe('test series: volume: must have one value per price (2); has 1');
  });

  it('behavior: validateSeries checks a series object made without makeSeries', () => {
    const ok = series([T0, T0 + H], [1, 2]);
    expect(() => validateSeries(ok)).not.toThrow();
    expect(inputError(() => validateSeries({ ...ok, price: Float64Array.of(1, NaN) })).message).toBe('test series: row 2: price: must be a finite number > 0; was NaN');
  });

  it('behavior: the check costs little next to the run on a year of minutes (525,600 rows)', () => {
    const n = 525_600;
    const ts = new Float64Array(n);
    const px = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ts[i] = T0 + i * 60_000;
      px[i] = 2000 + Math.sin(i);
    }
    const s = { timestampMs: ts, price: px, extra: new Map([['volume', px]]), provenance: { kind: 'test' } };
    validateSeries(s); // warm
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      validateSeries(s);
      best = Math.min(best, performance.now() - t);
    }
    // ~1 ms; a backtest of this series takes seconds. Generous for a loaded CI machine.
    expect(best).toBeLessThan(50);
  });
});
