/**
 * Sweep grids: the axes (a config key or a strategy parameter, each with its values), the configurations they
 * span (every combination, or a seeded random sample of them) and the grid's identity hash.
 *
 * Values are parsed exactly: a range `start:stop:step` is stepped in decimal (scaled bigints), so
 * `0.1:0.3:0.1` gives 0.1, 0.2, 0.3 — each the same double as if typed — never 0.30000000000000004.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { ConfigError, InputError, didYouMean } from '../../sim/core/errors.ts';
import { Rng } from '../../sim/core/rng.ts';
import { jsonErrorLine, repeatedTopLevelKey, stripBom, topLevelKeyLines } from '../../data/loaders/jsonText.ts';
import { groupThousands } from '../../sim/core/format.ts';

export type AxisValue = number | string | boolean;
export type AxisKind = 'number' | 'string' | 'boolean';

/** One swept dimension: `name` is a config key (`width`, `poolLiquidity`) or `params.<name>` for a strategy parameter. */
export interface Axis {
  readonly name: string;
  readonly values: readonly AxisValue[];
}

/**
 * The config keys a sweep may vary and their value types. Data keys (prices, format, gaps, resample, …) are
 * not axes: the series is loaded once for the whole sweep.
 */
export const AXIS_KINDS: Readonly<Record<string, AxisKind>> = {
  pool: 'string', fee: 'number', tickSpacing: 'number', poolLiquidity: 'number', poolLiquidityFile: 'string', exact: 'boolean',
  strategy: 'string', width: 'number', rebalanceDelay: 'number', capital: 'number',
  arbitrage: 'boolean', noiseRate: 'number', noiseSize: 'number', noiseVolumeShare: 'number',
  gasPrice: 'number', gasPriceSeries: 'string', gasBefore: 'string', nativePriceSeries: 'string',
  feeModel: 'string', feeEvents: 'string', seed: 'number',
  harvest: 'string', rewardPrice: 'string', rewardPriceStart: 'number', rewardPoolLiquidity: 'number', performanceFee: 'number', callerFee: 'number',
};

/**
 * Keys that take several values at once rather than one per row (`--incentive a.json --incentive b.json` runs
 * both programs together), so they cannot be axes; they go to every row's config as given.
 */
export const NOT_AXES: readonly string[] = ['incentive', 'incentives'];

/** Config keys that describe the data and so cannot vary within one sweep. */
export const DATA_KEYS: readonly string[] = ['prices', 'format', 'pair', 'gaps', 'priceOf', 'decimals0', 'decimals1', 'resample', 'divideBy', 'divideByPair', 'from', 'to'];

/** The most configurations one sweep may hold (a guard against a typo such as a step of 1e-9). */
export const MAX_CONFIGURATIONS = 10_000_000;

/** Parameter groups: config key (an object of named values) and its repeatable key=value flag. */
export const PARAM_GROUPS: ReadonlyArray<readonly [key: string, flag: string]> = [
  ['params', 'param'],
  ['harvestParams', 'harvest-param'],
];

/** The group and name of a parameter axis (`params.stop` → ['params', 'stop']), else undefined. */
export function paramAxis(name: string): [group: string, param: string] | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const group = name.slice(0, dot);
  return PARAM_GROUPS.some(([k]) => k === group) ? [group, name.slice(dot + 1)] : undefined;
}

/** `--pool-liquidity` for `poolLiquidity`; `--param stop` for `params.stop`; `--harvest-param every` for `harvestParams.every`. */
export function axisFlag(name: string): string {
  const p = paramAxis(name);
  if (p !== undefined) return `--${PARAM_GROUPS.find(([k]) => k === p[0])![1]} ${p[1]}`;
  return '--' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/**
 * The axis name of a flag or key as a user may write it: `pool-liquidity`, `poolLiquidity`, `params.stop`,
 * `param.stop`, `harvest-param.every`, `harvestParams.every`.
 */
export function axisName(raw: string, where: string): string {
  const s = raw.startsWith('--') ? raw.slice(2) : raw;
  const dot = s.indexOf('.');
  if (dot > 0) {
    const head = s.slice(0, dot);
    const group = PARAM_GROUPS.find(([k, f]) => head === k || head === f || head === `${f}s`);
    if (group !== undefined) {
      const param = s.slice(dot + 1);
      if (!/^[A-Za-z_][\w-]*$/.test(param)) throw new ConfigError(where, `parameter name ${JSON.stringify(param)} is not a name`);
      return `${group[0]}.${param}`;
    }
  }
  const key = s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (AXIS_KINDS[key] !== undefined) return key;
  if (DATA_KEYS.includes(key)) throw new ConfigError(where, `${axisFlag(key)} describes the data, which is loaded once per sweep; it cannot be an axis`);
  if (NOT_AXES.includes(key)) throw new ConfigError(where, `--incentive takes several values at once (all of them apply to every run); it cannot be an axis`);
  throw new ConfigError(where, `${JSON.stringify(raw)} is not a sweepable flag${didYouMean(key, Object.keys(AXIS_KINDS))} (axes: ${Object.keys(AXIS_KINDS).map(axisFlag).join(', ')}, ${PARAM_GROUPS.map(([, f]) => `--${f} NAME`).join(', ')})`);
}

/** The value type of an axis; parameters (and --reward-price) take numbers when every value is one, booleans likewise, else strings. */
function kindOf(name: string): AxisKind | undefined {
  return paramAxis(name) !== undefined || name === 'rewardPrice' ? undefined : AXIS_KINDS[name];
}

/** A --reward-price spec whose commas are its own: `gbm` or `gbm:sigma=0.9,rho=0.6,mu=0` (data/synthetic/rewardPrice.ts). */
const GBM_SPEC = /^gbm(:|$)/;
/** A part of a gbm spec after one of its commas: `rho=0.6`, or a bare name (which the spec's parser then refuses by name). */
const GBM_PART = /^[A-Za-z_]\w*\s*(=|$)/;

/**
 * The items of a comma list. For --reward-price, a gbm spec keeps the `key=value` parts after its own commas
 * (`1,gbm:sigma=0.9,rho=0.6,gbm:sigma=0.5` is three values); an empty part inside it (`gbm:sigma=0.9,,rho=0.6`)
 * is its own, as a single --reward-price allows, when a part or the end follows.
 */
function listItems(name: string, text: string): string[] {
  const raw = text.split(',');
  const tokens = raw.map((s) => s.trim());
  if (name !== 'rewardPrice') return tokens;
  const items: string[] = []; // as written (a spec's inner spaces kept), trimmed at the end
  let inGbm = false;
  const part = (x: string): boolean => GBM_PART.test(x) && !GBM_SPEC.test(x);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let next = i;
    while (next < tokens.length && tokens[next] === '') next++;
    const glued = inGbm && (t === '' ? next === tokens.length || part(tokens[next]!) : part(t));
    if (glued) items[items.length - 1] += `,${raw[i]!}`;
    else {
      items.push(raw[i]!);
      inGbm = GBM_SPEC.test(t);
    }
  }
  return items.map((s) => s.trim());
}

// ---------------------------------------------------------------- exact decimals

/** A decimal number as mantissa × 10^exp (exact). */
interface Decimal {
  readonly mant: bigint;
  readonly exp: number;
}

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

function parseDecimal(s: string): Decimal | undefined {
  const m = DECIMAL.exec(s.trim());
  if (m === null) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? m[4] ?? '';
  const e = Number(m[5] ?? '0');
  if (!Number.isSafeInteger(e) || Math.abs(e) > 400) return undefined;
  const mant = BigInt((m[1] === '-' ? '-' : '') + (int + frac === '' ? '0' : int + frac));
  return { mant, exp: e - frac.length };
}

function decimalToString(d: Decimal): string {
  const neg = d.mant < 0n;
  const digits = (neg ? -d.mant : d.mant).toString();
  let out: string;
  if (d.exp >= 0) out = digits + '0'.repeat(d.exp);
  else {
    const pad = digits.padStart(-d.exp + 1, '0');
    out = `${pad.slice(0, pad.length + d.exp)}.${pad.slice(pad.length + d.exp)}`;
  }
  return (neg ? '-' : '') + out;
}

/** The double nearest to a decimal string, as if the user had typed it; undefined when not a finite number. */
function exactNumber(s: string): number | undefined {
  if (parseDecimal(s) === undefined) return undefined;
  const v = Number(s.trim());
  return Number.isFinite(v) ? v : undefined;
}

/**
 * The values of `start:stop:step`, inclusive of `stop` when a step lands on it, stepped in exact decimal
 * arithmetic: value k is start + k·step computed on scaled integers, then read as a double.
 */
export function decimalRange(spec: string, where: string): number[] {
  const parts = spec.split(':');
  if (parts.length !== 3) throw new ConfigError(where, `a range is start:stop:step; was ${JSON.stringify(spec)}`);
  const [a, b, c] = parts.map(parseDecimal);
  if (a === undefined || b === undefined || c === undefined) throw new ConfigError(where, `a range is start:stop:step with decimal numbers; was ${JSON.stringify(spec)}`);
  const exp = Math.min(a.exp, b.exp, c.exp);
  const scale = (d: Decimal): bigint => d.mant * 10n ** BigInt(d.exp - exp);
  const start = scale(a);
  const stop = scale(b);
  const step = scale(c);
  if (step <= 0n) throw new ConfigError(where, `the step of a range must be > 0; was ${JSON.stringify(spec)}`);
  if (stop < start) throw new ConfigError(where, `a range's stop must be ≥ its start; was ${JSON.stringify(spec)}`);
  const count = (stop - start) / step + 1n;
  if (count > BigInt(MAX_CONFIGURATIONS)) throw new ConfigError(where, `range ${JSON.stringify(spec)} has ${count} values; at most ${groupThousands(String(MAX_CONFIGURATIONS))}`);
  const n = Number(count);
  const out: number[] = [];
  // Fast path (Clinger's): every scaled value (and k·step ≤ stop − start) is an integer of at most 2^53 and the
  // power of ten at most 10^22, so both are exact doubles and one IEEE multiplication or division rounds the exact
  // value once, to the same double as reading its decimal text. Ten million values take ~0.1 s instead of ~3 s.
  const bound = 2n ** 52n;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  // (the step too: a step beyond the span, even beyond the doubles, 0:0.5:1e309, gives the start alone)
  if (abs(start) <= bound && abs(stop) <= bound && step <= 2n * bound && Math.abs(exp) <= 22) {
    const s0 = Number(start);
    const st = Number(step);
    const pow = Number(`1e${Math.abs(exp)}`);
    const values = new Array<number>(n).fill(0); // packed, not holey; twice as fast as push
    for (let k = 0; k < n; k++) {
      const m = s0 + k * st; // exact: |k·step| ≤ stop − start ≤ 2^53 and |m| ≤ 2^52
      values[k] = exp >= 0 ? m * pow : m / pow;
    }
    return values;
  }
  for (let k = 0n; k < count; k++) {
    const v = Number(decimalToString({ mant: start + k * step, exp }));
    if (!Number.isFinite(v)) throw new ConfigError(where, `range ${JSON.stringify(spec)} leaves the range of doubles`);
    out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------- axis values

/** Reads one value of an axis of the given kind from text. */
function valueFromText(text: string, kind: AxisKind | undefined, where: string): AxisValue {
  if (kind === 'number') {
    const v = exactNumber(text);
    if (v === undefined) throw new ConfigError(where, `must be a number, a list a,b,c or a range start:stop:step; was ${JSON.stringify(text)}`);
    return v;
  }
  if (kind === 'boolean') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw new ConfigError(where, `must be true or false (a list: true,false); was ${JSON.stringify(text)}`);
  }
  return text;
}

/**
 * The values of an axis written as text: a comma list whose items are values or (numeric axes) ranges
 * `start:stop:step`. Strategy parameters are numbers when every item reads as one, booleans likewise.
 */
export function parseAxisText(name: string, text: string, where = axisFlag(name)): AxisValue[] {
  const items = listItems(name, text);
  if (items.some((s) => s === '')) throw new ConfigError(where, `empty value in ${JSON.stringify(text)}`);
  let kind = kindOf(name);
  if (kind === undefined) {
    if (items.every((s) => s.includes(':') ? s.split(':').every((p) => parseDecimal(p) !== undefined) : exactNumber(s) !== undefined)) kind = 'number';
    else if (items.every((s) => s === 'true' || s === 'false')) kind = 'boolean';
    else kind = 'string';
  }
  let out: AxisValue[] = [];
  for (const item of items) {
    if (kind === 'number' && item.includes(':')) {
      const range = decimalRange(item, where);
      // a range of up to 10,000,000 values: push(...range) would pass each as an argument and overflow the stack
      if (out.length === 0) out = range;
      else for (const v of range) out.push(v);
    } else out.push(valueFromText(item, kind, where));
  }
  return checkValues(name, out, where);
}

/**
 * Values of an axis from a JSON grid file: an array of values, a single value, or text as on the command line.
 * `literal(i)`: the text of value i (of the single value: undefined) as the file writes it, for a number JSON.parse
 * read as ±Infinity (`1e999`), which JSON.stringify would show as null.
 */
function axisFromJson(name: string, raw: unknown, where: string, literal: (i: number | undefined) => string | undefined = () => undefined): AxisValue[] {
  if (typeof raw === 'string') return parseAxisText(name, raw, where);
  const list = Array.isArray(raw) ? raw : [raw];
  const kind = kindOf(name);
  const out: AxisValue[] = list.map((v, i) => {
    if (typeof v === 'number' && Number.isFinite(v) && (kind === undefined || kind === 'number')) return v;
    if (typeof v === 'boolean' && (kind === undefined || kind === 'boolean')) return v;
    if (typeof v === 'string' && kind !== 'number' && kind !== 'boolean') return v;
    if (typeof v === 'string' && kind !== undefined) return valueFromText(v, kind, where);
    const shown = typeof v === 'number' && !Number.isFinite(v) ? `${literal(Array.isArray(raw) ? i : undefined) ?? String(v)}, beyond the range of doubles (±1.8e308)` : JSON.stringify(v);
    throw new ConfigError(where, `values must be ${kind === undefined ? 'numbers, strings or booleans' : `${kind}s`}; was ${shown}`);
  });
  return checkValues(name, out, where);
}

function checkValues(name: string, values: AxisValue[], where: string): AxisValue[] {
  if (values.length === 0) throw new ConfigError(where, 'needs at least one value');
  const type = typeof values[0];
  if (values.some((v) => typeof v !== type)) throw new ConfigError(where, `values of ${axisFlag(name)} must all be of one type; were ${values.map((v) => JSON.stringify(v)).join(', ')}`);
  const twice = repeatedValue(values);
  if (twice !== undefined) throw new ConfigError(where, `value ${JSON.stringify(twice)} appears twice`);
  return values;
}

/**
 * The first value (in list order) that an earlier one equals, else undefined. Many numbers (a long range) are
 * checked in order when they increase, else by sorting a Float64Array: a Set of ten million doubles takes ~12 s.
 */
function repeatedValue(values: readonly AxisValue[]): AxisValue | undefined {
  let twice: Set<AxisValue> | undefined; // values that appear more than once
  if (values.length > 1000 && typeof values[0] === 'number') {
    const nums = values as readonly number[];
    let increasing = true;
    for (let i = 1; i < nums.length && increasing; i++) increasing = nums[i]! > nums[i - 1]!;
    if (increasing) return undefined;
    const sorted = Float64Array.from(nums).sort();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) (twice ??= new Set()).add(sorted[i]! === 0 ? 0 : sorted[i]!);
    if (twice === undefined) return undefined;
  }
  const seen = new Set<AxisValue>();
  for (const v of values) {
    if (twice !== undefined && !twice.has(v)) continue;
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return undefined;
}

/**
 * Reads a JSON grid file: an object whose keys are axes (`width`, `pool-liquidity`, `params.stop`) in column
 * order, each an array of values, a single value, or text as on the command line (`"0.01:0.5:0.01"`).
 */
export function readGridFile(file: string): Axis[] {
  let text: string;
  try {
    text = stripBom(readFileSync(file, 'utf8'));
  } catch {
    throw new InputError(file, undefined, undefined, 'cannot read the grid file (does it exist?)');
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, jsonErrorLine(text), undefined, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new InputError(file, 1, undefined, 'must be a JSON object of axes, e.g. {"width": "0.01:0.5:0.01", "fee": [0.0005, 0.003]}');
  }
  // JSON.parse keeps the last of two equal keys: the first axis would be dropped without a word
  const again = repeatedTopLevelKey(text);
  if (again !== undefined) throw new InputError(file, again.line, again.key, `is given twice (also on line ${again.firstLine}); give each axis once, with all its values`);
  const lines = topLevelKeyLines(text);
  let tree: JsonNode | undefined;
  const literal = (k: string) => (i: number | undefined): string | undefined => {
    tree ??= parseTree(text);
    const node = tree === undefined ? undefined : findNodeAtLocation(tree, i === undefined ? [k] : [k, i]);
    return node === undefined ? undefined : text.slice(node.offset, node.offset + node.length);
  };
  return Object.entries(obj as Record<string, unknown>).map(([k, v]) => {
    const where = `${file}:${lines.get(k) ?? 1}: ${k}`;
    const name = axisName(k, where);
    return { name, values: axisFromJson(name, v, where, literal(k)) };
  });
}

/** Checks that no axis is given twice (e.g. in the grid file and as a flag). */
export function checkAxes(axes: readonly Axis[]): void {
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.name)) throw new ConfigError(axisFlag(a.name), 'is given as an axis twice (flag and grid file?)');
    seen.add(a.name);
  }
}

/**
 * The axes of a {@link Grid} as given in code (the library's `new Grid(axes)`), checked as the CLI checks its flags and
 * grid file: each name a sweepable key (axisName: a data key such as `prices`, or a typo such as `widht`, is refused,
 * not run with the axis ignored; `pool-liquidity` or `param.stop` read as `poolLiquidity`, `params.stop`), each value
 * of the axis's type (a finite number for a numeric axis), at least one and none twice.
 */
function checkedAxes(axes: readonly Axis[]): Axis[] {
  if (!Array.isArray(axes)) throw new ConfigError('Grid', `the axes must be an array of { name, values }; was ${shown(axes)}`);
  return axes.map((a: Axis) => {
    if (typeof a !== 'object' || a === null || typeof a.name !== 'string' || !Array.isArray(a.values)) throw new ConfigError('Grid', `each axis must be { name, values: [...] }; was ${shown(a)}`);
    const name = axisName(a.name, 'Grid');
    const where = axisFlag(name);
    const kind = kindOf(name);
    for (const v of a.values as readonly unknown[]) {
      const ok = typeof v === 'number' ? Number.isFinite(v) && (kind === undefined || kind === 'number')
        : typeof v === 'boolean' ? kind === undefined || kind === 'boolean'
        : typeof v === 'string' ? (kind === undefined || kind === 'string') && v.trim() !== ''
        : false;
      if (!ok) throw new ConfigError(where, `values must be ${kind === undefined ? 'finite numbers, non-empty strings or booleans' : kind === 'number' ? 'finite numbers' : kind === 'string' ? 'non-empty strings' : 'booleans'}; was ${shown(v)}`);
    }
    checkValues(name, a.values as AxisValue[], where);
    return name === a.name ? a : { name, values: a.values };
  });
}

/** A value as a message shows it (NaN and undefined as themselves, not JSON's null or nothing). */
function shown(v: unknown): string {
  return typeof v === 'number' || v === undefined ? String(v) : (JSON.stringify(v) ?? String(v));
}

// ---------------------------------------------------------------- the grid

/**
 * The configurations of a sweep, in grid order: every combination of the axes with the first axis varying
 * slowest (nested loops in the order the axes are given), or with `samples`, that many distinct combinations
 * drawn uniformly without replacement (seeded by `sampleSeed`) and kept in grid order.
 */
export class Grid {
  readonly axes: readonly Axis[];
  readonly samples: number | undefined;
  readonly sampleSeed: number | undefined;
  /** Size of the full cartesian product. */
  readonly fullSize: number;
  /** Grid indices of the configurations (sorted); undefined = all of them. */
  private readonly picked: readonly number[] | undefined;

  constructor(axes: readonly Axis[], samples?: number, sampleSeed?: number) {
    axes = checkedAxes(axes);
    checkAxes(axes);
    for (const a of axes) if (a.values.length === 0) throw new ConfigError(axisFlag(a.name), 'needs at least one value');
    this.axes = axes;
    let size = 1;
    for (const a of axes) size *= a.values.length;
    this.fullSize = size;
    if (samples === undefined) {
      if (size > MAX_CONFIGURATIONS) throw new ConfigError(axes.map((a) => axisFlag(a.name)).join(' × '), `${groupThousands(String(size))} configurations; at most ${groupThousands(String(MAX_CONFIGURATIONS))} (use --samples N for a random search)`);
      this.picked = undefined;
      this.samples = undefined;
      this.sampleSeed = undefined;
      return;
    }
    if (!Number.isSafeInteger(samples) || samples < 1) throw new ConfigError('--samples', `must be an integer ≥ 1; was ${samples}`);
    if (samples > MAX_CONFIGURATIONS) throw new ConfigError('--samples', `at most ${groupThousands(String(MAX_CONFIGURATIONS))}; was ${samples}`);
    if (!Number.isSafeInteger(size)) throw new ConfigError('--samples', 'the grid has more than 2^53 combinations; use fewer values per axis');
    if (samples >= size) throw new ConfigError('--samples', `${samples} samples of a grid of ${size} configurations: drop --samples to run the whole grid`);
    const seed = sampleSeed ?? 0;
    this.samples = samples;
    this.sampleSeed = seed;
    this.picked = sampleIndices(size, samples, new Rng(seed).fork('sweep-samples'));
  }

  /** Number of configurations. */
  get size(): number {
    return this.picked === undefined ? this.fullSize : this.picked.length;
  }

  /** The axis values of configuration `k` (in axis order). */
  values(k: number): AxisValue[] {
    if (!(Number.isInteger(k) && k >= 0 && k < this.size)) throw new RangeError(`configuration ${k} is not in a grid of ${this.size}`);
    let idx = this.picked === undefined ? k : this.picked[k]!;
    const out = new Array<AxisValue>(this.axes.length);
    for (let a = this.axes.length - 1; a >= 0; a--) {
      const vs = this.axes[a]!.values;
      out[a] = vs[idx % vs.length]!;
      idx = Math.floor(idx / vs.length);
    }
    return out;
  }

  /** `width=0.05 fee=0.003`: names configuration `k` in messages. */
  describe(k: number): string {
    const v = this.values(k);
    return this.axes.length === 0 ? '(the base config)' : this.axes.map((a, i) => `${a.name}=${String(v[i])}`).join(' ');
  }

  /** The grid as written to sweep.json (axes in order, values exact). */
  toJson(): { axes: Array<{ name: string; values: AxisValue[] }>; samples: number | null; sampleSeed: number | null; configurations: number } {
    return {
      axes: this.axes.map((a) => ({ name: a.name, values: [...a.values] })),
      samples: this.samples ?? null,
      sampleSeed: this.sampleSeed ?? null,
      configurations: this.size,
    };
  }
}

/** `count` distinct integers of [0, size), drawn by Floyd's algorithm, sorted. */
function sampleIndices(size: number, count: number, rng: Rng): number[] {
  const chosen = new Set<number>();
  for (let j = size - count; j < size; j++) {
    const t = rng.int(0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((x, y) => x - y);
}

/**
 * Overrides of configuration values for one row: config keys, and parameters (`params.stop`) merged into their
 * group's object of the base config.
 */
export function configOverrides(axes: readonly Axis[], values: readonly AxisValue[], base: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  axes.forEach((a, i) => {
    const p = paramAxis(a.name);
    if (p === undefined) out[a.name] = values[i];
    else {
      const [group, param] = p;
      out[group] ??= { ...((base[group] as Record<string, unknown> | undefined) ?? {}) };
      (out[group] as Record<string, unknown>)[param] = values[i];
    }
  });
  return out;
}

/** JSON with object keys sorted at every level (for hashing). */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sort(o[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/**
 * Feeds {@link canonicalJson} of `value` to `emit` in pieces, long arrays a slice at a time, so that an axis of ten
 * million values is hashed without building one string of its whole text (the same bytes as canonicalJson).
 */
function emitCanonicalJson(value: unknown, emit: (text: string) => void): void {
  if (Array.isArray(value)) {
    if (value.length <= ARRAY_SLICE) {
      emit(canonicalJson(value));
      return;
    }
    emit('[');
    for (let i = 0; i < value.length; i += ARRAY_SLICE) {
      if (i > 0) emit(',');
      const slice = value.slice(i, i + ARRAY_SLICE);
      // an axis's values are numbers, strings or booleans: no keys to sort
      emit((slice.every((v) => v === null || typeof v !== 'object') ? JSON.stringify(slice) : canonicalJson(slice)).slice(1, -1));
    }
    emit(']');
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    emit('{');
    let first = true;
    // canonicalJson's order: the sorted keys as an object holds them (integer-like keys first, in numeric order)
    for (const k of Object.keys(Object.fromEntries(Object.keys(o).sort().map((key) => [key, 0])))) {
      const v = o[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue; // as JSON.stringify skips them
      emit(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      emitCanonicalJson(v, emit);
    }
    emit('}');
  } else emit(canonicalJson(value));
}
const ARRAY_SLICE = 65_536;

/**
 * The identity of a sweep: sha256 over the grid (axes, values, samples, sample seed), the base config and the
 * series' provenance (its sha256 covers the data bytes). Resume and merge refuse results of another hash.
 */
export function gridHash(grid: Grid, base: Readonly<Record<string, unknown>>, data: unknown): string {
  const axes = grid.axes.map((a) => ({ name: a.name, values: a.values }));
  const hash = createHash('sha256');
  emitCanonicalJson({ version: 1, axes, samples: grid.samples ?? null, sampleSeed: grid.sampleSeed ?? null, base, data }, (text) => hash.update(text));
  return hash.digest('hex');
}
