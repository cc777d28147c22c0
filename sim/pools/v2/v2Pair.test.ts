import { describe, expect, it } from 'vitest';
import { revertReason as reason } from '../../core/revertReason.ts';
import fc from 'fast-check';
import { PoolError } from '../../core/errors.ts';
import { getAmountOut, MAX_UINT112 } from '../../math/v2/constantProduct.ts';
import { getAmountOutFloat } from '../../math/v2/constantProduct.float.ts';
import { V2Pair } from './v2Pair.ts';

const SEED = 0x5eed2;
const RUNS = 200;
/** Float fast path vs the exact pair: outputs ≥ 1e12 so the exact floor is far below this. */
const FLOAT_VS_EXACT_REL_TOL = 1e-9;
const e18 = 10n ** 18n;


/** Asserts `fn` reverts with `expected` and leaves the pair's state exactly as it was. */
function expectRevertUnchanged(pair: V2Pair, fn: () => unknown, expected: string): void {
  const before = pair.snapshot();
  expect(reason(fn)).toBe(expected);
  expect(pair.snapshot()).toEqual(before);
}

function pairWith(amount0: bigint, amount1: bigint, params: { feeOn?: boolean; feePips?: number } = {}): V2Pair {
  const pair = new V2Pair(params);
  pair.mint('wallet', amount0, amount1);
  return pair;
}

// Expected values below are transcribed from v2-core test/UniswapV2Pair.spec.ts (Uniswap/v2-core @ 1.0.1).
describe('V2Pair against the v2-core pair tests', () => {
  it("behavior: 'mint' 1e18 / 4e18 gives 2e18 LP, 1000 of them locked", () => {
    const pair = new V2Pair();
    const r = pair.mint('wallet', 1n * e18, 4n * e18);
    expect(r).toEqual({ liquidity: 2n * e18 - 1000n, amount0: 1n * e18, amount1: 4n * e18, balance: 2n * e18 - 1000n });
    expect(pair.totalSupply).toBe(2n * e18);
    expect([pair.reserve0, pair.reserve1]).toEqual([1n * e18, 4n * e18]);
  });

  // swapTestCases: [swapAmount, token0Amount, token1Amount, expectedOutputAmount]; token0 in, token1 out.
  const swapTestCases: Array<[bigint, bigint, bigint, bigint]> = [
    [1n * e18, 5n * e18, 10n * e18, 1662497915624478906n],
    [1n * e18, 10n * e18, 5n * e18, 453305446940074565n],
    [2n * e18, 5n * e18, 10n * e18, 2851015155847869602n],
    [2n * e18, 10n * e18, 5n * e18, 831248957812239453n],
    [1n * e18, 10n * e18, 10n * e18, 906610893880149131n],
    [1n * e18, 100n * e18, 100n * e18, 987158034397061298n],
    [1n * e18, 1000n * e18, 1000n * e18, 996006981039903216n],
  ];
  it.each(swapTestCases)("behavior: 'getInputPrice' %s in on %s/%s: %s out passes, one more reverts K", (amountIn, r0, r1, out) => {
    const pair = pairWith(r0, r1);
    expectRevertUnchanged(pair, () => pair.swapRaw(amountIn, 0n, 0n, out + 1n), 'UniswapV2: K');
    pair.swapRaw(amountIn, 0n, 0n, out);
    expect([pair.reserve0, pair.reserve1]).toEqual([r0 + amountIn, r1 - out]);
  });

  // optimisticTestCases: [outputAmount, token0Amount, token1Amount, inputAmount]; token0 both in and out (flash swap).
  const optimisticTestCases: Array<[bigint, bigint, bigint, bigint]> = [
    [997000000000000000n, 5n * e18, 10n * e18, 1n * e18],
    [997000000000000000n, 10n * e18, 5n * e18, 1n * e18],
    [997000000000000000n, 5n * e18, 5n * e18, 1n * e18],
    [1n * e18, 5n * e18, 5n * e18, 1003009027081243732n],
  ];
  it.each(optimisticTestCases)("behavior: 'optimistic' %s out on %s/%s paid with %s of the same token; one more reverts K", (out, r0, r1, input) => {
    const pair = pairWith(r0, r1);
    expectRevertUnchanged(pair, () => pair.swapRaw(input, 0n, out + 1n, 0n), 'UniswapV2: K');
    pair.swapRaw(input, 0n, out, 0n);
    expect(pair.reserve0).toBe(r0 + input - out);
  });

  it("behavior: 'swap:token1' 1e18 token1 in on 5e18/10e18 gives 453305446940074565 token0", () => {
    const pair = pairWith(5n * e18, 10n * e18);
    expect(pair.swapExactIn(false, 1n * e18)).toEqual({ amountIn: 1n * e18, amountOut: 453305446940074565n });
    expect([pair.reserve0, pair.reserve1]).toEqual([5n * e18 - 453305446940074565n, 11n * e18]);
  });

  it("behavior: 'burn' of all but MINIMUM_LIQUIDITY returns 3e18 − 1000 of each and leaves 1000/1000", () => {
    const pair = pairWith(3n * e18, 3n * e18);
    const r = pair.burn('wallet', 3n * e18 - 1000n);
    expect(r).toEqual({ amount0: 3n * e18 - 1000n, amount1: 3n * e18 - 1000n, balance: 0n });
    expect([pair.reserve0, pair.reserve1, pair.totalSupply]).toEqual([1000n, 1000n, 1000n]);
  });

  for (const feeOn of [false, true]) {
    it(`behavior: 'feeTo:${feeOn ? 'on' : 'off'}' after a 1e18 swap on 1000e18/1000e18 and a full burn`, () => {
      const pair = pairWith(1000n * e18, 1000n * e18, { feeOn });
      pair.swapRaw(0n, 1n * e18, 996006981039903216n, 0n);
      pair.burn('wallet', 1000n * e18 - 1000n);
      if (!feeOn) {
        expect(pair.totalSupply).toBe(1000n);
        expect(pair.feeToBalance).toBe(0n);
        expect(pair.kLast).toBe(0n);
      } else {
        expect(pair.totalSupply).toBe(1000n + 249750499251388n);
        expect(pair.feeToBalance).toBe(249750499251388n);
        expect(pair.reserve0).toBe(1000n + 249501683697445n);
        expect(pair.reserve1).toBe(1000n + 250000187312969n);
        expect(pair.kLast).toBe(pair.reserve0 * pair.reserve1);
      }
    });
  }
});

describe('V2Pair reverts (state unchanged)', () => {
  it('error: a first deposit with √(x·y) < 1000 underflows (ds-math-sub-underflow)', () => {
    const pair = new V2Pair();
    expectRevertUnchanged(pair, () => pair.mint('a', 10n, 10n), 'ds-math-sub-underflow');
    expectRevertUnchanged(pair, () => pair.mint('a', 0n, 10n ** 30n), 'ds-math-sub-underflow');
    // exactly 1000 leaves zero liquidity for the owner
    expectRevertUnchanged(pair, () => pair.mint('a', 1000n, 1000n), 'UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED');
    expect(pair.mint('a', 1001n, 1001n).liquidity).toBe(1n);
  });

  it('error: a one-sided later deposit mints nothing (INSUFFICIENT_LIQUIDITY_MINTED)', () => {
    const pair = pairWith(10n ** 6n, 10n ** 6n);
    expectRevertUnchanged(pair, () => pair.mint('a', 0n, 10n ** 6n), 'UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED');
  });

  it('error: reserves above 2^112 − 1 revert UniswapV2: OVERFLOW', () => {
    const pair = new V2Pair();
    expectRevertUnchanged(pair, () => pair.mint('a', MAX_UINT112 + 1n, 10n ** 6n), 'UniswapV2: OVERFLOW');
    pair.mint('a', MAX_UINT112 - 10n, MAX_UINT112 - 10n);
    expectRevertUnchanged(pair, () => pair.mint('a', 20n, 20n), 'UniswapV2: OVERFLOW');
    expectRevertUnchanged(pair, () => pair.swapRaw(20n, 0n, 0n, 1n), 'UniswapV2: OVERFLOW');
    pair.swapRaw(10n, 0n, 0n, 1n); // exactly 2^112 − 1 fits
    expect(pair.reserve0).toBe(MAX_UINT112);
  });

  it('error: burning more LP than held underflows; burning 0 burns nothing', () => {
    const pair = pairWith(10n ** 6n, 10n ** 6n);
    expectRevertUnchanged(pair, () => pair.burn('wallet', pair.balanceOf('wallet') + 1n), 'ds-math-sub-underflow');
    expectRevertUnchanged(pair, () => pair.burn('stranger', 1n), 'ds-math-sub-underflow');
    expectRevertUnchanged(pair, () => pair.burn('wallet', 0n), 'UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED');
  });

  it("error: swap checks in the contract's order", () => {
    const pair = pairWith(10n ** 6n, 10n ** 6n);
    expectRevertUnchanged(pair, () => pair.swapRaw(5n, 5n, 0n, 0n), 'UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT');
    expectRevertUnchanged(pair, () => pair.swapRaw(10n ** 9n, 0n, 0n, 10n ** 6n), 'UniswapV2: INSUFFICIENT_LIQUIDITY');
    expectRevertUnchanged(pair, () => pair.swapRaw(0n, 0n, 0n, 1n), 'UniswapV2: INSUFFICIENT_INPUT_AMOUNT');
    expectRevertUnchanged(pair, () => pair.swapRaw(1n, 0n, 0n, 1n), 'UniswapV2: K');
    // router-style swaps surface the library's reason
    expectRevertUnchanged(pair, () => pair.swapExactIn(true, 0n), 'UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT');
    expectRevertUnchanged(pair, () => pair.swapExactOut(true, 0n), 'UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT');
    expectRevertUnchanged(pair, () => pair.swapExactIn(true, 1n), 'UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT');
  });

  it('error: an empty pair has no liquidity to swap against', () => {
    const pair = new V2Pair();
    expectRevertUnchanged(pair, () => pair.swapRaw(1n, 0n, 0n, 1n), 'UniswapV2: INSUFFICIENT_LIQUIDITY');
    expectRevertUnchanged(pair, () => pair.swapExactIn(true, 1n), 'UniswapV2Library: INSUFFICIENT_LIQUIDITY');
  });
});

describe('V2Pair behaviour', () => {
  it('behavior: snapshot/restore round-trips the whole state', () => {
    const pair = pairWith(10n ** 20n, 3n * 10n ** 20n, { feeOn: true });
    const snap = pair.snapshot();
    pair.swapExactIn(true, 10n ** 18n);
    pair.mint('b', 10n ** 18n, 3n * 10n ** 18n);
    pair.setFeeOn(false);
    pair.burn('wallet', 10n ** 19n);
    pair.restore(snap);
    expect(pair.snapshot()).toEqual(snap);
    expect(pair.balanceOf('b')).toBe(0n);
    expect(pair.feeOn).toBe(true);
  });

  it('behavior: switching feeTo off clears kLast on the next mint or burn', () => {
    const pair = pairWith(10n ** 20n, 10n ** 20n, { feeOn: true });
    expect(pair.kLast).toBe(10n ** 40n);
    pair.setFeeOn(false);
    pair.burn('wallet', 10n ** 18n);
    expect(pair.kLast).toBe(0n);
  });

  it(`property: for any fee, getAmountOut's output passes K and one more fails (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 4n, max: 10n ** 30n }),
        fc.bigInt({ min: 10n ** 4n, max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.boolean(),
        (r0, r1, amountIn, feePips, zeroForOne) => {
          const pair = pairWith(r0, r1, { feePips });
          const out = pair.quoteExactIn(zeroForOne, amountIn);
          const reserveOut = zeroForOne ? r1 : r0;
          fc.pre(out > 0n && out + 1n < reserveOut);
          const raw = (o: bigint) => (zeroForOne ? pair.swapRaw(amountIn, 0n, 0n, o) : pair.swapRaw(0n, amountIn, o, 0n));
          expectRevertUnchanged(pair, () => raw(out + 1n), 'UniswapV2: K');
          raw(out);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`behavior: float getAmountOut within ${FLOAT_VS_EXACT_REL_TOL} relative of the exact pair (seed ${SEED}, ${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 12n, max: 10n ** 30n }),
        fc.bigInt({ min: 10n ** 12n, max: 10n ** 30n }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(100, 500, 3000, 10000),
        (r0, r1, perTenThousand, feePips) => {
          const pair = pairWith(r0, r1, { feePips });
          const amountIn = (r0 * BigInt(perTenThousand)) / 10_000n;
          const exact = pair.quoteExactIn(true, amountIn);
          fc.pre(exact >= 10n ** 12n);
          const float = getAmountOutFloat(Number(amountIn), Number(pair.reserve0), Number(pair.reserve1), feePips / 1e6);
          expect(Math.abs(float - Number(exact)) / Number(exact)).toBeLessThan(FLOAT_VS_EXACT_REL_TOL);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Random operation sequences: k never decreases on a swap; no token or LP token is created or lost.

type Op =
  | { kind: 'mint'; owner: string; amount0: bigint; amount1: bigint }
  | { kind: 'burn'; owner: string; permille: number }
  | { kind: 'swapIn'; zeroForOne: boolean; amount: bigint }
  | { kind: 'swapOut'; zeroForOne: boolean; permille: number }
  | { kind: 'swapRaw'; amount0In: bigint; amount1In: bigint; amount0Out: bigint; amount1Out: bigint }
  | { kind: 'swapNearK'; zeroForOne: boolean; amount: bigint; permille: number }
  | { kind: 'toggleFee' };

const OWNERS = ['a', 'b', 'c'];
// Mostly realistic sizes (2^20..2^90), sometimes tiny ones that hit the rounding and minimum-liquidity edges.
const magnitude = fc
  .oneof({ arbitrary: fc.integer({ min: 20, max: 90 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 1 })
  .chain((bits) => fc.bigInt({ min: 0n, max: 1n << BigInt(bits) }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('mint' as const), owner: fc.constantFrom(...OWNERS), amount0: magnitude, amount1: magnitude }),
  fc.record({ kind: fc.constant('burn' as const), owner: fc.constantFrom(...OWNERS), permille: fc.integer({ min: 0, max: 1100 }) }),
  fc.record({ kind: fc.constant('swapIn' as const), zeroForOne: fc.boolean(), amount: magnitude }),
  fc.record({ kind: fc.constant('swapOut' as const), zeroForOne: fc.boolean(), permille: fc.integer({ min: 0, max: 1000 }) }),
  fc.record({ kind: fc.constant('swapRaw' as const), amount0In: magnitude, amount1In: magnitude, amount0Out: magnitude, amount1Out: magnitude }),
  // a raw swap asking for a fraction (up to 110 %) of what the library quotes: exercises K at its edge
  fc.record({ kind: fc.constant('swapNearK' as const), zeroForOne: fc.boolean(), amount: magnitude, permille: fc.integer({ min: 900, max: 1100 }) }),
  fc.constant({ kind: 'toggleFee' as const }),
);

const WALLET_START = 1n << 100n;

describe('V2Pair invariants over random sequences', () => {
  it(`property: k never decreases on a swap, tokens and LP tokens are conserved (seed ${SEED}, ${RUNS} runs)`, () => {
    // How often each kind applied or reverted, over all runs: the generator must exercise both outcomes.
    const applied = new Map<string, number>();
    const reverted = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(fc.boolean(), fc.constantFrom(0, 500, 3000, 10000), magnitude, magnitude, fc.array(opArb, { minLength: 1, maxLength: 40 }), (feeOn, feePips, seed0, seed1, ops) => {
        const pair = new V2Pair({ feeOn, feePips });
        // Most runs start with a first deposit (it may itself revert when tiny).
        ops = [{ kind: 'mint', owner: 'a', amount0: seed0, amount1: seed1 }, ...ops];
        const wallets = new Map<string, [bigint, bigint]>([...OWNERS, 'trader'].map((o) => [o, [WALLET_START, WALLET_START]]));
        const total = () => {
          let t0 = pair.reserve0;
          let t1 = pair.reserve1;
          for (const [w0, w1] of wallets.values()) {
            t0 += w0;
            t1 += w1;
          }
          return [t0, t1];
        };
        const start = total();
        const pay = (who: string, d0: bigint, d1: bigint) => {
          const w = wallets.get(who)!;
          w[0] += d0;
          w[1] += d1;
        };
        for (const op of ops) {
          const k = pair.reserve0 * pair.reserve1;
          const before = pair.snapshot();
          try {
            switch (op.kind) {
              case 'mint': {
                const w = wallets.get(op.owner)!;
                if (op.amount0 > w[0] || op.amount1 > w[1]) continue;
                pair.mint(op.owner, op.amount0, op.amount1);
                pay(op.owner, -op.amount0, -op.amount1);
                break;
              }
              case 'burn': {
                const liq = (pair.balanceOf(op.owner) * BigInt(op.permille)) / 1000n;
                const r = pair.burn(op.owner, liq);
                pay(op.owner, r.amount0, r.amount1);
                break;
              }
              case 'swapIn': {
                const r = pair.swapExactIn(op.zeroForOne, op.amount);
                if (op.zeroForOne) pay('trader', -r.amountIn, r.amountOut);
                else pay('trader', r.amountOut, -r.amountIn);
                break;
              }
              case 'swapOut': {
                const reserveOut = op.zeroForOne ? pair.reserve1 : pair.reserve0;
                const r = pair.swapExactOut(op.zeroForOne, (reserveOut * BigInt(op.permille)) / 1000n);
                if (op.zeroForOne) pay('trader', -r.amountIn, r.amountOut);
                else pay('trader', r.amountOut, -r.amountIn);
                break;
              }
              case 'swapRaw': {
                pair.swapRaw(op.amount0In, op.amount1In, op.amount0Out, op.amount1Out);
                pay('trader', op.amount0Out - op.amount0In, op.amount1Out - op.amount1In);
                break;
              }
              case 'swapNearK': {
                let quoted = 0n;
                try {
                  quoted = pair.quoteExactIn(op.zeroForOne, op.amount);
                } catch (err) {
                  if (!(err instanceof PoolError)) throw err;
                }
                const out = (quoted * BigInt(op.permille)) / 1000n + (op.permille > 1000 ? 1n : 0n);
                if (op.zeroForOne) pair.swapRaw(op.amount, 0n, 0n, out);
                else pair.swapRaw(0n, op.amount, out, 0n);
                if (op.zeroForOne) pay('trader', -op.amount, out);
                else pay('trader', out, -op.amount);
                break;
              }
              case 'toggleFee':
                pair.setFeeOn(!pair.feeOn);
                break;
            }
          } catch (err) {
            if (!(err instanceof PoolError)) throw err;
            expect(pair.snapshot()).toEqual(before); // a revert changes nothing
            bump(reverted, op.kind);
            continue;
          }
          bump(applied, op.kind);
          if (op.kind === 'swapIn' || op.kind === 'swapOut' || op.kind === 'swapRaw' || op.kind === 'swapNearK') {
            expect(pair.reserve0 * pair.reserve1 >= k).toBe(true);
          }
          expect(total()).toEqual(start);
          const lp = OWNERS.reduce((s, o) => s + pair.balanceOf(o), 0n) + pair.feeToBalance;
          expect(pair.totalSupply).toBe(pair.totalSupply === 0n ? 0n : lp + 1000n);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    for (const kind of ['mint', 'burn', 'swapIn', 'swapOut', 'swapRaw', 'swapNearK']) {
      expect(applied.get(kind) ?? 0, `${kind} applied`).toBeGreaterThan(20);
      expect(reverted.get(kind) ?? 0, `${kind} reverted`).toBeGreaterThan(5);
    }
  });

  it('behavior: the exact pair agrees with the library on the v2-core swap case through swapExactIn', () => {
    const pair = pairWith(5n * e18, 10n * e18);
    expect(pair.swapExactIn(true, e18).amountOut).toBe(getAmountOut(e18, 5n * e18, 10n * e18));
  });
});
