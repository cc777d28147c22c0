/**
 * `MasterChef`: an exact bigint mirror of SushiSwap's MasterChef (V1, `contracts/MasterChef.sol`, the deployed
 * mainnet contract): SUSHI minted per block, split across pools by `allocPoint`, multiplied by
 * BONUS_MULTIPLIER (10) up to `bonusEndBlock`, shared within a pool through `accSushiPerShare` (1e12 fixed
 * point) and each user's `rewardDebt`; the dev address is minted a further 1/10 of every pool reward.
 *
 * Blocks are block numbers, `bigint` or a safe non-negative integer `number`. Amounts are raw token units
 * (bigint). Each mutating method is one transaction: it applies fully or throws a PoolError with the
 * contract's revert reason and leaves every field unchanged.
 *
 * As the contract does it (OpenZeppelin SafeMath with its revert strings):
 * - `getMultiplier(from, to)`: `(to − from)·10` up to bonusEndBlock, `to − from` after, split at the boundary.
 * - `updatePool(pid)` at block `b`: nothing when `b ≤ lastRewardBlock`; with no LP staked only
 *   `lastRewardBlock = b` (those blocks' SUSHI are never minted); else
 *   `reward = ⌊multiplier·sushiPerBlock·allocPoint / totalAllocPoint⌋`, mints `⌊reward/10⌋` to dev and `reward`
 *   to the chef, `accSushiPerShare += ⌊reward·1e12 / lpSupply⌋`.
 * - `deposit` / `withdraw` update the pool, pay `⌊amount·acc/1e12⌋ − rewardDebt` (deposit only when the user
 *   already has LP staked) through `safeSushiTransfer` (capped at the chef's SUSHI balance: rounding never
 *   makes a payout fail), then set `rewardDebt = ⌊newAmount·acc/1e12⌋`. `withdraw: not good` above the stake.
 * - `emergencyWithdraw` returns the LP and forgets the rewards (the deployed version: transfer, then zero).
 * - `add` (with `lastRewardBlock = max(block, startBlock)`) and `set`, each optionally after `massUpdatePools`.
 *   A pid beyond the pool list reverts bare (`''`, the 0.6 compiler's invalid opcode); `totalAllocPoint = 0`
 *   with LP staked makes updatePool revert `SafeMath: division by zero`.
 *
 * Not modelled: ownership (add/set are the owner's), the migrator, `dev()` address changes, and a pool whose
 * LP token is SUSHI itself. The LP supply of a pool is what users deposited plus {@link MasterChef.donateLp}
 * (LP sent to the chef directly, which the contract counts but credits to no one).
 */
import { InvariantError, PoolError } from '../../core/errors.ts';
import { MAX_UINT256, safeAdd, safeDiv, safeMul, safeSub } from './StakingRewards.ts';

/** The deployed MasterChef's BONUS_MULTIPLIER. */
export const MASTERCHEF_BONUS_MULTIPLIER = 10n;
/** accSushiPerShare's fixed-point scale. */
export const ACC_SUSHI_PRECISION = 10n ** 12n;
/** Holder name of the chef's own SUSHI balance in {@link MasterChef.sushiBalanceOf}. */
export const MASTERCHEF_HOLDER = '__masterChef';
/** Default name of the dev address. */
export const DEFAULT_DEV_ADDRESS = '__dev';

/** A block number: bigint, or a safe non-negative integer number. */
export type BlockNumber = bigint | number;

export function toBlock(b: BlockNumber, what = 'block'): bigint {
  if (typeof b === 'number') {
    if (!Number.isSafeInteger(b) || b < 0) throw new InvariantError(`MasterChef: ${what} must be a non-negative safe integer; was ${b}`);
    return BigInt(b);
  }
  if (typeof b !== 'bigint' || b < 0n || b > MAX_UINT256) throw new InvariantError(`MasterChef: ${what} must be a uint256; was ${String(b)}`);
  return b;
}

function assertAmount(what: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) throw new InvariantError(`MasterChef: ${what} must be a bigint in [0, 2^256 − 1]; was ${String(v)}`);
}

export interface MasterChefParams {
  /** SUSHI per block before the bonus multiplier. */
  readonly sushiPerBlock: bigint;
  readonly startBlock: BlockNumber;
  readonly bonusEndBlock: BlockNumber;
  /** Default 10, the deployed contract's constant. */
  readonly bonusMultiplier?: bigint;
  /** Name of the dev address (minted 1/10 of every pool reward). */
  readonly devaddr?: string;
}

export interface MasterChefPoolInfo {
  readonly allocPoint: bigint;
  readonly lastRewardBlock: bigint;
  readonly accSushiPerShare: bigint;
  /** `lpToken.balanceOf(chef)`: deposits net of withdrawals, plus LP sent directly. */
  readonly lpSupply: bigint;
}

export interface MasterChefUserInfo {
  readonly amount: bigint;
  readonly rewardDebt: bigint;
}

const ZERO_USER: MasterChefUserInfo = { amount: 0n, rewardDebt: 0n };

interface State {
  pools: MasterChefPoolInfo[];
  users: Map<number, Map<string, MasterChefUserInfo>>;
  balances: Map<string, bigint>;
  totalAllocPoint: bigint;
  sushiTotalSupply: bigint;
  emitted: bigint[];
}

export class MasterChef {
  readonly sushiPerBlock: bigint;
  readonly startBlock: bigint;
  readonly bonusEndBlock: bigint;
  readonly bonusMultiplier: bigint;
  readonly devaddr: string;
  private s: State = { pools: [], users: new Map(), balances: new Map(), totalAllocPoint: 0n, sushiTotalSupply: 0n, emitted: [] };

  constructor(params: MasterChefParams) {
    assertAmount('sushiPerBlock', params.sushiPerBlock);
    this.sushiPerBlock = params.sushiPerBlock;
    this.startBlock = toBlock(params.startBlock, 'startBlock');
    this.bonusEndBlock = toBlock(params.bonusEndBlock, 'bonusEndBlock');
    this.bonusMultiplier = params.bonusMultiplier ?? MASTERCHEF_BONUS_MULTIPLIER;
    this.devaddr = params.devaddr ?? DEFAULT_DEV_ADDRESS;
  }

  get poolLength(): number {
    return this.s.pools.length;
  }
  get totalAllocPoint(): bigint {
    return this.s.totalAllocPoint;
  }
  /** SUSHI minted by this chef so far (dev share included). */
  get sushiTotalSupply(): bigint {
    return this.s.sushiTotalSupply;
  }
  /** SUSHI held by `holder` ({@link MASTERCHEF_HOLDER} for the chef, the dev address, users). */
  sushiBalanceOf(holder: string): bigint {
    return this.s.balances.get(holder) ?? 0n;
  }
  /** SUSHI minted to the chef for pool `pid` so far (ammsim bookkeeping; not contract state). */
  emittedToPool(pid: number): bigint {
    this.pool(pid);
    return this.s.emitted[pid] ?? 0n;
  }
  poolInfo(pid: number): MasterChefPoolInfo {
    return this.pool(pid);
  }
  userInfo(pid: number, user: string): MasterChefUserInfo {
    this.pool(pid);
    return this.s.users.get(pid)?.get(user) ?? ZERO_USER;
  }

  /** `getMultiplier(from, to)` (SafeMath: `to < from` reverts `SafeMath: subtraction overflow`). */
  getMultiplier(from: BlockNumber, to: BlockNumber): bigint {
    const f = toBlock(from, 'from');
    const t = toBlock(to, 'to');
    const end = this.bonusEndBlock;
    if (t <= end) return safeMul(safeSub(t, f), this.bonusMultiplier);
    if (f >= end) return safeSub(t, f);
    return safeAdd(safeMul(safeSub(end, f), this.bonusMultiplier), safeSub(t, end));
  }

  /** The view `pendingSushi(pid, user)` at `block`. */
  pendingSushi(pid: number, user: string, block: BlockNumber): bigint {
    const b = toBlock(block);
    const pool = this.pool(pid);
    const u = this.userInfo(pid, user);
    let acc = pool.accSushiPerShare;
    if (b > pool.lastRewardBlock && pool.lpSupply !== 0n) {
      const reward = this.poolReward(pool, b);
      acc = safeAdd(acc, safeDiv(safeMul(reward, ACC_SUSHI_PRECISION), pool.lpSupply));
    }
    return safeSub(safeDiv(safeMul(u.amount, acc), ACC_SUSHI_PRECISION), u.rewardDebt);
  }

  /** `add(allocPoint, lpToken, withUpdate)` at `block`; returns the new pid. */
  add(allocPoint: bigint, block: BlockNumber, withUpdate = true): number {
    assertAmount('allocPoint', allocPoint);
    const b = toBlock(block);
    return this.transact(() => {
      if (withUpdate) this.massUpdatePoolsInner(b);
      const lastRewardBlock = b > this.startBlock ? b : this.startBlock;
      this.s.totalAllocPoint = safeAdd(this.s.totalAllocPoint, allocPoint);
      this.s.pools.push({ allocPoint, lastRewardBlock, accSushiPerShare: 0n, lpSupply: 0n });
      this.s.emitted.push(0n);
      return this.s.pools.length - 1;
    });
  }

  /** `set(pid, allocPoint, withUpdate)` at `block`. */
  set(pid: number, allocPoint: bigint, block: BlockNumber, withUpdate = true): void {
    assertAmount('allocPoint', allocPoint);
    const b = toBlock(block);
    this.transact(() => {
      if (withUpdate) this.massUpdatePoolsInner(b);
      const pool = this.pool(pid);
      this.s.totalAllocPoint = safeAdd(safeSub(this.s.totalAllocPoint, pool.allocPoint), allocPoint);
      this.s.pools[pid] = { ...pool, allocPoint };
    });
  }

  massUpdatePools(block: BlockNumber): void {
    const b = toBlock(block);
    this.transact(() => this.massUpdatePoolsInner(b));
  }

  updatePool(pid: number, block: BlockNumber): void {
    const b = toBlock(block);
    this.transact(() => this.updatePoolInner(pid, b));
  }

  /** `deposit(pid, amount)` from `user` at `block`; returns the SUSHI paid to the user. */
  deposit(pid: number, user: string, amount: bigint, block: BlockNumber): bigint {
    assertAmount('amount', amount);
    const b = toBlock(block);
    return this.transact(() => {
      this.pool(pid);
      const before = this.userInfo(pid, user);
      this.updatePoolInner(pid, b);
      const pool = this.pool(pid);
      let paid = 0n;
      if (before.amount > 0n) {
        const pending = safeSub(safeDiv(safeMul(before.amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION), before.rewardDebt);
        paid = this.safeSushiTransfer(user, pending);
      }
      const newAmount = safeAdd(before.amount, amount);
      this.s.pools[pid] = { ...pool, lpSupply: safeAdd(pool.lpSupply, amount) };
      this.setUser(pid, user, { amount: newAmount, rewardDebt: safeDiv(safeMul(newAmount, pool.accSushiPerShare), ACC_SUSHI_PRECISION) });
      return paid;
    });
  }

  /** `withdraw(pid, amount)` from `user` at `block`; returns the SUSHI paid to the user. */
  withdraw(pid: number, user: string, amount: bigint, block: BlockNumber): bigint {
    assertAmount('amount', amount);
    const b = toBlock(block);
    return this.transact(() => {
      this.pool(pid);
      const before = this.userInfo(pid, user);
      if (before.amount < amount) throw new PoolError('withdraw: not good');
      this.updatePoolInner(pid, b);
      const pool = this.pool(pid);
      const pending = safeSub(safeDiv(safeMul(before.amount, pool.accSushiPerShare), ACC_SUSHI_PRECISION), before.rewardDebt);
      const paid = this.safeSushiTransfer(user, pending);
      const newAmount = safeSub(before.amount, amount);
      this.setUser(pid, user, { amount: newAmount, rewardDebt: safeDiv(safeMul(newAmount, pool.accSushiPerShare), ACC_SUSHI_PRECISION) });
      this.s.pools[pid] = { ...this.pool(pid), lpSupply: this.pool(pid).lpSupply - amount };
      return paid;
    });
  }

  /** `emergencyWithdraw(pid)` from `user`: returns the LP given back; pending SUSHI is forfeited. */
  emergencyWithdraw(pid: number, user: string): bigint {
    return this.transact(() => {
      const pool = this.pool(pid);
      const u = this.userInfo(pid, user);
      this.s.pools[pid] = { ...pool, lpSupply: pool.lpSupply - u.amount };
      this.setUser(pid, user, ZERO_USER);
      return u.amount;
    });
  }

  /** LP tokens sent straight to the chef: they count in the pool's supply (dilute stakers) but belong to no one. */
  donateLp(pid: number, amount: bigint): void {
    assertAmount('amount', amount);
    this.transact(() => {
      const pool = this.pool(pid);
      this.s.pools[pid] = { ...pool, lpSupply: safeAdd(pool.lpSupply, amount) };
    });
  }

  private pool(pid: number): MasterChefPoolInfo {
    const p = Number.isInteger(pid) && pid >= 0 ? this.s.pools[pid] : undefined;
    if (p === undefined) throw new PoolError(''); // array index out of bounds: invalid opcode
    return p;
  }

  private poolReward(pool: MasterChefPoolInfo, b: bigint): bigint {
    const multiplier = this.getMultiplier(pool.lastRewardBlock, b);
    return safeDiv(safeMul(safeMul(multiplier, this.sushiPerBlock), pool.allocPoint), this.s.totalAllocPoint);
  }

  private massUpdatePoolsInner(b: bigint): void {
    for (let pid = 0; pid < this.s.pools.length; pid++) this.updatePoolInner(pid, b);
  }

  private updatePoolInner(pid: number, b: bigint): void {
    const pool = this.pool(pid);
    if (b <= pool.lastRewardBlock) return;
    if (pool.lpSupply === 0n) {
      this.s.pools[pid] = { ...pool, lastRewardBlock: b };
      return;
    }
    const reward = this.poolReward(pool, b);
    this.mint(this.devaddr, safeDiv(reward, 10n));
    this.mint(MASTERCHEF_HOLDER, reward);
    this.s.emitted[pid] = (this.s.emitted[pid] ?? 0n) + reward;
    this.s.pools[pid] = {
      ...pool,
      accSushiPerShare: safeAdd(pool.accSushiPerShare, safeDiv(safeMul(reward, ACC_SUSHI_PRECISION), pool.lpSupply)),
      lastRewardBlock: b,
    };
  }

  private mint(to: string, amount: bigint): void {
    this.s.sushiTotalSupply = safeAdd(this.s.sushiTotalSupply, amount);
    this.s.balances.set(to, (this.s.balances.get(to) ?? 0n) + amount);
  }

  /** Pays min(amount, the chef's SUSHI balance); returns what was paid. */
  private safeSushiTransfer(to: string, amount: bigint): bigint {
    const bal = this.sushiBalanceOf(MASTERCHEF_HOLDER);
    const paid = amount > bal ? bal : amount;
    this.s.balances.set(MASTERCHEF_HOLDER, bal - paid);
    this.s.balances.set(to, this.sushiBalanceOf(to) + paid);
    return paid;
  }

  private setUser(pid: number, user: string, info: MasterChefUserInfo): void {
    let m = this.s.users.get(pid);
    if (m === undefined) {
      m = new Map();
      this.s.users.set(pid, m);
    }
    m.set(user, info);
  }

  /** Runs `fn` as one transaction: on any throw the whole state is restored. */
  private transact<T>(fn: () => T): T {
    const s = this.s;
    const saved: State = {
      pools: [...s.pools],
      users: new Map([...s.users].map(([k, v]) => [k, new Map(v)])),
      balances: new Map(s.balances),
      totalAllocPoint: s.totalAllocPoint,
      sushiTotalSupply: s.sushiTotalSupply,
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
