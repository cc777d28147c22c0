/**
 * How each summary.json key is shown: a label, a unit and a number format. Shared by the HTML metrics table
 * and the terminal table so both say the same thing. Keys not listed here (future extensions) are still shown,
 * after the known ones, sorted by name, with a plain number format.
 */
import type { Summary } from '../sim/metrics/record.ts';
import { OPTIONAL_METRICS, REWARD_METRICS, SUMMARY_METRICS, type MetricFormat, type MetricInfo } from '../sim/metrics/index.ts';
import { groupThousands } from '../sim/core/format.ts';

export type { MetricFormat, MetricInfo } from '../sim/metrics/index.ts';

/**
 * Known numeric summary keys, in display order (summary.json order): the label, unit and format of each come from
 * sim/metrics (SUMMARY_METRICS), the one list summary.json is computed from. `config` and `data` are shown separately.
 */
export const METRICS: readonly MetricInfo[] = SUMMARY_METRICS;

/** Summary keys that are objects, rendered in their own sections. */
export const NON_METRIC_KEYS: readonly string[] = ['strategyName', 'config', 'data', 'warnings'];

/**
 * The metric rows for a set of summaries: the known keys in {@link METRICS} order, then the optional metrics of
 * sim/metrics (OPTIONAL_METRICS) present in any summary, in their order, then any other key present in any summary
 * (except config/data/warnings), sorted by name.
 */
export function metricRows(summaries: ReadonlyArray<Readonly<Summary> | Readonly<Record<string, unknown>>>): MetricInfo[] {
  const known = new Set([...METRICS, ...OPTIONAL_METRICS].map((m) => m.key));
  const present = (k: string): boolean => summaries.some((s) => k in s);
  const extra = new Set<string>();
  // an object (e.g. feeModels) is no metric: reports show it in a section of its own (see objectSummaryKeys)
  for (const s of summaries) for (const k of Object.keys(s)) if (!known.has(k) && !NON_METRIC_KEYS.includes(k) && !isObjectValue(s[k as keyof typeof s])) extra.add(k);
  return [
    ...METRICS,
    ...OPTIONAL_METRICS.filter((m) => present(m.key)),
    ...[...extra].sort().map((key): MetricInfo => ({ key, label: key, unit: '', format: 'ratio', terminal: false })),
  ];
}

/** Whether a summary value is an object or array (not a number, string or null). */
function isObjectValue(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

/** The summary keys outside {@link NON_METRIC_KEYS} that hold an object (e.g. `feeModels`), sorted by name. */
export function objectSummaryKeys(summaries: ReadonlyArray<Readonly<Summary> | Readonly<Record<string, unknown>>>): string[] {
  const keys = new Set<string>();
  for (const s of summaries) for (const k of Object.keys(s)) if (!NON_METRIC_KEYS.includes(k) && isObjectValue(s[k as keyof typeof s])) keys.add(k);
  return [...keys].sort();
}

/**
 * The optional metrics that apply to a set of summaries (or compare entries): the liquidity-mining ones only when one
 * of them has `rewardsEarned` (a run with programs), since staking's entries carry a `rewardApr` of their own; the
 * others always (each is shown only where present).
 */
export function optionalMetricsFor(summaries: ReadonlyArray<Readonly<Record<string, unknown>>>): readonly MetricInfo[] {
  if (summaries.some((s) => 'rewardsEarned' in s)) return OPTIONAL_METRICS;
  const reward = new Set<string>([...REWARD_METRICS.map((m) => m.key), 'breakevenRewardPriceStaking']);
  return OPTIONAL_METRICS.filter((m) => !reward.has(m.key));
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
    case 'tokens':
      return Math.abs(value) >= 1e15 || (value !== 0 && Math.abs(value) < 1e-6) ? value.toExponential(4) : groupThousands(fixed(value, Math.abs(value) >= 1000 ? 2 : 6));
    case 'ratio':
      return Math.abs(value) >= 1e9 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(3) : fixed(value, 3);
  }
}

/** A summary metric's cell text in the HTML tables: {@link formatMetric}, but a policy that never compounds says so. */
export function formatMetricCell(key: string, value: unknown, format: MetricFormat): string {
  if (key === 'apyCompoundsPerYear' && value === 0) return 'never';
  return formatMetric(value, format);
}

/** The exact JSON text of a summary value, as summary.json holds it (NaN and ±Infinity are `null` there). */
export function exactJson(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}

/** The summary.json keys that are not numbers, as the README's metrics table describes them (after the metrics). */
export const NON_METRIC_DESCRIPTIONS: ReadonlyArray<readonly [key: string, description: string]> = [
  ['strategyName', "the LP strategy's name (a user module's `defineStrategy` name; a built-in's flag value)"],
  ['config', 'the resolved configuration (defaults < config file < flags)'],
  ['data', 'provenance of the series: kind, file, sha256, rows, first and last timestamp'],
  ['warnings', 'always present: one sentence each on what changes how to read the run (e.g. the strategy stopped acting); empty when there is nothing to say'],
];

/**
 * The README's summary.json table (Markdown), generated from the same lists as the tables above: every metric of
 * SUMMARY_METRICS then OPTIONAL_METRICS with its label, unit and meaning, then the non-numeric keys.
 */
export function metricsMarkdownTable(): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = [
    '| key | label | unit | meaning |',
    '|---|---|---|---|',
    ...SUMMARY_METRICS.map((m) => `| \`${m.key}\` | ${cell(m.label)} | ${cell(m.unit)} | ${cell(m.description)} |`),
    ...OPTIONAL_METRICS.map((m) => `| \`${m.key}\` | ${cell(m.label)} | ${cell(m.unit)} | ${cell(m.description)} (only some runs) |`),
    ...NON_METRIC_DESCRIPTIONS.map(([k, d]) => `| \`${k}\` | | | ${cell(d)} |`),
  ];
  return rows.join('\n') + '\n';
}
