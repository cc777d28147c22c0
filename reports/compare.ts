/**
 * The `ammsim compare` report: the reports engine's page (charts of every LP run, staking as an extra line) with a
 * verdict per LP alternative, a metrics table with one column per alternative (each LP, hold, staking), the
 * breakeven and what-if tables in plain words, and the comparison's own config (staking settings, window).
 * Reads only the comparison's result shape (no import of runs/): `runs/compare` builds it, the CLI writes it.
 */
import type { BacktestResult, LpEvent, Summary } from '../sim/metrics/record.ts';
import { reportCharts, type ReportChart } from './charts/index.ts';
import { escapeHtml, renderReportHtml, sortedJson } from './html.ts';
import { exactJson, formatMetric, formatMetricCell, METRICS, optionalMetricsFor, type MetricInfo } from './metrics.ts';
import type { ChartOptions, ReportRun } from './model.ts';
import { runVerdict, sentenceAmount, sentencePercent, shortUtc } from './verdict.ts';

/**
 * What the compare report reads: runs/compare's CompareResult satisfies it, and so does a comparison's folder read
 * back (reports/compareDir.ts). Every figure of the page comes from `summary` (summary.json); of the LP runs only
 * their per-step record and events are drawn, so the folder rebuilds the page byte for byte.
 */
export interface CompareReportInput {
  /** The comparison's summary.json (alternatives, one entry per id, differences, breakeven, whatIf, config, data, notes). */
  readonly summary: Readonly<Record<string, unknown>>;
  /** The LP alternatives, in order (their ids key the summary's entries). */
  readonly alternatives: ReadonlyArray<{ readonly id: string }>;
  /** One backtest per LP alternative, in the same order: its per-step record and events (its figures are the summary entry's). */
  readonly runs: ReadonlyArray<Pick<BacktestResult, 'timeseries' | 'events'>>;
  /** Staking's value per step (quote). */
  readonly staking: { readonly value: ArrayLike<number> };
  /** The beta-matched benchmark's value per step (half held in quote, half in base and staked), when compared. */
  readonly holdStaked?: { readonly value: ArrayLike<number> };
}

type Obj = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function pct2(x: unknown): string {
  return finite(x) ? `${(x * 100).toFixed(2).replace(/^-/, '−')} %` : '—';
}

/**
 * Why a comparison has no breakeven staking APR (breakevenStakingApr returned undefined): no APR changes staking's
 * value (no day credited under daily compounding, no accrual time, a 100 % commission), or the LP ended with nothing.
 */
export function breakevenUndefinedReason(summary: Obj, lpId: string): string {
  const cfg = obj(obj(summary.config).staking);
  const st = obj(summary.staking);
  const lp = obj(summary[lpId]);
  if (finite(lp.finalValue) && lp.finalValue <= 0) return 'the LP ended with nothing, which no staking APR matches';
  if (finite(cfg.commission) && cfg.commission >= 1) return 'the commission takes every reward, so no APR changes staking’s value';
  if (cfg.compounding === 'daily' && st.creditedDays === 0) return 'daily compounding credited no whole day in this run, so no APR changes staking’s value';
  return 'no staking rewards accrue in this run (the unbonding delay covers it), so no APR changes staking’s value';
}

/**
 * The breakeven staking APR in plain words: at or above 0 "staking beats this LP at any fixed staking APR above
 * 4.12 % (below it the LP is ahead)"; below 0 staking wins even without rewards, which is what it says; undefined
 * says why there is none.
 */
export function breakevenSentence(stakingApr: unknown, reasonIfUndefined: string): string {
  if (!finite(stakingApr)) return `no breakeven staking APR: ${reasonIfUndefined}`;
  if (stakingApr >= 0) return `staking beats this LP at any fixed staking APR above ${pct2(stakingApr)} (below it the LP is ahead)`;
  return `staking beats this LP at any staking APR ≥ 0 %: even without rewards it ends above the LP (they would be level only at ${pct2(stakingApr)} a year)`;
}

/** The fee APR the LP needed to end level with staking, in words (first-order; see sim/metrics/breakeven.ts). */
export function requiredFeeSentence(b: Obj): string {
  const req = b.requiredFeeApr;
  const fee = b.feeApr;
  const extra = b.extraFeesNeeded;
  if (!finite(req)) return 'no fee APR is defined for a run of zero length';
  if (finite(extra) && extra <= 0) {
    return req < 0 ? `it beats staking even with no fees (it earned ${pct2(fee)} a year in fees)` : `it would still match staking with a fee APR of ${pct2(req)} (it earned ${pct2(fee)})`;
  }
  return `it needs a fee APR of ${pct2(req)} to match staking (it earned ${pct2(fee)})`;
}

/**
 * Whether some LP alternative's own hold (the tokens it deposited, held: its `holdValue`) differs from the `hold`
 * alternative's (the first LP's): ranges of different widths, or different strategies, deposit different splits.
 */
export function lpHoldsDiffer(r: CompareReportInput): boolean {
  const hold = obj(r.summary.hold).finalValue;
  return r.alternatives.some((a) => {
    const own = obj(r.summary[a.id]).holdValue;
    return finite(own) && own !== hold;
  });
}

/**
 * When the LPs' holds differ: what `hold` is and what each LP's hold figures are against, in words (for the terminal
 * and the report); undefined otherwise (one LP, or LPs that deposited the same split).
 */
export function compareHoldNote(r: CompareReportInput): string | undefined {
  if (!lpHoldsDiffer(r)) return undefined;
  const first = r.alternatives[0]?.id ?? 'lp';
  return `hold is the tokens ${first} deposited, held; each LP alternative's PnL vs hold (vsHold) and LP − hold (differences.minusHold) are against the tokens it deposited itself, held (its hold value), as the split deposited depends on the strategy and width`;
}

/** One terminal line per LP alternative: LP − staking, the breakeven wording and the fee APR needed. */
export function compareBreakevenLines(r: CompareReportInput): string[] {
  const s = r.summary;
  const be = obj(s.breakeven);
  const diff = obj(s.differences);
  return r.alternatives.map((a) => {
    const b = obj(be[a.id]);
    const d = obj(diff[a.id]);
    return `${a.id}: LP − staking ${formatMetric(d.minusStaking, 'quote')}; ${breakevenSentence(b.stakingApr, breakevenUndefinedReason(s, a.id))}; ${requiredFeeSentence(b)}`;
  });
}

/** The staking settings in words (APR or its series, compounding, commission, unbonding, LST). */
export function stakingSettingsText(summary: Obj): string {
  const c = obj(obj(summary.config).staking);
  const series = obj(c.aprSeries);
  const parts = [
    typeof series.file === 'string' ? `APR from ${series.file}${finite(series.rows) ? ` (${formatMetric(series.rows, 'count')} rows)` : ''}` : finite(c.apr) ? `${pct2(c.apr)} APR (fixed)` : 'APR n/a',
    typeof c.compounding === 'string' ? `${c.compounding} compounding` : undefined,
    finite(c.commission) ? `${pct2(c.commission)} commission` : undefined,
    finite(c.unbondingDays) ? `${c.unbondingDays} days unbonding` : undefined,
  ];
  const lst = obj(c.lstSeries);
  if (typeof lst.file === 'string') parts.push(`liquid staking token priced from ${lst.file}${typeof lst.pair === 'string' ? ` (${lst.pair})` : ''}, entry ${String(c.lstEntry)}`);
  return parts.filter((x): x is string => x !== undefined).join(', ');
}

/** One verdict per LP alternative: against holding (as a backtest's) and against staking. */
export function compareVerdicts(r: CompareReportInput): string[] {
  const s = r.summary;
  const diff = obj(s.differences);
  const staking = obj(s.staking);
  return r.alternatives.map((a) => {
    const vsHold = runVerdict(obj(s[a.id]), a.id) ?? `${a.id}`;
    const d = obj(diff[a.id]).minusStaking;
    if (!finite(d)) return vsHold;
    const base = finite(staking.finalValue) && staking.finalValue > 0 ? ` (${sentencePercent(d / staking.finalValue)})` : '';
    const amount = sentenceAmount(Math.abs(d), Math.abs(finite(staking.finalValue) ? staking.finalValue : 0) >= 1000 ? 0 : 2);
    return `${vsHold}; ${d < 0 ? `it trailed staking by ${amount}${base}` : d > 0 ? `it beat staking by ${amount}${base}` : 'it ended level with staking'}`;
  });
}

/** Row order of the compare metrics table after the standard metrics: staking's own figures. */
const STAKING_ROWS: readonly MetricInfo[] = [
  { key: 'rewardApr', label: 'Staking reward APR (in base)', unit: '% per year', format: 'fraction', terminal: false },
  { key: 'baseInitial', label: 'Base staked at the start', unit: 'base tokens', format: 'tokens', terminal: false },
  { key: 'finalBase', label: 'Base at the end', unit: 'base tokens', format: 'tokens', terminal: false },
  { key: 'rewardsBase', label: 'Rewards (net of commission)', unit: 'base tokens', format: 'tokens', terminal: false },
  { key: 'commissionBase', label: 'Commission paid', unit: 'base tokens', format: 'tokens', terminal: false },
  { key: 'rewardsValue', label: 'Rewards valued at the end', unit: 'quote', format: 'quote', terminal: false },
  { key: 'finalMarkPrice', label: 'Quote per staked base at the end', unit: 'quote', format: 'quote', terminal: false },
  { key: 'creditedDays', label: 'Days credited', unit: 'count', format: 'count', terminal: false },
  { key: 'quoteHeld', label: 'Quote held beside the stake', unit: 'quote', format: 'quote', terminal: false },
  { key: 'width', label: 'Range width W (P0/(1+W) … P0·(1+W))', unit: '%', format: 'fraction', terminal: false },
];

/** The compare metrics table: one column per alternative (each LP, hold, staking), `—` where one has no such figure. */
export function compareMetricsTable(r: CompareReportInput): string {
  const s = r.summary;
  const ids = Array.isArray(s.alternatives) ? (s.alternatives as unknown[]).map(String) : [...r.alternatives.map((a) => a.id), 'hold', 'staking'];
  const entries = ids.map((id) => obj(s[id]));
  const diff = obj(s.differences);
  // With liquidity mining, `rewardApr` is one row for the LPs (mining rewards) and staking (its own, in base).
  const optional = optionalMetricsFor(entries).map((m) => (m.key === 'rewardApr' ? { ...m, label: 'Reward APR (LP: mining, realised; staking: in base)' } : m));
  const known = [...METRICS, ...optional, ...STAKING_ROWS.filter((m) => !optional.some((o) => o.key === m.key))];
  const has = (k: string): boolean => entries.some((e) => finite(e[k]) || e[k] === null);
  const extra = [...new Set(entries.flatMap((e) => Object.keys(e).filter((k) => typeof e[k] === 'number')))]
    .filter((k) => !known.some((m) => m.key === k))
    .sort()
    .map((key): MetricInfo => ({ key, label: key, unit: '', format: 'ratio', terminal: false }));
  const cell = (v: unknown, m: MetricInfo): string => {
    if (v === undefined) return '<td class="num">—</td>';
    const neg = typeof v === 'number' && v < 0 && m.format !== 'integer' ? ' neg' : '';
    return `<td class="num${neg}" data-exact="${escapeHtml(exactJson(v))}" title="${escapeHtml(exactJson(v))}">${escapeHtml(formatMetricCell(m.key, v, m.format))}</td>`;
  };
  const row = (key: string, m: MetricInfo, values: readonly unknown[]): string =>
    `<tr data-key="${escapeHtml(key)}"><td>${escapeHtml(m.label)} <span class="note">(${escapeHtml(m.key)})</span></td><td class="unit">${escapeHtml(m.unit)}</td>${values.map((v) => cell(v, m)).join('')}</tr>`;
  const rows = [...known.filter((m) => has(m.key)), ...extra].map((m) => row(m.key, m, entries.map((e) => e[m.key])));
  const diffRows: Array<[string, string]> = [
    ['minusStaking', 'Final value − staking'],
    // an LP's is against its own hold (holdValue); staking's and hold-staked's against the hold column
    ['minusHold', lpHoldsDiffer(r) ? 'Final value − hold (an LP: its own hold value)' : 'Final value − hold'],
  ];
  for (const [k, label] of diffRows) {
    const values = ids.map((id) => obj(diff[id])[k]);
    if (values.some((v) => v !== undefined)) rows.push(row(`differences.${k}`, { key: `differences.${k}`, label, unit: 'quote', format: 'quote', terminal: false }, values));
  }
  const head = `<tr><th>metric</th><th>unit</th>${ids.map((id) => `<th>${escapeHtml(id)}</th>`).join('')}</tr>`;
  return `<table id="compare-metrics-table">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** The comparison's window: the --from/--to given and the first/last timestamps of the data used. */
export function compareWindowText(summary: Obj): string {
  const cfg = obj(summary.config);
  const data = obj(summary.data);
  const given = [cfg.from, cfg.to].some((v) => typeof v === 'string') ? ` (--from ${typeof cfg.from === 'string' ? cfg.from : 'start'} --to ${typeof cfg.to === 'string' ? cfg.to : 'end'})` : '';
  return finite(data.firstTimestampMs) && finite(data.lastTimestampMs) ? `${shortUtc(data.firstTimestampMs)} – ${shortUtc(data.lastTimestampMs)}${given}` : `n/a${given}`;
}

/** The staking, breakeven and what-if section (plain HTML tables; the charts come from reports/charts). */
export function compareSectionHtml(r: CompareReportInput): string {
  const s = r.summary;
  const be = obj(s.breakeven);
  const diff = obj(s.differences);
  const staking = obj(s.staking);
  const holdNote = compareHoldNote(r);
  const q = (x: unknown): string => (finite(x) ? formatMetric(x, 'quote') : '—');
  const rows = r.alternatives
    .map((a) => {
      const b = obj(be[a.id]);
      const d = obj(diff[a.id]);
      const mult = b.requiredVolumeMultiple; // < 0: the LP beats staking even with no fees (no volume to match)
      return `<tr data-alternative="${escapeHtml(a.id)}"><td>${escapeHtml(a.id)}</td><td class="num">${q(d.minusStaking)}</td><td class="num">${q(d.minusHold)}</td><td>${escapeHtml(breakevenSentence(b.stakingApr, breakevenUndefinedReason(s, a.id)))}</td><td>${escapeHtml(requiredFeeSentence(b))}</td><td class="num">${finite(mult) ? (mult < 0 ? '— (no fees needed)' : `${mult.toFixed(2)}×`) : '—'}</td></tr>`;
    })
    .join('\n');
  const parts = [
    '<h2 id="staking">Staking vs LP</h2>',
    `<p>Staking: all capital in base at the first price; ${escapeHtml(stakingSettingsText(s))}. Final value ${q(staking.finalValue)} (APR ${pct2(staking.apr)}, reward APR in base ${pct2(staking.rewardApr)}, max drawdown ${pct2(staking.maxDrawdown)}). Its value line is <i>staking</i> in the charts.</p>`,
    `<table class="metrics" id="breakeven-table"><thead><tr><th>LP alternative</th><th>LP − staking</th><th>${holdNote === undefined ? 'LP − hold' : 'LP − its own hold'}</th><th>breakeven staking APR</th><th>fees to match staking</th><th>volume to match</th></tr></thead><tbody>`,
    rows,
    '</tbody></table>',
    '<p class="note">Breakeven staking APR: the fixed APR (same compounding, commission, unbonding, LST) at which staking ends level with this LP run. Fees / volume to match staking: first-order (each extra unit of fees adds one unit to the LP’s final value; fees scale with volume).</p>',
  ];
  if (holdNote !== undefined) parts.push(`<p class="note" id="hold-basis">${escapeHtml(holdNote.charAt(0).toUpperCase() + holdNote.slice(1))}.</p>`);
  const mining = compareRewardsHtml(r);
  if (mining !== '') parts.push(mining);
  const w = s.whatIf as { method: string; paths: number; lpMinusStaking: Record<string, Record<string, number>> } | null | undefined;
  if (w !== null && w !== undefined) {
    parts.push(`<h3>What-if: LP − staking over ${w.paths} ${escapeHtml(w.method)} price paths</h3>`);
    parts.push('<table class="metrics"><thead><tr><th>LP alternative</th><th>5 %</th><th>median</th><th>95 %</th><th>mean</th><th>LP ahead on</th></tr></thead><tbody>');
    for (const a of r.alternatives) {
      const d = w.lpMinusStaking[a.id]!;
      parts.push(`<tr><td>${escapeHtml(a.id)}</td><td class="num">${q(d.p5)}</td><td class="num">${q(d.median)}</td><td class="num">${q(d.p95)}</td><td class="num">${q(d.mean)}</td><td class="num">${pct2(d.lpWinShare)} of paths</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  const notes = Array.isArray(s.notes) ? (s.notes as unknown[]).map(String) : [];
  if (notes.length > 0) parts.push(`<ul class="note">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return parts.join('\n') + '\n';
}

/**
 * Liquidity mining per LP alternative (only when one has programs): rewards, reward APR (realised), fee APR, total APR
 * and the APY with its compounding frequency on a 365-day year, and the breakeven reward price vs hold and staking.
 * Figures from the alternative's summary entry.
 */
export function compareRewardsHtml(r: CompareReportInput): string {
  const s = r.summary;
  const rows = r.alternatives.flatMap((a) => {
    const e: Obj = obj(s[a.id]);
    if (!finite(e.rewardsEarned)) return [];
    const n = e.apyCompoundsPerYear;
    const nText = !finite(n) ? '—' : n === 0 ? 'never' : `${n.toFixed(2).replace(/\.00$/, '')}× a year`;
    const price = (v: unknown): string => (finite(v) ? v.toPrecision(4) : '—');
    return [
      `<tr data-alternative="${escapeHtml(a.id)}"><td>${escapeHtml(a.id)}</td><td class="num">${escapeHtml(formatMetric(e.rewardsEarned, 'quote'))}</td><td class="num">${pct2(e.rewardApr)}</td><td class="num">${pct2(e.feeApr)}</td><td class="num">${pct2(e.totalApr)}</td><td class="num">${pct2(e.apy)}</td><td class="num">${escapeHtml(nText)}</td><td class="num">${price(e.breakevenRewardPriceHold)}</td><td class="num">${price(e.breakevenRewardPriceStaking)}</td></tr>`,
    ];
  });
  if (rows.length === 0) return '';
  return [
    '<h3 id="mining">Liquidity mining: APR and APY per alternative</h3>',
    '<table class="metrics" id="rewards-table"><thead><tr><th>LP alternative</th><th>rewards</th><th>reward APR</th><th>fee APR</th><th>total APR</th><th>APY</th><th>compounded</th><th>breakeven reward price vs hold</th><th>vs staking</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    '<p class="note">APR: simple, per 365-day year (rewards valued when claimed). APY: (1 + A/n)^n − 1 with A the total APR after the vault’s performance and caller fees and n the harvests a year that compounded (never: APY = A). Breakeven reward price: the constant reward-token price at which LP + rewards ends level (see the README’s metrics).</p>',
  ].join('\n');
}

/** Keys of an LP alternative's summary entry that describe it rather than measure its run (the run's config has them). */
const ENTRY_DESCRIPTION_KEYS: readonly string[] = ['kind', 'strategy', 'width'];
/** Keys of the comparison's config that are its own (not the LP runs'). */
const COMPARE_CONFIG_KEYS: readonly string[] = ['strategies', 'widths', 'staking', 'whatIf'];

/**
 * The summary the report draws an LP alternative's run with, read from the comparison's summary.json only: the
 * alternative's entry (its figures), the comparison's steps, years and seed, its config with the alternative's
 * strategy and width, and its data provenance. (The run's own summary is not saved by compare: a figure of it that
 * the entry lacks is not shown, so `ammsim report --run` on the folder rebuilds the same page.)
 */
export function compareRunSummary(summary: Obj, id: string): Summary {
  const entry = obj(summary[id]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!ENTRY_DESCRIPTION_KEYS.includes(k)) out[k] = v;
  for (const k of ['steps', 'years', 'seed']) if (!(k in out) && summary[k] !== undefined) out[k] = summary[k];
  const config: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj(summary.config))) if (!COMPARE_CONFIG_KEYS.includes(k)) config[k] = v;
  if (entry.strategy !== undefined) config.strategy = entry.strategy;
  if (entry.width !== undefined) config.width = entry.width;
  out.config = config;
  out.data = obj(summary.data);
  return out as unknown as Summary;
}

/** The input as summary.json and the events file read back: NaN and ±Infinity become null, undefined and -0 drop out. */
function jsonRoundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The runs the compare page draws: each LP alternative (labelled by its id) with the summary {@link compareRunSummary}
 * gives it, its record and events; staking and hold-staked as lines of their own beside the first.
 */
export function compareReportRuns(r: CompareReportInput): ReportRun[] {
  const summary = jsonRoundTrip(r.summary);
  const t = r.runs[0]!.timeseries.timestamp;
  // staking and hold-staked are alternatives of their own, drawn once (with the first run) under their own names
  const extra = [{ name: 'staking', timestampMs: t, value: r.staking.value, ownLine: true }, ...(r.holdStaked === undefined ? [] : [{ name: 'hold-staked', timestampMs: t, value: r.holdStaked.value, ownLine: true }])];
  return r.alternatives.map((a, i) => ({
    label: a.id,
    result: { summary: compareRunSummary(summary, a.id), timeseries: r.runs[i]!.timeseries, events: jsonRoundTrip(r.runs[i]!.events) as LpEvent[] },
    ...(i === 0 ? { extraSeries: extra } : {}),
  }));
}

/** The charts of the compare page (`ammsim report --run COMPAREDIR --svg DIR` draws these). */
export function compareReportCharts(r: CompareReportInput, opts: ChartOptions = {}): ReportChart[] {
  return reportCharts(compareReportRuns(r), opts);
}

/** Where a comparison keeps every event of its LP runs (compare's own folder; see reports/compareDir.ts). */
export const COMPARE_EVENTS_FILE = 'lp-events.json';

/**
 * report.html of `ammsim compare`: the page of every LP run (staking drawn beside the first) with the compare sections.
 * Built from the comparison's summary.json, the LP runs' records and events and the staking lines only (what its
 * folder keeps), so `ammsim report --run DIR` rebuilds the same bytes; `maxPoints` redraws the lines.
 */
export function compareReportHtml(input: CompareReportInput, opts: ChartOptions = {}): string {
  const r: CompareReportInput = { ...input, summary: jsonRoundTrip(input.summary) };
  const runs = compareReportRuns(r);
  const named = Array.isArray(r.summary.alternatives) ? (r.summary.alternatives as unknown[]).map(String) : [...r.alternatives.map((a) => a.id), 'hold', 'staking'];
  const config = obj(r.summary.config);
  const warnings = Array.isArray(r.summary.warnings) ? (r.summary.warnings as unknown[]).filter((w): w is string => typeof w === 'string' && w !== '') : [];
  return renderReportHtml(runs, {
    ...(opts.maxPoints === undefined ? {} : { maxPoints: opts.maxPoints }),
    title: `ammsim compare: ${named.join(' vs ')}`,
    verdicts: compareVerdicts(r),
    // the comparison's warnings (its staking rate's, then each LP run's, named by its id), as summary.json has them
    warnings,
    eventsSource: { file: COMPARE_EVENTS_FILE, where: `the comparison’s ${COMPARE_EVENTS_FILE}` },
    metricsHtml: `${compareMetricsTable(r)}\n<h3>Every metric of the LP run${r.runs.length > 1 ? 's' : ''}</h3>`,
    extraSectionsHtml: compareSectionHtml(r),
    configHtml: `<p>Window: ${escapeHtml(compareWindowText(r.summary))}. Staking: ${escapeHtml(stakingSettingsText(r.summary))}.</p>\n<pre class="config">${escapeHtml(sortedJson(config))}</pre>`,
  });
}
