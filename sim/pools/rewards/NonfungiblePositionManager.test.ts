import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revertReason } from '../../core/revertReason.ts';
import { MAX_UINT128 } from '../../math/v3/fixedPoint.ts';
import { getSqrtRatioAtTick } from '../../math/v3/tickMath.ts';
import { V3Pool } from '../v3/v3Pool.ts';
import { NonfungiblePositionManager } from './NonfungiblePositionManager.ts';

const E18 = 10n ** 18n;

function setup() {
  const pool = new V3Pool({ fee: 3000, tickSpacing: 60 });
  pool.initialize(79228162514264337593543950336n);
  const manager = new NonfungiblePositionManager();
  manager.registerPool('p', pool);
  const mint = (owner: string, lo = -600, hi = 600, a0 = E18, a1 = E18) =>
    manager.mint({ pool: 'p', tickLower: lo, tickUpper: hi, amount0Desired: a0, amount1Desired: a1, recipient: owner });
  return { pool, manager, mint };
}

describe('NonfungiblePositionManager', () => {
  it('behavior: tokenIds count successful mints from 1; a reverted mint uses none', () => {
    const { manager, mint } = setup();
    expect(mint('a').tokenId).toBe(1n);
    expect(revertReason(() => mint('a', -60, 60, 0n, 0n))).toBe(''); // zero liquidity: the pool's require
    expect(revertReason(() => mint('a', -887_280, 60))).toBe('T'); // TickMath before the pool
    expect(revertReason(() => mint('a', 600, -600))).toBe('TLU'); // LiquidityAmounts sorts; the pool refuses
    expect(revertReason(() => mint('a', 60, 60))).toBe(''); // a zero-width range divides by zero
    expect(mint('b').tokenId).toBe(2n);
    expect(manager.ownerOf(2n)).toBe('b');
    expect(revertReason(() => manager.positions(3n))).toBe('Invalid token ID');
  });

  it('behavior: all tokens on a range share the manager\'s one pool position, and each is credited its own fees', () => {
    const { pool, manager, mint } = setup();
    const one = mint('a');
    const three = mint('b', -600, 600, 3n * E18, 3n * E18);
    expect(pool.position(manager.address, -600, 600).liquidity).toBe(one.liquidity + three.liquidity);
    pool.swap(true, E18 / 10n, getSqrtRatioAtTick(-600));
    pool.swap(false, E18 / 10n, getSqrtRatioAtTick(600));
    const c1 = manager.collect('a', one.tokenId);
    const c3 = manager.collect('b', three.tokenId);
    expect(c1.amount0 > 0n && c1.amount1 > 0n).toBe(true);
    // Fees in proportion to liquidity (3:1), each rounded down: the pool pays no more than it credited.
    expect(c3.amount0 / 3n - c1.amount0 <= 1n && c1.amount0 - c3.amount0 / 3n <= 1n).toBe(true);
    // What stays owed to the manager in the pool is the rounding dust of the two floors.
    const left = pool.position(manager.address, -600, 600);
    expect(left.tokensOwed0 <= 2n && left.tokensOwed1 <= 2n).toBe(true);
    expect(manager.positions(one.tokenId).tokensOwed0).toBe(0n);
  });

  it('error: only the holder or an approved operator may decrease and collect; anyone may increase', () => {
    const { manager, mint } = setup();
    const { tokenId, liquidity } = mint('a');
    expect(revertReason(() => manager.decreaseLiquidity('b', tokenId, 1n))).toBe('Not approved');
    expect(revertReason(() => manager.collect('b', tokenId))).toBe('Not approved');
    expect(manager.increaseLiquidity(tokenId, E18, E18).liquidity).toBe(liquidity);
    manager.approve('a', 'b', tokenId);
    expect(manager.decreaseLiquidity('b', tokenId, 1n).amount0).toBeGreaterThanOrEqual(0n);
    expect(revertReason(() => manager.decreaseLiquidity('a', tokenId, 0n))).toBe('');
    expect(revertReason(() => manager.decreaseLiquidity('a', tokenId, 2n * liquidity))).toBe('');
    expect(revertReason(() => manager.collect('a', tokenId, 0n, 0n))).toBe('');
    manager.safeTransferFrom('a', 'a', 'c', tokenId);
    expect(revertReason(() => manager.collect('b', tokenId))).toBe('Not approved'); // a transfer clears the approval
    expect(revertReason(() => manager.decreaseLiquidity('a', 9n, 1n))).toBe('ERC721: operator query for nonexistent token');
  });

  it('property: decreasing everything then collecting pays back at most what mint took, and tokensOwed end at 0 (fast-check, seed 31, 100 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20, max: 19 }),
        fc.integer({ min: 1, max: 20 }),
        fc.bigInt({ min: 1000n, max: 10n ** 24n }),
        fc.bigInt({ min: 1000n, max: 10n ** 24n }),
        (lo, width, a0, a1) => {
          const { manager, mint } = setup();
          const m = mint('a', lo * 60, (lo + width) * 60, a0, a1);
          expect(m.amount0 <= a0 && m.amount1 <= a1).toBe(true);
          manager.decreaseLiquidity('a', m.tokenId, m.liquidity);
          const c = manager.collect('a', m.tokenId, MAX_UINT128, MAX_UINT128);
          expect(c.amount0 <= m.amount0 && c.amount1 <= m.amount1).toBe(true);
          expect(m.amount0 - c.amount0 <= 1n && m.amount1 - c.amount1 <= 1n).toBe(true);
          const p = manager.positions(m.tokenId);
          expect([p.liquidity, p.tokensOwed0, p.tokensOwed1]).toEqual([0n, 0n, 0n]);
        },
      ),
      { numRuns: 100, seed: 31 },
    );
  });
});
