/**
 * The summary metrics a sweep tabulates per configuration, in column order: every numeric key of a backtest's
 * summary except those a row's axes already state or that are the same for every row (initialValue = capital,
 * steps and years of the shared series, seed).
 */
export const SWEEP_METRICS = [
  'finalValue', 'holdValue', 'vsHold', 'netPnl', 'apr', 'feesEarned', 'feeApr', 'feesValueAtEnd', 'feesBase', 'feesQuote',
  'impermanentLoss', 'lvr', 'gasCost', 'entryCost', 'entryPriceImpact', 'timeInRange', 'rebalances', 'maxDrawdown',
  'volatility', 'sharpe', 'arbitrageTrades', 'arbitrageVolume', 'noiseTrades', 'noiseVolume',
] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** Numeric summary keys deliberately not tabulated (see {@link SWEEP_METRICS}). */
export const NOT_TABULATED: readonly string[] = ['initialValue', 'steps', 'years', 'seed'];

/** The metrics of a summary in {@link SWEEP_METRICS} order; a missing or non-numeric value is NaN. */
export function metricsOf(summary: Readonly<Record<string, unknown>>): number[] {
  return SWEEP_METRICS.map((m) => {
    const v = summary[m];
    return typeof v === 'number' ? v : NaN;
  });
}
