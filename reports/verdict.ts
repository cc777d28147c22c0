/**
 * The sentences a report opens with: a one-line verdict (did the LP beat holding, and why, in words and numbers),
 * the run's data window, file and gas, the gaps the series skipped or filled, and the run's warnings. Shared by the
 * HTML report and the terminal table. Deterministic: numbers are formatted without locale or clock.
 */
import type { Summary } from '../sim/metrics/record.ts';
import { mostCommonStep } from '../sim/core/time.ts';
import { groupThousands } from '../sim/core/format.ts';

const MINUS = '−';

/** An amount for a sentence, with thousands separators and `decimals` decimals (a real minus sign). */
export function sentenceAmount(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? `${MINUS}∞` : 'n/a';
  const a = Math.abs(x);
  const s = groupThousands(a.toFixed(decimals));
  return x < 0 && !/^[0.,]+$/.test(s) ? MINUS + s : s;
}

/** A fraction as a signed percentage with one decimal (−34.6 %, +3.4 %), one significant digit below 0.05 % (−0.005 %). */
export function sentencePercent(f: number): string {
  if (!Number.isFinite(f)) return 'n/a';
  if (Math.abs(f) < 1e-12) return '0.0 %'; // 0, or float noise of a sum that is 0 (IL at an unchanged price)
  let s = Math.abs(f * 100).toFixed(1);
  if (s === '0.0') s = Math.abs(f * 100).toPrecision(1);
  if (/e/.test(s)) return `${f < 0 ? MINUS : '+'}${Math.abs(f * 100).toExponential(0)} %`;
  return `${f < 0 ? MINUS : '+'}${groupThousands(s)} %`;
}

function num(s: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = s[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * The verdict of one run against holding the deposited tokens, e.g. "LP trailed holding by 11,545 (−34.6 %): fees
 * 2,695 did not cover IL −69.8 % and gas 1,157". Rewards are named when the summary has `rewardsEarned`; gas when
 * any was paid. Undefined when the summary lacks the figures (a summary written by another tool).
 */
export function runVerdict(summary: Readonly<Summary> | Readonly<Record<string, unknown>>, subject = 'LP'): string | undefined {
  const s = summary as Readonly<Record<string, unknown>>;
  const vsHold = num(s, 'vsHold');
  const hold = num(s, 'holdValue');
  const fees = num(s, 'feesEarned');
  const il = num(s, 'impermanentLoss');
  const gas = num(s, 'gasCost') ?? 0;
  if (vsHold === undefined || fees === undefined || il === undefined) return undefined;
  const rewards = num(s, 'rewardsEarned');
  // One precision per sentence: whole units when the run is worth 1,000 or more, cents below.
  const scale = Math.max(Math.abs(hold ?? 0), Math.abs(num(s, 'initialValue') ?? 0));
  const amt = (x: number): string => {
    const text = sentenceAmount(x, scale >= 1000 ? 0 : 2);
    return x !== 0 && /^[−]?[0.,]+$/.test(text) ? sentenceAmount(x, 2) : text;
  };
  const pct = hold !== undefined && hold > 0 ? ` (${sentencePercent(vsHold / hold)})` : '';
  const income = `fees ${amt(fees)}${rewards === undefined ? '' : ` and rewards ${amt(rewards)}`}`;
  const ilText = `IL ${sentencePercent(il)}`;
  const gasText = gas > 0 ? ` and gas ${amt(gas)}` : '';
  if (vsHold < 0) {
    const head = `${subject} trailed holding by ${amt(-vsHold)}${pct}`;
    if (il < 0) return `${head}: ${income} did not cover ${ilText}${gasText}`;
    if (gas > 0) return `${head}: ${income} did not cover gas ${amt(gas)} (${ilText})`;
    return `${head}: ${income}, ${ilText}`;
  }
  if (vsHold === 0) return `${subject} ended level with holding: ${income}, ${ilText}${gas > 0 ? `, gas ${amt(gas)}` : ''}`;
  const head = `${subject} beat holding by ${amt(vsHold)}${pct}`;
  if (il < 0) return `${head}: ${income} covered ${ilText}${gasText}`;
  return `${head}: ${income}${gas > 0 ? ` less gas ${amt(gas)}` : ''}, ${ilText}`;
}

/**
 * The liquidity-mining line of a run with programs: rewards earned and their APR (realised, and spot at the start),
 * the total APR and the APY with its compounding frequency and year length stated, harvests and their gas, and the
 * breakeven reward price vs hold. Undefined for a run without programs (no `rewardsEarned`).
 */
export function rewardDisclosure(summary: Readonly<Summary> | Readonly<Record<string, unknown>>): string | undefined {
  const s = summary as Readonly<Record<string, unknown>>;
  const rewards = num(s, 'rewardsEarned');
  if (rewards === undefined) return undefined;
  const pct2 = (x: number | undefined): string => (x === undefined ? 'n/a' : `${groupThousands((x * 100).toFixed(2))} %`);
  const scale = Math.abs(num(s, 'initialValue') ?? 0);
  const amt = (x: number): string => sentenceAmount(x, scale >= 1000 ? 0 : 2);
  const tokens = num(s, 'rewardTokensEarned');
  const n = num(s, 'apyCompoundsPerYear');
  const nText = n === undefined ? 'n/a' : n === 0 ? 'never compounded (APY = APR)' : `compounded ${Number.isInteger(n) ? groupThousands(String(n)) : n.toFixed(2)} times a year`;
  const parts = [
    `Rewards ${amt(rewards)}${tokens === undefined ? '' : ` (${tokens >= 999.5 ? groupThousands(tokens.toFixed(0)) : tokens.toPrecision(4)} tokens)`}: reward APR ${pct2(num(s, 'rewardApr'))} realised (${pct2(num(s, 'rewardAprSpot'))} at the start's rate and price)`,
    `fees + rewards ${pct2(num(s, 'totalApr'))} APR → APY ${pct2(num(s, 'apy'))}, ${nText}, 365-day year, after vault fees`,
  ];
  const harvests = num(s, 'harvests');
  if (harvests !== undefined) parts.push(`${groupThousands(String(harvests))} harvest${harvests === 1 ? '' : 's'} (gas ${amt(num(s, 'harvestGas') ?? 0)}, sale slippage ${amt(num(s, 'rewardSlippage') ?? 0)})`);
  const be = num(s, 'breakevenRewardPriceHold');
  parts.push(be === undefined ? 'no breakeven reward price (no reward tokens)' : be < 0 ? 'ahead of holding even with worthless rewards' : `breakeven reward price vs hold ${be.toPrecision(4)}`);
  return parts.join('; ');
}

/** `2024-01-01 00:00 UTC` for a unix-ms data timestamp (seconds shown only when not zero). */
export function shortUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  const secs = iso.slice(17, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${secs === '00.000' ? '' : `:${secs.replace(/\.000$/, '')}`} UTC`;
}

/** A duration in the largest whole unit that fits (d, h, min, s). */
export function shortDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return ms >= 86_400_000 ? `${(ms / 86_400_000).toFixed(2)} d` : ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(2)} h` : `${ms} ms`;
}

/** Steps longer than the series' most common step: how many, and the longest. */
export interface GapSummary {
  /** The most common step (ties: the shorter). */
  readonly stepMs: number;
  readonly gaps: number;
  readonly longestMs: number;
  /** Start of the longest gap (unix ms). */
  readonly longestFromMs: number;
}

/** Finds the steps longer than the most common step in a timestamp column. Undefined with fewer than 3 rows. */
export function findGaps(timestampMs: ArrayLike<number>): GapSummary | undefined {
  const n = timestampMs.length;
  if (n < 3) return undefined;
  const step = mostCommonStep(timestampMs)!;
  let gaps = 0;
  let longest = 0;
  let from = NaN;
  for (let i = 1; i < n; i++) {
    const d = timestampMs[i]! - timestampMs[i - 1]!;
    if (d > step) {
      gaps++;
      if (d > longest) [longest, from] = [d, timestampMs[i - 1]!];
    }
  }
  return { stepMs: step, gaps, longestMs: longest, longestFromMs: from };
}

/**
 * The run's context in one line: data file (or the synthetic series), window, steps, gas, and how gaps were
 * treated (skipped gaps counted from the timestamps; forward-filled rows from the data provenance).
 */
export function runContext(summary: Readonly<Summary> | Readonly<Record<string, unknown>>, timestampMs?: ArrayLike<number>): string {
  const s = summary as Readonly<Record<string, unknown>>;
  const cfg = (s.config ?? {}) as Readonly<Record<string, unknown>>;
  const data = (s.data ?? {}) as Readonly<Record<string, unknown>>;
  const parts: string[] = [];
  parts.push(typeof data.file === 'string' ? `data ${data.file}` : data.kind === 'synthetic' ? 'data: built-in synthetic series' : `data: ${String(data.kind ?? 'n/a')}`);
  const first = num(data, 'firstTimestampMs');
  const last = num(data, 'lastTimestampMs');
  if (first !== undefined && last !== undefined) parts.push(`${shortUtc(first)} – ${shortUtc(last)} (${((last - first) / 86_400_000).toFixed(1)} days)`);
  parts.push(`gas ${gasText(cfg)}`);
  const params = (data.params ?? {}) as Readonly<Record<string, unknown>>;
  const filled = num(params, 'filledRows');
  if (params.gaps === 'ffill' && filled !== undefined) parts.push(`${groupThousands(String(filled))} missing rows forward-filled (--gaps ffill)`);
  if (cfg.gaps === 'skip' && timestampMs !== undefined) {
    const g = findGaps(timestampMs);
    if (g !== undefined && g.gaps > 0) {
      parts.push(`${groupThousands(String(g.gaps))} gap${g.gaps === 1 ? '' : 's'} in the ${shortDuration(g.stepMs)} steps skipped (--gaps skip; longest ${shortDuration(g.longestMs)} from ${shortUtc(g.longestFromMs)})`);
    } else if (g !== undefined) parts.push('--gaps skip (no gaps in the run)');
  }
  return parts.join(' · ');
}

/** The gas setting in words: `30 gwei (constant)`, `from <file>`, or `none`. */
export function gasText(cfg: Readonly<Record<string, unknown>>): string {
  const native = typeof cfg.nativePriceSeries === 'string' ? `, native token priced from ${cfg.nativePriceSeries}` : '';
  if (typeof cfg.gasPriceSeries === 'string') return `price series ${cfg.gasPriceSeries}${native}`;
  const g = cfg.gasPrice;
  if (typeof g === 'number' && g > 0) return `${g} gwei (constant)${native}`;
  return typeof g === 'number' ? 'none (0 gwei)' : 'n/a';
}

/** The run's `warnings` (summary.json), when it has any. */
export function runWarnings(summary: Readonly<Summary> | Readonly<Record<string, unknown>>): string[] {
  const w = (summary as Readonly<Record<string, unknown>>).warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}
