import { ConfigError, didYouMean } from '../sim/core/errors.ts';
import { windowBoundMs } from '../data/loaders/window.ts';
import { MAX_GAS_PRICE_GWEI } from '../data/loaders/gasSeries.ts';
import { groupThousands } from '../sim/core/format.ts';
import { readFileSync } from 'node:fs';
import { jsonFieldLine, stripBom } from '../data/loaders/jsonText.ts';
import { checkMiningSettings, parseInlineProgram, placeInlineProgram } from './incentives/index.ts';

/** Default background depth per unit of capital (see `poolLiquidity`). */
export const DEFAULT_DEPTH_PER_CAPITAL = 20_000;

/** The background depth of a run: `poolLiquidity`, or by default 20,000 × capital. */
export function poolDepthOf(c: { readonly poolLiquidity: number | undefined; readonly capital: number }): number {
  return c.poolLiquidity ?? c.capital * DEFAULT_DEPTH_PER_CAPITAL;
}

/**
 * Everything a backtest run is configured by. Keys match the CLI flags in camelCase (`--pool-liquidity` →
 * `poolLiquidity`) and the keys of a `--config` JSON file. Merged as {@link BACKTEST_DEFAULTS} < config file <
 * flags; the resolved object is written into summary.json as `config`.
 */
export interface BacktestConfig {
  /** Price series file (CSV or Arrow); undefined = the built-in synthetic series (GBM seeded with `seed`). */
  prices: string | undefined;
  /** Input format: auto, csv, arrow, freqtrade, cryptocompare, uniswap-minute, uniswap-events. */
  format: string;
  /** Pair to select from a long-format file with a `pair` column (e.g. ETH/USD). */
  pair: string | undefined;
  /** Gap policy for missing rows: error, skip, ffill; undefined = the loader's default (error; skip for pool-event files). */
  gaps: string | undefined;
  /** Uniswap files: which token's price to read (token1 = ETH in USDC for USDC/WETH) and the tokens' decimals. */
  priceOf: string | undefined;
  decimals0: number | undefined;
  decimals1: number | undefined;
  /** Resample the series to this interval before the run (e.g. 1h), OHLC-aware. */
  resample: string | undefined;
  /** Divide the series by this file's prices on matching timestamps (e.g. BTC/USD ÷ ETH/USD = BTC/ETH). */
  divideBy: string | undefined;
  /** The pair of the `divideBy` file when it holds several (a long-format CSV); default `pair`. */
  divideByPair: string | undefined;
  /** Window of the series (ISO-8601 or unix seconds; a bare date as `to` is the whole day), applied before the gap check. */
  from: string | undefined;
  to: string | undefined;
  pool: 'v2' | 'v3';
  /** LP fee as a fraction: 0.003 = 0.30 %. */
  fee: number;
  /** v3 tick spacing; undefined = the fee tier's standard spacing (100→1, 500→10, 3000→60, 10000→200). */
  tickSpacing: number | undefined;
  /** Built-in strategy name or a path to a user strategy module. */
  strategy: string;
  /** Range half-width for range strategies: [P0/(1+W), P0·(1+W)]; undefined = the strategy's default (0.1 for the built-ins). Refused for a strategy without a width. */
  width: number | undefined;
  /** LP capital in quote units, split to the position's token ratio at the start through the pool. */
  capital: number;
  /**
   * Other LPs' liquidity, valued in quote at the first price (full range). Default: 20,000 × capital, a depth at
   * which the LP's entry swap (at most half the capital) moves the price < 1 bp, so the hold benchmark is the market split.
   */
  poolLiquidity: number | undefined;
  /** A JSON file describing a background liquidity distribution for v3 (see README). */
  poolLiquidityFile: string | undefined;
  seed: number;
  /** Use the exact bigint pool end to end (slower). */
  exact: boolean;
  /** Gas price in gwei; 0 = no gas. Gas is paid in the base asset (ETH-like) valued at the market price. */
  gasPrice: number;
  /** Gas price over time: CSV `timestamp,gwei`, looked up as of each action (replaces `gasPrice`). */
  gasPriceSeries: string | undefined;
  /** A gas series that starts after the run: `fill` (its first value back-filled, with a warning) or `error`. */
  gasBefore: 'fill' | 'error';
  /** The native token's price in quote over time (any price file); default: the market price of base. */
  nativePriceSeries: string | undefined;
  /**
   * Where the LP's fees come from: `arbitrage` (ammsim's own simulated traders), `volume` (the series'
   * observed pool volume × fee × the LP's share of in-range liquidity), `replay` (the pool's real swap events
   * through the exact v3 pool with the LP inserted), or `all` (the three side by side in summary.json).
   */
  feeModel: 'arbitrage' | 'volume' | 'replay' | 'all';
  /** Pool-events CSV for the `replay` fee model; default: `prices` when it is a pool-events file. */
  feeEvents: string | undefined;
  /** Arbitrageur on/off. */
  arbitrage: boolean;
  /** Noise trades per step (Poisson mean); 0 = none. */
  noiseRate: number;
  /** Mean noise trade size in quote units (log-normal, σ = 1). */
  noiseSize: number;
  /** When > 0 and the series has a `volume` column (base units), noise trades this fraction of it per step instead. */
  noiseVolumeShare: number;
  /** Extra strategy parameters (from `--param key=value` or the config file's `params`). */
  params: Readonly<Record<string, number | string | boolean>>;
  /** Rebalance strategy: steps the price must stay out of range before re-centring. */
  rebalanceDelay: number;
  /** Write timeseries.csv too. */
  csv: boolean;
  /** Liquidity-mining programs: paths to program JSON files (`--incentive`, repeatable) or program objects. */
  incentives: readonly unknown[] | undefined;
  /** Harvest policy: never, interval, threshold, or a path to a module. */
  harvest: string;
  /** The harvest policy's parameters (`--harvest-param key=value`). */
  harvestParams: Readonly<Record<string, number | string | boolean>>;
  /** The reward token's price: a number, a price file, gbm:sigma=…,rho=…,mu=…, decay:linear:f, decay:exp:r, crash:d@time. Default 1. */
  rewardPrice: string | number | undefined;
  /** The reward price at the first step of a gbm / decay / crash path (default 1). */
  rewardPriceStart: number | undefined;
  /** The reward/quote pool's value in quote (default 1,000,000): selling rewards pays its slippage. */
  rewardPoolLiquidity: number | undefined;
  /** Fractions of each claim paid as the vault's performance fee and as the harvest caller's fee. */
  performanceFee: number;
  callerFee: number;
}

/** The liquidity-mining keys: written into summary.json's config only when the run has programs. */
export const INCENTIVE_KEYS = ['incentives', 'harvest', 'harvestParams', 'rewardPrice', 'rewardPriceStart', 'rewardPoolLiquidity', 'performanceFee', 'callerFee'] as const;

export const BACKTEST_DEFAULTS: Readonly<BacktestConfig> = Object.freeze({
  prices: undefined,
  format: 'auto',
  pair: undefined,
  gaps: undefined,
  priceOf: undefined,
  decimals0: undefined,
  decimals1: undefined,
  resample: undefined,
  divideBy: undefined,
  divideByPair: undefined,
  from: undefined,
  to: undefined,
  pool: 'v2',
  fee: 0.003,
  tickSpacing: undefined,
  strategy: 'full-range',
  width: undefined,
  capital: 10_000,
  poolLiquidity: undefined,
  poolLiquidityFile: undefined,
  seed: 42,
  exact: false,
  gasPrice: 0,
  gasPriceSeries: undefined,
  gasBefore: 'fill',
  nativePriceSeries: undefined,
  feeModel: 'arbitrage',
  feeEvents: undefined,
  arbitrage: true,
  noiseRate: 0,
  noiseSize: 1_000,
  noiseVolumeShare: 0,
  params: Object.freeze({}),
  rebalanceDelay: 0,
  csv: false,
  incentives: undefined,
  harvest: 'never',
  harvestParams: Object.freeze({}),
  rewardPrice: undefined,
  rewardPriceStart: undefined,
  rewardPoolLiquidity: undefined,
  performanceFee: 0,
  callerFee: 0,
});

/** The values of `feeModel`. */
export const FEE_MODELS = ['arbitrage', 'volume', 'replay', 'all'] as const;

const KEYS = Object.keys(BACKTEST_DEFAULTS) as (keyof BacktestConfig)[];

function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** The keys whose value is one string (not empty), with what it names. */
const STRING_KEYS: ReadonlyArray<readonly [keyof BacktestConfig, string]> = [
  ['prices', 'a file path'],
  ['format', 'a format name (auto, csv, arrow, freqtrade, cryptocompare, uniswap-minute, uniswap-events)'],
  ['pair', 'a pair name such as ETH/USD'],
  ['gaps', 'error, skip or ffill'],
  ['priceOf', 'token0 or token1'],
  ['resample', 'an interval such as 1h or 1d'],
  ['divideBy', 'a file path'],
  ['divideByPair', 'a pair name such as ETH/USD'],
  ['poolLiquidityFile', 'a file path'],
  ['gasPriceSeries', 'a file path'],
  ['nativePriceSeries', 'a file path'],
  ['feeEvents', 'a file path'],
];

/** A value as an error message shows it. */
function was(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** Config key (camelCase) → `file:line: key` (the key as the file spells it), from the lines of a config file's keys. */
function fileKeyPlaces(fileName: string, keyLines: ReadonlyMap<string, number> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [raw, line] of keyLines ?? []) out.set(camelKey(raw), `${fileName}:${line}: ${raw}`);
  return out;
}

/** A config key as written (gas-price or gasPrice) in camelCase. */
function camelKey(raw: string): string {
  return raw.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * A config file gives `key` when it holds a value other than the default: a resolved config (summary.json's, which
 * writes every key) given back as --config states the defaults without asking for anything.
 */
function fileGives(file: Readonly<Record<string, unknown>>, key: keyof BacktestConfig): boolean {
  return file[key] !== undefined && file[key] !== BACKTEST_DEFAULTS[key];
}

function refuseIdleGasBefore(): never {
  throw new ConfigError('--gas-before', 'applies to a gas-price or native-price series; give --gas-price-series FILE (or leave --gas-before out)');
}

/**
 * `--gas-before` given (as a flag or a --config key: `flags` / `file` as {@link resolveBacktestConfig} takes them) with
 * no gas-price or native-price series is refused, `fill` included: fill is the default, so the resolved config alone
 * cannot tell it was given. For the CLI's config builders, where the layers are still apart.
 */
export function refuseGasBeforeWithoutSeries(flags: Readonly<Record<string, unknown>>, file: Readonly<Record<string, unknown>>, c: BacktestConfig): void {
  if ((flags.gasBefore !== undefined || fileGives(file, 'gasBefore')) && c.gasPriceSeries === undefined && c.nativePriceSeries === undefined) refuseIdleGasBefore();
}

/**
 * `--noise-size` given (flag or --config key) with no noise trades (`--noise-rate` 0) is refused, the default size
 * included (resolveBacktestConfig alone refuses only a size other than the default). For the CLI's config builders of
 * a whole run (not a sweep's base, which lacks its axes: a --noise-rate list).
 */
export function refuseNoiseSizeWithoutRate(flags: Readonly<Record<string, unknown>>, file: Readonly<Record<string, unknown>>, c: BacktestConfig): void {
  if ((flags.noiseSize !== undefined || fileGives(file, 'noiseSize')) && c.noiseRate === 0) throw new ConfigError('--noise-size', 'sizes noise trades; it needs --noise-rate > 0');
}

/**
 * Merges defaults < `file` (a parsed --config object) < `flags`, and validates every value. Unknown keys are
 * rejected with a "did you mean" hint. `undefined` in a layer means "not given". `keyLines`: the line of each of the
 * file's keys as written (data/loaders/jsonText.ts topLevelKeyLines); with them, a file's value that fails its own
 * rule is named `file:line: key` rather than by its flag.
 */
export function resolveBacktestConfig(
  flags: Readonly<Record<string, unknown>>,
  file: Readonly<Record<string, unknown>> = {},
  fileName = '--config',
  keyLines?: ReadonlyMap<string, number>,
): BacktestConfig {
  file = withoutOverriddenAlternatives(configFileKeys(file, KEYS, fileName, keyLines === undefined ? {} : { lines: keyLines }), flags, [['gasPrice', 'gasPriceSeries']]);
  const merged: Record<string, unknown> = { ...BACKTEST_DEFAULTS };
  for (const layer of [file, flags]) {
    for (const k of KEYS) if (layer[k] !== undefined) merged[k] = layer[k];
  }
  const c = merged as unknown as BacktestConfig;
  const places = fileKeyPlaces(fileName, keyLines);
  // A value that fails its own rule is named where it was given: the flag, or the config file's line and key.
  const bad: Bad = (key, problem, flag = flagName(key)) => {
    const place = flags[key] === undefined && file[key] !== undefined ? places.get(key) : undefined;
    throw new ConfigError(place ?? flag, problem);
  };
  const num = (key: keyof BacktestConfig, ok: (v: number) => boolean, rule: string): void => {
    const v = merged[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) bad(key, `${rule}; was ${was(v)}`);
  };
  if (!(FEE_MODELS as readonly unknown[]).includes(c.feeModel)) bad('feeModel', `must be one of ${FEE_MODELS.join(', ')}; was ${was(c.feeModel)}`);
  for (const [k, what] of STRING_KEYS) {
    if (c[k] !== undefined && (typeof c[k] !== 'string' || c[k] === '')) bad(k, `must be ${what}; was ${was(c[k])}`);
  }
  for (const k of ['from', 'to'] as const) {
    if (c[k] !== undefined && !((typeof c[k] === 'string' && c[k] !== '') || typeof c[k] === 'number')) bad(k, `must be an ISO-8601 date or time (2022-01-01, 2022-01-01T12:00:00Z) or unix seconds; was ${was(c[k])}`);
  }
  // Data options that cannot act on the built-in synthetic series (hourly, no gaps) are refused.
  if (c.prices === undefined && c.format !== BACKTEST_DEFAULTS.format) throw new ConfigError('--format', 'reads the --prices file; the prices are the synthetic series (no --prices)');
  if (c.divideByPair !== undefined && c.divideBy === undefined) throw new ConfigError('--divide-by-pair', 'selects the pair of the --divide-by file; give --divide-by FILE');
  if (c.prices === undefined && c.gaps !== undefined) throw new ConfigError('--gaps', 'fills or skips missing rows of the --prices file; the synthetic series (no --prices) has none');
  for (const k of ['decimals0', 'decimals1'] as const) if (c[k] !== undefined) num(k, (v) => Number.isInteger(v) && v >= 0 && v <= 77, 'must be an integer from 0 to 77');
  if (c.priceOf !== undefined && c.priceOf !== 'token0' && c.priceOf !== 'token1') bad('priceOf', `must be token0 or token1; was ${was(c.priceOf)}`);
  if (c.pool !== 'v2' && c.pool !== 'v3') bad('pool', `must be v2 or v3; was ${was(c.pool)}`);
  num('fee', (v) => v >= 0 && v < 1, 'must be a fraction in [0, 1) (0.003 = 0.30 %)');
  if (c.width !== undefined) num('width', (v) => v > 0, 'must be > 0 (0.1 = a range of P0/1.1 .. P0·1.1)');
  // an upper bound keeps the pool's default depth (20,000 × capital) and every amount finite
  num('capital', (v) => v > 0 && v <= 1e15, 'must be > 0 and ≤ 1e15 (quote units)');
  // Left undefined when not given: the depth then follows the capital (poolDepthOf), also when capital is swept.
  if (c.poolLiquidity !== undefined) num('poolLiquidity', (v) => v > 0, 'must be > 0 (quote units): the LP\'s capital is split through the pool, which needs other liquidity');
  if (c.gasBefore !== 'fill' && c.gasBefore !== 'error') bad('gasBefore', `must be fill or error; was ${was(c.gasBefore)}`);
  if (c.gasBefore === 'error' && c.gasPriceSeries === undefined && c.nativePriceSeries === undefined) refuseIdleGasBefore();
  for (const k of ['from', 'to'] as const) if (c[k] !== undefined) c[k] = String(c[k]);
  if (c.from !== undefined && c.to !== undefined && windowBoundMs(c.from, 'from') >= windowBoundMs(c.to, 'to')) throw new ConfigError('--to', `must be after --from (${c.from}); was ${c.to}`);
  else for (const k of ['from', 'to'] as const) if (c[k] !== undefined) windowBoundMs(c[k]!, k);
  // Flags that cannot act in this configuration are refused, never ignored.
  if (c.pool === 'v2') {
    if (c.poolLiquidityFile !== undefined) throw new ConfigError('--pool-liquidity-file', 'describes v3 liquidity by range; it needs --pool v3 (a v2 pool is full range: use --pool-liquidity)');
    if (c.tickSpacing !== undefined) throw new ConfigError('--tick-spacing', 'is a v3 setting; it needs --pool v3');
    if (c.feeModel === 'volume' || c.feeModel === 'replay') throw new ConfigError('--fee-model', `${c.feeModel} prices positions on a real v3 pool's ticks; it needs --pool v3 (a full-range v3 position is the v2 position)`);
  }
  if (c.poolLiquidityFile !== undefined && c.poolLiquidity !== undefined) {
    throw new ConfigError('--pool-liquidity', 'and --pool-liquidity-file both set the background liquidity; give one');
  }
  if (c.feeEvents !== undefined && c.feeModel !== 'replay' && c.feeModel !== 'all') throw new ConfigError('--fee-events', `feeds the replay fee model; it needs --fee-model replay or all (was ${c.feeModel})`);
  if (c.gasPriceSeries !== undefined && c.gasPrice !== 0) throw new ConfigError('--gas-price', `${c.gasPrice} gwei beside --gas-price-series, which prices every action instead; give one of them`);
  if (c.nativePriceSeries !== undefined && c.gasPrice === 0 && c.gasPriceSeries === undefined) throw new ConfigError('--native-price-series', 'values gas; with no gas (--gas-price 0 and no --gas-price-series) it would change nothing');
  // Under --fee-model volume / replay the LP earns what the real pool's volume or swaps pay it, not what simulated
  // traders pay the simulated pool: noise traders would only push its price off the series', and the arbitrageur is
  // what keeps it on the series' price (so the LP's position follows the price). `all` keeps the simulated traders' fees.
  if (c.feeModel === 'volume' || c.feeModel === 'replay') {
    const why = `under --fee-model ${c.feeModel} the LP's fees come from ${c.feeModel === 'volume' ? "the series' observed pool volume" : "the pool's replayed swaps"}, not from simulated traders`;
    const noise = ([['noiseRate', c.noiseRate > 0], ['noiseVolumeShare', c.noiseVolumeShare > 0], ['noiseSize', c.noiseSize !== BACKTEST_DEFAULTS.noiseSize]] as const).find(([, given]) => given);
    if (noise !== undefined) throw new ConfigError(flagName(noise[0]), `${why}: noise trades would only push the simulated pool's price off the series'; leave it out (or use --fee-model arbitrage or all)`);
    if (c.arbitrage === false) throw new ConfigError('--no-arbitrage', `${why}; the arbitrageur only keeps the simulated pool at the series' price, and without it the LP's position would not follow the price; leave it out`);
  }
  if (c.noiseSize !== BACKTEST_DEFAULTS.noiseSize && c.noiseRate === 0) throw new ConfigError('--noise-size', 'sizes noise trades; it needs --noise-rate > 0');
  num('seed', (v) => Number.isSafeInteger(v), 'must be an integer');
  num('gasPrice', (v) => v >= 0 && v <= MAX_GAS_PRICE_GWEI, `must be in [0, ${groupThousands(String(MAX_GAS_PRICE_GWEI))}] gwei (a price in wei is 10^9 times too large)`);
  num('noiseRate', (v) => v >= 0 && v <= 1000, 'must be in [0, 1000] trades per step');
  num('noiseSize', (v) => v > 0, 'must be > 0 (quote units)');
  num('noiseVolumeShare', (v) => v >= 0 && v <= 1, 'must be a fraction in [0, 1]');
  num('rebalanceDelay', (v) => Number.isInteger(v) && v >= 0, 'must be an integer ≥ 0 (steps)');
  // the pools' bound (a uint24 spacing below 16384, as Uniswap's factory requires)
  if (c.tickSpacing !== undefined) num('tickSpacing', (v) => Number.isInteger(v) && v >= 1 && v <= 16383, 'must be an integer in [1, 16383]');
  if (typeof c.strategy !== 'string' || c.strategy === '') bad('strategy', 'must be a strategy name or a path to a .ts/.js module');
  if (typeof c.params !== 'object' || c.params === null || Array.isArray(c.params)) bad('params', `must be key=value pairs (in a config file, an object of name: value); was ${was(c.params)}`, '--param');
  for (const b of ['exact', 'arbitrage', 'csv'] as const) {
    if (typeof merged[b] !== 'boolean') bad(b, `must be true or false; was ${was(merged[b])}`);
  }
  // where the file gives a key (not overridden by a flag), the place of a field inside it: `cfg.json:6: incentives[1].total`
  const fileOnly = (key: keyof BacktestConfig): boolean => flags[key] === undefined && file[key] !== undefined && keyLines !== undefined;
  const nested: NestedPlace = (key, path) => (fileOnly(key) ? fileFieldPlace(fileName, keyLines!, key, path) : undefined);
  validateIncentiveKeys(c, num, bad, nested);
  return c;
}

/** `<file>:<line>: <path>` of a field inside a key the config file gives (`incentives[1].total`), else undefined. */
type NestedPlace = (key: keyof BacktestConfig, path: string) => string | undefined;

/**
 * `<file>:<line>: <path>` of a field inside the config file's key `key` (`path` starts with it: `incentives[1].total`,
 * `harvestParams.every`), as the file spells the key: the line of the innermost part of the path found in the file
 * (in a summary.json, under its `config`), else the key's own line. The file, read and parsed already, is read again
 * for its text, only when an error is to be named.
 */
function fileFieldPlace(fileName: string, keyLines: ReadonlyMap<string, number>, key: string, path: string): string {
  const raw = [...keyLines.keys()].find((k) => camelKey(k) === key) ?? key;
  const spelled = raw + path.slice(key.length);
  let text = '';
  try {
    text = stripBom(readFileSync(fileName, 'utf8'));
  } catch {
    // the line of the key then
  }
  const line = jsonFieldLine(text, spelled) ?? jsonFieldLine(text, `config.${spelled}`) ?? keyLines.get(raw);
  return `${fileName}${line === undefined ? '' : `:${line}`}: ${spelled}`;
}

/** The config key of a mining flag as a ConfigError names it (`--harvest-param every` → harvestParams, `every`). */
function miningKeyOf(flag: string): { key: keyof BacktestConfig; param?: string } | undefined {
  const m = /^--(harvest|harvest-param|reward-price|reward-price-start|reward-pool-liquidity)(?: (\S+))?$/.exec(flag);
  if (m === null) return undefined;
  const key = (m[1] === 'harvest-param' ? 'harvestParams' : camelKey(m[1]!)) as keyof BacktestConfig;
  return m[2] === undefined ? { key } : { key, param: m[2] };
}

/** Throws the error of a value that fails its own rule, naming where it was given (`flag`: its flag, default from the key). */
type Bad = (key: keyof BacktestConfig, problem: string, flag?: string) => never;

/** Liquidity-mining keys: types, ranges, and refusal of every one of them without a program. */
function validateIncentiveKeys(c: BacktestConfig, num: (key: keyof BacktestConfig, ok: (v: number) => boolean, rule: string) => void, bad: Bad, nested: NestedPlace): void {
  if (c.incentives !== undefined) {
    if (!Array.isArray(c.incentives)) c.incentives = [c.incentives];
    for (const x of c.incentives) {
      if (!((typeof x === 'string' && x !== '') || (typeof x === 'object' && x !== null && !Array.isArray(x)))) bad('incentives', `must be a program file path or a program object; was ${JSON.stringify(x)}`, '--incentive');
    }
  }
  const has = c.incentives !== undefined && c.incentives.length > 0;
  if (typeof c.harvest !== 'string' || c.harvest === '') bad('harvest', 'must be a harvest policy name (never, interval, threshold) or a path to a module');
  if (typeof c.harvestParams !== 'object' || c.harvestParams === null || Array.isArray(c.harvestParams)) bad('harvestParams', `must be key=value pairs (in a config file, an object of name: value); was ${was(c.harvestParams)}`, '--harvest-param');
  num('performanceFee', (v) => v >= 0 && v < 1, 'must be a fraction in [0, 1) of each claim');
  num('callerFee', (v) => v >= 0 && v < 1, 'must be a fraction in [0, 1) of each claim');
  if (c.performanceFee + c.callerFee >= 1) throw new ConfigError('--caller-fee', `with --performance-fee must leave the LP part of each claim; together ${c.performanceFee + c.callerFee}`);
  if (c.rewardPriceStart !== undefined) num('rewardPriceStart', (v) => v > 0, 'must be > 0 (quote per reward token)');
  if (c.rewardPoolLiquidity !== undefined) num('rewardPoolLiquidity', (v) => v > 0, 'must be > 0 (quote)');
  if (c.rewardPrice !== undefined && typeof c.rewardPrice !== 'string' && typeof c.rewardPrice !== 'number') bad('rewardPrice', `must be a number, a file or a scenario; was ${JSON.stringify(c.rewardPrice)}`);
  // threshold's gasMultiple compares pending rewards with the claim's gas: with no gas it would claim at every step
  if (c.harvest === 'threshold' && Number(c.harvestParams.gasMultiple) > 0 && c.gasPrice === 0 && c.gasPriceSeries === undefined) {
    throw new ConfigError('--harvest-param gasMultiple', 'compares the pending rewards with the claim\'s gas, and this run pays no gas (--gas-price 0, no --gas-price-series): it would claim at every step; give a gas price, or use value=<quote>');
  }
  if (!has) {
    const d = BACKTEST_DEFAULTS;
    const refuse = (key: string, what: string): never => {
      throw new ConfigError(flagName(key), `${what}; it needs a liquidity-mining program (--incentive FILE.json)`);
    };
    if (c.harvest !== d.harvest) refuse('harvest', 'decides when to claim rewards');
    if (Object.keys(c.harvestParams).length > 0) refuse('harvestParam', 'sets the harvest policy');
    if (c.rewardPrice !== undefined) refuse('rewardPrice', "prices the reward token");
    if (c.rewardPriceStart !== undefined) refuse('rewardPriceStart', "starts the reward token's price path");
    if (c.rewardPoolLiquidity !== undefined) refuse('rewardPoolLiquidity', 'sizes the pool rewards are sold through');
    if (c.performanceFee !== 0) refuse('performanceFee', 'is taken from claimed rewards');
    if (c.callerFee !== 0) refuse('callerFee', 'is taken from claimed rewards');
    return;
  }
  // a program given in the config (an object, not a file): read now, its errors at the file's line
  // (`cfg.json:6: incentives[1].total: …`), also those found later at the run's first price
  c.incentives!.forEach((x, i) => {
    if (typeof x !== 'object' || x === null) return;
    if (nested('incentives', 'incentives') !== undefined) placeInlineProgram(x, (field) => nested('incentives', `incentives[${i}].${field}`)!);
    parseInlineProgram(x, i);
  });
  // the rules that read no file: a built-in policy's parameters and the reward pool, --reward-price and its start; an
  // error about a key the file gives named at its line (`cfg.json:4: rewardPrice: …`)
  try {
    checkMiningSettings(c);
  } catch (err) {
    const k = err instanceof ConfigError ? miningKeyOf(err.flag) : undefined;
    if (k === undefined) throw err;
    const problem = (err as ConfigError).message.slice((err as ConfigError).flag.length + 2);
    const at = nested(k.key, k.param === undefined ? k.key : `${k.key}.${k.param}`);
    if (at === undefined) throw err;
    throw new ConfigError(at, problem);
  }
}

/** The ammsim summary.json files a --config file may be: a backtest's and a comparison's (their `config` is read). */
export type SummaryKind = 'backtest' | 'compare';

/**
 * Which ammsim summary.json a parsed --config file is, if any: an object with a `config` object beside the summary's
 * own keys, `initialValue` and `steps` (numbers) and either `finalValue` (a number: a backtest's, runs/backtest.ts) or
 * `alternatives` (a list of ids: a comparison's, runs/compare/compare.ts). None of these is a config key, so no
 * config file is taken for a summary: a file with a `config` key and not these is a config file (and `config` in it
 * is refused as a command-line flag).
 */
export function summaryKindOf(file: Readonly<Record<string, unknown>>): SummaryKind | undefined {
  const c = file.config;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  if (typeof file.initialValue !== 'number' || typeof file.steps !== 'number') return undefined;
  if (Array.isArray(file.alternatives)) return 'compare';
  if (typeof file.finalValue === 'number') return 'backtest';
  return undefined;
}

/** Output flags a config file might name: they say where and how a command writes, so they stay on its command line. */
const COMMAND_LINE_ONLY: Readonly<Record<string, string>> = {
  out: 'give --out DIR',
  json: 'give --json (backtest, compare)',
};

/** Flags whose config key is another word: `--param k=v` (repeatable) is the key `params` (an object), … */
const KEY_OF_FLAG: Readonly<Record<string, string>> = { param: 'params', harvestParam: 'harvestParams', incentive: 'incentives' };

/** Where a config file's key is, for {@link configFileKeys}' messages. */
export interface ConfigFileContext {
  /** The line of each of the file's keys as written (data/loaders/jsonText.ts topLevelKeyLines). */
  readonly lines?: ReadonlyMap<string, number>;
  /** The flags of the command reading the file (kebab-case, as declared): such a key is said to be one. */
  readonly commandLineFlags?: readonly string[];
}

/**
 * A config file's top-level keys in camelCase: they are the flags' names, spelled as a config key (gasPrice) or as
 * on the command line (gas-price). An unknown key is refused with a "did you mean" hint, a key spelled both ways
 * too; with `context`, at its line (`cfg.json:3: samples: …`), and a flag of the command that is no config key
 * (sweep's --samples) is said to be one rather than matched to a key it only looks like (resample). Used by every
 * command that reads a --config file.
 */
export function configFileKeys(file: Readonly<Record<string, unknown>>, known: readonly string[], fileName: string, context: ConfigFileContext = {}): Record<string, unknown> {
  const camel: Record<string, unknown> = {};
  const spelled = new Map<string, string>();
  for (const [raw, v] of Object.entries(file)) {
    const k = camelKey(raw);
    if (!known.includes(k)) {
      const line = context.lines?.get(raw);
      // with its line, the key is the field (`cfg.json:3: samples: …`); else it is named in the sentence
      const refuse = (problem: string, sentence: string): never => {
        throw new ConfigError(line === undefined ? fileName : `${fileName}:${line}: ${raw}`, line === undefined ? sentence : problem);
      };
      const flag = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const flagOnly = COMMAND_LINE_ONLY[k] ?? (KEY_OF_FLAG[k] === undefined && context.commandLineFlags?.includes(flag) === true ? `give --${flag} on the command line` : undefined);
      if (flagOnly !== undefined) refuse(`is a command-line flag only, not a config key; ${flagOnly}`, `"${raw}" is a command-line flag only; ${flagOnly}`);
      const renamed = KEY_OF_FLAG[k] !== undefined && known.includes(KEY_OF_FLAG[k]) ? `; --${flag}'s config key is "${KEY_OF_FLAG[k]}"` : undefined;
      refuse(`unknown key${renamed ?? didYouMean(k, known)}`, `unknown key "${raw}"${renamed ?? didYouMean(k, known)}`);
    }
    if (spelled.has(k)) throw new ConfigError(fileName, `"${spelled.get(k)!}" and "${raw}" are the same key; give it once`);
    spelled.set(k, raw);
    // null is "not given", as summary.json's resolved config writes an unset key: that config can be given back
    if (v !== null) camel[k] = v;
  }
  return camel;
}

/**
 * The config file's keys less those of any group of alternatives (e.g. gasPrice / gasPriceSeries) of which the flags
 * give one: a flag wins over the file's whole group, so a file's --gas-price is replaced by a --gas-price-series flag
 * rather than refused beside it.
 */
export function withoutOverriddenAlternatives(file: Readonly<Record<string, unknown>>, flags: Readonly<Record<string, unknown>>, groups: ReadonlyArray<readonly string[]>): Record<string, unknown> {
  const out = { ...file };
  for (const g of groups) if (g.some((k) => flags[k] !== undefined)) for (const k of g) delete out[k];
  return out;
}

/** The strategy parameters a config key feeds when the strategy has them (runs/backtest.ts): width, and delay from rebalanceDelay. */
const FED_PARAMS: ReadonlyArray<readonly [keyof BacktestConfig, string]> = [['width', 'width'], ['rebalanceDelay', 'delay']];

/**
 * A config file's keys (camelCase, as {@link configFileKeys} gives them) with `params` less each strategy parameter
 * that `width` or `rebalanceDelay` feeds (`params.width`, `params.delay`) when
 * - the file gives that key the same value: the parameter is what the key fed, as a backtest's summary.json writes
 *   its config (`params` are the parameters the strategy ran with), so the key alone says it; or
 * - `given(key)`: a flag (a --width list, a sweep's axis) sets the key, which wins over the file's parameter as it
 *   wins over the file's key.
 * A parameter of another value with no such flag is kept (and refused beside the key as both setting the width).
 */
export function withoutFedParams(file: Readonly<Record<string, unknown>>, given: (key: keyof BacktestConfig) => boolean): Record<string, unknown> {
  const params = file.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { ...file };
  let kept: Record<string, unknown> | undefined;
  for (const [key, name] of FED_PARAMS) {
    const v = (params as Record<string, unknown>)[name];
    if (v === undefined || !(given(key) || (typeof v === 'number' && v === file[key]))) continue;
    kept ??= { ...(params as Record<string, unknown>) };
    delete kept[name];
  }
  return kept === undefined ? { ...file } : { ...file, params: kept };
}

/** The resolved config as a plain object with a stable key order (for summary.json). */
export function configForOutput(c: BacktestConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const mining = c.incentives !== undefined && c.incentives.length > 0;
  for (const k of KEYS) {
    if (!mining && (INCENTIVE_KEYS as readonly string[]).includes(k)) continue;
    const v = c[k];
    if (k === 'params' || k === 'harvestParams') {
      const p: Record<string, unknown> = {};
      for (const pk of Object.keys(v as object).sort()) p[pk] = (v as Record<string, unknown>)[pk];
      out[k] = p;
    } else out[k] = v === undefined ? null : v;
  }
  return out;
}
