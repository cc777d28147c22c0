import { ConfigError } from '../core/errors.ts';
import type { Compounding } from '../../strategies/staking/compounding.ts';
import { DAYS_PER_YEAR } from '../core/time.ts';

/**
 * Breakeven figures between an LP run and staking on the same capital, series and horizon.
 *
 * Staking's final value is V_s(A) = B0 · G(A) · K, where B0 is the staked base at the start, K = M(T)·P(T) the quote
 * value of one staked base at the end (`finalMarkPrice`), and G the growth over the accrual period (net = 1 − commission,
 * τ = accrual years, n = whole days credited):
 *   none        G = 1 + net·A·τ            ⇒ A* = (V/(B0·K) − 1) / (net·τ)
 *   daily       G = (1 + net·A/365)^n      ⇒ A* = 365·((V/(B0·K))^(1/n) − 1) / net
 *   continuous  G = e^(net·A·τ)            ⇒ A* = ln(V/(B0·K)) / (net·τ)
 * A* is the fixed staking APR at which staking's final value equals V (the LP's): at any APR above it staking wins.
 * Everything but the APR (compounding, commission, unbonding, LST) is taken from the staking run, so A* fed back as
 * `--staking-apr` reproduces V.
 */
export interface BreakevenAprInput {
  /** The LP's final value, quote units (> 0). */
  readonly lpFinalValue: number;
  /** B0: staked base at the start. */
  readonly baseInitial: number;
  /** K: quote per staked base at the end (LST price × market price). */
  readonly finalMarkPrice: number;
  readonly compounding: Compounding;
  readonly commission: number;
  /** Accrual period in 365-day years (none / continuous). */
  readonly accrualYears: number;
  /** Whole days credited (daily). */
  readonly creditedDays: number;
}

/**
 * The staking APR (fraction per 365-day year) at which staking ends at the LP's final value, by the closed forms above.
 * Undefined when no APR changes staking's value (no accrual time, or no daily credit) or the inputs are not positive.
 * May be negative (staking at 0 % already beats the LP) and, over short runs, far below −1: a measure of how far
 * behind the LP is, not an APR a staker would see.
 */
export function breakevenStakingApr(x: BreakevenAprInput): number | undefined {
  const ratio = x.lpFinalValue / (x.baseInitial * x.finalMarkPrice);
  const net = 1 - x.commission;
  if (!(ratio > 0) || !Number.isFinite(ratio) || !(net > 0)) return undefined;
  switch (x.compounding) {
    case 'none':
      return x.accrualYears > 0 ? (ratio - 1) / (net * x.accrualYears) : undefined;
    case 'continuous':
      return x.accrualYears > 0 ? Math.log(ratio) / (net * x.accrualYears) : undefined;
    case 'daily':
      // expm1(log(r)/n) keeps precision when r is near 1 (r^(1/n) − 1 would cancel).
      return x.creditedDays > 0 ? (DAYS_PER_YEAR * Math.expm1(Math.log(ratio) / x.creditedDays)) / net : undefined;
  }
}

/**
 * Solves f(a) = target for an increasing f by bracketing then bisection: from [lo, hi] the bracket is widened
 * (hi doubled away from lo, up to 60 times) until f(hi) ≥ target ≥ f(lo), then halved to a width of `tolerance`
 * (absolute) or 200 steps. For any monotone model without a closed form (e.g. a user's staking model). Throws a
 * ConfigError naming `what` when no bracket is found.
 */
export function solveIncreasing(f: (a: number) => number, target: number, lo: number, hi: number, what = 'breakeven', tolerance = 1e-13): number {
  let flo = f(lo);
  if (flo > target) throw new ConfigError(what, `no solution: the value at the lower bound ${lo} (${flo}) is already above the target ${target}`);
  let fhi = f(hi);
  for (let k = 0; fhi < target && k < 60; k++) {
    const w = hi - lo;
    lo = hi;
    flo = fhi;
    hi = lo + 2 * w;
    fhi = f(hi);
  }
  if (!(fhi >= target)) throw new ConfigError(what, `no solution below ${hi}: the value there (${fhi}) is still under the target ${target}`);
  for (let k = 0; k < 200 && hi - lo > tolerance * Math.max(1, Math.abs(hi)); k++) {
    const mid = lo + (hi - lo) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

export interface FeeBreakevenInput {
  readonly lpFinalValue: number;
  readonly stakingFinalValue: number;
  /** The LP's fees over the run, quote units (each valued when earned). */
  readonly feesEarned: number;
  /** The LP's starting value (capital), quote units. */
  readonly initialValue: number;
  /** Run length in 365-day years. */
  readonly years: number;
}

export interface FeeBreakeven {
  /** The LP's fee APR: feesEarned / initialValue / years. */
  readonly feeApr: number;
  /** Extra fees (quote) the LP needed to end level with staking: stakingFinal − lpFinal (negative: it had to spare). */
  readonly extraFeesNeeded: number;
  /** The fee APR at which the LP ends level with staking: (feesEarned + extra) / initialValue / years. */
  readonly requiredFeeApr: number;
  /** requiredFees / feesEarned: the multiple of the run's volume that would earn them; undefined without fees. */
  readonly requiredVolumeMultiple: number | undefined;
}

/**
 * The fee APR (and volume multiple) an LP run would have needed to match staking. First-order model: every extra unit
 * of fee adds one unit to the LP's final value (fees are not reinvested, their valuation date and any change to the
 * arbitrage path are ignored), and fees scale linearly with volume at a fixed fee tier. A required fee APR ≤ `feeApr`
 * means the LP already beats staking; a negative one means it would beat staking even with no fees at all.
 */
export function requiredFeeApr(x: FeeBreakevenInput): FeeBreakeven {
  const extra = x.stakingFinalValue - x.lpFinalValue;
  const perYear = x.years > 0 ? 1 / (x.initialValue * x.years) : NaN;
  const required = x.feesEarned + extra;
  return {
    feeApr: x.feesEarned * perYear,
    extraFeesNeeded: extra,
    requiredFeeApr: required * perYear,
    requiredVolumeMultiple: x.feesEarned > 0 ? required / x.feesEarned : undefined,
  };
}
