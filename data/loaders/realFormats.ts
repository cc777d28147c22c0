/**
 * Readers for the real-data formats found in the wild (see ../shared/data/README.md):
 * - freqtrade JSON candles: `[[open_time_ms, open, high, low, close, volume], …]`;
 * - CryptoCompare long CSV: `datetime_utc, unix_s, pair, open, high, low, close, volumefrom, volumeto`
 *   (one pair chosen with `pair`);
 * - demeter per-minute Uniswap v3 pool files: price from `closeTick`;
 * - demeter pool-event CSVs: price from `sqrtPriceX96` on SWAP rows.
 * Binance / CryptoDataDownload CSVs (`date,open,high,low,close[,volume]`) and pandas-index CSVs need no
 * reader of their own: the generic CSV loader handles them.
 *
 * Uniswap v3 orientation. A pool's tick gives the raw price of token0 in token1: 1.0001^tick (raw units per
 * raw unit) = (sqrtPriceX96 / 2^96)^2. In human units (token decimals d0, d1):
 *   price of token0 in token1 = 1.0001^tick · 10^(d0 − d1)
 *   price of token1 in token0 = 10^(d1 − d0) / 1.0001^tick
 * For USDC/WETH pools (token0 = USDC, 6 decimals; token1 = WETH, 18) the ETH price in USDC is the second:
 * 1e12 / 1.0001^tick (tick 199045 ≈ 2270 USDC per ETH). That is the default here ({@link USDC_WETH}).
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { ConfigError, InputError, RowInputError } from '../../sim/core/errors.ts';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import { priceFromSqrtPriceX96, priceFromTick, type PriceOrientation } from '../../sim/math/v3/priceConversions.ts';
import { checkReadableFile, loadCsvPrices } from './csvPrices.ts';
import type { CsvPricesOptions, PriceTransform } from './csvOptions.ts';
import { isoForMessage, unixToMs, unixUnitOf } from './timestamps.ts';
import { jsonErrorLine, stripBom } from './jsonText.ts';

/** Token decimals and which token's price to report (quoted in the other token); see sim/math/v3/priceConversions.ts. */
export type UniswapPriceOptions = PriceOrientation;

/** The USDC/WETH pools of the shared data (0x88e6, 0x8ad5, Polygon 0x45dd): token0 = USDC (6), token1 = WETH (18); price = USDC per ETH. */
export const USDC_WETH: Readonly<UniswapPriceOptions> = Object.freeze({ decimals0: 6, decimals1: 18, priceOf: 'token1' });

function checkUniswapOptions(o: UniswapPriceOptions): void {
  for (const k of ['decimals0', 'decimals1'] as const) {
    if (!(Number.isInteger(o[k]) && o[k] >= 0 && o[k] <= 77)) throw new ConfigError(k, `must be an integer from 0 to 77; was ${o[k]}`);
  }
  if (o.priceOf !== 'token0' && o.priceOf !== 'token1') throw new ConfigError('priceOf', `must be token0 or token1; was ${String(o.priceOf)}`);
}


function tickRule(o: UniswapPriceOptions): string {
  return o.priceOf === 'token0' ? `1.0001^tick * 1e${o.decimals0 - o.decimals1}` : `1e${o.decimals1 - o.decimals0} / 1.0001^tick`;
}

/**
 * demeter per-minute pool file (`timestamp, netAmount0, netAmount1, closeTick, openTick, lowestTick,
 * highestTick, inAmount0, inAmount1, currentLiquidity`): price from `closeTick`; the other columns are
 * extras in raw units (amounts in raw token units, ticks as numbers).
 */
export async function loadUniswapMinute(file: string, options: Partial<UniswapPriceOptions> = {}): Promise<PriceSeries> {
  return loadCsvPrices(file, uniswapMinuteCsvOptions(options));
}

/** The CSV loader's options for {@link loadUniswapMinute} (also those a row of the file is found again with). */
export function uniswapMinuteCsvOptions(options: Partial<UniswapPriceOptions> = {}): CsvPricesOptions {
  const o: UniswapPriceOptions = { ...USDC_WETH, ...options };
  checkUniswapOptions(o);
  const transform: PriceTransform = { describe: tickRule(o), apply: (tick) => priceFromTick(tick, o) };
  return { timestampColumn: 'timestamp', priceColumn: 'closeTick', priceTransform: transform, kind: 'uniswap-minute' };
}

/**
 * demeter pool-event CSV (`block_number, block_timestamp, tx_type, …, sqrtPriceX96, current_tick, …`):
 * one row per SWAP, price from `sqrtPriceX96` (the pool price after the swap). Several swaps in the same
 * second (block) keep the last one, so the series has the price at the end of each second with swaps.
 * Extras: `liquidity` (the pool's in-range L after the swap) and `tick`.
 * The rows are not evenly spaced: use gap policy `skip`, or resample and `ffill`.
 */
export async function loadUniswapEvents(file: string, options: Partial<UniswapPriceOptions> = {}): Promise<PriceSeries> {
  return loadCsvPrices(file, uniswapEventsCsvOptions(options));
}

/** The CSV loader's options for {@link loadUniswapEvents}. */
export function uniswapEventsCsvOptions(options: Partial<UniswapPriceOptions> = {}): CsvPricesOptions {
  const o: UniswapPriceOptions = { ...USDC_WETH, ...options };
  checkUniswapOptions(o);
  const rule = o.priceOf === 'token0' ? `(sqrtPriceX96/2^96)^2 * 1e${o.decimals0 - o.decimals1}` : `1e${o.decimals1 - o.decimals0} / (sqrtPriceX96/2^96)^2`;
  return {
    timestampColumn: 'block_timestamp',
    priceColumn: 'sqrtPriceX96',
    priceTransform: { describe: rule, apply: (x) => priceFromSqrtPriceX96(x, o) },
    rowFilter: { column: 'tx_type', equals: 'SWAP' },
    extraColumns: ['total_liquidity', 'current_tick'],
    renameExtras: { total_liquidity: 'liquidity', current_tick: 'tick' },
    duplicateTimestamps: 'last',
    kind: 'uniswap-events',
  };
}

/** CryptoCompare long-format CSV: `unix_s` is the clock, `close` the price, one `pair` selected (required when the file holds several). */
export async function loadCryptoCompareCsv(file: string, options: { pair?: string } = {}): Promise<PriceSeries> {
  return loadCsvPrices(file, cryptoCompareCsvOptions(options));
}

/** The CSV loader's options for {@link loadCryptoCompareCsv}. */
export function cryptoCompareCsvOptions(options: { pair?: string } = {}): CsvPricesOptions {
  return { timestampColumn: 'unix_s', priceColumn: 'close', ...(options.pair === undefined ? {} : { pair: options.pair }), kind: 'cryptocompare' };
}

/**
 * freqtrade JSON candles: an array of `[open_time, open, high, low, close, volume]` (ccxt/freqtrade `json`
 * format). Time is unix ms (or s, by the magnitude rule), price = close, extras open/high/low/volume.
 * Errors name the candle: `file: row N: close: …`, rows counted from 1.
 */
export async function loadFreqtradeJson(file: string): Promise<PriceSeries> {
  await checkReadableFile(file);
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = stripBom(bytes.toString('utf8'));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, jsonErrorLine(text), undefined, `must be JSON (freqtrade candles [[time, open, high, low, close, volume], …]); ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(data)) throw new InputError(file, undefined, undefined, `must be a JSON array of candles [time, open, high, low, close, volume]; was ${data === null ? 'null' : typeof data}`);
  const n = data.length;
  if (n === 0) throw new InputError(file, undefined, 'rows', 'must have at least one candle; found none');
  const ts = new Float64Array(n);
  const names = ['open', 'high', 'low', 'close', 'volume'] as const;
  const cols = names.map(() => new Float64Array(n));
  let unit: 's' | 'ms' | undefined;
  for (let i = 0; i < n; i++) {
    const c: unknown = data[i];
    if (!Array.isArray(c) || c.length < 5) throw new RowInputError(file, i + 1, 'candle', `must be an array [time, open, high, low, close, volume]; was ${JSON.stringify(c)?.slice(0, 60)}`);
    const t = c[0];
    if (typeof t !== 'number' || !Number.isFinite(t)) throw new RowInputError(file, i + 1, 'timestamp', `must be a unix time number; was ${JSON.stringify(t)}`);
    const u = unixUnitOf(t);
    if (u === undefined) throw new RowInputError(file, i + 1, 'timestamp', `must be unix seconds or milliseconds (below 1e14); was ${t}`);
    if (unit === undefined) unit = u;
    else if (u !== unit) throw new RowInputError(file, i + 1, 'timestamp', `must be in the same unit as row 1 (unix ${unit === 's' ? 'seconds' : 'milliseconds'}); was ${t}`);
    ts[i] = unixToMs(t, unit);
    if (i > 0 && !(ts[i]! > ts[i - 1]!)) {
      throw new RowInputError(file, i + 1, 'timestamp', ts[i] === ts[i - 1] ? `must be strictly increasing; was ${isoForMessage(ts[i]!)}, the same time as row ${i}` : `must be strictly increasing; was ${isoForMessage(ts[i]!)}, earlier than row ${i} (${isoForMessage(ts[i - 1]!)})`);
    }
    for (let k = 0; k < names.length; k++) {
      const v = c[k + 1];
      if (v === undefined && names[k] === 'volume') {
        cols[k]![i] = Number.NaN;
        continue;
      }
      if (typeof v !== 'number') throw new RowInputError(file, i + 1, names[k]!, `must be a number; was ${JSON.stringify(v)}`);
      cols[k]![i] = v;
    }
    const close = cols[3]![i]!;
    if (!(close > 0 && close < Number.POSITIVE_INFINITY)) throw new RowInputError(file, i + 1, 'close', `must be a finite number > 0; was ${close}`);
  }
  const extra = new Map<string, Float64Array>([
    ['high', cols[1]!],
    ['low', cols[2]!],
    ['open', cols[0]!],
    ['volume', cols[4]!],
  ]);
  return makeSeries(ts, cols[3]!, extra, {
    kind: 'freqtrade',
    file,
    sha256,
    params: { timestampColumn: '0', timestampFormat: unit === 's' ? 'unix-seconds' : 'unix-milliseconds', priceColumn: 'close', extraColumns: 'high,low,open,volume' },
  });
}
