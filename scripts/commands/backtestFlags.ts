import { readFileSync } from 'node:fs';
import type { Options } from 'yargs';
import { BACKTEST_DEFAULTS, configFileKeys, refuseGasBeforeWithoutSeries, refuseNoiseSizeWithoutRate, resolveBacktestConfig, summaryKindOf, withoutFedParams, type BacktestConfig, type SummaryKind } from '../../runs/config.ts';
import { ConfigError, InputError } from '../../sim/core/errors.ts';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { jsonErrorLine, lineAt, repeatedTopLevelKey, stripBom, topLevelKeyLines } from '../../data/loaders/jsonText.ts';
import { BUILTIN_STRATEGIES } from '../../strategies/registry.ts';

const d = BACKTEST_DEFAULTS;

/**
 * The flags shared by `backtest`, `compare` and `sweep`: prices, pool, strategy, traders, gas. No yargs
 * defaults (defaults live in BACKTEST_DEFAULTS and are merged under --config); `defaultDescription` shows
 * them in --help.
 */
export const BACKTEST_FLAGS: Readonly<Record<string, Options>> = {
  prices: { type: 'string', group: 'Data:', describe: 'price series: CSV (timestamp|time|date|datetime, price|close) or Arrow (.arrow/.feather)', defaultDescription: 'built-in synthetic series (GBM, 2000, σ 80 %/yr, hourly, 1 year, seed 42)' },
  format: { type: 'string', group: 'Data:', describe: 'input format: auto, csv, arrow, freqtrade, cryptocompare, uniswap-minute, uniswap-events', defaultDescription: 'auto (by extension, then CSV header)' },
  pair: { type: 'string', group: 'Data:', describe: 'pair to select from a long-format file with a pair column (e.g. ETH/USD)' },
  gaps: { type: 'string', group: 'Data:', describe: 'missing rows: error (stop, naming the gap), skip, or ffill (carry the last price)', defaultDescription: 'error (skip for pool-event files)' },
  'price-of': { type: 'string', group: 'Data:', describe: 'Uniswap files: token1 (price of token1 in token0, e.g. ETH in USDC) or token0', defaultDescription: 'token1' },
  decimals0: { type: 'number', group: 'Data:', describe: "Uniswap files: token0's decimals", defaultDescription: '6 (USDC)' },
  decimals1: { type: 'number', group: 'Data:', describe: "Uniswap files: token1's decimals", defaultDescription: '18 (WETH)' },
  resample: { type: 'string', group: 'Data:', describe: 'resample before the run, e.g. 1h or 1d (close = last, volume summed)' },
  'divide-by': { type: 'string', group: 'Data:', describe: 'divide by this series on matching timestamps (BTC/USD ÷ ETH/USD → BTC/ETH)' },
  'divide-by-pair': { type: 'string', group: 'Data:', describe: 'the pair of the --divide-by file when it holds several (a long-format CSV)', defaultDescription: '--pair' },
  from: { type: 'string', group: 'Data:', describe: 'first time to use (ISO-8601 date/time or unix seconds), applied before the gap check', defaultDescription: 'the first row' },
  to: { type: 'string', group: 'Data:', describe: 'last time to use, inclusive (a bare date means the whole day: --to 2022-12-31 keeps Dec 31)', defaultDescription: 'the last row' },
  pool: { type: 'string', group: 'Pool:', describe: 'pool type: v2 or v3', defaultDescription: d.pool },
  fee: { type: 'number', group: 'Pool:', describe: 'LP fee as a fraction (0.003 = 0.30 %)', defaultDescription: String(d.fee) },
  'tick-spacing': { type: 'number', group: 'Pool:', describe: 'v3 tick spacing', defaultDescription: 'from the fee tier (0.0001→1, 0.0005→10, 0.003→60, 0.01→200)' },
  'pool-liquidity': { type: 'number', group: 'Pool:', describe: "other LPs' full-range liquidity, valued in quote at the first price", defaultDescription: '20,000 × --capital (the entry then moves the price < 1 bp)' },
  'pool-liquidity-file': { type: 'string', group: 'Pool:', describe: 'v3 background liquidity distribution (JSON, see README)' },
  exact: { type: 'boolean', group: 'Pool:', describe: 'use the exact bigint pool end to end (slower)', defaultDescription: String(d.exact) },
  strategy: { type: 'string', group: 'Strategy:', describe: `LP strategy: ${[...BUILTIN_STRATEGIES.keys()].join(', ')}, or a path to a module`, defaultDescription: d.strategy },
  width: { type: 'number', group: 'Strategy:', describe: 'range strategies: the range is [P0/(1+W), P0*(1+W)], snapped outward to ticks (refused for a strategy without a range)', defaultDescription: "the strategy's (0.1)" },
  'rebalance-delay': { type: 'number', group: 'Strategy:', describe: 'rebalance: steps out of range before re-centring', defaultDescription: String(d.rebalanceDelay) },
  param: { type: 'string', array: true, group: 'Strategy:', describe: 'strategy parameter key=value (repeatable)' },
  capital: { type: 'number', group: 'Strategy:', describe: "LP capital in quote units, split to the position's ratio through the pool at the start", defaultDescription: String(d.capital) },
  arbitrage: { type: 'boolean', group: 'Traders:', describe: 'run the arbitrageur (--no-arbitrage to disable)', defaultDescription: String(d.arbitrage) },
  'noise-rate': { type: 'number', group: 'Traders:', describe: 'noise trades per step (Poisson mean); 0 = none', defaultDescription: String(d.noiseRate) },
  'noise-size': { type: 'number', group: 'Traders:', describe: 'mean noise trade size in quote (log-normal)', defaultDescription: String(d.noiseSize) },
  'noise-volume-share': { type: 'number', group: 'Traders:', describe: "trade this fraction of the series' volume column per step as noise", defaultDescription: String(d.noiseVolumeShare) },
  'gas-price': { type: 'number', group: 'Costs:', describe: 'gas price in gwei (paid in the base asset at the market price); 0 = no gas', defaultDescription: String(d.gasPrice) },
  'gas-price-series': { type: 'string', group: 'Costs:', describe: 'gas price over time: CSV timestamp,gwei (as-of lookup at each action; replaces --gas-price)' },
  'gas-before': { type: 'string', group: 'Costs:', describe: 'a gas series that starts after the run: fill (back-fill its first value, with a warning) or error', defaultDescription: 'fill' },
  'native-price-series': { type: 'string', group: 'Costs:', describe: "the gas token's price in quote over time (any price file)", defaultDescription: 'the market price of base' },
  'fee-model': { type: 'string', group: 'Fees:', describe: "LP fees from: arbitrage (ammsim's simulated traders), volume (the series' observed pool volume × fee × L share), replay (real swap events through the exact v3 pool), all (side by side)", defaultDescription: d.feeModel },
  'fee-events': { type: 'string', group: 'Fees:', describe: 'pool-events CSV for --fee-model replay/all', defaultDescription: '--prices when it is a pool-events file' },
  seed: { type: 'number', group: 'Run:', describe: 'random seed (noise traders, synthetic data)', defaultDescription: String(d.seed) },
  config: { type: 'string', group: 'Run:', describe: "JSON file with the same keys as the flags (camelCase), or a backtest's summary.json (its config: reruns the run); flags win" },
};

/**
 * Liquidity-mining flags (`backtest`, `compare`, `sweep`). Every one is refused without an --incentive program.
 */
export const INCENTIVE_FLAGS: Readonly<Record<string, Options>> = {
  incentive: { type: 'string', array: true, group: 'Liquidity mining:', describe: 'a liquidity-mining program JSON file (repeatable): {"kind": "staking-rewards"|"v3-staker"|"masterchef", "token", "total"|"ratePerSecond"|"ratePerBlock", "start", "end", "otherStakedValue", …} (see README)' },
  harvest: { type: 'string', group: 'Liquidity mining:', describe: 'harvest policy: never, interval, threshold, or a path to a module (defineHarvestPolicy)', defaultDescription: d.harvest },
  'harvest-param': { type: 'string', array: true, group: 'Liquidity mining:', describe: 'harvest policy parameter key=value (repeatable): interval every=1d then=hold|sell|compound; threshold value=… or gasMultiple=…' },
  'reward-price': { type: 'string', group: 'Liquidity mining:', describe: "the reward token's price in quote: a number, a price file (as-of), gbm:sigma=0.9,rho=0.6,mu=0, decay:linear:0.2, decay:exp:2, crash:0.5@2021-05-19", defaultDescription: '1' },
  'reward-price-start': { type: 'number', group: 'Liquidity mining:', describe: 'the reward price at the first step of a gbm, decay or crash path', defaultDescription: '1' },
  'reward-pool-liquidity': { type: 'number', group: 'Liquidity mining:', describe: 'value in quote of the reward/quote pool rewards are sold through (slippage)', defaultDescription: '1,000,000' },
  'performance-fee': { type: 'number', group: 'Liquidity mining:', describe: "fraction of each claim taken as the vault's performance fee", defaultDescription: String(d.performanceFee) },
  'caller-fee': { type: 'number', group: 'Liquidity mining:', describe: 'fraction of each claim paid to the harvest caller', defaultDescription: String(d.callerFee) },
};

const FLAG_TO_KEY: Readonly<Record<string, keyof BacktestConfig>> = {
  prices: 'prices', format: 'format', pair: 'pair', gaps: 'gaps', resample: 'resample', 'divide-by': 'divideBy', 'divide-by-pair': 'divideByPair', 'price-of': 'priceOf', decimals0: 'decimals0', decimals1: 'decimals1', pool: 'pool', fee: 'fee', 'tick-spacing': 'tickSpacing', 'pool-liquidity': 'poolLiquidity',
  'pool-liquidity-file': 'poolLiquidityFile', exact: 'exact', strategy: 'strategy', width: 'width',
  'rebalance-delay': 'rebalanceDelay', capital: 'capital', arbitrage: 'arbitrage', 'noise-rate': 'noiseRate',
  'noise-size': 'noiseSize', 'noise-volume-share': 'noiseVolumeShare', 'gas-price': 'gasPrice', seed: 'seed', csv: 'csv',
  'gas-price-series': 'gasPriceSeries', 'native-price-series': 'nativePriceSeries', 'fee-model': 'feeModel', 'fee-events': 'feeEvents',
  from: 'from', to: 'to', 'gas-before': 'gasBefore',
  incentive: 'incentives', harvest: 'harvest', 'reward-price': 'rewardPrice', 'reward-price-start': 'rewardPriceStart',
  'reward-pool-liquidity': 'rewardPoolLiquidity', 'performance-fee': 'performanceFee', 'caller-fee': 'callerFee',
};

/** Parses `key=value` strategy parameters (numbers and booleans typed later against the strategy's defaults). */
export function parseParams(list: readonly string[] | undefined, flag = '--param'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError(flag, `must be key=value; was ${JSON.stringify(item)}`);
    const key = item.slice(0, eq);
    if (Object.hasOwn(out, key)) throw new ConfigError(flag, `${key} is given twice (${key}=${out[key]}, ${item}); give each parameter once`);
    out[key] = item.slice(eq + 1);
  }
  return out;
}

/** Reads a --config JSON file: an object with BacktestConfig keys (or a backtest's summary.json: its `config`). */
export function readConfigFile(file: string): Record<string, unknown> {
  return readConfigFileWithLines(file).values;
}

/** A --config file as read: its config keys and where each is. */
export interface ConfigFileRead {
  /** The config's keys as written (the file's, or its `config` object's when it is a summary.json). */
  readonly values: Record<string, unknown>;
  /** The line of each of those keys in the file. */
  readonly lines: Map<string, number>;
  /** The key path of the config object in the file: [] for a config file, ['config'] for a summary.json. */
  readonly path: readonly string[];
  /** The summary.json the file is, when it is one (runs/config.ts summaryKindOf). */
  readonly summary?: SummaryKind;
}

/** What a command that cannot rerun a summary.json of this kind says of it (`file`: its name): which commands do. */
const RERUN_BY: Readonly<Record<SummaryKind, (file: string) => string>> = {
  backtest: (file) => `is a backtest's summary.json (ammsim backtest): its config reruns the backtest with ammsim backtest --config ${file}, or is a sweep's base with ammsim sweep --config ${file}`,
  compare: (file) => `is a comparison's summary.json (ammsim compare): its config reruns the comparison with ammsim compare --config ${file}; backtest and sweep read a config file or a backtest's summary.json`,
};

/**
 * Reads a --config JSON file (a leading byte-order mark allowed) and the line of each of its keys, for errors about a
 * value (`cfg.json:3: seed: must be an integer`). A key given twice is refused: JSON.parse would keep the last.
 * The file may also be an ammsim summary.json of a kind in `summaries` (by default a backtest's, which backtest and
 * sweep read): then its `config` object is the config, its keys at their lines in the file (`summary.json:41: fee: …`),
 * so a run's summary.json given back reruns it. A summary.json of another kind is refused, naming the command that
 * reruns it, rather than read as a config file (every one of its keys unknown, or its config's own keys ignored).
 */
export function readConfigFileWithLines(file: string, summaries: readonly SummaryKind[] = ['backtest']): ConfigFileRead {
  let text: string;
  try {
    text = stripBom(readFileSync(file, 'utf8'));
  } catch {
    throw new InputError(file, undefined, undefined, 'cannot read the config file (does it exist?)');
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, jsonErrorLine(text), undefined, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new InputError(file, 1, undefined, 'must be a JSON object of config keys');
  const again = repeatedTopLevelKey(text);
  if (again !== undefined) throw new InputError(file, again.line, again.key, `is given twice (also on line ${again.firstLine}); give each key once`);
  const top = topLevelKeyLines(text);
  const summary = summaryKindOf(obj as Record<string, unknown>);
  if (summary === undefined) return { values: obj as Record<string, unknown>, lines: top, path: [] };
  if (!summaries.includes(summary)) throw new InputError(file, undefined, undefined, RERUN_BY[summary](file));
  return { values: (obj as { config: Record<string, unknown> }).config, lines: objectKeyLines(text, 'config', file), path: ['config'], summary };
}

/**
 * The line of each key of the object under the top-level key `key` of `text` (valid JSON, its top-level keys each
 * given once), refusing a key given twice in it as {@link readConfigFileWithLines} refuses one at the top level.
 */
function objectKeyLines(text: string, key: string, file: string): Map<string, number> {
  const root = parseTree(text);
  const node = root === undefined ? undefined : findNodeAtLocation(root, [key]);
  const lines = new Map<string, number>();
  for (const property of node?.children ?? []) {
    const name = property.children?.[0];
    if (name === undefined || typeof name.value !== 'string') continue;
    const line = lineAt(text, name.offset);
    const first = lines.get(name.value);
    if (first !== undefined) throw new InputError(file, line, name.value, `is given twice (also on line ${first}); give each key once`);
    lines.set(name.value, line);
  }
  return lines;
}

/**
 * The flags the running command declares (kebab-case), which scripts/cli.ts sets on argv under this key: a symbol, so
 * that `{ ...argv }` keeps it and Object.keys(argv) does not list it. A --config key that is one of them but no config
 * key (sweep's `samples`) is refused as a command-line flag rather than matched to a key it looks like (resample).
 */
export const COMMAND_FLAGS = Symbol.for('ammsim.commandFlags');

/**
 * Resolves the backtest config from parsed argv: defaults < --config file < flags. `oneRun`: the config of a whole
 * run (a backtest; a sweep's probed row, or its base when no axis gives --noise-rate), so a --noise-size given without
 * noise trades is refused; not a sweep's base beside a --noise-rate axis (which gives the rate row by row). `rowKeys`:
 * the config keys a sweep's axes set row by row (for its base), which win over the file as flags do.
 */
export function configFromArgv(argv: Readonly<Record<string, unknown>>, overrides: Partial<Record<keyof BacktestConfig, unknown>> = {}, oneRun = false, rowKeys: readonly string[] = []): BacktestConfig {
  const flags: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_TO_KEY)) if (argv[flag] !== undefined) flags[key] = argv[flag];
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) flags[k] = v;
  const params = parseParams(argv.param as string[] | undefined);
  const read = typeof argv.config === 'string' ? readConfigFileWithLines(argv.config) : undefined;
  const lines = read?.lines;
  let file: Record<string, unknown> = {};
  if (read !== undefined) {
    // an unknown key is refused at its line, and named as the command's flag when it is one
    const commandFlags = (argv as Readonly<Record<symbol, unknown>>)[COMMAND_FLAGS];
    const keys = configFileKeys(read.values, Object.keys(BACKTEST_DEFAULTS), String(argv.config), { ...(lines === undefined ? {} : { lines }), ...(Array.isArray(commandFlags) ? { commandLineFlags: commandFlags.map(String) } : {}) });
    // params.width / params.delay that the file's own width / rebalanceDelay fed (a summary's config), or that a
    // --width / --rebalance-delay flag or axis replaces, are not the file's strategy parameters
    file = withoutFedParams(keys, (k) => flags[k] !== undefined || rowKeys.includes(k));
  }
  if (Object.keys(params).length > 0) flags.params = { ...((file.params as Record<string, unknown> | undefined) ?? {}), ...params };
  const harvestParams = parseParams(argv['harvest-param'] as string[] | undefined, '--harvest-param');
  if (Object.keys(harvestParams).length > 0) flags.harvestParams = { ...((file.harvestParams as Record<string, unknown> | undefined) ?? {}), ...harvestParams };
  for (const [k, v] of Object.entries(flags)) {
    if (typeof v === 'number' && Number.isNaN(v)) throw new ConfigError('--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()), 'must be a number');
  }
  const config = resolveBacktestConfig(flags, file, typeof argv.config === 'string' ? argv.config : '--config', lines);
  refuseGasBeforeWithoutSeries(flags, file, config);
  if (oneRun) refuseNoiseSizeWithoutRate(flags, file, config);
  return config;
}
export { seriesOptions } from '../../runs/backtest.ts';
