/**
 * A deterministic synthetic BacktestResult for report tests (no engine needed, no randomness): a range
 * position on [P0/(1+w), P0·(1+w)] whose value follows the concentrated-liquidity amounts exactly, fees that
 * accrue in proportion to |ΔP| while in range, and one optional rebalance. Not a simulation; just consistent
 * enough columns to draw and check charts.
 */
import { MS_PER_YEAR } from '../../sim/core/time.ts';
import { REWARD_COLUMNS, TIMESERIES_COLUMNS, type BacktestResult, type LpEvent, type Summary } from '../../sim/metrics/record.ts';
import { positionAmountsPerLiquidity } from '../ilCurve.ts';

export interface SyntheticRunParams {
  readonly steps: number;
  readonly startMs?: number;
  readonly stepMs?: number;
  readonly p0?: number;
  /** Range half-width W: [P0/(1+W), P0(1+W)]; undefined = full range. */
  readonly width?: number;
  /** Step at which the position is re-centred (a rebalance event), if any. */
  readonly rebalanceAt?: number;
  readonly amplitude?: number;
  /**
   * A liquidity-mining program: `perStep` reward tokens accrue each step (pending), claimed every `harvestEvery`
   * steps and held (a `harvest` event); the reward price falls linearly from `price0` to half of it. Adds the
   * REWARD_COLUMNS and the reward summary keys; lpValue includes the rewards at the reward price.
   */
  readonly rewards?: { readonly perStep: number; readonly harvestEvery: number; readonly price0?: number };
}

export function syntheticRun(params: SyntheticRunParams): BacktestResult {
  const n = params.steps;
  const startMs = params.startMs ?? Date.UTC(2024, 0, 1);
  const stepMs = params.stepMs ?? 60_000;
  const p0 = params.p0 ?? 2000;
  const amp = params.amplitude ?? 0.35;
  const rw = params.rewards;
  const columns = rw === undefined ? TIMESERIES_COLUMNS : [...TIMESERIES_COLUMNS, ...REWARD_COLUMNS];
  const cols = Object.fromEntries(columns.map((c) => [c, new Float64Array(n)])) as Record<(typeof columns)[number], Float64Array>;
  let pending = 0;
  let held = 0;
  let claimedValue = 0;
  let harvests = 0;
  const events: LpEvent[] = [];
  const rangeOf = (center: number) =>
    params.width === undefined ? { lower: 0, upper: Infinity } : { lower: center / (1 + params.width), upper: center * (1 + params.width) };
  let range = rangeOf(p0);
  const capital = 10_000;
  // Liquidity scale so that the deposit is worth `capital` at p0.
  const a0 = positionAmountsPerLiquidity(p0, range);
  let liq = capital / (a0.base * p0 + a0.quote);
  const holdBase = liq * a0.base;
  const holdQuote = liq * a0.quote;
  let fees = 0;
  let gas = 0;
  let lvr = 0;
  let prevPrice = p0;
  let prevBase = holdBase;
  let prevPrincipal = capital;
  events.push({ step: 0, timestampMs: startMs, kind: 'mint', price: p0, rangeLower: range.lower, rangeUpper: range.upper });
  for (let i = 0; i < n; i++) {
    const t = startMs + i * stepMs;
    // Deterministic wiggle: a slow swing plus two faster harmonics.
    const price = p0 * Math.exp(amp * Math.sin((2 * Math.PI * i) / n) + 0.02 * Math.sin(i / 7) + 0.01 * (Math.cos(i / 3.3) - 1));
    if (params.rebalanceAt !== undefined && i === params.rebalanceAt) {
      const valueNow = prevPrincipal;
      range = rangeOf(price);
      const a = positionAmountsPerLiquidity(price, range);
      liq = valueNow / (a.base * price + a.quote);
      gas += 5;
      events.push({ step: i, timestampMs: t, kind: 'rebalance', price, rangeLower: range.lower, rangeUpper: range.upper });
    }
    const a = positionAmountsPerLiquidity(price, range);
    const base = liq * a.base;
    const principal = base * price + liq * a.quote;
    const inRange = price > range.lower && price < range.upper;
    if (i > 0 && inRange) fees += 0.003 * Math.abs(price - prevPrice) * 3;
    if (i > 0) lvr += prevBase * (price - prevPrice) - (principal - prevPrincipal);
    const hold = holdBase * price + holdQuote;
    cols.timestamp[i] = t;
    cols.price[i] = price;
    cols.poolPrice[i] = price * (1 + 0.001 * Math.sin(i));
    let rewardValue = 0;
    if (rw !== undefined) {
      const rp = (rw.price0 ?? 5) * (1 - (0.5 * i) / Math.max(1, n - 1));
      pending += i > 0 ? rw.perStep : 0;
      if (i > 0 && i % rw.harvestEvery === 0) {
        held += pending;
        claimedValue += pending * rp;
        pending = 0;
        harvests++;
        gas += 1;
        events.push({ step: i, timestampMs: t, kind: 'harvest', price, rangeLower: NaN, rangeUpper: NaN });
      }
      rewardValue = (held + pending) * rp;
      cols.rewardsCumulative![i] = claimedValue + pending * rp;
      cols.rewardTokensPending![i] = pending;
      cols.rewardPrice![i] = rp;
    }
    cols.lpValue[i] = principal + fees - gas + rewardValue;
    cols.holdValue[i] = hold;
    cols.feesCumulative[i] = fees;
    cols.impermanentLoss[i] = principal / hold - 1;
    cols.lvrCumulative[i] = lvr;
    cols.gasCumulative[i] = gas;
    cols.inRange[i] = inRange ? 1 : 0;
    cols.rangeLower[i] = params.width === undefined ? NaN : range.lower;
    cols.rangeUpper[i] = params.width === undefined ? NaN : range.upper;
    cols.lpBase[i] = base;
    cols.lpQuote[i] = liq * a.quote;
    cols.activeLiquidity[i] = inRange ? liq : 0;
    prevPrice = price;
    prevBase = base;
    prevPrincipal = principal;
  }
  const last = n - 1;
  let peak = -Infinity;
  let mdd = 0;
  for (let i = 0; i < n; i++) {
    peak = Math.max(peak, cols.lpValue[i]!);
    mdd = Math.min(mdd, cols.lpValue[i]! / peak - 1);
  }
  const years = ((n - 1) * stepMs) / MS_PER_YEAR;
  const finalValue = cols.lpValue[last]!;
  const rewardSummary = (): Partial<Summary> => {
    const lastPrice = cols.rewardPrice![last]!;
    const tokens = held + pending;
    const rewardsEarned = claimedValue + pending * lastPrice;
    const rewardApr = years > 0 ? rewardsEarned / capital / years : 0;
    const feeApr = years > 0 ? fees / capital / years : 0;
    const n = years > 0 ? harvests / years : 0;
    return {
      rewardTokensEarned: tokens,
      rewardsEarned,
      rewardsValueAtEnd: tokens * lastPrice,
      rewardAprSpot: rewardApr,
      rewardApr,
      totalApr: feeApr + rewardApr,
      apy: Math.pow(1 + (feeApr + rewardApr) / n, n) - 1,
      apyCompoundsPerYear: n,
      harvests,
      harvestGas: harvests,
      rewardSlippage: 0,
      performanceFees: 0,
      callerFees: 0,
      breakevenRewardPriceHold: (cols.holdValue[last]! - (cols.lpValue[last]! - tokens * lastPrice)) / tokens,
    };
  };
  const summary: Summary = {
    initialValue: capital,
    finalValue,
    holdValue: cols.holdValue[last]!,
    feesEarned: fees,
    impermanentLoss: cols.impermanentLoss[last]!,
    lvr,
    gasCost: gas,
    netPnl: finalValue - capital,
    vsHold: finalValue - cols.holdValue[last]!,
    apr: years > 0 ? (finalValue / capital - 1) / years : 0,
    feeApr: years > 0 ? fees / capital / years : 0,
    timeInRange: cols.inRange.reduce((s, v) => s + v, 0) / n,
    rebalances: params.rebalanceAt === undefined ? 0 : 1,
    maxDrawdown: -mdd,
    volatility: 0.5,
    sharpe: 1.25,
    steps: n,
    years,
    arbitrageTrades: 42,
    arbitrageVolume: 123456.789,
    noiseTrades: 0,
    noiseVolume: 0,
    ...(rw === undefined ? {} : rewardSummary()),
    seed: 7,
    strategyName: params.width === undefined ? 'full-range' : 'range',
    config: { strategy: params.width === undefined ? 'full-range' : 'range', pool: 'v3', fee: 0.003, width: params.width ?? null, capital, seed: 7 },
    data: {
      kind: 'synthetic',
      sha256: '0'.repeat(64),
      rows: n,
      firstTimestampMs: startMs,
      lastTimestampMs: startMs + last * stepMs,
      params: { model: 'sine', steps: n },
    },
  };
  return { summary, timeseries: cols, events };
}
