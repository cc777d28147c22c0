import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revertReason } from '../../core/revertReason.ts';
import { computeRewardAmount, type RewardAmountInput } from './rewardMath.ts';

// Published vectors: Uniswap/v3-staker test/unit/RewardMath/RewardMath.spec.ts (R = 1000 over [100, 200]).
const X128 = 1n << 128n;
const base: RewardAmountInput = {
  totalRewardUnclaimed: 1000n,
  totalSecondsClaimedX128: 0n,
  startTime: 100n,
  endTime: 200n,
  liquidity: 5n,
  secondsPerLiquidityInsideInitialX128: 0n,
  secondsPerLiquidityInsideX128: (20n << 128n) / 10n,
  currentTime: 120n,
};

describe('computeRewardAmount: RewardMath.spec.ts vectors', () => {
  it('behavior: half the liquidity over 20 % of the duration gets 100', () => {
    expect(computeRewardAmount(base)).toEqual({ reward: 100n, secondsInsideX128: 10n * X128 });
  });
  it('behavior: all the liquidity for the whole duration, unstaked a whole duration after the end, gets 500', () => {
    const r = computeRewardAmount({ ...base, liquidity: 100n, secondsPerLiquidityInsideX128: (100n << 128n) / 100n, currentTime: 300n });
    expect(r).toEqual({ reward: 500n, secondsInsideX128: 100n * X128 });
  });
  it('behavior: the same unstaked one second after the end gets 990', () => {
    const r = computeRewardAmount({ ...base, liquidity: 100n, secondsPerLiquidityInsideX128: (100n << 128n) / 100n, currentTime: 201n });
    expect(r).toEqual({ reward: 990n, secondsInsideX128: 100n * X128 });
  });
  it('behavior: with 10 seconds already claimed the reward is 111', () => {
    expect(computeRewardAmount({ ...base, totalSecondsClaimedX128: 10n * X128 })).toEqual({ reward: 111n, secondsInsideX128: 10n * X128 });
  });
  it('behavior: nothing left unclaimed gets 0', () => {
    expect(computeRewardAmount({ ...base, totalRewardUnclaimed: 0n })).toEqual({ reward: 0n, secondsInsideX128: 10n * X128 });
  });
  it('behavior: no seconds inside, or no liquidity, gets 0', () => {
    expect(computeRewardAmount({ ...base, secondsPerLiquidityInsideInitialX128: base.secondsPerLiquidityInsideX128 })).toEqual({
      reward: 0n,
      secondsInsideX128: 0n,
    });
    expect(computeRewardAmount({ ...base, liquidity: 0n })).toEqual({ reward: 0n, secondsInsideX128: 0n });
  });
  it('error: reverts (no reason: an assert) when the current time is before the start', () => {
    expect(revertReason(() => computeRewardAmount({ ...base, currentTime: 99n }))).toBe('');
  });
});

describe('computeRewardAmount: the contract widths', () => {
  it('behavior: the seconds-per-liquidity difference wraps in uint160 (a counter that passed 2^160)', () => {
    const initial = (1n << 160n) - 5n * X128; // 5 seconds per liquidity before the wrap …
    const now = 5n * X128; //                    … and 5 after it
    const r = computeRewardAmount({ ...base, liquidity: 1n, secondsPerLiquidityInsideInitialX128: initial, secondsPerLiquidityInsideX128: now });
    expect(r.secondsInsideX128).toBe(10n * X128);
    expect(r.reward).toBe(100n); // 10 of 100 seconds
  });
  it('behavior: the product with liquidity wraps in uint160', () => {
    const r = computeRewardAmount({ ...base, liquidity: 1n << 100n, secondsPerLiquidityInsideX128: 1n << 70n });
    expect(r.secondsInsideX128).toBe(((1n << 170n) % (1n << 160n)));
  });
  it('error: a zero denominator (every second claimed) reverts bare', () => {
    expect(revertReason(() => computeRewardAmount({ ...base, totalSecondsClaimedX128: 100n * X128, currentTime: 150n }))).toBe('');
  });
  it('property: with secondsInside ≤ unclaimed seconds, 0 ≤ reward ≤ unclaimed reward and it is the floor of R·s/S (fast-check, seed 4711)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 200n) }),
        fc.bigInt({ min: 1n, max: 1n << 30n }),
        fc.bigInt({ min: 0n, max: 1n << 30n }),
        fc.bigInt({ min: 1n, max: (1n << 128n) - 1n }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        fc.bigInt({ min: 0n, max: 1n << 20n }),
        (R, duration, after, L, splDelta, claimedSeconds) => {
          const start = 1_700_000_000n;
          const end = start + duration;
          const now = end + after;
          const total = (now > end ? now : end) - start;
          const claimed = claimedSeconds % total; // claimed < total
          const input: RewardAmountInput = {
            totalRewardUnclaimed: R,
            totalSecondsClaimedX128: claimed << 128n,
            startTime: start,
            endTime: end,
            liquidity: L,
            secondsPerLiquidityInsideInitialX128: 12345n,
            secondsPerLiquidityInsideX128: 12345n + splDelta,
            currentTime: now,
          };
          const s = (splDelta * L) % (1n << 160n);
          const S = (total - claimed) << 128n;
          fc.pre(s <= S);
          const { reward, secondsInsideX128 } = computeRewardAmount(input);
          expect(secondsInsideX128).toBe(s);
          expect(reward <= R).toBe(true);
          expect(reward * S <= R * s && R * s < (reward + 1n) * S).toBe(true);
        },
      ),
      { numRuns: 300, seed: 4711 },
    );
  });
});
