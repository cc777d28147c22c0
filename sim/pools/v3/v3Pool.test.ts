import fc from 'fast-check';
import { revertReason as reasonOf } from '../../core/revertReason.ts';
import { describe, expect, it } from 'vitest';
import { InvariantError, PoolError } from '../../core/errors.ts';
import { getSqrtRatioAtTick, getTickAtSqrtRatio } from '../../math/v3/tickMath.ts';
import { encodePriceSqrt } from '../../math/v3/vectors/encodePriceSqrt.ts';
import { SNAPSHOT_POOLS, SNAPSHOT_SWAPS } from '../../math/v3/vectors/uniswapV3PoolSwaps.cases.ts';
import { SWAP_SNAPSHOT } from '../../math/v3/vectors/uniswapV3PoolSwaps.snapshot.ts';
import { MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK, V3Pool } from './v3Pool.ts';

const SEED = 20240610;
const ONE = encodePriceSqrt(1n, 1n);
const E18 = 10n ** 18n;


/** Asserts `f` reverts with `reason` and leaves the pool exactly as it was. */
function expectRevert(pool: V3Pool, f: () => unknown, reason: string): void {
  const before = pool.snapshot();
  expect(reasonOf(f)).toBe(reason);
  expect(pool.snapshot()).toEqual(before);
}

describe('behavior: reproduces v3-core UniswapV3Pool.swaps.spec.ts snapshot (all 240 cases)', () => {
  // Expected values: v3-core test/__snapshots__/UniswapV3Pool.swaps.spec.ts.snap (see vectors/ provenance).
  it.each(SWAP_SNAPSHOT.map(([p, c, e]) => [`${SNAPSHOT_POOLS[p]?.description} / ${SNAPSHOT_SWAPS[c]?.description}`, p, c, e] as const))(
    '%s',
    (_title, p, c, expected) => {
      const setup = SNAPSHOT_POOLS[p];
      const swap = SNAPSHOT_SWAPS[c];
      if (setup === undefined || swap === undefined) throw new Error('bad vector index');
      const pool = new V3Pool({ fee: setup.fee, tickSpacing: setup.tickSpacing });
      pool.initialize(setup.startingPrice);
      let balance0 = 0n;
      let balance1 = 0n;
      for (const pos of setup.positions) {
        const r = pool.mint('wallet', pos.tickLower, pos.tickUpper, pos.liquidity);
        balance0 += r.amount0;
        balance1 += r.amount1;
      }
      expect(pool.tick).toBe(expected.tickBefore);
      if ('revert' in expected) {
        expectRevert(pool, () => pool.swap(swap.zeroForOne, swap.amountSpecified, swap.sqrtPriceLimitX96), expected.revert);
      } else {
        expect(balance0.toString()).toBe(expected.amount0Before);
        expect(balance1.toString()).toBe(expected.amount1Before);
        const r = pool.swap(swap.zeroForOne, swap.amountSpecified, swap.sqrtPriceLimitX96);
        expect({
          amount0Delta: r.amount0.toString(),
          amount1Delta: r.amount1.toString(),
          feeGrowthGlobal0X128Delta: pool.feeGrowthGlobal0X128.toString(),
          feeGrowthGlobal1X128Delta: pool.feeGrowthGlobal1X128.toString(),
          tickAfter: pool.tick,
        }).toEqual({
          amount0Delta: expected.amount0Delta,
          amount1Delta: expected.amount1Delta,
          feeGrowthGlobal0X128Delta: expected.feeGrowthGlobal0X128Delta,
          feeGrowthGlobal1X128Delta: expected.feeGrowthGlobal1X128Delta,
          tickAfter: expected.tickAfter,
        });
        balance0 += r.amount0;
        balance1 += r.amount1;
      }
      // The spec's afterEach: every position can be burned and collected; the pool never pays out more
      // than it holds.
      for (const pos of setup.positions) {
        pool.burn('wallet', pos.tickLower, pos.tickUpper, pos.liquidity);
        const got = pool.collect('wallet', pos.tickLower, pos.tickUpper);
        balance0 -= got.amount0;
        balance1 -= got.amount1;
      }
      expect(balance0 >= 0n && balance1 >= 0n).toBe(true);
      expect(pool.liquidity).toBe(0n);
    },
  );
});

describe('initialize', () => {
  it('behavior: sets price and tick; LOK before, AI after', () => {
    const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
    expectRevert(pool, () => pool.mint('a', -60, 60, 1n), 'LOK');
    expectRevert(pool, () => pool.swap(true, 1n, MIN_SQRT_RATIO + 1n), 'LOK');
    expectRevert(pool, () => pool.swap(true, 0n, MIN_SQRT_RATIO + 1n), 'AS'); // AS is checked before the lock
    expectRevert(pool, () => pool.setFeeProtocol(4, 4), 'LOK');
    expectRevert(pool, () => pool.initialize(MIN_SQRT_RATIO - 1n), 'R');
    expectRevert(pool, () => pool.initialize(MAX_SQRT_RATIO), 'R');
    pool.initialize(encodePriceSqrt(1n, 2n));
    expect(pool.tick).toBe(-6932);
    expectRevert(pool, () => pool.initialize(ONE), 'AI');
  });
  it('error: constructor rejects a fee of 1,000,000 or a zero tick spacing', () => {
    expect(() => new V3Pool({ fee: 1_000_000, tickSpacing: 60 })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: fee: must be an integer in [0, 999999] (hundredths of a bip); was 1000000]`,
    );
    expect(() => new V3Pool({ fee: 3000, tickSpacing: 0 })).toThrowError(/tickSpacing/);
  });
  it('behavior: maxLiquidityPerTick matches v3-core Tick.spec.ts values', () => {
    // Source: v3-core test/Tick.spec.ts #tickSpacingToMaxLiquidityPerTick.
    expect(new V3Pool({ fee: 500, tickSpacing: 10 }).maxLiquidityPerTick).toBe(1917569901783203986719870431555990n);
    expect(new V3Pool({ fee: 3000, tickSpacing: 60 }).maxLiquidityPerTick).toBe(11505743598341114571880798222544994n);
    expect(new V3Pool({ fee: 10000, tickSpacing: 200 }).maxLiquidityPerTick).toBe(38350317471085141830651933667504588n);
  });
});

describe('mint / burn / collect', () => {
  function fresh(): V3Pool {
    const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
    pool.initialize(ONE);
    return pool;
  }
  it('error: mint reverts TLU, TLM, TUM, "" (zero amount, off-spacing), LO with state unchanged', () => {
    const pool = fresh();
    pool.mint('a', -600, 600, E18);
    expectRevert(pool, () => pool.mint('a', 60, 60, 1n), 'TLU');
    expectRevert(pool, () => pool.mint('a', 120, 60, 1n), 'TLU');
    expectRevert(pool, () => pool.mint('a', MIN_TICK - 1, 60, 1n), 'TLM');
    expectRevert(pool, () => pool.mint('a', -60, MAX_TICK + 1, 1n), 'TUM');
    expectRevert(pool, () => pool.mint('a', -60, 60, 0n), '');
    expectRevert(pool, () => pool.mint('a', -61, 60, 1n), '');
    expectRevert(pool, () => pool.mint('a', -60, 61, 1n), '');
    expectRevert(pool, () => pool.mint('a', -60, 60, pool.maxLiquidityPerTick + 1n), 'LO');
    expectRevert(pool, () => pool.mint('a', -600, 60, pool.maxLiquidityPerTick - E18 + 1n), 'LO');
    expect(() => pool.mint('a', -60, 60, 0n)).toThrowErrorMatchingInlineSnapshot(`[PoolError: reverted (bare require): mint amount must be > 0]`);
  });
  it('error: burn reverts NP (poke of an empty position) and LS (more than held)', () => {
    const pool = fresh();
    expectRevert(pool, () => pool.burn('a', -60, 60, 0n), 'NP');
    expectRevert(pool, () => pool.burn('a', -60, 60, 1n), 'LS');
    pool.mint('a', -60, 60, 1000n);
    pool.mint('b', -60, 60, 1000n);
    expectRevert(pool, () => pool.burn('a', -60, 60, 1001n), 'LS');
  });
  it('behavior: mint below, inside and above the range pays token0, both, token1 (rounded up)', () => {
    const pool = fresh();
    const above = pool.mint('a', 60, 120, E18); // range above the price: token0 only
    const inside = pool.mint('a', -60, 60, E18);
    const below = pool.mint('a', -120, -60, E18);
    expect(above.amount0 > 0n && above.amount1 === 0n).toBe(true);
    expect(inside.amount0 > 0n && inside.amount1 > 0n).toBe(true);
    expect(below.amount0 === 0n && below.amount1 > 0n).toBe(true);
    expect(pool.liquidity).toBe(E18); // only the in-range position is active
    // Burning returns at most what was paid (rounded down): no value created by a round trip.
    const back = pool.burn('a', -60, 60, E18);
    expect(back.amount0 <= inside.amount0 && inside.amount0 - back.amount0 <= 1n).toBe(true);
    expect(back.amount1 <= inside.amount1 && inside.amount1 - back.amount1 <= 1n).toBe(true);
    expect(pool.collect('a', -60, 60, 1n, 0n)).toEqual({ amount0: 1n, amount1: 0n });
    expect(pool.collect('a', -60, 60)).toEqual({ amount0: back.amount0 - 1n, amount1: back.amount1 });
    expect(pool.position('a', -60, 60)).toEqual({
      liquidity: 0n,
      feeGrowthInside0LastX128: 0n,
      feeGrowthInside1LastX128: 0n,
      tokensOwed0: 0n,
      tokensOwed1: 0n,
    });
    expect(pool.ticks(-60)?.liquidityGross).toBe(E18); // still referenced by the (-120, -60) position
    expect(pool.ticks(60)?.liquidityGross).toBe(E18);
  });
  it('behavior: burning a tick to zero clears it and its bitmap bit', () => {
    const pool = fresh();
    pool.mint('a', -60, 60, E18);
    expect(pool.initializedTicks()).toEqual([-60, 60]);
    pool.burn('a', -60, 60, E18);
    expect(pool.initializedTicks()).toEqual([]);
    expect(pool.tickBitmap(-1)).toBe(0n);
    expect(pool.tickBitmap(0)).toBe(0n);
  });
  it('behavior: collect of an unknown position pays nothing and creates nothing', () => {
    const pool = fresh();
    expect(pool.collect('nobody', -60, 60)).toEqual({ amount0: 0n, amount1: 0n });
    expect(pool.positions()).toEqual([]);
  });
});

describe('swap', () => {
  function withLiquidity(): V3Pool {
    const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
    pool.initialize(ONE);
    pool.mint('a', -887220, 887220, E18);
    pool.mint('b', -600, 600, 10n * E18);
    return pool;
  }
  it('error: AS for 0, SPL for a limit on the wrong side or beyond the bounds', () => {
    const pool = withLiquidity();
    expectRevert(pool, () => pool.swap(true, 0n, MIN_SQRT_RATIO + 1n), 'AS');
    expectRevert(pool, () => pool.swap(true, 1n, ONE), 'SPL');
    expectRevert(pool, () => pool.swap(true, 1n, MIN_SQRT_RATIO), 'SPL');
    expectRevert(pool, () => pool.swap(false, 1n, ONE), 'SPL');
    expectRevert(pool, () => pool.swap(false, 1n, MAX_SQRT_RATIO), 'SPL');
    expect(() => pool.swap(false, 1n, ONE)).toThrowErrorMatchingInlineSnapshot(
      `[PoolError: reverted: SPL (sqrtPriceLimitX96 must be in (79228162514264337593543950336, 1461446703485210103287273052203988822378723970342); was 79228162514264337593543950336)]`,
    );
  });
  it('behavior: quoteSwap does not mutate; applySwap commits it; a stale quote is refused', () => {
    const pool = withLiquidity();
    const before = pool.snapshot();
    const q = pool.quoteSwap(true, E18, MIN_SQRT_RATIO + 1n);
    expect(pool.snapshot()).toEqual(before);
    const q2 = pool.quoteSwap(true, E18, MIN_SQRT_RATIO + 1n);
    pool.applySwap(q);
    expect(pool.sqrtPriceX96).toBe(q.sqrtPriceX96After);
    expect(pool.tick).toBe(q.tickAfter);
    expect(() => pool.applySwap(q2)).toThrowError(InvariantError);
    // The same swap on a restored copy gives the same result.
    pool.restore(before);
    expect(pool.swap(true, E18, MIN_SQRT_RATIO + 1n).amount1).toBe(q.amount1);
  });
  it('behavior: crosses initialised ticks, flipping their feeGrowthOutside, and updates liquidity', () => {
    const pool = withLiquidity();
    const r = pool.swap(true, 100n * E18, encodePriceSqrt(80n, 100n));
    expect(r.crossedTicks).toEqual([-600]);
    expect(pool.liquidity).toBe(E18);
    expect(pool.ticks(-600)?.feeGrowthOutside0X128).toBe(r.crossedFeeGrowthX128[0]);
    // Back up: crosses -600 again, liquidity restored.
    pool.swap(false, 100n * E18, ONE);
    expect(pool.liquidity).toBe(11n * E18);
  });
  it('behavior: a 0→1 swap ending exactly on an initialised tick leaves tick = that tick − 1', () => {
    const pool = withLiquidity();
    pool.swap(true, 10n ** 30n, getSqrtRatioAtTick(-600));
    expect(pool.sqrtPriceX96).toBe(getSqrtRatioAtTick(-600));
    expect(pool.tick).toBe(-601);
    expect(getTickAtSqrtRatio(pool.sqrtPriceX96)).toBe(-600);
  });
  it('behavior: with no liquidity in range the price walks to the limit and nothing is exchanged', () => {
    const pool = new V3Pool({ fee: 500, tickSpacing: 10 });
    pool.initialize(ONE);
    pool.mint('a', 1000, 2000, E18);
    const r = pool.swap(true, E18, encodePriceSqrt(1n, 4n));
    expect(r.amount0).toBe(0n);
    expect(r.amount1).toBe(0n);
    expect(pool.sqrtPriceX96).toBe(encodePriceSqrt(1n, 4n));
  });
  it('behavior: protocol fee takes 1/N of the fee; collectProtocol leaves 1 wei; invalid values revert ""', () => {
    const pool = withLiquidity();
    expectRevert(pool, () => pool.setFeeProtocol(3, 0), '');
    expectRevert(pool, () => pool.setFeeProtocol(0, 11), '');
    pool.setFeeProtocol(4, 0);
    const q = pool.swap(true, E18, MIN_SQRT_RATIO + 1n);
    // Each step's fee is split with a floor, so the total is within `steps` wei of feeAmount / 4.
    expect(pool.protocolFees0 <= q.feeAmount / 4n && q.feeAmount / 4n - pool.protocolFees0 < BigInt(q.steps)).toBe(true);
    expect(pool.protocolFees1).toBe(0n);
    const accrued = pool.protocolFees0;
    const got = pool.collectProtocol();
    expect(got).toEqual({ amount0: accrued - 1n, amount1: 0n });
    expect(pool.protocolFees0).toBe(1n);
  });
  it(`property: swap then reverse never profits the trader (seed ${SEED}, 300 runs)`, () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 21n }), fc.boolean(), fc.constantFrom(100, 500, 3000, 10000), (amountIn, zeroForOne, fee) => {
        const pool = new V3Pool({ fee, tickSpacing: 10 });
        pool.initialize(ONE);
        pool.mint('a', -887270, 887270, E18);
        pool.mint('b', -100, 100, 50n * E18);
        const limitThere = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
        const limitBack = zeroForOne ? MAX_SQRT_RATIO - 1n : MIN_SQRT_RATIO + 1n;
        const there = pool.swap(zeroForOne, amountIn, limitThere);
        const received = -(zeroForOne ? there.amount1 : there.amount0);
        if (received === 0n) return true;
        const back = pool.swap(!zeroForOne, received, limitBack);
        const returned = -(zeroForOne ? back.amount0 : back.amount1);
        const paid = zeroForOne ? there.amount0 : there.amount1;
        return returned <= paid;
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
  it(`property: fees accrue only while in range (seed ${SEED}, 200 runs)`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 10n ** 19n })), { minLength: 1, maxLength: 8 }), (swaps) => {
        const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
        pool.initialize(ONE);
        pool.mint('lp', -1200, 1200, 10n * E18);
        pool.mint('out', 1200, 2400, E18); // above the price; swaps are limited to stay below 1200
        const cap = getSqrtRatioAtTick(1200);
        const floor = getSqrtRatioAtTick(-1200);
        for (const [z, amt] of swaps) {
          const limit = z ? floor : cap;
          if (z ? pool.sqrtPriceX96 <= limit : pool.sqrtPriceX96 >= limit) continue;
          pool.swap(z, amt, limit);
        }
        pool.burn('out', 1200, 2400, 0n);
        pool.burn('lp', -1200, 1200, 0n);
        const out = pool.position('out', 1200, 2400);
        const lp = pool.position('lp', -1200, 1200);
        // Fee growth only accrues while 'lp' (the only other liquidity) is in range, so it earned all of it.
        const lpLiquidity = 10n * E18;
        return (
          out.tokensOwed0 === 0n &&
          out.tokensOwed1 === 0n &&
          lp.tokensOwed0 === (pool.feeGrowthGlobal0X128 * lpLiquidity) >> 128n &&
          lp.tokensOwed1 === (pool.feeGrowthGlobal1X128 * lpLiquidity) >> 128n
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('property: random mint/swap/burn/collect sequences', () => {
  type Op =
    | { kind: 'mint'; owner: number; range: number; amount: bigint }
    | { kind: 'burn'; owner: number; range: number; fraction: number }
    | { kind: 'collect'; owner: number; range: number }
    | { kind: 'swap'; zeroForOne: boolean; amount: bigint; exactOut: boolean; limitTicks: number }
    | { kind: 'feeProtocol'; p0: number; p1: number }
    | { kind: 'collectProtocol' };
  const OWNERS = ['a', 'b', 'c'];
  const RANGES: readonly [number, number][] = [
    [-887220, 887220],
    [-600, 600],
    [-120, 60],
    [0, 180],
    [-1800, -600],
    [600, 3000],
    [-60, 0],
  ];
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('mint' as const), owner: fc.integer({ min: 0, max: 2 }), range: fc.integer({ min: 0, max: RANGES.length - 1 }), amount: fc.bigInt({ min: 1n, max: 10n ** 21n }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('burn' as const), owner: fc.integer({ min: 0, max: 2 }), range: fc.integer({ min: 0, max: RANGES.length - 1 }), fraction: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('collect' as const), owner: fc.integer({ min: 0, max: 2 }), range: fc.integer({ min: 0, max: RANGES.length - 1 }) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('swap' as const), zeroForOne: fc.boolean(), amount: fc.bigInt({ min: 1n, max: 10n ** 20n }), exactOut: fc.boolean(), limitTicks: fc.integer({ min: 1, max: 3000 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('feeProtocol' as const), p0: fc.constantFrom(0, 4, 7, 10), p1: fc.constantFrom(0, 4, 5, 10) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('collectProtocol' as const) }) },
  );

  it(`property: no token created or lost, in-range liquidity sums to active liquidity, reverts leave state unchanged (seed ${SEED}, 150 runs)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(500, 3000), fc.array(opArb, { minLength: 1, maxLength: 40 }), (fee, ops) => {
        const pool = new V3Pool({ fee, tickSpacing: 60 });
        pool.initialize(encodePriceSqrt(1n, 1n));
        let balance0 = 0n;
        let balance1 = 0n;
        for (const op of ops) {
          const snap = pool.snapshot();
          try {
            switch (op.kind) {
              case 'mint': {
                const [lo, hi] = RANGES[op.range] as [number, number];
                const r = pool.mint(OWNERS[op.owner] as string, lo, hi, op.amount);
                balance0 += r.amount0;
                balance1 += r.amount1;
                break;
              }
              case 'burn': {
                const [lo, hi] = RANGES[op.range] as [number, number];
                const owner = OWNERS[op.owner] as string;
                const held = pool.position(owner, lo, hi).liquidity;
                pool.burn(owner, lo, hi, (held * BigInt(op.fraction)) / 4n);
                break;
              }
              case 'collect': {
                const [lo, hi] = RANGES[op.range] as [number, number];
                const r = pool.collect(OWNERS[op.owner] as string, lo, hi);
                balance0 -= r.amount0;
                balance1 -= r.amount1;
                break;
              }
              case 'swap': {
                const t = pool.tick + (op.zeroForOne ? -op.limitTicks : op.limitTicks);
                const clamped = Math.max(MIN_TICK + 1, Math.min(MAX_TICK - 1, t));
                const r = pool.swap(op.zeroForOne, op.exactOut ? -op.amount : op.amount, getSqrtRatioAtTick(clamped));
                balance0 += r.amount0;
                balance1 += r.amount1;
                break;
              }
              case 'feeProtocol':
                pool.setFeeProtocol(op.p0, op.p1);
                break;
              case 'collectProtocol': {
                const r = pool.collectProtocol();
                balance0 -= r.amount0;
                balance1 -= r.amount1;
                break;
              }
            }
          } catch (e) {
            if (!(e instanceof PoolError)) throw e;
            if (JSON.stringify(pool.snapshot(), replacer) !== JSON.stringify(snap, replacer)) return false;
          }
          // In-range positions' liquidity sums to the active liquidity.
          let inRange = 0n;
          let owed0 = pool.protocolFees0;
          let owed1 = pool.protocolFees1;
          for (const p of pool.positions()) {
            if (p.tickLower <= pool.tick && pool.tick < p.tickUpper) inRange += p.info.liquidity;
            owed0 += p.info.tokensOwed0;
            owed1 += p.info.tokensOwed1;
          }
          if (inRange !== pool.liquidity) return false;
          // The pool always holds at least what it owes.
          if (balance0 < owed0 || balance1 < owed1) return false;
        }
        // Wind everything down: burn all, collect all; the pool never ends short.
        for (const p of pool.positions()) {
          if (p.info.liquidity > 0n) pool.burn(p.owner, p.tickLower, p.tickUpper, p.info.liquidity);
          const r = pool.collect(p.owner, p.tickLower, p.tickUpper);
          balance0 -= r.amount0;
          balance1 -= r.amount1;
        }
        const pr = pool.collectProtocol();
        balance0 -= pr.amount0;
        balance1 -= pr.amount1;
        return balance0 >= 0n && balance1 >= 0n && pool.liquidity === 0n && pool.initializedTicks().length === 0;
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return [...value.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return value;
}

describe('time and the oracle', () => {
  const poolAt = (time: number): V3Pool => {
    const p = new V3Pool({ fee: 3000, tickSpacing: 60 });
    p.setBlockTimestamp(time);
    p.initialize(ONE);
    return p;
  };

  it('behavior: without a timestamp the pool runs at time 0: one observation, cardinality 1', () => {
    const p = new V3Pool({ fee: 3000, tickSpacing: 60 });
    expect([p.observationIndex, p.observationCardinality, p.observationCardinalityNext]).toEqual([0, 0, 0]);
    p.initialize(ONE);
    p.mint('a', -60, 60, E18);
    p.swap(true, 10n ** 16n, MIN_SQRT_RATIO + 1n);
    expect([p.observationIndex, p.observationCardinality, p.observationCardinalityNext]).toEqual([0, 1, 1]);
    expect(p.observation(0)).toEqual({ blockTimestamp: 0, tickCumulative: 0n, secondsPerLiquidityCumulativeX128: 0n, initialized: true });
  });

  it("error: increaseObservationCardinalityNext reverts 'LOK' before initialize; observe 'I'", () => {
    const p = new V3Pool({ fee: 3000, tickSpacing: 60 });
    expectRevert(p, () => p.increaseObservationCardinalityNext(3), 'LOK');
    expectRevert(p, () => p.observe([0]), 'I');
  });

  it('behavior: a quote stays valid across a new timestamp; the swap is recorded at the new one', () => {
    const p = poolAt(1000);
    p.mint('a', -600, 600, E18);
    const q = p.quoteSwap(true, 10n ** 16n, MIN_SQRT_RATIO + 1n);
    p.setBlockTimestamp(1010);
    p.increaseObservationCardinalityNext(2);
    expect(() => p.applySwap(q)).toThrowError(InvariantError); // growing the buffer is a state change
    const q2 = p.quoteSwap(true, 10n ** 16n, MIN_SQRT_RATIO + 1n);
    p.setBlockTimestamp(1020);
    p.applySwap(q2);
    expect(p.observationIndex).toBe(1);
    expect(p.observation(1)).toMatchObject({ blockTimestamp: 1020, tickCumulative: 0n, secondsPerLiquidityCumulativeX128: (20n << 128n) / E18 });
  });

  it('behavior: snapshot/restore and clone carry time, observations and tick accumulators', () => {
    const p = poolAt(1000);
    p.increaseObservationCardinalityNext(4);
    p.mint('a', -600, 600, E18);
    p.setBlockTimestamp(1100);
    p.swap(true, 10n ** 17n, MIN_SQRT_RATIO + 1n);
    const snap = p.snapshot();
    const c = p.clone();
    p.setBlockTimestamp(1300);
    p.swap(false, 10n ** 17n, MAX_SQRT_RATIO - 1n);
    p.restore(snap);
    expect(p.snapshot()).toEqual(snap);
    expect(c.snapshot()).toEqual(snap);
    expect(p.blockTimestamp).toBe(1100);
    p.setBlockTimestamp(1200);
    c.setBlockTimestamp(1200);
    expect(c.observe([150, 0])).toEqual(p.observe([150, 0]));
    expect(c.snapshotCumulativesInside(-600, 600)).toEqual(p.snapshotCumulativesInside(-600, 600));
  });

  it('property: inside quantities add up over adjacent ranges, and seconds inside a range that holds the price all along is the time elapsed', () => {
    // Independent of Oracle.sol's formulas: whatever the path, [−120, 0) + [0, 120) = [−120, 120) in each
    // value's width, and the price never leaves [−120·k, 120·k) with a wide enough background position.
    const action = fc.record({ dt: fc.nat(5000), zeroForOne: fc.boolean(), amount: fc.bigInt({ min: 1n, max: 3n * 10n ** 15n }) });
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 25 }), (actions) => {
        const p = poolAt(2 ** 32 - 20_000); // crosses the uint32 wrap on the way
        p.increaseObservationCardinalityNext(32); // more slots than writes: the start stays observable
        p.mint('bg', -6000, 6000, E18);
        for (const [lo, hi] of [[-120, 0], [0, 120], [-120, 120]] as const) p.mint('a', lo, hi, E18 / 10n);
        const snap = () => [p.snapshotCumulativesInside(-120, 0), p.snapshotCumulativesInside(0, 120), p.snapshotCumulativesInside(-120, 120), p.snapshotCumulativesInside(-6000, 6000)];
        const start = snap();
        let t = p.blockTimestamp;
        for (const a of actions) {
          t += a.dt;
          p.setBlockTimestamp(t);
          p.swap(a.zeroForOne, a.amount, a.zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n);
        }
        t += 77;
        p.setBlockTimestamp(t);
        const end = snap();
        const d = (i: number) => ({
          tc: BigInt.asIntN(56, end[i]!.tickCumulativeInside - start[i]!.tickCumulativeInside),
          spl: BigInt.asUintN(160, end[i]!.secondsPerLiquidityInsideX128 - start[i]!.secondsPerLiquidityInsideX128),
          s: (end[i]!.secondsInside - start[i]!.secondsInside) >>> 0,
        });
        const [a, b, whole, wide] = [d(0), d(1), d(2), d(3)];
        expect(whole.tc).toBe(BigInt.asIntN(56, a.tc + b.tc));
        expect(whole.spl).toBe(BigInt.asUintN(160, a.spl + b.spl));
        expect(whole.s).toBe((a.s + b.s) >>> 0);
        expect(p.tick >= -6000 && p.tick < 6000).toBe(true);
        expect(wide.s).toBe(t - (2 ** 32 - 20_000));
        const [tc0, tc1] = p.observe([t - (2 ** 32 - 20_000), 0]).tickCumulatives;
        expect(wide.tc).toBe(BigInt.asIntN(56, tc1! - tc0!));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
