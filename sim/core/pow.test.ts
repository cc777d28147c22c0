import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pow10 } from './pow.ts';

/** A finite positive double as an exact rational m · 2^e (m, e integers), from its bits. */
function exactOf(x: number): { m: bigint; e: number } {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  const bits = v.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: biased - 1075 };
}

/** The next double above / below a finite positive x. */
function step(x: number, dir: 1 | -1): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  v.setBigUint64(0, v.getBigUint64(0) + BigInt(dir));
  return v.getFloat64(0);
}

/** |x − 10^k| scaled by a common positive factor (2^1100 · 10^max(0,−k)), exactly, for comparing candidates. */
function distance(x: number, k: number): bigint {
  const { m, e } = exactOf(x);
  const S = 1100; // x · 2^S is an integer for every double (e ≥ −1074)
  const xs = m << BigInt(e + S); // x · 2^S
  const ts = k >= 0 ? (10n ** BigInt(k)) << BigInt(S) : (1n << BigInt(S)) ; // 10^k · 2^S (· 10^-k below)
  const d = k >= 0 ? xs - ts : xs * 10n ** BigInt(-k) - ts;
  return d < 0n ? -d : d;
}

describe('pow10', () => {
  it('is the double nearest 10^k (exact rational comparison with both neighbours) for k in [-300, 300]', () => {
    for (let k = -300; k <= 300; k++) {
      const x = pow10(k);
      const d = distance(x, k);
      // no neighbour is closer, and on a tie (10^23 lies exactly halfway between two doubles) x is the even one
      for (const dir of [1, -1] as const) {
        const other = distance(step(x, dir), k);
        expect(other >= d, `10^${k}: the next double ${dir > 0 ? 'up' : 'down'} is closer`).toBe(true);
        if (other === d) expect(exactOf(x).m % 2n, `10^${k}: a tie, not rounded to even`).toBe(0n);
      }
    }
  });

  it('differs from what Node 20 returns for Math.pow(10, -5) on the digits that matter', () => {
    // the reason pow10 exists: V8 11.3's Math.pow(10, -5) is 0.000009999999999999999
    expect(pow10(-5)).toBe(0.00001);
    expect(pow10(-4)).toBe(0.0001);
    expect(pow10(-17)).toBe(1e-17);
    expect(pow10(23)).toBe(1e23); // a tie, to even: 99999999999999991611392 (Node 24's Math.pow rounds it up)
  });

  it('is exact where 10^k is a double, and under/overflows as the literals', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 22 }), (k) => pow10(k) === Number(10n ** BigInt(k))));
    expect(pow10(-400)).toBe(0);
    expect(pow10(400)).toBe(Infinity);
    expect(() => pow10(0.5)).toThrowError('pow10: the exponent must be an integer; was 0.5');
  });
});
