/**
 * `V2Pair`: a faithful bigint mirror of UniswapV2Pair (v2-core 1.0.1) together with the factory's `feeTo`
 * switch. Amounts are raw token units (wei-like integers). Every method either applies fully or throws a
 * PoolError carrying the contract's revert reason and leaves the state unchanged (the EVM rolls back).
 *
 * What is modelled, as the contract does it:
 * - `mint(owner, amount0, amount1)`: the owner transfers both amounts to the pair, then `mint(owner)`.
 *   The first mint locks MINIMUM_LIQUIDITY (1000) LP tokens at address(0) and reverts
 *   `ds-math-sub-underflow` when ⌊√(amount0·amount1)⌋ < 1000.
 * - `burn(owner, liquidity)`: the owner transfers LP tokens to the pair (`ds-math-sub-underflow` when it
 *   holds fewer), then `burn(owner)` pays out pro rata.
 * - `swapRaw`: the input amounts are sent to the pair, then `swap(amount0Out, amount1Out)`; checked with the
 *   fee-adjusted K test. `swapExactIn` / `swapExactOut` compute the other side with UniswapV2Library first,
 *   as a router does (so a library revert surfaces with the library's reason).
 * - Protocol fee (`feeOn`, the factory's feeTo set): on mint and burn, 1/6 of the growth of √k since
 *   `kLast` is minted to feeTo as LP tokens: ⌊ totalSupply·(√k − √kLast) / (5·√k + √kLast) ⌋.
 * - Reserves are uint112: `UniswapV2: OVERFLOW` when a balance would exceed 2^112 − 1.
 * - SafeMath overflow/underflow reverts with the ds-math reason strings.
 *
 * The LP fee is in pips (3000 = 0.30 %, the contract's 997/1000). Not modelled: price accumulators (TWAP),
 * skim/sync and donations (pair balances always equal reserves here), permit, and LP transfers between owners.
 */
import { InvariantError, PoolError } from '../../core/errors.ts';
import {
  getAmountIn,
  getAmountOut,
  MAX_UINT112,
  MAX_UINT256,
  MINIMUM_LIQUIDITY,
  min,
  safeAdd,
  safeMul,
  safeSub,
  sqrt,
  v2FeeFraction,
  type V2FeeFraction,
} from '../../math/v2/constantProduct.ts';

export interface V2PairParams {
  /** LP fee in pips (parts per million); default 3000 = 0.30 %. */
  readonly feePips?: number;
  /** The factory's feeTo is set: the 1/6 protocol fee is minted on mint and burn. Default false. */
  readonly feeOn?: boolean;
}

/** A copy of the pair's whole state; pass it to {@link V2Pair.restore}. */
export interface V2PairSnapshot {
  readonly reserve0: bigint;
  readonly reserve1: bigint;
  readonly totalSupply: bigint;
  readonly kLast: bigint;
  readonly feeToBalance: bigint;
  readonly feeOn: boolean;
  readonly balances: ReadonlyMap<string, bigint>;
}

export interface V2MintResult {
  /** LP tokens minted to the owner. */
  readonly liquidity: bigint;
  /** Tokens deposited (the Mint event's amounts). */
  readonly amount0: bigint;
  readonly amount1: bigint;
  /** The owner's LP balance afterwards. */
  readonly balance: bigint;
}

export interface V2BurnResult {
  /** Tokens paid to the owner. */
  readonly amount0: bigint;
  readonly amount1: bigint;
  /** The owner's LP balance afterwards. */
  readonly balance: bigint;
}

export interface V2SwapResult {
  readonly amountIn: bigint;
  readonly amountOut: bigint;
}

/** What `_mintFee` would do, computed without mutating. */
interface MintFeeOutcome {
  readonly feeLiquidity: bigint;
  readonly kLastAfterFee: bigint;
}

function assertUint256(name: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_UINT256) {
    throw new InvariantError(`V2Pair: ${name} must be a bigint in [0, 2^256 − 1]; was ${String(value)}`);
  }
}

function assertOwner(owner: string): void {
  if (typeof owner !== 'string' || owner.length === 0) throw new InvariantError(`V2Pair: owner must be a non-empty string; was ${JSON.stringify(owner)}`);
}

export class V2Pair {
  /** LP fee in pips (3000 = 0.30 %). */
  readonly feePips: number;
  private readonly fee: V2FeeFraction;
  private readonly kScale: bigint;
  private _feeOn: boolean;
  private _reserve0 = 0n;
  private _reserve1 = 0n;
  private _totalSupply = 0n;
  private _kLast = 0n;
  private _feeToBalance = 0n;
  private _balances = new Map<string, bigint>();

  constructor(params: V2PairParams = {}) {
    this.feePips = params.feePips ?? 3000;
    this.fee = v2FeeFraction(this.feePips);
    this.kScale = this.fee.feeDenominator * this.fee.feeDenominator; // the contract's 1000**2
    this._feeOn = params.feeOn ?? false;
  }

  get reserve0(): bigint {
    return this._reserve0;
  }
  get reserve1(): bigint {
    return this._reserve1;
  }
  /** All LP tokens, MINIMUM_LIQUIDITY and feeTo's included. */
  get totalSupply(): bigint {
    return this._totalSupply;
  }
  /** reserve0·reserve1 after the last mint/burn while the protocol fee was on; 0 otherwise. */
  get kLast(): bigint {
    return this._kLast;
  }
  /** LP tokens held by the factory's feeTo. */
  get feeToBalance(): bigint {
    return this._feeToBalance;
  }
  get feeOn(): boolean {
    return this._feeOn;
  }
  /** LP tokens held by `owner` (0 if unknown). */
  balanceOf(owner: string): bigint {
    return this._balances.get(owner) ?? 0n;
  }
  /** Owners that ever held LP tokens, sorted by name (stable order for output). */
  owners(): string[] {
    return [...this._balances.keys()].sort();
  }

  /** The factory's `setFeeTo`: switches the protocol fee on (feeTo set) or off (feeTo = address(0)). */
  setFeeOn(on: boolean): void {
    this._feeOn = on;
  }

  snapshot(): V2PairSnapshot {
    return {
      reserve0: this._reserve0,
      reserve1: this._reserve1,
      totalSupply: this._totalSupply,
      kLast: this._kLast,
      feeToBalance: this._feeToBalance,
      feeOn: this._feeOn,
      balances: new Map(this._balances),
    };
  }

  restore(s: V2PairSnapshot): void {
    this._reserve0 = s.reserve0;
    this._reserve1 = s.reserve1;
    this._totalSupply = s.totalSupply;
    this._kLast = s.kLast;
    this._feeToBalance = s.feeToBalance;
    this._feeOn = s.feeOn;
    this._balances = new Map(s.balances);
  }

  /** `_mintFee(_reserve0, _reserve1)`, without side effects. */
  private mintFee(): MintFeeOutcome {
    const kLast = this._kLast;
    if (!this._feeOn) return { feeLiquidity: 0n, kLastAfterFee: 0n };
    if (kLast === 0n) return { feeLiquidity: 0n, kLastAfterFee: kLast };
    const rootK = sqrt(safeMul(this._reserve0, this._reserve1));
    const rootKLast = sqrt(kLast);
    if (rootK <= rootKLast) return { feeLiquidity: 0n, kLastAfterFee: kLast };
    const numerator = safeMul(this._totalSupply, rootK - rootKLast);
    const denominator = safeAdd(safeMul(rootK, 5n), rootKLast);
    return { feeLiquidity: numerator / denominator, kLastAfterFee: kLast };
  }

  /** `_update`'s range check: reserves are uint112. */
  private static checkReserves(balance0: bigint, balance1: bigint): void {
    if (balance0 > MAX_UINT112 || balance1 > MAX_UINT112) throw new PoolError('UniswapV2: OVERFLOW');
  }

  /**
   * The owner sends `amount0` and `amount1` to the pair, then `mint(owner)`. Liquidity minted:
   * first mint ⌊√(amount0·amount1)⌋ − 1000; later min(⌊amount0·S / reserve0⌋, ⌊amount1·S / reserve1⌋),
   * S the total supply after the protocol fee. Surplus of one token is donated to the pool, as on-chain.
   */
  mint(owner: string, amount0: bigint, amount1: bigint): V2MintResult {
    assertOwner(owner);
    assertUint256('amount0', amount0);
    assertUint256('amount1', amount1);
    const r0 = this._reserve0;
    const r1 = this._reserve1;
    // The token transfers credit the pair (the test ERC20's SafeMath add).
    const balance0 = safeAdd(r0, amount0);
    const balance1 = safeAdd(r1, amount1);
    const fee = this.mintFee();
    const supply = this._totalSupply + fee.feeLiquidity;
    let liquidity: bigint;
    let locked = 0n;
    if (supply === 0n) {
      liquidity = safeSub(sqrt(safeMul(amount0, amount1)), MINIMUM_LIQUIDITY);
      locked = MINIMUM_LIQUIDITY;
    } else {
      if (r0 === 0n || r1 === 0n) throw new PoolError('', 'reverted: division by zero (empty reserve with LP supply)');
      liquidity = min(safeMul(amount0, supply) / r0, safeMul(amount1, supply) / r1);
    }
    if (liquidity <= 0n) throw new PoolError('UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED');
    V2Pair.checkReserves(balance0, balance1);
    // Apply.
    const balance = this.balanceOf(owner) + liquidity;
    this._balances.set(owner, balance);
    this._feeToBalance += fee.feeLiquidity;
    this._totalSupply = supply + locked + liquidity;
    this._reserve0 = balance0;
    this._reserve1 = balance1;
    this._kLast = this._feeOn ? balance0 * balance1 : fee.kLastAfterFee;
    return { liquidity, amount0, amount1, balance };
  }

  /**
   * The owner sends `liquidity` LP tokens to the pair, then `burn(owner)`: pays ⌊liquidity·reserve / S⌋ of
   * each token, S the total supply after the protocol fee.
   */
  burn(owner: string, liquidity: bigint): V2BurnResult {
    assertOwner(owner);
    assertUint256('liquidity', liquidity);
    const ownerBalance = safeSub(this.balanceOf(owner), liquidity); // the LP transfer to the pair
    const r0 = this._reserve0;
    const r1 = this._reserve1;
    const fee = this.mintFee();
    const supply = this._totalSupply + fee.feeLiquidity;
    if (supply === 0n) throw new PoolError('', 'reverted: division by zero (no LP supply)');
    const amount0 = safeMul(liquidity, r0) / supply;
    const amount1 = safeMul(liquidity, r1) / supply;
    if (amount0 <= 0n || amount1 <= 0n) throw new PoolError('UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED');
    const balance0 = r0 - amount0;
    const balance1 = r1 - amount1;
    // Apply.
    this._balances.set(owner, ownerBalance);
    this._feeToBalance += fee.feeLiquidity;
    this._totalSupply = supply - liquidity;
    this._reserve0 = balance0;
    this._reserve1 = balance1;
    this._kLast = this._feeOn ? balance0 * balance1 : fee.kLastAfterFee;
    return { amount0, amount1, balance: ownerBalance };
  }

  /**
   * `amount0In`/`amount1In` are sent to the pair, then `swap(amount0Out, amount1Out, to, '')`. Checks, in the
   * contract's order: some output (`INSUFFICIENT_OUTPUT_AMOUNT`), outputs below the reserves
   * (`INSUFFICIENT_LIQUIDITY`), some input (`INSUFFICIENT_INPUT_AMOUNT`), the fee-adjusted invariant
   * (balance0·D − in0·f)(balance1·D − in1·f) ≥ reserve0·reserve1·D² (`UniswapV2: K`; f/D = 3/1000), then uint112.
   */
  swapRaw(amount0In: bigint, amount1In: bigint, amount0Out: bigint, amount1Out: bigint): void {
    assertUint256('amount0In', amount0In);
    assertUint256('amount1In', amount1In);
    assertUint256('amount0Out', amount0Out);
    assertUint256('amount1Out', amount1Out);
    const r0 = this._reserve0;
    const r1 = this._reserve1;
    // Inputs arrive before the call (the token's SafeMath add on the pair's balance).
    const credited0 = safeAdd(r0, amount0In);
    const credited1 = safeAdd(r1, amount1In);
    if (amount0Out === 0n && amount1Out === 0n) throw new PoolError('UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT');
    if (amount0Out >= r0 || amount1Out >= r1) throw new PoolError('UniswapV2: INSUFFICIENT_LIQUIDITY');
    const balance0 = credited0 - amount0Out;
    const balance1 = credited1 - amount1Out;
    // The pair infers the inputs from its balances: balance − (reserve − out) when positive.
    const in0 = balance0 > r0 - amount0Out ? balance0 - (r0 - amount0Out) : 0n;
    const in1 = balance1 > r1 - amount1Out ? balance1 - (r1 - amount1Out) : 0n;
    if (in0 === 0n && in1 === 0n) throw new PoolError('UniswapV2: INSUFFICIENT_INPUT_AMOUNT');
    const { feeNumerator, feeDenominator } = this.fee;
    const adjusted0 = safeSub(safeMul(balance0, feeDenominator), safeMul(in0, feeNumerator));
    const adjusted1 = safeSub(safeMul(balance1, feeDenominator), safeMul(in1, feeNumerator));
    if (safeMul(adjusted0, adjusted1) < safeMul(safeMul(r0, r1), this.kScale)) throw new PoolError('UniswapV2: K');
    V2Pair.checkReserves(balance0, balance1);
    this._reserve0 = balance0;
    this._reserve1 = balance1;
  }

  /** Output for an exact input at the current reserves (`getAmountOut`); throws the library's revert. No mutation. */
  quoteExactIn(zeroForOne: boolean, amountIn: bigint): bigint {
    return zeroForOne
      ? getAmountOut(amountIn, this._reserve0, this._reserve1, this.fee)
      : getAmountOut(amountIn, this._reserve1, this._reserve0, this.fee);
  }

  /** Input for an exact output at the current reserves (`getAmountIn`, rounded up); throws the library's revert. No mutation. */
  quoteExactOut(zeroForOne: boolean, amountOut: bigint): bigint {
    return zeroForOne
      ? getAmountIn(amountOut, this._reserve0, this._reserve1, this.fee)
      : getAmountIn(amountOut, this._reserve1, this._reserve0, this.fee);
  }

  /** Router-style exact-input swap: `getAmountOut`, then {@link swapRaw}. zeroForOne: token0 in, token1 out. */
  swapExactIn(zeroForOne: boolean, amountIn: bigint): V2SwapResult {
    const amountOut = this.quoteExactIn(zeroForOne, amountIn);
    if (zeroForOne) this.swapRaw(amountIn, 0n, 0n, amountOut);
    else this.swapRaw(0n, amountIn, amountOut, 0n);
    return { amountIn, amountOut };
  }

  /** Router-style exact-output swap: `getAmountIn`, then {@link swapRaw}. zeroForOne: token0 in, token1 out. */
  swapExactOut(zeroForOne: boolean, amountOut: bigint): V2SwapResult {
    const amountIn = this.quoteExactOut(zeroForOne, amountOut);
    if (zeroForOne) this.swapRaw(amountIn, 0n, 0n, amountOut);
    else this.swapRaw(0n, amountIn, amountOut, 0n);
    return { amountIn, amountOut };
  }
}
