import { ConfigError, PoolError } from '../../core/errors.ts';
import { MAX_UINT160, MAX_UINT256 } from '../../math/v3/fixedPoint.ts';
import { computeRewardAmount, type RewardAmount } from '../../math/v3/rewardMath.ts';
import type { ERC721Receiver, ManagedPool, NonfungiblePositionManager } from './NonfungiblePositionManager.ts';

/**
 * # UniswapV3Staker: v3-staker 1.0.2's liquidity mining, bit-exact
 *
 * Incentives pay a reward token to position NFTs staked in them, in proportion to the liquidity-seconds
 * each stake spent in range (`secondsPerLiquidityInsideX128` of its range, from the pool's
 * `snapshotCumulativesInside`, times its liquidity), through {@link computeRewardAmount}.
 *
 * - **An incentive is its key** (rewardToken, pool, startTime, endTime, refundee): creating the same key
 *   again adds to its reward. State per incentive: `totalRewardUnclaimed`, `totalSecondsClaimedX128`,
 *   `numberOfStakes`.
 * - **Deposits**: a safe transfer of the NFT to the staker ({@link NonfungiblePositionManager.safeTransferFrom}
 *   to {@link UniswapV3Staker.address}) deposits it, and stakes it in the incentive(s) passed as `data`
 *   (one {@link IncentiveKey} or an array), all or nothing. `stakeToken` stakes a deposited token (deposit
 *   owner only). A stake records the position's liquidity and the range's seconds per liquidity at that
 *   moment: liquidity added later is not counted, it only dilutes.
 * - **Unstaking** credits the reward to the deposit's owner (claim with `claimReward`); before `endTime`
 *   only the deposit's owner may unstake, after it anyone. `endIncentive` refunds what is left once nobody
 *   is staked. `withdrawToken` hands the NFT back once it has no stakes.
 * - **Arithmetic** as Solidity 0.7.6 (unchecked): counters and `totalSecondsClaimedX128` (uint160),
 *   `totalRewardUnclaimed` and reward balances (uint256) wrap.
 *
 * Reverts: the contract's exact `UniswapV3Staker::…` strings, in its check order; a reward-token
 * transfer the staker cannot cover reverts `ST` (TransferHelper). A reverted call changes nothing.
 *
 * Time: {@link UniswapV3Staker.blockTimestamp} is `block.timestamp` (the full value, not mod 2^32); set it,
 * and the pool's time, before each call. The pool is read through the manager ({@link StakerPool}).
 */

/** What the staker needs of a pool besides the manager's calls. */
export interface StakerPool extends ManagedPool {
  /** `snapshotCumulativesInside(tickLower, tickUpper)` at the pool's current time. */
  snapshotCumulativesInside(tickLower: number, tickUpper: number): { readonly secondsPerLiquidityInsideX128: bigint };
}

/** `IncentiveKey`: names stand for the reward token's, pool's and refundee's addresses. */
export interface IncentiveKey {
  readonly rewardToken: string;
  readonly pool: string;
  /** Unix seconds (uint256). */
  readonly startTime: bigint;
  readonly endTime: bigint;
  readonly refundee: string;
}

/** `incentives(incentiveId)`. */
export interface IncentiveView {
  readonly totalRewardUnclaimed: bigint;
  /** uint160. */
  readonly totalSecondsClaimedX128: bigint;
  /** uint96. */
  readonly numberOfStakes: bigint;
}

/** `deposits(tokenId)`: owner '' when the token is not deposited. */
export interface DepositView {
  readonly owner: string;
  /** uint48. */
  readonly numberOfStakes: bigint;
  readonly tickLower: number;
  readonly tickUpper: number;
}

/** `stakes(tokenId, incentiveId)`: liquidity 0 when there is no stake. */
export interface StakeView {
  readonly secondsPerLiquidityInsideInitialX128: bigint;
  readonly liquidity: bigint;
}

export interface UniswapV3StakerOptions {
  /** Most seconds between `createIncentive` and the incentive's start (default 2,592,000 = 30 days). */
  readonly maxIncentiveStartLeadTime?: bigint;
  /** Longest incentive in seconds (default 63,072,000 = 2 × 365 days). */
  readonly maxIncentiveDuration?: bigint;
  /** The staker's own name (default `UniswapV3Staker`). */
  readonly address?: string;
}

export const DEFAULT_MAX_INCENTIVE_START_LEAD_TIME = 2_592_000n;
export const DEFAULT_MAX_INCENTIVE_DURATION = 63_072_000n;

const MAX_UINT48 = (1n << 48n) - 1n;
const MAX_UINT96 = (1n << 96n) - 1n;
const PREFIX = 'UniswapV3Staker::';
const ZERO_INCENTIVE: IncentiveView = Object.freeze({ totalRewardUnclaimed: 0n, totalSecondsClaimedX128: 0n, numberOfStakes: 0n });
const NO_DEPOSIT: DepositView = Object.freeze({ owner: '', numberOfStakes: 0n, tickLower: 0, tickUpper: 0 });
const NO_STAKE: StakeView = Object.freeze({ secondsPerLiquidityInsideInitialX128: 0n, liquidity: 0n });

function revert(fn: string, message: string): never {
  throw new PoolError(`${PREFIX}${fn}: ${message}`);
}

function checkName(field: string, v: string): void {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(field, `must be a non-empty name; was ${JSON.stringify(v)}`);
}

function checkUint256(field: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) throw new ConfigError(field, `must be a uint256 bigint; was ${String(v)}`);
}

/** `IncentiveId.compute(key)`: the key itself, as a string. */
export function incentiveId(key: IncentiveKey): string {
  checkName('rewardToken', key.rewardToken);
  checkName('pool', key.pool);
  checkName('refundee', key.refundee);
  checkUint256('startTime', key.startTime);
  checkUint256('endTime', key.endTime);
  return `${key.rewardToken}\u0000${key.pool}\u0000${key.startTime}\u0000${key.endTime}\u0000${key.refundee}`;
}

function stakeKey(tokenId: bigint, id: string): string {
  return `${tokenId}\u0001${id}`;
}

function rewardKey(token: string, owner: string): string {
  return `${token}\u0000${owner}`;
}

export class UniswapV3Staker implements ERC721Receiver {
  readonly address: string;
  readonly maxIncentiveStartLeadTime: bigint;
  readonly maxIncentiveDuration: bigint;
  readonly nonfungiblePositionManager: NonfungiblePositionManager;
  /** `block.timestamp` for the next call (unix seconds, uint256). */
  blockTimestamp = 0n;

  // Entries are replaced, never mutated, so shallow copies of these maps are true snapshots.
  private _incentives = new Map<string, IncentiveView>();
  private _deposits = new Map<bigint, DepositView>();
  private _stakes = new Map<string, StakeView>();
  private _rewards = new Map<string, bigint>();
  /** The staker's balance of each reward token. */
  private _balances = new Map<string, bigint>();

  constructor(manager: NonfungiblePositionManager, options: UniswapV3StakerOptions = {}) {
    this.nonfungiblePositionManager = manager;
    this.maxIncentiveStartLeadTime = options.maxIncentiveStartLeadTime ?? DEFAULT_MAX_INCENTIVE_START_LEAD_TIME;
    this.maxIncentiveDuration = options.maxIncentiveDuration ?? DEFAULT_MAX_INCENTIVE_DURATION;
    checkUint256('maxIncentiveStartLeadTime', this.maxIncentiveStartLeadTime);
    checkUint256('maxIncentiveDuration', this.maxIncentiveDuration);
    this.address = options.address ?? 'UniswapV3Staker';
    checkName('address', this.address);
    manager.registerReceiver(this.address, this);
  }

  // ---------------------------------------------------------------- views

  /** `incentives(IncentiveId.compute(key))`: zeros for a key never funded. */
  incentives(key: IncentiveKey): IncentiveView {
    return this._incentives.get(incentiveId(key)) ?? ZERO_INCENTIVE;
  }

  /** `deposits(tokenId)`. */
  deposits(tokenId: bigint): DepositView {
    return this._deposits.get(tokenId) ?? NO_DEPOSIT;
  }

  /** `stakes(tokenId, incentiveId)`. */
  stakes(tokenId: bigint, key: IncentiveKey): StakeView {
    return this._stakes.get(stakeKey(tokenId, incentiveId(key))) ?? NO_STAKE;
  }

  /** `rewards(rewardToken, owner)`: credited and not yet claimed. */
  rewards(rewardToken: string, owner: string): bigint {
    return this._rewards.get(rewardKey(rewardToken, owner)) ?? 0n;
  }

  /** The staker's own balance of `rewardToken` (funded by createIncentive, paid out by claims and refunds). */
  balanceOf(rewardToken: string): bigint {
    return this._balances.get(rewardToken) ?? 0n;
  }

  private pay(token: string, amount: bigint): void {
    const bal = this.balanceOf(token);
    if (bal < amount) throw new PoolError('ST', `reverted: ST (the staker holds ${bal} of ${token}, cannot send ${amount})`);
    this._balances.set(token, bal - amount);
  }

  private stakerPool(id: string): StakerPool {
    const pool = this.nonfungiblePositionManager.pool(id) as StakerPool | undefined;
    if (pool === undefined) throw new PoolError('', `reverted (bare): no pool ${JSON.stringify(id)} (a call to an address without code)`);
    return pool;
  }

  // ---------------------------------------------------------------- incentives

  /** `createIncentive(key, reward)` by `caller` (who pays the reward). */
  createIncentive(caller: string, key: IncentiveKey, reward: bigint): void {
    checkName('caller', caller);
    checkUint256('reward', reward);
    const id = incentiveId(key);
    const now = this.blockTimestamp;
    if (!(reward > 0n)) revert('createIncentive', 'reward must be positive');
    if (!(now <= key.startTime)) revert('createIncentive', 'start time must be now or in the future');
    if (!(key.startTime - now <= this.maxIncentiveStartLeadTime)) revert('createIncentive', 'start time too far into future');
    if (!(key.startTime < key.endTime)) revert('createIncentive', 'start time must be before end time');
    if (!(key.endTime - key.startTime <= this.maxIncentiveDuration)) revert('createIncentive', 'incentive duration is too long');
    const inc = this._incentives.get(id) ?? ZERO_INCENTIVE;
    const balance = this.balanceOf(key.rewardToken) + reward;
    // A token's total supply fits in uint256: the transfer in fails before the balance could pass it.
    if (balance > MAX_UINT256) throw new PoolError('STF', 'reverted: STF (the reward token cannot hold that much)');
    this._incentives.set(id, { ...inc, totalRewardUnclaimed: (inc.totalRewardUnclaimed + reward) & MAX_UINT256 });
    this._balances.set(key.rewardToken, balance);
  }

  /** `endIncentive(key)`: sends what is left unclaimed to the refundee; returns the refund. */
  endIncentive(key: IncentiveKey): bigint {
    const id = incentiveId(key);
    if (!(this.blockTimestamp >= key.endTime)) revert('endIncentive', 'cannot end incentive before end time');
    const inc = this._incentives.get(id) ?? ZERO_INCENTIVE;
    const refund = inc.totalRewardUnclaimed;
    if (!(refund > 0n)) revert('endIncentive', 'no refund available');
    if (inc.numberOfStakes !== 0n) revert('endIncentive', 'cannot end incentive while deposits are staked');
    this.pay(key.rewardToken, refund);
    this._incentives.set(id, { ...inc, totalRewardUnclaimed: 0n });
    return refund;
  }

  // ---------------------------------------------------------------- deposits and stakes

  /**
   * The NFT's receiver hook: only the manager calls it (from a safe transfer). Deposits the token for
   * `from`, then stakes it in `data` (an {@link IncentiveKey}, an array of them, or nothing), all or nothing.
   */
  onERC721Received(_operator: string, from: string, tokenId: bigint, data: unknown): void {
    const manager = this.nonfungiblePositionManager;
    if (manager.holderOf(tokenId) !== this.address) revert('onERC721Received', 'not a univ3 nft');
    const { tickLower, tickUpper } = manager.positions(tokenId);
    const keys: readonly IncentiveKey[] = data === undefined ? [] : Array.isArray(data) ? (data as IncentiveKey[]) : [data as IncentiveKey];
    const saved = this.save();
    try {
      this._deposits.set(tokenId, { owner: from, numberOfStakes: 0n, tickLower, tickUpper });
      for (const key of keys) this.stakeTokenUnchecked(key, tokenId);
    } catch (e) {
      this.load(saved);
      throw e;
    }
  }

  /** `transferDeposit(tokenId, to)` by the deposit's owner. */
  transferDeposit(caller: string, tokenId: bigint, to: string): void {
    checkName('to', to);
    const dep = this.deposits(tokenId);
    if (dep.owner !== caller) revert('transferDeposit', 'can only be called by deposit owner');
    this._deposits.set(tokenId, { ...dep, owner: to });
  }

  /** `withdrawToken(tokenId, to, data)` by the deposit's owner: the NFT goes to `to` (default: the caller). */
  withdrawToken(caller: string, tokenId: bigint, to: string = caller): void {
    checkName('to', to);
    if (to === this.address) revert('withdrawToken', 'cannot withdraw to staker');
    const dep = this.deposits(tokenId);
    if (dep.numberOfStakes !== 0n) revert('withdrawToken', 'cannot withdraw token while staked');
    if (dep.owner !== caller) revert('withdrawToken', 'only owner can withdraw token');
    this.nonfungiblePositionManager.safeTransferFrom(this.address, this.address, to, tokenId);
    this._deposits.delete(tokenId);
  }

  /** `stakeToken(key, tokenId)` by the deposit's owner. Returns the stake recorded. */
  stakeToken(caller: string, key: IncentiveKey, tokenId: bigint): StakeView {
    if (this.deposits(tokenId).owner !== caller) revert('stakeToken', 'only owner can stake token');
    return this.stakeTokenUnchecked(key, tokenId);
  }

  /** `_stakeToken`: every check, then the commit. */
  private stakeTokenUnchecked(key: IncentiveKey, tokenId: bigint): StakeView {
    const now = this.blockTimestamp;
    const id = incentiveId(key);
    if (!(now >= key.startTime)) revert('stakeToken', 'incentive not started');
    if (!(now < key.endTime)) revert('stakeToken', 'incentive ended');
    const inc = this._incentives.get(id) ?? ZERO_INCENTIVE;
    if (!(inc.totalRewardUnclaimed > 0n)) revert('stakeToken', 'non-existent incentive');
    const sk = stakeKey(tokenId, id);
    if (this._stakes.has(sk)) revert('stakeToken', 'token already staked');
    const pos = this.nonfungiblePositionManager.positions(tokenId);
    if (pos.pool !== key.pool) revert('stakeToken', 'token pool is not the incentive pool');
    if (!(pos.liquidity > 0n)) revert('stakeToken', 'cannot stake token with 0 liquidity');
    const { secondsPerLiquidityInsideX128 } = this.stakerPool(pos.pool).snapshotCumulativesInside(pos.tickLower, pos.tickUpper);
    const dep = this.deposits(tokenId);
    const stake: StakeView = { secondsPerLiquidityInsideInitialX128: secondsPerLiquidityInsideX128, liquidity: pos.liquidity };
    this._deposits.set(tokenId, { ...dep, numberOfStakes: (dep.numberOfStakes + 1n) & MAX_UINT48 });
    this._incentives.set(id, { ...inc, numberOfStakes: (inc.numberOfStakes + 1n) & MAX_UINT96 });
    this._stakes.set(sk, stake);
    return stake;
  }

  /**
   * `unstakeToken(key, tokenId)` by `caller`: credits the stake's reward to the deposit's owner and
   * returns it. Before `endTime` only the deposit's owner may call it; after, anyone.
   */
  unstakeToken(caller: string, key: IncentiveKey, tokenId: bigint): RewardAmount {
    const id = incentiveId(key);
    const dep = this.deposits(tokenId);
    if (this.blockTimestamp < key.endTime && dep.owner !== caller) {
      revert('unstakeToken', 'only owner can withdraw token before incentive end time');
    }
    const sk = stakeKey(tokenId, id);
    const stake = this._stakes.get(sk) ?? NO_STAKE;
    if (stake.liquidity === 0n) revert('unstakeToken', 'stake does not exist');
    const inc = this._incentives.get(id) ?? ZERO_INCENTIVE;
    const r = this.rewardFor(key, inc, dep, stake);
    const rk = rewardKey(key.rewardToken, dep.owner);
    this._deposits.set(tokenId, { ...dep, numberOfStakes: (dep.numberOfStakes - 1n) & MAX_UINT48 });
    this._incentives.set(id, {
      totalRewardUnclaimed: (inc.totalRewardUnclaimed - r.reward) & MAX_UINT256,
      totalSecondsClaimedX128: (inc.totalSecondsClaimedX128 + r.secondsInsideX128) & MAX_UINT160,
      numberOfStakes: (inc.numberOfStakes - 1n) & MAX_UINT96,
    });
    this._rewards.set(rk, ((this._rewards.get(rk) ?? 0n) + r.reward) & MAX_UINT256);
    this._stakes.delete(sk);
    return r;
  }

  private rewardFor(key: IncentiveKey, inc: IncentiveView, dep: DepositView, stake: StakeView): RewardAmount {
    const { secondsPerLiquidityInsideX128 } = this.stakerPool(key.pool).snapshotCumulativesInside(dep.tickLower, dep.tickUpper);
    return computeRewardAmount({
      totalRewardUnclaimed: inc.totalRewardUnclaimed,
      totalSecondsClaimedX128: inc.totalSecondsClaimedX128,
      startTime: key.startTime,
      endTime: key.endTime,
      liquidity: stake.liquidity,
      secondsPerLiquidityInsideInitialX128: stake.secondsPerLiquidityInsideInitialX128,
      secondsPerLiquidityInsideX128,
      currentTime: this.blockTimestamp,
    });
  }

  /** `getRewardInfo(key, tokenId)`: what unstaking now would credit (a view). */
  getRewardInfo(key: IncentiveKey, tokenId: bigint): RewardAmount {
    const id = incentiveId(key);
    const stake = this._stakes.get(stakeKey(tokenId, id)) ?? NO_STAKE;
    if (!(stake.liquidity > 0n)) revert('getRewardInfo', 'stake does not exist');
    return this.rewardFor(key, this._incentives.get(id) ?? ZERO_INCENTIVE, this.deposits(tokenId), stake);
  }

  /**
   * `claimReward(rewardToken, to, amountRequested)` by `caller`: pays `amountRequested`, or everything
   * owed when it is 0 or more than owed (it never reverts for asking too much). Returns the amount paid.
   */
  claimReward(caller: string, rewardToken: string, amountRequested: bigint): bigint {
    checkName('caller', caller);
    checkName('rewardToken', rewardToken);
    checkUint256('amountRequested', amountRequested);
    const rk = rewardKey(rewardToken, caller);
    const owed = this._rewards.get(rk) ?? 0n;
    const reward = amountRequested !== 0n && amountRequested < owed ? amountRequested : owed;
    this.pay(rewardToken, reward);
    this._rewards.set(rk, owed - reward);
    return reward;
  }

  // ---------------------------------------------------------------- transactions

  private save(): [Map<string, IncentiveView>, Map<bigint, DepositView>, Map<string, StakeView>, Map<string, bigint>, Map<string, bigint>] {
    return [new Map(this._incentives), new Map(this._deposits), new Map(this._stakes), new Map(this._rewards), new Map(this._balances)];
  }

  private load(s: ReturnType<UniswapV3Staker['save']>): void {
    [this._incentives, this._deposits, this._stakes, this._rewards, this._balances] = s;
  }
}
