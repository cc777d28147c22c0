/**
 * Seeded random Uniswap v2 scenarios (the v2 vocabulary of ../shared/oracle/README.md) for the v2
 * differential. State-free like scenarios.ts: burns use a rough per-owner LP estimate (√(amount0·amount1)
 * per mint), never the pair maths. Covers: feeOn/off; first deposits below MINIMUM_LIQUIDITY
 * (`ds-math-sub-underflow`); one-sided and zero mints (`INSUFFICIENT_LIQUIDITY_MINTED`); balances past
 * uint112 (`OVERFLOW`); burns of part, all, none (`INSUFFICIENT_LIQUIDITY_BURNED`) and more than held;
 * exact-in/out swaps of every size incl. 0 and ≥ the reserve; raw swaps that break K or send nothing.
 */
import fc from 'fast-check';
import { scenarioSeed } from './scenarios.ts';

export type V2ScenarioEvent = Record<string, unknown>;

const OWNERS = ['a', 'b', 'c', 'd'];

/** floor(√n) by Newton's method (a float first guess is off by far more than 1 above 2^106). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

const bits = (max: number): fc.Arbitrary<bigint> =>
  fc.tuple(fc.integer({ min: 0, max }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([b, m]) => {
    const lead = BigInt(Math.floor(m * 2 ** 20)) + 1n;
    return b >= 20 ? lead << BigInt(b - 20) : lead >> BigInt(20 - b);
  });

type RawV2 =
  | { readonly t: 'mint'; readonly owner: number; readonly a0: bigint; readonly a1: bigint; readonly shape: 'free' | 'oneSided' | 'huge' }
  | { readonly t: 'burn'; readonly owner: number; readonly how: 'part' | 'all' | 'zero' | 'tooMuch'; readonly f: number }
  | { readonly t: 'swap'; readonly zeroForOne: boolean; readonly exactIn: boolean; readonly amount: bigint }
  | { readonly t: 'swapRaw'; readonly in0: bigint; readonly in1: bigint; readonly out0: bigint; readonly out1: bigint };

const rawV2: fc.Arbitrary<RawV2> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('mint' as const),
      owner: fc.nat({ max: 3 }),
      a0: bits(110),
      a1: bits(110),
      shape: fc.constantFrom<'free' | 'oneSided' | 'huge'>('free', 'free', 'free', 'free', 'free', 'free', 'oneSided', 'huge'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('burn' as const),
      owner: fc.nat({ max: 3 }),
      how: fc.constantFrom<'part' | 'all' | 'zero' | 'tooMuch'>('part', 'part', 'part', 'all', 'zero', 'tooMuch'),
      f: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('swap' as const), zeroForOne: fc.boolean(), exactIn: fc.boolean(), amount: bits(120) }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('swapRaw' as const), in0: bits(90), in1: bits(90), out0: bits(90), out1: bits(90) }).map((r) => ({
      ...r,
      // mostly one side in and the other out, sometimes nothing in
      in1: r.in0 % 3n === 0n ? r.in1 : 0n,
      out0: r.out1 % 3n === 0n ? r.out0 : 0n,
    })),
  },
);

export interface V2Scenario {
  readonly events: readonly V2ScenarioEvent[];
}

function materialiseV2(feeOn: boolean, first: readonly [bigint, bigint], actions: readonly RawV2[]): V2Scenario {
  const events: V2ScenarioEvent[] = [{ type: 'initialize', feeOn }];
  const lp = new Map<string, bigint>();
  const mint = (owner: string, a0: bigint, a1: bigint): void => {
    events.push({ type: 'mint', owner, amount0: a0.toString(), amount1: a1.toString() });
    lp.set(owner, (lp.get(owner) ?? 0n) + isqrt(a0 * a1));
  };
  mint('a', first[0], first[1]);
  for (const a of actions) {
    switch (a.t) {
      case 'mint': {
        const owner = OWNERS[a.owner] as string;
        if (a.shape === 'oneSided') mint(owner, a.a0, 0n);
        else if (a.shape === 'huge') mint(owner, (1n << 112n) - a.a0 % 1000n, a.a1);
        else mint(owner, a.a0, a.a1);
        break;
      }
      case 'burn': {
        const owner = OWNERS[a.owner] as string;
        const held = lp.get(owner) ?? 0n;
        let liquidity: bigint;
        if (a.how === 'zero') liquidity = 0n;
        else if (a.how === 'all') liquidity = held;
        else if (a.how === 'tooMuch') liquidity = held * 2n + 1n;
        else liquidity = (held * BigInt(Math.floor(a.f * 2 ** 20))) >> 20n;
        events.push({ type: 'burn', owner, liquidity: liquidity.toString() });
        lp.set(owner, held >= liquidity ? held - liquidity : held);
        break;
      }
      case 'swap':
        events.push(
          a.exactIn
            ? { type: 'swap', zeroForOne: a.zeroForOne, amountIn: a.amount.toString() }
            : { type: 'swap', zeroForOne: a.zeroForOne, amountOut: a.amount.toString() },
        );
        break;
      case 'swapRaw':
        events.push({
          type: 'swapRaw',
          amount0In: a.in0.toString(),
          amount1In: a.in1.toString(),
          amount0Out: a.out0.toString(),
          amount1Out: a.out1.toString(),
        });
        break;
    }
  }
  return { events };
}

/** A random v2 scenario: initialize, a first deposit (sometimes too small), then mixed events. */
export function v2ScenarioArbitrary(maxActions = 30): fc.Arbitrary<V2Scenario> {
  return fc
    .record({
      feeOn: fc.boolean(),
      first: fc.tuple(bits(100), bits(100)),
      actions: fc.array(rawV2, { minLength: 1, maxLength: maxActions, size: 'max' }),
    })
    .map((r) => materialiseV2(r.feeOn, r.first, r.actions));
}

/** Scenario number `index` of run `seed`. */
export function v2ScenarioAt(seed: number, index: number, maxActions = 30): V2Scenario {
  const [s] = fc.sample(v2ScenarioArbitrary(maxActions), { seed: scenarioSeed(seed, index), numRuns: 1 });
  if (s === undefined) throw new Error('fast-check produced no sample');
  return s;
}
