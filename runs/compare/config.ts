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
 * `places`: where the config file gives each of its keys (`cfg.json:3: commission`, `cfg.json:41: staking.commission`);
 * with them, a file's value that fails its own rule is named there rather than by its flag.
 */
export function resolveCompareOptions(flags: Readonly<Record<string, unknown>>, file: Readonly<Record<string, unknown>> = {}, places?: ReadonlyMap<string, string>): CompareOptions {
  file = withoutOverriddenAlternatives(file, flags, [['stakingApr', 'stakingSeries']]);
  const merged: Record<string, unknown> = { ...COMPARE_DEFAULTS };
  for (const layer of [file, flags]) for (const k of COMPARE_KEYS) if (layer[k] !== undefined) merged[k] = layer[k];
  const c = merged as unknown as CompareOptions;
  // A value that fails its own rule is named where it was given: the flag, or the config file's line and key.
  const where = (key: keyof CompareOptions): string => (flags[key] === undefined && file[key] !== undefined ? places?.get(key) : undefined) ?? flagName(key);
  const num = (key: keyof CompareOptions, ok: (v: number) => boolean, rule: string): void => {
    const v = merged[key];
    // (NaN and ±Infinity as themselves: JSON.stringify shows them as null)
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new ConfigError(where(key), `${rule}; was ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`);
  };
  const str = (key: keyof CompareOptions): void => {
    const v = merged[key];
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ConfigError(where(key), `must be a file path; was ${JSON.stringify(v)}`);
  };
  if (c.stakingApr !== undefined) num('stakingApr', (v) => v > -365, 'must be a fraction > -365 (0.04 = 4 % a year; negative models a net loss)');
  str('stakingSeries');
  str('lstSeries');
  if (c.stakingApr !== undefined && c.stakingSeries !== undefined) {
    throw new ConfigError('--staking-apr', 'give either --staking-apr or --staking-series, not both');
  }
  if (!COMPOUNDING_MODES.includes(c.compounding)) throw new ConfigError(where('compounding'), `must be one of ${COMPOUNDING_MODES.join(', ')}; was ${JSON.stringify(c.compounding)}${didYouMean(String(c.compounding), COMPOUNDING_MODES)}`);
  num('commission', (v) => v >= 0 && v < 1, 'must be a fraction in [0, 1) (0.1 = the provider keeps 10 % of rewards)');
  num('unbondingDays', (v) => v >= 0, 'must be ≥ 0 (days)');
  if (c.lstPair !== undefined && (typeof c.lstPair !== 'string' || c.lstPair === '')) throw new ConfigError(where('lstPair'), `must be a pair such as STETH/ETH; was ${JSON.stringify(c.lstPair)}`);
  if (c.lstPair !== undefined && c.lstSeries === undefined) throw new ConfigError('--lst-pair', 'needs --lst-series FILE');
  if (!LST_ENTRIES.includes(c.lstEntry)) throw new ConfigError(where('lstEntry'), `must be one of ${LST_ENTRIES.join(', ')}; was ${JSON.stringify(c.lstEntry)}`);
  num('paths', (v) => Number.isInteger(v) && v >= 0 && v <= MAX_PATHS, `must be an integer in [0, ${MAX_PATHS}]`);
  if (!SCENARIO_METHODS.includes(c.pathsMethod)) throw new ConfigError(where('pathsMethod'), `must be one of ${SCENARIO_METHODS.join(', ')}; was ${JSON.stringify(c.pathsMethod)}`);
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
 * The compare options of a library call (`compare(config)`'s `config.options`, usually `{ ...COMPARE_DEFAULTS, … }`)
 * checked as the CLI checks its flags: an unknown key is refused with a "did you mean" hint (`where`: what names the
 * object), a value the CLI refuses (`paths: -1` or `1.5`: `--paths: must be an integer in [0, 100000]`) is refused with
 * its message, and so is a setting that would be ignored (`pathsMethod` without `paths`). A key at its default is not
 * given; a key left out takes its default. The resolved options.
 */
export function checkCompareOptions(options: Readonly<Record<string, unknown>>, where = 'compare: options'): CompareOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ConfigError(where, `must be an object of compare options ({ ...COMPARE_DEFAULTS, stakingApr: 0.04 }); was ${JSON.stringify(options) ?? String(options)}`);
  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (!(COMPARE_KEYS as readonly string[]).includes(k)) throw new ConfigError(where, `unknown key "${k}"${didYouMean(k, COMPARE_KEYS)}`);
    if (v !== undefined && v !== COMPARE_DEFAULTS[k as keyof CompareOptions]) given[k] = v;
  }
  return resolveCompareOptions(given);
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

/**
 * The keys of a comparison's summary.json `config` that are not flags: `strategies`, `widths`, `staking` and
 * `whatIf` (runs/compare/compare.ts writes them). Given back as --config, they read as the flags they came from
 * ({@link unfoldResolvedCompareConfig}).
 */
export const RESOLVED_COMPARE_KEYS = ['strategies', 'widths', 'staking', 'whatIf'] as const;

/** `staking` in summary.json's config: its keys and the compare keys (flags) they came from. */
const STAKING_KEYS: Readonly<Record<string, keyof CompareOptions>> = {
  apr: 'stakingApr',
  aprSeries: 'stakingSeries',
  compounding: 'compounding',
  commission: 'commission',
  unbondingDays: 'unbondingDays',
  lstSeries: 'lstSeries',
  lstEntry: 'lstEntry',
};

/** `whatIf` in summary.json's config: its keys and the compare keys (flags) they came from. */
const WHAT_IF_KEYS: Readonly<Record<string, keyof CompareOptions>> = {
  paths: 'paths',
  method: 'pathsMethod',
  volatility: 'pathsVolatility',
  drift: 'pathsDrift',
  blockSteps: 'blockSteps',
};

/** The keys of the file objects `staking.aprSeries` and `staking.lstSeries` (the series' provenance as written). */
const SERIES_KEYS: Readonly<Record<'aprSeries' | 'lstSeries', readonly string[]>> = { aprSeries: ['file', 'kind', 'rows'], lstSeries: ['file', 'pair', 'rows'] };

/** A key as written (unbonding-days or unbondingDays) in camelCase, as runs/config.ts reads a config file's keys. */
function camel(raw: string): string {
  return raw.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A comparison's resolved config (summary.json's `config`) given back as a --config file: its keys that are not flags
 * ({@link RESOLVED_COMPARE_KEYS}) become the keys of the flags they came from, so the file reruns the comparison:
 * - `strategies` → `strategy` (the list), `widths` → `width` (the list). `widths` is not given when empty (no strategy
 *   had a width) or when it is the file's numeric `params.width` (which gave it);
 * - `staking` → `stakingApr`, `stakingSeries` (its `file`), `compounding`, `commission`, `unbondingDays`, `lstSeries`
 *   (its `file`) and `lstPair` (its `pair`), `lstEntry`;
 * - `whatIf` → `paths`, `pathsMethod`, `pathsVolatility`, `pathsDrift`, `blockSteps`; one at its default is not
 *   given (the resolved config writes every one, including those that apply only with paths or another method).
 * `null` is not given, as everywhere in a config file. Every other key is passed on as it is (checked by the caller).
 * A key given both ways (`compounding` and `staking.compounding`), an unknown key inside these objects or a value of
 * the wrong shape is refused as `place(path): …`, `place` naming a key path as written (`cfg.json:41: staking.apr`).
 * Returns the file's keys (the unfolded ones in camelCase) and, for each unfolded key, where the file gives it.
 */
export function unfoldResolvedCompareConfig(
  file: Readonly<Record<string, unknown>>,
  place: (path: readonly string[]) => string,
): { values: Record<string, unknown>; places: Map<string, string> } {
  const values: Record<string, unknown> = {};
  const places = new Map<string, string>();
  const rawOf = new Map<string, string>(); // camelCase key → the raw top-level key that gives it
  for (const raw of Object.keys(file)) if (!rawOf.has(camel(raw))) rawOf.set(camel(raw), raw);
  const resolved = new Set<string>(RESOLVED_COMPARE_KEYS);
  for (const [raw, v] of Object.entries(file)) if (!resolved.has(camel(raw))) values[raw] = v;

  /** Sets flag key `key` from the key path `path` of the file, refusing a key the file also gives as itself. */
  const give = (key: string, path: readonly string[], v: unknown): void => {
    const also = rawOf.get(key);
    if (also !== undefined) {
      if (file[also] !== null && file[also] !== undefined) throw new ConfigError(place(path), `sets what "${also}" sets; give one of them`);
      delete values[also]; // a null (not given) beside it
    }
    values[key] = v;
    places.set(key, place(path));
  };
  const top = (name: (typeof RESOLVED_COMPARE_KEYS)[number]): { raw: string; v: unknown } | undefined => {
    const raw = rawOf.get(name);
    return raw === undefined || file[raw] === null || file[raw] === undefined ? undefined : { raw, v: file[raw] };
  };
  /** The entries of an object key, refusing an unknown or repeated (both spellings) key inside it. */
  const entriesOf = (raw: string, v: unknown, known: readonly string[], what: string): Array<[string, string, unknown]> => {
    if (!isObject(v)) throw new ConfigError(place([raw]), `must be an object of ${what} (as summary.json's config writes it); was ${JSON.stringify(v)}`);
    const seen = new Map<string, string>();
    const out: Array<[string, string, unknown]> = [];
    for (const [sub, sv] of Object.entries(v)) {
      const k = camel(sub);
      if (!known.includes(k)) throw new ConfigError(place([raw]), `unknown key "${sub}"${didYouMean(k, known)}`);
      if (seen.has(k)) throw new ConfigError(place([raw, sub]), `"${seen.get(k)!}" and "${sub}" are the same key; give it once`);
      seen.set(k, sub);
      if (sv !== null) out.push([k, sub, sv]);
    }
    return out;
  };

  const strategies = top('strategies');
  if (strategies !== undefined) {
    const v = strategies.v;
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string' && s.trim() !== '')) {
      throw new ConfigError(place([strategies.raw]), `must be a list of strategy names or module paths (["full-range", "range"]); was ${JSON.stringify(v)}`);
    }
    give('strategy', [strategies.raw], v);
  }

  const widths = top('widths');
  if (widths !== undefined) {
    const v = widths.v;
    if (!Array.isArray(v) || !v.every((w) => typeof w === 'number' && Number.isFinite(w) && w > 0)) {
      throw new ConfigError(place([widths.raw]), `must be a list of range widths > 0 ([0.05, 0.1]; [] for none); was ${JSON.stringify(v)}`);
    }
    // [] : no strategy had a width; [W] with params.width W: the width the strategy's parameter gave, not a --width
    const params = file[rawOf.get('params') ?? 'params'];
    const paramWidth = isObject(params) ? params.width : undefined;
    const fromParam = v.length === 1 && paramWidth !== undefined && paramWidth !== null && paramWidth !== '' && Number(paramWidth) === v[0];
    if (v.length > 0 && !fromParam) give('width', [widths.raw], v);
  }

  const staking = top('staking');
  if (staking !== undefined) {
    for (const [k, sub, v] of entriesOf(staking.raw, staking.v, Object.keys(STAKING_KEYS), 'staking settings')) {
      const key = STAKING_KEYS[k]!;
      if (k === 'aprSeries' || k === 'lstSeries') {
        // written as the loaded series' provenance ({file, kind|pair, rows}); a path alone is read too
        let path = v;
        if (isObject(v)) {
          const known = SERIES_KEYS[k];
          for (const fk of Object.keys(v)) if (!known.includes(fk)) throw new ConfigError(place([staking.raw, sub]), `unknown key "${fk}"${didYouMean(fk, known)}`);
          path = v.file;
          if (k === 'lstSeries' && v.pair !== undefined && v.pair !== null) {
            if (typeof v.pair !== 'string' || v.pair === '') throw new ConfigError(place([staking.raw, sub, 'pair']), `must be a pair such as STETH/ETH; was ${JSON.stringify(v.pair)}`);
            give('lstPair', [staking.raw, sub, 'pair'], v.pair);
          }
        }
        if (typeof path !== 'string' || path === '') throw new ConfigError(place([staking.raw, sub]), `must be a file path, or an object with its "file"; was ${JSON.stringify(v)}`);
        give(key, [staking.raw, sub], path);
      } else give(key, [staking.raw, sub], v);
    }
  }

  const whatIf = top('whatIf');
  if (whatIf !== undefined) {
    for (const [k, sub, v] of entriesOf(whatIf.raw, whatIf.v, Object.keys(WHAT_IF_KEYS), 'what-if settings')) {
      const key = WHAT_IF_KEYS[k]!;
      if (v !== COMPARE_DEFAULTS[key]) give(key, [whatIf.raw, sub], v);
    }
  }
  return { values, places };
}
