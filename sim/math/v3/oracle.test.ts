import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128 } from './fixedPoint.ts';
import { grow, initialize, lte, observationAt, observe, observeSingle, write, type Observations } from './oracle.ts';

// Cases: Uniswap/v3-core test/Oracle.spec.ts, through a harness shaped like its OracleTest.sol: `update`
// advances time, writes an observation from the *previous* tick/liquidity, then takes the new ones.
class OracleHarness {
  readonly obs: Observations = [];
  time = 0;
  tick = 0;
  liquidity = 0n;
  index = 0;
  cardinality = 0;
  cardinalityNext = 0;

  init(p: { time: number; tick: number; liquidity: bigint }): this {
    this.time = p.time;
    this.tick = p.tick;
    this.liquidity = p.liquidity;
    ({ cardinality: this.cardinality, cardinalityNext: this.cardinalityNext } = initialize(this.obs, p.time));
    return this;
  }
  advance(by: number): void {
    this.time = (this.time + by) >>> 0;
  }
  update(p: { advanceTimeBy: number; tick: number; liquidity: bigint }): void {
    this.advance(p.advanceTimeBy);
    const w = write(this.obs, this.index, this.time, this.tick, this.liquidity, this.cardinality, this.cardinalityNext);
    this.index = w.index;
    this.cardinality = w.cardinality;
    this.tick = p.tick;
    this.liquidity = p.liquidity;
  }
  grow(next: number): void {
    this.cardinalityNext = grow(this.obs, this.cardinalityNext, next);
  }
  observeSingle(secondsAgo: number): { tickCumulative: bigint; secondsPerLiquidityCumulativeX128: bigint } {
    return observeSingle(this.obs, this.time, secondsAgo, this.tick, this.index, this.liquidity, this.cardinality);
  }
  at(i: number): object {
    const o = observationAt(this.obs, i);
    return { ...o };
  }
}
const fresh = (): OracleHarness => new OracleHarness().init({ time: 0, tick: 0, liquidity: 0n });
const obs = (blockTimestamp: number, tickCumulative: bigint, spl: bigint, initialized = true) => ({
  blockTimestamp,
  tickCumulative,
  secondsPerLiquidityCumulativeX128: spl,
  initialized,
});

describe('initialize and grow', () => {
  it('behavior: initialize writes slot 0 only; cardinality and next are 1', () => {
    const o = new OracleHarness().init({ time: 1, tick: 1, liquidity: 1n });
    expect([o.index, o.cardinality, o.cardinalityNext]).toEqual([0, 1, 1]);
    expect(o.at(0)).toEqual(obs(1, 0n, 0n));
    expect(o.at(1)).toEqual(obs(0, 0n, 0n, false));
  });
  it('behavior: grow pre-pays slots with timestamp 1, uninitialised; never shrinks; leaves slot 0', () => {
    const o = fresh();
    o.grow(5);
    expect([o.index, o.cardinality, o.cardinalityNext]).toEqual([0, 1, 5]);
    expect(o.at(0)).toEqual(obs(0, 0n, 0n));
    for (let i = 1; i < 5; i++) expect(o.at(i)).toEqual(obs(1, 0n, 0n, false));
    expect(o.at(5)).toEqual(obs(0, 0n, 0n, false));
    o.grow(3);
    expect(o.cardinalityNext).toBe(5);
  });
  it('behavior: grow after wrap leaves cardinality until the next wrap', () => {
    const o = fresh();
    o.grow(2);
    o.update({ advanceTimeBy: 2, liquidity: 1n, tick: 1 });
    o.update({ advanceTimeBy: 2, liquidity: 1n, tick: 1 });
    expect(o.index).toBe(0);
    o.grow(3);
    expect([o.index, o.cardinality, o.cardinalityNext]).toEqual([0, 2, 3]);
  });
  it("error: grow of an uninitialised oracle reverts 'I'", () => {
    expect(() => grow([], 0, 3)).toThrowError(PoolError);
  });
});

describe('write', () => {
  it('behavior: a single-slot array is overwritten with the accumulated values', () => {
    const o = fresh();
    o.update({ advanceTimeBy: 1, tick: 2, liquidity: 5n });
    expect(o.index).toBe(0);
    expect(o.at(0)).toEqual(obs(1, 0n, 340282366920938463463374607431768211456n));
    o.update({ advanceTimeBy: 5, tick: -1, liquidity: 8n });
    expect(o.at(0)).toEqual(obs(6, 10n, 680564733841876926926749214863536422912n));
    o.update({ advanceTimeBy: 3, tick: 2, liquidity: 3n });
    expect(o.at(0)).toEqual(obs(9, 7n, 808170621437228850725514692650449502208n));
  });
  it('behavior: nothing is written twice in the same second', () => {
    const o = fresh();
    o.grow(2);
    o.update({ advanceTimeBy: 1, tick: 3, liquidity: 2n });
    expect(o.index).toBe(1);
    const before = o.at(1);
    o.update({ advanceTimeBy: 0, tick: -5, liquidity: 9n });
    expect(o.index).toBe(1);
    expect(o.at(1)).toEqual(before);
  });
  it('behavior: writes the next index when time changed', () => {
    const o = fresh();
    o.grow(3);
    o.update({ advanceTimeBy: 6, tick: 3, liquidity: 2n });
    o.update({ advanceTimeBy: 4, tick: -5, liquidity: 9n });
    expect(o.index).toBe(2);
    expect(o.at(1)).toEqual(obs(6, 0n, 2041694201525630780780247644590609268736n));
  });
  it('behavior: grows the cardinality when writing past the last slot', () => {
    const o = fresh();
    o.grow(2);
    o.grow(4);
    expect(o.cardinality).toBe(1);
    o.update({ advanceTimeBy: 3, tick: 5, liquidity: 6n });
    expect(o.cardinality).toBe(4);
    o.update({ advanceTimeBy: 4, tick: 6, liquidity: 4n });
    expect([o.cardinality, o.index]).toEqual([4, 2]);
    expect(o.at(2)).toEqual(obs(7, 20n, 1247702012043441032699040227249816775338n));
  });
  it('behavior: wraps around', () => {
    const o = fresh();
    o.grow(3);
    o.update({ advanceTimeBy: 3, tick: 1, liquidity: 2n });
    o.update({ advanceTimeBy: 4, tick: 2, liquidity: 3n });
    o.update({ advanceTimeBy: 5, tick: 3, liquidity: 4n });
    expect(o.index).toBe(0);
    expect(o.at(0)).toEqual(obs(12, 14n, 2268549112806256423089164049545121409706n));
  });
  it('behavior: accumulates liquidity', () => {
    const o = fresh();
    o.grow(4);
    o.update({ advanceTimeBy: 3, tick: 3, liquidity: 2n });
    o.update({ advanceTimeBy: 4, tick: -7, liquidity: 6n });
    o.update({ advanceTimeBy: 5, tick: -2, liquidity: 4n });
    expect(o.index).toBe(3);
    expect(o.at(1)).toEqual(obs(3, 0n, 1020847100762815390390123822295304634368n));
    expect(o.at(2)).toEqual(obs(7, 12n, 1701411834604692317316873037158841057280n));
    expect(o.at(3)).toEqual(obs(12, -23n, 1984980473705474370203018543351981233493n));
    expect(o.at(4)).toEqual(obs(0, 0n, 0n, false));
  });
});

describe('observe', () => {
  it("error: 'I' before initialize, 'OLD' before the oldest observation", () => {
    expect(() => observe([], 0, [0], 0, 0, 0n, 0)).toThrowError(expect.objectContaining({ reason: 'I' }));
    const o = new OracleHarness().init({ liquidity: 4n, tick: 2, time: 5 });
    expect(() => o.observeSingle(1)).toThrowError(expect.objectContaining({ reason: 'OLD' }));
    o.advance(3);
    expect(() => o.observeSingle(4)).toThrowError(expect.objectContaining({ reason: 'OLD' }));
    expect(o.observeSingle(3)).toEqual({ tickCumulative: 0n, secondsPerLiquidityCumulativeX128: 0n });
  });
  it('behavior: does not fail across the uint32 overflow boundary', () => {
    const o = new OracleHarness().init({ liquidity: 4n, tick: 2, time: 2 ** 32 - 1 });
    o.advance(2);
    expect(o.observeSingle(1)).toEqual({ tickCumulative: 2n, secondsPerLiquidityCumulativeX128: 85070591730234615865843651857942052864n });
  });
  it('behavior: interpolates at max and min liquidity, and 1 like 0', () => {
    const max = new OracleHarness().init({ liquidity: MAX_UINT128, tick: 0, time: 0 });
    max.grow(2);
    max.update({ advanceTimeBy: 13, tick: 0, liquidity: 0n });
    expect([0, 6, 12, 13].map((s) => max.observeSingle(s).secondsPerLiquidityCumulativeX128)).toEqual([13n, 7n, 1n, 0n]);
    for (const start of [0n, 1n]) {
      const min = new OracleHarness().init({ liquidity: start, tick: 0, time: 0 });
      min.grow(2);
      min.update({ advanceTimeBy: 13, tick: 0, liquidity: MAX_UINT128 });
      expect([0, 6, 12, 13].map((s) => min.observeSingle(s).secondsPerLiquidityCumulativeX128)).toEqual([13n << 128n, 7n << 128n, 1n << 128n, 0n]);
    }
  });
  it('behavior: interpolates across the uint32 seconds boundary', () => {
    const o = fresh();
    o.grow(2);
    o.update({ advanceTimeBy: 2 ** 32 - 6, tick: 0, liquidity: 0n });
    expect(o.observeSingle(0).secondsPerLiquidityCumulativeX128).toBe(BigInt(2 ** 32 - 6) << 128n);
    o.update({ advanceTimeBy: 13, tick: 0, liquidity: 0n });
    expect(o.observeSingle(0).secondsPerLiquidityCumulativeX128).toBe(7n << 128n);
    expect(o.observeSingle(3).secondsPerLiquidityCumulativeX128).toBe(4n << 128n);
    expect(o.observeSingle(8).secondsPerLiquidityCumulativeX128).toBe(BigInt(2 ** 32 - 1) << 128n);
  });
  it('behavior: tick cumulative interpolation divides first, rounding toward zero', () => {
    // Observations at t=0 (0) and t=3 (tick -1 for 3 s → -3)... then -5 over 2 s: Δ = -5 → -5/2 = -2 per second.
    const o = new OracleHarness().init({ liquidity: 1n, tick: -1, time: 0 });
    o.grow(4);
    o.update({ advanceTimeBy: 3, tick: -5, liquidity: 1n });
    o.update({ advanceTimeBy: 1, tick: 7, liquidity: 1n });
    o.update({ advanceTimeBy: 2, tick: 7, liquidity: 1n });
    // Slots: t0: 0, t3: -3, t4: -8, t6: +6. Between t4 and t6: (6 − (−8)) / 2 · 1 = 7 → −1 at t5.
    expect(o.observeSingle(1).tickCumulative).toBe(-1n);
    // Between t0 and t3 at t1: (−3 / 3) · 1 = −1; at t2: −2.
    expect(o.observeSingle(5).tickCumulative).toBe(-1n);
    expect(o.observeSingle(4).tickCumulative).toBe(-2n);
  });
});

describe('property: lte orders times as their unwrapped values', () => {
  it('behavior: for a and b within 2^32 − 1 seconds before time, lte(time, a mod 2^32, b mod 2^32) = a ≤ b', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2 ** 32, max: 2 ** 40 }), fc.nat(2 ** 32 - 1), fc.nat(2 ** 32 - 1), (now, da, db) => {
        const a = now - da;
        const b = now - db;
        expect(lte(now >>> 0, a >>> 0, b >>> 0)).toBe(a <= b);
      }),
    );
  });
});
