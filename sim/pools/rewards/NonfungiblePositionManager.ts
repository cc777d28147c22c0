import { ConfigError, PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT256, Q128 } from '../../math/v3/fixedPoint.ts';
import { mulDiv } from '../../math/v3/fullMath.ts';
import { getLiquidityForAmounts } from '../../math/v3/liquidityAmounts.ts';
import { getSqrtRatioAtTick } from '../../math/v3/tickMath.ts';
import type { V3Amounts, V3PositionView } from '../v3/v3Pool.ts';

/**
 * # NonfungiblePositionManager: v3-periphery 1.0.1's position NFTs over exact v3 pools
 *
 * A bit-exact mirror of the manager's liquidity bookkeeping: `mint`, `increaseLiquidity`,
 * `decreaseLiquidity`, `collect`, `positions`, and the ERC721 ownership the staker relies on (`ownerOf`,
 * `approve`, `safeTransferFrom` with the receiver hook). All tokenIds' liquidity on one range sits in ONE
 * pool position owned by the manager ({@link NonfungiblePositionManager.address}); each token keeps its own
 * `feeGrowthInside{0,1}LastX128` and `tokensOwed{0,1}` and is credited
 * `uint128(mulDiv(feeGrowthInside − last, liquidity, 2^128))` whenever the manager touches the pool
 * position (increase, decrease, collect), exactly as the contract does (uint128 truncation, unchecked
 * uint128 additions: they wrap).
 *
 * Liquidity for amounts is periphery `LiquidityAmounts.getLiquidityForAmounts` (rounding down) on the
 * pool's current price; the range's sqrt prices come from TickMath first (reverts `T` beyond ±887272),
 * then the pool's own checks (`TLU`, `TLM`, `""` for zero liquidity, …).
 *
 * Reverts (PoolError, the contract's reason): `T`; `""` (zero liquidity; either leg's liquidity ≥ 2^128
 * in LiquidityAmounts' `toUint128`; a zero-width range's division by zero; decreasing 0 or more than the
 * token holds; collecting with both maxima 0; a call to a pool that does not exist); `Not approved`
 * (decrease/collect by someone who is neither the holder nor approved, e.g. while the staker holds the
 * NFT); `Invalid token ID` (positions of a token never minted); the ERC721 messages of OpenZeppelin 3.4
 * for transfers and approvals; and whatever the pool reverts with. A reverted call changes nothing.
 *
 * Not modelled: payments (callers pay exactly what the pool asks: amounts are returned), slippage minima
 * and deadlines (always pass), `burn` of the NFT, permits, multicall, WETH.
 */

/** The pool calls the manager makes; {@link V3Pool} (and its time-enabled version) has them. */
export interface ManagedPool {
  readonly sqrtPriceX96: bigint;
  mint(owner: string, tickLower: number, tickUpper: number, amount: bigint): V3Amounts;
  burn(owner: string, tickLower: number, tickUpper: number, amount: bigint): V3Amounts;
  collect(owner: string, tickLower: number, tickUpper: number, amount0Requested: bigint, amount1Requested: bigint): V3Amounts;
  position(owner: string, tickLower: number, tickUpper: number): V3PositionView;
}

/** The ERC721 receiver hook (`onERC721Received`); throwing a PoolError reverts the whole transfer. */
export interface ERC721Receiver {
  onERC721Received(operator: string, from: string, tokenId: bigint, data: unknown): void;
}

/** `positions(tokenId)` (nonce and token addresses left out; `pool` is the pool's id). */
export interface NftPosition {
  readonly pool: string;
  readonly operator: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: bigint;
  readonly feeGrowthInside0LastX128: bigint;
  readonly feeGrowthInside1LastX128: bigint;
  readonly tokensOwed0: bigint;
  readonly tokensOwed1: bigint;
}

export interface MintParams {
  readonly pool: string;
  readonly tickLower: number;
  readonly tickUpper: number;
  /** uint256 each. */
  readonly amount0Desired: bigint;
  readonly amount1Desired: bigint;
  readonly recipient: string;
}

export interface MintResult extends V3Amounts {
  readonly tokenId: bigint;
  readonly liquidity: bigint;
}

export interface IncreaseLiquidityResult extends V3Amounts {
  /** Liquidity added. */
  readonly liquidity: bigint;
}

const INT24_MIN = -(2 ** 23);
const INT24_MAX = 2 ** 23 - 1;

function checkName(field: string, v: string): void {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(field, `must be a non-empty name; was ${JSON.stringify(v)}`);
}

function checkUint(field: string, v: bigint, max: bigint, bits: number): void {
  if (typeof v !== 'bigint' || v < 0n || v > max) throw new ConfigError(field, `must be a uint${bits} bigint in [0, ${max}]; was ${String(v)}`);
}

function checkTick(field: string, v: number): void {
  if (!Number.isInteger(v) || v < INT24_MIN || v > INT24_MAX) throw new ConfigError(field, `must be an int24 integer; was ${v}`);
}

/** `uint128(mulDiv(growthNow − growthLast, liquidity, 2^128))`: fees since the last snapshot, truncated. */
function feesOwed(growthNow: bigint, growthLast: bigint, liquidity: bigint): bigint {
  return mulDiv((growthNow - growthLast) & MAX_UINT256, liquidity, Q128) & MAX_UINT128;
}

export class NonfungiblePositionManager {
  /** The manager's own name: the owner of its positions in the pools, and the `operator` of hooks. */
  readonly address: string;
  private readonly pools = new Map<string, ManagedPool>();
  private readonly receivers = new Map<string, ERC721Receiver>();
  private readonly _positions = new Map<bigint, NftPosition>();
  private readonly owners = new Map<bigint, string>();
  private nextId = 1n;

  constructor(options: { address?: string } = {}) {
    this.address = options.address ?? 'NonfungiblePositionManager';
    checkName('address', this.address);
  }

  /** Makes a pool reachable under `id` (the factory's pool for a token pair and fee). */
  registerPool(id: string, pool: ManagedPool): void {
    checkName('pool', id);
    if (this.pools.has(id)) throw new ConfigError('pool', `${JSON.stringify(id)} is already registered`);
    this.pools.set(id, pool);
  }

  /** Marks `name` as a contract whose `onERC721Received` runs on a safe transfer to it. */
  registerReceiver(name: string, receiver: ERC721Receiver): void {
    checkName('receiver', name);
    this.receivers.set(name, receiver);
  }

  /** The pool registered under `id`, if any. */
  pool(id: string): ManagedPool | undefined {
    return this.pools.get(id);
  }

  private poolOrRevert(id: string): ManagedPool {
    const p = this.pools.get(id);
    // The manager computes the pool's address and calls it: no code there, the call reverts without data.
    if (p === undefined) throw new PoolError('', `reverted (bare): no pool ${JSON.stringify(id)} (a call to an address without code)`);
    return p;
  }

  /** The next tokenId `mint` will give (`_nextId`). */
  get nextTokenId(): bigint {
    return this.nextId;
  }

  /** `positions(tokenId)`. Reverts `Invalid token ID` for a token never minted. */
  positions(tokenId: bigint): NftPosition {
    const p = this._positions.get(tokenId);
    if (p === undefined) throw new PoolError('Invalid token ID');
    return p;
  }

  /** `ownerOf(tokenId)`. Reverts like OpenZeppelin's ERC721 for a token that does not exist. */
  ownerOf(tokenId: bigint): string {
    const o = this.owners.get(tokenId);
    if (o === undefined) throw new PoolError('ERC721: owner query for nonexistent token');
    return o;
  }

  /** ownerOf without the revert: undefined for a token that does not exist. */
  holderOf(tokenId: bigint): string | undefined {
    return this.owners.get(tokenId);
  }

  private isApprovedOrOwner(spender: string, tokenId: bigint): boolean {
    const owner = this.owners.get(tokenId);
    if (owner === undefined) throw new PoolError('ERC721: operator query for nonexistent token');
    return owner === spender || (this._positions.get(tokenId) as NftPosition).operator === spender;
  }

  private authorize(caller: string, tokenId: bigint): void {
    if (!this.isApprovedOrOwner(caller, tokenId)) throw new PoolError('Not approved');
  }

  /** `approve(to, tokenId)` by `caller` (the holder): `to` may then decrease, collect and transfer. */
  approve(caller: string, to: string, tokenId: bigint): void {
    const owner = this.ownerOf(tokenId);
    if (to === owner) throw new PoolError('ERC721: approval to current owner');
    if (caller !== owner) throw new PoolError('ERC721: approve caller is not owner nor approved for all');
    this._positions.set(tokenId, { ...(this._positions.get(tokenId) as NftPosition), operator: to });
  }

  /** Liquidity for the amounts at the pool's price: TickMath's `T`, then LiquidityAmounts (rounding down, its reverts). */
  private liquidityFor(pool: ManagedPool, tickLower: number, tickUpper: number, amount0: bigint, amount1: bigint): bigint {
    const sqrtA = getSqrtRatioAtTick(tickLower);
    const sqrtB = getSqrtRatioAtTick(tickUpper);
    return getLiquidityForAmounts(pool.sqrtPriceX96, sqrtA, sqrtB, amount0, amount1);
  }

  /**
   * `mint`: adds liquidity to the manager's pool position over [tickLower, tickUpper) and mints the next
   * tokenId (from 1) to `recipient`. Returns the tokenId, the liquidity and the amounts the pool took.
   */
  mint(params: MintParams): MintResult {
    const { tickLower, tickUpper, amount0Desired, amount1Desired, recipient } = params;
    checkName('recipient', recipient);
    checkTick('tickLower', tickLower);
    checkTick('tickUpper', tickUpper);
    checkUint('amount0Desired', amount0Desired, MAX_UINT256, 256);
    checkUint('amount1Desired', amount1Desired, MAX_UINT256, 256);
    const pool = this.poolOrRevert(params.pool);
    const liquidity = this.liquidityFor(pool, tickLower, tickUpper, amount0Desired, amount1Desired);
    const { amount0, amount1 } = pool.mint(this.address, tickLower, tickUpper, liquidity);
    const tokenId = this.nextId++;
    const pp = pool.position(this.address, tickLower, tickUpper);
    this.owners.set(tokenId, recipient);
    this._positions.set(tokenId, {
      pool: params.pool,
      operator: '',
      tickLower,
      tickUpper,
      liquidity,
      feeGrowthInside0LastX128: pp.feeGrowthInside0LastX128,
      feeGrowthInside1LastX128: pp.feeGrowthInside1LastX128,
      tokensOwed0: 0n,
      tokensOwed1: 0n,
    });
    return { tokenId, liquidity, amount0, amount1 };
  }

  /**
   * `increaseLiquidity`: anyone may add to any token (no owner check in this manager), also to one the
   * staker holds. Fees earned so far are credited to the token first. Returns the liquidity added and
   * the amounts the pool took.
   */
  increaseLiquidity(tokenId: bigint, amount0Desired: bigint, amount1Desired: bigint): IncreaseLiquidityResult {
    checkUint('amount0Desired', amount0Desired, MAX_UINT256, 256);
    checkUint('amount1Desired', amount1Desired, MAX_UINT256, 256);
    const position = this._positions.get(tokenId);
    // No such token: the pool key is all zeros and the computed pool address has no code.
    if (position === undefined) throw new PoolError('', `reverted (bare): token ${tokenId} has no pool (a call to an address without code)`);
    const pool = this.poolOrRevert(position.pool);
    const { tickLower, tickUpper } = position;
    const liquidity = this.liquidityFor(pool, tickLower, tickUpper, amount0Desired, amount1Desired);
    const { amount0, amount1 } = pool.mint(this.address, tickLower, tickUpper, liquidity);
    const pp = pool.position(this.address, tickLower, tickUpper);
    this._positions.set(tokenId, {
      ...position,
      tokensOwed0: (position.tokensOwed0 + feesOwed(pp.feeGrowthInside0LastX128, position.feeGrowthInside0LastX128, position.liquidity)) & MAX_UINT128,
      tokensOwed1: (position.tokensOwed1 + feesOwed(pp.feeGrowthInside1LastX128, position.feeGrowthInside1LastX128, position.liquidity)) & MAX_UINT128,
      feeGrowthInside0LastX128: pp.feeGrowthInside0LastX128,
      feeGrowthInside1LastX128: pp.feeGrowthInside1LastX128,
      liquidity: (position.liquidity + liquidity) & MAX_UINT128,
    });
    return { liquidity, amount0, amount1 };
  }

  /**
   * `decreaseLiquidity` by `caller` (holder or approved, else `Not approved`): burns `liquidity` from the
   * pool position and credits the tokens plus the fees earned to the token's tokensOwed. Returns the
   * burned amounts (now owed). Reverts `""` for 0 or more than the token holds.
   */
  decreaseLiquidity(caller: string, tokenId: bigint, liquidity: bigint): V3Amounts {
    checkUint('liquidity', liquidity, MAX_UINT128, 128);
    this.authorize(caller, tokenId);
    if (liquidity === 0n) throw new PoolError('', 'reverted (bare): decreaseLiquidity of 0');
    const position = this._positions.get(tokenId) as NftPosition;
    if (position.liquidity < liquidity) {
      throw new PoolError('', `reverted (bare): decreaseLiquidity of ${liquidity} exceeds the token's ${position.liquidity}`);
    }
    const pool = this.poolOrRevert(position.pool);
    const { tickLower, tickUpper } = position;
    const { amount0, amount1 } = pool.burn(this.address, tickLower, tickUpper, liquidity);
    const pp = pool.position(this.address, tickLower, tickUpper);
    const add0 = ((amount0 & MAX_UINT128) + feesOwed(pp.feeGrowthInside0LastX128, position.feeGrowthInside0LastX128, position.liquidity)) & MAX_UINT128;
    const add1 = ((amount1 & MAX_UINT128) + feesOwed(pp.feeGrowthInside1LastX128, position.feeGrowthInside1LastX128, position.liquidity)) & MAX_UINT128;
    this._positions.set(tokenId, {
      ...position,
      tokensOwed0: (position.tokensOwed0 + add0) & MAX_UINT128,
      tokensOwed1: (position.tokensOwed1 + add1) & MAX_UINT128,
      feeGrowthInside0LastX128: pp.feeGrowthInside0LastX128,
      feeGrowthInside1LastX128: pp.feeGrowthInside1LastX128,
      liquidity: position.liquidity - liquidity,
    });
    return { amount0, amount1 };
  }

  /**
   * `collect` by `caller` (holder or approved): credits the fees earned (a zero burn on the pool when the
   * token has liquidity), then pays min(max, owed) of each token. Returns what the pool paid out. Reverts
   * `""` when both maxima are 0.
   */
  collect(caller: string, tokenId: bigint, amount0Max: bigint = MAX_UINT128, amount1Max: bigint = MAX_UINT128): V3Amounts {
    checkUint('amount0Max', amount0Max, MAX_UINT128, 128);
    checkUint('amount1Max', amount1Max, MAX_UINT128, 128);
    this.authorize(caller, tokenId);
    if (amount0Max === 0n && amount1Max === 0n) throw new PoolError('', 'reverted (bare): collect with both maxima 0');
    let position = this._positions.get(tokenId) as NftPosition;
    const pool = this.poolOrRevert(position.pool);
    const { tickLower, tickUpper } = position;
    let owed0 = position.tokensOwed0;
    let owed1 = position.tokensOwed1;
    if (position.liquidity > 0n) {
      pool.burn(this.address, tickLower, tickUpper, 0n);
      const pp = pool.position(this.address, tickLower, tickUpper);
      owed0 = (owed0 + feesOwed(pp.feeGrowthInside0LastX128, position.feeGrowthInside0LastX128, position.liquidity)) & MAX_UINT128;
      owed1 = (owed1 + feesOwed(pp.feeGrowthInside1LastX128, position.feeGrowthInside1LastX128, position.liquidity)) & MAX_UINT128;
      position = { ...position, feeGrowthInside0LastX128: pp.feeGrowthInside0LastX128, feeGrowthInside1LastX128: pp.feeGrowthInside1LastX128 };
    }
    const collect0 = amount0Max > owed0 ? owed0 : amount0Max;
    const collect1 = amount1Max > owed1 ? owed1 : amount1Max;
    const paid = pool.collect(this.address, tickLower, tickUpper, collect0, collect1);
    this._positions.set(tokenId, { ...position, tokensOwed0: owed0 - collect0, tokensOwed1: owed1 - collect1 });
    return paid;
  }

  /**
   * `safeTransferFrom(from, to, tokenId, data)` sent by `caller` (holder or approved). When `to` is a
   * registered receiver its `onERC721Received(caller, from, tokenId, data)` runs after the transfer; if
   * it reverts, the transfer is undone and the revert propagates.
   */
  safeTransferFrom(caller: string, from: string, to: string, tokenId: bigint, data?: unknown): void {
    checkName('to', to);
    if (!this.isApprovedOrOwner(caller, tokenId)) throw new PoolError('ERC721: transfer caller is not owner nor approved');
    const owner = this.owners.get(tokenId) as string;
    if (owner !== from) throw new PoolError('ERC721: transfer of token that is not own');
    const before = this._positions.get(tokenId) as NftPosition;
    this._positions.set(tokenId, { ...before, operator: '' });
    this.owners.set(tokenId, to);
    const receiver = this.receivers.get(to);
    if (receiver === undefined) return;
    try {
      receiver.onERC721Received(caller, from, tokenId, data);
    } catch (e) {
      this._positions.set(tokenId, before);
      this.owners.set(tokenId, owner);
      throw e;
    }
  }
}
