import { ConfigError, didYouMean } from '../../sim/core/errors.ts';
import { withoutOverriddenAlternatives } from '../config.ts';
import { COMPOUNDING_MODES, type Compounding } from '../../strategies/staking/compounding.ts';
import { LST_ENTRIES, type LstEntry } from '../../strategies/staking/liquidStaking.ts';
import { SCENARIO_METHODS, type ScenarioMethod } from './scenarios.ts';

/**
 * The `ammsim compare` settings on top of the backtest's (prices, pool, strategy, capital, seed…). Keys are the
 * flags in camelCase and the keys of a `--config` JSON file; merged as {@link COMPARE_DEFAULTS} < file < flags.
 */
export interface CompareOptions {
  /** Fixed staking APR (fraction per 365-day year); used when no `stakingSeries` is given. */
  stakingApr: number | undefined;
  /** A historical APR file: CSV `timestamp,apr` or the ETH.STORE JSON. Excludes `stakingApr`. */
  stakingSeries: string | undefined;
  compounding: Compounding;
  /** Fraction of rewards kept by the provider, [0, 1). */
  commission: number;
  /** Withdrawal delay in days. */
  unbondingDays: number;
  /** A liquid staking token's price in base (CSV `timestamp,price` or a long file with a `pair` column). */
  lstSeries: string | undefined;
  /** The pair to read from a long-format LST file (e.g. STETH/ETH). */
  lstPair: string | undefined;
  lstEntry: LstEntry;
  /** What-if sweep: number of price scenarios (0 = none). */
  paths: number;
  pathsMethod: ScenarioMethod;
  /** GBM σ per year; undefined = the series' realised volatility. */
  pathsVolatility: number | undefined;
  pathsDrift: number;
  blockSteps: number;
}

/** The staking APR used when neither --staking-apr nor --staking-series is given: 4 % a year. */
export const DEFAULT_STAKING_APR = 0.04;

export const COMPARE_DEFAULTS: Readonly<CompareOptions> = Object.freeze({
  stakingApr: undefined,
  stakingSeries: undefined,
  compounding: 'daily',
  commission: 0,
  unbondingDays: 0,
  lstSeries: undefined,
  lstPair: undefined,
  lstEntry: 'par',
  paths: 0,
  pathsMethod: 'gbm',
  pathsVolatility: undefined,
  pathsDrift: 0,
  blockSteps: 24,
});

/** The compare-only keys, in output order. */
export const COMPARE_KEYS = Object.keys(COMPARE_DEFAULTS) as (keyof CompareOptions)[];

function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** The largest --paths accepted (each path re-runs every alternative). */
export const MAX_PATHS = 100_000;

/**
 * Merges defaults < `file` < `flags` for the compare-only keys and validates them (ConfigError naming the flag).
 * `undefined` in a layer means "not given". Keys of other layers are ignored here (the backtest resolves its own).
 */
export function resolveCompareOptions(flags: Readonly<Record<string, unknown>>, file: Readonly<Record<string, unknown>> = {}): CompareOptions {
  file = withoutOverriddenAlternatives(file, flags, [['stakingApr', 'stakingSeries']]);
  const merged: Record<string, unknown> = { ...COMPARE_DEFAULTS };
  for (const layer of [file, flags]) for (const k of COMPARE_KEYS) if (layer[k] !== undefined) merged[k] = layer[k];
  const c = merged as unknown as CompareOptions;
  const num = (key: keyof CompareOptions, ok: (v: number) => boolean, rule: string): void => {
    const v = merged[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ConfigError(flagName(key), `${rule}; was ${JSON.stringify(v)}`);
  };
  const str = (key: keyof CompareOptions): void => {
    const v = merged[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ConfigError(flagName(key), `must be a file path; was ${JSON.stringify(v)}`);
  };
  if (c.stakingApr !== undefined) num('stakingApr', (v) => v > -365, 'must be a fraction > -365 (0.04 = 4 % a year; negative models a net loss)');
  str('stakingSeries');
  str('lstSeries');
  if (c.stakingApr !== undefined && c.stakingSeries !== undefined) {
    throw new ConfigError('--staking-apr', 'give either --staking-apr or --staking-series, not both');
  }
  if (!COMPOUNDING_MODES.includes(c.compounding)) throw new ConfigError('--compounding', `must be one of ${COMPOUNDING_MODES.join(', ')}; was ${JSON.stringify(c.compounding)}${didYouMean(String(c.compounding), COMPOUNDING_MODES)}`);
  num('commission', (v) => v >= 0 && v < 1, 'must be a fraction in [0, 1) (0.1 = the provider keeps 10 % of rewards)');
  num('unbondingDays', (v) => v >= 0, 'must be ≥ 0 (days)');
  if (c.lstPair !== undefined && (typeof c.lstPair !== 'string' || c.lstPair === '')) throw new ConfigError('--lst-pair', `must be a pair such as STETH/ETH; was ${JSON.stringify(c.lstPair)}`);
  if (c.lstPair !== undefined && c.lstSeries === undefined) throw new ConfigError('--lst-pair', 'needs --lst-series FILE');
  if (!LST_ENTRIES.includes(c.lstEntry)) throw new ConfigError('--lst-entry', `must be one of ${LST_ENTRIES.join(', ')}; was ${JSON.stringify(c.lstEntry)}`);
  num('paths', (v) => Number.isInteger(v) && v >= 0 && v <= MAX_PATHS, `must be an integer in [0, ${MAX_PATHS}]`);
  if (!SCENARIO_METHODS.includes(c.pathsMethod)) throw new ConfigError('--paths-method', `must be one of ${SCENARIO_METHODS.join(', ')}; was ${JSON.stringify(c.pathsMethod)}`);
  if (c.pathsVolatility !== undefined) num('pathsVolatility', (v) => v >= 0, 'must be ≥ 0 (annual, 0.8 = 80 %)');
  num('pathsDrift', () => true, 'must be a finite annual drift');
  num('blockSteps', (v) => Number.isInteger(v) && v >= 1, 'must be an integer ≥ 1');
  // Settings that apply only with another one are refused without it, so no flag is accepted and then ignored.
  const given = (k: keyof CompareOptions): boolean => flags[k] !== undefined || file[k] !== undefined;
  if (given('lstEntry') && c.lstSeries === undefined) throw new ConfigError('--lst-entry', 'applies to a liquid staking token; give --lst-series FILE (or leave --lst-entry out)');
  const pathKeys = ['pathsMethod', 'pathsVolatility', 'pathsDrift', 'blockSteps'] as const;
  for (const k of pathKeys) if (given(k) && c.paths === 0) throw new ConfigError(flagName(k), 'applies to the what-if paths; give --paths N (or leave it out)');
  if (c.pathsMethod === 'bootstrap') for (const k of ['pathsVolatility', 'pathsDrift'] as const) if (given(k)) throw new ConfigError(flagName(k), 'applies to --paths-method gbm; bootstrap paths resample the series\' own returns');
  if (c.pathsMethod === 'gbm' && given('blockSteps')) throw new ConfigError('--block-steps', 'applies to --paths-method bootstrap');
  return c;
}

/**
 * Splits a comma-separated list flag (`--width 0.05,0.1,0.2`) or a config-file array into its items, in the given
 * order, without duplicates. Numbers are parsed when `numeric`.
 */
export function parseList(flag: string, raw: unknown, numeric: true): number[];
export function parseList(flag: string, raw: unknown, numeric: false): string[];
export function parseList(flag: string, raw: unknown, numeric: boolean): Array<number | string> {
  const items: unknown[] = Array.isArray(raw) ? raw.flatMap((x) => (typeof x === 'string' ? x.split(',') : [x])) : typeof raw === 'string' ? raw.split(',') : [raw];
  const out: Array<number | string> = [];
  for (const item of items) {
    const s = typeof item === 'string' ? item.trim() : item;
    if (s === '') throw new ConfigError(flag, `has an empty item in ${JSON.stringify(raw)}`);
    let v: number | string;
    if (numeric) {
      v = typeof s === 'number' ? s : typeof s === 'string' ? Number(s) : NaN;
      if (!Number.isFinite(v)) throw new ConfigError(flag, `must be a number or a comma-separated list of numbers; found ${JSON.stringify(item)}`);
    } else {
      if (typeof s !== 'string') throw new ConfigError(flag, `must be a name or a comma-separated list of names; found ${JSON.stringify(item)}`);
      v = s;
    }
    if (!out.includes(v)) out.push(v);
  }
  return out;
}
