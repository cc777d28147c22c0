import { describe, expect, it } from 'vitest';
import { makeSeries } from '../sim/core/series.ts';
import { runBacktest } from '../runs/backtest.ts';
import { resolveBacktestConfig } from '../runs/config.ts';
import { runIlCurveChart } from './charts/ilCurveChart.ts';
import { curveRatios, fullRangeIl, lpEntryPrice, positionAmountsPerLiquidity, positionIl } from './ilCurve.ts';

describe('fullRangeIl', () => {
  // Pintail, "Uniswap: A Good Deal for Liquidity Providers?" (2019), table of IL vs price change;
  // the published figures are rounded to 0.1 %.
  const pintail: ReadonlyArray<[ratio: number, ilPercent: number]> = [
    [1.25, -0.6],
    [1.5, -2.0],
    [2, -5.7],
    [3, -13.4],
    [5, -25.5],
  ];
  for (const [ratio, il] of pintail) {
    it(`behavior: matches the Pintail table at ${ratio}x (${il} %, to 0.05 %)`, () => {
      expect(Math.abs(fullRangeIl(ratio) * 100 - il)).toBeLessThan(0.05);
    });
  }
  it('behavior: is symmetric in r and 1/r and zero at r = 1', () => {
    expect(fullRangeIl(1)).toBe(0);
    for (const r of [1.1, 2, 7.5, 100]) expect(fullRangeIl(1 / r)).toBeCloseTo(fullRangeIl(r), 12);
  });
  it('error: rejects a non-positive ratio', () => {
    expect(() => fullRangeIl(0)).toThrowErrorMatchingInlineSnapshot(`[RangeError: price ratio must be finite and > 0; was 0]`);
  });
});

describe('positionIl (concentrated liquidity)', () => {
  it('behavior: full range equals 2√r/(1+r) − 1', () => {
    for (const r of [0.1, 0.5, 2, 4]) {
      expect(positionIl(r, 1800)).toBe(fullRangeIl(r));
      expect(positionIl(r, 1800, { lower: 0, upper: Infinity })).toBe(fullRangeIl(r));
    }
  });

  it('behavior: a very wide range approaches full range (to 1e-4)', () => {
    for (const r of [0.3, 2, 3]) expect(Math.abs(positionIl(r, 100, { lower: 1e-6, upper: 1e10 }) - fullRangeIl(r))).toBeLessThan(1e-4);
  });

  // Hand computation from the whitepaper amounts (eq. 6.29/6.30) for P0 = 1, [0.25, 4], P = 2 (L = 1):
  // x = 1/√2 − 1/2 = 0.207107, y = √2 − 1/2 = 0.914214, V = 2x + y = 1.328427;
  // deposit x0 = 1 − 1/2, y0 = 1 − 1/2, hold = 0.5·2 + 0.5 = 1.5; IL = 1.328427/1.5 − 1 = −0.114382.
  it('behavior: matches a hand computation for P0 = 1, range [0.25, 4], r = 2', () => {
    expect(positionIl(2, 1, { lower: 0.25, upper: 4 })).toBeCloseTo(-0.114382, 6);
  });

  // Closed form (P. Erins, "Impermanent loss in Uniswap V3", 2021), valid while the price is in range:
  // IL_[pa,pb](r) = IL(r) / (1 − (√(pa/P0) + r·√(P0/pb)) / (1 + r)).
  it('behavior: agrees with the Erins closed form inside the range (to 1e-12)', () => {
    const p0 = 2000;
    const range = { lower: 1500, upper: 2600 };
    for (const r of [0.76, 0.8, 0.95, 1.05, 1.2, 1.29]) {
      const closed = fullRangeIl(r) / (1 - (Math.sqrt(range.lower / p0) + r * Math.sqrt(p0 / range.upper)) / (1 + r));
      expect(Math.abs(positionIl(r, p0, range) - closed)).toBeLessThan(1e-12);
    }
  });

  // Above the range the position is all quote: V = √pb − √pa = 2 − 0.5 = 1.5; hold at P = 9 is 0.5·9 + 0.5 = 5.
  it('behavior: above the range the LP holds only quote (P0 = 1, [0.25, 4], P = 9 gives −70 %)', () => {
    expect(positionIl(9, 1, { lower: 0.25, upper: 4 })).toBeCloseTo(-0.7, 12);
  });

  it('behavior: a narrower range loses more than a wider one for the same move', () => {
    const narrow = positionIl(1.2, 100, { lower: 90, upper: 111 });
    const wide = positionIl(1.2, 100, { lower: 50, upper: 200 });
    expect(narrow).toBeLessThan(wide);
    expect(wide).toBeLessThan(fullRangeIl(1.2));
  });

  it('behavior: a position opened out of range has zero IL until the price enters the range', () => {
    expect(positionIl(0.5, 100, { lower: 120, upper: 150 })).toBe(0);
    expect(positionIl(1.1, 100, { lower: 120, upper: 150 })).toBe(0);
    expect(positionIl(1.35, 100, { lower: 120, upper: 150 })).toBeLessThan(0);
  });

  it('error: rejects an inverted range', () => {
    expect(() => positionIl(2, 1, { lower: 4, upper: 0.25 })).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: range must satisfy 0 <= lower < upper; was [4, 0.25]]`,
    );
  });
});

describe('positionAmountsPerLiquidity', () => {
  it('behavior: is all base below the range and all quote above it', () => {
    expect(positionAmountsPerLiquidity(0.1, { lower: 0.25, upper: 4 })).toEqual({ base: 1.5, quote: 0 });
    expect(positionAmountsPerLiquidity(10, { lower: 0.25, upper: 4 })).toEqual({ base: 0, quote: 1.5 });
  });
});

describe('curveRatios', () => {
  it('behavior: is sorted, spans the bounds and includes 1 and the extra ratios', () => {
    const r = curveRatios(0.2, 5, 50, [0.75, 1.3, 9]);
    expect(r[0]).toBe(0.2);
    expect(r[r.length - 1]).toBe(5);
    expect(r).toContain(1);
    expect(r).toContain(0.75);
    expect(r).toContain(1.3);
    expect(r).not.toContain(9);
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThan(r[i - 1]!);
  });
});

describe('lpEntryPrice: the IL curve is anchored where the LP entered', () => {
  it('behavior: the pool price after the entry, else the market price moved by the entry impact, else the market price', () => {
    expect(lpEntryPrice(2000, 2030, 0.5)).toBe(2030);
    expect(lpEntryPrice(2000, NaN, 0.25)).toBe(2500);
    expect(lpEntryPrice(2000, undefined, undefined)).toBe(2000);
    expect(lpEntryPrice(2000, 0, NaN)).toBe(2000);
  });

  // A shallow pool (background liquidity 20 × capital) so that the LP's entry swap moves the price by a visible
  // amount: the position's tokens, hence the hold basket and the IL, are those of the range at the pool's price
  // after the entry; the curve of the report must pass through 0 there.
  it('behavior: on a shallow v3 pool the deposit is the range split at the pool price after the entry, and the chart anchors there', async () => {
    const H = 3_600_000;
    const n = 48;
    const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * H);
    const price = Float64Array.from({ length: n }, (_, i) => 2000 * (1 + 0.03 * Math.sin(i / 5)));
    const series = makeSeries(ts, price, new Map(), { kind: 'test', sha256: 'test' });
    const config = resolveBacktestConfig({ pool: 'v3', strategy: 'range', width: 0.05, capital: 10_000, poolLiquidity: 200_000 });
    const r = await runBacktest(config, series);
    const t = r.timeseries;
    const impact = r.summary.entryPriceImpact!;
    expect(Math.abs(impact)).toBeGreaterThan(1e-3);
    const entry = lpEntryPrice(t.price[0]!, t.poolPrice[0], impact);
    expect(entry).toBe(t.poolPrice[0]);
    expect(Math.abs(entry / (price[0]! * (1 + impact)) - 1)).toBeLessThan(1e-12);
    // The deposit's split (base value share) is the whitepaper amounts' at the entry price, not at the market price.
    const range = { lower: t.rangeLower[0]!, upper: t.rangeUpper[0]! };
    const share = (p: number): number => {
      const a = positionAmountsPerLiquidity(p, range);
      return (a.base * p) / (a.base * p + a.quote);
    };
    const deposit = (t.lpBase[0]! * entry) / (t.lpBase[0]! * entry + t.lpQuote[0]!);
    expect(Math.abs(deposit - share(entry))).toBeLessThan(1e-4);
    expect(Math.abs(deposit - share(price[0]!))).toBeGreaterThan(10 * Math.abs(deposit - share(entry)));
    // The chart's theoretical curve is positionIl anchored at the entry price and is 0 at r = 1.
    const spec = runIlCurveChart([{ label: 'r', result: r }]) as unknown as { subtitle?: unknown; layer: Array<{ data: { values: Array<{ r: number; il: number; series: string }> } }> };
    const curve = spec.layer[0]!.data.values;
    expect(curve.find((row) => row.r === 1)!.il).toBe(0);
    for (const row of curve) expect(row.il).toBeCloseTo(positionIl(row.r, entry, range), 6);
    expect(JSON.stringify(spec)).toContain(`P0 = ${Number(entry.toPrecision(6))}`);
  });
});
