/**
 * APR ↔ APY for rewards that are harvested and re-invested n times a year, with a performance fee taken from each
 * harvest and a fixed gas cost paid per harvest. The year is 365 days of 86,400 s everywhere (sim/core/time.ts).
 *
 * Model (the auto-compounding vault): capital C earns a simple rate r (the APR, fraction per 365-day year) between
 * harvests. Every 1/n year the accrued reward (r/n)·V is claimed, the fee keeps the fraction f of it, gas G (quote)
 * is paid, and the rest is added to the position:
 *   V_{k+1} = a·V_k − G,   a = 1 + (1 − f)·r/n.
 * After m harvests, V_m = a^m·C − G·(a^m − 1)/(a − 1), so with R = (1 − f)·r and g = G/C the net return is
 *   V_m/C − 1 = (a^m − 1)·(1 − g·n/R)            (R ≠ 0; −g·m when R = 0).
 * Over c years m = n·c. APY is c = 1; without fee and gas it is (1 + r/n)^n − 1, which rises with n towards the
 * continuous limit e^r − 1. m need not be whole (n = 365/7 for a weekly harvest): the closed form is then the smooth
 * interpolation between whole harvests. n = 0 means "never compounds": simple interest (1 − f)·r·c, the rewards claimed
 * once at the end, paying one harvest's gas: (1 − f)·r·c − g (the same as one harvest at the end when c = 1).
 * Gas cannot take more than the capital: when V would fall to 0 or below the return is −1 (−100 %).
 * All powers go through log1p/expm1, so rates near 0 keep full relative precision.
 */
import { ConfigError } from '../core/errors.ts';
import { DAYS_PER_YEAR } from '../core/time.ts';

/** Harvest costs: the fee fraction of each claim and gas per harvest, in quote, for a capital in quote. */
export interface HarvestCosts {
  /** Fraction of each harvest taken as fees (performance + caller), in [0, 1). Default 0. */
  readonly performanceFee?: number;
  /** Gas paid per harvest, quote units (≥ 0). Needs `capital`. Default 0. */
  readonly gasPerHarvest?: number;
  /** The capital compounding, quote units (> 0): gas matters relative to it. */
  readonly capital?: number;
}

/** Days in the year every APR and APY here is stated for. */
export const APY_YEAR_DAYS = DAYS_PER_YEAR;

/** The largest compounding frequency searched by {@link optimalHarvest}: every minute of a 365-day year. */
export const MAX_COMPOUNDS_PER_YEAR = DAYS_PER_YEAR * 24 * 60;

interface Resolved {
  readonly fee: number;
  /** G / C (0 without gas). */
  readonly gasShare: number;
}

function finite(name: string, x: number): void {
  if (!Number.isFinite(x)) throw new ConfigError(name, `must be a finite number; was ${x}`);
}

function resolveCosts(c: HarvestCosts): Resolved {
  const fee = c.performanceFee ?? 0;
  finite('performanceFee', fee);
  if (!(fee >= 0 && fee < 1)) throw new ConfigError('performanceFee', `must be a fraction in [0, 1); was ${fee}`);
  const gas = c.gasPerHarvest ?? 0;
  finite('gasPerHarvest', gas);
  if (gas < 0) throw new ConfigError('gasPerHarvest', `must be ≥ 0 (quote per harvest); was ${gas}`);
  if (gas > 0 && c.capital === undefined) throw new ConfigError('capital', 'is needed with a gas cost per harvest (gas matters relative to the capital)');
  if (c.capital !== undefined) {
    finite('capital', c.capital);
    if (!(c.capital > 0)) throw new ConfigError('capital', `must be > 0 (quote); was ${c.capital}`);
  }
  return { fee, gasShare: c.capital === undefined ? 0 : gas / c.capital };
}

function checkCompounds(n: number): void {
  finite('compoundsPerYear', n);
  if (n < 0) throw new ConfigError('compoundsPerYear', `must be ≥ 0 (0 = never compounds); was ${n}`);
}

/**
 * Net return over `years` (c) of capital compounding at `apr` with `compoundsPerYear` harvests a year (see the model
 * above): (a^(n·c) − 1)·(1 − g·n/R), a = 1 + R/n, R = (1 − f)·r, g = gas/capital. Needs a > 0 (r > −n/(1 − f)).
 */
export function compoundedReturn(apr: number, compoundsPerYear: number, years: number, costs: HarvestCosts = {}): number {
  finite('apr', apr);
  finite('years', years);
  checkCompounds(compoundsPerYear);
  const { fee, gasShare } = resolveCosts(costs);
  return netReturn(apr * (1 - fee), compoundsPerYear, years, gasShare);
}

/** The model's return, inputs already checked. R = (1 − f)·r. */
function netReturn(R: number, n: number, years: number, g: number): number {
  if (n === 0) return Math.max(-1, R * years - g);
  const s = R / n; // the re-invested share of each harvest
  if (!(s > -1)) throw new ConfigError('apr', `${R} a year compounded ${n} times would lose more than everything at each harvest (needs APR > −n/(1 − fee))`);
  const m = n * years;
  const L = Math.log1p(s);
  const growth = Math.expm1(m * L); // a^m − 1
  if (g === 0) return growth;
  // Σ_{k<m} a^k = (a^m − 1)/(a − 1) = m · [expm1(mL)/(mL)] · [L/s], each bracket → 1 as s → 0 (no division by a tiny s).
  // Gas cannot take more than everything: once V reaches 0 the vault is empty (−100 %).
  return Math.max(-1, growth - g * m * expm1Ratio(m * L) * log1pRatio(s));
}

/** expm1(x)/x, 1 at 0 (series below 1e-8, where the division would lose digits). */
function expm1Ratio(x: number): number {
  return Math.abs(x) < 1e-8 ? 1 + x / 2 : Math.expm1(x) / x;
}

/** log1p(x)/x, 1 at 0. */
function log1pRatio(x: number): number {
  return Math.abs(x) < 1e-8 ? 1 - x / 2 : Math.log1p(x) / x;
}

/** APY (fraction per 365-day year) of an APR compounded `compoundsPerYear` times a year, after fee and gas. */
export function aprToApy(apr: number, compoundsPerYear: number, costs: HarvestCosts = {}): number {
  return compoundedReturn(apr, compoundsPerYear, 1, costs);
}

/** The continuous limit of compounding without costs: e^(r·c) − 1 (APY at c = 1). */
export function continuousApy(apr: number, years = 1): number {
  finite('apr', apr);
  finite('years', years);
  return Math.expm1(apr * years);
}

/**
 * The APR that compounds to `apy` (net of fee and gas) with `compoundsPerYear` harvests a year: the inverse of
 * {@link aprToApy}. Without gas it is closed form, r = n·((1 + y)^(1/n) − 1)/(1 − f); with gas the net APY is
 * increasing in r wherever it is above −100 % (every V_k stays positive), so the unique root is found by bisection
 * from the gas-free root (gas only lowers the APY, so that root is a lower bound). `compoundsPerYear` = 0: (y + g)/(1 − f)
 * (one claim's gas at the end).
 */
export function apyToApr(apy: number, compoundsPerYear: number, costs: HarvestCosts = {}): number {
  finite('apy', apy);
  checkCompounds(compoundsPerYear);
  if (!(apy > -1)) throw new ConfigError('apy', `must be above −100 %; was ${apy}`);
  const { fee, gasShare } = resolveCosts(costs);
  const n = compoundsPerYear;
  const gross = n === 0 ? apy : n * Math.expm1(Math.log1p(apy) / n); // R without gas
  if (n === 0) return (apy + gasShare) / (1 - fee);
  if (gasShare === 0) return gross / (1 - fee);
  const f = (R: number): number => netReturn(R, n, 1, gasShare);
  let lo = gross;
  let step = Math.max(1, Math.abs(gross));
  let hi = lo + step;
  for (let k = 0; f(hi) < apy; k++) {
    if (k >= 200) throw new ConfigError('apy', `no APR reaches ${apy} after gas at ${n} harvests a year`);
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  // Bisection to the last representable gap (≤ 1100 halvings of a double interval; usually ~60).
  for (let k = 0; k < 2000; k++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (f(mid) < apy) lo = mid;
    else hi = mid;
  }
  const R = Math.abs(f(lo) - apy) <= Math.abs(f(hi) - apy) ? lo : hi;
  return R / (1 - fee);
}

/** The best harvest frequency for a capital and its net APY. */
export interface OptimalHarvest {
  /** Harvests per 365-day year (real; 1 ≤ n ≤ {@link MAX_COMPOUNDS_PER_YEAR}). */
  readonly compoundsPerYear: number;
  /** 365 / n days between harvests. */
  readonly intervalDays: number;
  /** Net APY at that frequency (fraction per 365-day year). */
  readonly netApy: number;
  /** The best whole number of harvests a year (the closed form is exact for whole n), and its net APY. */
  readonly whole: { readonly compoundsPerYear: number; readonly netApy: number };
  /**
   * Why the optimum is where it is: `interior` (gas and compounding balance between the bounds), `max` (the upper
   * search bound, `maxCompounds`: more often is better all the way to it, as without gas or with gas negligible at
   * this capital), `once` (the lower bound, one harvest a year: the gas is at least the growth it buys).
   */
  readonly kind: 'interior' | 'max' | 'once';
}

/**
 * The harvest frequency n ∈ [1, maxCompounds] that maximises the net APY (a^n − 1)·(1 − g·n/R) for a capital, and the
 * value there. Deterministic 1-D search: the net APY on a grid of 512 log-spaced frequencies, then golden-section
 * search in log n between the best point's neighbours (to 1e-12 relative), compared against the grid's best. With
 * R > 0 the net APY is positive only for n < R/g, so the search stops there. Without gas the answer is the bound; an
 * optimum the search finds within 1e-9 (relative) of a bound, or no better than the bound, is that bound (`kind`).
 */
export function optimalHarvest(apr: number, costs: HarvestCosts, maxCompounds = MAX_COMPOUNDS_PER_YEAR): OptimalHarvest {
  finite('apr', apr);
  finite('maxCompounds', maxCompounds);
  if (!(maxCompounds >= 1)) throw new ConfigError('maxCompounds', `must be ≥ 1; was ${maxCompounds}`);
  const { fee, gasShare } = resolveCosts(costs);
  const R = apr * (1 - fee);
  if (!(R > 0)) throw new ConfigError('apr', `an optimal harvest needs a positive APR after the fee; was ${R}`);
  const h = (n: number): number => netReturn(R, n, 1, gasShare);
  const done = (n: number, kind: OptimalHarvest['kind']): OptimalHarvest => ({
    compoundsPerYear: n,
    intervalDays: APY_YEAR_DAYS / n,
    netApy: h(n),
    whole: bestWhole(h, n, maxCompounds),
    kind,
  });
  if (gasShare === 0) return done(maxCompounds, 'max');
  const hi = Math.min(maxCompounds, R / gasShare);
  if (!(hi > 1)) return done(1, 'once');
  const lnLo = 0;
  const lnHi = Math.log(hi);
  const N = 512;
  let best = 0;
  let bestV = -Infinity;
  const at = (i: number): number => lnLo + ((lnHi - lnLo) * i) / (N - 1);
  for (let i = 0; i < N; i++) {
    const v = h(Math.exp(at(i)));
    if (v > bestV) [best, bestV] = [i, v];
  }
  let a = at(Math.max(0, best - 1));
  let b = at(Math.min(N - 1, best + 1));
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = b - phi * (b - a);
  let x2 = a + phi * (b - a);
  let f1 = h(Math.exp(x1));
  let f2 = h(Math.exp(x2));
  for (let k = 0; k < 200 && b - a > 1e-12 * Math.max(1, Math.abs(b)); k++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + phi * (b - a);
      f2 = h(Math.exp(x2));
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - phi * (b - a);
      f1 = h(Math.exp(x1));
    }
  }
  const nStar = Math.exp((a + b) / 2);
  const n = h(nStar) >= bestV ? nStar : Math.exp(at(best));
  // The search converges onto a bound when the optimum is there (n = 1 + 5e-13, or 525,599.9997 for the bound
  // 525,600): that is the bound, not a balance of gas and compounding, when the bound is as good (to the search's
  // tolerance in n, or in value).
  const near = (x: number, bound: number): boolean => Math.abs(Math.log(x / bound)) <= 1e-9;
  if (n <= 1 || near(n, 1) || h(1) >= h(n)) return done(1, 'once');
  if (hi === maxCompounds && (n >= maxCompounds || near(n, maxCompounds) || h(maxCompounds) >= h(n))) return done(maxCompounds, 'max');
  return done(n, 'interior');
}

function bestWhole(h: (n: number) => number, n: number, maxCompounds: number): OptimalHarvest['whole'] {
  const lo = Math.max(1, Math.floor(n));
  const hi = Math.min(Math.floor(maxCompounds), Math.ceil(n));
  const vlo = h(lo);
  const vhi = h(hi);
  return vhi > vlo ? { compoundsPerYear: hi, netApy: vhi } : { compoundsPerYear: lo, netApy: vlo };
}

/** Harvests per 365-day year for a harvest every `intervalMs` milliseconds. */
export function compoundsPerYearOf(intervalMs: number): number {
  finite('interval', intervalMs);
  if (!(intervalMs > 0)) throw new ConfigError('interval', `must be > 0; was ${intervalMs}`);
  return (APY_YEAR_DAYS * 86_400_000) / intervalMs;
}
