import { ConfigError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { PriceSeries } from '../core/series.ts';
import type { EnginePool, PositionView } from '../pools/enginePool.ts';
import type { Clock, LpLedger } from './ledger.ts';
import type { HistoryView, RewardsView, StrategyContext, TraderContext } from './strategy.ts';

/** The past of the series as a strategy may see it: index i ≤ the current step, never later. */
export function historyView(series: PriceSeries, clock: Clock, label: string): HistoryView {
  const check = (what: string, i: number): void => {
    if (!(i >= 0 && i <= clock.step)) throw new ConfigError(`strategy ${label}`, `${what} is outside 0..${clock.step}: a strategy sees only the past`);
  };
  return {
    get length() {
      return clock.step + 1;
    },
    price(i: number): number {
      check(`history.price(${i})`, i);
      return series.price[i]!;
    },
    timestampMs(i: number): number {
      check(`history.timestampMs(${i})`, i);
      return series.timestampMs[i]!;
    },
    extra(name: string, i: number): number | undefined {
      check(`history.extra(${name}, ${i})`, i);
      return series.extra.get(name)?.[i];
    },
  };
}

/** The strategy's context: one object for the whole run whose getters read the current step. */
export function strategyContext(pool: EnginePool, clock: Clock, ledger: LpLedger, history: HistoryView, rng: Rng): StrategyContext {
  return {
    get step() {
      return clock.step;
    },
    get timestampMs() {
      return clock.timestampMs;
    },
    get price() {
      return clock.price;
    },
    get poolPrice() {
      return pool.price();
    },
    fee: pool.fee,
    poolKind: pool.kind,
    history,
    wallet: ledger.wallet,
    collectedFees: ledger.collected,
    get positions(): readonly PositionView[] {
      return ledger.positionIds.map((id) => pool.position(id));
    },
    gasCost: (action) => ledger.gasCost(action),
    rng,
    rewards: rewardsView(clock, ledger),
  };
}

const NO_REWARDS: RewardsView = Object.freeze({ pending: () => 0, held: 0, price: NaN, programs: 0 });

/** The strategy's view of its liquidity-mining rewards (read through the ledger's programs at call time). */
function rewardsView(clock: Clock, ledger: LpLedger): RewardsView {
  return {
    pending(program?: number): number {
      const book = ledger.rewards;
      if (book === undefined) return NO_REWARDS.pending();
      if (program === undefined) return book.pending();
      const p = book.programs[program];
      if (p === undefined) throw new ConfigError('rewards.pending', `program ${program} does not exist (programs 0..${book.programs.length - 1})`);
      return p.pending(Math.floor(clock.timestampMs / 1000));
    },
    get held() {
      return ledger.rewards?.held ?? 0;
    },
    get price() {
      return ledger.rewards?.priceAt(clock.step) ?? NaN;
    },
    get programs() {
      return ledger.rewards?.programs.length ?? 0;
    },
  };
}

/** The traders' context: quotes only (the engine applies their intents). `rngOf` is the current trader's stream. */
export function traderContext(pool: EnginePool, clock: Clock, series: PriceSeries, ledger: LpLedger, rngOf: () => Rng): TraderContext {
  return {
    get step() {
      return clock.step;
    },
    get timestampMs() {
      return clock.timestampMs;
    },
    get price() {
      return clock.price;
    },
    get poolPrice() {
      return pool.price();
    },
    fee: pool.fee,
    quoteToPrice: (target) => pool.quoteToPrice(target),
    quoteExactIn: (baseIn, amountIn) => pool.quoteExactIn(baseIn, amountIn),
    get swapGasCost() {
      return ledger.gasCost('swap');
    },
    extra: (name) => series.extra.get(name)?.[clock.step],
    get rng() {
      return rngOf();
    },
  };
}
