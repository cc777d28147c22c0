import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TICK, MIN_TICK } from '../../math/v3/tickMath.ts';
import { V3ExactEnginePool } from './v3ExactEnginePool.ts';
import { V3FloatPool } from './v3FloatPool.ts';

/**
 * Edge cases of the float v3 pool against the exact pool (the bigint contract mirror, same adapter): swaps that
 * run into the price limits at MIN_TICK / MAX_TICK, and small real liquidity left beside much larger liquidity
 * that has just left the range (which must not be taken for float noise of an exact zero).
 */

type Pool = V3FloatPool | V3ExactEnginePool;
const rel = (f: number, e: number): number => Math.abs(f - e) / Math.max(Math.abs(e), 1e-300);
const both = (fee: number, spacing: number, price: number): [V3FloatPool, V3ExactEnginePool] => [new V3FloatPool(fee, spacing, price), new V3ExactEnginePool(fee, spacing, price)];

/** Tick, active liquidity, price and each position's range state and fees agree (float within the given tolerances). */
function expectAgree(float: V3FloatPool, exact: V3ExactEnginePool, ids: readonly number[], tol: { liquidity: number; fees: number }): void {
  expect(float.currentTick()).toBe(exact.currentTick());
  expect(float.currentTick()).toBeGreaterThanOrEqual(MIN_TICK);
  expect(float.currentTick()).toBeLessThanOrEqual(MAX_TICK - 1);
  const le = exact.activeLiquidity();
  expect(float.activeLiquidity() === 0).toBe(le === 0);
  expect(Math.abs(float.activeLiquidity() - le)).toBeLessThanOrEqual(tol.liquidity * le);
  expect(rel(float.price(), exact.price())).toBeLessThan(1e-9);
  for (const id of ids) {
    const f = float.position(id);
    const e = exact.position(id);
    expect(f.inRange).toBe(e.inRange);
    expect(Math.abs(f.feesBase - e.feesBase)).toBeLessThanOrEqual(tol.fees * e.feesBase + 2e-18);
    expect(Math.abs(f.feesQuote - e.feesQuote)).toBeLessThanOrEqual(tol.fees * e.feesQuote + 2e-18);
  }
}

describe('V3FloatPool at the price limits (the contract stops inside (MIN_SQRT_RATIO, MAX_SQRT_RATIO) and never crosses MIN_TICK / MAX_TICK)', () => {
  /** Spacing 1: background full range and an LP full range minted by ticks (±887272, the MIN/MAX ticks themselves). */
  function fullRangeAtMinMax(): { pools: [V3FloatPool, V3ExactEnginePool]; lp: number } {
    const pools = both(0.0001, 1, 1);
    let lp = 0;
    for (const p of pools) {
      expect(p.minUsableTick).toBe(MIN_TICK);
      expect(p.maxUsableTick).toBe(MAX_TICK);
      p.mintLiquidity('background', p.minUsableTick, p.maxUsableTick, 1e-6, true);
      lp = p.mintTicks('lp', p.minUsableTick, p.maxUsableTick, 10n ** 12n).positionId; // L = 1e-6
    }
    return { pools, lp };
  }

  it('behavior: swapExactIn(quote, 1e20) stops at tick MAX_TICK − 1 with the full-range liquidity still active, then swapExactIn(base, 1e20) at MIN_TICK, as the exact pool', () => {
    const { pools, lp } = fullRangeAtMinMax();
    const [float, exact] = pools;
    const fUp = float.swapExactIn(false, 1e20);
    const eUp = exact.swapExactIn(false, 1e20);
    expect(exact.currentTick()).toBe(MAX_TICK - 1);
    expect(exact.activeLiquidity()).toBe(2e-6);
    expectAgree(float, exact, [1, lp], { liquidity: 1e-12, fees: 1e-9 });
    expect(rel(fUp.quoteDelta, eUp.quoteDelta)).toBeLessThan(1e-9);
    expect(rel(fUp.baseDelta, eUp.baseDelta)).toBeLessThan(1e-6); // ~2e-6 base out; the exact pool's is whole raw units
    const fDown = float.swapExactIn(true, 1e20);
    const eDown = exact.swapExactIn(true, 1e20);
    expect(exact.currentTick()).toBe(MIN_TICK);
    expect(exact.activeLiquidity()).toBe(2e-6);
    expectAgree(float, exact, [1, lp], { liquidity: 1e-12, fees: 1e-9 });
    expect(rel(fDown.baseDelta, eDown.baseDelta)).toBeLessThan(1e-9);
    // A small swap back trades against the same (uncrossed) liquidity on both.
    const fBack = float.swapExactIn(false, 1e-3);
    const eBack = exact.swapExactIn(false, 1e-3);
    expect(rel(fBack.baseDelta, eBack.baseDelta)).toBeLessThan(1e-9);
    expectAgree(float, exact, [1, lp], { liquidity: 1e-12, fees: 1e-9 });
  });

  it.each([
    ['down first', true],
    ['up first', false],
  ] as const)('behavior: %s, both limits in turn by swapToPrice beyond the v3 range (1e±60) agree with the exact pool', (_name, downFirst) => {
    const { pools, lp } = fullRangeAtMinMax();
    const [float, exact] = pools;
    for (const target of downFirst ? [1e-60, 1e60, 1e-60] : [1e60, 1e-60, 1e60]) {
      for (const p of pools) p.swapToPrice(target);
      expect(exact.currentTick()).toBe(target > 1 ? MAX_TICK - 1 : MIN_TICK);
      expectAgree(float, exact, [1, lp], { liquidity: 1e-12, fees: 1e-9 });
      // At the limit already: a further swap the same way does nothing on either pool.
      for (const p of pools) expect(p.swapExactIn(target < 1, 1).baseDelta).toBe(0);
    }
  });

  it('behavior: positions with a bound on MIN_TICK / MAX_TICK one tick wide are in range at the limits (their outer tick is never crossed)', () => {
    const pools = both(0.0001, 1, 1);
    for (const p of pools) {
      p.mintLiquidity('bg', -1000, 1000, 5);
      p.mintTicks('top', MAX_TICK - 1, MAX_TICK, 3n * 10n ** 18n); // id 2
      p.mintTicks('bottom', MIN_TICK, MIN_TICK + 1, 7n * 10n ** 18n); // id 3
    }
    const [float, exact] = pools;
    for (const target of [1e60, 1e-60]) {
      for (const p of pools) p.swapToPrice(target);
      expect(exact.activeLiquidity()).toBe(target > 1 ? 3 : 7);
      // Fees of the two edge positions: 1e-4 relative, as the contract's Q64.96 √price near MIN_TICK is only ~4e9
      // units (its amounts over the one tick are ~5e-6 off the real-valued ones). The background's quote fees
      // (~2.6e-5) do not survive in float fee growth beside the ~1e11 per unit of L earned at 1.0001^887271: a
      // float-precision limit outside this check.
      expectAgree(float, exact, [2, 3], { liquidity: 1e-12, fees: 1e-4 });
      expect(float.position(1).inRange).toBe(false);
      expect(exact.position(1).inRange).toBe(false);
    }
  });

  it.each([1, 60, 200])('behavior: with no position at the MIN/MAX ticks (and in an empty pool) the tick at the limits is MIN_TICK / MAX_TICK − 1 (spacing %i)', (spacing) => {
    for (const seeded of [true, false]) {
      const pools = both(0.003, spacing, 2000);
      if (seeded) for (const p of pools) p.mintLiquidity('bg', -6000, 6000, 100);
      const [float, exact] = pools;
      for (const target of [1e60, 1e-60, 1e60]) {
        for (const p of pools) p.swapToPrice(target);
        expectAgree(float, exact, seeded ? [1] : [], { liquidity: 1e-12, fees: 1e-9 });
      }
      for (const amount of [1e30, 1e30]) {
        float.swapExactIn(true, amount);
        exact.swapExactIn(true, amount);
        expectAgree(float, exact, seeded ? [1] : [], { liquidity: 1e-12, fees: 1e-9 });
      }
    }
  });
});

describe('V3FloatPool: liquidity is zeroed only when no position is left in range', () => {
  // Float L after crossing out of 1e6 leaves 5e-7 with the rounding of the 1e6 terms (ulp 1.2e-10): ~1e-5 relative.
  const SMALL = { liquidity: 1e-4, fees: 1e-6 };

  it('behavior: a 5e-7 position left alone when 1e6 of liquidity leaves the range stays active and earns its fees, as in the exact pool', () => {
    const pools = both(0.003, 60, 1);
    let lp = 0;
    for (const p of pools) {
      p.mintLiquidity('background', -600, 600, 1e6);
      lp = p.mintLiquidity('lp', -600, 1200, 5e-7);
    }
    const [float, exact] = pools;
    for (const p of pools) p.swapToPrice(1.0001 ** 900); // crosses 600: only the LP remains
    expectAgree(float, exact, [1, lp], SMALL);
    expect(exact.activeLiquidity()).toBe(5e-7);
    for (const p of pools) p.swapToPrice(1.0001 ** 700); // trades against the LP alone
    expectAgree(float, exact, [1, lp], SMALL);
    expect(exact.currentTick()).toBe(699);
    expect(float.position(lp).feesBase).toBeGreaterThan(1e-11);
    // Back below 600: the background returns and the LP keeps its share.
    for (const p of pools) p.swapToPrice(1.0001 ** -300);
    expectAgree(float, exact, [1, lp], SMALL);
  });

  it('behavior: burning 1e6 of in-range liquidity beside a 5e-7 position leaves 5e-7 active (burn path), and closing that leaves exactly 0', () => {
    const pools = both(0.003, 60, 1);
    for (const p of pools) {
      p.mintLiquidity('background', -600, 600, 1e6); // id 1
      p.mintLiquidity('lp', -1200, 1200, 5e-7); // id 2
      p.burn(1, 1);
    }
    const [float, exact] = pools;
    expectAgree(float, exact, [2], SMALL);
    expect(exact.activeLiquidity()).toBe(5e-7);
    for (const p of pools) p.swapToPrice(1.0001 ** 100);
    expectAgree(float, exact, [2], SMALL);
    for (const p of pools) p.burn(2, 1);
    expect(float.activeLiquidity()).toBe(0);
    expect(exact.activeLiquidity()).toBe(0);
  });

  it('behavior: when the last in-range position leaves, L is exactly 0 even where the float residual exceeds 1e-12 of the operand', () => {
    // L = 1e6 + 0.3; crossing 600 leaves 0.3 ± ulp(1e6), then crossing 1200 leaves that rounding (≫ 1e-12 · 0.3).
    const pools = both(0.003, 60, 1);
    for (const p of pools) {
      p.mintLiquidity('a', -600, 600, 1e6);
      p.mintLiquidity('b', -1200, 1200, 0.3);
    }
    const [float, exact] = pools;
    for (const p of pools) p.swapToPrice(1.0001 ** 1500);
    expect(exact.activeLiquidity()).toBe(0);
    expect(float.activeLiquidity()).toBe(0);
    expectAgree(float, exact, [1, 2], { liquidity: 0, fees: 1e-6 });
    // Swapping through the empty gap moves the price for free on both.
    const f = float.swapToPrice(1.0001 ** 1800);
    const e = exact.swapToPrice(1.0001 ** 1800);
    expect(f.quoteDelta).toBe(0);
    expect(e.quoteDelta).toBe(0);
    for (const p of pools) p.swapToPrice(1.0001 ** 300);
    expectAgree(float, exact, [1, 2], SMALL);
  });

  it('property: over random positions of very different sizes (1e-9 … 1e6), swaps and burns, L is 0 exactly when the exact pool\'s is, and otherwise agrees (fast-check, 80 runs, seed 7373)', () => {
    const spacing = 60;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 19 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: -9, max: 6 })), { minLength: 1, maxLength: 8 }),
        fc.array(
          fc.oneof(
            fc.tuple(fc.constant('swap' as const), fc.integer({ min: -1500, max: 1500 }), fc.constant(0)),
            fc.tuple(fc.constant('burn' as const), fc.integer({ min: 0, max: 7 }), fc.constantFrom(1, 0.5)),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (ranges, ops) => {
          const pools = both(0.003, spacing, 1);
          const [float, exact] = pools;
          const open: number[] = [];
          let total = 0;
          for (const [lo, w, e10] of ranges) {
            const raw = 10n ** BigInt(18 + e10) * 3n;
            total += Number(raw) / 1e18;
            for (const p of pools) p.mintTicks('p', lo * spacing, (lo + w) * spacing, raw);
            open.push(open.length + 1);
          }
          for (const [op, a, b] of ops) {
            if (op === 'swap') {
              for (const p of pools) p.swapToPrice(1.0001 ** (a + 0.5));
            } else if (open.length > 0) {
              const id = open[a % open.length]!;
              for (const p of pools) p.burn(id, b);
              if (b === 1) open.splice(open.indexOf(id), 1);
            }
            const le = exact.activeLiquidity();
            const lf = float.activeLiquidity();
            expect(float.currentTick()).toBe(exact.currentTick());
            expect(lf === 0).toBe(le === 0);
            // Float L carries the rounding of the larger liquidity it has added and removed (≲ 1e-15 of the total).
            expect(Math.abs(lf - le)).toBeLessThanOrEqual(1e-9 * le + 1e-15 * total);
            for (const id of open) expect(float.position(id).inRange).toBe(exact.position(id).inRange);
          }
        },
      ),
      { numRuns: 80, seed: 7373 },
    );
  });
});
