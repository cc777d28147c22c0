import type { PriceSeries } from '../core/series.ts';
import type { HistoryView, LpAction, LpStrategy, StrategyContext, TraderContext, TraderStrategy, SwapIntent } from './strategy.ts';
import { ConfigError, InvariantError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { EnginePool, PositionView, PriceRange, SwapFill } from '../pools/enginePool.ts';
import type { GasAction, GasModel } from './gas.ts';
import { TIMESERIES_COLUMNS, type LpEvent, type Timeseries } from '../metrics/record.ts';

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
   * the caller no longer needs. A year of minute rows is 15 × 4.2 MB; writing into fresh memory costs a page
   * fault per 4 KiB, a third of a run on some machines, so a sweep reuses one set. Default: new arrays.
   */
  readonly columns?: Timeseries;
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
}

const PROGRESS_EVERY = 1 << 16;

/**
 * Runs one backtest: a single deterministic loop over the series. Each step t, in this total order:
 *  1. t = 0: the LP strategy's `onStart` (its wallet holds `capital` in quote); the token amounts it holds
 *     afterwards are the hold benchmark.
 *  2. t > 0: each trader in `traders` order returns intents against the current pool; the engine applies them.
 *     LVR for the step is the value, at P_t, of the LP's fee-less pool holdings before this trading minus after
 *     it — which equals x_{t−1}(P_t − P_{t−1}) − (V_t − V_{t−1}) of CONTRACT.md, with liquidity the strategy adds
 *     or removes excluded because the strategy acts after it is measured.
 *  3. t > 0: the LP strategy's `onStep` sees the post-trade pool and the history up to t; its actions apply.
 *  4. The step is recorded.
 * Per-step allocations are kept out of the hot path: contexts are reused and idle strategies return shared
 * empty arrays.
 */
export function runEngine(inp: EngineInputs): EngineOutput {
  const { series, pool, lp, gas } = inp;
  const n = series.length;
  if (n < 2) throw new ConfigError('--prices', `a backtest needs at least 2 price rows; got ${n}`);
  const cols = inp.columns ?? (Object.fromEntries(TIMESERIES_COLUMNS.map((c) => [c, new Float64Array(n)])) as unknown as Timeseries);
  for (const c of TIMESERIES_COLUMNS) {
    if (cols[c].length !== n) throw new RangeError(`timeseries column ${c} must have ${n} rows to be reused; has ${cols[c].length}`);
  }
  const events: LpEvent[] = [];
  const initialPoolBalances = pool.tokenBalances();

  const wallet: Account = { base: 0, quote: inp.capital };
  const positionIds: number[] = [];
  const traderAccounts = new Map<string, Account>();
  const traderTotals = new Map<string, TraderTotals>();
  for (const t of inp.traders) {
    traderAccounts.set(t.id, { base: 0, quote: 0 });
    traderTotals.set(t.id, { trades: 0, volume: 0, profit: 0, gas: 0, minTradeProfit: Infinity });
  }

  let step = 0;
  let price = series.price[0]!;
  let gasCum = 0;
  let lvrCum = 0;
  let feesCum = 0;
  // Collected fees are set aside, not put back in the wallet the strategy spends from: LP value keeps them,
  // and "LP value without fees" (IL) stays well defined when a strategy burns and re-mints.
  let collectedFeeBase = 0;
  let collectedFeeQuote = 0;
  let lastFeeBase = 0;
  let lastFeeQuote = 0;
  let rebalances = 0;
  let inRangeSteps = 0;
  let stepMinted = false;
  let holdBase = 0;
  let holdQuote = 0;

  const history: HistoryView = {
    get length() {
      return step + 1;
    },
    price(i: number): number {
      if (!(i >= 0 && i <= step)) throw new ConfigError(`strategy ${lp.id}`, `history.price(${i}) is outside 0..${step}: a strategy sees only the past`);
      return series.price[i]!;
    },
    timestampMs(i: number): number {
      if (!(i >= 0 && i <= step)) throw new ConfigError(`strategy ${lp.id}`, `history.timestampMs(${i}) is outside 0..${step}`);
      return series.timestampMs[i]!;
    },
    extra(name: string, i: number): number | undefined {
      if (!(i >= 0 && i <= step)) throw new ConfigError(`strategy ${lp.id}`, `history.extra(${name}, ${i}) is outside 0..${step}`);
      return series.extra.get(name)?.[i];
    },
  };
  const lpRng = inp.rng.fork(`lp:${lp.id}`);
  const gasCost = (action: GasAction): number => gas.cost(action, series.timestampMs[step]!, price);
  const ctx: StrategyContext = {
    get step() {
      return step;
    },
    get timestampMs() {
      return series.timestampMs[step]!;
    },
    get price() {
      return price;
    },
    get poolPrice() {
      return pool.price();
    },
    fee: pool.fee,
    poolKind: pool.kind,
    history,
    wallet,
    get positions(): readonly PositionView[] {
      return positionIds.map((id) => pool.position(id));
    },
    gasCost,
    rng: lpRng,
  };

  const traderRngs = inp.traders.map((t) => inp.rng.fork(`trader:${t.id}`));
  let traderIdx = 0;
  const tctx: TraderContext = {
    get step() {
      return step;
    },
    get timestampMs() {
      return series.timestampMs[step]!;
    },
    get price() {
      return price;
    },
    get poolPrice() {
      return pool.price();
    },
    fee: pool.fee,
    quoteToPrice: (target) => pool.quoteToPrice(target),
    quoteExactIn: (baseIn, amountIn) => pool.quoteExactIn(baseIn, amountIn),
    get swapGasCost() {
      return gas.cost('swap', series.timestampMs[step]!, price);
    },
    extra: (name) => series.extra.get(name)?.[step],
    get rng() {
      return traderRngs[traderIdx]!;
    },
  };

  const payGas = (action: GasAction): void => {
    const c = gasCost(action);
    if (c > 0) {
      wallet.quote -= c;
      gasCum += c;
    }
  };

  const lpSwap = (baseIn: boolean, amountIn: number): void => {
    const have = baseIn ? wallet.base : wallet.quote;
    if (!(amountIn > 0) || amountIn > have * (1 + 1e-12)) {
      throw new ConfigError(`strategy ${lp.id}`, `swap of ${amountIn} ${baseIn ? 'base' : 'quote'} exceeds the wallet's ${have}`);
    }
    const f = pool.swapExactIn(baseIn, Math.min(amountIn, have));
    wallet.base -= f.baseDelta;
    wallet.quote -= f.quoteDelta;
    payGas('swap');
  };

  /**
   * How far from the range's value split the wallet would be after swapping `amountIn` (a quote, the pool is
   * not changed): base value − share × total value, at the post-swap price and the range's share there.
   * Signed so that it grows with `amountIn` (more input moves the split toward the other token).
   */
  const splitGap = (range: PriceRange | null, baseIn: boolean, amountIn: number): number => {
    const f = pool.quoteExactIn(baseIn, amountIn);
    const p = f.priceAfter;
    const base = wallet.base - f.baseDelta;
    const quote = wallet.quote - f.quoteDelta;
    const gap = base * p - pool.baseValueShare(range, p) * (base * p + quote);
    return baseIn ? -gap : gap;
  };

  /**
   * Swaps wallet tokens through the pool so their value split matches the range's need. First the size that
   * is right after the fee on the input at the current price; when that swap would move the pool price by
   * more than 1e-4 (a shallow pool, or a large LP), the size is solved again with the price impact — the
   * post-swap price and the range's split there — by bracketed regula falsi on quotes (Illinois variant, at
   * most 40 quotes), so the capital is deployed instead of left in the wallet.
   */
  const splitForRange = (range: PriceRange | null): void => {
    const q = pool.price();
    const share = pool.baseValueShare(range);
    const total = wallet.base * q + wallet.quote;
    const want = share * total;
    const have = wallet.base * q;
    const g = 1 - pool.fee;
    let baseIn: boolean;
    let max: number;
    let a: number;
    if (want > have * (1 + 1e-9) && wallet.quote > 0) {
      baseIn = false;
      max = wallet.quote;
      a = Math.min(max, (want - have) / (g + share * (1 - g)));
    } else if (have > want * (1 + 1e-9) && wallet.base > 0) {
      baseIn = true;
      max = wallet.base;
      a = Math.min(max, (have - want) / q / (g + (1 - share) * (1 - g)));
    } else return;
    if (!(a > 0)) return;
    const after = pool.quoteExactIn(baseIn, a).priceAfter;
    if (Math.abs(after / q - 1) > 1e-4) a = solveSplit(range, baseIn, a, max, total);
    lpSwap(baseIn, a);
  };

  /** The input amount in (0, max] whose swap leaves the wallet split as the range needs (see splitForRange). */
  const solveSplit = (range: PriceRange | null, baseIn: boolean, guess: number, max: number, total: number): number => {
    let lo = 0;
    let gLo = splitGap(range, baseIn, 0);
    if (!(gLo < 0)) return guess;
    let hi = guess;
    let gHi = splitGap(range, baseIn, hi);
    while (gHi < 0 && hi < max) {
      lo = hi;
      gLo = gHi;
      hi = Math.min(max, hi * 2);
      gHi = splitGap(range, baseIn, hi);
    }
    if (gHi <= 0) return hi; // even all of it does not reach the split: swap it all
    let side = 0;
    for (let i = 0; i < 40 && hi - lo > 1e-12 * hi; i++) {
      const x = (lo * gHi - hi * gLo) / (gHi - gLo);
      const gx = splitGap(range, baseIn, x);
      if (Math.abs(gx) <= 1e-10 * total) return x;
      if (gx < 0) {
        lo = x;
        gLo = gx;
        if (side === -1) gHi /= 2;
        side = -1;
      } else {
        hi = x;
        gHi = gx;
        if (side === 1) gLo /= 2;
        side = 1;
      }
    }
    return (lo + hi) / 2;
  };

  const record = (kind: LpEvent['kind'], r: PriceRange | null): void => {
    events.push({ step, timestampMs: series.timestampMs[step]!, kind, price, rangeLower: r?.lower ?? NaN, rangeUpper: r?.upper ?? NaN });
  };

  const ownPosition = (id: number): number => {
    const idx = positionIds.indexOf(id);
    if (idx < 0) throw new ConfigError(`strategy ${lp.id}`, `position ${id} is not one of the LP's open positions (${positionIds.join(', ') || 'none'})`);
    return idx;
  };

  const applyLp = (actions: readonly LpAction[]): void => {
    for (const a of actions) {
      switch (a.kind) {
        case 'mint': {
          const range = pool.snapRange(a.range);
          if (a.rebalance === true) splitForRange(range);
          // The wallet can be negative when gas outran the capital (the debt is carried); mint with what is there.
          const base = a.base ?? Math.max(0, wallet.base);
          const quote = a.quote ?? Math.max(0, wallet.quote);
          if (a.base === undefined && a.quote === undefined && base * pool.price() + quote <= 1e-12 * inp.capital) break;
          if (!(base >= 0 && quote >= 0) || base > wallet.base * (1 + 1e-12) + 1e-18 || quote > wallet.quote * (1 + 1e-12) + 1e-18) {
            throw new ConfigError(`strategy ${lp.id}`, `mint asks for ${base} base and ${quote} quote; the wallet holds ${wallet.base} and ${wallet.quote}`);
          }
          const f = pool.mint('lp', range, Math.min(base, wallet.base), Math.min(quote, wallet.quote));
          wallet.base -= f.base;
          wallet.quote -= f.quote;
          positionIds.push(f.positionId);
          payGas('mint');
          record('mint', f.range);
          stepMinted = true;
          break;
        }
        case 'burn': {
          const idx = ownPosition(a.positionId);
          const fraction = a.fraction ?? 1;
          if (!(fraction > 0 && fraction <= 1)) throw new ConfigError(`strategy ${lp.id}`, `burn fraction must be in (0, 1]; was ${fraction}`);
          const view = pool.position(a.positionId);
          const f = pool.burn(a.positionId, fraction);
          wallet.base += f.base;
          wallet.quote += f.quote;
          collectedFeeBase += f.feesBase;
          collectedFeeQuote += f.feesQuote;
          if (fraction === 1) positionIds.splice(idx, 1);
          payGas('burn');
          record('burn', view.range);
          break;
        }
        case 'collect': {
          ownPosition(a.positionId);
          const f = pool.collect(a.positionId);
          collectedFeeBase += f.feesBase;
          collectedFeeQuote += f.feesQuote;
          payGas('collect');
          record('collect', pool.position(a.positionId).range);
          break;
        }
        case 'swap':
          lpSwap(a.baseIn, a.amountIn);
          record('swap', null);
          break;
        default:
          throw new ConfigError(`strategy ${lp.id}`, `unknown action ${JSON.stringify(a)}`);
      }
    }
  };

  /** The LP's fee-less pool holdings (x, y) — the quantities LVR and IL are defined on. */
  let noFeeBase = 0;
  let noFeeQuote = 0;
  /** Whether every LP position was in range after this step's trading (i.e. while fees were being earned). */
  let tradedInRange = false;
  const measureNoFee = (): void => {
    noFeeBase = 0;
    noFeeQuote = 0;
    tradedInRange = positionIds.length > 0;
    for (let i = 0; i < positionIds.length; i++) {
      const v = pool.position(positionIds[i]!);
      noFeeBase += v.baseNoFees;
      noFeeQuote += v.quoteNoFees;
      if (!v.inRange) tradedInRange = false;
    }
  };

  const applyTrader = (t: TraderStrategy, intents: readonly SwapIntent[]): void => {
    const acct = traderAccounts.get(t.id)!;
    const tot = traderTotals.get(t.id)!;
    for (const it of intents) {
      let f: SwapFill;
      if (it.kind === 'toPrice') f = pool.swapToPrice(it.targetPrice);
      else f = pool.swapExactIn(it.baseIn, it.amountIn);
      if (f.baseDelta === 0 && f.quoteDelta === 0) continue;
      const g = gasCost('swap');
      acct.base -= f.baseDelta;
      acct.quote -= f.quoteDelta + g;
      tot.trades++;
      tot.volume += Math.abs(f.quoteDelta);
      const profit = -(f.baseDelta * price + f.quoteDelta) - g;
      tot.profit += profit;
      if (profit < tot.minTradeProfit) tot.minTradeProfit = profit;
      tot.gas += g;
    }
  };

  const C = cols;
  const ts = series.timestampMs;
  const prices = series.price;
  for (step = 0; step < n; step++) {
    price = prices[step]!;
    stepMinted = false;
    if (step === 0) {
      applyLp(inp.lp.onStart(ctx));
      measureNoFee();
    } else {
      // The fee-less holdings recorded at the end of the previous step are the "before trading" amounts.
      const b0 = noFeeBase;
      const q0 = noFeeQuote;
      for (traderIdx = 0; traderIdx < inp.traders.length; traderIdx++) {
        const t = inp.traders[traderIdx]!;
        const intents = t.onStep(tctx);
        if (intents.length > 0) applyTrader(t, intents);
      }
      measureNoFee();
      lvrCum += (b0 - noFeeBase) * price + (q0 - noFeeQuote);
      const acts = lp.onStep(ctx);
      if (acts.length > 0) {
        applyLp(acts);
        if (stepMinted) {
          rebalances++;
          const last = events[events.length - 1]!;
          events.push({ ...last, kind: 'rebalance' });
        }
      }
    }

    // Record the step.
    let posValue = 0;
    let principalValue = 0;
    let feeBase = collectedFeeBase;
    let feeQuote = collectedFeeQuote;
    let lpBase = wallet.base;
    let lpQuote = wallet.quote;
    let lower = NaN;
    let upper = NaN;
    noFeeBase = 0;
    noFeeQuote = 0;
    for (let i = 0; i < positionIds.length; i++) {
      const v = pool.position(positionIds[i]!);
      noFeeBase += v.baseNoFees;
      noFeeQuote += v.quoteNoFees;
      posValue += (v.base + v.feesBase) * price + v.quote + v.feesQuote;
      principalValue += v.base * price + v.quote;
      feeBase += v.feesBase;
      feeQuote += v.feesQuote;
      lpBase += v.base;
      lpQuote += v.quote;
      if (i === 0 && v.range !== null) {
        lower = v.range.lower;
        upper = v.range.upper;
      }
    }
    if (step === 0) {
      holdBase = lpBase;
      holdQuote = lpQuote;
    }
    feesCum += (feeBase - lastFeeBase) * price + (feeQuote - lastFeeQuote);
    lastFeeBase = feeBase;
    lastFeeQuote = feeQuote;
    const walletValue = wallet.base * price + wallet.quote;
    const lpValue = posValue + walletValue + collectedFeeBase * price + collectedFeeQuote;
    const holdValue = holdBase * price + holdQuote;
    const valueNoFees = principalValue + walletValue + gasCum;
    if (tradedInRange) inRangeSteps++;
    C.timestamp[step] = ts[step]!;
    C.price[step] = price;
    C.poolPrice[step] = pool.price();
    C.lpValue[step] = lpValue;
    C.holdValue[step] = holdValue;
    C.feesCumulative[step] = feesCum;
    C.impermanentLoss[step] = holdValue > 0 ? (valueNoFees - holdValue) / holdValue : 0;
    C.lvrCumulative[step] = lvrCum;
    C.gasCumulative[step] = gasCum;
    C.inRange[step] = tradedInRange ? 1 : 0;
    C.rangeLower[step] = lower;
    C.rangeUpper[step] = upper;
    C.lpBase[step] = lpBase;
    C.lpQuote[step] = lpQuote;
    C.activeLiquidity[step] = pool.activeLiquidity();
    if (inp.onProgress !== undefined && (step & (PROGRESS_EVERY - 1)) === 0) inp.onProgress(step, n);
  }
  step = n - 1;
  const end = lp.onEnd?.(ctx);
  if (end !== undefined && end.length > 0) {
    throw new InvariantError('onEnd actions are not applied in a backtest (the run is valued at its last step)');
  }
  inp.onProgress?.(n, n);

  const accounts = new Map<string, Account>([['lp', { base: wallet.base + collectedFeeBase, quote: wallet.quote + collectedFeeQuote }]]);
  for (const id of [...traderAccounts.keys()].sort()) accounts.set(id, { ...traderAccounts.get(id)! });
  return {
    timeseries: cols,
    events,
    holdBase,
    holdQuote,
    inRangeSteps,
    rebalances,
    traders: traderTotals,
    accounts,
    initialPoolBalances,
  };
}
