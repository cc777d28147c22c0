/**
 * `--divide-by`'s unmatched rows: {@link derivePair} keeps only the times both files have, so a row of either file
 * with no row at the same time in the other is dropped. Counted within the run's window (rows outside it are not
 * the run's anyway), recorded in the derived series' provenance (`params`: `matchedRows`, `numeratorUnmatchedRows`,
 * `denominatorUnmatchedRows`, `firstUnmatched`, only when a row in the window had no match), and said as a warning
 * ({@link divideByWarnings}), the gap policy seeing only the matched times (every other hour dropped is a regular
 * two-hour series to it).
 */
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { groupThousands } from '../../sim/core/format.ts';
import { compactIso } from './window.ts';

/** Rows of `a` in [fromMs, toMs] with no equal time in `b` (both strictly increasing), and the first one's time. */
function unmatchedIn(a: Float64Array, b: Float64Array, fromMs: number, toMs: number): { readonly count: number; readonly firstMs: number } {
  let count = 0;
  let firstMs = Infinity;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!;
    if (t < fromMs) continue;
    if (t > toMs) break;
    while (j < b.length && b[j]! < t) j++;
    if (j < b.length && b[j] === t) continue;
    if (count === 0) firstMs = t;
    count++;
  }
  return { count, firstMs };
}

/**
 * `derived` (derivePair(numerator, denominator)) with its unmatched rows in the window [fromMs, toMs] (either open)
 * recorded in its provenance params; `derived` itself when every row in the window has its match.
 */
export function withUnmatchedRows(derived: PriceSeries, numerator: PriceSeries, denominator: PriceSeries, fromMs: number | undefined, toMs: number | undefined): PriceSeries {
  const lo = fromMs ?? -Infinity;
  const hi = toMs ?? Infinity;
  const a = unmatchedIn(numerator.timestampMs, denominator.timestampMs, lo, hi);
  const b = unmatchedIn(denominator.timestampMs, numerator.timestampMs, lo, hi);
  if (a.count === 0 && b.count === 0) return derived;
  let matched = 0;
  for (const t of derived.timestampMs) if (t >= lo && t <= hi) matched++;
  const { rows: _r, firstTimestampMs: _f, lastTimestampMs: _l, ...prov } = derived.provenance;
  return makeSeries(derived.timestampMs, derived.price, derived.extra, {
    ...prov,
    params: {
      ...(prov.params ?? {}),
      matchedRows: matched,
      numeratorUnmatchedRows: a.count,
      denominatorUnmatchedRows: b.count,
      firstUnmatched: compactIso(Math.min(a.firstMs, b.firstMs)),
    },
  });
}

/**
 * The warning of a `--divide-by` run whose files did not match row for row in its window (from the provenance
 * {@link withUnmatchedRows} wrote): how many rows of each had no match, and the first such time. Empty otherwise.
 */
export function divideByWarnings(series: PriceSeries): string[] {
  const p = series.provenance.params ?? {};
  const matched = p['matchedRows'];
  const na = p['numeratorUnmatchedRows'];
  const nb = p['denominatorUnmatchedRows'];
  if (typeof matched !== 'number' || typeof na !== 'number' || typeof nb !== 'number' || na + nb === 0) return [];
  const of = (k: number): string => `${groupThousands(String(k))} of ${groupThousands(String(matched + k))}`;
  const first = typeof p['firstUnmatched'] === 'string' ? ` (the first at ${p['firstUnmatched']})` : '';
  return [
    `--divide-by keeps only the times both files have: ${of(na)} rows of ${String(p['numerator'])} and ${of(nb)} of ${String(p['denominator'])} had no row at the same time in the other${first}`,
  ];
}
