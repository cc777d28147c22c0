/**
 * `MasterChefV2`: an exact bigint mirror of SushiSwap's MasterChefV2 (`contracts/MasterChefV2.sol`, the deployed
 * version with `withdrawAndHarvest`). MCV2 owns a dummy token deposited in a MasterChef V1 pool; the SUSHI that
 * pool earns is MCV2's budget, split over MCV2's own pools by `allocPoint`:
 *
 * - `sushiPerBlock()` is what MCV2 reads from MCV1: `⌊1e20·allocPoint(MASTER_PID)/totalAllocPoint(MCV1)⌋`
 *   (MCV2's constant MASTERCHEF_SUSHI_PER_BLOCK = 1e20; see {@link mcv2SushiPerBlock}). Here it is a parameter,
 *   changeable with {@link MasterChefV2.setSushiPerBlock} when MCV1's weights change.
 * - SUSHI reaches MCV2 only through `harvestFromMasterChef()` (MCV1 paying the dummy pool): model it with
 *   {@link MasterChefV2.fundSushi}. A payout above MCV2's SUSHI balance reverts `BoringERC20: Transfer failed`.
 * - `updatePool`: `reward = ⌊blocks·sushiPerBlock·allocPoint / totalAllocPoint⌋`,
 *   `accSushiPerShare += ⌊reward·1e12 / lpSupply⌋` (uint128), `lastRewardBlock = block` (uint64) — also when no
 *   LP is staked (those blocks' SUSHI then stays with MCV2 unassigned).
 * - Users hold `amount` and a signed `rewardDebt` (int256): deposit adds `⌊amount·acc/1e12⌋` to it, withdraw
 *   subtracts it, so pending = `⌊amount·acc/1e12⌋ − rewardDebt` stays owed across withdrawals; harvest pays it
 *   and sets `rewardDebt = ⌊amount·acc/1e12⌋`.
 *
 * Reverts, with the contract libraries' strings: `BoringMath: Add Overflow` | `Mul Overflow` | `Underflow`
 * (e.g. withdrawing more than staked) | `uint128 Overflow` | `uint64 Overflow`, `SignedSafeMath: addition
 * overflow` | `subtraction overflow`, `Integer < 0`, `BoringERC20: Transfer failed`, and `''` (the 0.6
 * compiler's invalid opcode) for an unknown pid or a division by a zero totalAllocPoint. Every mutating method
 * is one transaction (applies fully or leaves the state unchanged).
 *
 * Not modelled: rewarders (`IRewarder.onSushiReward`), ownership, `init`, batch/permit, and who receives tokens
 * (`to`): a user's LP and SUSHI are returned to the caller here, amounts are what the methods return.
 */
import { InvariantError, PoolError } from '../../core/errors.ts';
import { ACC_SUSHI_PRECISION, toBlock, type BlockNumber } from './MasterChef.ts';

const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
const INT256_MIN = -(1n << 255n);
const INT256_MAX = (1n << 255n) - 1n;
/** MCV2's MASTERCHEF_SUSHI_PER_BLOCK. */
export const MCV2_MASTERCHEF_SUSHI_PER_BLOCK = 10n ** 20n;

// BoringMath / SignedSafeMath, with their revert strings.
function add(a: bigint, b: bigint): bigint {
  const c = a + b;
  if (c > MAX_UINT256) throw new PoolError('BoringMath: Add Overflow');
  return c;
}
function sub(a: bigint, b: bigint): bigint {
  if (b > a) throw new PoolError('BoringMath: Underflow');
  return a - b;
}
function mul(a: bigint, b: bigint): bigint {
  const c = a * b;
  if (c > MAX_UINT256) throw new PoolError('BoringMath: Mul Overflow');
  return c;
}
function to128(a: bigint): bigint {
  if (a > MAX_UINT128) throw new PoolError('BoringMath: uint128 Overflow');
  return a;
}
/** BoringMath128.add: uint128 wrap-around detected, with the same string as the uint256 add. */
function add128(a: bigint, b: bigint): bigint {
  const c = a + b;
  if (c > MAX_UINT128) throw new PoolError('BoringMath: Add Overflow');
  return c;
}
function to64(a: bigint): bigint {
  if (a > MAX_UINT64) throw new PoolError('BoringMath: uint64 Overflow');
  return a;
}
/** Plain `/`: dividing by zero is the 0.6 compiler's invalid opcode (a bare revert). */
function div(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new PoolError('');
  return a / b;
}
/** `int256(x)` of a uint256 (Solidity 0.6: no check, two's-complement reinterpretation). */
function toInt256(x: bigint): bigint {
  return x > INT256_MAX ? x - (1n << 256n) : x;
}
function sadd(a: bigint, b: bigint): bigint {
  const c = a + b;
  if (c > INT256_MAX || c < INT256_MIN) throw new PoolError('SignedSafeMath: addition overflow');
  return c;
}
function ssub(a: bigint, b: bigint): bigint {
  const c = a - b;
  if (c > INT256_MAX || c < INT256_MIN) throw new PoolError('SignedSafeMath: subtraction overflow');
  return c;
}
function toUInt256(a: bigint): bigint {
  if (a < 0n) throw new PoolError('Integer < 0');
  return a;
}

/** What MCV2's `sushiPerBlock()` returns: ⌊1e20·allocPoint(MASTER_PID) / MCV1.totalAllocPoint⌋. */
export function mcv2SushiPerBlock(masterPoolAllocPoint: bigint, mcv1TotalAllocPoint: bigint): bigint {
  return div(mul(MCV2_MASTERCHEF_SUSHI_PER_BLOCK, masterPoolAllocPoint), mcv1TotalAllocPoint);
}

function assertAmount(what: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) throw new InvariantError(`MasterChefV2: ${what} must be a bigint in [0, 2^256 − 1]; was ${String(v)}`);
}

export interface MasterChefV2Params {
  /** What `sushiPerBlock()` reads from MCV1 (see {@link mcv2SushiPerBlock}). */
  readonly sushiPerBlock: bigint;
  /** SUSHI MCV2 holds at the start (default 0). */
  readonly sushiBalance?: bigint;
}

export interface MasterChefV2PoolInfo {
  /** uint128. */
  readonly accSushiPerShare: bigint;
  /** uint64. */
  readonly lastRewardBlock: bigint;
  /** uint64. */
  readonly allocPoint: bigint;
  /** `lpToken[pid].balanceOf(MCV2)`. */
  readonly lpSupply: bigint;
}

export interface MasterChefV2UserInfo {
  readonly amount: bigint;
  /** int256: negative after withdrawing with SUSHI still owed. */
  readonly rewardDebt: bigint;
}

const ZERO_USER: MasterChefV2UserInfo = { amount: 0n, rewardDebt: 0n };

interface State {
  pools: MasterChefV2PoolInfo[];
  users: Map<number, Map<string, MasterChefV2UserInfo>>;
  totalAllocPoint: bigint;
  sushiBalance: bigint;
  sushiPerBlock: bigint;
  emitted: bigint[];
}

export class MasterChefV2 {
  private s: State;

  constructor(params: MasterChefV2Params) {
    assertAmount('sushiPerBlock', params.sushiPerBlock);
    const bal = params.sushiBalance ?? 0n;
    assertAmount('sushiBalance', bal);
    this.s = { pools: [], users: new Map(), totalAllocPoint: 0n, sushiBalance: bal, sushiPerBlock: params.sushiPerBlock, emitted: [] };
  }

  get poolLength(): number {
    return this.s.pools.length;
  }
  get totalAllocPoint(): bigint {
    return this.s.totalAllocPoint;
  }
  /** MCV2's SUSHI balance (what harvests pay from). */
  get sushiBalance(): bigint {
    return this.s.sushiBalance;
  }
  get sushiPerBlock(): bigint {
    return this.s.sushiPerBlock;
  }
  /** SUSHI assigned to pool `pid`'s stakers so far, Σ reward over updates with LP staked (ammsim bookkeeping). */
  emittedToPool(pid: number): bigint {
    this.pool(pid);
    return this.s.emitted[pid] ?? 0n;
  }
  poolInfo(pid: number): MasterChefV2PoolInfo {
    return this.pool(pid);
  }
  userInfo(pid: number, user: string): MasterChefV2UserInfo {
    this.pool(pid);
    return this.s.users.get(pid)?.get(user) ?? ZERO_USER;
  }

  /** MCV1's weights changed: the value `sushiPerBlock()` now returns (pools keep their lastRewardBlock). */
  setSushiPerBlock(v: bigint): void {
    assertAmount('sushiPerBlock', v);
    this.s.sushiPerBlock = v;
  }

  /** SUSHI arriving from MCV1 (`harvestFromMasterChef`), or sent to MCV2 directly. */
  fundSushi(amount: bigint): void {
    assertAmount('amount', amount);
    this.transact(() => {
      this.s.sushiBalance = add(this.s.sushiBalance, amount);
    });
  }

  /** `add(allocPoint, lpToken, rewarder)` at `block`; returns the new pid. */
  add(allocPoint: bigint, block: BlockNumber): number {
    assertAmount('allocPoint', allocPoint);
    const b = toBlock(block);
    return this.transact(() => {
      this.s.totalAllocPoint = add(this.s.totalAllocPoint, allocPoint);
      this.s.pools.push({ allocPoint: to64(allocPoint), lastRewardBlock: to64(b), accSushiPerShare: 0n, lpSupply: 0n });
      this.s.emitted.push(0n);
      return this.s.pools.length - 1;
    });
  }

  /** `set(pid, allocPoint, rewarder, overwrite)` (no pool update, as in the contract). */
  set(pid: number, allocPoint: bigint): void {
    assertAmount('allocPoint', allocPoint);
    this.transact(() => {
      const pool = this.pool(pid);
      this.s.totalAllocPoint = add(sub(this.s.totalAllocPoint, pool.allocPoint), allocPoint);
      this.s.pools[pid] = { ...pool, allocPoint: to64(allocPoint) };
    });
  }

  /** The view `pendingSushi(pid, user)` at `block`. */
  pendingSushi(pid: number, user: string, block: BlockNumber): bigint {
    const b = toBlock(block);
    const pool = this.pool(pid);
    const u = this.userInfo(pid, user);
    let acc = pool.accSushiPerShare;
    if (b > pool.lastRewardBlock && pool.lpSupply !== 0n) {
      const blocks = sub(b, pool.lastRewardBlock);
      const reward = div(mul(mul(blocks, this.s.sushiPerBlock), pool.allocPoint), this.s.totalAllocPoint);
      acc = add(acc, div(mul(reward, ACC_SUSHI_PRECISION), pool.lpSupply));
    }
    return toUInt256(ssub(toInt256(div(mul(u.amount, acc), ACC_SUSHI_PRECISION)), u.rewardDebt));
  }

  updatePool(pid: number, block: BlockNumber): MasterChefV2PoolInfo {
    const b = toBlock(block);
    return this.transact(() => this.updatePoolInner(pid, b));
  }

  massUpdatePools(pids: readonly number[], block: BlockNumber): void {
    const b = toBlock(block);
    this.transact(() => {
      for (const pid of pids) this.updatePoolInner(pid, b);
    });
  }

  /** `deposit(pid, amount, to)`: `to`'s stake grows by `amount` (the caller's LP). */
  deposit(pid: number, to: string, amount: bigint, block: BlockNumber): void {
    assertAmount('amount', amount);
    const b = toBlock(block);
    this.transact(() => {
      const pool = this.updatePoolInner(pid, b);
      const u = this.userInfo(pid, to);
      const amountAfter = add(u.amount, amount);
      const rewardDebt = sadd(u.rewardDebt, toInt256(div(mul(amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION)));
      this.setUser(pid, to, { amount: amountAfter, rewardDebt });
      this.s.pools[pid] = { ...this.pool(pid), lpSupply: add(pool.lpSupply, amount) };
    });
  }

  /** `withdraw(pid, amount, to)` by `user`: LP back, SUSHI still owed (rewardDebt falls). */
  withdraw(pid: number, user: string, amount: bigint, block: BlockNumber): void {
    assertAmount('amount', amount);
    const b = toBlock(block);
    this.transact(() => {
      const pool = this.updatePoolInner(pid, b);
      const u = this.userInfo(pid, user);
      const rewardDebt = ssub(u.rewardDebt, toInt256(div(mul(amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION)));
      this.setUser(pid, user, { amount: sub(u.amount, amount), rewardDebt });
      this.s.pools[pid] = { ...this.pool(pid), lpSupply: sub(pool.lpSupply, amount) };
    });
  }

  /** `harvest(pid, to)` by `user`: returns the SUSHI paid. */
  harvest(pid: number, user: string, block: BlockNumber): bigint {
    const b = toBlock(block);
    return this.transact(() => {
      const pool = this.updatePoolInner(pid, b);
      const u = this.userInfo(pid, user);
      const accumulated = toInt256(div(mul(u.amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION));
      const pending = toUInt256(ssub(accumulated, u.rewardDebt));
      this.setUser(pid, user, { amount: u.amount, rewardDebt: accumulated });
      if (pending !== 0n) this.paySushi(pending);
      return pending;
    });
  }

  /** `withdrawAndHarvest(pid, amount, to)` by `user`: returns the SUSHI paid. */
  withdrawAndHarvest(pid: number, user: string, amount: bigint, block: BlockNumber): bigint {
    assertAmount('amount', amount);
    const b = toBlock(block);
    return this.transact(() => {
      const pool = this.updatePoolInner(pid, b);
      const u = this.userInfo(pid, user);
      const accumulated = toInt256(div(mul(u.amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION));
      const pending = toUInt256(ssub(accumulated, u.rewardDebt));
      const rewardDebt = ssub(accumulated, toInt256(div(mul(amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION)));
      this.setUser(pid, user, { amount: sub(u.amount, amount), rewardDebt });
      this.paySushi(pending);
      this.s.pools[pid] = { ...this.pool(pid), lpSupply: sub(pool.lpSupply, amount) };
      return pending;
    });
  }

  /** `emergencyWithdraw(pid, to)` by `user`: returns the LP given back; owed SUSHI is forfeited. */
  emergencyWithdraw(pid: number, user: string): bigint {
    return this.transact(() => {
      const pool = this.pool(pid);
      const u = this.userInfo(pid, user);
      this.setUser(pid, user, ZERO_USER);
      this.s.pools[pid] = { ...pool, lpSupply: sub(pool.lpSupply, u.amount) };
      return u.amount;
    });
  }

  private pool(pid: number): MasterChefV2PoolInfo {
    const p = Number.isInteger(pid) && pid >= 0 ? this.s.pools[pid] : undefined;
    if (p === undefined) throw new PoolError(''); // array index out of bounds: invalid opcode
    return p;
  }

  private updatePoolInner(pid: number, b: bigint): MasterChefV2PoolInfo {
    let pool = this.pool(pid);
    if (b > pool.lastRewardBlock) {
      if (pool.lpSupply > 0n) {
        const blocks = sub(b, pool.lastRewardBlock);
        const reward = div(mul(mul(blocks, this.s.sushiPerBlock), pool.allocPoint), this.s.totalAllocPoint);
        this.s.emitted[pid] = (this.s.emitted[pid] ?? 0n) + reward;
        pool = { ...pool, accSushiPerShare: add128(pool.accSushiPerShare, to128(div(mul(reward, ACC_SUSHI_PRECISION), pool.lpSupply))) };
      }
      pool = { ...pool, lastRewardBlock: to64(b) };
      this.s.pools[pid] = pool;
    }
    return pool;
  }

  private paySushi(amount: bigint): void {
    if (amount > this.s.sushiBalance) throw new PoolError('BoringERC20: Transfer failed');
    this.s.sushiBalance -= amount;
  }

  private setUser(pid: number, user: string, info: MasterChefV2UserInfo): void {
    let m = this.s.users.get(pid);
    if (m === undefined) {
      m = new Map();
      this.s.users.set(pid, m);
    }
    m.set(user, info);
  }

  private transact<T>(fn: () => T): T {
    const s = this.s;
    const saved: State = {
      pools: [...s.pools],
      users: new Map([...s.users].map(([k, v]) => [k, new Map(v)])),
      totalAllocPoint: s.totalAllocPoint,
      sushiBalance: s.sushiBalance,
      sushiPerBlock: s.sushiPerBlock,
      emitted: [...s.emitted],
    };
    try {
      return fn();
    } catch (err) {
      this.s = saved;
      throw err;
    }
  }
}
