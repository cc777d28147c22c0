import type { EnginePool } from '../pools/enginePool.ts';
import type { Timeseries } from '../metrics/record.ts';
import type { IncentiveBook } from './incentives.ts';
import type { LpLedger } from './ledger.ts';

/**
 * The per-step record of a run: the LP's fee-less holdings (what LVR and IL are defined on), its values and the
 * running sums, written into the timeseries columns. Kept apart from the step loop, which only orders the step
 * (traders, LP, harvest, record); its numbers are fields, updated in place (as variables shared with a closure,
 * V8 would box every write).
 */
export class StepRecorder {
  /** The LP's fee-less pool holdings after the last measure (or the last step's record). */
  noFeeBase = 0;
  noFeeQuote = 0;
  /** Whether every LP position was in range after this step's trading (i.e. while fees were being earned). */
  tradedInRange = false;
  /** Σ LVR so far. */
  lvrCum = 0;
  feesCum = 0;
  /** The fees as earned (each in the token it was paid in) at the last recorded step: what `feesCum` values. */
  lastFeeBase = 0;
  lastFeeQuote = 0;
  /** All fee tokens so far (collected, reinvested, and held by or owed to open positions), at the last recorded step. */
  feeBase = 0;
  feeQuote = 0;
  inRangeSteps = 0;
  holdBase = 0;
  holdQuote = 0;
  entryCost = 0;
  entryPriceImpact = 0;

  constructor(
    private readonly cols: Timeseries,
    private readonly pool: EnginePool,
    private readonly ledger: LpLedger,
    private readonly book: IncentiveBook | undefined,
    private readonly external: boolean,
    private readonly capital: number,
  ) {}

  /** Measures the fee-less holdings and whether all positions are in range (after trading). */
  measureNoFee(): void {
    const ids = this.ledger.positionIds;
    let base = 0;
    let quote = 0;
    let inRange = ids.length > 0;
    for (let i = 0; i < ids.length; i++) {
      const v = this.pool.livePosition(ids[i]!);
      base += v.baseNoFees;
      quote += v.quoteNoFees;
      if (!v.inRange) inRange = false;
    }
    this.noFeeBase = base;
    this.noFeeQuote = quote;
    this.tradedInRange = inRange;
  }

  /** Adds the LVR of this step's trading, from the fee-less holdings before it (`b0`, `q0`) to now. */
  addLvr(b0: number, q0: number, price: number): void {
    this.lvrCum += (b0 - this.noFeeBase) * price + (q0 - this.noFeeQuote);
  }

  /** Records step `step` at market price `price` (after trading, the LP's actions and any harvest). */
  record(step: number, price: number): void {
    const { pool, ledger, cols: C } = this;
    const { wallet, collected, reinvested, positionIds } = ledger;
    const book = this.book;
    let posValue = 0;
    let principalValue = 0;
    let feeBase = collected.base + reinvested.base;
    let feeQuote = collected.quote + reinvested.quote;
    let earnedBase = feeBase + ledger.earnedLessCollected.base;
    let earnedQuote = feeQuote + ledger.earnedLessCollected.quote;
    let lpBase = wallet.base;
    let lpQuote = wallet.quote;
    let lower = NaN;
    let upper = NaN;
    let noFeeBase = 0;
    let noFeeQuote = 0;
    for (let i = 0; i < positionIds.length; i++) {
      const v = pool.livePosition(positionIds[i]!);
      let fb = v.feesBase;
      let fq = v.feesQuote;
      let eb = v.feesEarnedBase;
      let eq = v.feesEarnedQuote;
      if (this.external) {
        const o = ledger.owedTo(v.positionId)!;
        fb = eb = o.base;
        fq = eq = o.quote;
      }
      noFeeBase += v.baseNoFees;
      noFeeQuote += v.quoteNoFees;
      posValue += (v.base + fb) * price + v.quote + fq;
      principalValue += v.base * price + v.quote;
      feeBase += fb;
      feeQuote += fq;
      earnedBase += eb;
      earnedQuote += eq;
      lpBase += v.base;
      lpQuote += v.quote;
      if (i === 0 && v.range !== null) {
        lower = v.range.lower;
        upper = v.range.upper;
      }
    }
    // the end-of-step holdings: the next step's "before trading" amounts
    this.noFeeBase = noFeeBase;
    this.noFeeQuote = noFeeQuote;
    this.feeBase = feeBase;
    this.feeQuote = feeQuote;
    this.feesCum += (earnedBase - this.lastFeeBase) * price + (earnedQuote - this.lastFeeQuote);
    this.lastFeeBase = earnedBase;
    this.lastFeeQuote = earnedQuote;
    const gasCum = ledger.gasPaid;
    if (step === 0) {
      // Hold is the tokens the entry's split produced, before the LP's gas: a holder sends no swap or mint, so the
      // quote the entry's gas took stays in hold (and vsHold charges the LP all of its gas, IL adding all of it back).
      this.holdBase = lpBase;
      this.holdQuote = lpQuote + gasCum;
    }
    const walletValue = wallet.base * price + wallet.quote;
    let lpValue = posValue + walletValue + collected.base * price + collected.quote;
    const holdValue = this.holdBase * price + this.holdQuote;
    // Fees moved into the wallet (useFees) are fees, not principal: IL leaves them out.
    let valueNoFees = principalValue + walletValue + gasCum - (reinvested.base * price + reinvested.quote);
    if (book !== undefined) {
      // Rewards held, pending and sold count in LP value (with linear programs the book adds them to the column in
      // bulk between events, after step 0); rewards compounded into positions are not principal.
      if (step === 0 || !book.linear) lpValue += book.record(step);
      valueNoFees -= book.compoundedValue(price);
    }
    if (step === 0) {
      this.entryCost = this.capital - lpValue - gasCum;
      this.entryPriceImpact = pool.price() / price - 1;
    }
    if (this.tradedInRange) this.inRangeSteps++;
    C.poolPrice[step] = pool.price();
    C.lpValue[step] = lpValue;
    C.holdValue[step] = holdValue;
    C.feesCumulative[step] = this.feesCum;
    C.impermanentLoss[step] = holdValue > 0 ? (valueNoFees - holdValue) / holdValue : 0;
    C.lvrCumulative[step] = this.lvrCum;
    C.gasCumulative[step] = gasCum;
    C.inRange[step] = this.tradedInRange ? 1 : 0;
    C.rangeLower[step] = lower;
    C.rangeUpper[step] = upper;
    C.lpBase[step] = lpBase;
    C.lpQuote[step] = lpQuote;
    C.activeLiquidity[step] = pool.activeLiquidity();
  }
}
