import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayLogOrder } from './logOrderReplay.ts';
import { findAllPositions } from './positions.ts';
import { syntheticLog, type ChainOp } from './testing/syntheticLog.ts';

const SPACING = 10;
const FIRST = -400;
const BUCKETS = 80;

const position = fc.record({
  lo: fc.integer({ min: -10, max: 9 }).map((k) => k * SPACING),
  width: fc.integer({ min: 1, max: 5 }),
  liquidity: fc.bigInt({ min: 10n ** 15n, max: 10n ** 19n }),
  start: fc.integer({ min: 0, max: 8 }),
  length: fc.integer({ min: 0, max: 15 }),
  helper: fc.boolean(),
});

const scenario = fc.record({
  buckets: fc.array(fc.bigInt({ min: 10n ** 17n, max: 10n ** 18n }), { minLength: BUCKETS, maxLength: BUCKETS }),
  swaps: fc.array(fc.record({ zeroForOne: fc.boolean(), amountIn: fc.bigInt({ min: 10n ** 9n, max: 2n * 10n ** 15n }) }), { minLength: 5, maxLength: 30 }),
  positions: fc.array(position, { minLength: 1, maxLength: 3 }),
});

describe('replayLogOrder against a synthetic chain whose every fee is known', () => {
  it('property: each life is found; its fees are exact unless a swap in range was price-driven (unseen ticks), and then within 1e-6', () => {
    fc.assert(
      fc.property(scenario, ({ buckets, swaps, positions }) => {
        const ops: ChainOp[] = [];
        const owners = positions.map((_, i) => `0x${String(i + 1).repeat(40)}`);
        for (let s = 0; s <= swaps.length; s++) {
          positions.forEach((p, i) => {
            if (p.start === s) ops.push({ kind: 'mint', owner: owners[i]!, sender: p.helper ? '0xhelper' : owners[i]!, tickLower: p.lo, tickUpper: p.lo + p.width * SPACING, liquidity: p.liquidity });
          });
          if (s < swaps.length) ops.push({ kind: 'swap', ...swaps[s]! });
          positions.forEach((p, i) => {
            if (p.start <= s && (p.start + p.length === s || s === swaps.length)) ops.push({ kind: 'burnAll', owner: owners[i]!, tickLower: p.lo, tickUpper: p.lo + p.width * SPACING });
          });
        }
        const rows = syntheticLog({ fee: 500, spacing: SPACING, startTick: 3, firstBucket: FIRST, bucketLiquidity: buckets }, ops);
        const lives = findAllPositions(rows);
        expect(lives.length).toBe(positions.filter((p) => p.start <= swaps.length).length);
        const r = replayLogOrder(rows, { fee: 500, positions: lives.map((p) => ({ id: p.id, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity, mintIndex: p.mintIndex, burnIndex: p.burnIndex })) });
        lives.forEach((life, i) => {
          const s = r.positions[i]!;
          if (s.priceDrivenSwaps === 0) {
            expect([s.fees0, s.fees1]).toEqual([life.actual0, life.actual1]);
          } else {
            for (const [sim, act] of [[s.fees0!, life.actual0!], [s.fees1!, life.actual1!]] as const) {
              const d = sim > act ? sim - act : act - sim;
              expect(d * 1_000_000n <= act + 1_000_000n * BigInt(s.swapsInRange) * 2n).toBe(true);
            }
          }
        });
      }),
      { numRuns: 60, seed: 1405 },
    );
  });
});
