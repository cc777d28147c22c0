/**
 * Fee model `replay` as the engine's per-step fee source ({@link ExternalFees}): the pool's real event log is
 * replayed in log order (block, log index) through the exact V3Pool by sim/replay/validate/logOrderReplay.ts
 * while the backtest runs, and every position the strategy opens is inserted into that replay at its mint and
 * removed at its burn. A position earns exactly what the pool's fee-growth accounting credits it
 * (Position.update: floor(L · Δ feeGrowthInside / 2^128)), valued in the engine's base and quote tokens.
 *
 * - A position opened by ticks and liquidity (a `mint` intent with `ticks`) is inserted as given: the real
 *   pool's integer ticks and raw uint128 liquidity. When it has the ticks and liquidity of a MINT row applied at
 *   this step (with no swap since), it claims that row (it is the user's own real position, not a copy on top of
 *   it; see LogOrderReplay.insert); with its burn at the step of the row's burn it earns to the unit what
 *   `ammsim validate` computes for that position.
 * - A position opened by a price range is placed on the real pool's ticks (snapped outward to the spacing) with
 *   the liquidity its principal buys at the pool price then (./position.ts), rounded down to a whole unit.
 * - Inserted liquidity is extra to the log's: the swaps it meets are amount-driven (the logged amount in, the
 *   logged price path), so it shares each swap's fee with the logged liquidity (LogOrderReplay's module comment).
 *
 * Steps and rows. {@link logOrderSeries} makes a pool-events file a series of one step per event row in log
 * order (from the first swap, the replay's anchor), so a strategy acts between any two rows: at step s the rows
 * up to and including row s are applied before the strategy is called, so a mint at a MINT row's step comes
 * before the next row (the victim swap of a JIT) and a burn at the BURN row's step after it. With any other
 * series, step s applies every row with block time ≤ the step's timestamp (as of the step): the events between
 * two steps are replayed at the later one. Rows after the last step are not replayed.
 */
import path from 'node:path';
import { InvariantError, ConfigError, PoolError } from '../../sim/core/errors.ts';
import { makeSeries, type PriceSeries } from '../../sim/core/series.ts';
import type { ExternalFees, RawPosition } from '../../sim/engine/externalFees.ts';
import { readPoolEvents, type PoolEventRow } from '../../sim/replay/real/poolEvents.ts';
import type { BacktestConfig } from '../config.ts';
import { LogOrderReplay, type InsertedPositionResult } from '../../sim/replay/validate/logOrderReplay.ts';
import { priceFromSqrtPriceX96 } from '../../sim/math/v3/priceConversions.ts';
import { getTickOfPriceFloat } from '../../sim/math/v3/float.ts';
import { realPosition, USDC_WETH_TOKENS, type PoolTokens } from './position.ts';
import type { FeeModelResult } from './volumeFees.ts';
import { pow10 } from '../../sim/core/pow.ts';

/** Event kinds as the `event` column of a log-order series. */
export const EVENT_CODES: Readonly<Record<PoolEventRow['kind'], number>> = Object.freeze({ SWAP: 0, MINT: 1, BURN: 2, COLLECT: 3 });

/**
 * A pool-events file as a series of one step per event row, in log order, from the first SWAP row (the replay's
 * anchor) on, within `window` (unix ms, inclusive; default all). Price: the pool price after the row (MINT/BURN/
 * COLLECT rows carry the last swap's). Timestamps: block time in ms plus the row's order within its second
 * (0, 1, 2 …), so they stay strictly increasing; the ms part is an order, not a time. Extra columns: `liquidity`
 * (in-range L after the row), `tick`, `block`, `logIndex`, `event` ({@link EVENT_CODES}).
 */
export function logOrderSeries(rows: readonly PoolEventRow[], tokens: PoolTokens, provenance: PriceSeries['provenance'], window?: { fromMs: number; toMs: number }): PriceSeries {
  const anchor = rows.findIndex((r) => r.kind === 'SWAP');
  if (anchor < 0) throw new ConfigError('--prices', 'the pool-events file has no SWAP row: nothing to price the steps with');
  const idx: number[] = [];
  for (let i = anchor; i < rows.length; i++) {
    const ms = rows[i]!.timestampSec * 1000;
    if (window !== undefined && (ms < window.fromMs || ms > window.toMs)) continue;
    idx.push(i);
  }
  const n = idx.length;
  const ts = new Float64Array(n);
  const price = new Float64Array(n);
  const cols = ['block', 'event', 'liquidity', 'logIndex', 'tick'].map(() => new Float64Array(n));
  const [block, event, liquidity, logIndex, tick] = cols as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  let k = 0;
  for (let j = 0; j < n; j++) {
    const r = rows[idx[j]!]!;
    const sec = r.timestampSec * 1000;
    k = j > 0 && rows[idx[j - 1]!]!.timestampSec * 1000 === sec ? k + 1 : 0;
    if (k >= 1000) throw new InvariantError(`more than 1000 event rows in the second of line ${r.line}: the log-order steps cannot keep distinct millisecond timestamps`);
    ts[j] = sec + k;
    price[j] = priceFromSqrtPriceX96(Number(r.sqrtPriceX96), tokens);
    block[j] = r.blockNumber;
    event[j] = EVENT_CODES[r.kind];
    liquidity[j] = Number(r.totalLiquidity);
    logIndex[j] = r.logIndex;
    tick[j] = r.tick;
  }
  const extra = new Map([['block', block], ['event', event], ['liquidity', liquidity], ['logIndex', logIndex], ['tick', tick]]);
  return makeSeries(ts, price, extra, { kind: provenance.kind, ...(provenance.file === undefined ? {} : { file: provenance.file }), sha256: provenance.sha256, params: { ...(provenance.params ?? {}), steps: 'one per event row, in log order' } });
}

/**
 * The rows each step has applied: `end[s]` = the number of leading rows applied by step s. A series with `block`
 * and `logIndex` columns (a {@link logOrderSeries}) maps step s to its own row; any other by block time.
 */
export function rowsByStep(rows: readonly PoolEventRow[], series: PriceSeries): Int32Array {
  const n = series.length;
  const end = new Int32Array(n);
  const block = series.extra.get('block');
  const logIndex = series.extra.get('logIndex');
  let i = 0;
  if (block !== undefined && logIndex !== undefined) {
    for (let s = 0; s < n; s++) {
      while (i < rows.length && (rows[i]!.blockNumber < block[s]! || (rows[i]!.blockNumber === block[s]! && rows[i]!.logIndex <= logIndex[s]!))) i++;
      end[s] = i;
    }
    return end;
  }
  const ts = series.timestampMs;
  for (let s = 0; s < n; s++) {
    while (i < rows.length && rows[i]!.timestampSec * 1000 <= ts[s]!) i++;
    end[s] = i;
  }
  return end;
}

export interface ReplayFeePosition {
  readonly positionId: number;
  readonly tickLower: number;
  readonly tickUpper: number;
  /** Raw liquidity (decimal string). */
  readonly liquidity: string;
  /** Fees the pool's accounting credited, raw token units (decimal strings). */
  readonly fees0Raw: string;
  readonly fees1Raw: string;
  /** The file line of the MINT row it claimed (the user's own real position), else null. */
  readonly claimedLine: number | null;
  readonly swapsInRange: number;
  readonly amountDrivenSwaps: number;
  readonly mapUncertainSwaps: number;
}

export interface ReplayFeeReport {
  readonly selected: 'replay';
  readonly steps: string;
  /** Every position's fees summed, raw token units (decimal strings). */
  readonly fees0Raw: string;
  readonly fees1Raw: string;
  readonly positions: readonly ReplayFeePosition[];
  /** The model's line in the fee-model table: fees valued when earned, swaps replayed and swaps in range (summed over positions). */
  readonly replay: FeeModelResult;
  readonly log: { readonly rowsApplied: number; readonly swaps: number; readonly exactSwaps: number; readonly amountDrivenSwaps: number; readonly priceDrivenSwaps: number; readonly mapUncertainSwaps: number };
  readonly note: string;
}

export interface ReplayFeeSource extends ExternalFees {
  readonly replay: LogOrderReplay;
  /** What summary.json's `feeModels` shows: per position raw fees, and the replay's counts; `feesEarned` is the run's. */
  report(feesEarned: number): ReplayFeeReport;
}

export interface ReplayFeeSourceOptions {
  /** Pool fee in hundredths of a bip (500 = 0.05 %). */
  readonly feePips: number;
  /** The real pool's tick spacing. */
  readonly tickSpacing: number;
  readonly tokens?: PoolTokens;
  /** The engine pool's tick spacing (to snap a raw position's range when coordinates differ). */
  readonly engineTickSpacing: number;
  /** The events file (for messages). */
  readonly eventsFile?: string;
}

/** How far (×) the series' price may be from the pool's logged one before they are taken to quote different things. */
const MAX_PRICE_FACTOR = 2;

/**
 * The series must price what the pool's events price, the same way round: positions are placed by the series'
 * price on the real pool's ticks, so a series quoted the other way (ETH per USDC beside a USDC-per-ETH pool) puts
 * every position where no logged swap passes and the run earns exactly 0 without a word. The first SWAP row in the
 * series' span is compared with the series' price as of its time; more than ×2 apart is refused.
 */
export function checkSeriesPricesPool(rows: readonly PoolEventRow[], series: PriceSeries, tokens: PoolTokens, eventsFile = 'the fee events'): void {
  const t = series.timestampMs;
  const n = t.length;
  if (n === 0) return;
  const r = rows.find((x) => x.kind === 'SWAP' && x.timestampSec * 1000 >= t[0]! && x.timestampSec * 1000 <= t[n - 1]!);
  if (r === undefined) return;
  const ms = r.timestampSec * 1000;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  const pool = priceFromSqrtPriceX96(Number(r.sqrtPriceX96), tokens);
  const ours = series.price[lo]!;
  const factor = pool > ours ? pool / ours : ours / pool;
  if (factor <= MAX_PRICE_FACTOR) return;
  const base = tokens.priceOf === 'token1' ? 'token1' : 'token0';
  const quote = base === 'token1' ? 'token0' : 'token1';
  throw new ConfigError(
    '--fee-events',
    `${eventsFile}:${r.line}: the pool's price there is ${pool.toPrecision(6)} (${base} in ${quote}, decimals ${tokens.decimals0}/${tokens.decimals1}) but the price series has ${ours.toPrecision(6)} at that time, ×${factor.toPrecision(3)} apart: the series must quote the pool's pair the same way round (the price of ${base} in ${quote}), or its positions sit where no logged swap passes and earn nothing`,
  );
}

/** How far apart (a fraction, at the median over the overlap) the pool's logged prices and the series' may be before a warning. */
const PRICE_WARN_FRACTION = 0.05;
/** The most SWAP rows compared with the series for that median (evenly spread over the overlap). */
const PRICE_SAMPLES = 1001;

const isoSec = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The share `x` (0..1) as a percentage for a message: `0.27 %`, `27 %`, `99.5 %`. */
function share(x: number): string {
  const p = x * 100;
  return `${p >= 10 ? Number(p.toFixed(1)) : Number(p.toPrecision(2))} %`;
}

/** The index of the last step at or before `ms` (-1 when none). */
function stepAsOf(t: Float64Array, ms: number): number {
  let lo = 0;
  let hi = t.length - 1;
  if (t.length === 0 || t[0]! > ms) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * What the replay model's events leave out of a run over `series`, as warnings (cheap: one pass over the rows, a
 * sample of at most {@link PRICE_SAMPLES} swaps priced): the events cover less of the run than its span — the replay
 * credits fees only while there are logged swaps, so a day of events under a year-long run earns a day of fees —
 * by more than two of the series' steps and 1 % of the run (said with the events' span and the share of the run
 * they cover); and over the overlap the pool's logged prices are a median more than 5 % away from the series' as of
 * each swap (positions are placed at the series' price, so their ranges can sit where the logged swaps do not pass;
 * more than ×2 at the first swap is refused by {@link checkSeriesPricesPool}). Empty when neither.
 */
export function replayCoverageWarnings(rows: readonly PoolEventRow[], series: PriceSeries, tokens: PoolTokens, eventsFile = 'the fee events'): string[] {
  const t = series.timestampMs;
  const n = t.length;
  if (n < 2 || rows.length === 0) return [];
  const out: string[] = [];
  const s0 = t[0]!;
  const s1 = t[n - 1]!;
  const e0 = rows[0]!.timestampSec * 1000;
  const e1 = rows[rows.length - 1]!.timestampSec * 1000;
  const a = Math.max(s0, e0);
  const b = Math.min(s1, e1);
  const covered = Math.max(0, b - a);
  const m = Math.min(n - 1, 1000);
  const steps = new Float64Array(m);
  for (let i = 0; i < m; i++) steps[i] = t[i + 1]! - t[i]!;
  steps.sort();
  const tolerance = Math.max(2 * steps[(m - 1) >> 1]!, (s1 - s0) / 100);
  const span = `the fee events ${eventsFile} span ${isoSec(e0)} … ${isoSec(e1)}`;
  const run = `the run (${isoSec(s0)} … ${isoSec(s1)})`;
  if (b < a) out.push(`${span}, outside ${run}: the replay credits no fees`);
  else if (s1 - s0 - covered > tolerance) out.push(`${span}, ${share(covered / (s1 - s0))} of ${run}: the replay credits fees only there`);
  if (b < a) return out;
  let swaps = 0;
  for (const r of rows) if (r.kind === 'SWAP' && r.timestampSec * 1000 >= a && r.timestampSec * 1000 <= b) swaps++;
  if (swaps === 0) return out;
  const stride = Math.ceil(swaps / PRICE_SAMPLES);
  const sample: Array<{ ratio: number; pool: number; ours: number; line: number }> = [];
  let k = 0;
  for (const r of rows) {
    const ms = r.timestampSec * 1000;
    if (r.kind !== 'SWAP' || ms < a || ms > b) continue;
    if (k++ % stride !== 0) continue;
    const i = stepAsOf(t, ms);
    if (i < 0) continue;
    const pool = priceFromSqrtPriceX96(Number(r.sqrtPriceX96), tokens);
    const ours = series.price[i]!;
    if (pool > 0 && ours > 0) sample.push({ ratio: pool / ours, pool, ours, line: r.line });
  }
  if (sample.length === 0) return out;
  sample.sort((x, y) => x.ratio - y.ratio);
  const mid = sample[(sample.length - 1) >> 1]!;
  if (mid.ratio > 1 + PRICE_WARN_FRACTION || mid.ratio < 1 / (1 + PRICE_WARN_FRACTION)) {
    const off = mid.ratio >= 1 ? `${share(mid.ratio - 1)} above` : `${share(1 - mid.ratio)} below`;
    out.push(
      `where they overlap the run, the pool's logged prices are a median ${off} the series' (${mid.pool.toPrecision(6)} vs ${mid.ours.toPrecision(6)} at ${eventsFile}:${mid.line}): positions are placed at the series' price, so their ranges may miss the logged swaps`,
    );
  }
  return out;
}

/** log_1.0001(10): the ticks of a factor of 10 in price. */
const LOG_10_BASE = getTickOfPriceFloat(10);

/**
 * The engine pool's ticks and liquidity for a position in the real pool's coordinates. The engine pool prices
 * base in quote with both tokens at 18 decimals; the real pool's raw price 1.0001^tick is token1 per token0 in
 * raw units. Ticks: tick_e = ±tick + (d0 − d1)·log_1.0001(10) (sign − when the price is of token1), exact when
 * the decimals are equal, else snapped outward to the engine's spacing. Liquidity: L_e = L · 10^(18 − (d0 + d1)/2),
 * exact when d0 + d1 is even.
 */
export function enginePositionOf(raw: RawPosition, t: PoolTokens, engineSpacing: number): RawPosition {
  const shift = t.priceOf === 'token0' ? (t.decimals0 - t.decimals1) * LOG_10_BASE : (t.decimals1 - t.decimals0) * LOG_10_BASE;
  const a = t.priceOf === 'token0' ? raw.tickLower + shift : -raw.tickUpper + shift;
  const b = t.priceOf === 'token0' ? raw.tickUpper + shift : -raw.tickLower + shift;
  const exact = t.decimals0 === t.decimals1;
  const lo = exact ? Math.round(a) : Math.floor(a / engineSpacing) * engineSpacing;
  const hi = exact ? Math.round(b) : Math.ceil(b / engineSpacing) * engineSpacing;
  const twice = 36 - t.decimals0 - t.decimals1;
  let L: bigint;
  if (twice % 2 === 0) L = twice >= 0 ? raw.liquidity * 10n ** BigInt(twice / 2) : raw.liquidity / 10n ** BigInt(-twice / 2);
  else L = BigInt(Math.round(Number(raw.liquidity) * Math.sqrt(pow10(twice))));
  return { tickLower: lo, tickUpper: hi, liquidity: L };
}

/** The replay model over `rows` as the engine's fee source for a run over `series` (see the module comment). */
export function replayFeeSource(rows: readonly PoolEventRow[], series: PriceSeries, o: ReplayFeeSourceOptions): ReplayFeeSource {
  const tokens = o.tokens ?? USDC_WETH_TOKENS;
  checkSeriesPricesPool(rows, series, tokens, o.eventsFile);
  const replay = new LogOrderReplay(rows, { fee: o.feePips, tickSpacing: o.tickSpacing });
  const end = rowsByStep(rows, series);
  const scale0 = pow10(-tokens.decimals0);
  const scale1 = pow10(-tokens.decimals1);
  const baseIsToken1 = tokens.priceOf === 'token1';
  const identity = tokens.decimals0 === 18 && tokens.decimals1 === 18 && tokens.priceOf === 'token0';
  interface Open {
    readonly key: string;
    credited0: bigint;
    credited1: bigint;
  }
  const open = new Map<number, Open>();
  const ids: number[] = [];
  let stepNow = -1;
  const advance = (step: number): void => {
    if (step <= stepNow) return;
    stepNow = step;
    const stop = end[step]!;
    while (!replay.done && replay.nextIndex < stop) replay.step();
  };
  const credit = (p: Open, out: { base: number; quote: number }): void => {
    const f = replay.feesOf(p.key);
    const d0 = f.fees0 - p.credited0;
    const d1 = f.fees1 - p.credited1;
    if (d0 === 0n && d1 === 0n) return;
    p.credited0 = f.fees0;
    p.credited1 = f.fees1;
    const h0 = Number(d0) * scale0;
    const h1 = Number(d1) * scale1;
    if (baseIsToken1) {
      out.base += h1;
      out.quote += h0;
    } else {
      out.base += h0;
      out.quote += h1;
    }
  };
  const live = new Map<string, bigint>();
  return {
    model: 'replay',
    replay,
    open(id, range, base, quote, price, step, raw) {
      advance(step);
      let pos: RawPosition;
      if (raw !== undefined) pos = raw;
      else {
        const capital = base * price + quote;
        if (!(capital > 0)) return;
        const p = realPosition({ range, capital, price, tickSpacing: o.tickSpacing, tokens });
        if (!(p.liquidity >= 1)) return;
        pos = { tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: BigInt(Math.floor(p.liquidity)) };
      }
      const key = `lp${id}`;
      try {
        replay.insert(key, pos.tickLower, pos.tickUpper, pos.liquidity, raw !== undefined);
      } catch (err) {
        if (err instanceof PoolError) throw new ConfigError('--fee-model', `replay: the real pool rejects position ${id} (ticks [${pos.tickLower}, ${pos.tickUpper}), liquidity ${pos.liquidity}): ${err.message}`, { cause: err });
        throw err;
      }
      open.set(id, { key, credited0: 0n, credited1: 0n });
      live.set(key, pos.liquidity);
      ids.push(id);
    },
    resize(id, remaining) {
      const p = open.get(id);
      if (p === undefined) return;
      const L = live.get(p.key)!;
      // The part burned, as the exact engine pool rounds a fraction (53 bits).
      const keep = (L * BigInt(Math.floor(remaining * 2 ** 53))) >> 53n;
      if (L - keep > 0n) replay.remove(p.key, L - keep);
      live.set(p.key, keep);
    },
    close(id) {
      const p = open.get(id);
      if (p === undefined) return;
      if ((live.get(p.key) ?? 0n) > 0n) replay.remove(p.key);
      live.set(p.key, 0n);
      open.delete(id);
    },
    accrue(id, step, out) {
      advance(step);
      const p = open.get(id);
      if (p !== undefined) credit(p, out);
    },
    ...(identity ? {} : { enginePosition: (raw: RawPosition) => enginePositionOf(raw, tokens, o.engineTickSpacing) }),
    report(feesEarned: number): ReplayFeeReport {
      advance(series.length - 1); // the whole window, for the counts (positions closed earlier are unaffected)
      const all = replay.insertedResults();
      const byKey = new Map<string, InsertedPositionResult>(all.map((r) => [r.id, r]));
      let f0 = 0n;
      let f1 = 0n;
      const positions = ids.map((id): ReplayFeePosition => {
        const r = byKey.get(`lp${id}`)!;
        f0 += r.fees0;
        f1 += r.fees1;
        return {
          positionId: id,
          tickLower: r.tickLower,
          tickUpper: r.tickUpper,
          liquidity: String(r.liquidity),
          fees0Raw: String(r.fees0),
          fees1Raw: String(r.fees1),
          claimedLine: r.claimedRow === undefined ? null : rows[r.claimedRow]!.line,
          swapsInRange: r.swapsInRange,
          amountDrivenSwaps: r.amountDrivenSwaps,
          mapUncertainSwaps: r.mapUncertainSwaps,
        };
      });
      const st = replay.result().stats;
      return {
        selected: 'replay',
        steps: series.extra.has('block') && series.extra.has('logIndex') ? 'one per event row, in log order' : 'the events up to each step replayed at the step',
        fees0Raw: String(f0),
        fees1Raw: String(f1),
        positions,
        replay: { model: 'replay', feesEarned, fees0Raw: Number(f0), fees1Raw: Number(f1), steps: st.swaps, stepsInRange: positions.reduce((a, p) => a + p.swapsInRange, 0) },
        log: { rowsApplied: replay.nextIndex, swaps: st.swaps, exactSwaps: st.exactSwaps, amountDrivenSwaps: replay.amountDrivenSwaps, priceDrivenSwaps: st.priceDrivenSwaps, mapUncertainSwaps: st.mapUncertainSwaps },
        note: "every position the strategy opened was inserted into the pool's log replayed in log order and earns what the exact pool's fee growth credits it; summary fees and values use it",
      };
    },
  };
}

/**
 * `--fee-model replay` with `--prices FILE.pool_events.csv` (no `--resample`, no other `--fee-events`): the loaded
 * series (one step per second with swaps) becomes {@link logOrderSeries} over the same window — one step per
 * event row in log order. Any other series is returned as it is (its steps replay the events as of each step).
 */
export async function replayStepSeries(c: BacktestConfig, s: PriceSeries): Promise<PriceSeries> {
  if (s.provenance.kind !== 'uniswap-events' || c.resample !== undefined || c.prices === undefined) return s;
  if (c.feeEvents !== undefined && path.resolve(c.feeEvents) !== path.resolve(c.prices)) return s;
  const rows = await readPoolEvents(c.prices);
  const tokens: PoolTokens = { decimals0: c.decimals0 ?? 6, decimals1: c.decimals1 ?? 18, priceOf: (c.priceOf as 'token0' | 'token1' | undefined) ?? 'token1' };
  return logOrderSeries(rows, tokens, s.provenance, { fromMs: s.timestampMs[0]!, toMs: s.timestampMs[s.length - 1]! });
}
