import { InputError } from '../../sim/core/errors.ts';
import { DAYS_PER_YEAR, MS_PER_DAY, MS_PER_YEAR } from '../../sim/core/time.ts';
import { asOfIndex, type AprSeries } from '../../sim/core/series.ts';

/**
 * How staking rewards are credited to the staked base amount B (all conventions: a year is 365 days of 86 400 s;
 * `net` = 1 − commission; τ(t) = years of accrual since the start; I(t) = ∫ apr(s) ds over the accrual period, in
 * APR·years, which for a fixed APR A is A·τ):
 * - `none`: simple interest, accrued continuously and never compounded: B(t) = B0·(1 + net·I(t)).
 * - `daily`: one credit at each whole day since the start (t0 + k·86 400 s, k = 1, 2, …), nothing in between, so a
 *   trailing partial day earns nothing: B(t) = B0·∏_{k=1..n(t)} (1 + net·a_k/365), n(t) = ⌊days since start⌋, with
 *   a_k the APR in force at the start of day k (t0 + (k−1)·86 400 s). A fixed APR gives B0·(1 + net·A/365)^n.
 * - `continuous`: B(t) = B0·exp(net·I(t)); a fixed APR gives B0·e^(net·A·τ).
 */
export type Compounding = 'none' | 'daily' | 'continuous';
export const COMPOUNDING_MODES: readonly Compounding[] = ['none', 'daily', 'continuous'];

/** The 365-day year (sim/core/time.ts), re-exported for the staking modules. */
export { DAYS_PER_YEAR, MS_PER_DAY, MS_PER_YEAR } from '../../sim/core/time.ts';

/** Where the APR comes from: a fixed number, or a historical series read as of each time (a step function). */
export type AprSchedule = { readonly kind: 'fixed'; readonly apr: number } | { readonly kind: 'series'; readonly series: AprSeries };

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The median spacing of a series' timestamps (ms), or undefined for fewer than two points. */
export function medianSpacingMs(ts: Float64Array): number | undefined {
  if (ts.length < 2) return undefined;
  const d = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) d[i - 1] = ts[i]! - ts[i - 1]!;
  d.sort();
  return d[(d.length - 1) >> 1]!;
}

export interface GrowthResult {
  /** g[i] = B(t_i)/B0, with accrual stopped at `accrualEndMs`. */
  readonly growth: Float64Array;
  /** Explanations a user should see (e.g. a series carried forward past its end). */
  readonly notes: string[];
}

/**
 * Growth of one unit of staked base at each timestamp under `schedule` and `compounding`, keeping the fraction `net`
 * of rewards (1 − commission). Rewards accrue from `timestampMs[0]` until `accrualEndMs` (the unbonding request), then
 * stop. A series must start at or before `timestampMs[0]` (InputError otherwise); after its last point its last APR
 * stays in force, with a note when that extends past the series' end by more than two of its usual spacings.
 */
export function stakingGrowth(schedule: AprSchedule, compounding: Compounding, net: number, timestampMs: Float64Array, accrualEndMs: number): GrowthResult {
  const n = timestampMs.length;
  const growth = new Float64Array(n);
  const notes: string[] = [];
  if (n === 0) return { growth, notes };
  const t0 = timestampMs[0]!;
  const end = Math.min(timestampMs[n - 1]!, Math.max(t0, accrualEndMs));

  if (schedule.kind === 'fixed') {
    const a = schedule.apr * net;
    for (let i = 0; i < n; i++) {
      const e = Math.min(timestampMs[i]!, end);
      // (1 + a/365)^days as exp(days · log1p(a/365)): Math.pow's last bits differ between Node versions (sim/core/pow.ts)
      if (compounding === 'daily') growth[i] = Math.exp(Math.floor((e - t0) / MS_PER_DAY) * Math.log1p(a / DAYS_PER_YEAR));
      else if (compounding === 'continuous') growth[i] = Math.exp((a * (e - t0)) / MS_PER_YEAR);
      else growth[i] = 1 + (a * (e - t0)) / MS_PER_YEAR;
    }
    return { growth, notes };
  }

  const s = schedule.series;
  const first = asOfIndex(s.timestampMs, t0);
  if (first < 0) {
    throw new InputError(s.file, undefined, 'timestamp', `the staking APR series starts at ${iso(s.timestampMs[0]!)}, after the run starts at ${iso(t0)}; give a series that covers the run`);
  }
  const lastTs = s.timestampMs[s.length - 1]!;
  const spacing = medianSpacingMs(s.timestampMs);
  if (spacing !== undefined && end > lastTs + 2 * spacing) {
    notes.push(`the staking APR series ends at ${iso(lastTs)}; its last APR (${s.apr[s.length - 1]}) is used until ${iso(end)}`);
  }

  if (compounding === 'daily') {
    let credited = 0;
    let g = 1;
    for (let i = 0; i < n; i++) {
      const days = Math.floor((Math.min(timestampMs[i]!, end) - t0) / MS_PER_DAY);
      while (credited < days) {
        // Day k = credited + 1 earns the APR in force at its start, t0 + credited days.
        const a = s.apr[asOfIndex(s.timestampMs, t0 + credited * MS_PER_DAY)]!;
        g *= 1 + (net * a) / DAYS_PER_YEAR;
        credited++;
      }
      growth[i] = g;
    }
    return { growth, notes };
  }

  // I(t) for a step function, exactly: walk the breakpoints in order (times are non-decreasing).
  let j = first;
  let cur = t0;
  let integralAprMs = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.min(timestampMs[i]!, end);
    while (j + 1 < s.length && s.timestampMs[j + 1]! <= e) {
      const bp = s.timestampMs[j + 1]!;
      integralAprMs += s.apr[j]! * (bp - cur);
      cur = bp;
      j++;
    }
    integralAprMs += s.apr[j]! * (e - cur);
    cur = e;
    const x = (net * integralAprMs) / MS_PER_YEAR;
    growth[i] = compounding === 'continuous' ? Math.exp(x) : 1 + x;
  }
  return { growth, notes };
}
