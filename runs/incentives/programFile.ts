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
import { pow10 } from '../../sim/core/pow.ts';
import { secondsLookLikeMilliseconds } from '../../data/loaders/window.ts';
import { tokensToRaw, type ProgramKind, type ProgramSpec } from '../../sim/engine/incentives.ts';
import { jsonErrorLine, jsonFieldLine, repeatedTopLevelKey, stripBom } from '../../data/loaders/jsonText.ts';

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
  /** Throws the error of a field of this program where it was given (its file and line, or the config's key). */
  readonly fail: ProgramFail;
}

/** Throws the error of a program's field (`topUps[1].at`), naming where the program was given. */
export type ProgramFail = (field: string, problem: string) => never;
type Fail = ProgramFail;

/** 2^256 − 1: the contracts' uint256. */
const MAX_UINT256 = (1n << 256n) - 1n;
/** The reward token's raw units per token (18 decimals, as {@link tokensToRaw}). */
const RAW_PER_TOKEN = 10n ** 18n;

/**
 * Where each program object given inline in a --config file is (runs/config.ts registers them as it reads the file):
 * `field` → `cfg.json:LINE: incentives[i].field`, so that its errors, also those found later at the run's first
 * price, name the file's line as a file's program does.
 */
const inlinePlaces = new WeakMap<object, (field: string) => string>();

/** Registers where a program object of a --config file's `incentives` is, for its errors (see {@link inlinePlaces}). */
export function placeInlineProgram(program: object, place: (field: string) => string): void {
  inlinePlaces.set(program, place);
}

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

/** A program's field errors as a file's: `<file>:<line>: <field>: …`, the line of the field's JSON path in `text`. */
function fileFail(file: string, text: string): Fail {
  return (field, problem) => {
    throw new InputError(file, jsonFieldLine(text, field), field, problem);
  };
}

/** A program's field errors as a config object's: where it was registered ({@link placeInlineProgram}), else `<source>.<field>`. */
function inlineFail(obj: unknown, source: string): Fail {
  const place = typeof obj === 'object' && obj !== null ? inlinePlaces.get(obj) : undefined;
  return (field, problem) => {
    throw new ConfigError(place === undefined ? `${source}.${field}` : place(field), problem);
  };
}

/** A number as messages show it: 4 significant digits, rounded down (a bound said is never above the real one). */
function floor4(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x;
  const f = pow10(Math.floor(Math.log10(x)) - 3);
  return Number((Math.floor(x / f) * f).toPrecision(4));
}

/** Raw units of `tokens` as {@link tokensToRaw} floors them, or undefined when more than `max` (Infinity included). */
function rawAtMost(tokens: number, max: bigint): bigint | undefined {
  const x = tokens * 1e18;
  if (!(x < 2 ** 257)) return undefined;
  const raw = tokensToRaw(tokens);
  return raw > max ? undefined : raw;
}

/**
 * The bounds the program's exact contract needs of its amounts (raw units, 18 decimals), checked as it is read so
 * that no harvest policy meets them mid-run (a claim reverting `SafeMath: multiplication overflow`) and no program
 * silently pays nothing (a rate floored to 0):
 * - staking-rewards: `rewardPerToken` takes Δt·rewardRate·10^18 in uint256 with Δt·rewardRate up to the funding
 *   not yet streamed, so the funding (with its top-ups) is at most (2^256 − 1) / 10^18 raw; `rewardRate` =
 *   ⌊funding / duration⌋ must be ≥ 1 raw unit a second.
 * - v3-staker: `totalRewardUnclaimed` is a uint256; `createIncentive` requires a reward > 0.
 * - masterchef: `updatePool` takes blocks·sushiPerBlock·allocPoint, and that ÷ totalAllocPoint × 10^12
 *   (accSushiPerShare), in uint256; `sushiPerBlock` = ⌊funding / blocks⌋ must be ≥ 1 raw unit, with at least one block.
 */
function checkAmounts(
  kind: ProgramKind,
  o: Record<string, unknown>,
  schedule: { field: string; total: number },
  duration: number,
  topUps: readonly { amount: number }[],
  chef: { blockTimeSec: number; allocPoint: number; totalAllocPoint: number },
  fail: Fail,
): void {
  const { field, total } = schedule;
  const given = o[field];
  const tooMuch = (maxRaw: bigint, why: string): never => {
    const max = floor4(Number(maxRaw) / 1e18);
    if (field === 'total') fail(field, `must be at most ${max} tokens: ${why}; was ${String(given)}`);
    return fail(field, `pays ${total} tokens over the program (${field} ${String(given)} × its ${field === 'ratePerSecond' ? `${duration} s` : 'blocks'}), more than the ${max} tokens it can: ${why}`);
  };
  const perUnit = (what: string, rule: string): never =>
    fail(field, `${field === 'total' ? `${String(given)} tokens` : `${total} tokens (${field} ${String(given)})`} over the program's ${what} is less than one raw unit (10^-18 token) ${rule}; was ${String(given)}`);
  if (kind === 'staking-rewards') {
    const maxRaw = MAX_UINT256 / RAW_PER_TOKEN;
    const why = 'StakingRewards multiplies its reward rate by 10^18 in uint256 arithmetic (rewardPerToken), which a larger program overflows (SafeMath: multiplication overflow)';
    let funded = rawAtMost(total, maxRaw) ?? tooMuch(maxRaw, why);
    if (funded / BigInt(duration) === 0n) perUnit(`${duration} s`, "a second: StakingRewards' rewardRate (reward ÷ duration, floored) would be 0 and pay nothing");
    let tokens = total;
    topUps.forEach((t, i) => {
      const raw = rawAtMost(t.amount, maxRaw);
      funded += raw ?? 0n;
      tokens += t.amount;
      if (raw === undefined || funded > maxRaw) fail(`topUps[${i}].amount`, `brings the program's funding to ${Number(tokens.toPrecision(12))} tokens, more than the ${floor4(Number(maxRaw) / 1e18)} it can hold with its top-ups: ${why}`);
    });
  } else if (kind === 'v3-staker') {
    const amount = rawAtMost(total, MAX_UINT256) ?? tooMuch(MAX_UINT256, "UniswapV3Staker keeps an incentive's reward (totalRewardUnclaimed) in a uint256 of raw units (18 decimals)");
    if (amount === 0n) perUnit('whole run', "in all: UniswapV3Staker's createIncentive requires a reward > 0");
  } else {
    const { blockTimeSec, allocPoint, totalAllocPoint } = chef;
    const blocks = Math.floor(duration / blockTimeSec);
    if (blocks <= 0) {
      if (o.blockTime !== undefined) fail('blockTime', `${blockTimeSec} s leaves no block between start and end (${duration} s apart); give a blockTime ≤ ${duration}`);
      fail('end', `is ${duration} s after start, less than one block (${blockTimeSec} s, the default blockTime): the program has no block to pay in; give a later end (or a shorter blockTime)`);
    }
    const alloc = BigInt(allocPoint);
    // blocks·sushiPerBlock ≤ the funding: the funding × allocPoint, and that ÷ totalAllocPoint × 10^12, in uint256
    const byAlloc = MAX_UINT256 / alloc;
    const byAcc = ((MAX_UINT256 / 10n ** 12n + 1n) * BigInt(totalAllocPoint) - 1n) / alloc;
    const maxRaw = byAlloc < byAcc ? byAlloc : byAcc;
    const amount = rawAtMost(total, maxRaw) ?? tooMuch(maxRaw, `MasterChef multiplies each reward by allocPoint (${allocPoint}) and by 10^12 (accSushiPerShare) in uint256 arithmetic, which a larger program overflows (SafeMath: multiplication overflow)`);
    if (amount / BigInt(blocks) === 0n) perUnit(`${blocks} block${blocks === 1 ? '' : 's'} of ${blockTimeSec} s`, "a block: MasterChef's sushiPerBlock (reward ÷ blocks, floored) would be 0 and pay nothing");
  }
}

/**
 * Validates one program object; `source` names it (a file, or `--config incentives[i]`) in messages about the whole
 * program; `fail` throws a field's error where it was given (a file's line, a config file's `incentives[i]` line).
 */
export function parseProgram(obj: unknown, source: string, fail: Fail): ProgramConfig {
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
  else {
    const rate = positive(o.ratePerBlock, 'ratePerBlock', fail);
    const blocks = Math.floor(duration / (blockTimeSec ?? 12));
    if (blocks <= 0) {
      if (o.blockTime !== undefined) fail('blockTime', `${blockTimeSec} s leaves no block between start and end (${duration} s apart); give a blockTime ≤ ${duration}`);
      fail('end', `is ${duration} s after start, less than one block (12 s, the default blockTime): ratePerBlock pays nothing; give a later end (or a shorter blockTime)`);
    }
    total = rate * blocks;
  }
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
  const schedule = { field: given[0]!, total };
  checkAmounts(kind, o, schedule, duration, topUps, { blockTimeSec: blockTimeSec ?? 12, allocPoint: allocPoint ?? 1, totalAllocPoint: totalAllocPoint ?? allocPoint ?? 1 }, fail);
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
    fail,
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
  return parseProgram(obj, file, fileFail(file, text));
}

/** A program object of a config's `incentives` (the i-th), its errors named where it was given. */
export function parseInlineProgram(obj: unknown, i: number): ProgramConfig {
  const source = `--config incentives[${i}]`;
  return parseProgram(obj, source, inlineFail(obj, source));
}

/** The programs of a config's `incentives`: file paths or objects. */
export function programConfigs(incentives: readonly unknown[]): ProgramConfig[] {
  return incentives.map((x, i) => (typeof x === 'string' ? readProgramFile(x) : parseInlineProgram(x, i)));
}

/**
 * Stake units of a quote value at the first price: the liquidity of a full-range position of that value
 * (L = V / (2·√P) in human units), × 10^18 as the programs count stakes.
 */
export function stakeUnitsOfValue(value: number, firstPrice: number): bigint {
  return tokensToRaw(value / (2 * Math.sqrt(firstPrice)));
}

/**
 * The other stakers' stake (raw units) of a program at the run's first price, refused when the contract cannot hold
 * it: StakingRewards and MasterChef add the LP's stake to it in uint256 (half of the range is left for it), and a
 * boosted stake's working balance multiplies the total by the LP's vote-escrow balance (up to 10^18).
 */
function otherStakeOf(p: ProgramConfig, firstPrice: number): bigint {
  const perUnit = 1e18 / (2 * Math.sqrt(firstPrice));
  const maxUnits = p.veShare === undefined ? MAX_UINT256 / 2n : MAX_UINT256 / 2n / RAW_PER_TOKEN;
  if (!(p.otherStakedValue * perUnit <= Number(maxUnits))) {
    const boost = p.veShare === undefined ? '' : ', and by 10^18 more for the boost (the working balance multiplies it by the vote-escrow balance)';
    p.fail('otherStakedValue', `must be at most ${floor4(Number(maxUnits) / perUnit)} at this run's first price ${firstPrice}: other stakers' stake is the full-range liquidity of that value, V / (2·√P) × 10^18 units, which must fit the contract's uint256 balances beside the LP's${boost}; was ${p.otherStakedValue}`);
  }
  return stakeUnitsOfValue(p.otherStakedValue, firstPrice);
}

/** The engine spec of a program at the run's first price. */
export function programSpec(p: ProgramConfig, firstPrice: number): ProgramSpec {
  const otherStake = otherStakeOf(p, firstPrice);
  return {
    kind: p.kind,
    token: p.token,
    source: p.source,
    startSec: p.startSec,
    endSec: p.endSec,
    amountRaw: tokensToRaw(p.total),
    topUps: p.topUps.map((t) => ({ atSec: t.atSec, amountRaw: tokensToRaw(t.amount) })),
    otherStake,
    ...(p.veShare === undefined ? {} : { veShare: p.veShare }),
    ...(p.blockTimeSec === undefined ? {} : { blockTimeSec: p.blockTimeSec }),
    ...(p.allocPoint === undefined ? {} : { allocPoint: BigInt(p.allocPoint), totalAllocPoint: BigInt(p.totalAllocPoint!) }),
  };
}
