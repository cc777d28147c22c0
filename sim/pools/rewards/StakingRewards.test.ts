import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revertReason } from '../../core/revertReason.ts';
import { MAX_UINT256, StakingRewards, STAKING_REWARDS_DURATION } from './StakingRewards.ts';

const E18 = 10n ** 18n;
const D = STAKING_REWARDS_DURATION;
const T0 = 1_700_000_000n;

function started(reward: bigint, time: bigint, pool = new StakingRewards()): StakingRewards {
  pool.fund(reward);
  pool.notifyRewardAmount(reward, time);
  return pool;
}

// Published vectors: liquidity-staker test/StakingRewards.spec.ts (Uniswap/liquidity-staker), reward = 100e18,
// stake = 2e18, REWARDS_DURATION = 60 days.
describe('StakingRewards: liquidity-staker StakingRewards.spec.ts', () => {
  const reward = 100n * E18;
  const stake = 2n * E18;

  it('behavior: notifyRewardAmount: full — one staker over the whole period gets floor(R/D)·D', () => {
    const pool = new StakingRewards();
    pool.stake('staker', stake, T0);
    started(reward, T0 + 1n, pool);
    const endTime = pool.periodFinish;
    expect(endTime).toBe(pool.lastUpdateTime + D);
    const { withdrawn, paid } = pool.exit('staker', endTime + 1n);
    expect(pool.lastUpdateTime).toBe(endTime);
    expect(withdrawn).toBe(stake);
    expect(paid).toBe((reward / D) * D);
    expect(reward - paid <= reward / 10000n).toBe(true);
  });

  it('behavior: notifyRewardAmount: ~half — staking halfway earns floor(R/D)·(end − stakeStart)', () => {
    const pool = started(reward, T0);
    const { lastUpdateTime: startTime, periodFinish: endTime } = pool;
    pool.stake('staker', stake, startTime + (endTime - startTime) / 2n);
    const stakeStartTime = pool.lastUpdateTime;
    const { paid } = pool.exit('staker', endTime + 1n);
    expect(pool.lastUpdateTime).toBe(endTime);
    expect(paid).toBe((reward / D) * (endTime - stakeStartTime));
    expect(reward / 2n - paid <= reward / 2n / 10000n).toBe(true);
  });

  it('behavior: notifyRewardAmount: two stakers — 3/4 and 1/4 of the total, within 0.01 %', () => {
    const pool = new StakingRewards();
    pool.stake('staker', stake, T0);
    started(reward, T0 + 1n, pool);
    const { lastUpdateTime: startTime, periodFinish: endTime } = pool;
    pool.stake('second', stake, startTime + (endTime - startTime) / 2n);
    const first = pool.exit('staker', endTime + 1n).paid;
    expect(pool.lastUpdateTime).toBe(endTime);
    const second = pool.exit('second', endTime + 1n).paid;
    const total = first + second;
    expect(reward - total <= reward / 10000n).toBe(true);
    const abs = (x: bigint) => (x < 0n ? -x : x);
    expect(abs((total * 3n) / 4n - first) <= (total * 3n) / 4n / 10000n).toBe(true);
    expect(abs(total / 4n - second) <= total / 4n / 10000n).toBe(true);
    // Everything not paid is rounding dust still held by the contract.
    expect(pool.rewardBalance).toBe(reward - total);
  });
});

describe('StakingRewards: contract arithmetic', () => {
  it('behavior: rewardPerToken and earned are the floored formulas; time with no stake is lost', () => {
    const pool = started(5_184_000_000n, 1000n); // rate 1000 per second
    expect(pool.rewardRate).toBe(1000n);
    // 100 s with nothing staked: rewardPerToken stays 0 and lastUpdateTime moves on at the stake.
    pool.stake('a', 3n, 1100n);
    expect(pool.rewardPerTokenStored).toBe(0n);
    expect(pool.lastUpdateTime).toBe(1100n);
    // 10 s later: rpt = ⌊10·1000·1e18/3⌋, earned = ⌊3·rpt/1e18⌋ = 9999.
    expect(pool.rewardPerToken(1110n)).toBe((10n * 1000n * E18) / 3n);
    expect(pool.earned('a', 1110n)).toBe(9999n);
    // Whole period: the 100 s before the stake never reach anyone.
    const { paid } = pool.exit('a', 1000n + D + 50n);
    expect(paid).toBe((((D - 100n) * 1000n * E18) / 3n) * 3n / E18);
    expect(paid).toBeLessThan(5_184_000_000n - 100n * 1000n + 1n);
  });

  it('behavior: a top-up during the period adds the leftover and restarts the full duration', () => {
    const pool = started(5_184_000_000n, 0n); // rate 1000
    pool.fund(1_000_000n);
    pool.notifyRewardAmount(1_000_000n, 5184n);
    expect(pool.rewardRate).toBe((1_000_000n + (D - 5184n) * 1000n) / D);
    expect(pool.periodFinish).toBe(5184n + D);
    expect(pool.lastUpdateTime).toBe(5184n);
    // After the period ends a notify starts afresh from R alone.
    pool.fund(7n * D);
    pool.notifyRewardAmount(7n * D, 5184n + D);
    expect(pool.rewardRate).toBe(7n);
  });

  it('behavior: a custom duration is honoured', () => {
    const pool = new StakingRewards({ rewardsDuration: 7 * 86400 });
    pool.fund(604_800n * 5n);
    pool.notifyRewardAmount(604_800n * 5n, 10);
    expect(pool.rewardRate).toBe(5n);
    expect(pool.periodFinish).toBe(10n + 604_800n);
    expect(pool.getRewardForDuration()).toBe(604_800n * 5n);
  });
});

describe('StakingRewards: reverts with the contract strings, state unchanged', () => {
  function snapshot(pool: StakingRewards, account: string) {
    return {
      rate: pool.rewardRate,
      stored: pool.rewardPerTokenStored,
      lut: pool.lastUpdateTime,
      pf: pool.periodFinish,
      supply: pool.totalSupply,
      bal: pool.rewardBalance,
      account: pool.account(account),
    };
  }

  it('error: Cannot stake 0 / Cannot withdraw 0 come after updateReward, and roll it back', () => {
    const pool = started(D * 10n, 0n);
    pool.stake('a', 5n, 10n);
    const before = snapshot(pool, 'a');
    expect(revertReason(() => pool.stake('a', 0n, 100n))).toBe('Cannot stake 0');
    expect(revertReason(() => pool.withdraw('a', 0n, 100n))).toBe('Cannot withdraw 0');
    expect(revertReason(() => pool.exit('b', 100n))).toBe('Cannot withdraw 0');
    expect(snapshot(pool, 'a')).toEqual(before);
  });

  it('error: withdrawing more than the balance is SafeMath: subtraction overflow', () => {
    const pool = new StakingRewards();
    pool.stake('a', 5n, 10n);
    pool.stake('b', 5n, 10n);
    expect(revertReason(() => pool.withdraw('a', 6n, 11n))).toBe('SafeMath: subtraction overflow');
    expect(pool.balanceOf('a')).toBe(5n);
  });

  it('error: only the rewardsDistribution may notify; the rate is checked against the balance', () => {
    const pool = new StakingRewards();
    pool.fund(D * 3n);
    expect(revertReason(() => pool.notifyRewardAmount(D, 1n, 'mallory'))).toBe('Caller is not RewardsDistribution contract');
    expect(revertReason(() => pool.notifyRewardAmount(D * 4n, 1n))).toBe('Provided reward too high');
    expect(pool.rewardRate).toBe(0n);
    expect(pool.periodFinish).toBe(0n);
    // R not a multiple of D: ⌊R/D⌋ ≤ ⌊balance/D⌋ passes even with R slightly above the balance.
    pool.notifyRewardAmount(D * 3n + D - 1n, 1n);
    expect(pool.rewardRate).toBe(3n);
  });

  it('error: a short-funded period passes the check and the last claim fails SafeERC20: low-level call failed', () => {
    const pool = new StakingRewards();
    pool.stake('a', 1n, 0n);
    pool.stake('b', 1n, 0n);
    pool.fund(D * 10n);
    pool.notifyRewardAmount(D * 10n, 0n);
    // At the end, a top-up counts the unclaimed rewards in the balance: nothing new is funded.
    pool.notifyRewardAmount(D * 10n, D);
    expect(pool.getReward('a', 2n * D)).toBe(D * 10n); // half of each period
    const before = snapshot(pool, 'b');
    expect(revertReason(() => pool.getReward('b', 2n * D))).toBe('SafeERC20: low-level call failed');
    expect(snapshot(pool, 'b')).toEqual(before);
    expect(pool.earned('b', 2n * D)).toBe(D * 10n);
    // exit = withdraw then getReward in one transaction: the failed payout undoes the withdrawal too.
    expect(revertReason(() => pool.exit('b', 2n * D))).toBe('SafeERC20: low-level call failed');
    expect(pool.balanceOf('b')).toBe(1n);
    expect(pool.totalSupply).toBe(2n);
  });

  it('error: a rate whose Δt·rate·1e18 overflows makes every update revert SafeMath: multiplication overflow', () => {
    const pool = new StakingRewards();
    pool.stake('a', E18, 0n);
    const huge = (MAX_UINT256 / E18 / 2n) * D;
    pool.fund(huge);
    pool.notifyRewardAmount(huge, 0n); // 2 s of rate·1e18 fit; 3 s do not
    expect(pool.rewardPerToken(1n)).toBeGreaterThan(0n);
    expect(revertReason(() => pool.rewardPerToken(3n))).toBe('SafeMath: multiplication overflow');
    for (const op of [() => pool.stake('a', 1n, 3n), () => pool.withdraw('a', 1n, 3n), () => pool.getReward('a', 3n), () => pool.exit('a', 3n)]) {
      expect(revertReason(op)).toBe('SafeMath: multiplication overflow');
    }
    expect(revertReason(() => pool.earned('a', 3n))).toBe('SafeMath: multiplication overflow');
    expect(pool.balanceOf('a')).toBe(E18);
  });
});

// Random event sequences for the property tests: times non-decreasing, amounts moderate.
const arbOps = fc.array(
  fc.record({
    kind: fc.constantFrom('stake', 'withdraw', 'getReward', 'exit', 'notify', 'wait'),
    who: fc.constantFrom('a', 'b', 'c'),
    amount: fc.bigInt({ min: 0n, max: 10n ** 24n }),
    dt: fc.integer({ min: 0, max: 3_000_000 }),
  }),
  { minLength: 1, maxLength: 40 },
);

describe('StakingRewards: properties', () => {
  it('property: paid + earned by all never exceeds what was funded, and the contract can pay all when fully funded', () => {
    fc.assert(
      fc.property(arbOps, (ops) => {
        const pool = new StakingRewards();
        let t = T0;
        let funded = 0n;
        let paid = 0n;
        for (const op of ops) {
          t += BigInt(op.dt);
          switch (op.kind) {
            case 'stake':
              if (op.amount > 0n) pool.stake(op.who, op.amount, t);
              break;
            case 'withdraw': {
              const amt = op.amount % (pool.balanceOf(op.who) + 1n);
              if (amt > 0n) pool.withdraw(op.who, amt, t);
              break;
            }
            case 'getReward':
              paid += pool.getReward(op.who, t);
              break;
            case 'exit':
              if (pool.balanceOf(op.who) > 0n) paid += pool.exit(op.who, t).paid;
              break;
            case 'notify':
              pool.fund(op.amount);
              funded += op.amount;
              pool.notifyRewardAmount(op.amount, t);
              break;
            default:
              break;
          }
          const owed = ['a', 'b', 'c'].reduce((sum, w) => sum + pool.earned(w, t), 0n);
          expect(paid + owed).toBeLessThanOrEqual(funded);
          expect(pool.rewardBalance).toBe(funded - paid);
        }
      }),
      { numRuns: 200, seed: 1202 },
    );
  });

  it("property: a staker's earned never decreases while it stays staked (others come and go, top-ups land)", () => {
    fc.assert(
      fc.property(arbOps, fc.bigInt({ min: 1n, max: 10n ** 22n }), (ops, stakeA) => {
        const pool = new StakingRewards();
        let t = T0;
        pool.stake('a', stakeA, t);
        let last = 0n;
        for (const op of ops) {
          t += BigInt(op.dt);
          const who = op.who === 'a' ? 'b' : op.who; // 'a' only stays staked
          if (op.kind === 'stake' && op.amount > 0n) pool.stake(who, op.amount, t);
          else if (op.kind === 'exit' && pool.balanceOf(who) > 0n) pool.exit(who, t);
          else if (op.kind === 'notify') {
            pool.fund(op.amount);
            pool.notifyRewardAmount(op.amount, t);
          }
          const now = pool.earned('a', t);
          expect(now).toBeGreaterThanOrEqual(last);
          last = now;
        }
      }),
      { numRuns: 200, seed: 1203 },
    );
  });
});
