import { ConfigError, InvariantError } from '../../sim/core/errors.ts';
import { maxDrawdown } from '../../sim/metrics/drawdown.ts';
import type { AprSeries, LstPriceSeries } from '../../sim/core/series.ts';
import { COMPOUNDING_MODES, DAYS_PER_YEAR, MS_PER_DAY, MS_PER_YEAR, stakingGrowth, type AprSchedule, type Compounding } from './compounding.ts';
import { alignLstPrice, LST_ENTRIES, type LstEntry } from './liquidStaking.ts';

/**
 * Staking the base asset, as the alternative to providing liquidity.
 *
 * All capital C (quote) is converted into base at the first price P0 (no fee, no slippage) and staked. The staked
 * base amount B(t) grows with the APR (fixed, or a historical series read as of each time) credited per
 * `compounding` (see compounding.ts; a year is 365 days). The provider keeps `commission` of every reward.
 * The value at step t, in quote, is B(t) · M(t) · P(t), where M(t) = 1 for native staking and the LST's market
 * price L(t) for a liquid staking token (see liquidStaking.ts).
 *
 * Unbonding delay D days: staking and LP are compared at the same horizon T, the last timestamp, when the LP can
 * exit at once; a staker with a D-day withdrawal delay must request the withdrawal at T − D to hold liquid base at T.
 * So rewards stop at T − D (the base amount is frozen from then on, still exposed to the base price), and the value
 * at T is B(T − D)·P(T). A delay at least as long as the run means no rewards at all (with a note). With an LST and
 * D > 0 the LST is redeemed at par (M = 1 from T − D on) instead of being sold at L(T).
 */
export interface StakingParams {
  /** Capital in quote units, all converted into base at the first price. */
  readonly capital: number;
  /** APR as a fraction per 365-day year (0.04 = 4 %), > −365 (a negative APR models a net loss), or a historical series (as-of). */
  readonly apr: number | AprSeries;
  readonly compounding: Compounding;
  /** Fraction of rewards kept by the validator / provider, in [0, 1). */
  readonly commission: number;
  /** Withdrawal delay in days (may be fractional), ≥ 0. */
  readonly unbondingDays: number;
  /** A liquid staking token's market price in base, or undefined for native staking. */
  readonly lst: LstPriceSeries | undefined;
  /** How the LST is obtained at the start (ignored without `lst`). */
  readonly lstEntry: LstEntry;
}

export const STAKING_DEFAULTS: Readonly<StakingParams> = Object.freeze({
  capital: 10_000,
  apr: 0.04,
  compounding: 'daily',
  commission: 0,
  unbondingDays: 0,
  lst: undefined,
  lstEntry: 'par',
});

export interface StakingResult {
  /** Value per step, quote units: B(t)·M(t)·P(t). */
  readonly value: Float64Array;
  /** Staked base amount per step (B0 plus credited net rewards). */
  readonly base: Float64Array;
  /** Cumulative net rewards per step, base units. */
  readonly rewards: Float64Array;
  /** M(t) per step: 1 for native staking, the LST price (1 after a par redemption) for an LST. */
  readonly markMultiplier: Float64Array;
  /** The capital C (quote). */
  readonly initialValue: number;
  readonly finalValue: number;
  /** B0 (base units). */
  readonly baseInitial: number;
  readonly finalBase: number;
  /** Net rewards over the run, base units. */
  readonly rewardsBase: number;
  /** Rewards kept by the provider, base units: rewards·c/(1 − c). */
  readonly commissionBase: number;
  /** Net rewards valued at the final price and multiplier, quote units. */
  readonly rewardsValue: number;
  /** (finalValue − C)/C / years: simple, annualised over the run (0 for a zero-length run). */
  readonly apr: number;
  /** Realised staking yield in base: (finalBase/B0 − 1) / years (simple, annualised over the run). */
  readonly rewardApr: number;
  /** Largest fall from a running peak of `value`, as a fraction of the peak. */
  readonly maxDrawdown: number;
  /** Run length in 365-day years. */
  readonly years: number;
  /** When rewards stop: T − unbonding delay, clamped to the start (unix ms). */
  readonly accrualEndMs: number;
  /** Accrual period in years and, for daily compounding, the number of daily credits. */
  readonly accrualYears: number;
  readonly creditedDays: number;
  /** Quote per staked base at the end: M(T)·P(T). The final value is finalBase × this. */
  readonly finalMarkPrice: number;
  readonly notes: readonly string[];
}

/** Validates staking params (ConfigError naming the flag); returns them unchanged. */
export function validateStakingParams(p: StakingParams): StakingParams {
  if (!(Number.isFinite(p.capital) && p.capital > 0)) throw new ConfigError('--capital', `must be > 0 (quote units); was ${p.capital}`);
  if (typeof p.apr === 'number' && !(Number.isFinite(p.apr) && p.apr > -DAYS_PER_YEAR)) throw new ConfigError('--staking-apr', `must be a finite fraction > -365 (0.04 = 4 % a year; negative models a net loss); was ${p.apr}`);
  if (!COMPOUNDING_MODES.includes(p.compounding)) throw new ConfigError('--compounding', `must be one of ${COMPOUNDING_MODES.join(', ')}; was ${JSON.stringify(p.compounding)}`);
  if (!(Number.isFinite(p.commission) && p.commission >= 0 && p.commission < 1)) throw new ConfigError('--commission', `must be a fraction in [0, 1) (0.1 = the provider keeps 10 % of rewards); was ${p.commission}`);
  if (!(Number.isFinite(p.unbondingDays) && p.unbondingDays >= 0)) throw new ConfigError('--unbonding-days', `must be ≥ 0 (days); was ${p.unbondingDays}`);
  if (!LST_ENTRIES.includes(p.lstEntry)) throw new ConfigError('--lst-entry', `must be one of ${LST_ENTRIES.join(', ')}; was ${JSON.stringify(p.lstEntry)}`);
  return p;
}

/**
 * Simulates staking over a price series (see the doc comment on {@link StakingParams}). Pure: no I/O, no clock.
 * `timestampMs` (unix ms, strictly increasing) and `price` (quote per base, > 0) are the run's series.
 */
export function simulateStaking(params: StakingParams, timestampMs: Float64Array, price: Float64Array): StakingResult {
  const p = validateStakingParams(params);
  const n = price.length;
  if (n === 0 || timestampMs.length !== n) throw new InvariantError(`simulateStaking needs equal, non-empty timestamp and price arrays; got ${timestampMs.length} and ${n}`);
  const t0 = timestampMs[0]!;
  const tEnd = timestampMs[n - 1]!;
  const notes: string[] = [];

  const unbondingMs = p.unbondingDays * MS_PER_DAY;
  const accrualEndMs = Math.max(t0, tEnd - unbondingMs);
  if (p.unbondingDays > 0 && tEnd - unbondingMs < t0) {
    notes.push(`the unbonding delay (${p.unbondingDays} days) is at least as long as the run (${((tEnd - t0) / MS_PER_DAY).toFixed(3)} days): the withdrawal is requested at the start and no rewards accrue`);
  }

  const schedule: AprSchedule = typeof p.apr === 'number' ? { kind: 'fixed', apr: p.apr } : { kind: 'series', series: p.apr };
  const growth = stakingGrowth(schedule, p.compounding, 1 - p.commission, timestampMs, accrualEndMs);
  notes.push(...growth.notes);
  for (let i = 0; i < n; i++) {
    if (!(growth.growth[i]! > 0)) throw new ConfigError('--staking-apr', `a simple-interest APR of ${String(p.apr)} over the run would make the stake negative; use a larger APR or --compounding continuous`);
  }

  const mark = new Float64Array(n).fill(1);
  if (p.lst !== undefined) {
    const lst = alignLstPrice(p.lst, timestampMs);
    notes.push(...lst.notes);
    // With an unbonding delay the LST is handed in for a par redemption at accrualEndMs.
    for (let i = 0; i < n; i++) mark[i] = p.unbondingDays > 0 && timestampMs[i]! >= accrualEndMs ? 1 : lst.price[i]!;
  }

  const p0 = price[0]!;
  const l0 = p.lst !== undefined && p.lstEntry === 'market' ? mark[0]! : 1;
  const baseInitial = p.capital / (p0 * l0);

  const value = new Float64Array(n);
  const base = new Float64Array(n);
  const rewards = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = baseInitial * growth.growth[i]!;
    base[i] = b;
    rewards[i] = b - baseInitial;
    value[i] = b * mark[i]! * price[i]!;
  }

  const finalBase = base[n - 1]!;
  const finalValue = value[n - 1]!;
  const finalMarkPrice = mark[n - 1]! * price[n - 1]!;
  const rewardsBase = finalBase - baseInitial;
  const years = (tEnd - t0) / MS_PER_YEAR;
  const accrualYears = (accrualEndMs - t0) / MS_PER_YEAR;
  return {
    value,
    base,
    rewards,
    markMultiplier: mark,
    initialValue: p.capital,
    finalValue,
    baseInitial,
    finalBase,
    rewardsBase,
    commissionBase: (rewardsBase * p.commission) / (1 - p.commission),
    rewardsValue: rewardsBase * finalMarkPrice,
    apr: years > 0 ? (finalValue - p.capital) / p.capital / years : 0,
    rewardApr: years > 0 ? (finalBase / baseInitial - 1) / years : 0,
    maxDrawdown: maxDrawdown(value),
    years,
    accrualEndMs,
    accrualYears,
    creditedDays: Math.floor((accrualEndMs - t0) / MS_PER_DAY),
    finalMarkPrice,
    notes,
  };
}
