/**
 * Summary tables for the terminal: compact (fits 80 columns), plain text unless colour is asked for.
 * Callers decide colour with {@link shouldUseColor} (NO_COLOR, non-TTY → no colour).
 */
import type { Summary } from '../sim/metrics/record.ts';
import { OPTIONAL_METRICS } from '../sim/metrics/index.ts';
import { formatMetric, METRICS, optionalMetricsFor, type MetricInfo } from './metrics.ts';
import { runVerdict } from './verdict.ts';

export interface TerminalTableOptions {
  /** ANSI colours (bold header, red/green signs). Default false. */
  readonly color?: boolean;
}

/**
 * Whether to colour output: never when NO_COLOR is set to a non-empty value (https://no-color.org), never when
 * the stream is not a TTY.
 */
export function shouldUseColor(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return stream.isTTY === true;
}

const ANSI = { bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', green: '\u001b[32m', reset: '\u001b[0m' } as const;

/** Keys whose sign is good or bad news (coloured green/red). */
const SIGNED = new Set(['netPnl', 'vsHold', 'apr', 'impermanentLoss', 'sharpe']);

function paint(text: string, code: string, color: boolean): string {
  return color ? `${code}${text}${ANSI.reset}` : text;
}

function signColor(key: string, v: unknown): string {
  if (!SIGNED.has(key) || typeof v !== 'number' || v === 0 || Number.isNaN(v)) return '';
  return v > 0 ? ANSI.green : ANSI.red;
}

/** A metric value with a short unit suffix for the terminal (quote amounts carry none: the header says so). */
function cellText(m: MetricInfo, v: unknown): string {
  // Harvests a year that compound: 0 is a policy that never compounds (APY = APR), 'never' as the HTML report says.
  if (m.key === 'apyCompoundsPerYear' && typeof v === 'number' && Number.isFinite(v)) return v === 0 ? 'never' : `${v.toFixed(2).replace(/\.00$/, '')}/yr`;
  return formatMetric(v, m.format);
}

/** Splits text at spaces into lines of ≤ `width` characters (continuations indented by 2); a longer word stands alone. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  // a unit stays with its number: "+0.1 %" is never split into "+0.1" and a line starting "%"
  const words: string[] = [];
  for (const w of text.split(' ')) {
    if (/^%/.test(w) && words.length > 0) words[words.length - 1] += ` ${w}`;
    else words.push(w);
  }
  for (const word of words) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length <= width || line === '' || line === '  ') line = next;
    else {
      lines.push(line);
      line = `  ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

const LABEL_WIDTH = 18;
const VALUE_WIDTH = 18;
const GAP = '   ';

/**
 * The backtest summary: the verdict against holding on the first line (see reports/verdict.ts), then two columns
 * of `label  value` pairs (≤ 80 characters wide) headed by the strategy, pool and span (the run's warnings go to
 * stderr from the command, not into this table).
 * Quote amounts have 2 decimals; fractions are shown in %.
 */
export function formatSummaryTable(summary: Readonly<Summary>, options: TerminalTableOptions = {}): string {
  const color = options.color === true;
  const s = summary as unknown as Record<string, unknown>;
  const cfg = (s.config ?? {}) as Record<string, unknown>;
  const name = typeof s.strategyName === 'string' ? s.strategyName : undefined;
  const path = typeof cfg.strategy === 'string' ? cfg.strategy : undefined;
  const head = [
    // a user module shows its name and its file; a built-in's name is what was asked for
    name !== undefined && path !== undefined && name !== path ? `${name} (${path})` : (name ?? path ?? 'run'),
    typeof cfg.pool === 'string' ? `pool ${cfg.pool}` : undefined,
    typeof cfg.fee === 'number' ? `fee ${formatMetric(cfg.fee, 'fraction')}` : undefined,
    `${formatMetric(summary.steps, 'count')} steps`,
    typeof summary.years === 'number' ? `${(summary.years * 365).toFixed(1)} days` : undefined,
  ].filter((x): x is string => x !== undefined);
  const cells = [...METRICS, ...OPTIONAL_METRICS].filter((m) => m.terminal && m.key in s).map((m) => {
    const v = s[m.key];
    const label = (m.short ?? m.label).slice(0, LABEL_WIDTH).padEnd(LABEL_WIDTH);
    const text = cellText(m, v).padStart(VALUE_WIDTH);
    const code = signColor(m.key, v);
    return label + (code === '' ? text : paint(text, code, color));
  });
  const verdict = runVerdict(summary);
  const lines = [
    ...(verdict === undefined ? [] : wrapWords(`${verdict}.`, 80).map((l) => paint(l, ANSI.bold, color))),
    paint(head.join(' · '), ANSI.bold, color),
    paint('(amounts in quote units; % as stated)', ANSI.dim, color),
  ];
  const half = Math.ceil(cells.length / 2);
  for (let i = 0; i < half; i++) {
    const right = cells[i + half];
    lines.push(right === undefined ? cells[i]! : cells[i]! + GAP + right);
  }
  return lines.join('\n') + '\n';
}

/** One alternative of `ammsim compare` (lp, hold, staking, …) and its metrics. */
export interface CompareEntry {
  readonly name: string;
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** The compare table's `rewardApr` row when a run has programs (reports/compare.ts labels it so in the HTML report). */
export const COMPARE_REWARD_APR_LABEL = 'Reward APR (LP: mining, realised; staking: in base)';

/** Rows of the compare table, in order; a row is shown when any alternative has the key. */
const COMPARE_KEYS: readonly string[] = [
  'initialValue',
  'finalValue',
  'netPnl',
  'vsHold',
  'apr',
  'feesEarned',
  'impermanentLoss',
  'lvr',
  'gasCost',
  'maxDrawdown',
  'volatility',
  'sharpe',
  'timeInRange',
];

/**
 * The alternatives of `ammsim compare` side by side: one column per alternative (in the given order), one row
 * per metric present in any of them; `—` where an alternative has no such metric. Up to 3 alternatives fit
 * in 80 columns.
 */
/**
 * Keys of an LP entry the terminal's compare table leaves to summary.json and the report's "Every metric" table: the
 * simulated traders' counts and volumes and the fee tokens, which say nothing of LP against staking.
 */
const COMPARE_TERMINAL_OMITS: readonly string[] = ['arbitrageTrades', 'arbitrageVolume', 'noiseTrades', 'noiseVolume', 'feesBase', 'feesQuote'];

export function formatCompareTable(entries: readonly CompareEntry[], options: TerminalTableOptions = {}): string {
  const color = options.color === true;
  const colWidth = Math.max(14, ...entries.map((e) => e.name.length + 1));
  const labelWidth = 22;
  // With liquidity mining, `rewardApr` is one row for the LPs (their mining rewards) and staking (its own rate, in
  // base), labelled as the HTML report's compare table labels it.
  const optional = optionalMetricsFor(entries.map((e) => e.metrics)).map((m): MetricInfo => (m.key === 'rewardApr' ? { key: m.key, label: COMPARE_REWARD_APR_LABEL, unit: m.unit, format: m.format, terminal: m.terminal } : m));
  const info = new Map<string, MetricInfo>([...METRICS, ...optional].map((m) => [m.key, m]));
  const keys = COMPARE_KEYS.filter((k) => entries.some((e) => k in e.metrics));
  // The other rows in the metric list's order (the reward metrics as the README and summary.json list them).
  const present = new Set(entries.flatMap((e) => Object.keys(e.metrics)));
  const extra = [...info.keys()].filter((k) => present.has(k) && !COMPARE_KEYS.includes(k) && !COMPARE_TERMINAL_OMITS.includes(k) && typeof entries.find((e) => k in e.metrics)!.metrics[k] === 'number');
  const header = ''.padEnd(labelWidth) + entries.map((e) => e.name.padStart(colWidth)).join('');
  const lines = [paint(header, ANSI.bold, color)];
  for (const key of [...keys, ...extra]) {
    const m = info.get(key) ?? { key, label: key, unit: '', format: 'ratio' as const, terminal: false };
    const name = m.short ?? m.label;
    // A label longer than its column has a line of its own, the values on the next line.
    if (name.length > labelWidth - 1) lines.push(name);
    const label = (name.length > labelWidth - 1 ? '' : name).padEnd(labelWidth);
    const cells = entries.map((e) => {
      const v = e.metrics[key];
      const text = (key in e.metrics ? cellText(m, v) : '—').padStart(colWidth);
      const code = signColor(key, v);
      return code === '' ? text : paint(text, code, color);
    });
    lines.push(label + cells.join(''));
  }
  lines.push(paint('(amounts in quote units; % as stated)', ANSI.dim, color));
  return lines.join('\n') + '\n';
}
