import { describe, expect, it } from 'vitest';
import { ConfigError, PoolError } from '../core/errors.ts';
import { MAX_UINT112 } from '../math/v2/constantProduct.ts';
import { getSqrtRatioAtTickFloat } from '../math/v3/float.ts';
import {
  describeViolation,
  findPriceOutside,
  fmt,
  liquidityRawDown,
  maxLiquidityPerTickRaw,
  tickOverMaxLiquidity,
  V2_EXACT_RESERVES,
  V2_FLOAT_MAX_STEP,
  V3_PRICE_BOUNDS,
  v2PriceBounds,
} from './priceRange.ts';
import { V2ExactEnginePool } from './v2/v2ExactEnginePool.ts';
import { V2FloatPool } from './v2/v2FloatPool.ts';
import { V3ExactEnginePool } from './v3/v3ExactEnginePool.ts';
import { V3FloatPool } from './v3/v3FloatPool.ts';

// The defaults of a backtest: capital 10,000, background 20,000 × capital, first price 2000.
const DEFAULT = { firstPrice: 2000, depth: 2e8, capital: 1e4 } as const;

describe('v3 price bounds: the tick range of TickMath', () => {
  it('behavior: √P strictly inside (√1.0001^−887272, √1.0001^887272), as the float pool tests its first price', () => {
    expect(V3_PRICE_BOUNDS.min).toBeCloseTo(2.938956807585567e-39, 50);
    expect(V3_PRICE_BOUNDS.max / 3.402567868363901e38).toBeCloseTo(1, 12);
    const sMin = getSqrtRatioAtTickFloat(-887272);
    expect(V3_PRICE_BOUNDS.contains(sMin * sMin)).toBe(false);
    expect(V3_PRICE_BOUNDS.contains(sMin * sMin * 1.000001)).toBe(true);
    expect(V3_PRICE_BOUNDS.contains(V3_PRICE_BOUNDS.max)).toBe(false);
    expect(V3_PRICE_BOUNDS.contains(V3_PRICE_BOUNDS.max / 1.000001)).toBe(true);
    for (const p of [1e-300, 1e-40, 1e39, 1e308]) expect(V3_PRICE_BOUNDS.contains(p), String(p)).toBe(false);
    for (const p of [1e-38, 1, 2000, 1e38]) expect(V3_PRICE_BOUNDS.contains(p), String(p)).toBe(true);
  });

  it('regression: a one-row wick to 1e-300 (only the first price was checked) is found at its row, with the range in the message', () => {
    const v = findPriceOutside(new Float64Array([2000, 2100, 1e-300, 2100]), V3_PRICE_BOUNDS);
    expect(v).toEqual({ index: 2, price: 1e-300, kind: 'range' });
    expect(describeViolation(v!, V3_PRICE_BOUNDS)).toBe('must be within 2.939e-39 … 3.403e+38 for a v3 pool (1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals); was 1e-300');
    expect(findPriceOutside(new Float64Array([2000, 1e-38, 3e38, 2000]), V3_PRICE_BOUNDS)).toBeUndefined();
  });

  it('regression: both v3 pools refuse a first price outside the range in the same words (the exact one clamped it and failed later on a uint128 amount)', () => {
    for (const make of [() => new V3FloatPool(0.003, 60, 1e-200), () => new V3ExactEnginePool(0.003, 60, 1e-200)]) {
      expect(make).toThrow(ConfigError);
      expect(make).toThrow('price: must be within 2.939e-39 … 3.403e+38 for a v3 pool (1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals); was 1e-200');
    }
  });
});

describe('v2 exact price bounds: reserves between 1 wei and uint112 at the pool\'s starting size', () => {
  const bounds = v2PriceBounds({ exact: true, ...DEFAULT });

  it('behavior: the defaults hold ~1.855e-19 … 5.391e+18; a wick to 1e-300 or 1e-38 is out, 1e-18 and 1e18 are in', () => {
    expect(bounds.min).toBeCloseTo(1.855e-19, 22);
    expect(bounds.max / 5.391e18).toBeCloseTo(1, 3);
    expect(bounds.maxStep).toBe(Infinity);
    for (const p of [1e-300, 1e-38, 1e19]) expect(bounds.contains(p), String(p)).toBe(false);
    for (const p of [1e-18, 1, 2000, 1e18]) expect(bounds.contains(p), String(p)).toBe(true);
    const v = findPriceOutside(new Float64Array([2000, 2100, 1e-300, 2100]), bounds);
    expect(v).toEqual({ index: 2, price: 1e-300, kind: 'range' });
    expect(describeViolation(v!, bounds)).toMatch(/^must be within 1\.855e-19 … 5\.391e\+18 for a v2 --exact pool \(its reserves, .*uint112 maximum, 5\.192e\+15 tokens; --pool-liquidity sets them\); was 1e-300$/);
  });

  it('behavior: at the bounds the pair\'s reserves are at uint112 (a swap to just inside works, to 4× past reverts OVERFLOW)', () => {
    // the pool alone (no LP capital): the bounds are exactly the reserves' limits
    const b = v2PriceBounds({ exact: true, firstPrice: 2000, depth: 2e8, capital: 0 });
    for (const [target, side] of [[b.max / 1.01, 'reserve1'], [b.min * 1.01, 'reserve0']] as const) {
      const pool = new V2ExactEnginePool(0.003, 1e8 / 2000, 1e8);
      pool.swapToPrice(target);
      expect(Number(pool.pair[side]) / Number(MAX_UINT112), `${side} near the limit`).toBeGreaterThan(0.98);
      expect(pool.price() / target).toBeCloseTo(1, 2);
    }
    for (const target of [b.max * 4, b.min / 4]) {
      const pool = new V2ExactEnginePool(0.003, 1e8 / 2000, 1e8);
      expect(() => pool.swapToPrice(target)).toThrow('UniswapV2: OVERFLOW');
    }
  });

  it('regression: a swap toward 1e-300 reverts OVERFLOW (it threw RangeError: NaN cannot be converted to a BigInt from sizeToPrice)', () => {
    const pool = new V2ExactEnginePool(0.003, 1e8 / 2000, 1e8);
    let err: unknown;
    try {
      pool.swapToPrice(1e-300);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PoolError);
    expect((err as PoolError).reason).toBe('UniswapV2: OVERFLOW');
    expect(() => pool.quoteToPrice(1e-300)).toThrow(PoolError);
  });

  it('behavior: the first price has bounds of its own (it sets the base reserve): a constant 1e-300 is refused as the first price', () => {
    const v = findPriceOutside(new Float64Array([1e-300, 1e-300]), v2PriceBounds({ exact: true, ...DEFAULT, firstPrice: 1e-300 }));
    expect(v).toEqual({ index: 0, price: 1e-300, kind: 'first' });
    const b = v2PriceBounds({ exact: true, ...DEFAULT, firstPrice: 1e-300 });
    expect(describeViolation(v!, b)).toMatch(/^must be within 1\.926e-8 … 1e\+26 as the first price of a v2 --exact pool of this depth \(it sets the base reserve, .*\); was 1e-300$/);
    // base reserve (depth + capital) / 2 / P0 at the lowest first price is the uint112 maximum
    expect(((DEFAULT.depth + DEFAULT.capital) / 2 / b.first!.min) / V2_EXACT_RESERVES.max).toBeCloseTo(1, 12);
  });
});

describe('v2 float price bounds: reserves within 1e±150 and one move of at most 1e16×', () => {
  const bounds = v2PriceBounds({ exact: false, ...DEFAULT });

  it('regression: a one-row wick 2100 → 1e-40 → 2100 (finalValue 2.3e25, lvr null) is refused at the wick: the float pool loses its quote reserve', () => {
    const v = findPriceOutside(new Float64Array([2000, 2100, 1e-40, 2100]), bounds);
    expect(v).toEqual({ index: 2, price: 1e-40, kind: 'step', previous: 2100 });
    expect(describeViolation(v!, bounds)).toBe("must move by at most 1e+16× from the row before for a v2 pool (its float maths keeps a reserve to ~1e-16 × √(the move), so a larger move loses it; --exact does not); was 1e-40 after 2100 (×4.762e-44)");
    // the loss itself: a swap to 1e-40 empties the quote reserve to rounding, the price becomes 0
    const pool = new V2FloatPool(0.003, 1e8 / 2100, 1e8);
    pool.swapToPrice(1e-40);
    expect(pool.price()).toBe(0);
  });

  it('behavior: a move of 1e16× keeps the float pool within 1e-6 of the exact pair; the same price reached in steps is accepted', () => {
    const exact = new V2ExactEnginePool(0.003, 1e8 / 2000, 1e8);
    const float = new V2FloatPool(0.003, 1e8 / 2000, 1e8);
    const target = 2000 / V2_FLOAT_MAX_STEP;
    exact.swapToPrice(target);
    float.swapToPrice(target);
    expect(Math.abs(float.price() / exact.price() - 1)).toBeLessThan(1e-6);
    expect(findPriceOutside(new Float64Array([2000, target]), bounds)).toBeUndefined();
    expect(findPriceOutside(new Float64Array([2000, 2000 / 1.0001e16]), bounds)?.kind).toBe('step');
    expect(findPriceOutside(new Float64Array([2000, 2e-6, 2e-14, 2e-22, 2e-30, 2e-38]), bounds)).toBeUndefined();
  });

  it('regression: 1e308 after 2000 (finalValue ∞ written as null) is outside the reserves\' range', () => {
    const v = findPriceOutside(new Float64Array([2000, 1e308]), bounds);
    expect(v?.kind).toBe('range');
    expect(v?.index).toBe(1);
    expect(bounds.max).toBeLessThan(1e300);
  });
});

describe('exact v3 liquidity per tick', () => {
  it('behavior: gross liquidity per tick is summed over the positions bounded there and compared with maxLiquidityPerTick', () => {
    const max = maxLiquidityPerTickRaw(60);
    expect(max).toBe(11505743598341114571880798222544994n);
    const L = Number(max) / 1e18; // human L at the cap
    expect(tickOverMaxLiquidity([{ tickLower: -60, tickUpper: 60, liquidity: L * 0.6 }], 60)).toBeUndefined();
    const over = tickOverMaxLiquidity([{ tickLower: -60, tickUpper: 60, liquidity: L * 0.6 }, { tickLower: 60, tickUpper: 120, liquidity: L * 0.6 }], 60);
    expect(over?.tick).toBe(60);
    expect(over?.maxRaw).toBe(max);
  });

  it('behavior: raw liquidity of a huge L is computed without the float product overflowing', () => {
    expect(liquidityRawDown(1e300)).toBe(BigInt(1e300) * 10n ** 18n);
    expect(liquidityRawDown(2.5)).toBe(2_500_000_000_000_000_000n);
    expect(liquidityRawDown(0)).toBe(0n);
  });
});

describe('fmt', () => {
  it('behavior: four significant digits, an exponent from 1e6 and below 1e-4', () => {
    expect([2000, 0.0125, 1e8, 2.938956807585567e-39, 5192296858534827, 123456.7].map(fmt)).toEqual(['2000', '0.0125', '1e+8', '2.939e-39', '5.192e+15', '123500']);
  });
});
