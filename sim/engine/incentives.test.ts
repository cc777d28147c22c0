import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.ts';
import { V2FloatPool } from '../pools/v2/v2FloatPool.ts';
import { V3FloatPool } from '../pools/v3/v3FloatPool.ts';
import { fullRangeStrategy } from '../../strategies/lp/fullRange.ts';
import { rangeStrategy } from '../../strategies/lp/range.ts';
import { intervalHarvest, neverHarvest, thresholdHarvest } from '../../strategies/harvest/builtins.ts';
import { createArbitrageur } from '../../strategies/trader/arbitrageur.ts';
import { runEngine } from './engine.ts';
import { constantGas } from './gas.ts';
import { CLAIM_GAS_UNITS, createProgram, tokensToRaw, MasterChefProgram, StakingRewardsProgram, V3StakerProgram, type HarvestPolicy, type ProgramSpec, type RewardProgram } from './incentives.ts';
import { gbmPath, seriesOf } from './testing/engineTesting.ts';
import { NO_ACTIONS, type LpAction, type LpStrategy, type StrategyContext } from './strategy.ts';
import type { HarvestContext } from './incentives.ts';

const T0 = Date.UTC(2024, 0, 1) / 1000;
const HOUR = 3600;

function spec(over: Partial<ProgramSpec> = {}): ProgramSpec {
  return { kind: 'staking-rewards', token: 'UNI', source: 'test', startSec: T0 + 10 * HOUR, endSec: T0 + 200 * HOUR, amountRaw: 5_000_000n * 10n ** 18n, topUps: [], otherStake: 0n, ...over };
}

function run(opts: { programs: RewardProgram[]; policy?: HarvestPolicy; prices?: number[]; pool?: 'v2' | 'v3'; gas?: number; perf?: number; caller?: number; rewardPrice?: number; rangeWidth?: number; poolLiquidity?: number }) {
  const prices = opts.prices ?? gbmPath(300, 0.6, 1 / 8760, 2000, 3);
  const series = seriesOf(prices);
  const n = series.length;
  const pool = opts.pool === 'v3' ? new V3FloatPool(0.003, 60, prices[0]!) : new V2FloatPool(0.003, 500, 1_000_000);
  if (opts.pool === 'v3') {
    const p = pool as V3FloatPool;
    const L = (opts.poolLiquidity ?? 1_000_000) / (2 * Math.sqrt(prices[0]!));
    p.mintLiquidity('bg', -887220, 887220, L, true);
  }
  const lp = opts.rangeWidth !== undefined ? rangeStrategy.create({ width: opts.rangeWidth }) : fullRangeStrategy.create({});
  const out = runEngine({
    series,
    pool,
    lp,
    traders: [createArbitrageur()],
    capital: 10_000,
    gas: constantGas(opts.pool ?? 'v2', opts.gas ?? 0),
    rng: new Rng(1),
    incentives: {
      programs: opts.programs,
      policy: opts.policy ?? neverHarvest.create({}),
      rewardPrice: new Float64Array(n).fill(opts.rewardPrice ?? 2),
      rewardPoolLiquidity: 1_000_000,
      performanceFee: opts.perf ?? 0,
      callerFee: opts.caller ?? 0,
    },
  });
  return Object.assign(out, { pool });
}

describe('StakingRewards program in a backtest', () => {
  it('acceptance: the sole staker earns the emission over the run less the contract\'s dust, exactly as the contract rounds', () => {
    const s = spec();
    const prog = new StakingRewardsProgram(s);
    const out = run({ programs: [prog] });
    const c = prog.contract;
    const D = BigInt(s.endSec - s.startSec);
    const rate = s.amountRaw / D; // notifyRewardAmount: floor(R / D)
    const L = c.balanceOf('lp');
    // Independent: staked before the start, one notify at the start, one read at the end (after the end):
    // rewardPerToken = floor(D · rate · 1e18 / L), earned = floor(L · rpt / 1e18).
    const expected = (L * ((D * rate * 10n ** 18n) / L)) / 10n ** 18n;
    const endSec = T0 + 299 * HOUR;
    expect(c.earned('lp', endSec)).toBe(expected);
    const emission = rate * D;
    expect(emission - expected).toBeGreaterThanOrEqual(0n);
    expect(emission - expected).toBeLessThanOrEqual(L / 10n ** 18n + 1n);
    expect(s.amountRaw - emission).toBeLessThan(D); // the notify's own floor
    expect(out.rewards!.rewardTokensEarned).toBeCloseTo(Number(expected) / 1e18, 6);
    expect(out.timeseries.rewardTokensPending![299]).toBeCloseTo(Number(expected) / 1e18, 6);
  });

  it('acceptance: with staked background S the LP earns L/(L+S) of the emission', () => {
    const S = 3n * 10n ** 21n;
    const prog = new StakingRewardsProgram(spec({ otherStake: S }));
    const out = run({ programs: [prog] });
    const L = prog.contract.balanceOf('lp');
    const s = spec();
    const emission = Number((s.amountRaw / BigInt(s.endSec - s.startSec)) * BigInt(s.endSec - s.startSec)) / 1e18;
    const share = Number(L) / Number(L + S);
    expect(out.rewards!.rewardTokensEarned / (emission * share)).toBeCloseTo(1, 9);
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.99);
  });

  it('regression: on v3 a position stakes as a vault share of its value, not its concentrated liquidity (a narrow range earns what a wide one does)', () => {
    // the other stakers: 90,000 of quote at the first price as full-range liquidity, beside the LP's 10,000
    const prices = [...Array(301)].fill(2000);
    const S = tokensToRaw(90_000 / (2 * Math.sqrt(2000)));
    const earned = (pool: 'v2' | 'v3', rangeWidth?: number): number =>
      run({ programs: [new StakingRewardsProgram(spec({ otherStake: S }))], prices, pool, ...(rangeWidth === undefined ? {} : { rangeWidth }) }).rewards!.rewardTokensEarned;
    const v2 = earned('v2');
    const emission = 5_000_000;
    expect(v2 / emission).toBeCloseTo(0.1, 3);
    // (the entry's split swap in this small pool costs each range a little of its value)
    for (const w of [1, 0.1, 0.01]) expect(earned('v3', w) / v2).toBeCloseTo(1, 2);
  });

  it('regression: the spot rate at the start is the contract\'s: a top-up before the run raises it, one past the end keeps it paying', () => {
    const prices = [...Array(101)].fill(2000);
    const D = 100 * HOUR;
    // started 50 h before the run with 5e6, topped up 1e6 at 20 h before it: rate = (5e6 · 70/100 + 1e6) / 100 h
    const early = new StakingRewardsProgram(spec({ startSec: T0 - 50 * HOUR, endSec: T0 + 50 * HOUR, topUps: [{ atSec: T0 - 20 * HOUR, amountRaw: 10n ** 24n }] }));
    const a = run({ programs: [early], prices }).rewards!;
    expect(a.lpRatePerSecondAtStart * D).toBeCloseTo(5e6 * 0.7 + 1e6, 0);
    // ended 10 h before the run, but a top-up 30 h before that extended it to 70 h into the run
    const late = new StakingRewardsProgram(spec({ startSec: T0 - 110 * HOUR, endSec: T0 - 10 * HOUR, topUps: [{ atSec: T0 - 30 * HOUR, amountRaw: 10n ** 24n }] }));
    const b = run({ programs: [late], prices }).rewards!;
    expect(b.rewardTokensEarned).toBeGreaterThan(0);
    expect(b.lpRatePerSecondAtStart * D).toBeCloseTo(5e6 * 0.2 + 1e6, 0);
    // not started yet: the rate its first notify sets
    const future = run({ programs: [new StakingRewardsProgram(spec())], prices }).rewards!;
    expect(future.lpRatePerSecondAtStart * (190 * HOUR)).toBeCloseTo(5e6, 0);
  });

  it('property: claimed + pending never exceed the emission, whatever the stakes, unstakes and claims (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 40 * HOUR }), op: fc.constantFrom('stake', 'unstake', 'claim'), id: fc.integer({ min: 1, max: 3 }), l: fc.bigInt({ min: 1n, max: 10n ** 24n }) }), { maxLength: 30 }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        (ops, other) => {
          const s = spec({ otherStake: other });
          const p = new StakingRewardsProgram(s);
          const liq = new Map<number, bigint>();
          p.attach({ tracksTime: false, liquidityRaw: (id) => liq.get(id) ?? 0n, shareUnitsRaw: (id) => liq.get(id) ?? 0n, ticks: () => undefined, setTime: () => {}, splInsideX128: () => 0n });
          let t = T0;
          let claimed = 0n;
          p.advance(t);
          for (const o of ops) {
            t += o.dt;
            p.advance(t);
            if (o.op === 'stake') {
              if (!liq.has(o.id)) liq.set(o.id, o.l);
              p.stake(o.id, t);
            } else if (o.op === 'unstake') p.unstake(o.id, t);
            else claimed += p.claim(t);
          }
          const emission = (s.amountRaw / BigInt(s.endSec - s.startSec)) * BigInt(s.endSec - s.startSec);
          expect(claimed + p.contract.earned('lp', t)).toBeLessThanOrEqual(emission);
          expect(p.pending(t) * 1e18).toBeLessThanOrEqual(Number(emission) * (1 + 1e-12));
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });
});

describe('v3-staker program in a backtest', () => {
  it('regression: the spot rate is RewardMath\'s: the same for an incentive already running and one waiting to start (same length, same amount)', () => {
    const prices = [...Array(101)].fill(2000);
    const rate = (startSec: number) =>
      run({ programs: [createProgram(spec({ kind: 'v3-staker', startSec, endSec: startSec + 200 * HOUR, amountRaw: 10n ** 22n }))], prices, pool: 'v3', rangeWidth: 0.05 }).rewards!.lpRatePerSecondAtStart;
    const running = rate(T0 - 100 * HOUR);
    const waiting = rate(T0 + 10 * HOUR);
    expect(waiting).toBeGreaterThan(0);
    expect(running / waiting).toBeCloseTo(1, 9);
  });

  it('acceptance: pays nothing while the position is out of range, and something while in range', () => {
    const prices = [...Array(120)].map((_, i) => (i < 40 ? 2000 : i < 80 ? 2600 : 2000));
    const prog = createProgram(spec({ kind: 'v3-staker', startSec: T0, endSec: T0 + 119 * HOUR, amountRaw: 10n ** 22n }));
    const out = run({ programs: [prog], prices, pool: 'v3', rangeWidth: 0.05 });
    const pend = out.timeseries.rewardTokensPending!;
    const inR = out.timeseries.inRange;
    for (let i = 42; i < 80; i++) {
      expect(inR[i]).toBe(0);
      expect(pend[i]).toBe(pend[41]);
    }
    expect(pend[39]!).toBeGreaterThan(pend[1]!);
    expect(pend[119]!).toBeGreaterThan(pend[80]!);
  });

  it('in range all the time, the LP earns its share of in-range liquidity of the whole incentive', () => {
    const prog = createProgram(spec({ kind: 'v3-staker', startSec: T0, endSec: T0 + 99 * HOUR, amountRaw: 10n ** 22n })) as V3StakerProgram;
    const prices = [...Array(100)].fill(2000);
    const out = run({ programs: [prog], prices, pool: 'v3', rangeWidth: 0.05 });
    const id = (out.pool as V3FloatPool).positionIds().find((i) => out.pool.position(i).owner === 'lp')!;
    const share = out.pool.position(id).liquidity / out.pool.activeLiquidity();
    expect(share).toBeGreaterThan(0.05);
    expect(out.rewards!.rewardTokensEarned / (1e4 * share)).toBeCloseTo(1, 6);
  });
});

describe('v3-staker program on the float pool over a long path', () => {
  it('regression: rewards never exceed what is unclaimed (float noise in seconds per liquidity cannot run backwards)', () => {
    const prices = gbmPath(1200, 0.8, 1 / 8760, 2000, 5);
    const prog = createProgram(spec({ kind: 'v3-staker', startSec: T0 + 10 * HOUR, endSec: T0 + 900 * HOUR, amountRaw: 10n ** 24n })) as V3StakerProgram;
    const out = run({ programs: [prog], prices, pool: 'v3', rangeWidth: 0.05, policy: intervalHarvest.create({ every: '1d', then: 'sell' }) });
    expect(out.rewards!.rewardTokensEarned).toBeGreaterThan(0);
    expect(out.rewards!.rewardTokensEarned).toBeLessThanOrEqual(1e6);
  });
});

describe('MasterChef program in a backtest', () => {
  // 100 hours of 12-second blocks from T0 + 10 h: 30,000 blocks; the LP's pool holds 1 of 4 allocation points.
  const chefSpec = (over: Partial<ProgramSpec> = {}): ProgramSpec =>
    spec({ kind: 'masterchef', startSec: T0 + 10 * HOUR, endSec: T0 + 110 * HOUR, amountRaw: 10n ** 22n, blockTimeSec: 12, allocPoint: 1n, totalAllocPoint: 4n, ...over });
  const BLOCKS = 30_000n;
  // The program's amount is the chef's emission over the window (sushiPerBlock); the LP's pool gets 1/4 of it.
  const PER_BLOCK = 10n ** 22n / BLOCKS;

  it('acceptance: the sole staker earns emission × allocPoint / totalAllocPoint, through the chef\'s 1e12 accumulator (hand-computed)', () => {
    const prog = new MasterChefProgram(chefSpec());
    const out = run({ programs: [prog] });
    const L = prog.chef.userInfo(1, 'lp').amount;
    expect(L).toBeGreaterThan(0n);
    // Staked before the start; the pool is first updated when its allocation is set to 0 at the end block:
    // one updatePool over 30,000 blocks: reward = ⌊30,000 · perBlock · 1 / 4⌋, acc = ⌊reward · 1e12 / L⌋, pending = ⌊L · acc / 1e12⌋.
    const reward = (BLOCKS * PER_BLOCK * 1n) / 4n;
    const acc = (reward * 10n ** 12n) / L;
    const expected = (L * acc) / 10n ** 12n;
    expect(out.rewards!.rewardTokensEarned).toBe(Number(expected) / 1e18);
    // The whole chef emitted the program's amount; the LP's pool a quarter, less the floors of sushiPerBlock and the accumulator.
    expect(10n ** 22n / 4n - expected).toBeGreaterThanOrEqual(0n);
    expect(10n ** 22n / 4n - expected).toBeLessThan(BLOCKS + L / 10n ** 12n + 1n);
    // Nothing before the start, nothing more after the end.
    const pend = out.timeseries.rewardTokensPending!;
    for (let i = 0; i <= 10; i++) expect(pend[i]).toBe(0);
    for (let i = 110; i < 300; i++) expect(pend[i]).toBe(pend[110]);
  });

  it('with background stake S in the same pool the LP earns L/(L+S) of its pool\'s share; daily claims add up to the same less per-update floors', () => {
    const S = 7n * 10n ** 21n;
    const prog = new MasterChefProgram(chefSpec({ otherStake: S }));
    const out = run({ programs: [prog] });
    const L = prog.chef.userInfo(1, 'lp').amount;
    const reward = (BLOCKS * PER_BLOCK) / 4n;
    const expected = (L * ((reward * 10n ** 12n) / (L + S))) / 10n ** 12n;
    expect(out.rewards!.rewardTokensEarned).toBe(Number(expected) / 1e18);
    const share = Number(L) / Number(L + S);
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.99);
    const daily = run({ programs: [new MasterChefProgram(chefSpec({ otherStake: S }))], policy: intervalHarvest.create({ every: '1d', then: 'hold' }) });
    expect(daily.rewards!.harvests).toBeGreaterThanOrEqual(4);
    // Each claim is an updatePool: at most one raw unit lost per floor per update, far below a millionth of a token.
    expect(Math.abs(daily.rewards!.rewardTokensEarned - out.rewards!.rewardTokensEarned)).toBeLessThan(1e-9);
  });
});

describe('harvest policies', () => {
  it('interval: one claim per day with rewards pending, gas per claim at the claim units, fees off the claim', () => {
    const prices = [...Array(24 * 10 + 1)].fill(2000);
    const prog = createProgram(spec({ startSec: T0, endSec: T0 + 240 * HOUR }));
    const out = run({ programs: [prog], prices, policy: intervalHarvest.create({ every: '1d', then: 'hold' }), gas: 10, perf: 0.1, caller: 0.01 });
    const r = out.rewards!;
    expect(r.harvests).toBe(10);
    const claimGas = (CLAIM_GAS_UNITS['staking-rewards'] * 10e-9 * 2000);
    expect(r.harvestGas).toBeCloseTo(10 * claimGas, 9);
    expect(r.performanceFees / r.callerFees).toBeCloseTo(10, 9);
    expect(r.rewardTokensHeld).toBeCloseTo((r.rewardTokensEarned - r.rewardTokensPending) * 0.89, 6);
    expect(out.events.filter((e) => e.kind === 'harvest')).toHaveLength(10);
  });

  it('regression: a harvest pays one claim per program with something to pay, and each sale its swap', () => {
    const prices = [...Array(24 * 10 + 1)].fill(2000);
    const unit = 10e-9 * 2000; // quote per gas unit at 10 gwei, ETH at 2000
    const mk = (startSec = T0) => createProgram(spec({ startSec, endSec: T0 + 240 * HOUR }));
    const two = run({ programs: [mk(), mk()], prices, policy: intervalHarvest.create({ every: '1d', then: 'hold' }), gas: 10 }).rewards!;
    expect(two.harvests).toBe(10);
    expect(two.harvestGas).toBeCloseTo(10 * 2 * CLAIM_GAS_UNITS['staking-rewards'] * unit, 9);
    // the second program starts after the fourth claim (day 4): claims 1–4 pay for one program, 5–10 for two
    const late = run({ programs: [mk(), mk(T0 + 100 * HOUR)], prices, policy: intervalHarvest.create({ every: '1d', then: 'hold' }), gas: 10 }).rewards!;
    expect(late.harvestGas).toBeCloseTo((4 + 2 * 6) * CLAIM_GAS_UNITS['staking-rewards'] * unit, 9);
    // selling each claim is a swap through the reward pool (a v2 swap, 110k units)
    const sold = run({ programs: [mk()], prices, policy: intervalHarvest.create({ every: '1d', then: 'sell' }), gas: 10 }).rewards!;
    expect(sold.harvestGas).toBeCloseTo(10 * (CLAIM_GAS_UNITS['staking-rewards'] + 110_000) * unit, 9);
  });

  it('regression: the vault\'s fees apply to pending rewards too: never harvesting is worth the same as harvesting at the end', () => {
    const prices = [...Array(101)].fill(2000);
    const mk = () => createProgram(spec({ startSec: T0, endSec: T0 + 100 * HOUR }));
    const plain = run({ programs: [mk()], prices });
    const fees = run({ programs: [mk()], prices, perf: 0.1, caller: 0.05 });
    const r = fees.rewards!;
    const value = r.rewardTokensPending * 2;
    expect(r.harvests).toBe(0);
    expect(fees.timeseries.lpValue[100]! - plain.timeseries.lpValue[100]!).toBeCloseTo(-0.15 * value, 6);
    expect(r.performanceFees).toBeCloseTo(0.1 * value, 6);
    expect(r.callerFees).toBeCloseTo(0.05 * value, 6);
  });

  it('never: no claim, no gas; threshold claims once the pending value passes it', () => {
    const prices = [...Array(101)].fill(2000);
    const never = run({ programs: [createProgram(spec({ startSec: T0, endSec: T0 + 100 * HOUR }))], prices, gas: 10 });
    expect(never.rewards!.harvests).toBe(0);
    expect(never.rewards!.harvestGas).toBe(0);
    const thr = run({ programs: [createProgram(spec({ startSec: T0, endSec: T0 + 100 * HOUR }))], prices, policy: thresholdHarvest.create({ value: 2_000_000, gasMultiple: 0, then: 'hold' }) });
    // 5e6 tokens over 100 h at price 2 = 100,000 quote an hour: a claim every 20 hours.
    expect(thr.rewards!.harvests).toBe(5);
  });

  it('sell pays the reward pool\'s fee and impact; compound adds the proceeds to the position', () => {
    const prices = [...Array(49)].fill(2000);
    const mk = () => createProgram(spec({ startSec: T0, endSec: T0 + 48 * HOUR, amountRaw: 10n ** 22n }));
    const sell = run({ programs: [mk()], prices, policy: intervalHarvest.create({ every: '1d', then: 'sell' }) });
    const r = sell.rewards!;
    expect(r.rewardSlippage).toBeGreaterThan(r.rewardTokensSold * 2 * 0.003);
    expect(r.rewardQuote + r.rewardSlippage).toBeCloseTo(r.rewardTokensSold * 2, 6);
    const comp = run({ programs: [mk()], prices, policy: intervalHarvest.create({ every: '1d', then: 'compound' }) });
    expect(comp.rewards!.rewardsCompounded).toBeGreaterThan(0);
    expect(comp.rewards!.compoundsPerYear).toBeCloseTo(365, 9);
    expect(comp.timeseries.lpBase[48]! * 2000 + comp.timeseries.lpQuote[48]!).toBeGreaterThan(sell.timeseries.lpBase[48]! * 2000 + sell.timeseries.lpQuote[48]! + 0.9 * comp.rewards!.rewardsCompounded);
  });
});

describe('reward columns written in bulk between events (StakingRewards, MasterChef)', () => {
  // Between two events (stake, unstake, claim, funding, the end of an allocation) the book writes the reward
  // columns and adds the rewards' value to LP value for the whole stretch at once. Reference: a harvest policy
  // without a wake time is asked every step, after the LP strategy, and sees the pending rewards and the tokens
  // held exactly as the step ends (unless it acts). With gas 0 and claims held, rewards never touch the pool, so
  // the run without programs has the same LP value before rewards: LP value = that + (held + pending) · price.
  const prices = gbmPath(400, 0.8, 1 / 8760, 2000, 11);
  const n = prices.length;
  const series = seriesOf(prices);
  const rewardPrice = Float64Array.from({ length: n }, (_, i) => 2 + Math.sin(i / 7));
  /** Stakes, unstakes, claims, partial burns and new ranges at fixed steps (the mining intents only with programs). */
  const busyLp = (): LpStrategy => ({
    id: 'busy',
    params: {},
    onStart: () => [{ kind: 'mint', range: { lower: 1500, upper: 2700 } }],
    onStep(ctx: StrategyContext): readonly LpAction[] {
      const s = ctx.step;
      const id = ctx.positions[0]?.positionId;
      if (id === undefined) return NO_ACTIONS;
      const mining = ctx.rewards.programs > 0;
      if (mining && s % 53 === 0) return [{ kind: 'unstake', positionId: id }];
      if (mining && s % 53 === 20) return [{ kind: 'stake', positionId: id }];
      if (mining && s % 61 === 7) return [{ kind: 'claim' }];
      if (s % 89 === 5) return [{ kind: 'burn', positionId: id, fraction: 0.5 }];
      if (s % 131 === 17) return [{ kind: 'mint', range: { lower: ctx.price * 0.8, upper: ctx.price * 1.25 } }];
      return NO_ACTIONS;
    },
  });
  const runWith = (programs: RewardProgram[] | undefined, policy: HarvestPolicy, lp: LpStrategy) => {
    const pool = new V3FloatPool(0.003, 60, prices[0]!);
    pool.mintLiquidity('bg', -887220, 887220, 1_000_000 / (2 * Math.sqrt(prices[0]!)), true);
    return runEngine({
      series, pool, lp, traders: [createArbitrageur()], capital: 10_000, gas: constantGas('v3', 0), rng: new Rng(1),
      ...(programs === undefined ? {} : { incentives: { programs, policy, rewardPrice, rewardPoolLiquidity: 1_000_000, performanceFee: 0, callerFee: 0 } }),
    });
  };
  /** Wraps a policy: records what it sees each step and forgets the wake time (so it is asked every step). */
  const observed = (inner: HarvestPolicy) => {
    const pending: number[] = [];
    const held: number[] = [];
    const acted: boolean[] = [];
    const policy: HarvestPolicy = {
      id: 'observed',
      params: {},
      onStep(ctx: HarvestContext) {
        pending[ctx.step] = ctx.pending;
        held[ctx.step] = ctx.held;
        const acts = inner.onStep(ctx);
        acted[ctx.step] = acts.length > 0;
        return acts;
      },
    };
    return { policy, pending, held, acted };
  };
  const programs = (): RewardProgram[] => [
    createProgram(spec({ startSec: T0 + 30 * HOUR, endSec: T0 + 300 * HOUR, otherStake: 10n ** 20n, topUps: [{ atSec: T0 + 150 * HOUR, amountRaw: 10n ** 24n }] })),
    // allocPoint = totalAllocPoint: stakes and claims after its end must still go through (no division by a zero total).
    createProgram(spec({ kind: 'masterchef', startSec: T0 + 50 * HOUR, endSec: T0 + 250 * HOUR, amountRaw: 10n ** 23n, blockTimeSec: 12 })),
  ];

  it('LP intents (stake, unstake, claim, burns, new ranges), a top-up and a chef ending mid-run: every step as the step-by-step record', () => {
    const obs = observed(neverHarvest.create({}));
    const m = runWith(programs(), obs.policy, busyLp());
    const plain = runWith(undefined, obs.policy, busyLp());
    const ts = m.timeseries;
    let claimed = 0;
    let claims = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && obs.held[i]! > obs.held[i - 1]!) {
        claimed += (obs.held[i]! - obs.held[i - 1]!) * rewardPrice[i]!;
        claims++;
      }
      expect(ts.rewardTokensPending![i]).toBe(obs.pending[i]);
      expect(ts.rewardPrice![i]).toBe(rewardPrice[i]);
      expect(ts.rewardsCumulative![i]).toBeCloseTo(claimed + obs.pending[i]! * rewardPrice[i]!, 6);
      expect(ts.lpValue[i]).toBe(plain.timeseries.lpValue[i]! + (obs.held[i]! + obs.pending[i]!) * rewardPrice[i]!);
    }
    expect(claims).toBeGreaterThanOrEqual(3);
    expect(Math.max(...obs.pending)).toBeGreaterThan(1000);
    expect(m.rewards!.rewardTokensPending).toBe(obs.pending[n - 1]);
  });

  it('harvest steps record the state after the claim; a wake time (interval) skips steps without changing a byte', () => {
    const lp = () => fullRangeStrategy.create({});
    const obs = observed(intervalHarvest.create({ every: '1d', then: 'hold' }));
    const m = runWith(programs(), obs.policy, lp());
    const plain = runWith(undefined, obs.policy, lp());
    const ts = m.timeseries;
    let harvests = 0;
    for (let i = 0; i < n - 1; i++) {
      // After a claim (hold): nothing pending at this time, the claim held — what the next step's policy sees.
      const pending = obs.acted[i] ? 0 : obs.pending[i]!;
      const held = obs.acted[i] ? obs.held[i + 1]! : obs.held[i]!;
      if (obs.acted[i]) harvests++;
      if (obs.acted[i]) expect(obs.pending[i]).toBeGreaterThan(0);
      expect(ts.rewardTokensPending![i]).toBe(pending);
      expect(ts.lpValue[i]).toBe(plain.timeseries.lpValue[i]! + (held + pending) * rewardPrice[i]!);
    }
    expect(harvests).toBeGreaterThanOrEqual(10);
    const woken = runWith(programs(), intervalHarvest.create({ every: '1d', then: 'hold' }), lp());
    for (const c of ['lpValue', 'rewardsCumulative', 'rewardTokensPending', 'rewardPrice', 'impermanentLoss'] as const) expect(woken.timeseries[c]).toEqual(ts[c]);
    expect(woken.rewards).toEqual(m.rewards);
  });

  it('a sell of held tokens (no claim) is recorded from its step on', () => {
    const SALE = 270;
    const daily = intervalHarvest.create({ every: '1d', then: 'hold' });
    const obs = observed({ id: 'claim-then-sell', params: {}, onStep: (ctx) => (ctx.step === SALE ? [{ kind: 'sell', amount: ctx.held / 2 }] : daily.onStep(ctx)) });
    const m = runWith(programs(), obs.policy, fullRangeStrategy.create({}));
    const plain = runWith(undefined, obs.policy, fullRangeStrategy.create({}));
    const quote = m.rewards!.rewardQuote;
    expect(quote).toBeGreaterThan(0);
    expect(obs.held[SALE + 1]).toBeCloseTo(obs.held[SALE]! / 2, 9);
    for (let i = SALE - 12; i <= SALE + 3; i++) {
      if (obs.acted[i] && i !== SALE) continue;
      const held = i === SALE ? obs.held[SALE + 1]! : obs.held[i]!;
      expect(m.timeseries.lpValue[i]).toBe(plain.timeseries.lpValue[i]! + ((held + obs.pending[i]!) * rewardPrice[i]! + (i >= SALE ? quote : 0)));
    }
  });
});
