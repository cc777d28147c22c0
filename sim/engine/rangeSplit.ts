import type { EnginePool, PriceRange, SwapFill } from '../pools/enginePool.ts';

export interface Wallet {
  base: number;
  quote: number;
}

/**
 * The input of the swap that leaves `wallet` split as `range` needs at the pool, or undefined when it already is.
 *
 * First the size that is right after the fee on the input at the current price; when that swap would leave the
 * wallet off the range's split at the post-swap price by more than 1e-9 of its value (a shallow pool, a large LP, or a
 * narrow range, whose split moves fast with the price), the size is solved again with the price impact — the
 * post-swap price and the range's split there — by bracketed regula falsi on pool quotes (Illinois variant, at most
 * 40 quotes), so the capital is deployed instead of left in the wallet. Quotes only: the pool is not changed.
 */
export function rangeSplitSwap(pool: EnginePool, wallet: Wallet, range: PriceRange | null): { baseIn: boolean; amountIn: number } | undefined {
  const q = pool.price();
  const share = pool.baseValueShare(range);
  const total = wallet.base * q + wallet.quote;
  const want = share * total;
  const have = wallet.base * q;
  const g = 1 - pool.fee;
  let baseIn: boolean;
  let max: number;
  let a: number;
  if (want > have * (1 + 1e-9) && wallet.quote > 0) {
    baseIn = false;
    max = wallet.quote;
    a = Math.min(max, (want - have) / (g + share * (1 - g)));
  } else if (have > want * (1 + 1e-9) && wallet.base > 0) {
    baseIn = true;
    max = wallet.base;
    a = Math.min(max, (have - want) / q / (g + (1 - share) * (1 - g)));
  } else return undefined;
  if (!(a > 0)) return undefined;
  // A swap that buys nothing (its output rounds to zero: the exact pool's whole-wei amounts at an extreme price) would
  // give the input away, and the solve below would then swap the whole wallet: the mint takes the wallet as it is.
  const first = pool.quoteExactIn(baseIn, a);
  if (!((baseIn ? -first.quoteDelta : -first.baseDelta) > 0)) return undefined;
  // Corrected when the first-order size leaves more than 1e-9 of the value off the split at the post-swap price (a
  // narrow range's split moves fast with the price: even an impact under 1e-4 left ~0.1 % of the capital idle):
  // one Newton step on the first-order slope (the impact's effect is second order, so it usually lands within the
  // tolerance with one more quote), else the bracketed solve from there.
  const tol = 1e-9 * total;
  const g0 = gapOf(pool, wallet, range, baseIn, first);
  if (Math.abs(g0) > tol) {
    const slope = baseIn ? q * (g + (1 - share) * (1 - g)) : g + share * (1 - g);
    const a2 = Math.min(max, Math.max(0, a - g0 / slope));
    a = a2 > 0 && Math.abs(splitGap(pool, wallet, range, baseIn, a2)) <= tol ? a2 : solveSplit(pool, wallet, range, baseIn, a2 > 0 ? a2 : a, max, total);
  }
  return { baseIn, amountIn: a };
}

/**
 * How far from the range's value split the wallet would be after swapping `amountIn`: base value − share × total
 * value, at the post-swap price and the range's share there; signed so that it grows with `amountIn`.
 */
function splitGap(pool: EnginePool, wallet: Wallet, range: PriceRange | null, baseIn: boolean, amountIn: number): number {
  return gapOf(pool, wallet, range, baseIn, pool.quoteExactIn(baseIn, amountIn));
}

/** {@link splitGap} of a quoted fill. */
function gapOf(pool: EnginePool, wallet: Wallet, range: PriceRange | null, baseIn: boolean, f: SwapFill): number {
  const p = f.priceAfter;
  const base = wallet.base - f.baseDelta;
  const quote = wallet.quote - f.quoteDelta;
  const gap = base * p - pool.baseValueShare(range, p) * (base * p + quote);
  return baseIn ? -gap : gap;
}

function solveSplit(pool: EnginePool, wallet: Wallet, range: PriceRange | null, baseIn: boolean, guess: number, max: number, total: number): number {
  const gap = (x: number): number => splitGap(pool, wallet, range, baseIn, x);
  let lo = 0;
  let gLo = gap(0);
  if (!(gLo < 0)) return guess;
  let hi = guess;
  let gHi = gap(hi);
  while (gHi < 0 && hi < max) {
    lo = hi;
    gLo = gHi;
    hi = Math.min(max, hi * 2);
    gHi = gap(hi);
  }
  if (gHi <= 0) return hi; // even all of it does not reach the split: swap it all
  let side = 0;
  for (let i = 0; i < 40 && hi - lo > 1e-12 * hi; i++) {
    const x = (lo * gHi - hi * gLo) / (gHi - gLo);
    const gx = gap(x);
    if (Math.abs(gx) <= 1e-10 * total) return x;
    if (gx < 0) {
      lo = x;
      gLo = gx;
      if (side === -1) gHi /= 2;
      side = -1;
    } else {
      hi = x;
      gHi = gx;
      if (side === 1) gLo /= 2;
      side = 1;
    }
  }
  return (lo + hi) / 2;
}
