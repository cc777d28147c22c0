/**
 * Fixed-point and word-size constants shared by the v3 maths (mirrors v3-core `FixedPoint96.sol`,
 * `FixedPoint128.sol` and the Solidity integer types). All bigint; computed once at module load.
 */

/** 2^96: the scale of a Q64.96 sqrt price (`FixedPoint96.Q96`). */
export const Q96 = 1n << 96n;
/** 2^128: the scale of a Q128.128 fee growth (`FixedPoint128.Q128`). */
export const Q128 = 1n << 128n;

/** 2^256 − 1: `type(uint256).max`, also the mask for 256-bit wrap-around. */
export const MAX_UINT256 = (1n << 256n) - 1n;
/** 2^160 − 1: `type(uint160).max`. */
export const MAX_UINT160 = (1n << 160n) - 1n;
/** 2^128 − 1: `type(uint128).max`, also the mask for uint128 wrap-around (tokensOwed, protocol fees). */
export const MAX_UINT128 = (1n << 128n) - 1n;
/** 2^127 − 1: `type(int128).max`. */
export const MAX_INT128 = (1n << 127n) - 1n;
/** −2^127: `type(int128).min`. */
export const MIN_INT128 = -(1n << 127n);
/** 2^255: one past `type(int256).max` (SafeCast.toInt256 requires y < 2^255). */
export const TWO_POW_255 = 1n << 255n;
/** 2^256: one past `type(uint256).max`. */
export const TWO_POW_256 = 1n << 256n;
/** 2^160: one past `type(uint160).max`. */
export const TWO_POW_160 = 1n << 160n;
/** 2^128: one past `type(uint128).max`. */
export const TWO_POW_128 = 1n << 128n;
