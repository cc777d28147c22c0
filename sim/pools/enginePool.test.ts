import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveBacktestConfig } from '../../runs/config.ts';
import { createEnginePool } from '../../runs/createPool.ts';
import type { EnginePool, PositionView, PriceRange } from './enginePool.ts';
import type { V3Core, V3CorePositionAmounts } from './v3/v3EnginePool.ts';

const P0 = 2000;
const KINDS = [
  { name: 'v2 float', pool: 'v2', exact: false },
  { name: 'v2 exact', pool: 'v2', exact: true },
  { name: 'v3 float', pool: 'v3', exact: false },
  { name: 'v3 exact', pool: 'v3', exact: true },
] as const;

const poolOf = (k: (typeof KINDS)[number]): EnginePool => createEnginePool(resolveBacktestConfig({ pool: k.pool, exact: k.exact, fee: 0.003, poolLiquidity: 2e6 } as Record<string, unknown>), P0);

/** A plain copy of every field, so a later change to the object it came from cannot show through. */
const fields = (v: Readonly<PositionView>): PositionView => ({ ...v, range: v.range === null ? null : { ...v.range } });

/**
 * What a v3 pool's core reads for a position at this moment, bypassing the adapter's record (white-box: the
 * adapter's private map and core), with the in-range flag from the core's tick.
 */
function coreReading(pool: EnginePool, id: number): Partial<PositionView> {
  const inner = pool as unknown as { core: V3Core<unknown>; positions: Map<number, { core: unknown; tickLower: number; tickUpper: number }> };
  const p = inner.positions.get(id)!;
  const out: V3CorePositionAmounts = { liquidity: 0, base: 0, quote: 0, feesBase: 0, feesQuote: 0 };
  inner.core.readPosition(p.core, out);
  const tick = inner.core.currentTick();
  return { ...out, baseNoFees: out.base, quoteNoFees: out.quote, inRange: tick >= p.tickLower && tick < p.tickUpper };
}

type Op = { kind: 'swap'; toRatio: number } | { kind: 'mint'; width: number; capital: number } | { kind: 'burn'; which: number; fraction: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('swap' as const), toRatio: fc.double({ min: 0.96, max: 1.04, noNaN: true }) }),
  fc.record({ kind: fc.constant('mint' as const), width: fc.double({ min: 0.03, max: 0.5, noNaN: true }), capital: fc.double({ min: 10, max: 5_000, noNaN: true }) }),
  fc.record({ kind: fc.constant('burn' as const), which: fc.nat(), fraction: fc.constantFrom(0.25, 0.5, 1) }),
);

/** Applies one operation; a mint or swap the pool refuses (PoolError) is skipped, as an engine would report it. */
function apply(pool: EnginePool, open: number[], o: Op): void {
  try {
    if (o.kind === 'swap') pool.swapToPrice(pool.price() * o.toRatio);
    else if (o.kind === 'mint') {
      const p = pool.price();
      const range: PriceRange | null = pool.kind === 'v2' ? null : { lower: p / (1 + o.width), upper: p * (1 + o.width) };
      open.push(pool.mint('lp', range, o.capital / 2 / p, o.capital / 2).positionId);
    } else if (open.length > 0) {
      const i = o.which % open.length;
      pool.burn(open[i]!, o.fraction);
      if (o.fraction === 1) open.splice(i, 1);
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === 'PoolError')) throw err;
  }
}

describe('EnginePool.livePosition and position: one set of numbers, a live record and immutable snapshots', () => {
  /** Float and exact agree to float rounding (the exact pool's records are read fresh on every call: no cache). */
  const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-7 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9 * scale;

  for (const family of ['v2', 'v3'] as const) {
    it(`property (${family}): after any swaps, mints and burns, the float pool's live records read what the exact pool reads, and earlier snapshots never change`, () => {
      const [floatKind, exactKind] = KINDS.filter((k) => k.pool === family);
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
          const float = poolOf(floatKind!);
          const exact = poolOf(exactKind!);
          const openF: number[] = [];
          const openE: number[] = [];
          const first: Op = { kind: 'mint', width: 0.1, capital: 1_000 };
          apply(exact, openE, first);
          apply(float, openF, first);
          const kept: Array<{ view: PositionView; copy: PositionView }> = [];
          for (const o of ops) {
            apply(exact, openE, o);
            apply(float, openF, o);
            expect(openF).toEqual(openE); // the same positions open (a refused operation refused by both)
            for (const id of openF) {
              const live = fields(float.livePosition(id));
              const ref = exact.position(id);
              for (const key of ['liquidity', 'base', 'quote', 'feesBase', 'feesQuote', 'baseNoFees', 'quoteNoFees'] as const) {
                const scale = key === 'liquidity' ? Math.abs(ref.liquidity) : ref.base * P0 + ref.quote + 1;
                if (!close(live[key], ref[key], scale)) throw new Error(`${family} position ${id} ${key}: live ${live[key]}, exact ${ref[key]}`);
              }
              expect(live.inRange).toBe(ref.inRange);
              if (family === 'v3') {
                // both v3 pools are one adapter (V3EnginePool) over two cores: its record must be what the core reads now
                for (const pool of [float, exact]) expect(fields(pool.livePosition(id))).toEqual({ ...fields(pool.livePosition(id)), ...coreReading(pool, id) });
              }
              // the snapshot is the live record's numbers at this moment, and stays so
              const view = float.position(id);
              expect(fields(view)).toEqual(live);
              kept.push({ view, copy: fields(view) });
            }
          }
          for (const k of kept) expect(fields(k.view)).toEqual(k.copy);
        }),
        { numRuns: 100, seed: 15 },
      );
    });
  }

  it('behavior (v2 and v3 float): position() is one snapshot until the state changes; the live record is one object rewritten in place', () => {
    for (const kind of KINDS.filter((k) => !k.exact)) {
      const pool = poolOf(kind);
      const p = pool.price();
      const id = pool.mint('lp', kind.pool === 'v2' ? null : { lower: p / 1.1, upper: p * 1.1 }, 1, p).positionId;
      const before = pool.position(id);
      const live = pool.livePosition(id);
      expect(pool.position(id)).toBe(before);
      const feesBefore = before.feesQuote;
      pool.swapToPrice(p * 1.01); // quote in: the position earns quote fees
      expect(pool.livePosition(id)).toBe(live);
      expect(live.feesQuote).toBeGreaterThan(feesBefore);
      expect(before.feesQuote).toBe(feesBefore);
      const after = pool.position(id);
      expect(after).not.toBe(before);
      expect(after.feesQuote).toBe(live.feesQuote);
    }
  });
});
