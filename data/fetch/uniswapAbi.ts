import { parseAbi } from 'viem';

/**
 * Event and view-function ABIs of the Uniswap pools whose logs `ammsim data fetch pool-events` reads,
 * transcribed from the interfaces in Uniswap/v3-core (`IUniswapV3PoolEvents`, `IUniswapV3PoolImmutables`)
 * and Uniswap/v2-core (`IUniswapV2Pair`).
 */
export const UNISWAP_V3_POOL_EVENTS_ABI = parseAbi([
  'event Initialize(uint160 sqrtPriceX96, int24 tick)',
  'event Mint(address sender, address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)',
  'event Collect(address indexed owner, address recipient, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount0, uint128 amount1)',
  'event Burn(address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)',
  'event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)',
]);

export const UNISWAP_V2_PAIR_EVENTS_ABI = parseAbi([
  'event Mint(address indexed sender, uint256 amount0, uint256 amount1)',
  'event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to)',
  'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
  'event Sync(uint112 reserve0, uint112 reserve1)',
]);

/** The pool's immutable parameters (v2 pairs have only token0/token1). */
export const POOL_VIEW_ABI = parseAbi([
  'function token0() view returns (address)',
  'function token1() view returns (address)',
  'function fee() view returns (uint24)',
  'function tickSpacing() view returns (int24)',
]);

export const ERC20_VIEW_ABI = parseAbi(['function decimals() view returns (uint8)', 'function symbol() view returns (string)']);

/** Some old tokens (MKR, SAI) return `symbol()` as bytes32. */
export const ERC20_SYMBOL_BYTES32_ABI = parseAbi(['function symbol() view returns (bytes32)']);
