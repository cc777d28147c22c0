import { describe, expect, it } from 'vitest';
import { makeSeries } from '../core/series.ts';
import { asOfIndex, constantGas, GAS_UNITS, gasCostOf, seriesGas } from './gas.ts';

function series(ts: number[], px: number[]) {
  return makeSeries(Float64Array.from(ts), Float64Array.from(px), new Map(), { kind: 'test', sha256: '' });
}

describe('asOfIndex', () => {
  const ts = Float64Array.from([10, 20, 30]);
  it('behavior: returns the last row at or before t, −1 before the first', () => {
    expect([5, 10, 15, 20, 29, 30, 1e9].map((t) => asOfIndex(ts, t))).toEqual([-1, 0, 0, 1, 1, 2, 2]);
    expect(asOfIndex(new Float64Array(0), 5)).toBe(-1);
  });
});

describe('constantGas', () => {
  it('behavior: v3 mint at 20 gwei and ETH 2,000 costs 370,000 × 20e−9 × 2,000 = 14.8 quote (hand-computed)', () => {
    expect(constantGas('v3', 20).cost('mint', 0, 2000)).toBeCloseTo(14.8, 12);
  });
  it('behavior: 0 gwei makes every action free', () => {
    for (const a of ['mint', 'burn', 'collect', 'swap'] as const) expect(constantGas('v3', 0).cost(a, 0, 2000)).toBe(0);
  });
  it('behavior: v3 units follow the v3-periphery gas snapshots (mint 369,488; decrease 97,750 + collect 61,245; swap 111,248..115,779)', () => {
    expect(Math.abs(GAS_UNITS.v3.mint - 369_488)).toBeLessThan(1_000);
    expect(Math.abs(GAS_UNITS.v3.burn - (97_750 + 61_245))).toBeLessThan(2_000);
    expect(GAS_UNITS.v3.swap).toBeGreaterThanOrEqual(111_248);
    expect(GAS_UNITS.v3.swap).toBeLessThanOrEqual(115_779);
  });
});

describe('seriesGas', () => {
  const gwei = series([1_000, 2_000, 3_000], [10, 50, 30]);
  const eth = series([1_000, 2_500], [2_000, 4_000]);
  it('behavior: gas price as of the action time × base price (hand-computed: swap at t=2,400: 115,000 × 50e−9 × 3,000 = 17.25)', () => {
    const g = seriesGas({ pool: 'v3', gasPriceSeries: gwei });
    expect(g.cost('swap', 2_400, 3_000)).toBeCloseTo(17.25, 12);
    expect(g.cost('swap', 3_000, 3_000)).toBeCloseTo(115_000 * 30e-9 * 3_000, 12);
  });
  it('behavior: native-price series replaces the base price (burn at t=2,600: 160,000 × 50e−9 × 4,000 = 32)', () => {
    const g = seriesGas({ pool: 'v3', gasPriceSeries: gwei, nativePriceSeries: eth });
    expect(g.cost('burn', 2_600, 1)).toBeCloseTo(32, 12);
    // constant gwei with a native series: 10 gwei × 2,000 (as of t=2,000) × 150,000 v2 mint = 3
    expect(seriesGas({ pool: 'v2', gasPriceGwei: 10, nativePriceSeries: eth }).cost('mint', 2_000, 99)).toBeCloseTo(3, 12);
  });
  it('behavior: before the first row the first value applies', () => {
    const g = seriesGas({ pool: 'v3', gasPriceSeries: gwei });
    expect(g.cost('collect', 0, 1_000)).toBeCloseTo(75_000 * 10e-9 * 1_000, 12);
  });
  it('behavior: per-action unit overrides', () => {
    expect(seriesGas({ pool: 'v3', gasPriceGwei: 1, units: { swap: 1e9 } }).cost('swap', 0, 7)).toBeCloseTo(7, 12);
  });
  it('error: rejects negative units and negative gwei', () => {
    expect(() => seriesGas({ pool: 'v3', units: { swap: -1 } })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: gas units of swap: must be a number ≥ 0; was -1]`);
    expect(() => seriesGas({ pool: 'v3', gasPriceGwei: -1 })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --gas-price: must be ≥ 0 (gwei); was -1]`);
  });
});

describe('one gas formula for every model', () => {
  it('regression: constantGas, seriesGas at a constant gwei and seriesGas over a one-row gwei series cost the same to the bit (constantGas computed u·(g·1e−9)·p: 22.205550000000006 for a v3 mint at 30 gwei and 2,000.5, the others 22.205550000000002)', () => {
    const oneRow = series([0], [30]);
    for (const pool of ['v2', 'v3'] as const) {
      for (const p of [2000.5, 1234.567, 2750.11, 1e-7, 3e9]) {
        for (const a of ['mint', 'burn', 'collect', 'swap'] as const) {
          const want = gasCostOf(GAS_UNITS[pool][a], 30, p);
          expect([pool, a, p, constantGas(pool, 30).cost(a, 5, p)]).toEqual([pool, a, p, want]);
          expect(seriesGas({ pool, gasPriceGwei: 30 }).cost(a, 5, p)).toBe(want);
          expect(seriesGas({ pool, gasPriceSeries: oneRow }).cost(a, 5, p)).toBe(want);
        }
      }
    }
    expect(constantGas('v3', 30).cost('mint', 0, 2000.5)).toBe(22.205550000000002);
  });
  it('behavior: 0 gwei is one shared free model, from constantGas and from seriesGas alike (the fast path of the default)', () => {
    expect(constantGas('v3', 0)).toBe(seriesGas({ pool: 'v2', gasPriceGwei: 0 }));
    expect(constantGas('v2', 0)).toBe(constantGas('v3', 0));
  });
});
