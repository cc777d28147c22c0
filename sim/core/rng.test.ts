import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng', () => {
  it('behavior: same seed, same stream; nearby seeds and forks differ from the first draw', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    expect([a.uniform(), a.uniform()]).toEqual([b.uniform(), b.uniform()]);
    expect(new Rng(5).uniform()).not.toBe(new Rng(6).uniform());
    expect(new Rng(5).fork('x').uniform()).not.toBe(new Rng(6).fork('x').uniform());
    expect(new Rng(5).fork('x').uniform()).not.toBe(new Rng(5).fork('y').uniform());
  });
  it('behavior: a fork depends only on the parent seed and label, not on draws made before', () => {
    const a = new Rng(9);
    a.uniform();
    expect(a.fork('lp').uniform()).toBe(new Rng(9).fork('lp').uniform());
  });
  it('behavior: normal draws have mean ≈ 0 and variance ≈ 1 (100k draws, 5σ bounds)', () => {
    const r = new Rng(1);
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
  it('error: rejects a non-integer seed', () => {
    expect(() => new Rng(1.5)).toThrowError('seed must be a safe integer; was 1.5');
  });
});
