/**
 * Liquidity mining in a backtest: the engine's port for incentive programs, harvest policies, the reward token's
 * price and the pool the LP sells rewards through.
 *
 * A program is one of the exact reward contracts of sim/pools/rewards driven in raw integer units (reward token:
 * 18 decimals; a stake is the position's liquidity × 10^18, floored, as an LP token of 18 decimals would be):
 * - `staking-rewards`: Uniswap's StakingRewards ({@link StakingRewards}): `notifyRewardAmount(amount)` at the
 *   program's start with `rewardsDuration = end − start`, top-ups notified at their times (the contract then
 *   re-spreads what is left over a fresh duration, as on chain). Other stakers hold `otherStake` from the first
 *   moment the program or the run starts (whichever is earlier). The LP's stake is the sum of its staked positions'
 *   liquidity (one account, as a wallet holding LP tokens). With a boost (`veShare`), stakes are Curve working
 *   balances ({@link workingBalance}): the LP's min(l, 0.4·l + 0.6·L·v/V) and the others' unboosted 0.4·S.
 * - `v3-staker`: the incentive accounting of UniswapV3Staker 1.0.2 for the LP's position NFTs — a stake records the
 *   range's `secondsPerLiquidityInsideX128` and the position's liquidity, an unstake credits
 *   {@link computeRewardAmount} and adds its seconds to `totalSecondsClaimedX128` — read from the simulated pool
 *   (the exact V3Pool's `snapshotCumulativesInside` at the step's block time; the float pool's seconds per liquidity
 *   scaled to X128). A position staked before the start waits (the contract refuses 'incentive not started'); one
 *   minted after the end is not staked ('incentive ended'). A claim is the staker's harvest multicall:
 *   unstakeToken + claimReward + stakeToken. Other LPs dilute through the pool's in-range liquidity.
 * - `masterchef`: SushiSwap's MasterChef ({@link MasterChef}) with blocks of `blockTime` seconds from the program's
 *   start, the LP's pool at `allocPoint` of `totalAllocPoint` (the rest in a pool nobody stakes in), no bonus
 *   period, its allocation set to 0 at `end`. MasterChef pays pending rewards on every deposit and withdraw; ammsim
 *   keeps what it paid that way with the pending rewards until the next claim (no extra gas).
 *
 * Per-step cost: a step with no scheduled event and no claim reads each program's pending rewards from a float
 * cache refreshed at the program's last contract call (StakingRewards, MasterChef: linear between calls); the
 * v3-staker reads the pool's seconds per liquidity (bigint on the exact pool).
 */
import type { RewardTotalsInput } from '../metrics/rewards.ts';
import { ConfigError, HarvestPolicyError, PoolError, StrategyError } from '../core/errors.ts';
import { MAX_UINT160 } from '../math/v3/fixedPoint.ts';
import { computeRewardAmount } from '../math/v3/rewardMath.ts';
import type { EnginePool } from '../pools/enginePool.ts';
import { workingBalance } from '../pools/rewards/gaugeBoost.ts';
import { MasterChef } from '../pools/rewards/MasterChef.ts';
import { StakingRewards } from '../pools/rewards/StakingRewards.ts';
import { V2FloatPool } from '../pools/v2/v2FloatPool.ts';
import { V3ExactEnginePool } from '../pools/v3/v3ExactEnginePool.ts';
import { V3FloatPool } from '../pools/v3/v3FloatPool.ts';
import { GAS_UNITS } from './gas.ts';
import { MS_PER_YEAR } from '../core/time.ts';
import type { Clock, LpLedger } from './ledger.ts';
import type { LpAction } from './strategy.ts';

/** The reward token's decimals in every program: raw = tokens · 10^18. */
export const REWARD_DECIMALS = 18;
const SCALE = 1e18;
const Q128_FLOAT = 2 ** 128;
const HALF_UINT160 = 1n << 159n;

/**
 * Gas units of one claim. `staking-rewards`: StakingRewards.getReward, an order-of-magnitude value of mainnet
 * receipts (a storage update and one ERC-20 transfer; no published snapshot). `v3-staker`: the harvest multicall
 * from Uniswap/v3-staker's own gas snapshots (test/unit/__snapshots__/Stakes.spec.ts.snap): `#unstakeToken`
 * 71,591 + `#claimReward` 47,621 + `#stakeToken` 115,792 = 235,004, rounded. `masterchef`: deposit(pid, 0), an
 * order-of-magnitude value of mainnet receipts (updatePool + transfer).
 */
export const CLAIM_GAS_UNITS: Readonly<Record<ProgramKind, number>> = Object.freeze({ 'staking-rewards': 80_000, 'v3-staker': 235_000, masterchef: 110_000 });

export type ProgramKind = 'staking-rewards' | 'v3-staker' | 'masterchef';

/** Whole tokens → raw units (floor). */
export function tokensToRaw(tokens: number): bigint {
  if (!(tokens > 0)) return 0n;
  return BigInt(Math.floor(tokens * SCALE));
}

/** Raw units → whole tokens (nearest float). */
export function rawToTokens(raw: bigint): number {
  return Number(raw) / SCALE;
}

/** A program as the engine runs it: validated, times in unix seconds, amounts in raw reward-token units. */
export interface ProgramSpec {
  readonly kind: ProgramKind;
  /** Reward token symbol (for messages and reports). */
  readonly token: string;
  /** Where the program was configured (a file name, or `incentives[i]` of a config). */
  readonly source: string;
  readonly startSec: number;
  readonly endSec: number;
  /** Reward tokens funded for [start, end] (raw). */
  readonly amountRaw: bigint;
  /** Extra funding notified at a time (staking-rewards only), raw. */
  readonly topUps: readonly { readonly atSec: number; readonly amountRaw: bigint }[];
  /** Other stakers' stake in stake units (raw liquidity). */
  readonly otherStake: bigint;
  /** The LP's share of the vote-escrow supply (v/V) for a Curve-style boost; undefined = no boost. */
  readonly veShare?: number;
  /** masterchef: seconds per block and the LP pool's allocation of the total. */
  readonly blockTimeSec?: number;
  readonly allocPoint?: bigint;
  readonly totalAllocPoint?: bigint;
}

/** What a program reads of the LP's positions and of the pool. */
export interface StakeSource {
  /** The position's liquidity as a stake (raw units). */
  liquidityRaw(positionId: number): bigint;
  /**
   * The position as a fungible share token, what StakingRewards and MasterChef stake (raw units): v2, its LP tokens
   * (its liquidity); v3, a vault share (Gamma, Arrakis): the liquidity of a full-range position of the position's
   * value now, V / (2·√P), the units the other stakers' value is counted in. A concentrated position's own L would
   * weigh it by its concentration, which no share token does.
   */
  shareUnitsRaw(positionId: number): bigint;
  /** The position's ticks (v3 pools); undefined for v2. */
  ticks(positionId: number): { readonly tickLower: number; readonly tickUpper: number } | undefined;
  /** Sets the pool's clock (unix seconds) when the pool tracks time (v3). */
  setTime(timeSec: number): void;
  /** The range's `secondsPerLiquidityInsideX128` now (v3 pools); throws for v2. */
  splInsideX128(tickLower: number, tickUpper: number): bigint;
  readonly tracksTime: boolean;
  /**
   * True when `splInsideX128` is computed in floating point (the float v3 pool): a range's value can then come out a
   * few ulps below an earlier read although it only grows in exact arithmetic, and the uint160 difference would wrap
   * to ~2^160. The program then reads such a step back as no time in range.
   */
  readonly approximate?: boolean;
}

/** One liquidity-mining program over the LP's positions. Times are unix seconds and never decrease. */
export interface RewardProgram {
  readonly spec: ProgramSpec;
  attach(source: StakeSource): void;
  /** Runs what is scheduled at or before `timeSec` (funding, the end of a MasterChef allocation, waiting stakes). */
  advance(timeSec: number): void;
  /** The earliest time at which {@link advance} has something to do (−Infinity: now; Infinity: never again, until a stake). */
  nextEventSec(): number;
  stake(positionId: number, timeSec: number): void;
  unstake(positionId: number, timeSec: number): void;
  isStaked(positionId: number): boolean;
  /** Pays everything owed to the LP; raw reward tokens. */
  claim(timeSec: number): bigint;
  /** Reward tokens owed to the LP now (claimable), whole tokens. */
  pending(timeSec: number): number;
  /** The LP's current reward rate, whole tokens per second (for the spot APR); 0 outside the program. */
  lpRatePerSecond(timeSec: number): number;
}

// ------------------------------------------------------------------------------------------------ programs

const LP = 'lp';
const OTHERS = 'others';

/** Uniswap StakingRewards over the LP's positions' liquidity. */
export class StakingRewardsProgram implements RewardProgram {
  readonly contract: StakingRewards;
  private readonly schedule: { atSec: number; amountRaw: bigint }[];
  private nextIdx = 0;
  private nextAt = -Infinity;
  private started = false;
  private readonly stakes = new Map<number, bigint>();
  private source: StakeSource | undefined;
  // Float cache of earned(lp, t) between contract calls: earned(t) = e0 + rate · (min(t, finish) − t0).
  private e0 = 0;
  private rate = 0;
  private finish = 0;
  private t0 = 0;

  constructor(readonly spec: ProgramSpec) {
    if (!(spec.endSec > spec.startSec)) throw new ConfigError(`${spec.source}: end`, 'must be after start');
    this.contract = new StakingRewards({ rewardsDuration: BigInt(spec.endSec - spec.startSec) });
    this.schedule = [{ atSec: spec.startSec, amountRaw: spec.amountRaw }, ...spec.topUps].sort((a, b) => a.atSec - b.atSec);
  }

  attach(source: StakeSource): void {
    this.source = source;
  }

  nextEventSec(): number {
    return this.nextAt;
  }

  advance(timeSec: number): void {
    if (timeSec < this.nextAt) return;
    const c = this.contract;
    if (!this.started) {
      this.started = true;
      if (this.spec.otherStake > 0n) c.stake(OTHERS, this.othersStake(), Math.min(this.spec.startSec, timeSec));
    }
    while (this.nextIdx < this.schedule.length && this.schedule[this.nextIdx]!.atSec <= timeSec) {
      const s = this.schedule[this.nextIdx++]!;
      if (s.amountRaw > 0n) {
        c.fund(s.amountRaw);
        c.notifyRewardAmount(s.amountRaw, s.atSec);
      }
    }
    this.nextAt = this.nextIdx < this.schedule.length ? this.schedule[this.nextIdx]!.atSec : Infinity;
    this.refresh(timeSec);
  }

  private othersStake(): bigint {
    return this.spec.veShare === undefined ? this.spec.otherStake : (this.spec.otherStake * 40n) / 100n;
  }

  /** The LP's stake units for a position: its share units, or their Curve working balance with a boost. */
  private units(positionId: number): bigint {
    const l = this.source!.shareUnitsRaw(positionId);
    const ve = this.spec.veShare;
    if (ve === undefined || l === 0n) return l;
    const V = 10n ** 18n;
    return workingBalance({ balance: l, totalSupply: l + this.spec.otherStake, veBalance: BigInt(Math.floor(ve * 1e18)), veTotalSupply: V });
  }

  stake(positionId: number, timeSec: number): void {
    if (this.stakes.has(positionId)) return;
    const u = this.units(positionId);
    if (u === 0n) return;
    this.contract.stake(LP, u, timeSec);
    this.stakes.set(positionId, u);
    this.refresh(timeSec);
  }

  unstake(positionId: number, timeSec: number): void {
    const u = this.stakes.get(positionId);
    if (u === undefined) return;
    this.contract.withdraw(LP, u, timeSec);
    this.stakes.delete(positionId);
    this.refresh(timeSec);
  }

  isStaked(positionId: number): boolean {
    return this.stakes.has(positionId);
  }

  claim(timeSec: number): bigint {
    const paid = this.contract.getReward(LP, timeSec);
    this.refresh(timeSec);
    return paid;
  }

  private refresh(timeSec: number): void {
    const c = this.contract;
    this.e0 = Number(c.earned(LP, timeSec));
    const supply = c.totalSupply;
    this.rate = supply > 0n ? (Number(c.rewardRate) * Number(c.balanceOf(LP))) / Number(supply) : 0;
    this.finish = Number(c.periodFinish);
    this.t0 = timeSec;
  }

  pending(timeSec: number): number {
    const dt = Math.min(timeSec, this.finish) - this.t0;
    return (dt > 0 ? this.e0 + this.rate * dt : this.e0) / SCALE;
  }

  lpRatePerSecond(timeSec: number): number {
    const c = this.contract;
    const supply = c.totalSupply;
    if (supply === 0n) return 0;
    const share = Number(c.balanceOf(LP)) / Number(supply);
    // running: the contract's own rate (top-ups included, and past `end` when a top-up extended the period)
    if (timeSec < Number(c.periodFinish)) return (Number(c.rewardRate) * share) / SCALE;
    // not funded yet: the rate the first notify will set
    if (timeSec >= this.spec.startSec && this.nextIdx > 0) return 0;
    return ((Number(this.spec.amountRaw) / (this.spec.endSec - this.spec.startSec)) * share) / SCALE;
  }
}

interface V3Stake {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: bigint;
  readonly splInitial: bigint;
}

/** UniswapV3Staker's incentive accounting over the LP's positions in the simulated v3 pool. */
export class V3StakerProgram implements RewardProgram {
  /** The incentive's `totalRewardUnclaimed` and `totalSecondsClaimedX128`. */
  totalRewardUnclaimed: bigint;
  totalSecondsClaimedX128 = 0n;
  /** `rewards[rewardToken][lp]`: credited by unstakes, paid by a claim. */
  owed = 0n;
  private readonly stakes = new Map<number, V3Stake>();
  private readonly waiting = new Set<number>();
  private source: StakeSource | undefined;
  private readonly start: bigint;
  private readonly end: bigint;

  constructor(readonly spec: ProgramSpec) {
    if (!(spec.endSec > spec.startSec)) throw new ConfigError(`${spec.source}: end`, 'must be after start');
    if (spec.topUps.length > 0) throw new ConfigError(`${spec.source}: topUps`, 'a v3-staker incentive is funded when created (createIncentive before its start); top-ups apply to staking-rewards');
    this.totalRewardUnclaimed = spec.amountRaw;
    this.start = BigInt(spec.startSec);
    this.end = BigInt(spec.endSec);
  }

  attach(source: StakeSource): void {
    if (!source.tracksTime) throw new ConfigError(`${this.spec.source}: kind`, 'v3-staker pays by in-range seconds per liquidity of a v3 pool; it needs --pool v3');
    this.source = source;
  }

  nextEventSec(): number {
    return this.waiting.size > 0 ? this.spec.startSec : Infinity;
  }

  advance(timeSec: number): void {
    if (this.waiting.size === 0 || timeSec < this.spec.startSec) return;
    const ids = [...this.waiting];
    this.waiting.clear();
    for (const id of ids) this.stake(id, timeSec);
  }

  stake(positionId: number, timeSec: number): void {
    if (this.stakes.has(positionId)) return;
    if (timeSec < this.spec.startSec) {
      this.waiting.add(positionId);
      return;
    }
    if (timeSec >= this.spec.endSec) return;
    const src = this.source!;
    const t = src.ticks(positionId)!;
    const liquidity = src.liquidityRaw(positionId);
    if (liquidity === 0n) return;
    this.stakes.set(positionId, { tickLower: t.tickLower, tickUpper: t.tickUpper, liquidity, splInitial: src.splInsideX128(t.tickLower, t.tickUpper) });
  }

  private reward(s: V3Stake, timeSec: number): { reward: bigint; secondsInsideX128: bigint } {
    let spl = this.source!.splInsideX128(s.tickLower, s.tickUpper);
    // Float noise must not run a range's seconds per liquidity backwards (see StakeSource.approximate).
    if (this.source!.approximate === true && ((spl - s.splInitial) & MAX_UINT160) >= HALF_UINT160) spl = s.splInitial;
    return computeRewardAmount({
      totalRewardUnclaimed: this.totalRewardUnclaimed,
      totalSecondsClaimedX128: this.totalSecondsClaimedX128,
      startTime: this.start,
      endTime: this.end,
      liquidity: s.liquidity,
      secondsPerLiquidityInsideInitialX128: s.splInitial,
      secondsPerLiquidityInsideX128: spl,
      currentTime: BigInt(timeSec),
    });
  }

  unstake(positionId: number, timeSec: number): void {
    if (this.waiting.delete(positionId)) return;
    const s = this.stakes.get(positionId);
    if (s === undefined) return;
    const r = this.reward(s, timeSec);
    this.totalRewardUnclaimed -= r.reward;
    this.totalSecondsClaimedX128 = (this.totalSecondsClaimedX128 + r.secondsInsideX128) & MAX_UINT160;
    this.owed += r.reward;
    this.stakes.delete(positionId);
  }

  isStaked(positionId: number): boolean {
    return this.stakes.has(positionId) || this.waiting.has(positionId);
  }

  claim(timeSec: number): bigint {
    const ids = [...this.stakes.keys()];
    for (const id of ids) this.unstake(id, timeSec);
    for (const id of ids) this.stake(id, timeSec);
    const paid = this.owed;
    this.owed = 0n;
    return paid;
  }

  /** Raw reward tokens owed to the LP now: credited by unstakes + what unstaking every stake now would credit. */
  pendingRaw(timeSec: number): bigint {
    let p = this.owed;
    for (const s of this.stakes.values()) p += this.reward(s, timeSec).reward;
    return p;
  }

  pending(timeSec: number): number {
    return Number(this.pendingRaw(timeSec)) / SCALE;
  }

  lpRatePerSecond(timeSec: number): number {
    if (timeSec < this.spec.startSec || timeSec >= this.spec.endSec) return 0;
    // RewardMath: a second in range pays totalRewardUnclaimed over the unclaimed seconds, (max(end, t) − start) less
    // those claimed, per unit of in-range liquidity; × the LP's share of in-range liquidity (stakes waiting for the
    // start included).
    let share = 0;
    for (const s of this.stakes.values()) share += rawToTokens(s.liquidity);
    for (const id of this.waiting) share += rawToTokens(this.source!.liquidityRaw(id));
    const active = this.activeLiquidity?.() ?? 0;
    if (!(active > 0)) return 0;
    const unclaimedSec = Math.max(this.spec.endSec, timeSec) - this.spec.startSec - Number(this.totalSecondsClaimedX128) / 2 ** 128;
    return (rawToTokens(this.totalRewardUnclaimed) / Math.max(1, unclaimedSec)) * Math.min(1, share / active);
  }

  /** The pool's in-range liquidity (human units), for the spot APR. */
  activeLiquidity: (() => number) | undefined;
}

/** Block number of a time: `BLOCK_ORIGIN` at the program's start, one block per `blockTime` seconds. */
const BLOCK_ORIGIN = 10_000_000;

/** SushiSwap MasterChef emitting the program's schedule (sushiPerBlock), the LP's pool at allocPoint / totalAllocPoint of it. */
export class MasterChefProgram implements RewardProgram {
  readonly chef: MasterChef;
  private readonly pid: number;
  private readonly blockTime: number;
  private started = false;
  private ended = false;
  private readonly stakes = new Map<number, bigint>();
  private paidOut = 0n;
  private source: StakeSource | undefined;
  private readonly perBlock: bigint;
  // Float cache: pending(b) = p0 + ratePerBlock · (min(b, endBlock) − b0).
  private p0 = 0;
  private rate = 0;
  private b0 = 0;

  constructor(readonly spec: ProgramSpec) {
    if (!(spec.endSec > spec.startSec)) throw new ConfigError(`${spec.source}: end`, 'must be after start');
    if (spec.topUps.length > 0) throw new ConfigError(`${spec.source}: topUps`, 'MasterChef emits per block; top-ups apply to staking-rewards');
    this.blockTime = spec.blockTimeSec ?? 12;
    const blocks = this.blockOf(spec.endSec) - this.blockOf(spec.startSec);
    if (blocks <= 0) throw new ConfigError(`${spec.source}: blockTime`, `leaves no block between start and end (${this.blockTime} s per block)`);
    const alloc = spec.allocPoint ?? 1n;
    const total = spec.totalAllocPoint ?? alloc;
    // The program's schedule is the chef's emission (sushiPerBlock); the LP's pool gets allocPoint / totalAllocPoint of it.
    this.perBlock = spec.amountRaw / BigInt(blocks);
    const startBlock = this.blockOf(spec.startSec);
    this.chef = new MasterChef({ sushiPerBlock: this.perBlock, startBlock, bonusEndBlock: startBlock });
    let pid = 0;
    if (total > alloc) this.chef.add(total - alloc, startBlock, false);
    pid = this.chef.add(alloc, startBlock, false);
    this.pid = pid;
  }

  private blockOf(timeSec: number): number {
    return BLOCK_ORIGIN + Math.floor((timeSec - this.spec.startSec) / this.blockTime);
  }

  private blockAt(timeSec: number): number {
    return Math.max(0, this.blockOf(timeSec));
  }

  attach(source: StakeSource): void {
    this.source = source;
  }

  nextEventSec(): number {
    return !this.started ? -Infinity : !this.ended ? this.spec.endSec : Infinity;
  }

  advance(timeSec: number): void {
    if (!this.started) {
      this.started = true;
      if (this.spec.otherStake > 0n) this.chef.deposit(this.pid, OTHERS, this.spec.otherStake, this.blockAt(Math.min(this.spec.startSec, timeSec)));
      this.refresh(timeSec);
    }
    if (!this.ended && timeSec >= this.spec.endSec) {
      this.ended = true;
      const endBlock = this.blockAt(this.spec.endSec);
      // With no other pool, zeroing this one would leave totalAllocPoint 0, and every later updatePool (a claim,
      // a stake or an unstake after the end) would revert dividing by it: the operator first adds a pool nobody
      // stakes in (mass-updating at the end block, so the LP's pool is paid up to it).
      if (this.chef.totalAllocPoint === this.chef.poolInfo(this.pid).allocPoint) this.chef.add(1n, endBlock, true);
      this.chef.set(this.pid, 0n, endBlock, true);
      this.refresh(timeSec);
    }
  }

  stake(positionId: number, timeSec: number): void {
    if (this.stakes.has(positionId)) return;
    const u = this.source!.shareUnitsRaw(positionId);
    if (u === 0n) return;
    this.paidOut += this.chef.deposit(this.pid, LP, u, this.blockAt(timeSec));
    this.stakes.set(positionId, u);
    this.refresh(timeSec);
  }

  unstake(positionId: number, timeSec: number): void {
    const u = this.stakes.get(positionId);
    if (u === undefined) return;
    this.paidOut += this.chef.withdraw(this.pid, LP, u, this.blockAt(timeSec));
    this.stakes.delete(positionId);
    this.refresh(timeSec);
  }

  isStaked(positionId: number): boolean {
    return this.stakes.has(positionId);
  }

  claim(timeSec: number): bigint {
    let paid = this.paidOut;
    this.paidOut = 0n;
    if (this.chef.userInfo(this.pid, LP).amount > 0n) paid += this.chef.deposit(this.pid, LP, 0n, this.blockAt(timeSec));
    this.refresh(timeSec);
    return paid;
  }

  private refresh(timeSec: number): void {
    const b = this.blockAt(timeSec);
    this.b0 = b;
    this.p0 = Number(this.paidOut + this.chef.pendingSushi(this.pid, LP, b));
    const info = this.chef.poolInfo(this.pid);
    const mine = this.chef.userInfo(this.pid, LP).amount;
    const total = this.chef.totalAllocPoint;
    this.rate = !this.ended && info.lpSupply > 0n && total > 0n ? (Number(this.perBlock) * Number(info.allocPoint) * Number(mine)) / Number(total) / Number(info.lpSupply) : 0;
  }

  pending(timeSec: number): number {
    const end = this.blockAt(this.spec.endSec);
    // The chef pays from its start block: blocks before it (a stake made early) earn nothing.
    const db = Math.min(this.blockAt(timeSec), end) - Math.max(this.b0, BLOCK_ORIGIN);
    return (db > 0 ? this.p0 + this.rate * db : this.p0) / SCALE;
  }

  lpRatePerSecond(timeSec: number): number {
    if (timeSec < this.spec.startSec || timeSec >= this.spec.endSec) return 0;
    return this.rate / this.blockTime / SCALE;
  }
}

/** Builds the program of a spec. */
export function createProgram(spec: ProgramSpec): RewardProgram {
  switch (spec.kind) {
    case 'staking-rewards':
      return new StakingRewardsProgram(spec);
    case 'v3-staker':
      return new V3StakerProgram(spec);
    case 'masterchef':
      return new MasterChefProgram(spec);
  }
}

/** The stake source of an engine pool: exact v3 (V3Pool with block time), float v3 (seconds per liquidity), v2. */
export function stakeSourceOf(pool: EnginePool, originSec: number): StakeSource {
  // v3: a vault share's units, the liquidity of a full-range position of the position's principal value now
  const shareUnitsV3 = (id: number): bigint => {
    const v = pool.position(id);
    const price = pool.price();
    return tokensToRaw((v.base * price + v.quote) / (2 * Math.sqrt(price)));
  };
  if (pool instanceof V3ExactEnginePool) {
    const p = pool;
    return {
      tracksTime: true,
      liquidityRaw: (id) => p.positionRaw(id).liquidity,
      shareUnitsRaw: shareUnitsV3,
      ticks: (id) => p.positionTicks(id),
      setTime: (t) => {
        if (t !== p.pool.blockTimestamp) p.pool.setBlockTimestamp(t);
      },
      splInsideX128: (lo, hi) => p.pool.snapshotCumulativesInside(lo, hi).secondsPerLiquidityInsideX128,
    };
  }
  if (pool instanceof V3FloatPool) {
    const p = pool;
    const M = 1n << 160n;
    return {
      tracksTime: true,
      approximate: true,
      liquidityRaw: (id) => tokensToRaw(p.position(id).liquidity),
      shareUnitsRaw: shareUnitsV3,
      ticks: (id) => p.positionTicks(id),
      // The float pool's clock counts from the run's first step (its seconds per liquidity keep full precision).
      setTime: (t) => {
        const rel = t - originSec;
        if (rel > p.time()) p.setTime(rel);
      },
      // Human L is raw / 10^18, so seconds per raw liquidity = seconds per human L / 10^18; × 2^128, mod 2^160.
      splInsideX128: (lo, hi) => {
        const x = BigInt(Math.round((p.secondsPerLiquidityInside(lo, hi) / SCALE) * Q128_FLOAT));
        return ((x % M) + M) % M;
      },
    };
  }
  const liquidityRaw = (id: number): bigint => tokensToRaw(pool.position(id).liquidity);
  return {
    tracksTime: false,
    liquidityRaw,
    shareUnitsRaw: liquidityRaw,
    ticks: () => undefined,
    setTime: () => {},
    splInsideX128: () => {
      throw new PoolError('', 'a v2 pool has no seconds per liquidity');
    },
  };
}

// ------------------------------------------------------------------------------------------------ harvest

/** What a harvest policy sees each step (after the LP strategy acted). */
export interface HarvestContext {
  readonly step: number;
  readonly timestampMs: number;
  /** Reward tokens claimable now, all programs (whole tokens). */
  readonly pending: number;
  /** Reward tokens claimed and held (whole tokens). */
  readonly held: number;
  /** The reward token's price in quote at this step. */
  readonly rewardPrice: number;
  /** Market price of base at this step. */
  readonly price: number;
  /** Gas cost in quote of one action now: 'claim' is one claim of every program with something pending. */
  gasCost(action: 'claim' | 'swap' | 'mint' | 'burn'): number;
  /** Time of the last harvest (unix ms); the run's first step before any. */
  readonly lastHarvestMs: number;
  /** The LP's capital (quote). */
  readonly capital: number;
  /** Whether this is the run's last step. */
  readonly last: boolean;
}

/** What to do with claimed rewards: keep the tokens, sell them through the reward pool, or sell and add to the position. */
export type HarvestThen = 'hold' | 'sell' | 'compound';
export const HARVEST_THEN: readonly HarvestThen[] = ['hold', 'sell', 'compound'];

/**
 * A harvest action: `claim` every program's rewards (or program index `program`), then `then` (default hold);
 * `sell` sells `amount` (default all) of the held reward tokens through the reward pool.
 */
export type HarvestAction =
  | { readonly kind: 'claim'; readonly then?: HarvestThen; readonly program?: number }
  | { readonly kind: 'sell'; readonly amount?: number };

export const NO_HARVEST: readonly HarvestAction[] = Object.freeze([]);

export interface HarvestPolicy<P = unknown> {
  readonly id: string;
  readonly params: Readonly<P>;
  onStep(ctx: HarvestContext): readonly HarvestAction[];
  /** Harvests per year that compound (for `apyCompoundsPerYear`); undefined = measured over the run. */
  readonly compoundsPerYear?: number;
  /**
   * Optional promise, for speed: given the last harvest's time (unix ms; the run's first step before any), the
   * earliest time at which `onStep` may return an action. Steps before it do not call `onStep`.
   */
  wakeAtMs?(lastHarvestMs: number): number;
}

export interface HarvestPolicyFactory<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly defaults: Readonly<P>;
  create(params: Readonly<P>): HarvestPolicy<P>;
}

// ------------------------------------------------------------------------------------------------ the port

/** Liquidity mining as handed to the engine. */
export interface IncentivesInput {
  readonly programs: readonly RewardProgram[];
  readonly policy: HarvestPolicy;
  /** The policy as messages name it. */
  readonly policyLabel?: string;
  /** The reward token's price in quote at each step of the series. */
  readonly rewardPrice: Float64Array;
  /** The reward/quote pool's value in quote at the first reward price (half in each token). */
  readonly rewardPoolLiquidity: number;
  /** The reward pool's swap fee (default 0.003). */
  readonly rewardPoolFee?: number;
  /** Fractions of each claim taken by the vault (performance fee) and paid to whoever calls harvest (caller fee). */
  readonly performanceFee: number;
  readonly callerFee: number;
  /** Stake positions automatically when minted (default true). */
  readonly autoStake?: boolean;
}

/** The reward columns of a run's timeseries (sim/metrics/record.ts REWARD_COLUMNS). */
export interface RewardColumns {
  readonly rewardsCumulative: Float64Array;
  readonly rewardTokensPending: Float64Array;
  readonly rewardPrice: Float64Array;
}

/** Liquidity-mining totals of a run: the metrics' input (sim/metrics/rewards.ts), with the engine's exact sale and end-price figures. */
export interface RewardTotals extends RewardTotalsInput {
  /** Reward tokens sold through the reward pool (to hold quote or to compound). */
  readonly rewardTokensSold: number;
  /** The reward price at the last step. */
  readonly rewardPriceAtEnd: number;
}

/**
 * The engine side of liquidity mining: the programs, the harvest policy, the reward pool and the LP's reward
 * books. The engine calls {@link advance} at the top of each step, the ledger calls {@link onMint}/{@link onBurn}
 * and the stake/unstake/claim intents, the engine calls {@link harvest} after the LP strategy and
 * {@link value} when it records the step.
 */
export class IncentiveBook {
  readonly programs: readonly RewardProgram[];
  private readonly source: StakeSource;
  private readonly rewardPool: V2FloatPool;
  private readonly swapUnits: number;
  /** Reward tokens claimed and kept (net of fees). */
  held = 0;
  /** Quote from sold rewards, set aside (not principal). */
  rewardQuote = 0;
  /** Quote from sold rewards moved into positions by compounding. */
  compounded = 0;
  /**
   * Where the compounded rewards are now, so that IL can leave out their current value (they are not principal):
   * each position compounding minted, with the share of its principal that came from rewards, and the tokens of
   * that share a later burn returned to the wallet (valued as tokens from then on, like fees moved by `useFees`).
   */
  private readonly compoundShare = new Map<number, number>();
  private readonly compoundTokens = { base: 0, quote: 0 };
  /** Claims valued at the reward price of the claim's step. */
  claimedValue = 0;
  claimedTokens = 0;
  soldTokens = 0;
  harvests = 0;
  harvestGas = 0;
  slippage = 0;
  performanceFees = 0;
  callerFees = 0;
  private compoundHarvests = 0;
  private lastHarvestMs: number;
  /** Steps before this time skip the policy (its `wakeAtMs`); −Infinity: ask it every step. */
  private wakeMs = -Infinity;
  private pendingNow = 0;
  private nextEventSec = -Infinity;
  /** Whether a program reads the pool's clock (a v3-staker): the pool's time is set every step. */
  private readonly needsPoolTime: boolean;
  /**
   * Whether every program's pending rewards are a function of time alone between contract calls (StakingRewards,
   * MasterChef: affine in time): the reward columns and the rewards' part of LP value are then written in bulk over
   * the steps between two events ({@link flushTo}) instead of step by step.
   */
  readonly linear: boolean;
  /** linear: the first step whose reward columns are not written yet. */
  private from = 1;
  /**
   * The engine calls {@link advance} at a step when its time (unix ms) is ≥ `dueMs`, and {@link harvest} (after
   * step 0) when it is ≥ `harvestDueMs`; steps before skip the book.
   */
  dueMs = -Infinity;
  harvestDueMs = -Infinity;
  private cols: RewardColumns | undefined;
  private lpValueCol: Float64Array | undefined;
  private readonly timestampMs: Float64Array;
  private lpRateAtStart = NaN;
  private readonly autoStake: boolean;
  /** The policy's context: plain fields refreshed before each call (field loads for the policy, no getter calls). */
  private readonly ctx: { -readonly [K in keyof HarvestContext]: HarvestContext[K] };
  private readonly label: string;

  constructor(
    private readonly inp: IncentivesInput,
    private readonly pool: EnginePool,
    private readonly ledger: LpLedger,
    private readonly clock: Clock,
    capital: number,
    timestampMs: Float64Array,
    private readonly steps: number,
  ) {
    this.timestampMs = timestampMs;
    const firstTimestampMs = timestampMs[0]!;
    this.programs = inp.programs;
    this.label = inp.policyLabel ?? inp.policy.id;
    this.autoStake = inp.autoStake ?? true;
    const originSec = Math.floor(firstTimestampMs / 1000);
    this.source = stakeSourceOf(pool, originSec);
    this.needsPoolTime = this.source.tracksTime && this.programs.some((p) => p instanceof V3StakerProgram);
    this.linear = this.programs.every((p) => p instanceof StakingRewardsProgram || p instanceof MasterChefProgram);
    for (const p of this.programs) {
      p.attach(this.source);
      if (p instanceof V3StakerProgram) p.activeLiquidity = () => pool.activeLiquidity();
    }
    const p0 = inp.rewardPrice[0]!;
    if (!(p0 > 0 && Number.isFinite(p0))) throw new ConfigError('--reward-price', `the reward price at the first step must be > 0; was ${p0}`);
    const half = inp.rewardPoolLiquidity / 2;
    this.rewardPool = new V2FloatPool(inp.rewardPoolFee ?? 0.003, half / p0, half);
    this.swapUnits = GAS_UNITS[pool.kind].swap;
    this.lastHarvestMs = firstTimestampMs;
    this.rewake();
    const book = this;
    this.ctx = {
      step: 0,
      timestampMs: firstTimestampMs,
      pending: 0,
      held: 0,
      rewardPrice: inp.rewardPrice[0]!,
      price: clock.price,
      gasCost: (action) => (action === 'claim' ? book.claimGas(book.programs) : ledger.gasCost(action)),
      lastHarvestMs: firstTimestampMs,
      capital,
      last: steps === 1,
    };
  }

  /** The reward price at a step. */
  priceAt(step: number): number {
    return this.inp.rewardPrice[step]!;
  }

  /**
   * Gas of claiming `programs` now: one claim transaction per program with something to pay (a claim with nothing
   * pending anywhere is still one transaction, the dearest), priced per unit at the gas price of a swap.
   */
  claimGas(programs: readonly RewardProgram[]): number {
    const s = this.ledger.gasCost('swap');
    if (s === 0) return 0;
    const t = this.now();
    let units = 0;
    let dearest = 0;
    for (const p of programs) {
      const u = CLAIM_GAS_UNITS[p.spec.kind];
      if (p.pending(t) > 0) units += u;
      if (u > dearest) dearest = u;
    }
    return (s * (units > 0 ? units : dearest)) / this.swapUnits;
  }

  /** Gas of one sale through the reward pool (a v2 swap), priced per unit at the gas price of a swap. */
  private saleGas(): number {
    const s = this.ledger.gasCost('swap');
    return s === 0 ? 0 : (s * GAS_UNITS.v2.swap) / this.swapUnits;
  }

  /** The step's time in unix seconds (what the programs run on). */
  private now(): number {
    return Math.floor(this.clock.timestampMs / 1000);
  }

  /**
   * Top of a step (the clock is set), when the step's time is ≥ {@link dueMs}: the pool's clock (a v3-staker reads
   * it), then each program's schedule when something is due.
   */
  advance(): void {
    const t = this.now();
    if (this.needsPoolTime) this.source.setTime(t);
    if (t < this.nextEventSec) return;
    this.flushTo(this.clock.step);
    const ps = this.programs;
    let next = Infinity;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      p.advance(t);
      const e = p.nextEventSec();
      if (e < next) next = e;
    }
    this.setNextEvent(next);
  }

  /** The next program event (unix s) and the first step time (ms) at which {@link advance} has work. */
  private setNextEvent(sec: number): void {
    this.nextEventSec = sec;
    // floor(ms / 1000) ≥ sec ⇔ ms ≥ ceil(sec) · 1000.
    this.dueMs = this.needsPoolTime ? -Infinity : Math.ceil(sec) * 1000;
  }

  private rewake(): void {
    const p = this.inp.policy;
    this.wakeMs = p.wakeAtMs === undefined ? -Infinity : p.wakeAtMs(this.lastHarvestMs);
    // Step by step (v3-staker), the harvest refreshes the pending rewards the record reads: every step.
    this.harvestDueMs = this.linear ? this.wakeMs : -Infinity;
  }

  /** A stake, unstake or claim may schedule work (a stake waiting for its program's start): look again next step. */
  private touched(): void {
    this.flushTo(this.clock.step);
    this.setNextEvent(-Infinity);
  }

  /** A position the ledger just minted: staked in every program unless auto-staking is off. */
  onMint(positionId: number): void {
    if (!this.autoStake) return;
    this.touched();
    const t = this.now();
    for (let i = 0; i < this.programs.length; i++) this.programs[i]!.stake(positionId, t);
  }

  /** A burn of `fraction` of a position is about to happen: unstake it (a partial burn re-stakes the rest after). */
  onBurn(positionId: number): boolean[] {
    this.touched();
    const t = this.now();
    const was: boolean[] = [];
    for (let i = 0; i < this.programs.length; i++) {
      const p = this.programs[i]!;
      was.push(p.isStaked(positionId));
      p.unstake(positionId, t);
    }
    return was;
  }

  /** After a partial burn: re-stake the remaining liquidity where it was staked. */
  afterPartialBurn(positionId: number, was: readonly boolean[]): void {
    this.touched();
    const t = this.now();
    for (let i = 0; i < this.programs.length; i++) if (was[i]) this.programs[i]!.stake(positionId, t);
  }

  private programsOf(program: number | undefined, what: string): readonly RewardProgram[] {
    if (program === undefined) return this.programs;
    const p = this.programs[program];
    if (p === undefined) this.fail(`${what}: program ${program} does not exist (programs 0..${this.programs.length - 1})`);
    return [p];
  }

  /** Whose action is being applied: the LP strategy's stake / unstake / claim, or the harvest policy's. */
  private actor: 'strategy' | 'policy' = 'policy';

  private fail(problem: string): never {
    if (this.actor === 'strategy') throw new StrategyError(this.ledger.label, this.clock.step, this.clock.timestampMs, problem);
    throw new HarvestPolicyError(this.label, this.clock.step, this.clock.timestampMs, problem);
  }

  /** The strategy's stake / unstake / claim intents (a failure is the strategy's, named as such). */
  applyIntent(a: Extract<LpAction, { kind: 'stake' | 'unstake' | 'claim' }>): void {
    this.actor = 'strategy';
    try {
      this.applyStrategyIntent(a);
    } finally {
      this.actor = 'policy';
    }
  }

  private applyStrategyIntent(a: Extract<LpAction, { kind: 'stake' | 'unstake' | 'claim' }>): void {
    this.touched();
    if (a.kind === 'claim') {
      this.claim(a.program, 'hold');
      return;
    }
    if (!this.ledger.positionIds.includes(a.positionId)) this.fail(`${a.kind}: position ${a.positionId} is not one of the LP's open positions`);
    const t = this.now();
    for (const p of this.programsOf(a.program, a.kind)) {
      if (a.kind === 'stake') p.stake(a.positionId, t);
      else p.unstake(a.positionId, t);
    }
  }

  /** Reward tokens claimable now (all programs), whole tokens. */
  pending(): number {
    return this.pendingAt(this.now());
  }

  private pendingAt(timeSec: number): number {
    let s = 0;
    for (let i = 0; i < this.programs.length; i++) s += this.programs[i]!.pending(timeSec);
    return s;
  }

  /**
   * The LP's reward rate at the run's start (whole tokens per second, all programs), for the spot APR: each program's
   * rate now, or when it starts if it starts during the run. A program not live during the run pays nothing in it and
   * counts 0: one that ended before the first step (its rate then is 0), and one whose first funding (its start, or an
   * earlier top-up) is at or after the last step (its rate when it starts is not a rate of this run).
   */
  private spotRate(): number {
    const t = this.now();
    const lastSec = Math.floor(this.timestampMs[this.steps - 1]! / 1000);
    let r = 0;
    for (const p of this.programs) {
      const s = p.spec;
      let first = s.startSec;
      for (const u of s.topUps) if (u.atSec < first) first = u.atSec;
      if (first > t && first >= lastSec) continue;
      r += p.lpRatePerSecond(Math.max(t, s.startSec));
    }
    return r;
  }

  /**
   * After the LP strategy, at step 0 and when the step's time is ≥ {@link harvestDueMs}: the harvest policy's
   * actions.
   */
  harvest(): void {
    const step = this.clock.step;
    if (step === 0) this.lpRateAtStart = this.spotRate();
    this.pendingNow = this.pending();
    const clock = this.clock;
    if (clock.timestampMs < this.wakeMs) return;
    const c = this.ctx;
    c.step = step;
    c.timestampMs = clock.timestampMs;
    c.pending = this.pendingNow;
    c.held = this.held;
    c.rewardPrice = this.inp.rewardPrice[step]!;
    c.price = clock.price;
    c.lastHarvestMs = this.lastHarvestMs;
    c.last = step === this.steps - 1;
    const acts = this.inp.policy.onStep(c);
    if (acts.length === 0) return;
    this.flushTo(step);
    if (!Array.isArray(acts)) this.fail(`harvest policy returned ${JSON.stringify(acts)}; it must return an array of actions (NO_HARVEST when idle)`);
    for (const a of acts) {
      if (a === null || typeof a !== 'object') this.fail(`harvest policy returned an action that is not an object: ${String(a)}`);
      if (a.kind === 'claim') {
        const then = a.then ?? 'hold';
        if (!HARVEST_THEN.includes(then)) this.fail(`claim: then must be ${HARVEST_THEN.join(', ')}; was ${JSON.stringify(then)}`);
        this.claim(a.program, then);
      } else if (a.kind === 'sell') {
        const amount = a.amount ?? this.held;
        if (!(amount >= 0) || amount > this.held * (1 + 1e-12)) this.fail(`sell of ${amount} reward tokens exceeds the ${this.held} held`);
        const sold = Math.min(amount, this.held);
        this.held -= sold;
        this.rewardQuote += this.sell(sold);
      } else this.fail(`unknown harvest action ${JSON.stringify(a)} (kinds: claim, sell)`);
    }
  }

  /** Claims, pays the claim's gas and fees, then holds, sells or compounds. */
  private claim(program: number | undefined, then: HarvestThen): void {
    this.touched();
    let raw = 0n;
    const t = this.now();
    const claimed = this.programsOf(program, 'claim');
    const gas = this.claimGas(claimed);
    for (const p of claimed) raw += p.claim(t);
    this.ledger.chargeGas(gas);
    this.harvestGas += gas;
    this.harvests++;
    this.lastHarvestMs = this.clock.timestampMs;
    this.rewake();
    const tokens = rawToTokens(raw);
    const price = this.inp.rewardPrice[this.clock.step]!;
    this.claimedTokens += tokens;
    this.claimedValue += tokens * price;
    const perf = tokens * this.inp.performanceFee;
    const caller = tokens * this.inp.callerFee;
    this.performanceFees += perf * price;
    this.callerFees += caller * price;
    const net = tokens - perf - caller;
    this.pendingNow = this.pending();
    // the sale (no event of its own) before the harvest's event, which says what it returned; a compound's burn and
    // mint events follow it
    const gasBeforeSale = this.harvestGas;
    const q = then === 'hold' ? 0 : this.sell(net);
    const c = this.clock;
    this.ledger.events.push({
      step: c.step,
      timestampMs: c.timestampMs,
      kind: 'harvest',
      price: c.price,
      rangeLower: NaN,
      rangeUpper: NaN,
      then,
      rewardTokens: tokens,
      rewardFeeTokens: perf + caller,
      soldTokens: then !== 'hold' && net > 0 ? net : 0,
      soldQuote: q,
      rewardPrice: price,
      gas: gas + (this.harvestGas - gasBeforeSale),
    });
    if (then === 'hold') {
      this.held += net;
      return;
    }
    if (then === 'sell') {
      this.rewardQuote += q;
      return;
    }
    this.compoundHarvests++;
    this.compound(q);
  }

  /** Sells reward tokens through the reward pool after its arbitrageur re-anchors it to the reward price. */
  private sell(tokens: number): number {
    if (!(tokens > 0)) return 0;
    const gas = this.saleGas();
    this.ledger.chargeGas(gas);
    this.harvestGas += gas;
    const price = this.inp.rewardPrice[this.clock.step]!;
    const rp = this.rewardPool;
    if (rp.price() !== price) rp.swapToPrice(price);
    const f = rp.swapExactIn(true, tokens);
    const out = -f.quoteDelta;
    this.soldTokens += tokens;
    this.slippage += tokens * price - out;
    return out;
  }

  /** Adds quote to the LP's first position: burn it and mint it again over its range with the wallet (gas per action). */
  private compound(quote: number): void {
    const ledger = this.ledger;
    const w = ledger.wallet;
    w.quote += quote;
    this.compounded += quote;
    const ct = this.compoundTokens;
    ct.quote += quote;
    const id = ledger.positionIds[0];
    const minted = ledger.mintedThisStep;
    if (id !== undefined) {
      const range = this.pool.position(id).range;
      ledger.apply([{ kind: 'burn', positionId: id }]);
      // the rewards' share of what the mint takes from the wallet, valued at the pool price
      const p = this.pool.price();
      const walletValue = w.base * p + w.quote;
      const share = walletValue > 0 ? Math.min(1, Math.max(0, (ct.base * p + ct.quote) / walletValue)) : 0;
      ledger.apply([{ kind: 'mint', range, swapToRatio: true }]);
      const newId = ledger.positionIds[ledger.positionIds.length - 1];
      if (newId !== undefined && newId !== id && !this.compoundShare.has(newId)) this.compoundShare.set(newId, share);
      // what the mint left in the wallet keeps the same share
      ct.base = Math.max(0, w.base) * share;
      ct.quote = Math.max(0, w.quote) * share;
    }
    ledger.mintedThisStep = minted;
  }

  /** A burn returned `base`/`quote` of principal from position `positionId` (`fraction` of it): its rewards' share becomes tokens. */
  burned(positionId: number, fraction: number, base: number, quote: number): void {
    const share = this.compoundShare.get(positionId);
    if (share === undefined) return;
    this.compoundTokens.base += share * base;
    this.compoundTokens.quote += share * quote;
    if (fraction === 1) this.compoundShare.delete(positionId);
  }

  /** The current value, at `price`, of the rewards compounded into positions (and returned from them as tokens). */
  compoundedValue(price: number): number {
    if (this.compounded === 0) return 0; // nothing compounded (the usual run: sell or hold)
    let v = this.compoundTokens.base * price + this.compoundTokens.quote;
    for (const [id, share] of this.compoundShare) {
      const pos = this.pool.livePosition(id);
      v += share * (pos.base * price + pos.quote);
    }
    return v;
  }

  /** Where the reward columns go, and the LP value column the rewards' value is added to (linear: in bulk). */
  bindColumns(cols: RewardColumns, lpValue: Float64Array): void {
    this.cols = cols;
    this.lpValueCol = lpValue;
  }

  /**
   * Records step `step`'s reward columns and returns the rewards' value at it (held + pending at the reward price,
   * + sold rewards' quote), which the engine adds to LP value. Step by step, every step; linear, step 0 only (the
   * entry cost reads it), later steps by {@link flushTo}.
   */
  record(step: number): number {
    const cols = this.cols!;
    const pr = this.inp.rewardPrice[step]!;
    const pending = this.pendingNow;
    cols.rewardsCumulative[step] = this.claimedValue + pending * pr;
    cols.rewardTokensPending[step] = pending;
    return (this.held + pending * this.keep) * pr + this.rewardQuote;
  }

  /** The share of a claim the LP keeps after the vault's fees: pending rewards are worth that share of their value. */
  private get keep(): number {
    return 1 - this.inp.performanceFee - this.inp.callerFee;
  }

  /**
   * linear: writes the reward columns of steps [from, `to`) — steps recorded by the engine since the last event,
   * during which nothing but time changed the rewards — and adds their rewards' value to the LP value column.
   * Called before anything changes the programs or the LP's reward books, and at the end.
   */
  private flushTo(to: number): void {
    if (!this.linear || to <= this.from) return;
    const cols = this.cols!;
    const cum = cols.rewardsCumulative;
    const pend = cols.rewardTokensPending;
    const lpValue = this.lpValueCol!;
    const ts = this.timestampMs;
    const price = this.inp.rewardPrice;
    const claimed = this.claimedValue;
    const held = this.held;
    const quote = this.rewardQuote;
    const keep = this.keep;
    for (let i = this.from; i < to; i++) {
      const pending = this.pendingAt(Math.floor(ts[i]! / 1000));
      const pr = price[i]!;
      cum[i] = claimed + pending * pr;
      pend[i] = pending;
      lpValue[i] = lpValue[i]! + ((held + pending * keep) * pr + quote);
    }
    this.from = to;
  }

  /** After the last step: the reward columns complete, the pending rewards at the end (for {@link totals}). */
  finish(): void {
    this.flushTo(this.steps);
    if (this.linear) this.pendingNow = this.pending();
    this.cols!.rewardPrice.set(this.inp.rewardPrice);
  }

  totals(years: number): RewardTotals {
    const n = this.steps;
    const last = this.inp.rewardPrice[n - 1]!;
    const pending = this.pendingNow;
    const earnedTokens = this.claimedTokens + pending;
    const policyRate = snapToSteps(this.inp.policy.compoundsPerYear, this.timestampMs, n);
    const measured = years > 0 ? this.compoundHarvests / years : 0;
    return {
      rewardTokensEarned: earnedTokens,
      rewardsEarned: this.claimedValue + pending * last,
      rewardsValueAtEnd: earnedTokens * last,
      harvests: this.harvests,
      harvestGas: this.harvestGas,
      rewardSlippage: this.slippage,
      // what the vault takes from the claims, and will take from the rewards still pending (valued at the end)
      performanceFees: this.performanceFees + pending * this.inp.performanceFee * last,
      callerFees: this.callerFees + pending * this.inp.callerFee * last,
      rewardTokensHeld: this.held,
      rewardTokensPending: pending,
      rewardQuote: this.rewardQuote,
      rewardsCompounded: this.compounded,
      rewardTokensSold: this.soldTokens,
      rewardPriceAtEnd: last,
      lpRatePerSecondAtStart: Number.isNaN(this.lpRateAtStart) ? 0 : this.lpRateAtStart,
      rewardPriceAtStart: this.inp.rewardPrice[0]!,
      compoundsPerYear: this.compoundHarvests === 0 ? 0 : (policyRate ?? measured),
    };
  }
}

/**
 * A policy's stated compounding rate as the run's steps allow it: a harvest happens at a step, so an interval that
 * is not a whole number of steps is the next whole number (every 30 minutes on hourly steps is every hour, 1.5 h is
 * every 2 h). Steps are taken as evenly spaced over the run; undefined stays undefined (measured instead).
 */
function snapToSteps(rate: number | undefined, timestampMs: ArrayLike<number>, n: number): number | undefined {
  if (rate === undefined || !(rate > 0) || n < 2) return rate;
  const stepMs = (timestampMs[n - 1]! - timestampMs[0]!) / (n - 1);
  if (!(stepMs > 0)) return rate;
  const every = MS_PER_YEAR / rate;
  const steps = Math.max(1, Math.ceil(every / stepMs - 1e-9));
  return steps * stepMs === every ? rate : MS_PER_YEAR / (steps * stepMs);
}
