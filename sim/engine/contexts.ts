import { ConfigError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { PriceSeries } from '../core/series.ts';
import type { EnginePool, PositionView, SwapFill } from '../pools/enginePool.ts';
import type { Clock, LpLedger } from './ledger.ts';
import type { HistoryView, RewardsView, StrategyContext, TraderContext } from './strategy.ts';

/*
 * The contexts are class instances with their getters on the prototype, so every run's context objects share
 * one shape and one set of getters: a sweep's thousands of runs keep the step loop's reads of `ctx.price` and
 * friends monomorphic and inlined (object literals with getters made a new shape, and new getter functions,
 * per run). The function-valued members stay own properties holding arrow functions, so a strategy may still
 * take them off the context (`const { gasCost } = ctx`). The two contexts' step getters are written twice on
 * purpose: from one shared base class, each getter sees both classes' objects and runs measurably slower
 * (~3–5 % of a sweep's run).
 */

/** The past of the series as a strategy may see it: index i ≤ the current step, never later. */
class History implements HistoryView {
  readonly #clock: Clock;
  readonly price: (i: number) => number;
  readonly timestampMs: (i: number) => number;
  readonly extra: (name: string, i: number) => number | undefined;

  constructor(series: PriceSeries, clock: Clock, label: string) {
    this.#clock = clock;
    const check = (what: string, i: number): void => {
      if (!(Number.isInteger(i) && i >= 0 && i <= clock.step)) throw new ConfigError(`strategy ${label}`, Number.isInteger(i) || !(i >= 0 && i <= clock.step) ? `${what} is outside 0..${clock.step}: a strategy sees only the past` : `${what}: an index is an integer step in 0..${clock.step}`);
    };
    this.price = (i) => {
      check(`history.price(${i})`, i);
      return series.price[i]!;
    };
    this.timestampMs = (i) => {
      check(`history.timestampMs(${i})`, i);
      return series.timestampMs[i]!;
    };
    this.extra = (name, i) => {
      check(`history.extra(${name}, ${i})`, i);
      return series.extra.get(name)?.[i];
    };
  }

  get length(): number {
    return this.#clock.step + 1;
  }
}

/** The past of the series as a strategy may see it: index i ≤ the current step, never later. */
export function historyView(series: PriceSeries, clock: Clock, label: string): HistoryView {
  return new History(series, clock, label);
}

/**
 * A read-only window on two balances the engine keeps (the wallet, the collected fees): reads see the current
 * amounts, and a strategy cannot write them. Handing out the ledger's own objects let a JavaScript strategy
 * (`readonly` binds TypeScript only) write `ctx.wallet.base = 5` and create tokens; now such a write throws (ES
 * modules are strict) and the run stops naming the strategy. Read `.base` and `.quote` (a spread copies nothing:
 * the getters are on the prototype, which keeps every run's reads monomorphic).
 */
class Balances {
  readonly #of: { readonly base: number; readonly quote: number };
  constructor(of: { readonly base: number; readonly quote: number }) {
    this.#of = of;
  }
  get base(): number {
    return this.#of.base;
  }
  get quote(): number {
    return this.#of.quote;
  }
  /** `JSON.stringify(ctx.wallet)` and logging show the amounts (the getters live on the prototype). */
  toJSON(): { base: number; quote: number } {
    return { base: this.#of.base, quote: this.#of.quote };
  }
}

/** The strategy's context: one object for the whole run whose getters read the current step. */
class LpContext implements StrategyContext {
  readonly #pool: EnginePool;
  readonly #clock: Clock;
  readonly #ledger: LpLedger;
  readonly fee: number;
  readonly poolKind: 'v2' | 'v3';
  readonly history: HistoryView;
  readonly wallet: { readonly base: number; readonly quote: number };
  readonly collectedFees: { readonly base: number; readonly quote: number };
  readonly gasCost: (action: 'mint' | 'burn' | 'collect' | 'swap') => number;
  readonly rng: Rng;
  readonly rewards: RewardsView;

  constructor(pool: EnginePool, clock: Clock, ledger: LpLedger, history: HistoryView, rng: Rng) {
    this.#pool = pool;
    this.#clock = clock;
    this.#ledger = ledger;
    this.fee = pool.fee;
    this.poolKind = pool.kind;
    this.history = history;
    this.wallet = new Balances(ledger.wallet);
    this.collectedFees = new Balances(ledger.collected);
    this.gasCost = (action) => ledger.gasCost(action);
    this.rng = rng;
    this.rewards = new Rewards(clock, ledger);
  }

  get step(): number {
    return this.#clock.step;
  }

  get timestampMs(): number {
    return this.#clock.timestampMs;
  }

  get price(): number {
    return this.#clock.price;
  }

  get poolPrice(): number {
    return this.#pool.price();
  }

  get positions(): readonly PositionView[] {
    return this.#ledger.positionIds.map((id) => this.#pool.position(id));
  }
}

/** The strategy's context: one object for the whole run whose getters read the current step. */
export function strategyContext(pool: EnginePool, clock: Clock, ledger: LpLedger, history: HistoryView, rng: Rng): StrategyContext {
  return new LpContext(pool, clock, ledger, history, rng);
}

const NO_REWARDS: RewardsView = Object.freeze({ pending: () => 0, held: 0, price: NaN, programs: 0 });

/** The strategy's view of its liquidity-mining rewards (read through the ledger's programs at call time). */
class Rewards implements RewardsView {
  readonly #clock: Clock;
  readonly #ledger: LpLedger;
  readonly pending: (program?: number) => number;

  constructor(clock: Clock, ledger: LpLedger) {
    this.#clock = clock;
    this.#ledger = ledger;
    this.pending = (program?: number): number => {
      const book = ledger.rewards;
      if (book === undefined) return NO_REWARDS.pending();
      if (program === undefined) return book.pending();
      const p = book.programs[program];
      if (p === undefined) throw new ConfigError('rewards.pending', `program ${program} does not exist (programs 0..${book.programs.length - 1})`);
      return p.pending(Math.floor(clock.timestampMs / 1000));
    };
  }

  get held(): number {
    return this.#ledger.rewards?.held ?? 0;
  }

  get price(): number {
    return this.#ledger.rewards?.priceAt(this.#clock.step) ?? NaN;
  }

  get programs(): number {
    return this.#ledger.rewards?.programs.length ?? 0;
  }
}

/** The traders' context: quotes only (the engine applies their intents). `rngOf` is the current trader's stream. */
class TradersContext implements TraderContext {
  readonly #pool: EnginePool;
  readonly #clock: Clock;
  readonly #ledger: LpLedger;
  readonly #rngOf: () => Rng;
  readonly fee: number;
  readonly quoteToPrice: (target: number) => SwapFill;
  readonly quoteExactIn: (baseIn: boolean, amountIn: number) => SwapFill;
  readonly extra: (name: string) => number | undefined;

  constructor(pool: EnginePool, clock: Clock, series: PriceSeries, ledger: LpLedger, rngOf: () => Rng) {
    this.#pool = pool;
    this.#clock = clock;
    this.#ledger = ledger;
    this.#rngOf = rngOf;
    this.fee = pool.fee;
    this.quoteToPrice = (target) => pool.quoteToPrice(target);
    this.quoteExactIn = (baseIn, amountIn) => pool.quoteExactIn(baseIn, amountIn);
    this.extra = (name) => series.extra.get(name)?.[clock.step];
  }

  get step(): number {
    return this.#clock.step;
  }

  get timestampMs(): number {
    return this.#clock.timestampMs;
  }

  get price(): number {
    return this.#clock.price;
  }

  get poolPrice(): number {
    return this.#pool.price();
  }

  get swapGasCost(): number {
    return this.#ledger.gasCost('swap');
  }

  get rng(): Rng {
    return this.#rngOf();
  }
}

/** The traders' context: quotes only (the engine applies their intents). `rngOf` is the current trader's stream. */
export function traderContext(pool: EnginePool, clock: Clock, series: PriceSeries, ledger: LpLedger, rngOf: () => Rng): TraderContext {
  return new TradersContext(pool, clock, series, ledger, rngOf);
}
