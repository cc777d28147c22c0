/**
 * Replays the `staking-rewards` vocabulary of ../shared/oracle/README.md through {@link StakingRewards} and
 * returns, per event, the object the deployed liquidity-staker 1.0.2 StakingRewards produced (`expect` in the
 * oracle files): every integer a decimal string, keys in the oracle's order. A contract revert is a result
 * (`{ revert, account?, state }`), not an error; a malformed event throws InputError naming the line and field.
 *
 * Every event has `time` (unix seconds: a safe integer or a decimal string; it never decreases). Amounts are decimal strings or
 * safe integers.
 * - `notifyRewardAmount` {reward, fund?, caller?} → {state}: `fund` (default `reward`) reward tokens are
 *   transferred to the contract first, in a transaction of their own (they stay if the notify reverts); then
 *   `notifyRewardAmount(reward)` from `caller` (default: the distributor).
 * - `stake` / `withdraw` {account, amount} → {account, state}
 * - `getReward` {account} → {paid, account, state}
 * - `exit` {account} → {withdrawn, paid, account, state}
 * - `earned` {account} → {earned, rewardPerToken, account, state} (views at `time`; state unchanged)
 */
import { InputError, PoolError } from '../core/errors.ts';
import { MAX_UINT256, StakingRewards, type StakingRewardsParams } from '../pools/rewards/StakingRewards.ts';
import type { Replayer } from './types.ts';

export interface StakingRewardsReplayerOptions {
  /** File name used in InputError messages (default `<events>`). */
  readonly file?: string;
  /** Contract parameters (default: liquidity-staker 1.0.2's 60-day duration). */
  readonly params?: StakingRewardsParams;
}

type Event = Readonly<Record<string, unknown>>;

const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  notifyRewardAmount: ['type', 'time', 'reward', 'fund', 'caller'],
  stake: ['type', 'time', 'account', 'amount'],
  withdraw: ['type', 'time', 'account', 'amount'],
  getReward: ['type', 'time', 'account'],
  exit: ['type', 'time', 'account'],
  earned: ['type', 'time', 'account'],
};
const EVENT_TYPES = Object.keys(ALLOWED_KEYS).sort();

/** The contract's state in the oracle's `state` shape. */
export function stakingRewardsStateObject(pool: StakingRewards): Record<string, string> {
  return {
    rewardRate: pool.rewardRate.toString(),
    rewardPerTokenStored: pool.rewardPerTokenStored.toString(),
    lastUpdateTime: pool.lastUpdateTime.toString(),
    periodFinish: pool.periodFinish.toString(),
    totalSupply: pool.totalSupply.toString(),
    rewardBalance: pool.rewardBalance.toString(),
  };
}

/** An account's storage in the oracle's `account` shape. */
export function stakingRewardsAccountObject(pool: StakingRewards, account: string): Record<string, string> {
  const a = pool.account(account);
  return { balance: a.balance.toString(), rewards: a.rewards.toString(), userRewardPerTokenPaid: a.userRewardPerTokenPaid.toString() };
}

class StakingRewardsReplayer implements Replayer {
  private readonly file: string;
  private readonly pool: StakingRewards;
  /** The latest event's time and line: block times never decrease. */
  private last: { readonly time: bigint; readonly line: number } | undefined;

  constructor(options: StakingRewardsReplayerOptions) {
    this.file = options.file ?? '<events>';
    this.pool = new StakingRewards(options.params);
  }

  private fail(line: number, field: string, problem: string): never {
    throw new InputError(this.file, line, field, problem);
  }

  private uint(event: Event, key: string, line: number): bigint {
    const v = event[key];
    let n: bigint | undefined;
    if (typeof v === 'string' && /^[0-9]+$/.test(v)) n = BigInt(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
    if (n === undefined) this.fail(line, key, `must be a non-negative integer (a decimal string, e.g. "1000000"); was ${v === undefined ? 'missing' : JSON.stringify(v)}`);
    if (n > MAX_UINT256) this.fail(line, key, `must fit in uint256 (≤ 2^256 − 1); was ${v as string}`);
    return n;
  }

  private name(event: Event, key: string, line: number): string {
    const v = event[key];
    if (typeof v !== 'string' || v.length === 0) this.fail(line, key, `must be a non-empty string (a name); was ${v === undefined ? 'missing' : JSON.stringify(v)}`);
    return v;
  }

  apply(event: Event, line: number): Record<string, unknown> {
    const type = event['type'];
    if (typeof type !== 'string' || !(type in ALLOWED_KEYS)) {
      this.fail(line, 'type', `must be one of ${EVENT_TYPES.join(', ')} for --pool staking-rewards; was ${type === undefined ? 'missing' : JSON.stringify(type)}`);
    }
    const allowed = ALLOWED_KEYS[type] ?? [];
    for (const key of Object.keys(event).sort()) {
      if (!allowed.includes(key)) this.fail(line, key, `is not a field of a staking-rewards ${type} event (fields: ${allowed.join(', ')})`);
    }
    const time = this.uint(event, 'time', line);
    // Going back would move lastUpdateTime back and pay the same seconds twice.
    if (this.last !== undefined && time < this.last.time) this.fail(line, 'time', `must not decrease (line ${this.last.line} had ${this.last.time}); was ${time}`);
    this.last = { time, line };
    const pool = this.pool;

    if (type === 'notifyRewardAmount') {
      const reward = this.uint(event, 'reward', line);
      const fund = event['fund'] === undefined ? reward : this.uint(event, 'fund', line);
      const caller = event['caller'] === undefined ? pool.rewardsDistribution : this.name(event, 'caller', line);
      try {
        pool.fund(fund); // its own transaction: kept whatever the notify does
      } catch (err) {
        if (!(err instanceof PoolError)) throw err;
      }
      try {
        pool.notifyRewardAmount(reward, time, caller);
      } catch (err) {
        if (err instanceof PoolError) return { revert: err.reason, state: stakingRewardsStateObject(pool) };
        throw err;
      }
      return { state: stakingRewardsStateObject(pool) };
    }

    const account = this.name(event, 'account', line);
    let fields: Record<string, string>;
    try {
      switch (type) {
        case 'stake':
          pool.stake(account, this.uint(event, 'amount', line), time);
          fields = {};
          break;
        case 'withdraw':
          pool.withdraw(account, this.uint(event, 'amount', line), time);
          fields = {};
          break;
        case 'getReward':
          fields = { paid: pool.getReward(account, time).toString() };
          break;
        case 'exit': {
          const r = pool.exit(account, time);
          fields = { withdrawn: r.withdrawn.toString(), paid: r.paid.toString() };
          break;
        }
        case 'earned': {
          const earned = pool.earned(account, time);
          fields = { earned: earned.toString(), rewardPerToken: pool.rewardPerToken(time).toString() };
          break;
        }
        default:
          return this.fail(line, 'type', `unhandled staking-rewards event type ${type}`);
      }
    } catch (err) {
      if (err instanceof PoolError) {
        return { revert: err.reason, account: stakingRewardsAccountObject(pool, account), state: stakingRewardsStateObject(pool) };
      }
      throw err;
    }
    return { ...fields, account: stakingRewardsAccountObject(pool, account), state: stakingRewardsStateObject(pool) };
  }
}

/** A fresh StakingRewards replayer (an empty contract: nothing staked, no reward period yet). */
export function createStakingRewardsReplayer(options: StakingRewardsReplayerOptions = {}): Replayer {
  return new StakingRewardsReplayer(options);
}
