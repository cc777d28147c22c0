import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** FNV-1a over a string: a stable 32-bit hash used to derive child seeds from labels. */
function hashLabel(label: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h | 0;
}

/** MurmurHash3's 32-bit finaliser: spreads nearby seeds (5, 6, …) over the whole state space. */
function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The project's only source of randomness: a seeded xoroshiro128+ generator (pure-rand).
 * Components never share one stream: each takes `rng.fork('name')`, whose sequence depends only on the
 * parent's seed and the label, so adding a component never changes another's draws.
 */
export class Rng {
  readonly seed: number;
  private readonly gen: RandomGenerator;
  private spareNormal: number | undefined;
  /** Numbers drawn, shared by a generator and all its forks (see {@link draws}). */
  private readonly drawn: { n: number };

  /** `drawn`: a fork's parent's count (left out for a new root). */
  constructor(seed: number, drawn: { n: number } = { n: 0 }) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer; was ${seed}`);
    this.seed = seed;
    this.drawn = drawn;
    this.gen = xoroshiro128plus(fmix32((seed | 0) ^ fmix32(Math.floor(seed / 2 ** 32) | 0)));
    // xoroshiro128+'s first outputs are correlated for nearby seeds; burn them in.
    for (let i = 0; i < 16; i++) this.gen.next();
  }

  /** An independent generator for a named component. */
  fork(label: string): Rng {
    return new Rng(hashLabel(label, this.seed | 0), this.drawn);
  }

  /** How many numbers this generator's root and all its forks have drawn: 0 when the seed changed nothing. */
  get draws(): number {
    return this.drawn.n;
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    this.drawn.n++;
    return uniformFloat64(this.gen);
  }

  /** Standard normal N(0, 1) by the Marsaglia polar method (deterministic given the stream). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * m;
        return u * m;
      }
    }
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /** Integer uniform in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  /** Poisson(lambda) by inversion (fine for the small rates used per step). */
  poisson(lambda: number): number {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = this.uniform();
    while (p > l) {
      k++;
      p *= this.uniform();
    }
    return k;
  }
}
