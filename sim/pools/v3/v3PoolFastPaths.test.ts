import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { getSqrtRatioAtTick, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from '../../math/v3/tickMath.ts';
import { quoteSwapReference, type ReferenceQuote } from './testing/quoteSwapReference.ts';
import { V3Pool, type V3SwapQuote } from './v3Pool.ts';

// The pool's swap loop takes shortcuts (a walk over empty bitmap words while no liquidity is in range, memoised
// prices); the plain step-by-step loop of the contract (testing/quoteSwapReference.ts) must give the same
// result, field for field, steps included. Pools are sparse on purpose (few positions over wide tick ranges,
// spacings down to 1) so swaps cross thousands of empty words; limits fall on word edges and initialised
// ticks, exactly or one wei off, where a shortcut is easiest to get wrong.
const SEED = 20240715;

const SPACINGS = [1, 10, 60, 200] as const;
const FEES = [100, 500, 3000, 10000] as const;

interface Scenario {
  spacing: number;
  fee: number;
  startTick: number;
  startOffset: number;
  positions: { lower: number; upper: number; liquidity: bigint }[];
  swaps: { zeroForOne: boolean; amount: bigint; limitKind: number; limitTick: number; limitOffset: number }[];
}

const wordEdgeTick = (spacing: number, word: number, high: boolean): number => ((word << 8) + (high ? 255 : 0)) * spacing;

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    si: fc.integer({ min: 0, max: SPACINGS.length - 1 }),
    fi: fc.integer({ min: 0, max: FEES.length - 1 }),
    startFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    startOffset: fc.constantFrom(0, 0, 1, 12345),
    positions: fc.array(
      fc.record({
        a: fc.double({ min: 0, max: 1, noNaN: true }),
        width: fc.integer({ min: 1, max: 3000 }),
        liquidity: fc.bigInt({ min: 1n, max: 10n ** 30n }),
        adjacent: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
    swaps: fc.array(
      fc.record({
        zeroForOne: fc.boolean(),
        bits: fc.integer({ min: 0, max: 200 }),
        mant: fc.bigInt({ min: 1n, max: 1n << 40n }),
        exactOut: fc.boolean(),
        limitKind: fc.integer({ min: 0, max: 4 }),
        limitFrac: fc.double({ min: 0, max: 1, noNaN: true }),
        limitOffset: fc.constantFrom(-1, 0, 0, 1),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map((r) => {
    const spacing = SPACINGS[r.si] as number;
    const minT = Math.ceil(MIN_TICK / spacing) * spacing;
    const maxT = Math.floor(MAX_TICK / spacing) * spacing;
    const onSpacing = (f: number): number => Math.min(maxT, Math.max(minT, Math.round((MIN_TICK + f * (MAX_TICK - MIN_TICK)) / spacing) * spacing));
    const positions: Scenario['positions'] = [];
    let prevUpper: number | undefined;
    for (const p of r.positions) {
      const lower = p.adjacent && prevUpper !== undefined && prevUpper < maxT ? prevUpper : Math.min(onSpacing(p.a), maxT - spacing);
      const upper = Math.min(maxT, lower + p.width * spacing);
      positions.push({ lower, upper, liquidity: p.liquidity });
      prevUpper = upper;
    }
    return {
      spacing,
      fee: FEES[r.fi] as number,
      startTick: Math.min(MAX_TICK - 1, Math.max(MIN_TICK, Math.round(MIN_TICK + r.startFrac * (MAX_TICK - MIN_TICK)))),
      startOffset: r.startOffset,
      positions,
      swaps: r.swaps.map((s) => {
        const amount = s.mant << BigInt(s.bits);
        // Limit kinds: 0 the extreme, 1 a word's low edge, 2 a word's high edge, 3 any tick, 4 a position's tick.
        const word = Math.floor((MIN_TICK + s.limitFrac * (MAX_TICK - MIN_TICK)) / spacing / 256);
        const pos = positions.length > 0 ? positions[Math.floor(s.limitFrac * positions.length)] : undefined;
        const limitTick =
          s.limitKind === 1
            ? wordEdgeTick(spacing, word, false)
            : s.limitKind === 2
              ? wordEdgeTick(spacing, word, true)
              : s.limitKind === 4 && pos !== undefined
                ? s.limitFrac * positions.length - Math.floor(s.limitFrac * positions.length) < 0.5
                  ? pos.lower
                  : pos.upper
                : Math.round(MIN_TICK + s.limitFrac * (MAX_TICK - MIN_TICK));
        return { zeroForOne: s.zeroForOne, amount: s.exactOut ? -amount : amount, limitKind: s.limitKind, limitTick, limitOffset: s.limitOffset };
      }),
    };
  });

function limitOf(s: Scenario['swaps'][number]): bigint {
  if (s.limitKind === 0) return s.zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
  const t = Math.min(MAX_TICK, Math.max(MIN_TICK, s.limitTick));
  return getSqrtRatioAtTick(t) + BigInt(s.limitOffset);
}

type Outcome = { revert: string } | { quote: ReferenceQuote };

function outcome(f: () => ReferenceQuote | V3SwapQuote): Outcome {
  try {
    const q = f();
    return {
      quote: {
        amount0: q.amount0,
        amount1: q.amount1,
        sqrtPriceX96After: q.sqrtPriceX96After,
        tickAfter: q.tickAfter,
        liquidityAfter: q.liquidityAfter,
        feeGrowthGlobalX128After: q.feeGrowthGlobalX128After,
        protocolFee: q.protocolFee,
        feeAmount: q.feeAmount,
        crossedTicks: [...q.crossedTicks],
        crossedFeeGrowthX128: [...q.crossedFeeGrowthX128],
        steps: q.steps,
      },
    };
  } catch (e) {
    if (e instanceof PoolError) return { revert: e.reason };
    throw e;
  }
}

describe('property: the pool swap equals the plain step-by-step loop', () => {
  it(`quotes, swap after swap, on sparse random pools (seed ${SEED}, 300 runs)`, () => {
    let walked = 0;
    fc.assert(
      fc.property(scenario, (sc) => {
        const pool = new V3Pool({ fee: sc.fee, tickSpacing: sc.spacing });
        pool.initialize(getSqrtRatioAtTick(sc.startTick) + BigInt(sc.startOffset));
        for (const p of sc.positions) pool.mint('lp', p.lower, p.upper, p.liquidity);
        if (sc.positions.length > 1) pool.setFeeProtocol(4, 7);
        for (const s of sc.swaps) {
          const limit = limitOf(s);
          const valid = s.zeroForOne ? limit < pool.sqrtPriceX96 && limit > MIN_SQRT_RATIO : limit > pool.sqrtPriceX96 && limit < MAX_SQRT_RATIO;
          if (!valid) continue; // SPL: checked before the loop, not a fast path
          const expected = outcome(() => quoteSwapReference(pool.snapshot(), s.zeroForOne, s.amount, limit));
          const actual = outcome(() => pool.quoteSwap(s.zeroForOne, s.amount, limit));
          expect(actual).toEqual(expected);
          if ('quote' in expected) {
            if (expected.quote.steps > 2) walked++;
            pool.swap(s.zeroForOne, s.amount, limit);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    // Not vacuous: many swaps walked over several words.
    expect(walked).toBeGreaterThan(100);
  });
});
