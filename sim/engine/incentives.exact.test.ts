import { describe, expect, it } from 'vitest';
import { PoolError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import { NonfungiblePositionManager } from '../pools/rewards/NonfungiblePositionManager.ts';
import { UniswapV3Staker, type IncentiveKey } from '../pools/rewards/UniswapV3Staker.ts';
import { toRawDown, V3ExactEnginePool } from '../pools/v3/v3ExactEnginePool.ts';
import { V3Pool, type V3SwapQuote } from '../pools/v3/v3Pool.ts';
import { rangeStrategy } from '../../strategies/lp/range.ts';
import { rebalanceStrategy } from '../../strategies/lp/rebalance.ts';
import { intervalHarvest, neverHarvest } from '../../strategies/harvest/builtins.ts';
import { createArbitrageur } from '../../strategies/trader/arbitrageur.ts';
import { runEngine } from './engine.ts';
import { constantGas } from './gas.ts';
import { V3StakerProgram, type HarvestPolicy, type ProgramSpec } from './incentives.ts';
import type { LpStrategy } from './strategy.ts';
import { gbmPath, seriesOf } from './testing/engineTesting.ts';

/**
 * Acceptance of issue #13: a v3-staker program in a backtest on the exact pool pays what the real contracts pay on
 * the same path. The engine's V3Pool is instrumented (every swap, mint, burn and block time, in order) and so is the
 * program (its stake, unstake and claim calls); a second V3Pool with v3-periphery's NonfungiblePositionManager and
 * v3-staker's UniswapV3Staker (sim/pools/rewards, themselves checked against the deployed bytecode) replays that
 * log as a farmer would: mint an NFT, safe-transfer it to the staker with the incentive key (or deposit and stake
 * at the start when minted early), unstakeToken + withdrawToken before decreaseLiquidity, and claimReward. Every
 * claim the engine makes must equal the contract's claimReward to the raw unit, and so must what is owed at the end.
 */

const HOUR = 3600;
const T0 = Date.UTC(2024, 0, 1) / 1000;
const UNI = 'UNI';
const LP = 'lp';

type Op =
  | { op: 'time'; t: number }
  | { op: 'mint'; owner: string; lo: number; hi: number; amount: bigint; raw?: { a0: bigint; a1: bigint } }
  | { op: 'burn'; owner: string; lo: number; hi: number; amount: bigint }
  | { op: 'swap'; q: V3SwapQuote }
  | { op: 'stake' | 'unstake'; id: number; t: number }
  | { op: 'claim'; t: number; paid: bigint };

interface Scenario {
  prices: number[];
  lp: LpStrategy;
  policy: HarvestPolicy;
  startSec: number;
  endSec: number;
  amountRaw: bigint;
  /** Background liquidity (human L) over a wide range, minted before the run. */
  background?: { lo: number; hi: number; L: number }[];
}

/** Runs the backtest with the pool and the program instrumented; returns the log, the program and the output. */
function engineRun(s: Scenario) {
  const pool = new V3ExactEnginePool(0.003, 60, s.prices[0]!);
  const v = pool.pool;
  const sqrt0 = v.sqrtPriceX96;
  const log: Op[] = [];
  let nextRaw: { a0: bigint; a1: bigint } | undefined;
  const adapterMint = pool.mint.bind(pool);
  pool.mint = (owner, range, base, quote) => {
    nextRaw = { a0: toRawDown(base), a1: toRawDown(quote) };
    const f = adapterMint(owner, range, base, quote);
    nextRaw = undefined;
    return f;
  };
  const mint = v.mint.bind(v);
  v.mint = (owner, lo, hi, amount) => {
    log.push({ op: 'mint', owner, lo, hi, amount, raw: nextRaw });
    return mint(owner, lo, hi, amount);
  };
  const burn = v.burn.bind(v);
  v.burn = (owner, lo, hi, amount) => {
    if (amount > 0n) log.push({ op: 'burn', owner, lo, hi, amount });
    return burn(owner, lo, hi, amount);
  };
  const applySwap = v.applySwap.bind(v);
  v.applySwap = (q) => {
    log.push({ op: 'swap', q });
    return applySwap(q);
  };
  const setTime = v.setBlockTimestamp.bind(v);
  v.setBlockTimestamp = (t) => {
    log.push({ op: 'time', t });
    setTime(t);
  };
  for (const b of s.background ?? []) pool.mintLiquidity('background', b.lo, b.hi, b.L);

  const spec: ProgramSpec = { kind: 'v3-staker', token: UNI, source: 'test', startSec: s.startSec, endSec: s.endSec, amountRaw: s.amountRaw, topUps: [], otherStake: 0n };
  const prog = new V3StakerProgram(spec);
  const stake = prog.stake.bind(prog);
  prog.stake = (id, t) => {
    log.push({ op: 'stake', id, t });
    stake(id, t);
  };
  const unstake = prog.unstake.bind(prog);
  prog.unstake = (id, t) => {
    log.push({ op: 'unstake', id, t });
    unstake(id, t);
  };
  const claim = prog.claim.bind(prog);
  prog.claim = (t) => {
    const paid = claim(t);
    log.push({ op: 'claim', t, paid });
    return paid;
  };
  const series = seriesOf(s.prices);
  const out = runEngine({
    series,
    pool,
    lp: s.lp,
    traders: [createArbitrageur()],
    capital: 10_000,
    gas: constantGas('v3', 0),
    rng: new Rng(1),
    incentives: { programs: [prog], policy: s.policy, rewardPrice: new Float64Array(series.length).fill(2), rewardPoolLiquidity: 1_000_000, performanceFee: 0, callerFee: 0 },
  });
  const lastSec = Math.floor(series.timestampMs[series.length - 1]! / 1000);
  return { log, prog, out, sqrt0, lastSec, pool };
}

/** The contracts replaying the engine's log. */
function contractRun(log: readonly Op[], sqrt0: bigint, s: Scenario) {
  const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
  pool.initialize(sqrt0);
  const manager = new NonfungiblePositionManager();
  manager.registerPool('p', pool);
  const staker = new UniswapV3Staker(manager);
  const key: IncentiveKey = { rewardToken: UNI, pool: 'p', startTime: BigInt(s.startSec), endTime: BigInt(s.endSec), refundee: 'funder' };
  let created = false;
  let now = 0;
  const tokenOf = new Map<number, bigint>(); // engine position id → NFT
  const waiting = new Set<bigint>(); // deposited before the start, staked at the first block at or after it
  const claims: bigint[] = [];
  const splByTime = new Map<number, bigint>(); // the first NFT's range, at each block time
  const staked = (tokenId: bigint): boolean => staker.stakes(tokenId, key).liquidity > 0n;
  /** The farmer's stake: deposit with the key inside the window, deposit only before it; nothing after the end. */
  const stake = (tokenId: bigint): void => {
    if (now >= s.endSec || staked(tokenId)) return;
    const deposited = manager.ownerOf(tokenId) === staker.address;
    if (now < s.startSec) {
      if (!deposited) manager.safeTransferFrom(LP, LP, staker.address, tokenId);
      waiting.add(tokenId);
      return;
    }
    if (deposited) staker.stakeToken(LP, key, tokenId);
    else manager.safeTransferFrom(LP, LP, staker.address, tokenId, key);
  };
  const positionId = (owner: string): number | undefined => (owner.startsWith(`${LP}#`) ? Number(owner.slice(LP.length + 1)) : undefined);
  for (const o of log) {
    switch (o.op) {
      case 'time':
        now = o.t;
        pool.setBlockTimestamp(o.t);
        staker.blockTimestamp = BigInt(o.t);
        if (tokenOf.has(1)) {
          const p = manager.positions(tokenOf.get(1)!);
          splByTime.set(o.t, pool.snapshotCumulativesInside(p.tickLower, p.tickUpper).secondsPerLiquidityInsideX128);
        }
        if (!created) {
          created = true;
          staker.createIncentive('funder', key, s.amountRaw);
        }
        if (now >= s.startSec && now < s.endSec && waiting.size > 0) {
          for (const id of waiting) staker.stakeToken(LP, key, id);
          waiting.clear();
        }
        break;
      case 'swap': {
        const q = pool.swap(o.q.zeroForOne, o.q.amountSpecified, o.q.sqrtPriceLimitX96);
        expect(q.sqrtPriceX96After).toBe(o.q.sqrtPriceX96After);
        break;
      }
      case 'mint': {
        const id = positionId(o.owner);
        if (id === undefined) {
          pool.mint(o.owner, o.lo, o.hi, o.amount);
          break;
        }
        expect(o.raw, 'the LP mints by amounts').toBeDefined();
        const m = manager.mint({ pool: 'p', tickLower: o.lo, tickUpper: o.hi, amount0Desired: o.raw!.a0, amount1Desired: o.raw!.a1, recipient: LP });
        expect(m.liquidity).toBe(o.amount);
        tokenOf.set(id, m.tokenId);
        break;
      }
      case 'burn': {
        const id = positionId(o.owner);
        if (id === undefined) {
          pool.burn(o.owner, o.lo, o.hi, o.amount);
          break;
        }
        const tokenId = tokenOf.get(id)!;
        waiting.delete(tokenId);
        // The staker refuses a withdrawal while staked: the engine must have unstaked first.
        if (manager.ownerOf(tokenId) === staker.address) staker.withdrawToken(LP, tokenId);
        manager.decreaseLiquidity(LP, tokenId, o.amount);
        manager.collect(LP, tokenId);
        break;
      }
      case 'stake':
        expect(o.t).toBe(now);
        stake(tokenOf.get(o.id)!);
        break;
      case 'unstake': {
        expect(o.t).toBe(now);
        const tokenId = tokenOf.get(o.id)!;
        waiting.delete(tokenId);
        if (staked(tokenId)) staker.unstakeToken(LP, key, tokenId);
        break;
      }
      case 'claim': {
        const paid = staker.claimReward(LP, UNI, 0n);
        expect(paid, `claim at ${o.t}`).toBe(o.paid);
        claims.push(paid);
        break;
      }
    }
  }
  let owedAtEnd = staker.rewards(UNI, LP);
  for (const tokenId of tokenOf.values()) if (manager.holderOf(tokenId) === staker.address && staked(tokenId)) owedAtEnd += staker.getRewardInfo(key, tokenId).reward;
  const splAt = (step: number): bigint | undefined => splByTime.get(T0 + step * HOUR);
  return { claims, owedAtEnd, staker, key, pool, manager, tokenOf, splAt };
}

function check(s: Scenario) {
  const e = engineRun(s);
  const c = contractRun(e.log, e.sqrt0, s);
  const engineClaims = e.log.filter((o): o is Extract<Op, { op: 'claim' }> => o.op === 'claim').map((o) => o.paid);
  expect(engineClaims).toEqual(c.claims);
  expect(e.prog.pendingRaw(e.lastSec)).toBe(c.owedAtEnd);
  const total = c.claims.reduce((a, b) => a + b, 0n) + c.owedAtEnd;
  expect(e.out.rewards!.rewardTokensEarned).toBeCloseTo(Number(total) / 1e18, 9);
  // Never more than the incentive, and the staker's books agree with what it paid.
  expect(total).toBeLessThanOrEqual(s.amountRaw);
  expect(c.staker.balanceOf(UNI)).toBe(s.amountRaw - c.claims.reduce((a, b) => a + b, 0n));
  return { e, c, total };
}

describe('v3-staker program = UniswapV3Staker on the same exact path', () => {
  it('acceptance: a fixed range that leaves and re-enters the range, daily claims: every claim and the end bit-exact; nothing accrues out of range', () => {
    const prices = [...Array(24 * 6 + 1)].map((_, i) => (i < 40 ? 2000 + i : i < 90 ? 2600 : 2000 - (i - 90)));
    const s: Scenario = {
      prices,
      lp: rangeStrategy.create({ width: 0.05 }),
      policy: intervalHarvest.create({ every: '1d', then: 'hold' }),
      startSec: T0 + 5 * HOUR,
      endSec: T0 + 130 * HOUR,
      amountRaw: 12_345n * 10n ** 18n + 6789n,
      background: [{ lo: -887220, hi: 887220, L: 300 }],
    };
    const { e, c, total } = check(s);
    expect(c.claims.length).toBeGreaterThanOrEqual(4);
    expect(total).toBeGreaterThan(0n);
    // Out of range from step 41 to 89: the contract credits nothing for those seconds, and neither does the engine.
    const pend = e.out.timeseries.rewardTokensPending!;
    const inR = e.out.timeseries.inRange;
    const outSteps = [...Array(149).keys()].filter((i) => i > 41 && i < 89);
    for (const i of outSteps) expect(inR[i]).toBe(0);
    const harvestSteps = new Set(e.out.events.filter((x) => x.kind === 'harvest').map((x) => x.step));
    for (const i of outSteps) if (!harvestSteps.has(i) && !harvestSteps.has(i - 1)) expect(pend[i]).toBe(pend[i - 1]);
    // The contract's own view: the range's seconds per liquidity did not move while the price sat above it.
    expect(c.splAt(50)).toBe(c.splAt(88));
  });

  it('acceptance: re-centring on a GBM path with compounding claims (burns, re-mints, waiting stakes, the end inside the run): bit-exact', () => {
    for (const seed of [3, 11]) {
      const s: Scenario = {
        prices: gbmPath(24 * 5, 0.9, 1 / 8760, 2000, seed),
        lp: rebalanceStrategy.create({ width: 0.02, delay: 0, threshold: 0, compound: false }),
        policy: intervalHarvest.create({ every: '12h', then: 'compound' }),
        startSec: T0 + 7 * HOUR,
        endSec: T0 + 100 * HOUR,
        amountRaw: 10n ** 22n,
        background: [
          { lo: -887220, hi: 887220, L: 200 },
          { lo: 75000, hi: 76980, L: 50 },
        ],
      };
      const { e, c } = check(s);
      expect(e.out.events.filter((x) => x.kind === 'rebalance').length).toBeGreaterThan(0);
      expect(c.claims.filter((x) => x > 0n).length).toBeGreaterThan(3);
    }
  });

  it('never claiming: what the LP is owed at the end equals the contract\'s getRewardInfo; 0 before the start', () => {
    const s: Scenario = {
      prices: gbmPath(60, 0.5, 1 / 8760, 2000, 5),
      lp: rangeStrategy.create({ width: 0.2 }),
      policy: neverHarvest.create({}),
      startSec: T0 + 20 * HOUR,
      endSec: T0 + 80 * HOUR,
      amountRaw: 10n ** 21n,
      background: [{ lo: -887220, hi: 887220, L: 100 }],
    };
    const { e, total } = check(s);
    expect(total).toBeGreaterThan(0n);
    const pend = e.out.timeseries.rewardTokensPending!;
    for (let i = 0; i <= 20; i++) expect(pend[i]).toBe(0);
  });
});

// Guard: the contract mirror must refuse what the engine is not allowed to do (a staked NFT cannot be withdrawn).
describe('the replay is strict', () => {
  it('error: withdrawing a staked token reverts in the mirror, so a burn without an unstake would be caught', () => {
    const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
    pool.initialize(79228162514264337593543950336n);
    const manager = new NonfungiblePositionManager();
    manager.registerPool('p', pool);
    const staker = new UniswapV3Staker(manager);
    const key: IncentiveKey = { rewardToken: UNI, pool: 'p', startTime: 10n, endTime: 100n, refundee: 'f' };
    staker.createIncentive('f', key, 1000n);
    pool.setBlockTimestamp(10);
    staker.blockTimestamp = 10n;
    const m = manager.mint({ pool: 'p', tickLower: -60, tickUpper: 60, amount0Desired: 10n ** 18n, amount1Desired: 10n ** 18n, recipient: LP });
    manager.safeTransferFrom(LP, LP, staker.address, m.tokenId, key);
    expect(() => staker.withdrawToken(LP, m.tokenId)).toThrow(PoolError);
  });
});
