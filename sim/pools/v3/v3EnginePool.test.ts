import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BurnFill, SwapFill } from '../enginePool.ts';
import { ConfigError, PoolError } from '../../core/errors.ts';
import { V3EnginePool, type V3Core, type V3CorePositionAmounts } from './v3EnginePool.ts';
import { V3ExactEnginePool } from './v3ExactEnginePool.ts';
import { V3FloatPool } from './v3FloatPool.ts';

/**
 * A scripted core: its answers are set by the test, and it records what the adapter asked. The adapter's own
 * duties (ids, owners, ranges, checks, zero fills, view caching) are tested against it, independently of either
 * real core.
 */
class StubCore implements V3Core<{ readonly n: number }> {
  readonly fee = 0.003;
  readonly tickSpacing = 60;
  version = 0;
  tickNow = 0;
  swapAnswer: SwapFill | undefined = undefined;
  mintFails = false;
  readonly calls: string[] = [];
  reads = 0;
  price(): number {
    return 1.0001 ** this.tickNow;
  }
  sqrtPrice(): number {
    return 1.0001 ** (this.tickNow / 2);
  }
  currentTick(): number {
    return this.tickNow;
  }
  activeLiquidity(): number {
    return 7;
  }
  tokenBalances(): { base: number; quote: number } {
    return { base: 1, quote: 2 };
  }
  quoteToPrice(): SwapFill | undefined {
    return this.swapAnswer;
  }
  swapToPrice(): SwapFill | undefined {
    return this.swapAnswer;
  }
  quoteExactIn(): SwapFill | undefined {
    return this.swapAnswer;
  }
  swapExactIn(): SwapFill | undefined {
    return this.swapAnswer;
  }
  mintForAmounts(owner: string, id: number, lo: number, hi: number, base: number, quote: number): { position: { n: number }; base: number; quote: number } | undefined {
    this.calls.push(`mint ${owner} ${id} [${lo}, ${hi})`);
    if (this.mintFails) return undefined;
    this.version++;
    return { position: { n: id }, base: base / 2, quote: quote / 2 };
  }
  mintRawLiquidity(owner: string, id: number, lo: number, hi: number, L: bigint): { position: { n: number }; base: number; quote: number } {
    this.calls.push(`mintRaw ${owner} ${id} [${lo}, ${hi}) ${L}`);
    this.version++;
    return { position: { n: id }, base: 1, quote: 1 };
  }
  mintLiquidity(owner: string, id: number, lo: number, hi: number, L: number): { n: number } {
    if (!(L > 0)) throw new PoolError('', 'stub: no liquidity');
    this.calls.push(`mintL ${owner} ${id} [${lo}, ${hi}) ${L}`);
    this.version++;
    return { n: id };
  }
  amountsForRawLiquidity(): { base: number; quote: number } {
    return { base: 3, quote: 4 };
  }
  burn(p: { n: number }, fraction: number): BurnFill {
    this.calls.push(`burn ${p.n} ${fraction}`);
    this.version++;
    return { base: 1, quote: 1, feesBase: 0, feesQuote: 0 };
  }
  collect(p: { n: number }): { feesBase: number; feesQuote: number } {
    this.calls.push(`collect ${p.n}`);
    this.version++;
    return { feesBase: 0, feesQuote: 0 };
  }
  readPosition(p: { n: number }, out: V3CorePositionAmounts): void {
    this.reads++;
    out.liquidity = p.n;
    out.base = 10 * p.n;
    out.quote = 20 * p.n;
    out.feesBase = 0.5;
    out.feesQuote = 0.25;
  }
  time(): number {
    return 0;
  }
  setTime(): void {}
  secondsPerLiquidityInsideX128(): bigint {
    return 0n;
  }
}

const signed160 = (x: bigint): bigint => (x >= 1n << 159n ? x - (1n << 160n) : x);

const stubPool = (): { core: StubCore; pool: V3EnginePool<{ readonly n: number }> } => {
  const core = new StubCore();
  return { core, pool: new V3EnginePool(core, false) };
};

describe('V3EnginePool over a scripted core: what the adapter itself owns', () => {
  it('position ids count up from 1 per open position; a mint the core refuses takes no id and says why', () => {
    const { core, pool } = stubPool();
    expect(pool.mintLiquidity('bg', -600, 600, 5, true)).toBe(1);
    expect(pool.mint('lp', { lower: 0.95, upper: 1.05 }, 2, 4).positionId).toBe(2);
    core.mintFails = true;
    expect(() => pool.mint('lp', { lower: 0.95, upper: 1.05 }, 0, 0)).toThrow(/mint amount must be > 0 \(0 base and 0 quote buy no liquidity on ticks \[-540, 540\) at tick 0\)/);
    expect(() => pool.mintLiquidity('bg', -600, 600, 0)).toThrow(PoolError);
    core.mintFails = false;
    expect(pool.mintTicks('lp', -60, 60, 10n ** 18n).positionId).toBe(3);
    expect(pool.positionIds()).toEqual([1, 2, 3]);
    expect(core.calls).toEqual(['mintL bg 1 [-600, 600) 5', 'mint lp 2 [-540, 540)', 'mint lp 3 [-540, 540)', 'mintRaw lp 3 [-60, 60) 1000000000000000000']);
  });

  it('a mint reports what the core took and the snapped range; full range and mints by ticks as the interface says', () => {
    const { pool } = stubPool();
    const m = pool.mint('lp', { lower: 0.95, upper: 1.05 }, 2, 4);
    expect([m.base, m.quote]).toEqual([1, 2]);
    // The ticks' prices 1.0001^t (the float TickMath to ~1e-14).
    expect(Math.abs(m.range!.lower / 1.0001 ** -540 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(m.range!.upper / 1.0001 ** 540 - 1)).toBeLessThan(1e-12);
    expect(pool.position(m.positionId).range).toEqual(m.range);
    const full = pool.mint('lp', null, 2, 4);
    expect(full.range).toBeNull();
    expect(pool.position(full.positionId).range).toBeNull();
    const t = pool.mintTicks('lp', -887220, 887220, 1n);
    expect(t.range).not.toBeNull(); // a mint by ticks always reports its ticks' prices
    expect(pool.positionTicks(t.positionId)).toEqual({ tickLower: -887220, tickUpper: 887220 });
    expect(() => pool.mint('lp', null, -1, 4)).toThrow(ConfigError);
  });

  it('burn checks the fraction before the core sees it; burning all closes the position, a part does not', () => {
    const { core, pool } = stubPool();
    const id = pool.mintLiquidity('lp', -600, 600, 5);
    for (const f of [0, -0.5, 1.5, NaN]) expect(() => pool.burn(id, f)).toThrow(ConfigError);
    expect(core.calls.filter((c) => c.startsWith('burn'))).toEqual([]);
    pool.burn(id, 0.5);
    expect(pool.positionIds()).toEqual([id]);
    pool.burn(id, 1);
    expect(pool.positionIds()).toEqual([]);
    expect(() => pool.position(id)).toThrow(/no open position 1/);
    expect(() => pool.collect(id)).toThrow(/no open position 1/);
    expect(() => pool.burn(id, 1)).toThrow(/no open position 1/);
  });

  it('a swap the core declines is a zero fill at the current price; otherwise the core fill passes through', () => {
    const { core, pool } = stubPool();
    core.tickNow = 600;
    const zero = { baseDelta: 0, quoteDelta: 0, feeAmount: 0, feeInBase: false, priceAfter: 1.0001 ** 600 };
    expect(pool.quoteToPrice(2)).toEqual(zero);
    expect(pool.swapToPrice(2)).toEqual(zero);
    expect(pool.quoteExactIn(true, 1)).toEqual(zero);
    expect(pool.swapExactIn(false, 1)).toEqual(zero);
    const fill = { baseDelta: 1, quoteDelta: -2, feeAmount: 0.003, feeInBase: true, priceAfter: 1.5 };
    core.swapAnswer = fill;
    expect(pool.swapToPrice(2)).toBe(fill);
    expect(pool.swapExactIn(true, 1)).toBe(fill);
  });

  it('a view is read once per core state version, and its in-range flag follows the tick ([lower, upper))', () => {
    const { core, pool } = stubPool();
    const id = pool.mintLiquidity('lp', -60, 60, 5);
    const v = pool.position(id);
    expect(v).toMatchObject({ positionId: id, owner: 'lp', liquidity: id, base: 10, quote: 20, feesBase: 0.5, feesQuote: 0.25, baseNoFees: 10, quoteNoFees: 20, inRange: true });
    expect(pool.position(id)).toBe(v);
    expect(core.reads).toBe(1);
    for (const [tick, inRange] of [[-60, true], [59, true], [60, false], [-61, false]] as const) {
      core.tickNow = tick;
      core.version++;
      const w = pool.position(id);
      expect(w).not.toBe(v);
      expect(w.inRange).toBe(inRange);
    }
    expect(core.reads).toBe(5);
  });

  it('property: snapRange widens outward onto the spacing, and a snapped range snaps to itself', () => {
    const { pool } = stubPool();
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.double({ min: 1.0001, max: 10, noNaN: true }), (lower, ratio) => {
        const r = pool.snapRange({ lower, upper: lower * ratio })!;
        const t = pool.rangeTicks(r);
        expect(Math.abs(t.tickLower % 60)).toBe(0);
        expect(Math.abs(t.tickUpper % 60)).toBe(0);
        expect(r.lower).toBeLessThanOrEqual(lower * (1 + 1e-12));
        expect(r.upper).toBeGreaterThanOrEqual(lower * ratio * (1 - 1e-12));
        expect(pool.snapRange(r)).toEqual(r);
      }),
      { seed: 20250311, numRuns: 200 },
    );
    expect(pool.snapRange(null)).toBeNull();
  });
});

describe('V3EnginePool over both real cores', () => {
  it('both adapters are one class', () => {
    expect(new V3FloatPool(0.003, 60, 2000)).toBeInstanceOf(V3EnginePool);
    expect(new V3ExactEnginePool(0.003, 60, 2000)).toBeInstanceOf(V3EnginePool);
  });

  it('amountsForTicks refuses the same ticks with the same message on both', () => {
    for (const pool of [new V3FloatPool(0.003, 60, 2000), new V3ExactEnginePool(0.003, 60, 2000)]) {
      expect(() => pool.amountsForTicks(-30, 60, 1n)).toThrowErrorMatchingInlineSnapshot(`[ConfigError: ticks: must be multiples of 60 with -887220 ≤ tickLower < tickUpper ≤ 887220; were [-30, 60]]`);
      expect(() => pool.amountsForTicks(60, 60, 1n)).toThrow(ConfigError);
      expect(() => pool.amountsForTicks(-887280, 60, 1n)).toThrow(ConfigError);
    }
  });

  it('property: the float core reads seconds per liquidity inside (X128, raw L) as the exact V3Pool does, to 1e-9 of the global accumulator', () => {
    // The exact core's value is the contract mirror's snapshotCumulativesInside (checked against the deployed
    // bytecode by sim/replay's v3-time oracle set); the float core keeps the same accumulators in floats.
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 1, max: 86_400 }), move: fc.double({ min: 0.8, max: 1.25, noNaN: true }), mint: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        (steps) => {
          const float = new V3FloatPool(0.003, 60, 2000);
          const exact = new V3ExactEnginePool(0.003, 60, 2000);
          for (const pool of [float, exact]) {
            pool.mintLiquidity('bg', -887220, 887220, 1000);
            pool.mintTicks('lp', 75000, 77040, 10n ** 21n);
          }
          let t = 0;
          let price = 2000;
          const ranges: [number, number][] = [[75000, 77040], [-887220, 887220]];
          for (const [i, s] of steps.entries()) {
            t += s.dt;
            price *= s.move;
            for (const pool of [float, exact]) {
              pool.setTime(t);
              pool.swapToPrice(price);
              if (s.mint) pool.mintTicks('lp', 74400 + 60 * i, 77700 - 60 * i, 10n ** 20n);
            }
            if (s.mint) ranges.push([74400 + 60 * i, 77700 - 60 * i]);
            expect(float.time()).toBe(t);
            expect(exact.time()).toBe(t);
            // Inside values are differences of the accumulators (and wrap modulo 2^160 as in the contract):
            // compare them as signed numbers, to 1e-9 of the global accumulator.
            const scale = (float.secondsPerLiquidity() / 1e18) * 2 ** 128;
            for (const [lo, hi] of ranges) {
              const a = signed160(float.secondsPerLiquidityInsideX128(lo, hi));
              const b = signed160(exact.secondsPerLiquidityInsideX128(lo, hi));
              expect(Math.abs(Number(a - b))).toBeLessThanOrEqual(1e-9 * scale + 1);
            }
          }
        },
      ),
      { seed: 7311, numRuns: 60 },
    );
  });
});
