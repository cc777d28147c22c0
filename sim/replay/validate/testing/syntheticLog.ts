/**
 * A synthetic "chain": an exact V3Pool with a known liquidity map (one background position per tick-spacing
 * bucket, so every bucket edge is an initialised tick), driven by a list of operations, writing the pool-events
 * rows a log would show (post-swap price, tick and in-range L; mint/burn/collect amounts). Used to test the
 * log-order replay against a pool whose every fee is known.
 */
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO, V3Pool } from '../../../pools/v3/v3Pool.ts';
import { getSqrtRatioAtTick } from '../../../math/v3/tickMath.ts';
import type { PoolEventRow } from '../../real/poolEvents.ts';

export type ChainOp =
  | { readonly kind: 'swap'; readonly zeroForOne: boolean; readonly amountIn: bigint }
  | { readonly kind: 'mint'; readonly owner: string; readonly sender: string; readonly tickLower: number; readonly tickUpper: number; readonly liquidity: bigint }
  | { readonly kind: 'burnAll'; readonly owner: string; readonly tickLower: number; readonly tickUpper: number };

export interface ChainSetup {
  readonly fee: number;
  readonly spacing: number;
  readonly startTick: number;
  /** Background liquidity per bucket, from `firstBucket` upwards. */
  readonly firstBucket: number;
  readonly bucketLiquidity: readonly bigint[];
}

/** Runs `ops` on the chain pool and returns the rows (block = op index + 1, log index 0..). */
export function syntheticLog(setup: ChainSetup, ops: readonly ChainOp[]): PoolEventRow[] {
  const pool = new V3Pool({ fee: setup.fee, tickSpacing: setup.spacing });
  pool.initialize(getSqrtRatioAtTick(setup.startTick));
  setup.bucketLiquidity.forEach((L, k) => {
    const b = setup.firstBucket + k * setup.spacing;
    if (L > 0n) pool.mint('chain-bg', b, b + setup.spacing, L);
  });
  const rows: PoolEventRow[] = [];
  let line = 2;
  const base = { timestampSec: 1_704_412_800, txHash: '' };
  const push = (blockNumber: number, r: Omit<PoolEventRow, 'line' | 'blockNumber' | 'logIndex' | 'timestampSec' | 'txHash' | 'sqrtPriceX96' | 'tick' | 'totalLiquidity'>): void => {
    rows.push({ ...base, ...r, line: line++, blockNumber, logIndex: rows.length, sqrtPriceX96: pool.sqrtPriceX96, tick: pool.tick, totalLiquidity: pool.liquidity });
  };
  const swapRow = (block: number, zeroForOne: boolean, amountIn: bigint): void => {
    const q = pool.swap(zeroForOne, amountIn, zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n);
    push(block, { kind: 'SWAP', owner: '0xswapper', amount0: q.amount0, amount1: q.amount1, tickLower: 0, tickUpper: 0, liquidity: 0n });
  };
  // The anchor: a first swap the replay starts from.
  swapRow(1, true, 1000n);
  ops.forEach((op, i) => {
    const block = i + 2;
    if (op.kind === 'swap') {
      if (op.amountIn > 0n) swapRow(block, op.zeroForOne, op.amountIn);
    } else if (op.kind === 'mint') {
      const a = pool.mint(op.owner, op.tickLower, op.tickUpper, op.liquidity);
      push(block, { kind: 'MINT', owner: op.sender, amount0: a.amount0, amount1: a.amount1, tickLower: op.tickLower, tickUpper: op.tickUpper, liquidity: op.liquidity });
    } else {
      const L = pool.position(op.owner, op.tickLower, op.tickUpper).liquidity;
      if (L === 0n) return;
      const a = pool.burn(op.owner, op.tickLower, op.tickUpper, L);
      push(block, { kind: 'BURN', owner: op.owner, amount0: a.amount0, amount1: a.amount1, tickLower: op.tickLower, tickUpper: op.tickUpper, liquidity: L });
      const c = pool.collect(op.owner, op.tickLower, op.tickUpper);
      push(block, { kind: 'COLLECT', owner: op.owner, amount0: c.amount0, amount1: c.amount1, tickLower: op.tickLower, tickUpper: op.tickUpper, liquidity: 0n });
    }
  });
  return rows;
}
