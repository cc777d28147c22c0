import { encodePriceSqrt, expandTo18Decimals } from './encodePriceSqrt.ts';

/**
 * Provenance: Uniswap/v3-core (commit d8b1c635) test/UniswapV3Pool.swaps.spec.ts — TEST_POOLS and
 * DEFAULT_POOL_SWAP_TESTS, in the spec's order, and test/shared/utilities.ts (getMinTick/getMaxTick,
 * getMaxLiquidityPerTick, MIN/MAX_SQRT_RATIO, and the callee's limits: MIN_SQRT_RATIO + 1 / MAX_SQRT_RATIO − 1
 * when a swap has no limit; a "to price" swap is exact input of type(int256).max, as TestUniswapV3Callee's
 * swapToLower/HigherSqrtPrice). Expected results: uniswapV3PoolSwaps.snapshot.ts.
 */
const MIN_SQRT_RATIO = 4295128739n;
const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;
const MAX_INT256 = (1n << 255n) - 1n;

const getMinTick = (s: number): number => Math.ceil(-887272 / s) * s;
const getMaxTick = (s: number): number => Math.floor(887272 / s) * s;
const getMaxLiquidityPerTick = (s: number): bigint =>
  ((1n << 128n) - 1n) / BigInt((getMaxTick(s) - getMinTick(s)) / s + 1);

export interface SnapshotPool {
  readonly description: string;
  readonly fee: number;
  readonly tickSpacing: number;
  readonly startingPrice: bigint;
  readonly positions: readonly { readonly tickLower: number; readonly tickUpper: number; readonly liquidity: bigint }[];
}

export interface SnapshotSwap {
  readonly description: string;
  readonly zeroForOne: boolean;
  readonly amountSpecified: bigint;
  readonly sqrtPriceLimitX96: bigint;
}

const E18 = expandTo18Decimals(1n);
const full = (s: number, liquidity: bigint = expandTo18Decimals(2n)) => ({ tickLower: getMinTick(s), tickUpper: getMaxTick(s), liquidity });

export const SNAPSHOT_POOLS: readonly SnapshotPool[] = [
  { description: 'low fee, 1:1 price, 2e18 max range liquidity', fee: 500, tickSpacing: 10, startingPrice: encodePriceSqrt(1n, 1n), positions: [full(10)] },
  { description: 'medium fee, 1:1 price, 2e18 max range liquidity', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n, 1n), positions: [full(60)] },
  { description: 'high fee, 1:1 price, 2e18 max range liquidity', fee: 10000, tickSpacing: 200, startingPrice: encodePriceSqrt(1n, 1n), positions: [full(200)] },
  { description: 'medium fee, 10:1 price, 2e18 max range liquidity', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(10n, 1n), positions: [full(60)] },
  { description: 'medium fee, 1:10 price, 2e18 max range liquidity', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n, 10n), positions: [full(60)] },
  {
    description: 'medium fee, 1:1 price, 0 liquidity, all liquidity around current price',
    fee: 3000,
    tickSpacing: 60,
    startingPrice: encodePriceSqrt(1n, 1n),
    positions: [
      { tickLower: getMinTick(60), tickUpper: -60, liquidity: expandTo18Decimals(2n) },
      { tickLower: 60, tickUpper: getMaxTick(60), liquidity: expandTo18Decimals(2n) },
    ],
  },
  {
    description: 'medium fee, 1:1 price, additional liquidity around current price',
    fee: 3000,
    tickSpacing: 60,
    startingPrice: encodePriceSqrt(1n, 1n),
    positions: [
      full(60),
      { tickLower: getMinTick(60), tickUpper: -60, liquidity: expandTo18Decimals(2n) },
      { tickLower: 60, tickUpper: getMaxTick(60), liquidity: expandTo18Decimals(2n) },
    ],
  },
  {
    description: 'low fee, large liquidity around current price (stable swap)',
    fee: 500,
    tickSpacing: 10,
    startingPrice: encodePriceSqrt(1n, 1n),
    positions: [{ tickLower: -10, tickUpper: 10, liquidity: expandTo18Decimals(2n) }],
  },
  { description: 'medium fee, token0 liquidity only', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n, 1n), positions: [{ tickLower: 0, tickUpper: 2000 * 60, liquidity: expandTo18Decimals(2n) }] },
  { description: 'medium fee, token1 liquidity only', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n, 1n), positions: [{ tickLower: -2000 * 60, tickUpper: 0, liquidity: expandTo18Decimals(2n) }] },
  { description: 'close to max price', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n << 127n, 1n), positions: [full(60)] },
  { description: 'close to min price', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n, 1n << 127n), positions: [full(60)] },
  { description: 'max full range liquidity at 1:1 price with default fee', fee: 3000, tickSpacing: 60, startingPrice: encodePriceSqrt(1n, 1n), positions: [full(60, getMaxLiquidityPerTick(60))] },
  { description: 'initialized at the max ratio', fee: 3000, tickSpacing: 60, startingPrice: MAX_SQRT_RATIO - 1n, positions: [full(60)] },
  { description: 'initialized at the min ratio', fee: 3000, tickSpacing: 60, startingPrice: MIN_SQRT_RATIO, positions: [full(60)] },
];

const exactIn0 = (amount: bigint, limit?: bigint): Omit<SnapshotSwap, 'description'> => ({ zeroForOne: true, amountSpecified: amount, sqrtPriceLimitX96: limit ?? MIN_SQRT_RATIO + 1n });
const exactIn1 = (amount: bigint, limit?: bigint): Omit<SnapshotSwap, 'description'> => ({ zeroForOne: false, amountSpecified: amount, sqrtPriceLimitX96: limit ?? MAX_SQRT_RATIO - 1n });
const exactOut1 = (amount: bigint, limit?: bigint): Omit<SnapshotSwap, 'description'> => ({ zeroForOne: true, amountSpecified: -amount, sqrtPriceLimitX96: limit ?? MIN_SQRT_RATIO + 1n });
const exactOut0 = (amount: bigint, limit?: bigint): Omit<SnapshotSwap, 'description'> => ({ zeroForOne: false, amountSpecified: -amount, sqrtPriceLimitX96: limit ?? MAX_SQRT_RATIO - 1n });

export const SNAPSHOT_SWAPS: readonly SnapshotSwap[] = [
  { description: 'swap exactly 1.0000 token0 for token1', ...exactIn0(E18) },
  { description: 'swap exactly 1.0000 token1 for token0', ...exactIn1(E18) },
  { description: 'swap token0 for exactly 1.0000 token1', ...exactOut1(E18) },
  { description: 'swap token1 for exactly 1.0000 token0', ...exactOut0(E18) },
  { description: 'swap exactly 1.0000 token0 for token1 to price 0.50000', ...exactIn0(E18, encodePriceSqrt(50n, 100n)) },
  { description: 'swap exactly 1.0000 token1 for token0 to price 2.0000', ...exactIn1(E18, encodePriceSqrt(200n, 100n)) },
  { description: 'swap token0 for exactly 1.0000 token1 to price 0.50000', ...exactOut1(E18, encodePriceSqrt(50n, 100n)) },
  { description: 'swap token1 for exactly 1.0000 token0 to price 2.0000', ...exactOut0(E18, encodePriceSqrt(200n, 100n)) },
  { description: 'swap exactly 0.0000000000000010000 token0 for token1', ...exactIn0(1000n) },
  { description: 'swap exactly 0.0000000000000010000 token1 for token0', ...exactIn1(1000n) },
  { description: 'swap token0 for exactly 0.0000000000000010000 token1', ...exactOut1(1000n) },
  { description: 'swap token1 for exactly 0.0000000000000010000 token0', ...exactOut0(1000n) },
  { description: 'swap token1 for token0 to price 2.5000', zeroForOne: false, amountSpecified: MAX_INT256, sqrtPriceLimitX96: encodePriceSqrt(5n, 2n) },
  { description: 'swap token0 for token1 to price 0.40000', zeroForOne: true, amountSpecified: MAX_INT256, sqrtPriceLimitX96: encodePriceSqrt(2n, 5n) },
  { description: 'swap token0 for token1 to price 2.5000', zeroForOne: true, amountSpecified: MAX_INT256, sqrtPriceLimitX96: encodePriceSqrt(5n, 2n) },
  { description: 'swap token1 for token0 to price 0.40000', zeroForOne: false, amountSpecified: MAX_INT256, sqrtPriceLimitX96: encodePriceSqrt(2n, 5n) },
];
