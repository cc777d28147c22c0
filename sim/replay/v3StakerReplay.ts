/**
 * Replays the `v3-staker` vocabulary of ../shared/oracle/README.md — one v3 pool with block time, the
 * NonfungiblePositionManager and the UniswapV3Staker — and returns, per event, the object the deployed
 * v3-core 1.0.1 / v3-periphery 1.0.1 / v3-staker 1.0.2 bytecode produced (`expect` in the oracle files):
 * every integer a decimal string, keys in the oracle's order, and after every event (reverts included)
 * `state` (the v3 pool's state with slot0's observation fields) and `incentives` (every incentive named so
 * far, in order of first mention). A contract revert is a result (`{ revert, state, incentives }`); a
 * malformed event throws InputError naming the line and the field.
 *
 * Every event has `time` (unix seconds, the block timestamp; it never decreases). Events:
 * - `initialize` {fee, tickSpacing, sqrtPriceX96} (first; a later one names the same fee and spacing); `swap` {zeroForOne, amountSpecified, sqrtPriceLimitX96}
 * - `mint` {owner, tickLower, tickUpper, amount0Desired, amount1Desired} → tokenId, liquidity, amount0, amount1, position
 * - `increaseLiquidity` {tokenId, caller?, amount0Desired, amount1Desired}; `decreaseLiquidity` {tokenId,
 *   liquidity, caller?}; `collect` {tokenId, amount0Max?, amount1Max?, caller?} (the caller defaults to the
 *   token's owner: the deposit's owner while the staker holds it)
 * - `createIncentive` {incentive, rewardToken, reward, startTime, endTime, refundee}: a name stands for one
 *   key; a reverted create still defines it
 * - `stake` {tokenId, incentive, caller?}: a safe transfer to the staker with the key as data when the NFT
 *   is not yet deposited, else `stakeToken`; `unstake`, `rewardInfo`, `withdraw` {tokenId, incentive?, caller?}
 * - `claimReward` {owner, rewardToken, amountRequested}; `endIncentive` {incentive}
 */
import { ConfigError, InputError, PoolError } from '../core/errors.ts';
import { MAX_UINT128, MAX_UINT256 } from '../math/v3/fixedPoint.ts';
import { NonfungiblePositionManager, type NftPosition } from '../pools/rewards/NonfungiblePositionManager.ts';
import { UniswapV3Staker, type IncentiveKey, type UniswapV3StakerOptions } from '../pools/rewards/UniswapV3Staker.ts';
import { V3Pool } from '../pools/v3/v3Pool.ts';
import type { Replayer } from './types.ts';
import { checkSamePool, type PoolOrigin } from './v3Replay.ts';

export interface V3StakerReplayerOptions {
  /** File name used in InputError messages (default `<events>`). */
  readonly file?: string;
  /** Staker parameters (default: Uniswap's deploy values, 30 days lead time and 2 × 365 days duration). */
  readonly staker?: UniswapV3StakerOptions;
}

type Event = Readonly<Record<string, unknown>>;

const FIELDS: Readonly<Record<string, readonly string[]>> = {
  initialize: ['fee', 'tickSpacing', 'sqrtPriceX96'],
  swap: ['zeroForOne', 'amountSpecified', 'sqrtPriceLimitX96'],
  mint: ['owner', 'tickLower', 'tickUpper', 'amount0Desired', 'amount1Desired'],
  increaseLiquidity: ['tokenId', 'caller', 'amount0Desired', 'amount1Desired'],
  decreaseLiquidity: ['tokenId', 'liquidity', 'caller'],
  collect: ['tokenId', 'amount0Max', 'amount1Max', 'caller'],
  createIncentive: ['incentive', 'rewardToken', 'reward', 'startTime', 'endTime', 'refundee'],
  stake: ['tokenId', 'incentive', 'caller'],
  unstake: ['tokenId', 'incentive', 'caller'],
  rewardInfo: ['tokenId', 'incentive'],
  claimReward: ['owner', 'rewardToken', 'amountRequested'],
  endIncentive: ['incentive'],
  withdraw: ['tokenId', 'caller'],
};
const EVENT_TYPES = Object.keys(FIELDS).sort();
const INTEGER_RE = /^-?(0|[1-9][0-9]*)$/;
const MAX_UINT160 = (1n << 160n) - 1n;
const INT256_MIN = -(1n << 255n);
const INT256_MAX = (1n << 255n) - 1n;
const INT24_MIN = -(2 ** 23);
const INT24_MAX = 2 ** 23 - 1;
/** The pool's id in the manager, and the name that creates incentives (the harness funds every caller). */
const POOL_ID = 'pool';
const CREATOR = '__creator';

function show(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

function positionObject(p: NftPosition): Record<string, string> {
  return {
    liquidity: p.liquidity.toString(),
    feeGrowthInside0LastX128: p.feeGrowthInside0LastX128.toString(),
    feeGrowthInside1LastX128: p.feeGrowthInside1LastX128.toString(),
    tokensOwed0: p.tokensOwed0.toString(),
    tokensOwed1: p.tokensOwed1.toString(),
  };
}

/** The v3-time `state`: the v3 pool state plus slot0's observation fields. */
export function v3TimeStateObject(pool: V3Pool | undefined): Record<string, string> {
  if (pool === undefined) {
    return {
      sqrtPriceX96: '0', tick: '0', liquidity: '0', feeGrowthGlobal0X128: '0', feeGrowthGlobal1X128: '0', protocolFees0: '0',
      protocolFees1: '0', observationIndex: '0', observationCardinality: '0', observationCardinalityNext: '0',
    };
  }
  return {
    sqrtPriceX96: pool.sqrtPriceX96.toString(),
    tick: String(pool.tick),
    liquidity: pool.liquidity.toString(),
    feeGrowthGlobal0X128: pool.feeGrowthGlobal0X128.toString(),
    feeGrowthGlobal1X128: pool.feeGrowthGlobal1X128.toString(),
    protocolFees0: pool.protocolFees0.toString(),
    protocolFees1: pool.protocolFees1.toString(),
    observationIndex: String(pool.observationIndex),
    observationCardinality: String(pool.observationCardinality),
    observationCardinalityNext: String(pool.observationCardinalityNext),
  };
}

class V3StakerReplayer implements Replayer {
  private readonly file: string;
  private readonly stakerOptions: UniswapV3StakerOptions | undefined;
  private pool: V3Pool | undefined;
  private manager: NonfungiblePositionManager | undefined;
  private staker: UniswapV3Staker | undefined;
  /** Incentive names in order of first mention, and their keys. */
  private readonly keys = new Map<string, IncentiveKey>();
  private line = 0;
  /** The initialize that created the pool (one pool per file), and the latest event's time and line. */
  private created: PoolOrigin | undefined;
  private last: { readonly time: number; readonly line: number } | undefined;

  constructor(options: V3StakerReplayerOptions) {
    this.file = options.file ?? '<events>';
    this.stakerOptions = options.staker;
  }

  private fail(field: string | undefined, problem: string): never {
    throw new InputError(this.file, this.line, field, problem);
  }

  private big(event: Event, name: string, min: bigint, max: bigint, typeName: string, fallback?: bigint): bigint {
    const v = event[name];
    if (v === undefined && fallback !== undefined) return fallback;
    let x: bigint | undefined;
    if (typeof v === 'string' && INTEGER_RE.test(v)) x = BigInt(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
    if (x === undefined) return this.fail(name, `must be an integer (a decimal string); was ${show(v)}`);
    if (x < min || x > max) return this.fail(name, `must be ${/^[aeio]/.test(typeName) ? 'an' : 'a'} ${typeName} in [${min}, ${max}]; was ${x}`);
    return x;
  }

  private int(event: Event, name: string, min: number, max: number, typeName: string): number {
    return Number(this.big(event, name, BigInt(min), BigInt(max), typeName));
  }

  private name(event: Event, field: string, fallback?: string): string {
    const v = event[field];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || v.length === 0) return this.fail(field, `must be a non-empty name; was ${show(v)}`);
    return v;
  }

  private tokenId(event: Event): bigint {
    return this.big(event, 'tokenId', 0n, MAX_UINT256, 'uint256');
  }

  /** The token's owner as the oracle means it: the deposit's owner while the staker holds the NFT. */
  private tokenOwner(tokenId: bigint): string {
    const staker = this.staker as UniswapV3Staker;
    const holder = (this.manager as NonfungiblePositionManager).holderOf(tokenId);
    if (holder === staker.address) return staker.deposits(tokenId).owner;
    return holder ?? '__nobody';
  }

  private incentive(event: Event): [string, IncentiveKey] {
    const name = this.name(event, 'incentive');
    const key = this.keys.get(name);
    if (key === undefined) return this.fail('incentive', `${JSON.stringify(name)} was never created (createIncentive defines a name)`);
    return [name, key];
  }

  private incentivesObject(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [name, key] of this.keys) {
      const i = this.staker === undefined ? undefined : this.staker.incentives(key);
      out[name] = {
        totalRewardUnclaimed: (i?.totalRewardUnclaimed ?? 0n).toString(),
        totalSecondsClaimedX128: (i?.totalSecondsClaimedX128 ?? 0n).toString(),
        numberOfStakes: (i?.numberOfStakes ?? 0n).toString(),
      };
    }
    return out;
  }

  private depositObject(tokenId: bigint): Record<string, string> {
    const d = (this.staker as UniswapV3Staker).deposits(tokenId);
    return { owner: d.owner, numberOfStakes: d.numberOfStakes.toString() };
  }

  apply(event: Event, line: number): Record<string, unknown> {
    this.line = line;
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return this.fail(undefined, `an event must be a JSON object; was ${show(event)}`);
    const type = event['type'];
    if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) return this.fail('type', `must be one of ${EVENT_TYPES.join(', ')}; was ${show(type)}`);
    const allowed = FIELDS[type] as readonly string[];
    const unknown = Object.keys(event).filter((k) => k !== 'type' && k !== 'time' && !allowed.includes(k)).sort();
    if (unknown.length > 0) this.fail(unknown[0], `is not a field of ${/^[aeio]/.test(type) ? 'an' : 'a'} ${type} event (fields: type, time, ${allowed.join(', ')})`);
    const time = Number(this.big(event, 'time', 0n, BigInt(Number.MAX_SAFE_INTEGER), 'unix time in seconds'));
    // Going back would read as 2^32 − 1 seconds in the pool's uint32 time, and move the staker's clock back.
    if (this.last !== undefined && time < this.last.time) this.fail('time', `must not decrease (line ${this.last.line} had ${this.last.time}); was ${time}`);
    this.last = { time, line };
    if (type === 'initialize') {
      const fee = this.int(event, 'fee', 0, 999_999, 'fee in hundredths of a bip');
      const tickSpacing = this.int(event, 'tickSpacing', 1, 16_383, 'tick spacing');
      if (this.created === undefined) {
        this.created = { fee, tickSpacing, line };
        this.pool = new V3Pool({ fee, tickSpacing });
        this.manager = new NonfungiblePositionManager();
        this.manager.registerPool(POOL_ID, this.pool);
        this.staker = new UniswapV3Staker(this.manager, this.stakerOptions);
      } else {
        checkSamePool({ file: this.file, line }, this.created, fee, tickSpacing);
      }
    }
    const pool = this.pool;
    if (pool === undefined) return this.fail('type', `the first event must be initialize (it creates the pool); was ${type}`);
    pool.setBlockTimestamp(time);
    (this.staker as UniswapV3Staker).blockTimestamp = BigInt(time);
    if (type === 'createIncentive') this.defineIncentive(event);
    let result: Record<string, unknown>;
    try {
      result = this.run(pool, event, type);
    } catch (e) {
      if (e instanceof PoolError) return { revert: e.reason, state: v3TimeStateObject(pool), incentives: this.incentivesObject() };
      if (e instanceof ConfigError) return this.fail(e.flag, e.message);
      throw e;
    }
    result['state'] = v3TimeStateObject(pool);
    result['incentives'] = this.incentivesObject();
    return result;
  }

  private defineIncentive(event: Event): void {
    const name = this.name(event, 'incentive');
    const key: IncentiveKey = {
      rewardToken: this.name(event, 'rewardToken'),
      pool: POOL_ID,
      startTime: this.big(event, 'startTime', 0n, MAX_UINT256, 'uint256'),
      endTime: this.big(event, 'endTime', 0n, MAX_UINT256, 'uint256'),
      refundee: this.name(event, 'refundee'),
    };
    const known = this.keys.get(name);
    if (known === undefined) {
      for (const [other, k] of this.keys) {
        if (k.rewardToken === key.rewardToken && k.startTime === key.startTime && k.endTime === key.endTime && k.refundee === key.refundee) {
          this.fail('incentive', `${JSON.stringify(name)} has the same key as ${JSON.stringify(other)} (two names never share a key)`);
        }
      }
      this.keys.set(name, key);
    } else if (known.rewardToken !== key.rewardToken || known.startTime !== key.startTime || known.endTime !== key.endTime || known.refundee !== key.refundee) {
      this.fail('incentive', `${JSON.stringify(name)} was created before with a different key (a name stands for one key)`);
    }
  }

  private run(pool: V3Pool, event: Event, type: string): Record<string, unknown> {
    const manager = this.manager as NonfungiblePositionManager;
    const staker = this.staker as UniswapV3Staker;
    switch (type) {
      case 'initialize':
        pool.initialize(this.big(event, 'sqrtPriceX96', 0n, MAX_UINT160, 'uint160'));
        return {};
      case 'swap': {
        const zeroForOne = event['zeroForOne'];
        if (typeof zeroForOne !== 'boolean') return this.fail('zeroForOne', `must be true or false; was ${show(zeroForOne)}`);
        const amountSpecified = this.big(event, 'amountSpecified', INT256_MIN, INT256_MAX, 'int256');
        const limit = this.big(event, 'sqrtPriceLimitX96', 0n, MAX_UINT160, 'uint160');
        const r = pool.swap(zeroForOne, amountSpecified, limit);
        return { amount0: r.amount0.toString(), amount1: r.amount1.toString() };
      }
      case 'mint': {
        const r = manager.mint({
          pool: POOL_ID,
          recipient: this.name(event, 'owner'),
          tickLower: this.int(event, 'tickLower', INT24_MIN, INT24_MAX, 'int24'),
          tickUpper: this.int(event, 'tickUpper', INT24_MIN, INT24_MAX, 'int24'),
          amount0Desired: this.big(event, 'amount0Desired', 0n, MAX_UINT256, 'uint256'),
          amount1Desired: this.big(event, 'amount1Desired', 0n, MAX_UINT256, 'uint256'),
        });
        return {
          tokenId: r.tokenId.toString(),
          liquidity: r.liquidity.toString(),
          amount0: r.amount0.toString(),
          amount1: r.amount1.toString(),
          position: positionObject(manager.positions(r.tokenId)),
        };
      }
      case 'increaseLiquidity': {
        const tokenId = this.tokenId(event);
        this.name(event, 'caller', '-'); // anyone may add: the caller only pays
        const r = manager.increaseLiquidity(
          tokenId,
          this.big(event, 'amount0Desired', 0n, MAX_UINT256, 'uint256'),
          this.big(event, 'amount1Desired', 0n, MAX_UINT256, 'uint256'),
        );
        return { liquidity: r.liquidity.toString(), amount0: r.amount0.toString(), amount1: r.amount1.toString(), position: positionObject(manager.positions(tokenId)) };
      }
      case 'decreaseLiquidity': {
        const tokenId = this.tokenId(event);
        const liquidity = this.big(event, 'liquidity', 0n, MAX_UINT128, 'uint128');
        const r = manager.decreaseLiquidity(this.name(event, 'caller', this.tokenOwner(tokenId)), tokenId, liquidity);
        return { amount0: r.amount0.toString(), amount1: r.amount1.toString(), position: positionObject(manager.positions(tokenId)) };
      }
      case 'collect': {
        const tokenId = this.tokenId(event);
        const max0 = this.big(event, 'amount0Max', 0n, MAX_UINT128, 'uint128', MAX_UINT128);
        const max1 = this.big(event, 'amount1Max', 0n, MAX_UINT128, 'uint128', MAX_UINT128);
        const r = manager.collect(this.name(event, 'caller', this.tokenOwner(tokenId)), tokenId, max0, max1);
        return { amount0: r.amount0.toString(), amount1: r.amount1.toString(), position: positionObject(manager.positions(tokenId)) };
      }
      case 'createIncentive': {
        const [, key] = this.incentive(event);
        staker.createIncentive(CREATOR, key, this.big(event, 'reward', 0n, MAX_UINT256, 'uint256'));
        return {};
      }
      case 'stake': {
        const tokenId = this.tokenId(event);
        const [, key] = this.incentive(event);
        const holder = manager.holderOf(tokenId);
        if (holder === staker.address) {
          staker.stakeToken(this.name(event, 'caller', staker.deposits(tokenId).owner || '__nobody'), key, tokenId);
        } else {
          const from = holder ?? '__nobody';
          manager.safeTransferFrom(this.name(event, 'caller', from), from, staker.address, tokenId, key);
        }
        const s = staker.stakes(tokenId, key);
        return {
          stake: { secondsPerLiquidityInsideInitialX128: s.secondsPerLiquidityInsideInitialX128.toString(), liquidity: s.liquidity.toString() },
          deposit: this.depositObject(tokenId),
        };
      }
      case 'unstake': {
        const tokenId = this.tokenId(event);
        const [, key] = this.incentive(event);
        const r = staker.unstakeToken(this.name(event, 'caller', this.tokenOwner(tokenId)), key, tokenId);
        const owner = staker.deposits(tokenId).owner;
        return { reward: r.reward.toString(), owed: staker.rewards(key.rewardToken, owner).toString(), deposit: this.depositObject(tokenId) };
      }
      case 'rewardInfo': {
        const tokenId = this.tokenId(event);
        const [, key] = this.incentive(event);
        const r = staker.getRewardInfo(key, tokenId);
        return { reward: r.reward.toString(), secondsInsideX128: r.secondsInsideX128.toString() };
      }
      case 'claimReward': {
        const owner = this.name(event, 'owner');
        const token = this.name(event, 'rewardToken');
        const amount = staker.claimReward(owner, token, this.big(event, 'amountRequested', 0n, MAX_UINT256, 'uint256'));
        return { amount: amount.toString(), owed: staker.rewards(token, owner).toString() };
      }
      case 'endIncentive': {
        const [, key] = this.incentive(event);
        return { refund: staker.endIncentive(key).toString() };
      }
      default: {
        // withdraw
        const tokenId = this.tokenId(event);
        staker.withdrawToken(this.name(event, 'caller', this.tokenOwner(tokenId)), tokenId);
        return { deposit: this.depositObject(tokenId) };
      }
    }
  }
}

/** Creates a replayer for one v3-staker scenario (pool, manager and staker are created by `initialize`). */
export function createV3StakerReplayer(options: V3StakerReplayerOptions = {}): Replayer {
  return new V3StakerReplayer(options);
}
