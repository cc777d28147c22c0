/**
 * The `ammsim il` table: theoretical IL of a position at a list of price ratios, as plain text.
 */
import { positionIl, STANDARD_RATIOS, type PriceRange } from './ilCurve.ts';

export interface IlTableRow {
  readonly ratio: number;
  readonly price: number;
  /** Fraction, negative = loss. */
  readonly il: number;
  readonly where: 'below range' | 'in range' | 'above range' | 'full range';
}

/** The rows: the given ratios (default {@link STANDARD_RATIOS}) plus the range edges, sorted, de-duplicated. */
export function ilTableRows(entryPrice: number, range: PriceRange | undefined, ratios: readonly number[] = STANDARD_RATIOS): IlTableRow[] {
  const all = [...ratios];
  if (range !== undefined) all.push(range.lower / entryPrice, range.upper / entryPrice);
  const sorted = [...new Set(all)].sort((a, b) => a - b);
  // P0 · (edge / P0) can land an ulp past the edge: within a relative 1e-12 of an edge is at it (in range)
  const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.abs(b);
  return sorted.map((ratio) => {
    const price = entryPrice * ratio;
    const where =
      range === undefined ? 'full range' : price < range.lower && !near(price, range.lower) ? 'below range' : price > range.upper && !near(price, range.upper) ? 'above range' : 'in range';
    return { ratio, price, il: positionIl(ratio, entryPrice, range), where };
  });
}

function sig(x: number, digits: number): string {
  const s = Number(x.toPrecision(digits)).toString();
  return s.includes('e') ? x.toExponential(digits - 1) : s;
}

/** The table as text (≤ 80 columns): ratio, price, IL in %, LP value / hold value, and where the price is. */
export function formatIlTable(entryPrice: number, range: PriceRange | undefined, rows: readonly IlTableRow[]): string {
  const what = range === undefined ? 'a full-range position' : `a position on [${sig(range.lower, 6)}, ${sig(range.upper, 6)}]`;
  const lines = [
    `Impermanent loss of ${what} entered at P0 = ${sig(entryPrice, 6)} (before fees)`,
    `IL = LP value / hold value − 1${range === undefined ? ' = 2√r/(1+r) − 1' : ' (Uniswap v3 whitepaper eq. 6.29/6.30 amounts)'}`,
    '',
    `${'P/P0'.padStart(10)}${'price'.padStart(14)}${'IL'.padStart(12)}${'LP/hold'.padStart(10)}  ${range === undefined ? '' : 'price is'}`.trimEnd(),
  ];
  for (const r of rows) {
    const il = `${(r.il * 100).toFixed(2)} %`;
    lines.push(
      `${sig(r.ratio, 4).padStart(10)}${sig(r.price, 7).padStart(14)}${il.padStart(12)}${(1 + r.il).toFixed(4).padStart(10)}  ${range === undefined ? '' : r.where}`.trimEnd(),
    );
  }
  return lines.join('\n') + '\n';
}
