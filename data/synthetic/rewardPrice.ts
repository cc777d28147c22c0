/**
 * The reward token's price path over a run's steps (`--reward-price`): a constant, a price file (as-of lookup), a
 * seeded GBM whose log returns are correlated with the pool's base at ρ, or a scenario (linear or exponential
 * decay, a crash at a time). Pure: the file's series is loaded by the caller (runs/incentives).
 */
import { ConfigError } from '../../sim/core/errors.ts';
import { Rng } from '../../sim/core/rng.ts';
import { MS_PER_YEAR } from '../../sim/core/time.ts';
import type { PriceSeries } from '../../sim/core/series.ts';
import { gbmLogReturns } from './gbm.ts';
import { checkSeriesCoversRun } from '../loaders/gasSeries.ts';
import { secondsLookLikeMilliseconds } from '../loaders/window.ts';

export type RewardPriceSpec =
  | { readonly kind: 'constant'; readonly price: number }
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'gbm'; readonly sigma: number; readonly rho: number; readonly mu: number }
  | { readonly kind: 'decay'; readonly shape: 'linear' | 'exp'; readonly value: number }
  | { readonly kind: 'crash'; readonly drop: number; readonly atMs: number };

const FLAG = '--reward-price';

/** A decimal number with an optional sign, leading or trailing point and exponent, or ±Infinity. */
const NUMBER = /^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|infinity)$/i;

function num(s: string, what: string, ok: (v: number) => boolean, rule: string): number {
  const v = s.trim() === '' ? NaN : Number(s);
  if (!Number.isFinite(v) || !ok(v)) throw new ConfigError(FLAG, `${what} ${rule}; was ${JSON.stringify(s)}`);
  return v;
}

function constantPrice(price: number, given: string): RewardPriceSpec {
  if (!(price > 0 && Number.isFinite(price))) throw new ConfigError(FLAG, `a constant price must be a finite number > 0; was ${given}`);
  return { kind: 'constant', price };
}

/** Time of a crash: ISO-8601 or unix seconds. */
function timeMs(s: string): number {
  const t = s.trim();
  const ms = /^\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : `${t}Z`);
  if (!Number.isFinite(ms)) throw new ConfigError(FLAG, `crash time must be ISO-8601 or unix seconds; was ${JSON.stringify(s)}`);
  const asMs = /^\d+(\.\d+)?$/.test(t) ? secondsLookLikeMilliseconds(t) : undefined;
  if (asMs !== undefined) throw new ConfigError(FLAG, `crash time ${asMs}`);
  return ms;
}

/**
 * Parses `--reward-price`: a number (constant), `gbm:sigma=0.9,rho=0.6,mu=0`, `decay:linear:0.8` (to 0.8 × the start
 * by the end of the run), `decay:exp:2` (rate 2 per year), `crash:0.5@2021-05-19` (−50 % at that time), or else a
 * price file path.
 */
export function parseRewardPrice(v: string | number): RewardPriceSpec {
  if (typeof v === 'number') return constantPrice(v, String(v));
  const s = String(v).trim();
  // a number as JavaScript writes one (.5, 5., +2, -1, 1e-3, Infinity), as --fee reads them: a price, never a file name
  if (NUMBER.test(s)) return constantPrice(/infinity/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s), s);
  if (s.startsWith('gbm:') || s === 'gbm') {
    const kv: Record<string, number> = { sigma: 0.8, rho: 0, mu: 0 };
    for (const part of s.slice(4).split(',').filter((x) => x.trim() !== '')) {
      const eq = part.indexOf('=');
      const k = eq < 0 ? part.trim() : part.slice(0, eq).trim();
      if (!(k in kv)) throw new ConfigError(FLAG, `gbm takes sigma, rho and mu (gbm:sigma=0.9,rho=0.6,mu=0); got "${k}"`);
      kv[k] = num(eq < 0 ? '' : part.slice(eq + 1), `gbm ${k}`, () => true, 'must be a number');
    }
    if (!(kv.sigma! >= 0)) throw new ConfigError(FLAG, `gbm sigma must be ≥ 0 (annual volatility); was ${kv.sigma}`);
    if (!(kv.rho! >= -1 && kv.rho! <= 1)) throw new ConfigError(FLAG, `gbm rho must be in [-1, 1]; was ${kv.rho}`);
    return { kind: 'gbm', sigma: kv.sigma!, rho: kv.rho!, mu: kv.mu! };
  }
  if (s.startsWith('decay:')) {
    const [, shape, x] = s.split(':');
    if (shape === 'linear') return { kind: 'decay', shape, value: num(x ?? '', 'decay:linear', (f) => f >= 0, 'takes the final fraction of the start price (≥ 0), e.g. decay:linear:0.2') };
    if (shape === 'exp') return { kind: 'decay', shape, value: num(x ?? '', 'decay:exp', (r) => r >= 0, 'takes a rate per year (≥ 0), e.g. decay:exp:2') };
    throw new ConfigError(FLAG, `decay is decay:linear:<final fraction> or decay:exp:<rate per year>; was ${JSON.stringify(s)}`);
  }
  if (s.startsWith('crash:')) {
    const body = s.slice(6);
    const at = body.indexOf('@');
    if (at < 0) throw new ConfigError(FLAG, `crash is crash:<drop fraction>@<time>, e.g. crash:0.5@2021-05-19; was ${JSON.stringify(s)}`);
    return { kind: 'crash', drop: num(body.slice(0, at), 'crash drop', (d) => d > 0 && d < 1, 'must be a fraction in (0, 1)'), atMs: timeMs(body.slice(at + 1)) };
  }
  if (s === '') throw new ConfigError(FLAG, 'must be a number, a price file, gbm:…, decay:…, or crash:…');
  return { kind: 'file', file: s };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The warning of a crash that cannot act: at or before the run's first step, or after its last. */
function crashOutsideRun(spec: Extract<RewardPriceSpec, { kind: 'crash' }>, firstMs: number, lastMs: number, p0: number): string {
  const what = `--reward-price crash:${spec.drop}@${iso(spec.atMs)}`;
  const run = `the run ${iso(firstMs)} … ${iso(lastMs)}`;
  if (spec.atMs > lastMs) return `${what} is after ${run}: it never acts, and the reward price stays at ${p0} (the start price) throughout`;
  const at = spec.atMs === firstMs ? 'is at the first step of' : 'is before';
  return `${what} ${at} ${run}: it cannot act, as the start price (${p0}, --reward-price-start) is the price at the first step, so the reward price stays at ${p0} throughout; for a price already crashed, give --reward-price-start the price after the crash`;
}

/** Why a path left the numbers a price can be, by kind. */
function unpriceableHint(spec: RewardPriceSpec): string {
  switch (spec.kind) {
    case 'decay':
      return spec.shape === 'linear' ? 'decay:linear:0 reaches 0 at the end — use a small fraction instead' : `decay:exp:${spec.value} falls below the smallest number a price can be — use a smaller rate`;
    case 'gbm':
      return `gbm:sigma=${spec.sigma},mu=${spec.mu} moves the price beyond the numbers a price can be over this run — use a smaller sigma or mu`;
    default:
      return 'the price file or constant holds a price that is not';
  }
}

export interface RewardPriceOptions {
  /** The reward price at the first step for gbm / decay / crash (default 1). */
  readonly start?: number;
  /** Seed of the gbm path (the run's --seed). */
  readonly seed?: number;
  /** The loaded price file for kind 'file'. */
  readonly file?: PriceSeries;
}

export interface RewardPricePath {
  readonly price: Float64Array;
  readonly warnings: readonly string[];
}

/** The reward price at each step of `series` (the pool's base series: its timestamps, and its returns for gbm). */
export function rewardPricePath(spec: RewardPriceSpec, series: PriceSeries, opts: RewardPriceOptions = {}): RewardPricePath {
  const n = series.length;
  const ts = series.timestampMs;
  const out = new Float64Array(n);
  const warnings: string[] = [];
  const p0 = opts.start ?? 1;
  if (!(p0 > 0 && Number.isFinite(p0))) throw new ConfigError('--reward-price-start', `must be > 0; was ${p0}`);
  switch (spec.kind) {
    case 'constant':
      out.fill(spec.price);
      break;
    case 'file': {
      const f = opts.file;
      if (f === undefined) throw new ConfigError(FLAG, `the price file ${spec.file} was not loaded`);
      let j = -1;
      for (let i = 0; i < n; i++) {
        while (j + 1 < f.length && f.timestampMs[j + 1]! <= ts[i]!) j++;
        out[i] = f.price[Math.max(0, j)]!;
      }
      if (n === 0 || f.length === 0) break;
      if (f.timestampMs[0]! > ts[0]!) warnings.push(`reward price file ${spec.file} starts at ${new Date(f.timestampMs[0]!).toISOString()}, after the run (${new Date(ts[0]!).toISOString()}): its first price is used before that`);
      // ending before the run ends (by more than two of its spacings): the gas series' check and words; its start is said above
      const named = { ...f, provenance: { ...f.provenance, file: spec.file } };
      warnings.push(...checkSeriesCoversRun(named, { name: 'reward price file', unit: '' }, { startMs: Math.max(ts[0]!, f.timestampMs[0]!), endMs: ts[n - 1]! }));
      break;
    }
    case 'decay': {
      const span = ts[n - 1]! - ts[0]!;
      for (let i = 0; i < n; i++) {
        const dt = ts[i]! - ts[0]!;
        out[i] = spec.shape === 'linear' ? p0 * (1 - (1 - spec.value) * (span > 0 ? dt / span : 0)) : p0 * Math.exp((-spec.value * dt) / MS_PER_YEAR);
      }
      break;
    }
    case 'crash': {
      // --reward-price-start is the price at the first step: a crash at or before it cannot act (for a price that has
      // already crashed, start at the crashed price), nor can one after the last step; either is said, and the price
      // stays at the start. Inside the run it acts from the first step at or after its time.
      const acts = n > 0 && spec.atMs > ts[0]! && spec.atMs <= ts[n - 1]!;
      for (let i = 0; i < n; i++) out[i] = acts && ts[i]! >= spec.atMs ? p0 * (1 - spec.drop) : p0;
      if (n > 0 && !acts) warnings.push(crashOutsideRun(spec, ts[0]!, ts[n - 1]!, p0));
      break;
    }
    case 'gbm': {
      // The base's log returns, standardised with their sample mean and deviation over the run; the reward's
      // shock each step is ρ·z_base + √(1 − ρ²)·ε with ε ~ N(0, 1) from the seeded stream. On a clock with gaps
      // each return is first divided by √(its step): a return over a longer step is not a larger shock (the GBM
      // step scales the shock by √Δt itself), so the reward's volatility stays sigma across a gap.
      const r = new Float64Array(n);
      let even = true;
      for (let i = 2; i < n && even; i++) even = ts[i]! - ts[i - 1]! === ts[1]! - ts[0]!;
      let m = 0;
      for (let i = 1; i < n; i++) {
        r[i] = Math.log(series.price[i]! / series.price[i - 1]!);
        if (!even) r[i] = r[i]! / Math.sqrt((ts[i]! - ts[i - 1]!) / MS_PER_YEAR);
        m += r[i]!;
      }
      m /= Math.max(1, n - 1);
      let v = 0;
      for (let i = 1; i < n; i++) {
        const d = r[i]! - m;
        v += d * d;
      }
      const sd = Math.sqrt(v / Math.max(1, n - 2));
      const rng = new Rng(opts.seed ?? 42).fork('reward-price');
      // A base that never moves (sd 0, or a single return) has nothing to correlate with: z would be 0 and the
      // shock only √(1 − ρ²)·ε, less volatile than sigma. The shock is then ε alone, at full sigma (said when ρ ≠ 0).
      const flat = !(sd > 0);
      if (flat && spec.rho !== 0 && n > 1) {
        warnings.push(`--reward-price gbm: rho=${spec.rho} has nothing to correlate with: the pool's base price does not move over the run (${iso(ts[0]!)} … ${iso(ts[n - 1]!)}), so the reward price moves independently of it, at sigma=${spec.sigma}`);
      }
      const rho = flat ? 0 : spec.rho;
      const c = Math.sqrt(1 - rho * rho);
      let i = 0;
      const shocks = {
        normal: (): number => {
          i++;
          const z = flat ? 0 : (r[i]! - m) / sd;
          return rho * z + c * rng.normal();
        },
      };
      const g = gbmLogReturns(ts, spec.mu, spec.sigma, shocks); // data/synthetic/gbm.ts: the one GBM step
      out[0] = p0;
      for (let k = 1; k < n; k++) out[k] = out[k - 1]! * Math.exp(g[k]!);
      break;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!(out[i]! > 0 && Number.isFinite(out[i]!))) throw new ConfigError(FLAG, `the reward price at step ${i} is ${out[i]} (must be a finite number > 0); ${unpriceableHint(spec)}`);
  }
  return { price: out, warnings };
}
