import { didYouMean, PoolError, StrategyError } from '../core/errors.ts';
import type { EnginePool, PriceRange, SwapFill } from '../pools/enginePool.ts';
import { getPriceAtTickFloat } from '../math/v3/float.ts';
import type { LpEvent } from '../metrics/record.ts';
import type { ExternalFees, FeeTokens } from './externalFees.ts';
import type { GasAction, GasModel } from './gas.ts';
import type { IncentiveBook } from './incentives.ts';
import { rangeSplitSwap, type Wallet } from './rangeSplit.ts';
import type { LpAction } from './strategy.ts';

/** Where the engine is in the run, for gas prices, event records and messages. */
export interface Clock {
  step: number;
  timestampMs: number;
  /** Market price at this step. */
  price: number;
}

/**
 * The LP's books: its wallet, open positions, fees collected and set aside, gas paid, and the fees an external fee
 * model credits to its positions. Applies the strategy's intents to the pool in order, charging gas per action.
 */
export class LpLedger {
  readonly wallet: Wallet;
  /** Open position ids, in opening order. */
  readonly positionIds: number[] = [];
  /** Collected fees set aside (not in the wallet, so fees and IL stay separable) until a `useFees` action. */
  readonly collected: FeeTokens = { base: 0, quote: 0 };
  /** Fee tokens moved into the wallet by `useFees` (so IL can leave them out). */
  readonly reinvested: FeeTokens = { base: 0, quote: 0 };
  /**
   * Over burns that report their fees as earned (v2, whose pool reinvests each fee): those less the fee tokens the
   * burns returned. Collected + reinvested + this is the fees as earned, each in the token it was paid in.
   */
  readonly earnedLessCollected: FeeTokens = { base: 0, quote: 0 };
  gasPaid = 0;
  /** Mints this step (a mint after the start is a rebalance). */
  mintedThisStep = false;
  readonly events: LpEvent[] = [];
  readonly warnings: string[] = [];
  /** Fees owed to each open position by the external model (undefined without one). */
  private readonly owed: Map<number, FeeTokens> | undefined;
  private idleMints = 0;
  private firstIdleMint = -1;
  /** Why the first skipped mint was skipped, when not an empty wallet. */
  private idleWhy: string | undefined;
  /** Liquidity-mining programs (set by the engine when the run has any): stakes follow mints and burns. */
  rewards: IncentiveBook | undefined = undefined;

  constructor(
    private readonly pool: EnginePool,
    private readonly gas: GasModel,
    private readonly clock: Clock,
    private readonly capital: number,
    /** The strategy as named in messages: its name, and its file for a user module. */
    readonly label: string,
    private readonly external?: ExternalFees,
  ) {
    this.wallet = { base: 0, quote: capital };
    this.owed = external === undefined ? undefined : new Map();
  }

  gasCost(action: GasAction): number {
    return this.gas.cost(action, this.clock.timestampMs, this.clock.price);
  }

  /** Pays a gas cost computed elsewhere (a harvest's claim) from the wallet. */
  chargeGas(cost: number): void {
    if (cost > 0) {
      this.wallet.quote -= cost;
      this.gasPaid += cost;
    }
  }

  /**
   * Swaps the wallet (what it holds, debts aside) to `range`'s ratio through the pool, paying the swap's gas; recorded
   * as a `split` event (before the mint it is for).
   */
  private swapToRatio(range: PriceRange | null): void {
    const w = this.wallet;
    const s = rangeSplitSwap(this.pool, { base: Math.max(0, w.base), quote: Math.max(0, w.quote) }, range);
    if (s === undefined) return;
    const before = this.pool.price();
    const f = this.pool.swapExactIn(s.baseIn, s.amountIn);
    w.base -= f.baseDelta;
    w.quote -= f.quoteDelta;
    this.recordSwap('split', s.baseIn, f, before, this.payGas('swap'), range);
  }

  /** Pays an action's gas from the wallet; returns what was paid. */
  private payGas(action: GasAction): number {
    const c = this.gasCost(action);
    if (c > 0) {
      this.wallet.quote -= c;
      this.gasPaid += c;
      return c;
    }
    return 0;
  }

  private fail(problem: string, cause?: unknown): never {
    throw new StrategyError(this.label, this.clock.step, this.clock.timestampMs, problem, cause === undefined ? {} : { cause });
  }

  /*
   * Event records (events.json): one object literal per kind, so each kind's keys keep one order. Called once per
   * action (never per step); the wallet is read after the action and its gas.
   */

  /** A mint's event: tokens into position `id`, the liquidity they bought, the mint's gas. */
  private recordMint(id: number, r: PriceRange | null, base: number, quote: number, gas: number): void {
    const c = this.clock;
    const w = this.wallet;
    const liquidity = this.pool.livePosition(id).liquidity;
    this.events.push({ step: c.step, timestampMs: c.timestampMs, kind: 'mint', price: c.price, rangeLower: r?.lower ?? NaN, rangeUpper: r?.upper ?? NaN, positionId: id, base, quote, liquidity, gas, walletBase: w.base, walletQuote: w.quote });
  }

  /** A burn's event: `fraction` of position `id` (of `liquidity` before), its principal and the fees collected with it. */
  private recordBurn(id: number, r: PriceRange | null, fraction: number, liquidity: number, base: number, quote: number, fees: FeeTokens, gas: number): void {
    const c = this.clock;
    const w = this.wallet;
    this.events.push({
      step: c.step,
      timestampMs: c.timestampMs,
      kind: 'burn',
      price: c.price,
      rangeLower: r?.lower ?? NaN,
      rangeUpper: r?.upper ?? NaN,
      positionId: id,
      fraction,
      base,
      quote,
      feesBase: fees.base,
      feesQuote: fees.quote,
      liquidity: fraction === 1 ? liquidity : liquidity * fraction,
      gas,
      walletBase: w.base,
      walletQuote: w.quote,
    });
  }

  private recordCollect(id: number, r: PriceRange | null, fees: FeeTokens, gas: number): void {
    const c = this.clock;
    const w = this.wallet;
    this.events.push({ step: c.step, timestampMs: c.timestampMs, kind: 'collect', price: c.price, rangeLower: r?.lower ?? NaN, rangeUpper: r?.upper ?? NaN, positionId: id, feesBase: fees.base, feesQuote: fees.quote, gas, walletBase: w.base, walletQuote: w.quote });
  }

  /** A swap's event (`swap`: the strategy's; `split`: to `r`'s ratio before a mint): direction, amounts, fee, prices. */
  private recordSwap(kind: 'swap' | 'split', baseIn: boolean, f: SwapFill, priceBefore: number, gas: number, r: PriceRange | null): void {
    const c = this.clock;
    const w = this.wallet;
    this.events.push({
      step: c.step,
      timestampMs: c.timestampMs,
      kind,
      price: c.price,
      rangeLower: r?.lower ?? NaN,
      rangeUpper: r?.upper ?? NaN,
      baseIn,
      // + 0 turns a zero fill's -0 into 0
      amountIn: (baseIn ? f.baseDelta : f.quoteDelta) + 0,
      amountOut: -(baseIn ? f.quoteDelta : f.baseDelta) + 0,
      fee: f.feeAmount,
      priceBefore,
      priceAfter: f.priceAfter,
      gas,
      walletBase: w.base,
      walletQuote: w.quote,
    });
  }

  /**
   * The `rebalance` event of a step whose LP actions minted after the start (the engine calls it after the actions;
   * `first` is the index of the step's first event): the step's totals — tokens into the new position(s), principal out
   * of the burned ones, fees collected, the swaps' net tokens, all gas — with the range and id of the (last) new
   * position. Token conservation: outBase + swapBase − base = the wallet's change in base over the step, and the same
   * in quote less gas (a `useFees` action, which has no event, adds the fees it moves).
   */
  recordRebalance(first: number): void {
    const ev = this.events;
    let base = 0;
    let quote = 0;
    let liquidity = 0;
    let outBase = 0;
    let outQuote = 0;
    let feesBase = 0;
    let feesQuote = 0;
    let swapBase = 0;
    let swapQuote = 0;
    let gas = 0;
    let mint: LpEvent | undefined;
    for (let i = first; i < ev.length; i++) {
      const e = ev[i]!;
      gas += e.gas ?? 0;
      switch (e.kind) {
        case 'mint':
          base += e.base!;
          quote += e.quote!;
          liquidity += e.liquidity!;
          mint = e;
          break;
        case 'burn':
          outBase += e.base!;
          outQuote += e.quote!;
          feesBase += e.feesBase!;
          feesQuote += e.feesQuote!;
          break;
        case 'collect':
          feesBase += e.feesBase!;
          feesQuote += e.feesQuote!;
          break;
        case 'swap':
        case 'split':
          if (e.baseIn) {
            swapBase -= e.amountIn!;
            swapQuote += e.amountOut!;
          } else {
            swapQuote -= e.amountIn!;
            swapBase += e.amountOut!;
          }
          break;
        default:
      }
    }
    const m = mint ?? ev[ev.length - 1]!;
    const c = this.clock;
    const w = this.wallet;
    ev.push({
      step: c.step,
      timestampMs: c.timestampMs,
      kind: 'rebalance',
      price: c.price,
      rangeLower: m.rangeLower,
      rangeUpper: m.rangeUpper,
      ...(m.positionId === undefined ? {} : { positionId: m.positionId }),
      base,
      quote,
      liquidity,
      outBase,
      outQuote,
      feesBase,
      feesQuote,
      swapBase,
      swapQuote,
      gas,
      walletBase: w.base,
      walletQuote: w.quote,
    });
  }

  private swap(baseIn: boolean, amountIn: number): void {
    const w = this.wallet;
    const have = baseIn ? w.base : w.quote;
    if (typeof baseIn !== 'boolean') this.fail(`swap: baseIn must be true (sell base) or false (sell quote); was ${describe(baseIn)}`);
    if (typeof amountIn !== 'number' || !(amountIn > 0) || !Number.isFinite(amountIn)) this.fail(`swap: amountIn must be a finite number > 0; was ${describe(amountIn)}`);
    if (amountIn > have * (1 + 1e-12)) {
      this.fail(`swap of ${amountIn} ${baseIn ? 'base' : 'quote'} exceeds the wallet's ${have}`);
    }
    const before = this.pool.price();
    const f = this.pool.swapExactIn(baseIn, Math.min(amountIn, have));
    w.base -= f.baseDelta;
    w.quote -= f.quoteDelta;
    this.recordSwap('swap', baseIn, f, before, this.payGas('swap'), null);
  }

  private indexOf(id: number): number {
    const idx = this.positionIds.indexOf(id);
    if (idx < 0) this.fail(`position ${id} is not one of the LP's open positions (${this.positionIds.join(', ') || 'none'})`);
    return idx;
  }

  /** Fees the external model owes position `id` (zero without a model). */
  owedTo(id: number): FeeTokens | undefined {
    return this.owed?.get(id);
  }

  /** Moves a position's owed external fees to the collected pile; returns what it moved. */
  private collectOwed(id: number): FeeTokens {
    const o = this.owed?.get(id);
    if (o === undefined) return { base: 0, quote: 0 };
    const moved = { base: o.base, quote: o.quote };
    this.collected.base += o.base;
    this.collected.quote += o.quote;
    o.base = 0;
    o.quote = 0;
    return moved;
  }

  /** The external model's fees for this step, for every open position. */
  accrueExternal(): void {
    const ext = this.external;
    if (ext === undefined) return;
    const step = this.clock.step;
    for (let i = 0; i < this.positionIds.length; i++) {
      const id = this.positionIds[i]!;
      ext.accrue(id, step, this.owed!.get(id)!);
    }
  }

  /** Applies the strategy's actions in order. */
  apply(actions: readonly LpAction[]): void {
    if (!Array.isArray(actions)) this.fail(`returned ${describe(actions)}; a strategy returns an array of actions (NO_ACTIONS when idle)`);
    for (const a of actions) {
      if (a === null || typeof a !== 'object') this.fail(`returned an action that is not an object: ${describe(a)}`);
      try {
        this.applyOne(a);
      } catch (err) {
        // an action the pool cannot carry out (a mint that buys no liquidity, a tick over its liquidity cap, a dust
        // burn the pair refuses) is the strategy's, named with its step, not a bare revert
        if (err instanceof PoolError) this.fail(`${describe(a)}: the pool ${err.message}`, err);
        throw err;
      }
    }
  }

  private applyOne(a: LpAction): void {
    this.checkShape(a);
    switch (a.kind) {
      case 'mint':
        if (a.ticks !== undefined) this.mintTicks(a);
        else this.mint(a);
        break;
      case 'burn':
        this.burn(a.positionId, a.fraction ?? 1);
        break;
      case 'collect': {
        this.indexOf(a.positionId);
        const f = this.pool.collect(a.positionId);
        let fees: FeeTokens;
        if (this.owed === undefined) {
          this.collected.base += f.feesBase;
          this.collected.quote += f.feesQuote;
          fees = { base: f.feesBase, quote: f.feesQuote };
        } else fees = this.collectOwed(a.positionId);
        this.recordCollect(a.positionId, this.pool.position(a.positionId).range, fees, this.payGas('collect'));
        break;
      }
      case 'useFees': {
        const c = this.collected;
        this.wallet.base += c.base;
        this.wallet.quote += c.quote;
        this.reinvested.base += c.base;
        this.reinvested.quote += c.quote;
        c.base = 0;
        c.quote = 0;
        break;
      }
      case 'swap':
        this.swap(a.baseIn, a.amountIn);
        break;
      case 'stake':
      case 'unstake':
      case 'claim':
        if (this.rewards === undefined) this.fail(`${a.kind} needs a liquidity-mining program (--incentive FILE.json)`);
        this.rewards.applyIntent(a);
        break;
      default:
        this.fail(`unknown action ${describe(a)} (kinds: mint, burn, collect, useFees, swap, stake, unstake, claim)`);
    }
  }

  /**
   * An action's keys and their types (per action, never per step): a key its kind does not take (a misspelt
   * `fractoin` would otherwise burn all of a position), a mint giving both a range and ticks, or a value of the wrong
   * type (`fraction: '0.5'`, `swapToRatio: 'no'`) is refused, naming the action. A key set to `undefined` is absent.
   */
  private checkShape(a: LpAction): void {
    const o = a as unknown as Record<string, unknown>;
    const kind = o.kind;
    if (typeof kind !== 'string' || !Object.hasOwn(ACTION_KEYS, kind)) {
      this.fail(`unknown action ${describe(a)}${typeof kind === 'string' ? didYouMean(kind, ACTION_KINDS) : ''} (kinds: ${ACTION_KINDS.join(', ')})`);
    }
    let keys = ACTION_KEYS[kind]!;
    if (kind === 'mint') {
      const byTicks = o.ticks !== undefined || o.liquidity !== undefined;
      if (byTicks && o.range !== undefined) this.fail(`${describe(a)}: a mint is either by range ({ kind: 'mint', range, base?, quote?, swapToRatio? }) or by ticks ({ kind: 'mint', ticks, liquidity, swapToRatio? }), not both`);
      keys = byTicks ? MINT_TICKS_KEYS : MINT_RANGE_KEYS;
      if (byTicks && o.ticks === undefined) this.fail(`${describe(a)}: a mint by ticks needs ticks: { lower, upper } with its liquidity`);
      if (o.liquidity !== undefined && typeof o.liquidity !== 'string' && typeof o.liquidity !== 'bigint') {
        this.fail(`${describe(a)}: liquidity must be a decimal string or a bigint (a uint128); was ${describe(o.liquidity)}${typeof o.liquidity === 'number' ? ` (a number${Number.isSafeInteger(o.liquidity) ? `: give it as a string, '${o.liquidity}'` : ', exact only below 2^53: give it as a decimal string'})` : ''}`);
      }
    }
    for (const k of Object.keys(o)) {
      if (o[k] === undefined || keys.includes(k)) continue;
      const other = kind === 'mint' && (keys === MINT_TICKS_KEYS ? MINT_RANGE_KEYS : MINT_TICKS_KEYS).includes(k) ? ` (${k} goes with a mint by ${keys === MINT_TICKS_KEYS ? 'range' : 'ticks'})` : didYouMean(k, keys);
      this.fail(`${describe(a)}: ${kindName(kind, keys)} has no key "${k}"${other} (its keys: ${keys.join(', ')})`);
    }
    for (const k of keys) {
      const v = o[k];
      if (v === undefined || k === 'kind') continue;
      const want = KEY_TYPES[k];
      if (want === 'number' && typeof v !== 'number') this.fail(`${describe(a)}: ${k} must be a number; was ${describe(v)}${typeof v === 'string' ? ' (a string)' : ''}`);
      if (want === 'boolean' && typeof v !== 'boolean') this.fail(`${describe(a)}: ${k} must be true or false; was ${describe(v)}`);
      if (want === 'integer' && !Number.isInteger(v)) this.fail(`${describe(a)}: ${k} must be an integer (a number); was ${describe(v)}${typeof v === 'string' ? ' (a string)' : ''}`);
    }
    if (kind === 'mint' && o.swapToRatio !== undefined && o.rebalance !== undefined) {
      this.fail(`${describe(a)}: give swapToRatio or rebalance (its older name), not both`);
    }
  }

  private mint(a: Extract<LpAction, { kind: 'mint'; ticks?: undefined }>): void {
    const pool = this.pool;
    const w = this.wallet;
    if (a.range !== null && (typeof a.range !== 'object' || !(a.range.lower > 0) || !(a.range.upper > a.range.lower) || !Number.isFinite(a.range.upper))) {
      this.fail(`mint range must be null (full range) or { lower, upper } with 0 < lower < upper < Infinity; was ${describe(a.range)}`);
    }
    const range = pool.snapRange(a.range);
    const named = a.base !== undefined || a.quote !== undefined;
    const swapFirst = a.swapToRatio ?? a.rebalance ?? !named;
    if (swapFirst) this.swapToRatio(range);
    // A wallet in debt (gas paid beyond it) mints with what it holds.
    const base = a.base ?? Math.max(0, w.base);
    const quote = a.quote ?? Math.max(0, w.quote);
    const value = base * pool.price() + quote;
    if (!named && value <= 1e-12 * this.capital) {
      this.idleMints++;
      if (this.firstIdleMint < 0) this.firstIdleMint = this.clock.step;
      return;
    }
    if (!(base >= 0 && quote >= 0) || base > Math.max(0, w.base) * (1 + 1e-12) + 1e-18 || quote > Math.max(0, w.quote) * (1 + 1e-12) + 1e-18) {
      this.fail(`mint asks for ${base} base and ${quote} quote; the wallet holds ${w.base} and ${w.quote}`);
    }
    let f;
    try {
      f = pool.mint('lp', range, Math.min(base, Math.max(0, w.base)), Math.min(quote, Math.max(0, w.quote)));
    } catch (err) {
      // Nothing mintable from a wallet drained by gas is the strategy's situation, not a crash.
      if (!named && err instanceof Error && 'reason' in err) {
        this.idleMints++;
        if (this.firstIdleMint < 0) {
          this.firstIdleMint = this.clock.step;
          // a wallet that holds value the pool cannot mint from (one token only, at a price where the split bought
          // nothing) is not an empty one
          if (value > 1e-9 * this.capital) this.idleWhy = `the pool refused its mint (${err.message}) with ${amount(w.base)} base and ${amount(w.quote)} quote in the wallet`;
        }
        return;
      }
      throw err;
    }
    w.base -= f.base;
    w.quote -= f.quote;
    this.positionIds.push(f.positionId);
    this.rewards?.onMint(f.positionId);
    if (this.external !== undefined) {
      this.external.open(f.positionId, f.range, f.base, f.quote, pool.price(), this.clock.step);
      this.owed!.set(f.positionId, { base: 0, quote: 0 });
    }
    this.recordMint(f.positionId, f.range, f.base, f.quote, this.payGas('mint'));
    this.mintedThisStep = true;
  }

  /** A mint by integer ticks and raw liquidity (see the `mint` intent in strategy.ts). */
  private mintTicks(a: Extract<LpAction, { kind: 'mint'; ticks: object }>): void {
    const pool = this.pool;
    const w = this.wallet;
    const t = a.ticks;
    if (t === null || typeof t !== 'object' || !Number.isInteger(t.lower) || !Number.isInteger(t.upper) || !(t.lower < t.upper)) {
      this.fail(`mint ticks must be { lower, upper } with integers lower < upper; was ${describe(t)}`);
    }
    let L: bigint;
    try {
      L = typeof a.liquidity === 'bigint' ? a.liquidity : /^\d+$/.test(String(a.liquidity).trim()) ? BigInt(String(a.liquidity).trim()) : -1n;
    } catch {
      L = -1n;
    }
    if (!(L > 0n && L < 1n << 128n)) this.fail(`mint liquidity must be a uint128 > 0 (a decimal string or a bigint); was ${describe(typeof a.liquidity === 'bigint' ? String(a.liquidity) : a.liquidity)}`);
    if (pool.mintTicks === undefined || pool.amountsForTicks === undefined) this.fail('a mint by ticks and liquidity needs a v3 pool (--pool v3)');
    const raw = { tickLower: t.lower, tickUpper: t.upper, liquidity: L };
    const e = this.external?.enginePosition?.(raw) ?? raw;
    let need: { base: number; quote: number };
    try {
      need = pool.amountsForTicks(e.tickLower, e.tickUpper, e.liquidity);
    } catch (err) {
      this.fail(`mint ticks [${t.lower}, ${t.upper}) liquidity ${L}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (a.swapToRatio ?? true) {
      this.swapToRatio({ lower: getPriceAtTickFloat(e.tickLower), upper: getPriceAtTickFloat(e.tickUpper) });
      need = pool.amountsForTicks(e.tickLower, e.tickUpper, e.liquidity);
    }
    const tol = (x: number): number => x * (1 + 1e-9) + 1e-12;
    if (need.base > tol(Math.max(0, w.base)) || need.quote > tol(Math.max(0, w.quote))) {
      this.fail(`mint of liquidity ${L} on ticks [${t.lower}, ${t.upper}) takes ${need.base} base and ${need.quote} quote; the wallet holds ${w.base} and ${w.quote} (raise --capital)`);
    }
    const f = pool.mintTicks('lp', e.tickLower, e.tickUpper, e.liquidity);
    w.base -= f.base;
    w.quote -= f.quote;
    this.positionIds.push(f.positionId);
    this.rewards?.onMint(f.positionId);
    if (this.external !== undefined) {
      this.external.open(f.positionId, f.range, f.base, f.quote, pool.price(), this.clock.step, raw);
      this.owed!.set(f.positionId, { base: 0, quote: 0 });
    }
    this.recordMint(f.positionId, f.range, f.base, f.quote, this.payGas('mint'));
    this.mintedThisStep = true;
  }

  private burn(id: number, fraction: number): void {
    const idx = this.indexOf(id);
    if (!(fraction > 0 && fraction <= 1)) this.fail(`burn fraction must be in (0, 1]; was ${fraction}`);
    const view = this.pool.position(id);
    const staked = this.rewards?.onBurn(id);
    const f = this.pool.burn(id, fraction);
    if (staked !== undefined && fraction < 1) this.rewards!.afterPartialBurn(id, staked);
    this.rewards?.burned(id, fraction, f.base, f.quote);
    this.wallet.base += f.base;
    this.wallet.quote += f.quote;
    let fees: FeeTokens;
    if (this.owed === undefined) {
      this.collected.base += f.feesBase;
      this.collected.quote += f.feesQuote;
      fees = { base: f.feesBase, quote: f.feesQuote };
      if (f.feesEarnedBase !== undefined && f.feesEarnedQuote !== undefined) {
        this.earnedLessCollected.base += f.feesEarnedBase - f.feesBase;
        this.earnedLessCollected.quote += f.feesEarnedQuote - f.feesQuote;
      }
    } else {
      fees = this.collectOwed(id);
      if (fraction === 1) {
        this.owed.delete(id);
        this.external!.close(id);
      } else this.external!.resize(id, 1 - fraction);
    }
    if (fraction === 1) this.positionIds.splice(idx, 1);
    this.recordBurn(id, view.range, fraction, view.liquidity, f.base, f.quote, fees, this.payGas('burn'));
  }

  /** Warnings for the run's summary: a strategy that could no longer act, and why. */
  finish(formatTime: (step: number) => string): void {
    if (this.idleMints > 0) {
      this.warnings.push(
        `${this.label} could not mint from step ${this.firstIdleMint} (${formatTime(this.firstIdleMint)}) on: ${this.idleWhy ?? 'its wallet held nothing to mint with'} ` +
          `(gas paid ${round(this.gasPaid)} of capital ${round(this.capital)}; collected fees set aside ${round(this.collected.base)} base + ${round(this.collected.quote)} quote). ` +
          `${this.idleMints} mint${this.idleMints === 1 ? ' was' : 's were'} skipped` +
          (this.collected.base > 0 || this.collected.quote > 0 ? '; a strategy can spend collected fees with a useFees action (rebalance: --param compound=true)' : ''),
      );
    }
  }
}

const MINT_RANGE_KEYS: readonly string[] = ['kind', 'range', 'base', 'quote', 'swapToRatio', 'rebalance'];
const MINT_TICKS_KEYS: readonly string[] = ['kind', 'ticks', 'liquidity', 'swapToRatio'];
/** Each action kind's keys (a mint's: by range or by ticks, above), as strategy.ts's LpAction declares them. */
const ACTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  mint: MINT_RANGE_KEYS,
  burn: ['kind', 'positionId', 'fraction'],
  collect: ['kind', 'positionId'],
  useFees: ['kind'],
  swap: ['kind', 'baseIn', 'amountIn'],
  stake: ['kind', 'positionId', 'program'],
  unstake: ['kind', 'positionId', 'program'],
  claim: ['kind', 'program'],
};
const ACTION_KINDS: readonly string[] = Object.keys(ACTION_KEYS);
/** The type of each key's value (`range`, `ticks`, a swap's `baseIn` and `amountIn` are checked where they are used). */
const KEY_TYPES: Readonly<Record<string, 'number' | 'boolean' | 'integer' | undefined>> = {
  base: 'number',
  quote: 'number',
  swapToRatio: 'boolean',
  rebalance: 'boolean',
  positionId: 'integer',
  fraction: 'number',
  program: 'integer',
};

function kindName(kind: string, keys: readonly string[]): string {
  if (kind === 'mint') return keys === MINT_TICKS_KEYS ? 'a mint by ticks' : 'a mint by range';
  return `${/^(?:[aeio]|un)/.test(kind) ? 'an' : 'a'} ${kind}`;
}

function round(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 100) / 100) : String(x);
}

/** A token amount for a message: 2 decimals from 100 up, else 4 significant digits (0.001664 base is not "0"). */
function amount(x: number): string {
  return !Number.isFinite(x) || Math.abs(x) >= 100 ? round(x) : String(Number(x.toPrecision(4)));
}

function describe(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'number') return String(x); // NaN and ±Infinity as themselves (JSON would say null)
  try {
    const s = JSON.stringify(x);
    return s === undefined ? String(x) : s.length > 120 ? s.slice(0, 117) + '...' : s;
  } catch {
    return String(x);
  }
}
