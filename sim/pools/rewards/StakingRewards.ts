/**
 * `StakingRewards`: an exact bigint mirror of Uniswap's StakingRewards (`@uniswap/liquidity-staker@1.0.2`,
 * a Synthetix fork with no owner and no pause): stakers of one token share a reward token streamed at a
 * constant `rewardRate` over `rewardsDuration` seconds after each `notifyRewardAmount`.
 *
 * Times are unix seconds, `bigint` or a safe non-negative integer `number` (the contract's
 * `block.timestamp`, full uint256 width). Amounts are raw token units (bigint, uint256). Each mutating
 * method is one transaction: it applies fully or throws a PoolError with the contract's revert string and
 * leaves every field unchanged.
 *
 * As the contract does it (OpenZeppelin 2.3.0 SafeMath, every step checked in the contract's order):
 * - `rewardPerToken(t) = stored + ⌊(min(t, periodFinish) − lastUpdateTime)·rewardRate·1e18 / totalSupply⌋`,
 *   just `stored` while nothing is staked — rewards streamed while the supply is 0 are lost for good
 *   (they stay in the contract's balance, unassigned).
 * - `earned(a, t) = ⌊balance·(rewardPerToken(t) − userRewardPerTokenPaid)/1e18⌋ + rewards`; the floors are
 *   the rounding dust that stays in the contract.
 * - `updateReward(a)` runs before stake, withdraw, getReward and notify (after the distributor check for
 *   notify, before `Cannot stake 0` / `Cannot withdraw 0`): stores rewardPerToken, sets
 *   `lastUpdateTime = min(t, periodFinish)`, stores the account's earned and paid.
 * - `notifyRewardAmount(R)`: `rate = ⌊R/D⌋` at or after periodFinish, else `⌊(R + (periodFinish − t)·rate)/D⌋`;
 *   requires `rate ≤ ⌊rewardBalance/D⌋` (`Provided reward too high`) — the whole reward-token balance,
 *   earned-but-unclaimed rewards included; then `lastUpdateTime = t`, `periodFinish = t + D`.
 * - `rewardBalance` is the contract's reward-token balance: `fund` transfers tokens in (the distributor's
 *   transfer before notify), `getReward` pays out; a payout above the balance reverts
 *   `SafeERC20: low-level call failed`.
 * - A rate so large that `Δt·rate·1e18` exceeds 2^256 − 1 makes every later update revert
 *   `SafeMath: multiplication overflow` (the contract is then stuck, as on chain).
 *
 * Not modelled: `stakeWithPermit` (same as stake), events, and the staking token's own balances (a staker is
 * assumed to hold and approve what it stakes).
 */
import { InvariantError, PoolError } from '../../core/errors.ts';

/** 2^256 − 1. */
export const MAX_UINT256 = (1n << 256n) - 1n;
/** liquidity-staker 1.0.2's `rewardsDuration`: 60 days in seconds. */
export const STAKING_REWARDS_DURATION = 5_184_000n;
/** The contract's 1e18 fixed-point scale for rewardPerToken. */
export const REWARD_PER_TOKEN_SCALE = 10n ** 18n;
/** Default name of the `rewardsDistribution` address (the only caller allowed to notify). */
export const DEFAULT_REWARDS_DISTRIBUTION = '__rewardsDistribution';

/** OpenZeppelin 2.3.0 SafeMath, with its revert strings. */
export function safeAdd(a: bigint, b: bigint): bigint {
  const c = a + b;
  if (c > MAX_UINT256) throw new PoolError('SafeMath: addition overflow');
  return c;
}
export function safeSub(a: bigint, b: bigint): bigint {
  if (b > a) throw new PoolError('SafeMath: subtraction overflow');
  return a - b;
}
export function safeMul(a: bigint, b: bigint): bigint {
  if (a === 0n) return 0n;
  const c = a * b;
  if (c > MAX_UINT256) throw new PoolError('SafeMath: multiplication overflow');
  return c;
}
export function safeDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new PoolError('SafeMath: division by zero');
  return a / b;
}

/** A time in unix seconds: bigint, or a safe non-negative integer number. */
export type UnixTime = bigint | number;

export function toTime(t: UnixTime, what = 'time'): bigint {
  if (typeof t === 'number') {
    if (!Number.isSafeInteger(t) || t < 0) throw new InvariantError(`StakingRewards: ${what} must be a non-negative safe integer (unix seconds); was ${t}`);
    return BigInt(t);
  }
  if (typeof t !== 'bigint' || t < 0n || t > MAX_UINT256) throw new InvariantError(`StakingRewards: ${what} must be a uint256 (unix seconds); was ${String(t)}`);
  return t;
}

function assertUint256(what: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) throw new InvariantError(`StakingRewards: ${what} must be a bigint in [0, 2^256 − 1]; was ${String(v)}`);
}

function assertAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0) throw new InvariantError(`StakingRewards: account must be a non-empty string; was ${JSON.stringify(account)}`);
}

export interface StakingRewardsParams {
  /** Seconds each notify streams over (the contract's `rewardsDuration`); default 5,184,000 (60 days). */
  readonly rewardsDuration?: UnixTime;
  /** Name of the `rewardsDistribution` address; default {@link DEFAULT_REWARDS_DISTRIBUTION}. */
  readonly rewardsDistribution?: string;
}

/** One account's storage: `_balances`, `rewards`, `userRewardPerTokenPaid`. */
export interface StakingAccount {
  readonly balance: bigint;
  readonly rewards: bigint;
  readonly userRewardPerTokenPaid: bigint;
}

export interface ExitResult {
  /** Staking tokens returned (the whole balance). */
  readonly withdrawn: bigint;
  /** Reward tokens paid (0 if nothing was owed). */
  readonly paid: bigint;
}

interface Scalars {
  rewardRate: bigint;
  rewardPerTokenStored: bigint;
  lastUpdateTime: bigint;
  periodFinish: bigint;
  totalSupply: bigint;
  rewardBalance: bigint;
}

const ZERO_ACCOUNT: StakingAccount = { balance: 0n, rewards: 0n, userRewardPerTokenPaid: 0n };

export class StakingRewards {
  readonly rewardsDuration: bigint;
  readonly rewardsDistribution: string;
  private s: Scalars = { rewardRate: 0n, rewardPerTokenStored: 0n, lastUpdateTime: 0n, periodFinish: 0n, totalSupply: 0n, rewardBalance: 0n };
  private readonly accounts = new Map<string, StakingAccount>();

  constructor(params: StakingRewardsParams = {}) {
    this.rewardsDuration = toTime(params.rewardsDuration ?? STAKING_REWARDS_DURATION, 'rewardsDuration');
    if (this.rewardsDuration === 0n) throw new InvariantError('StakingRewards: rewardsDuration must be positive');
    this.rewardsDistribution = params.rewardsDistribution ?? DEFAULT_REWARDS_DISTRIBUTION;
  }

  get rewardRate(): bigint {
    return this.s.rewardRate;
  }
  get rewardPerTokenStored(): bigint {
    return this.s.rewardPerTokenStored;
  }
  get lastUpdateTime(): bigint {
    return this.s.lastUpdateTime;
  }
  get periodFinish(): bigint {
    return this.s.periodFinish;
  }
  /** Staking tokens staked in total (`_totalSupply`). */
  get totalSupply(): bigint {
    return this.s.totalSupply;
  }
  /** The contract's reward-token balance (what `notifyRewardAmount` checks and `getReward` pays from). */
  get rewardBalance(): bigint {
    return this.s.rewardBalance;
  }

  /** The account's storage (zeros for an unknown account). */
  account(account: string): StakingAccount {
    return this.accounts.get(account) ?? ZERO_ACCOUNT;
  }
  balanceOf(account: string): bigint {
    return this.account(account).balance;
  }
  rewards(account: string): bigint {
    return this.account(account).rewards;
  }
  userRewardPerTokenPaid(account: string): bigint {
    return this.account(account).userRewardPerTokenPaid;
  }
  /** Accounts ever touched, in order of first appearance. */
  accountNames(): string[] {
    return [...this.accounts.keys()];
  }

  /** `min(t, periodFinish)`. */
  lastTimeRewardApplicable(time: UnixTime): bigint {
    const t = toTime(time);
    return t < this.s.periodFinish ? t : this.s.periodFinish;
  }

  /** The view `rewardPerToken()` at `time`; throws PoolError where the contract's view reverts. */
  rewardPerToken(time: UnixTime): bigint {
    const s = this.s;
    if (s.totalSupply === 0n) return s.rewardPerTokenStored;
    const dt = safeSub(this.lastTimeRewardApplicable(time), s.lastUpdateTime);
    return safeAdd(s.rewardPerTokenStored, safeDiv(safeMul(safeMul(dt, s.rewardRate), REWARD_PER_TOKEN_SCALE), s.totalSupply));
  }

  /** The view `earned(account)` at `time`; throws PoolError where the contract's view reverts. */
  earned(account: string, time: UnixTime): bigint {
    const a = this.account(account);
    const rpt = this.rewardPerToken(time);
    return safeAdd(safeDiv(safeMul(a.balance, safeSub(rpt, a.userRewardPerTokenPaid)), REWARD_PER_TOKEN_SCALE), a.rewards);
  }

  /** `rewardRate · rewardsDuration` (SafeMath). */
  getRewardForDuration(): bigint {
    return safeMul(this.s.rewardRate, this.rewardsDuration);
  }

  /**
   * A reward-token transfer into the contract (what the distributor does before notifying; anyone may).
   * The ERC20 reverts `SafeMath: addition overflow` if the balance would pass 2^256 − 1.
   */
  fund(amount: bigint): void {
    assertUint256('amount', amount);
    this.s.rewardBalance = safeAdd(this.s.rewardBalance, amount);
  }

  /** `stake(amount)` from `account` at `time`. */
  stake(account: string, amount: bigint, time: UnixTime): void {
    assertAccount(account);
    assertUint256('amount', amount);
    const t = toTime(time);
    this.transact(account, () => {
      this.updateReward(account, t);
      if (amount === 0n) throw new PoolError('Cannot stake 0');
      this.s.totalSupply = safeAdd(this.s.totalSupply, amount);
      const a = this.account(account);
      this.accounts.set(account, { ...a, balance: safeAdd(a.balance, amount) });
    });
  }

  /** `withdraw(amount)` from `account` at `time`. */
  withdraw(account: string, amount: bigint, time: UnixTime): void {
    assertAccount(account);
    assertUint256('amount', amount);
    const t = toTime(time);
    this.transact(account, () => this.withdrawInner(account, amount, t));
  }

  /** `getReward()` from `account` at `time`; returns the reward tokens paid (0 if nothing was owed). */
  getReward(account: string, time: UnixTime): bigint {
    assertAccount(account);
    const t = toTime(time);
    return this.transact(account, () => this.getRewardInner(account, t));
  }

  /** `exit()`: `withdraw(balance)` then `getReward()`, one transaction. */
  exit(account: string, time: UnixTime): ExitResult {
    assertAccount(account);
    const t = toTime(time);
    return this.transact(account, () => {
      const withdrawn = this.account(account).balance;
      this.withdrawInner(account, withdrawn, t);
      const paid = this.getRewardInner(account, t);
      return { withdrawn, paid };
    });
  }

  /**
   * `notifyRewardAmount(reward)` sent by `caller` (default: the rewardsDistribution) at `time`. The reward
   * tokens must already be in the contract ({@link fund}); only the rate check looks at them.
   */
  notifyRewardAmount(reward: bigint, time: UnixTime, caller: string = this.rewardsDistribution): void {
    assertUint256('reward', reward);
    const t = toTime(time);
    this.transact(undefined, () => {
      if (caller !== this.rewardsDistribution) throw new PoolError('Caller is not RewardsDistribution contract');
      this.updateReward(undefined, t);
      const s = this.s;
      const D = this.rewardsDuration;
      if (t >= s.periodFinish) {
        s.rewardRate = safeDiv(reward, D);
      } else {
        const remaining = safeSub(s.periodFinish, t);
        const leftover = safeMul(remaining, s.rewardRate);
        s.rewardRate = safeDiv(safeAdd(reward, leftover), D);
      }
      if (s.rewardRate > safeDiv(s.rewardBalance, D)) throw new PoolError('Provided reward too high');
      s.lastUpdateTime = t;
      s.periodFinish = safeAdd(t, D);
    });
  }

  private updateReward(account: string | undefined, t: bigint): void {
    const s = this.s;
    s.rewardPerTokenStored = this.rewardPerToken(t);
    s.lastUpdateTime = this.lastTimeRewardApplicable(t);
    if (account !== undefined) {
      const rewards = this.earned(account, t);
      const a = this.account(account);
      this.accounts.set(account, { balance: a.balance, rewards, userRewardPerTokenPaid: s.rewardPerTokenStored });
    }
  }

  private withdrawInner(account: string, amount: bigint, t: bigint): void {
    this.updateReward(account, t);
    if (amount === 0n) throw new PoolError('Cannot withdraw 0');
    this.s.totalSupply = safeSub(this.s.totalSupply, amount);
    const a = this.account(account);
    this.accounts.set(account, { ...a, balance: safeSub(a.balance, amount) });
  }

  private getRewardInner(account: string, t: bigint): bigint {
    this.updateReward(account, t);
    const reward = this.account(account).rewards;
    if (reward > 0n) {
      this.accounts.set(account, { ...this.account(account), rewards: 0n });
      // SafeERC20 over OpenZeppelin 2.3.0's ERC20: the transfer's SafeMath revert surfaces as a failed call.
      if (reward > this.s.rewardBalance) throw new PoolError('SafeERC20: low-level call failed');
      this.s.rewardBalance -= reward;
    }
    return reward;
  }

  /** Runs `fn` as one transaction: on any throw the scalars and the account's storage are restored. */
  private transact<T>(account: string | undefined, fn: () => T): T {
    const saved = { ...this.s };
    const had = account !== undefined && this.accounts.has(account);
    const savedAccount = account === undefined ? undefined : this.accounts.get(account);
    try {
      return fn();
    } catch (err) {
      this.s = saved;
      if (account !== undefined) {
        if (had && savedAccount !== undefined) this.accounts.set(account, savedAccount);
        else this.accounts.delete(account);
      }
      throw err;
    }
  }
}
