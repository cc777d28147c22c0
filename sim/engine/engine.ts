import { ConfigError, PoolError, StrategyError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { PriceSeries } from '../core/series.ts';
import type { EnginePool, SwapFill } from '../pools/enginePool.ts';
import { TIMESERIES_COLUMNS, type LpEvent, type RewardTimeseries, type Timeseries, type TimeseriesColumn } from '../metrics/record.ts';
import { historyView, strategyContext, traderContext } from './contexts.ts';
import type { ExternalFees } from './externalFees.ts';
import type { GasModel } from './gas.ts';
import { IncentiveBook, type IncentivesInput, type RewardTotals } from './incentives.ts';
import { LpLedger, type Clock } from './ledger.ts';
import { StepRecorder } from './recorder.ts';
import type { LpAction, LpStrategy, TraderStrategy, SwapIntent } from './strategy.ts';

export interface EngineInputs {
  readonly series: PriceSeries;
  readonly pool: EnginePool;
  readonly lp: LpStrategy;
  /** Called every step in this order (e.g. noise traders, then the arbitrageur). */
  readonly traders: readonly TraderStrategy[];
  /** LP capital in quote; the LP's wallet holds it at the start. */
  readonly capital: number;
  readonly gas: GasModel;
  readonly rng: Rng;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Arrays to write the timeseries into (each of length `series.length`), e.g. the timeseries of an earlier run
   * the caller no longer needs. The timestamp and price columns are never written: the record's are always the
   * series' own arrays. A year of minute rows is 15 × 4.2 MB; writing into fresh memory costs a page
   * fault per 4 KiB, a third of a run on some machines, so a sweep reuses one set. Default: new arrays.
   */
  readonly columns?: Timeseries;
  /** The strategy as messages name it (its name, and its file for a user module); default its id. */
  readonly strategyLabel?: string;
  /** Fees from outside the simulated pool (`--fee-model volume|replay`); default: the pool's own fees. */
  readonly externalFees?: ExternalFees;
  /** Liquidity-mining programs, harvest policy and reward price (`--incentive`); none by default. */
  readonly incentives?: IncentivesInput;
}

/** Token balances of one actor; negative means the actor was funded from outside the simulation. */
export interface Account {
  base: number;
  quote: number;
}

export interface TraderTotals {
  trades: number;
  /** Traded notional in quote, valued at the market price of the step. */
  volume: number;
  /** Profit in quote at the market price of each trade, after gas. */
  profit: number;
  gas: number;
  /** The least profitable single trade (after its gas); +Infinity when there was none. */
  minTradeProfit: number;
}

export interface EngineOutput {
  readonly timeseries: Timeseries;
  readonly events: readonly LpEvent[];
  readonly holdBase: number;
  readonly holdQuote: number;
  readonly inRangeSteps: number;
  readonly rebalances: number;
  readonly traders: ReadonlyMap<string, TraderTotals>;
  /** Every actor's final balances (LP wallet, each trader), sorted by actor id. */
  readonly accounts: ReadonlyMap<string, Account>;
  readonly initialPoolBalances: { readonly base: number; readonly quote: number };
  /** Fee tokens earned over the run (collected, uncollected and re-invested), human units. */
  readonly feesBase: number;
  readonly feesQuote: number;
  /** What the entry (the strategy's start) cost beyond gas: capital − LP value after it − its gas, in quote. */
  readonly entryCost: number;
  /** How far the entry moved the pool price: pool price after the start / market price − 1. */
  readonly entryPriceImpact: number;
  /** Things the user should know about the run (e.g. a strategy that could no longer act). */
  readonly warnings: readonly string[];
  /** Liquidity-mining totals (only when the run has programs). */
  readonly rewards?: RewardTotals;
}

const PROGRESS_EVERY = 1 << 16;

/**
 * The record's columns: the timestamp and price columns are the series' own arrays (the record holds the same
 * values: 2 of 15 columns of new memory saved, and never written); the others are new arrays, or the given ones
 * (a sweep's). One object literal in column order, so every run's columns object has the same shape (the step
 * loop's column writes stay monomorphic whether the arrays are new or reused).
 */
function recordColumns(series: PriceSeries, given: Timeseries | undefined): Timeseries {
  const n = series.length;
  const col = (c: TimeseriesColumn): Float64Array => (given === undefined ? new Float64Array(n) : given[c]);
  return {
    timestamp: series.timestampMs,
    price: series.price,
    poolPrice: col('poolPrice'),
    lpValue: col('lpValue'),
    holdValue: col('holdValue'),
    feesCumulative: col('feesCumulative'),
    impermanentLoss: col('impermanentLoss'),
    lvrCumulative: col('lvrCumulative'),
    gasCumulative: col('gasCumulative'),
    inRange: col('inRange'),
    rangeLower: col('rangeLower'),
    rangeUpper: col('rangeUpper'),
    lpBase: col('lpBase'),
    lpQuote: col('lpQuote'),
    activeLiquidity: col('activeLiquidity'),
  };
}

/**
 * Runs one backtest: a single deterministic loop over the series. Each step t, in this total order:
 *  1. t = 0: the LP strategy's `onStart` (its wallet holds `capital` in quote); the token amounts it holds
 *     afterwards are the hold benchmark.
 *  2. t > 0: each trader in `traders` order returns intents against the current pool; the engine applies them.
 *     LVR for the step is the value, at P_t, of the LP's fee-less pool holdings before this trading minus after
 *     it — which equals x_{t−1}(P_t − P_{t−1}) − (V_t − V_{t−1}) of CONTRACT.md, with liquidity the strategy adds
 *     or removes excluded because the strategy acts after it is measured.
 *  3. t > 0: the LP strategy's `onStep` sees the post-trade pool and the history up to t; its actions apply.
 *  4. The step is recorded (sim/engine/recorder.ts).
 * Per-step allocations are kept out of the hot path: contexts are reused and idle strategies return shared
 * empty arrays.
 */
export function runEngine(inp: EngineInputs): EngineOutput {
  const { series, pool, lp } = inp;
  const n = series.length;
  if (n < 2) throw new ConfigError('--prices', `a backtest needs at least 2 price rows; got ${n}`);
  const given = inp.columns;
  if (given !== undefined) {
    for (const c of TIMESERIES_COLUMNS) {
      if (given[c].length !== n) throw new RangeError(`timeseries column ${c} must have ${n} rows to be reused; has ${given[c].length}`);
    }
  }
  const cols = recordColumns(series, given);
  const label = inp.strategyLabel ?? (lp as { id?: string } | null | undefined)?.id ?? 'strategy';
  // what create() returned: checked before the run, not when a hook is first called
  if (lp === null || typeof lp !== 'object') throw new StrategyError(label, 0, series.timestampMs[0]!, `create() returned ${lp === undefined ? 'undefined' : JSON.stringify(lp)}; it must return { onStart(ctx), onStep(ctx) } (onEnd optional)`);
  for (const hook of ['onStart', 'onStep'] as const) {
    if (typeof lp[hook] !== 'function') throw new StrategyError(label, 0, series.timestampMs[0]!, `create() returned no ${hook}(ctx) function; a strategy has onStart(ctx) and onStep(ctx), each returning an array of actions (NO_ACTIONS when idle)`);
  }
  if (lp.onEnd !== undefined && typeof lp.onEnd !== 'function') throw new StrategyError(label, 0, series.timestampMs[0]!, 'onEnd must be a function (or left out)');
  const external = inp.externalFees !== undefined;
  const initialPoolBalances = pool.tokenBalances();
  const clock: Clock = { step: 0, timestampMs: series.timestampMs[0]!, price: series.price[0]! };
  const ledger = new LpLedger(pool, inp.gas, clock, inp.capital, label, inp.externalFees);
  const { wallet, collected } = ledger;
  const book = inp.incentives === undefined ? undefined : new IncentiveBook(inp.incentives, pool, ledger, clock, inp.capital, series.timestampMs, n);
  ledger.rewards = book;
  let rewardCols: { rewardsCumulative: Float64Array; rewardTokensPending: Float64Array; rewardPrice: Float64Array } | undefined;
  if (book !== undefined) {
    if (inp.incentives!.rewardPrice.length !== n) throw new RangeError(`the reward price must have ${n} rows (one per step); has ${inp.incentives!.rewardPrice.length}`);
    const givenRewards = given as RewardTimeseries | undefined;
    rewardCols = {
      rewardsCumulative: givenRewards?.rewardsCumulative?.length === n ? givenRewards.rewardsCumulative : new Float64Array(n),
      rewardTokensPending: givenRewards?.rewardTokensPending?.length === n ? givenRewards.rewardTokensPending : new Float64Array(n),
      rewardPrice: givenRewards?.rewardPrice?.length === n ? givenRewards.rewardPrice : new Float64Array(n),
    };
    book.bindColumns(rewardCols, cols.lpValue);
  }

  const traderAccounts = new Map<string, Account>();
  const traderTotals = new Map<string, TraderTotals>();
  for (const t of inp.traders) {
    traderAccounts.set(t.id, { base: 0, quote: 0 });
    traderTotals.set(t.id, { trades: 0, volume: 0, profit: 0, gas: 0, minTradeProfit: Infinity });
  }

  let rebalances = 0;
  const rec = new StepRecorder(cols, pool, ledger, book, external, inp.capital);

  const ctx = strategyContext(pool, clock, ledger, historyView(series, clock, label), inp.rng.fork(`lp:${lp.id}`));
  const traderRngs = inp.traders.map((t) => inp.rng.fork(`trader:${t.id}`));
  let traderIdx = 0;
  const tctx = traderContext(pool, clock, series, ledger, () => traderRngs[traderIdx]!);

  /** Calls a strategy hook; what it throws or returns wrongly is the strategy's error, named with its step. */
  const call = (hook: 'onStart' | 'onStep'): readonly LpAction[] => {
    let acts: readonly LpAction[];
    try {
      acts = hook === 'onStep' ? lp.onStep(ctx) : lp.onStart(ctx);
    } catch (err) {
      if (err instanceof StrategyError) throw err;
      const why = err instanceof Error ? err.message : String(err);
      // an error that already names the strategy (history.price(i) of a later step) is not named twice
      const own = `strategy ${label}: `;
      throw new StrategyError(label, clock.step, clock.timestampMs, `${hook} threw: ${why.startsWith(own) ? why.slice(own.length) : why}`, { cause: err });
    }
    if (!Array.isArray(acts)) {
      // an async hook returns a Promise, which JSON shows as {}
      if (acts instanceof Promise || typeof (acts as { then?: unknown } | null)?.then === 'function') {
        (acts as unknown as PromiseLike<unknown>).then(undefined, () => undefined); // its rejection is not left unhandled
        throw new StrategyError(label, clock.step, clock.timestampMs, `${hook} returned a Promise (an async function?); strategies are synchronous: ${hook} must return an array of actions (NO_ACTIONS when idle), not a Promise of one`);
      }
      throw new StrategyError(label, clock.step, clock.timestampMs, `${hook} returned ${acts === undefined ? 'undefined' : JSON.stringify(acts)}; it must return an array of actions (NO_ACTIONS when idle)`);
    }
    return acts;
  };

  // each trader's account and totals by its index (the maps' own objects: one lookup per run, not per step)
  const accountAt = inp.traders.map((t) => traderAccounts.get(t.id)!);
  const totalsAt = inp.traders.map((t) => traderTotals.get(t.id)!);
  const applyTrader = (t: TraderStrategy, intents: readonly SwapIntent[]): void => {
    const acct = accountAt[traderIdx]!;
    const tot = totalsAt[traderIdx]!;
    for (const it of intents) {
      let f: SwapFill;
      try {
        if (it.kind === 'toPrice') f = pool.swapToPrice(it.targetPrice);
        else f = pool.swapExactIn(it.baseIn, it.amountIn);
      } catch (err) {
        // a limit of the pool reached by the market (the exact v2 pair's uint112 reserves on a huge move): say where
        if (err instanceof PoolError) throw new PoolError(err.reason, `step ${clock.step} (${new Date(clock.timestampMs).toISOString()}): trader ${t.id}'s swap ${it.kind === 'toPrice' ? `toward price ${it.targetPrice}` : `of ${it.amountIn} ${it.baseIn ? 'base' : 'quote'}`}: the pool ${err.message}`);
        throw err;
      }
      if (f.baseDelta === 0 && f.quoteDelta === 0) continue;
      const g = ledger.gasCost('swap');
      acct.base -= f.baseDelta;
      acct.quote -= f.quoteDelta + g;
      tot.trades++;
      tot.volume += Math.abs(f.quoteDelta);
      const profit = -(f.baseDelta * clock.price + f.quoteDelta) - g;
      tot.profit += profit;
      if (profit < tot.minTradeProfit) tot.minTradeProfit = profit;
      tot.gas += g;
    }
  };

  const events = ledger.events;
  const ts = series.timestampMs;
  const prices = series.price;
  for (let step = 0; step < n; step++) {
    const price = prices[step]!;
    clock.step = step;
    clock.timestampMs = ts[step]!;
    clock.price = price;
    ledger.mintedThisStep = false;
    if (book !== undefined && clock.timestampMs >= book.dueMs) book.advance();
    if (step === 0) {
      ledger.apply(call('onStart'));
      rec.measureNoFee();
      ledger.accrueExternal();
    } else {
      // The fee-less holdings recorded at the end of the previous step are the "before trading" amounts.
      const b0 = rec.noFeeBase;
      const q0 = rec.noFeeQuote;
      for (traderIdx = 0; traderIdx < inp.traders.length; traderIdx++) {
        const t = inp.traders[traderIdx]!;
        const intents = t.onStep(tctx);
        if (intents.length > 0) applyTrader(t, intents);
      }
      rec.measureNoFee();
      rec.addLvr(b0, q0, price);
      ledger.accrueExternal();
      const acts = call('onStep');
      if (acts.length > 0) {
        const first = events.length;
        ledger.apply(acts);
        if (ledger.mintedThisStep) {
          rebalances++;
          ledger.recordRebalance(first);
        }
      }
    }
    if (book !== undefined && (step === 0 || clock.timestampMs >= book.harvestDueMs)) book.harvest();
    rec.record(step, price);
    if (inp.onProgress !== undefined && (step & (PROGRESS_EVERY - 1)) === 0) inp.onProgress(step, n);
  }
  clock.step = n - 1;
  book?.finish();
  let end: unknown;
  try {
    end = lp.onEnd?.(ctx);
  } catch (err) {
    if (err instanceof StrategyError) throw err;
    throw new StrategyError(label, n - 1, ts[n - 1]!, `onEnd threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (end instanceof Promise || typeof (end as { then?: unknown } | null)?.then === 'function') {
    (end as PromiseLike<unknown>).then(undefined, () => undefined); // its rejection is not left unhandled
    throw new StrategyError(label, n - 1, ts[n - 1]!, 'onEnd returned a Promise (an async function?); strategies are synchronous: onEnd must return no actions (NO_ACTIONS), not a Promise');
  }
  if (end !== undefined && (!Array.isArray(end) || end.length > 0)) {
    throw new StrategyError(label, n - 1, ts[n - 1]!, `onEnd returned ${JSON.stringify(end)}; a backtest is valued at its last step, so onEnd must return no actions (NO_ACTIONS)`);
  }
  inp.onProgress?.(n, n);
  ledger.finish((i) => new Date(ts[i]!).toISOString());

  const accounts = new Map<string, Account>([['lp', { base: wallet.base + collected.base, quote: wallet.quote + collected.quote }]]);
  for (const id of [...traderAccounts.keys()].sort()) accounts.set(id, { ...traderAccounts.get(id)! });
  const years = (ts[n - 1]! - ts[0]!) / (365 * 86_400_000);
  return {
    timeseries: rewardCols === undefined ? cols : { ...cols, ...rewardCols },
    events,
    holdBase: rec.holdBase,
    holdQuote: rec.holdQuote,
    inRangeSteps: rec.inRangeSteps,
    rebalances,
    traders: traderTotals,
    accounts,
    initialPoolBalances,
    feesBase: rec.feeBase,
    feesQuote: rec.feeQuote,
    entryCost: rec.entryCost,
    entryPriceImpact: rec.entryPriceImpact,
    warnings: ledger.warnings,
    ...(book === undefined ? {} : { rewards: book.totals(years) }),
  };
}
