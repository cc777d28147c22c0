import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { revertReason } from '../../core/revertReason.ts';
import { getSqrtRatioAtTick } from '../../math/v3/tickMath.ts';
import { V3Pool } from '../v3/v3Pool.ts';
import { NonfungiblePositionManager } from './NonfungiblePositionManager.ts';
import { UniswapV3Staker, type IncentiveKey } from './UniswapV3Staker.ts';

const T0 = 1_700_000_000;
const PRICE_1 = 79228162514264337593543950336n;

function setup(options?: ConstructorParameters<typeof UniswapV3Staker>[1]) {
  const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
  pool.setBlockTimestamp(T0);
  pool.initialize(PRICE_1);
  const manager = new NonfungiblePositionManager();
  manager.registerPool('p', pool);
  const staker = new UniswapV3Staker(manager, options);
  const at = (t: number): void => {
    pool.setBlockTimestamp(t);
    staker.blockTimestamp = BigInt(t);
  };
  at(T0);
  return { pool, manager, staker, at };
}

const key = (over: Partial<IncentiveKey> = {}): IncentiveKey => ({
  rewardToken: 'r',
  pool: 'p',
  startTime: BigInt(T0 + 100),
  endTime: BigInt(T0 + 1100),
  refundee: 'z',
  ...over,
});

describe('UniswapV3Staker: the contract rules', () => {
  it('error: createIncentive checks reward, start, lead time, order and duration in that order', () => {
    const { staker } = setup();
    const r = (k: IncentiveKey, reward: bigint) => revertReason(() => staker.createIncentive('c', k, reward));
    // Everything wrong at once: the first check wins.
    expect(r(key({ startTime: BigInt(T0 - 1), endTime: BigInt(T0 - 2) }), 0n)).toBe('UniswapV3Staker::createIncentive: reward must be positive');
    expect(r(key({ startTime: BigInt(T0 - 1), endTime: BigInt(T0 - 2) }), 1n)).toBe('UniswapV3Staker::createIncentive: start time must be now or in the future');
    expect(r(key({ startTime: BigInt(T0 + 2_592_001), endTime: BigInt(T0) }), 1n)).toBe('UniswapV3Staker::createIncentive: start time too far into future');
    expect(r(key({ startTime: BigInt(T0 + 2_592_000), endTime: BigInt(T0 + 2_592_000) }), 1n)).toBe('UniswapV3Staker::createIncentive: start time must be before end time');
    expect(r(key({ endTime: BigInt(T0 + 100 + 63_072_001) }), 1n)).toBe('UniswapV3Staker::createIncentive: incentive duration is too long');
    expect(r(key({ endTime: BigInt(T0 + 100 + 63_072_000) }), 1n)).toBeUndefined();
  });

  it('behavior: maxIncentiveStartLeadTime and maxIncentiveDuration are constructor parameters', () => {
    const { staker } = setup({ maxIncentiveStartLeadTime: 50n, maxIncentiveDuration: 10n });
    expect(revertReason(() => staker.createIncentive('c', key(), 1n))).toBe('UniswapV3Staker::createIncentive: start time too far into future');
    expect(revertReason(() => staker.createIncentive('c', key({ startTime: BigInt(T0 + 50), endTime: BigInt(T0 + 61) }), 1n))).toBe(
      'UniswapV3Staker::createIncentive: incentive duration is too long',
    );
    expect(staker.maxIncentiveStartLeadTime).toBe(50n);
  });

  it('behavior: the only liquidity in range earns the reward by the second (floors included); after the end anyone may unstake; the refund is the rest', () => {
    const { manager, staker, at } = setup();
    const { tokenId, liquidity: L } = manager.mint({ pool: 'p', tickLower: -600, tickUpper: 600, amount0Desired: 10n ** 18n, amount1Desired: 10n ** 18n, recipient: 'a' });
    expect(tokenId).toBe(1n);
    staker.createIncentive('c', key(), 1000n);
    at(T0 + 100);
    manager.safeTransferFrom('a', 'a', staker.address, tokenId, key());
    expect(staker.deposits(tokenId)).toMatchObject({ owner: 'a', numberOfStakes: 1n });
    // The pool's seconds-per-liquidity since the mint at T0 (no observation written since): floor(Δt·2^128 / L).
    const spl = (t: number): bigint => (BigInt(t - T0) << 128n) / L;
    const X = 1n << 128n;
    at(T0 + 600);
    // Half-way: 1000 · secondsInside / 1000 s, where secondsInside = (spl(600) − spl(100))·L ≤ 500 s (floors).
    const half = (1000n * ((spl(600) - spl(100)) * L)) / (1000n * X);
    expect(half).toBeGreaterThanOrEqual(499n);
    expect(staker.getRewardInfo(key(), tokenId).reward).toBe(half);
    expect(revertReason(() => staker.unstakeToken('b', key(), tokenId))).toBe(
      'UniswapV3Staker::unstakeToken: only owner can withdraw token before incentive end time',
    );
    at(T0 + 1200); // 100 s after the end: the denominator is 1100 s, and this stake was inside all 1100
    const { reward } = staker.unstakeToken('b', key(), tokenId); // anyone may, after the end
    expect(reward).toBe((1000n * ((spl(1200) - spl(100)) * L)) / (1100n * X));
    expect(reward).toBeGreaterThanOrEqual(999n);
    expect(staker.rewards('r', 'a')).toBe(reward); // credited to the deposit's owner, not the caller
    expect(staker.rewards('r', 'b')).toBe(0n);
    if (reward < 1000n) expect(staker.endIncentive(key())).toBe(1000n - reward);
    else expect(revertReason(() => staker.endIncentive(key()))).toBe('UniswapV3Staker::endIncentive: no refund available');
    expect(staker.claimReward('a', 'r', 10n ** 30n)).toBe(reward); // asking too much pays what is owed
    expect(staker.balanceOf('r')).toBe(0n);
  });

  it('error: a failed stake inside the deposit transfer undoes the transfer', () => {
    const { manager, staker } = setup();
    const { tokenId } = manager.mint({ pool: 'p', tickLower: -600, tickUpper: 600, amount0Desired: 10n ** 18n, amount1Desired: 10n ** 18n, recipient: 'a' });
    staker.createIncentive('c', key(), 1000n);
    expect(revertReason(() => manager.safeTransferFrom('a', 'a', staker.address, tokenId, key()))).toBe('UniswapV3Staker::stakeToken: incentive not started');
    expect(manager.ownerOf(tokenId)).toBe('a');
    expect(staker.deposits(tokenId).owner).toBe('');
  });
});

describe('UniswapV3Staker: properties (fast-check)', () => {
  it('property: while a token stays staked, its getRewardInfo never decreases before the incentive ends — whatever others do (seed 4242, 60 runs)', () => {
    const action = fc.record({
      dt: fc.integer({ min: 0, max: 120 }),
      kind: fc.constantFrom('swap', 'mintOther', 'increaseStaked', 'restakeOther', 'fundAgain', 'nothing'),
      zeroForOne: fc.boolean(),
      amount: fc.bigInt({ min: 1n, max: 10n ** 19n }),
      tick: fc.integer({ min: -40, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 30 }), (actions) => {
        const { pool, manager, staker, at } = setup();
        const mint = (owner: string, lo: number, hi: number) =>
          manager.mint({ pool: 'p', tickLower: lo, tickUpper: hi, amount0Desired: 10n ** 18n, amount1Desired: 10n ** 18n, recipient: owner }).tokenId;
        const mine = mint('a', -600, 600);
        const other = mint('b', -1200, 240);
        const k = key({ endTime: BigInt(T0 + 100 + 3000) });
        staker.createIncentive('c', k, 10n ** 21n);
        let t = T0 + 100;
        at(t);
        manager.safeTransferFrom('a', 'a', staker.address, mine, k);
        manager.safeTransferFrom('b', 'b', staker.address, other, k);
        let last = staker.getRewardInfo(k, mine).reward;
        for (const a of actions) {
          t += a.dt;
          if (t >= T0 + 3100) break;
          at(t);
          try {
            if (a.kind === 'swap') {
              const limit = getSqrtRatioAtTick(a.tick * 60 + (a.zeroForOne ? -3000 : 3000));
              pool.swap(a.zeroForOne, a.amount, limit);
            } else if (a.kind === 'mintOther') mint('d', a.tick * 60, a.tick * 60 + 600);
            else if (a.kind === 'increaseStaked') manager.increaseLiquidity(mine, a.amount, a.amount);
            else if (a.kind === 'restakeOther') {
              staker.unstakeToken('b', k, other);
              staker.stakeToken('b', k, other);
            } else if (a.kind === 'fundAgain') staker.createIncentive('c', k, a.amount);
          } catch (e) {
            if (!(e instanceof PoolError)) throw e; // a refused swap (price limit) changes nothing
          }
          const now = staker.getRewardInfo(k, mine).reward;
          expect(now >= last).toBe(true);
          last = now;
        }
      }),
      { numRuns: 60, seed: 4242 },
    );
  });
});
