/**
 * `ammsim apy`: APR ↔ APY for a harvest frequency, a performance fee and a gas cost per harvest, and the harvest
 * interval that maximises the net APY for a capital. The maths is sim/metrics/apy.ts (vault model, 365-day year);
 * this turns validated options into rows the command prints.
 */
import { aprToApy, apyToApr, APY_YEAR_DAYS, compoundsPerYearOf, continuousApy, optimalHarvest, type HarvestCosts, type OptimalHarvest } from '../sim/metrics/apy.ts';
import { ConfigError } from '../sim/core/errors.ts';

export interface ApyOptions {
  /** The rate given: an APR to compound, or a net APY to invert. */
  readonly from: { readonly kind: 'apr' | 'apy'; readonly value: number };
  /** Harvests per 365-day year (0 = never compounds); undefined = the standard table of frequencies. */
  readonly compoundsPerYear?: number;
  /** The same as an interval (ms), when given as --every (kept for the label). */
  readonly everyMs?: number;
  /** Fraction of each harvest taken as fees, [0, 1); default 0. */
  readonly performanceFee?: number;
  /** Gas per harvest, quote, with the capital it is paid from. */
  readonly gasPerHarvest?: number;
  readonly capital?: number;
  /** Also find the harvest frequency that maximises the net APY (needs an APR, gas and capital). */
  readonly optimal?: boolean;
  /**
   * The text each flag was given as (`'--performance-fee'` → `'100%'`), when it came from the command line: an error
   * quotes what was typed rather than the number it was read as (a percentage is a fraction here).
   */
  readonly typed?: Readonly<Partial<Record<ApyFlag, string>>>;
}

/** The flags of `ammsim apy` that carry a number. */
export type ApyFlag = '--apr' | '--apy' | '--compounds' | '--performance-fee' | '--gas' | '--capital';

/** One harvest frequency: the APR and the APY it gives (APR given) or needs (APY given). */
export interface ApyRow {
  /**
   * `never`, `yearly`, `monthly`, `weekly`, `daily`, `hourly`, `continuous`, or `custom`: a frequency given by
   * --compounds or --every has its standard name when it is one of the table's (0 is `never`, 365 `daily`).
   */
  readonly name: string;
  /** Harvests per 365-day year; `continuous` for the limit. */
  readonly compoundsPerYear: number | 'continuous';
  /** Days between harvests (365 / n); null for never and continuous. */
  readonly intervalDays: number | null;
  /** Simple APR, fraction per 365-day year (given, or needed for the APY given). */
  readonly apr: number;
  /** The APR compounded at this frequency without fee or gas. */
  readonly apyBeforeCosts: number;
  /** After the performance fee and the gas (equal to apyBeforeCosts without them). */
  readonly apy: number;
}

export interface ApyResult {
  readonly yearDays: number;
  readonly from: ApyOptions['from'];
  readonly performanceFee: number;
  readonly gasPerHarvest: number;
  readonly capital: number | null;
  readonly rows: readonly ApyRow[];
  /** With `optimal`: the best frequency (see sim/metrics/apy.ts optimalHarvest). */
  readonly optimal: (OptimalHarvest & { readonly apr: number }) | null;
}

/** The frequencies of the standard table (continuous is added when there is no gas: infinitely many harvests cost ∞). */
export const STANDARD_FREQUENCIES: ReadonlyArray<readonly [name: string, compoundsPerYear: number]> = [
  ['never', 0],
  ['yearly', 1],
  ['monthly', 12],
  ['weekly', APY_YEAR_DAYS / 7],
  ['daily', APY_YEAR_DAYS],
  ['hourly', APY_YEAR_DAYS * 24],
];

/**
 * The table's name of a frequency (`never` for 0, `daily` for 365, …), or `custom`: a given frequency is labelled as
 * the table labels it. Equal to 1e-12 relative, so `--every 7d` (365·86,400,000 / 604,800,000) is `weekly`.
 */
export function frequencyName(compoundsPerYear: number): string {
  const hit = STANDARD_FREQUENCIES.find(([, k]) => Math.abs(k - compoundsPerYear) <= 1e-12 * Math.max(1, k));
  return hit === undefined ? 'custom' : hit[0];
}

/**
 * A value as the user gave it, for an error message: the number when it reads the same (`-1`), else the text
 * quoted (`"100%"`, `"1e6"`); the number itself without text (a library caller).
 */
function shown(typed: string | undefined, value: number): string {
  if (typed === undefined) return String(value);
  return typed.trim() === String(value) ? String(value) : JSON.stringify(typed);
}

/** Checks the options together (one ConfigError naming the flag) and computes the rows. */
export function runApy(o: ApyOptions): ApyResult {
  const was = (flag: ApyFlag, value: number): string => shown(o.typed?.[flag], value);
  const fee = o.performanceFee ?? 0;
  if (!(Number.isFinite(fee) && fee >= 0 && fee < 1)) throw new ConfigError('--performance-fee', `must be a fraction in [0, 1) (0.1 = 10 % of each harvest); was ${was('--performance-fee', fee)}`);
  const hasGas = o.gasPerHarvest !== undefined;
  if (hasGas !== (o.capital !== undefined)) {
    throw hasGas
      ? new ConfigError('--gas', 'needs --capital (gas per harvest matters relative to the capital it is paid from)')
      : new ConfigError('--capital', 'only matters with --gas (the gas paid per harvest, in quote)');
  }
  const gas = o.gasPerHarvest ?? 0;
  if (hasGas && !(Number.isFinite(gas) && gas >= 0)) throw new ConfigError('--gas', `must be ≥ 0 (quote per harvest); was ${was('--gas', gas)}`);
  if (o.capital !== undefined && !(Number.isFinite(o.capital) && o.capital > 0)) throw new ConfigError('--capital', `must be > 0 (quote); was ${was('--capital', o.capital)}`);
  const { kind, value } = o.from;
  if (!Number.isFinite(value)) throw new ConfigError(`--${kind}`, `must be a finite number; was ${was(`--${kind}`, value)}`);
  if (!(value > -1)) throw new ConfigError(`--${kind}`, `must be above −1 (−100 % a year); was ${was(`--${kind}`, value)}`);
  const n = o.compoundsPerYear;
  if (n !== undefined && !(Number.isFinite(n) && (n === 0 || n >= 1))) {
    throw new ConfigError(o.everyMs === undefined ? '--compounds' : '--every', `must be 0 (never) or at least 1 harvest a year; was ${o.everyMs === undefined ? was('--compounds', n) : n}`);
  }
  if (o.optimal === true) {
    if (kind !== 'apr') throw new ConfigError('--optimal', 'needs --apr (the best harvest interval for a given APR)');
    if (!hasGas || gas === 0) throw new ConfigError('--optimal', 'needs --gas > 0 and --capital: without a cost per harvest, more often is always better');
    if (n !== undefined) throw new ConfigError('--optimal', `finds the frequency itself; drop ${o.everyMs === undefined ? '--compounds' : '--every'}`);
    if (!(value * (1 - fee) > 0)) throw new ConfigError('--optimal', 'needs a positive APR after the performance fee');
  }
  const costs: HarvestCosts = { performanceFee: fee, ...(hasGas ? { gasPerHarvest: gas, capital: o.capital! } : {}) };
  const row = (name: string, k: number | 'continuous'): ApyRow => {
    const intervalDays = k === 'continuous' || k === 0 ? null : APY_YEAR_DAYS / k;
    if (k === 'continuous') {
      const apr = kind === 'apr' ? value : Math.log1p(value) / (1 - fee);
      return { name, compoundsPerYear: k, intervalDays, apr, apyBeforeCosts: continuousApy(apr), apy: continuousApy(apr * (1 - fee)) };
    }
    const apr = kind === 'apr' ? value : apyToApr(value, k, costs);
    return { name, compoundsPerYear: k, intervalDays, apr, apyBeforeCosts: aprToApy(apr, k), apy: kind === 'apy' ? value : aprToApy(apr, k, costs) };
  };
  const rows: ApyRow[] =
    n !== undefined
      ? [row(frequencyName(n), n)]
      : [...STANDARD_FREQUENCIES.map(([name, k]) => row(name, k)), ...(gas > 0 ? [] : [row('continuous', 'continuous')])];
  const optimal = o.optimal === true ? { ...optimalHarvest(value, costs), apr: value } : null;
  // A rate so large that a result overflows would print as Infinity % / NaN % (null in JSON): refused instead.
  const overflows = (x: number): boolean => !Number.isFinite(x * 100);
  const overflowed = overflows(value)
    ? 'the rate in percent'
    : (() => {
        const row = rows.find((r) => overflows(r.apr) || overflows(r.apyBeforeCosts) || overflows(r.apy));
        if (row !== undefined) return `the ${row.name} ${kind === 'apr' ? 'APY' : 'APR needed'}`;
        return optimal !== null && (overflows(optimal.netApy) || overflows(optimal.whole.netApy)) ? 'the optimal APY' : undefined;
      })();
  if (overflowed !== undefined) {
    throw new ConfigError(`--${kind}`, `too large: ${overflowed} overflows (in percent, beyond the largest number); give a smaller rate or fewer harvests (--compounds, --every); was ${was(`--${kind}`, value)}`);
  }
  return { yearDays: APY_YEAR_DAYS, from: o.from, performanceFee: fee, gasPerHarvest: gas, capital: o.capital ?? null, rows, optimal };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `--every`: a harvest interval like `1d`, `7d`, `12h`, `30min`, `2w` → milliseconds (at most 365 days). */
export function parseInterval(text: string, flag = '--every'): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(s|min|h|d|w)\s*$/.exec(text);
  if (m === null) throw new ConfigError(flag, `must be an interval like 1d, 7d, 12h, 30min or 2w (units s, min, h, d, w); was ${JSON.stringify(text)}`);
  const ms = Number(m[1]) * DURATION_UNITS[m[2]!]!;
  if (!(ms > 0)) throw new ConfigError(flag, `must be longer than 0; was ${JSON.stringify(text)}`);
  if (ms > APY_YEAR_DAYS * 86_400_000) throw new ConfigError(flag, `must be at most 365d (a year); was ${JSON.stringify(text)}; use --compounds 0 for never`);
  return ms;
}

/** Harvests per year of an `--every` interval. */
export function compoundsOfInterval(ms: number): number {
  return compoundsPerYearOf(ms);
}
