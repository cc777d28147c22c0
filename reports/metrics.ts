/**
 * How each summary.json key is shown: a label, a unit and a number format. Shared by the HTML metrics table
 * and the terminal table so both say the same thing. Keys not listed here (future extensions) are still shown,
 * after the known ones, sorted by name, with a plain number format.
 */
import type { Summary } from '../sim/metrics/record.ts';

export type MetricFormat = 'quote' | 'fraction' | 'count' | 'ratio' | 'years' | 'integer';

export interface MetricInfo {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly format: MetricFormat;
  /** A label of ≤ 18 characters for the terminal table (default `label`). */
  readonly short?: string;
  /** Shown in the compact terminal table. */
  readonly terminal: boolean;
}

/** Known numeric summary keys, in display order (summary.json order). `config` and `data` are shown separately. */
export const METRICS: readonly MetricInfo[] = [
  { key: 'initialValue', label: 'Initial value', unit: 'quote', format: 'quote', terminal: true },
  { key: 'finalValue', label: 'Final value (incl. fees, less gas)', short: 'Final value', unit: 'quote', format: 'quote', terminal: true },
  { key: 'holdValue', label: 'Hold value', unit: 'quote', format: 'quote', terminal: true },
  { key: 'feesEarned', label: 'Fees earned', unit: 'quote', format: 'quote', terminal: true },
  { key: 'impermanentLoss', label: 'Impermanent loss', unit: '% of hold', format: 'fraction', terminal: true },
  { key: 'lvr', label: 'LVR', unit: 'quote', format: 'quote', terminal: true },
  { key: 'gasCost', label: 'Gas cost', unit: 'quote', format: 'quote', terminal: true },
  { key: 'netPnl', label: 'Net PnL', unit: 'quote', format: 'quote', terminal: true },
  { key: 'vsHold', label: 'PnL vs hold', unit: 'quote', format: 'quote', terminal: true },
  { key: 'apr', label: 'APR (simple)', unit: '% per year', format: 'fraction', terminal: true },
  { key: 'feeApr', label: 'Fee APR', unit: '% per year', format: 'fraction', terminal: true },
  { key: 'timeInRange', label: 'Time in range', unit: '% of steps', format: 'fraction', terminal: true },
  { key: 'rebalances', label: 'Rebalances', unit: 'count', format: 'count', terminal: true },
  { key: 'maxDrawdown', label: 'Max drawdown', unit: '% of peak', format: 'fraction', terminal: true },
  { key: 'volatility', label: 'Volatility (365 days)', short: 'Volatility (365 d)', unit: '% annualised', format: 'fraction', terminal: false },
  { key: 'sharpe', label: 'Sharpe (365 days, rf 0)', short: 'Sharpe (365 d)', unit: 'ratio', format: 'ratio', terminal: true },
  { key: 'steps', label: 'Steps', unit: 'count', format: 'count', terminal: true },
  { key: 'years', label: 'Span', unit: 'years (365 d)', format: 'years', terminal: false },
  { key: 'arbitrageTrades', label: 'Arbitrage trades', unit: 'count', format: 'count', terminal: false },
  { key: 'arbitrageVolume', label: 'Arbitrage volume', unit: 'quote', format: 'quote', terminal: false },
  { key: 'noiseTrades', label: 'Noise trades', unit: 'count', format: 'count', terminal: false },
  { key: 'noiseVolume', label: 'Noise volume', unit: 'quote', format: 'quote', terminal: false },
  { key: 'seed', label: 'Seed', unit: '', format: 'integer', terminal: true },
];

/** Summary keys that are objects, rendered in their own sections. */
export const NON_METRIC_KEYS: readonly string[] = ['strategyName', 'config', 'data'];

/**
 * The metric rows for a set of summaries: the known keys in {@link METRICS} order, then any other key present
 * in any summary (except config/data), sorted by name.
 */
export function metricRows(summaries: ReadonlyArray<Readonly<Summary> | Readonly<Record<string, unknown>>>): MetricInfo[] {
  const known = new Set(METRICS.map((m) => m.key));
  const extra = new Set<string>();
  for (const s of summaries) for (const k of Object.keys(s)) if (!known.has(k) && !NON_METRIC_KEYS.includes(k)) extra.add(k);
  return [
    ...METRICS,
    ...[...extra].sort().map((key): MetricInfo => ({ key, label: key, unit: '', format: 'ratio', terminal: false })),
  ];
}

/** Groups digits in threes with commas (locale-independent, so output is the same on every machine). */
export function groupThousands(s: string): string {
  const [int, frac] = s.split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac === undefined ? '' : `.${frac}`);
}

/**
 * A metric value for people: quote amounts with 2 decimals and thousands separators, fractions as % with 2
 * decimals, counts as integers. `null`/NaN (summary.json writes NaN as null) → `n/a`; ±Infinity → `±∞`.
 */
export function formatMetric(value: unknown, format: MetricFormat): string {
  if (typeof value !== 'number' || Number.isNaN(value)) return value === undefined ? '' : 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const fixed = (x: number, d: number): string => {
    const s = x.toFixed(d);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  };
  switch (format) {
    case 'quote':
      return Math.abs(value) >= 1e15 ? value.toExponential(4) : groupThousands(fixed(value, 2));
    case 'fraction':
      return Math.abs(value) >= 1e13 ? `${(value * 100).toExponential(3)} %` : `${groupThousands(fixed(value * 100, 2))} %`;
    case 'count':
      return Number.isInteger(value) ? groupThousands(String(value)) : groupThousands(fixed(value, 2));
    case 'integer':
      return String(value);
    case 'years':
      return fixed(value, 3);
    case 'ratio':
      return Math.abs(value) >= 1e9 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(3) : fixed(value, 3);
  }
}

/** The exact JSON text of a summary value, as summary.json holds it (NaN and ±Infinity are `null` there). */
export function exactJson(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}
