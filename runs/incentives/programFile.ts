/**
 * Liquidity-mining program files (`--incentive FILE.json`, or objects in a `--config` file's `incentives` array):
 * parsed and validated into engine {@link ProgramSpec}s. Errors name the file (or `incentives[i]`) and the field.
 *
 *   {"kind": "staking-rewards", "token": "UNI", "total": 5000000,
 *    "start": "2020-09-18T00:00:00Z", "end": "2020-11-17T00:00:00Z", "otherStakedValue": 0}
 *
 * Fields: `kind` (staking-rewards | v3-staker | masterchef), `token`, the schedule as exactly one of `total`
 * (tokens over [start, end]), `ratePerSecond`, or `ratePerBlock` (+ `blockTime`, seconds, default 12), `start` and
 * `end` (ISO-8601 or unix seconds), `topUps` ([{at, amount}], staking-rewards), `otherStakedValue` (quote at the
 * first price: other stakers' full-range liquidity of that value; staking-rewards and masterchef), `boost`
 * ({veShare: v/V}, staking-rewards), `allocPoint` / `totalAllocPoint` (masterchef: the schedule is the chef's
 * emission, `sushiPerBlock`, and the LP's pool gets allocPoint / totalAllocPoint of it, as in the contract).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, didYouMean, InputError } from '../../sim/core/errors.ts';
import { daysInMonth } from '../../sim/core/time.ts';
import { secondsLookLikeMilliseconds } from '../../data/loaders/window.ts';
import { tokensToRaw, type ProgramKind, type ProgramSpec } from '../../sim/engine/incentives.ts';
import { jsonErrorLine, repeatedTopLevelKey, stripBom, topLevelKeyLines } from '../../data/loaders/jsonText.ts';

export const PROGRAM_KINDS: readonly ProgramKind[] = ['staking-rewards', 'v3-staker', 'masterchef'];
const FIELDS = ['kind', 'token', 'total', 'ratePerSecond', 'ratePerBlock', 'blockTime', 'start', 'end', 'topUps', 'otherStakedValue', 'boost', 'allocPoint', 'totalAllocPoint'];

/** A program as configured, before prices and the pool turn it into stake units. */
export interface ProgramConfig {
  readonly kind: ProgramKind;
  readonly token: string;
  readonly source: string;
  readonly startSec: number;
  readonly endSec: number;
  /** Whole reward tokens over [start, end]. */
  readonly total: number;
  readonly topUps: readonly { readonly atSec: number; readonly amount: number }[];
  readonly otherStakedValue: number;
  readonly veShare?: number;
  readonly blockTimeSec?: number;
  readonly allocPoint?: number;
  readonly totalAllocPoint?: number;
}

type Fail = (field: string, problem: string) => never;

function timeSec(v: unknown, field: string, fail: Fail): number {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v.trim()))) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) fail(field, `must be unix seconds (an integer ≥ 0) or ISO-8601; was ${JSON.stringify(v)}`);
    const ms = secondsLookLikeMilliseconds(String(n));
    if (ms !== undefined) fail(field, `must be unix seconds (or ISO-8601); ${ms}`);
    return n;
  }
  if (typeof v !== 'string' || v.trim() === '') fail(field, `must be ISO-8601 (2020-09-18T00:00:00Z) or unix seconds; was ${JSON.stringify(v)}`);
  const s = v.trim();
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) || /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : `${s}Z`);
  if (!Number.isFinite(ms)) fail(field, `must be ISO-8601 (2020-09-18T00:00:00Z) or unix seconds; was ${JSON.stringify(v)}`);
  // Date.parse rolls a day past the month's end over (2023-02-30 is 2023-03-02): the date must be a real one
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (ymd !== null && !(+ymd[3]! >= 1 && +ymd[3]! <= daysInMonth(+ymd[1]!, +ymd[2]!))) fail(field, `must be a real date; was ${JSON.stringify(v)}`);
  return Math.floor(ms / 1000);
}

function positive(v: unknown, field: string, fail: Fail, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (allowZero ? v < 0 : v <= 0)) fail(field, `must be a number ${allowZero ? '≥ 0' : '> 0'}; was ${JSON.stringify(v)}`);
  return v;
}

/**
 * Validates one program object; `source` names it in errors (a file, or `--config incentives[i]`); `lines`: the
 * file's line of each field, to locate errors in a file.
 */
export function parseProgram(obj: unknown, source: string, isFile: boolean, lines?: ReadonlyMap<string, number>): ProgramConfig {
  const fail: Fail = (field, problem) => {
    if (isFile) throw new InputError(source, lines?.get(field.split('.')[0]!), field, problem);
    throw new ConfigError(`${source}.${field}`, problem);
  };
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) fail('kind', 'a program must be a JSON object ({"kind": "staking-rewards", "token": …, "total": …, "start": …, "end": …})');
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) fail(k, `unknown field${didYouMean(k, FIELDS)} (fields: ${FIELDS.join(', ')})`);
  const kind = o.kind as ProgramKind;
  if (!PROGRAM_KINDS.includes(kind)) fail('kind', `must be ${PROGRAM_KINDS.join(', ')}; was ${JSON.stringify(o.kind)}`);
  if (typeof o.token !== 'string' || o.token.trim() === '') fail('token', `must be the reward token's symbol (e.g. "UNI"); was ${JSON.stringify(o.token)}`);
  if (o.start === undefined) fail('start', 'is required (ISO-8601 or unix seconds)');
  if (o.end === undefined) fail('end', 'is required (ISO-8601 or unix seconds)');
  const startSec = timeSec(o.start, 'start', fail);
  const endSec = timeSec(o.end, 'end', fail);
  if (!(endSec > startSec)) fail('end', `must be after start (${String(o.start)}); was ${String(o.end)}`);
  const given = ['total', 'ratePerSecond', 'ratePerBlock'].filter((k) => o[k] !== undefined);
  if (given.length !== 1) fail(given[1] ?? 'total', given.length === 0 ? 'the schedule needs one of total, ratePerSecond, or ratePerBlock (+ blockTime)' : `give one of total, ratePerSecond, ratePerBlock; got ${given.join(' and ')}`);
  let blockTimeSec: number | undefined;
  if (o.blockTime !== undefined) {
    blockTimeSec = positive(o.blockTime, 'blockTime', fail);
    if (o.ratePerBlock === undefined && kind !== 'masterchef') fail('blockTime', 'goes with ratePerBlock (or a masterchef program)');
  }
  const duration = endSec - startSec;
  let total: number;
  if (o.total !== undefined) total = positive(o.total, 'total', fail);
  else if (o.ratePerSecond !== undefined) total = positive(o.ratePerSecond, 'ratePerSecond', fail) * duration;
  else total = positive(o.ratePerBlock, 'ratePerBlock', fail) * Math.floor(duration / (blockTimeSec ?? 12));
  const topUps: { atSec: number; amount: number }[] = [];
  if (o.topUps !== undefined) {
    if (!Array.isArray(o.topUps)) fail('topUps', 'must be an array of {"at": time, "amount": tokens}');
    if (kind !== 'staking-rewards' && o.topUps.length > 0) fail('topUps', `apply to staking-rewards (notifyRewardAmount); a ${kind} program is funded once`);
    o.topUps.forEach((t: unknown, i: number) => {
      const f = `topUps[${i}]`;
      if (typeof t !== 'object' || t === null) fail(f, 'must be {"at": time, "amount": tokens}');
      const r = t as Record<string, unknown>;
      for (const k of Object.keys(r)) if (k !== 'at' && k !== 'amount') fail(`${f}.${k}`, 'unknown field (fields: at, amount)');
      const atSec = timeSec(r.at, `${f}.at`, fail);
      if (atSec < startSec) fail(`${f}.at`, `must be at or after start (${String(o.start)})`);
      topUps.push({ atSec, amount: positive(r.amount, `${f}.amount`, fail) });
    });
  }
  const otherStakedValue = o.otherStakedValue === undefined ? 0 : positive(o.otherStakedValue, 'otherStakedValue', fail, true);
  if (kind === 'v3-staker' && otherStakedValue > 0) fail('otherStakedValue', "v3-staker pays by in-range liquidity-seconds: other LPs dilute through the pool's own liquidity (--pool-liquidity, --pool-liquidity-file); leave otherStakedValue out");
  let veShare: number | undefined;
  if (o.boost !== undefined) {
    if (kind !== 'staking-rewards') fail('boost', 'applies to staking-rewards (a Curve-style gauge boost of the stake)');
    const b = o.boost as Record<string, unknown>;
    if (typeof b !== 'object' || b === null || Object.keys(b).some((k) => k !== 'veShare')) fail('boost', 'must be {"veShare": v/V} (the LP\'s share of the vote-escrow supply)');
    veShare = b.veShare as number;
    if (typeof veShare !== 'number' || !(veShare >= 0 && veShare <= 1)) fail('boost.veShare', `must be a fraction in [0, 1]; was ${JSON.stringify(b.veShare)}`);
  }
  let allocPoint: number | undefined;
  let totalAllocPoint: number | undefined;
  if (o.allocPoint !== undefined || o.totalAllocPoint !== undefined) {
    if (kind !== 'masterchef') fail(o.allocPoint !== undefined ? 'allocPoint' : 'totalAllocPoint', 'applies to masterchef programs');
    allocPoint = positive(o.allocPoint ?? 1, 'allocPoint', fail);
    totalAllocPoint = positive(o.totalAllocPoint ?? allocPoint, 'totalAllocPoint', fail);
    if (!Number.isSafeInteger(allocPoint)) fail('allocPoint', `must be an integer; was ${allocPoint}`);
    if (!Number.isSafeInteger(totalAllocPoint)) fail('totalAllocPoint', `must be an integer; was ${totalAllocPoint}`);
    if (totalAllocPoint < allocPoint) fail('totalAllocPoint', `must be ≥ allocPoint (${allocPoint}); was ${totalAllocPoint}`);
  }
  return {
    kind,
    token: (o.token as string).trim(),
    source,
    startSec,
    endSec,
    total,
    topUps,
    otherStakedValue,
    ...(veShare === undefined ? {} : { veShare }),
    ...(blockTimeSec === undefined ? {} : { blockTimeSec }),
    ...(allocPoint === undefined ? {} : { allocPoint, totalAllocPoint: totalAllocPoint! }),
  };
}

/** Reads a program file (JSON object). */
export function readProgramFile(file: string): ProgramConfig {
  let text: string;
  try {
    text = stripBom(readFileSync(file, 'utf8'));
  } catch {
    throw new InputError(file, undefined, undefined, 'cannot read the incentive file (does it exist?)');
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, jsonErrorLine(text), undefined, `not valid JSON: ${(err as Error).message}`);
  }
  // JSON.parse keeps the last of two equal keys: the first value would be dropped without a word
  const again = repeatedTopLevelKey(text);
  if (again !== undefined) throw new InputError(file, again.line, again.key, `is given twice (also on line ${again.firstLine}); give each field once`);
  return parseProgram(obj, file, true, topLevelKeyLines(text));
}

/** The programs of a config's `incentives`: file paths or objects. */
export function programConfigs(incentives: readonly unknown[]): ProgramConfig[] {
  return incentives.map((x, i) => (typeof x === 'string' ? readProgramFile(x) : parseProgram(x, `--config incentives[${i}]`, false)));
}

/**
 * Stake units of a quote value at the first price: the liquidity of a full-range position of that value
 * (L = V / (2·√P) in human units), × 10^18 as the programs count stakes.
 */
export function stakeUnitsOfValue(value: number, firstPrice: number): bigint {
  return tokensToRaw(value / (2 * Math.sqrt(firstPrice)));
}

/** The engine spec of a program at the run's first price. */
export function programSpec(p: ProgramConfig, firstPrice: number): ProgramSpec {
  return {
    kind: p.kind,
    token: p.token,
    source: p.source,
    startSec: p.startSec,
    endSec: p.endSec,
    amountRaw: tokensToRaw(p.total),
    topUps: p.topUps.map((t) => ({ atSec: t.atSec, amountRaw: tokensToRaw(t.amount) })),
    otherStake: stakeUnitsOfValue(p.otherStakedValue, firstPrice),
    ...(p.veShare === undefined ? {} : { veShare: p.veShare }),
    ...(p.blockTimeSec === undefined ? {} : { blockTimeSec: p.blockTimeSec }),
    ...(p.allocPoint === undefined ? {} : { allocPoint: BigInt(p.allocPoint), totalAllocPoint: BigInt(p.totalAllocPoint!) }),
  };
}
