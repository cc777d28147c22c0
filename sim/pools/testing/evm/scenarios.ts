/**
 * Seeded random Uniswap v3 scenarios for the differential test (EVM vs. ammsim), as fast-check
 * arbitraries. A scenario is a list of events in the oracle vocabulary (../shared/oracle/README.md),
 * starting with `initialize`.
 *
 * Generation is state-free: actions are drawn first, then materialised against a small book-keeping of
 * what was *requested* (ranges, minted owners), never against pool maths — so the generator cannot share
 * a bug with the pool under test. It covers: the four fee tiers; start prices near tick 0, moderate,
 * wide, near MIN/MAX, exactly MIN_SQRT_RATIO and MAX_SQRT_RATIO−1, on and off tick prices; an invalid
 * first initialize (`R`) and a repeated one (`AI`); ranges on the spacing (ladders of narrow ranges,
 * wide ones, full range) and invalid ones (off spacing, `TLU`, `TLM`, `TUM`); zero and huge liquidity
 * (`LO`); swaps both directions, exact in/out, amount 0 (`AS`), price limits at exact tick prices,
 * at the extremes, off-tick, past the extremes and on the wrong side (`SPL`); burns of all, part, more
 * than minted (`LS`), pokes (`0`, `NP` when the position is empty); collects of everything, of partial
 * and zero amounts; protocol fees on/off (valid 0 and 4..10, invalid values) and their collection.
 */
import fc from 'fast-check';

export const MIN_TICK = -887272;
export const MAX_TICK = 887272;
export const MIN_SQRT_RATIO = 4295128739n;
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;
const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

// 2^128 / sqrt(1.0001)^(2^i) in Q128.128, as TickMath.getSqrtRatioAtTick uses them (bit i of |tick|).
const TICK_FACTORS: readonly bigint[] = [
  0xfffcb933bd6fad37aa2d162d1a594001n,
  0xfff97272373d413259a46990580e213an,
  0xfff2e50f5f656932ef12357cf3c7fdccn,
  0xffe5caca7e10e4e61c3624eaa0941cd0n,
  0xffcb9843d60f6159c9db58835c926644n,
  0xff973b41fa98c081472e6896dfb254c0n,
  0xff2ea16466c96a3843ec78b326b52861n,
  0xfe5dee046a99a2a811c461f1969c3053n,
  0xfcbe86c7900a88aedcffc83b479aa3a4n,
  0xf987a7253ac413176f2b074cf7815e54n,
  0xf3392b0822b70005940c7a398e4b70f3n,
  0xe7159475a2c29b7443b29c7fa6e889d9n,
  0xd097f3bdfd2022b8845ad8f792aa5825n,
  0xa9f746462d870fdf8a65dc1f90e061e5n,
  0x70d869a156d2a1b890bb3df62baf32f7n,
  0x31be135f97d08fd981231505542fcfa6n,
  0x9aa508b5b7a84e1c677de54f3e99bc9n,
  0x5d6af8dedb81196699c329225ee604n,
  0x2216e584f5fa1ea926041bedfe98n,
  0x48a170391f7dc42444e8fa2n,
];

/**
 * sqrt(1.0001^tick) · 2^96 rounded the way v3-core's `TickMath.getSqrtRatioAtTick` does (Q64.96, up).
 * The generator's own copy, so that limits at exact tick prices do not depend on the code under test;
 * v3Evm.test.ts checks it against the real contract.
 */
export function sqrtRatioAtTick(tick: number): bigint {
  if (!Number.isInteger(tick) || tick < MIN_TICK || tick > MAX_TICK) {
    throw new RangeError(`tick must be an integer in [${MIN_TICK}, ${MAX_TICK}]; was ${tick}`);
  }
  const abs = Math.abs(tick);
  let ratio = 1n << 128n;
  for (let bit = 0; bit < TICK_FACTORS.length; bit++) {
    if ((abs & (1 << bit)) !== 0) ratio = (ratio * (TICK_FACTORS[bit] as bigint)) >> 128n;
  }
  if (tick > 0) ratio = MAX_UINT256 / ratio;
  return (ratio >> 32n) + (ratio % (1n << 32n) === 0n ? 0n : 1n);
}

export type V3ScenarioEvent = Record<string, unknown>;

export interface V3Scenario {
  readonly fee: number;
  readonly tickSpacing: number;
  readonly startTick: number;
  readonly events: readonly V3ScenarioEvent[];
}

/**
 * [fee, tickSpacing, weight]: the four standard tiers, and a few the factory owner could enable
 * (`enableFeeAmount` takes any fee < 1e6 and spacing in (0, 16384)): no fee, an odd one, 99.9999 %
 * with the coarsest spacing. Spacing 1 is costly to walk in the EVM, so it is rarer.
 */
const TIERS: readonly (readonly [number, number, number])[] = [
  [100, 1, 4],
  [500, 10, 6],
  [3000, 60, 8],
  [10000, 200, 6],
  [0, 10, 1],
  [2500, 50, 1],
  [999999, 16383, 1],
];

const OWNERS = ['a', 'b', 'c', 'd', 'e'];
/** How far (ticks) from the start most swap limits reach in a spacing-1 pool. */
const SPACING1_REACH = 20000;

// ---- raw (shrinkable) action descriptions --------------------------------------------------------

type PriceKind = 'near0' | 'moderate' | 'wide' | 'extremeLow' | 'extremeHigh' | 'minPrice' | 'maxPrice';

interface RawInit {
  readonly tier: number;
  readonly kind: PriceKind;
  readonly tickFraction: number; // in [0, 1): where inside the kind's tick interval
  readonly offTick: number; // 0 → exactly on the tick price; else a fraction of the way to the next tick
  readonly badFirst: 0 | 1 | 2; // 0: none; 1: below MIN_SQRT_RATIO; 2: at/above MAX_SQRT_RATIO
}

interface RawRange {
  readonly kind: 'ladder' | 'around' | 'wide' | 'full' | 'edgeLow' | 'edgeHigh' | 'offSpacing' | 'inverted' | 'belowMin' | 'aboveMax';
  readonly a: number;
  readonly b: number;
}

type RawAction =
  | { readonly t: 'mint'; readonly owner: number; readonly range: number; readonly liq: RawLiquidity }
  | { readonly t: 'burn'; readonly pos: number; readonly how: 'all' | 'half' | 'poke' | 'tooMuch' | 'random' | 'stranger'; readonly r: number }
  | { readonly t: 'collect'; readonly pos: number; readonly how: 'all' | 'partial' | 'zero' | 'huge'; readonly r0: number; readonly r1: number }
  | { readonly t: 'swap'; readonly zeroForOne: boolean; readonly turn: boolean; readonly exactIn: boolean; readonly amount: RawAmount; readonly limit: RawLimit }
  | { readonly t: 'setFeeProtocol'; readonly p0: number; readonly p1: number }
  | { readonly t: 'collectProtocol'; readonly how: 'all' | 'partial'; readonly r0: number; readonly r1: number }
  | { readonly t: 'initializeAgain' };

interface RawLiquidity {
  readonly kind: 'zero' | 'small' | 'normal' | 'large' | 'huge';
  readonly bits: number;
  readonly mantissa: number;
}

interface RawAmount {
  readonly kind: 'zero' | 'small' | 'normal' | 'large' | 'int256';
  readonly bits: number;
  readonly mantissa: number;
}

interface RawLimit {
  readonly kind: 'extreme' | 'rangeTick' | 'nearTick' | 'offTick' | 'pastExtreme' | 'wrongExtreme';
  readonly range: number;
  readonly side: boolean;
  readonly offset: number;
  /** Rare: at tick spacing 1, let the limit reach beyond SPACING1_REACH (a walk over thousands of words). */
  readonly far: boolean;
}

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const rawInit: fc.Arbitrary<RawInit> = fc.record({
  tier: fc.constantFrom(...TIERS.flatMap(([, , w], i) => Array.from({ length: w }, () => i))),
  kind: fc.constantFrom<PriceKind>('near0', 'near0', 'moderate', 'moderate', 'moderate', 'wide', 'extremeLow', 'extremeHigh', 'minPrice', 'maxPrice'),
  tickFraction: fraction,
  offTick: fc.oneof(fc.constant(0), fraction),
  badFirst: fc.constantFrom<0 | 1 | 2>(0, 0, 0, 0, 0, 0, 0, 0, 1, 2),
});

const validRangeKind = fc.constantFrom<RawRange['kind']>('ladder', 'ladder', 'ladder', 'around', 'around', 'around', 'wide', 'full', 'edgeLow', 'edgeHigh');
const invalidRangeKind = fc.constantFrom<RawRange['kind']>('offSpacing', 'inverted', 'belowMin', 'aboveMax');

const rawRange: fc.Arbitrary<RawRange> = fc.record({
  // About one range in eight is invalid (each revert reason then still shows up in most runs).
  kind: fc.oneof({ weight: 7, arbitrary: validRangeKind }, { weight: 1, arbitrary: invalidRangeKind }),
  a: fc.integer({ min: -40, max: 40 }),
  b: fc.integer({ min: 1, max: 40 }),
});

const rawLiquidity: fc.Arbitrary<RawLiquidity> = fc.record({
  kind: fc.constantFrom<RawLiquidity['kind']>('zero', 'small', 'normal', 'normal', 'normal', 'normal', 'large', 'large', 'huge'),
  bits: fc.integer({ min: 0, max: 64 }),
  mantissa: fraction,
});

const rawAmount: fc.Arbitrary<RawAmount> = fc.record({
  kind: fc.constantFrom<RawAmount['kind']>(
    'zero', 'small', 'small', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'large', 'int256',
  ),
  bits: fc.integer({ min: 0, max: 64 }),
  mantissa: fraction,
});

const rawLimit: fc.Arbitrary<RawLimit> = fc.record({
  kind: fc.constantFrom<RawLimit['kind']>(
    'extreme', 'extreme', 'rangeTick', 'rangeTick', 'rangeTick', 'rangeTick', 'nearTick', 'nearTick',
    'offTick', 'offTick', 'pastExtreme', 'wrongExtreme',
  ),
  range: fc.nat({ max: 1000 }),
  side: fc.boolean(),
  offset: fraction,
  far: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => i === 39)),
});

const rawAction: fc.Arbitrary<RawAction> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('mint' as const), owner: fc.nat({ max: 5 }), range: fc.nat({ max: 1000 }), liq: rawLiquidity }) },
  {
    weight: 12,
    arbitrary: fc.record({
      t: fc.constant('swap' as const),
      zeroForOne: fc.boolean(),
      turn: fc.boolean(),
      exactIn: fc.boolean(),
      amount: rawAmount,
      limit: rawLimit,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('burn' as const),
      pos: fc.nat({ max: 1000 }),
      how: fc.constantFrom('all', 'half', 'poke', 'tooMuch', 'random', 'stranger') as fc.Arbitrary<'all' | 'half' | 'poke' | 'tooMuch' | 'random' | 'stranger'>,
      r: fraction,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('collect' as const),
      pos: fc.nat({ max: 1000 }),
      how: fc.constantFrom('all', 'all', 'partial', 'zero', 'huge') as fc.Arbitrary<'all' | 'partial' | 'zero' | 'huge'>,
      r0: fraction,
      r1: fraction,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('setFeeProtocol' as const),
      p0: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 4, 5, 6, 7, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
      p1: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 4, 5, 6, 7, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('collectProtocol' as const),
      how: fc.constantFrom('all', 'partial') as fc.Arbitrary<'all' | 'partial'>,
      r0: fraction,
      r1: fraction,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'initializeAgain' as const }) },
);

interface RawScenario {
  readonly init: RawInit;
  readonly ranges: readonly RawRange[];
  readonly setup: readonly RawAction[];
  readonly actions: readonly RawAction[];
}

// ---- materialisation -------------------------------------------------------------------------------

function lerpInt(lo: number, hi: number, f: number): number {
  return Math.min(hi, lo + Math.floor(f * (hi - lo + 1)));
}

/** `mantissa · 2^bits`-ish, as an exact bigint (the double only picks the leading bits). */
function scaled(mantissa: number, bits: number): bigint {
  const lead = BigInt(Math.floor(mantissa * 2 ** 20)) + 1n;
  return bits >= 20 ? lead << BigInt(bits - 20) : lead >> BigInt(20 - bits) || 1n;
}

function floorTo(t: number, spacing: number): number {
  return Math.floor(t / spacing) * spacing;
}

function startTickOf(kind: PriceKind, f: number): number {
  switch (kind) {
    case 'near0':
      return lerpInt(-300, 300, f);
    case 'moderate':
      return lerpInt(-60000, 60000, f);
    case 'wide':
      return f < 0.5 ? lerpInt(-700000, -100000, f * 2) : lerpInt(100000, 700000, f * 2 - 1);
    case 'extremeLow':
      return lerpInt(MIN_TICK, MIN_TICK + 6000, f);
    case 'extremeHigh':
      return lerpInt(MAX_TICK - 6000, MAX_TICK - 1, f);
    case 'minPrice':
      return MIN_TICK;
    case 'maxPrice':
      return MAX_TICK - 1;
  }
}

function materialise(raw: RawScenario): V3Scenario {
  const tier = TIERS[raw.init.tier] ?? TIERS[2];
  const [fee, spacing] = tier as readonly [number, number, number];
  const minUsable = Math.ceil(MIN_TICK / spacing) * spacing;
  const maxUsable = Math.floor(MAX_TICK / spacing) * spacing;
  const startTick = startTickOf(raw.init.kind, raw.init.tickFraction);
  let sqrtPriceX96: bigint;
  if (raw.init.kind === 'maxPrice') sqrtPriceX96 = MAX_SQRT_RATIO - 1n;
  else if (raw.init.kind === 'minPrice') sqrtPriceX96 = MIN_SQRT_RATIO;
  else {
    const lo = sqrtRatioAtTick(startTick);
    const hi = sqrtRatioAtTick(startTick + 1);
    sqrtPriceX96 = lo + BigInt(Math.floor(raw.init.offTick * 2 ** 30)) * (hi - lo) / 2n ** 30n;
  }
  const events: V3ScenarioEvent[] = [];
  const initialize = { type: 'initialize', fee, tickSpacing: spacing, sqrtPriceX96: sqrtPriceX96.toString() };
  if (raw.init.badFirst === 1) events.push({ ...initialize, sqrtPriceX96: (MIN_SQRT_RATIO - 1n - BigInt(Math.floor(raw.init.tickFraction * 1000))).toString() });
  if (raw.init.badFirst === 2) events.push({ ...initialize, sqrtPriceX96: (MAX_SQRT_RATIO + BigInt(Math.floor(raw.init.tickFraction * 1000))).toString() });
  events.push(initialize);

  // Ranges, around the start tick (snapped to the spacing) or at the edges.
  const center = Math.min(maxUsable - spacing, Math.max(minUsable + spacing, floorTo(startTick, spacing)));
  const clampTick = (t: number): number => Math.min(maxUsable, Math.max(minUsable, t));
  const ranges: (readonly [number, number])[] = [];
  let ladderAt = center - 5 * spacing;
  for (const r of raw.ranges) {
    let lower: number;
    let upper: number;
    switch (r.kind) {
      case 'ladder': // adjacent narrow ranges: many initialized ticks to cross
        lower = clampTick(ladderAt + (r.a % 3) * spacing);
        upper = clampTick(lower + (1 + (r.b % 3)) * spacing);
        ladderAt = upper;
        break;
      case 'around':
        lower = clampTick(center + r.a * spacing);
        upper = clampTick(lower + r.b * spacing);
        break;
      case 'wide':
        lower = clampTick(center - r.b * r.b * 40 * spacing);
        upper = clampTick(center + (Math.abs(r.a) + 1) * (Math.abs(r.a) + 1) * 40 * spacing);
        break;
      case 'full':
        lower = minUsable;
        upper = maxUsable;
        break;
      case 'edgeLow':
        lower = minUsable + (Math.abs(r.a) % 4) * spacing;
        upper = lower + r.b * spacing;
        break;
      case 'edgeHigh':
        upper = maxUsable - (Math.abs(r.a) % 4) * spacing;
        lower = upper - r.b * spacing;
        break;
      case 'offSpacing': // reverts with a bare require when spacing > 1 (the tick is not on the spacing)
        lower = clampTick(center + r.a * spacing) + (spacing > 1 ? 1 + (r.b % (spacing - 1)) : 0);
        upper = clampTick(center + (r.a + r.b) * spacing);
        break;
      case 'inverted': // TLU
        lower = clampTick(center + r.a * spacing);
        upper = r.b % 2 === 0 ? lower : lower - r.b * spacing;
        break;
      case 'belowMin': // TLM
        lower = MIN_TICK - spacing * (1 + (r.b % 3));
        upper = clampTick(center + r.a * spacing);
        break;
      case 'aboveMax': // TUM
        lower = clampTick(center + r.a * spacing);
        upper = MAX_TICK + spacing * (1 + (r.b % 3));
        break;
    }
    if (lower === upper && r.kind !== 'inverted') upper = lower + spacing;
    ranges.push([lower, upper]);
  }
  if (ranges.length === 0) ranges.push([center - spacing, center + spacing]);

  const positions: { owner: string; lower: number; upper: number; minted: bigint }[] = [];
  // maxLiquidityPerTick of the pool (Tick.tickSpacingToMaxLiquidityPerTick), for the LO edge.
  const numTicks = BigInt((maxUsable - minUsable) / spacing + 1);
  const maxPerTick = MAX_UINT128 / numTicks;

  const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;
  let extraOwners = 0;
  let lastZeroForOne: boolean | undefined;

  const emit = (a: RawAction): void => {
    switch (a.t) {
      case 'mint': {
        const owner = a.owner === 5 ? (extraOwners++ % 2 === 0 ? 'owner7' : 'z') : pick(OWNERS, a.owner);
        const [lower, upper] = pick(ranges, a.range);
        let amount: bigint;
        switch (a.liq.kind) {
          case 'zero':
            amount = 0n;
            break;
          case 'small':
            amount = scaled(a.liq.mantissa, a.liq.bits % 16);
            break;
          case 'normal':
            amount = scaled(a.liq.mantissa, 40 + (a.liq.bits % 40));
            break;
          case 'large':
            amount = (maxPerTick >> BigInt(1 + (a.liq.bits % 8))) + scaled(a.liq.mantissa, 20);
            break;
          case 'huge': // around maxLiquidityPerTick: LO sometimes
            amount = maxPerTick - (1n << 20n) + scaled(a.liq.mantissa, 21);
            break;
        }
        if (amount > MAX_UINT128) amount = MAX_UINT128;
        events.push({ type: 'mint', owner, tickLower: lower, tickUpper: upper, amount: amount.toString() });
        const existing = positions.find((p) => p.owner === owner && p.lower === lower && p.upper === upper);
        if (existing) existing.minted += amount;
        else positions.push({ owner, lower, upper, minted: amount });
        return;
      }
      case 'burn': {
        if (positions.length === 0) return;
        const p = pick(positions, a.pos);
        let amount: bigint;
        let owner = p.owner;
        switch (a.how) {
          case 'all':
            amount = p.minted;
            break;
          case 'half':
            amount = p.minted / 2n;
            break;
          case 'poke':
            amount = 0n;
            break;
          case 'tooMuch':
            amount = p.minted + 1n;
            break;
          case 'random':
            amount = (p.minted * BigInt(Math.floor(a.r * 2 ** 30))) >> 30n;
            break;
          case 'stranger': // someone without this position: NP on a poke, LS otherwise
            owner = p.owner === 'e' ? 'd' : 'e';
            amount = a.r < 0.5 ? 0n : 1n;
            break;
        }
        if (amount > MAX_UINT128) amount = MAX_UINT128;
        events.push({ type: 'burn', owner, tickLower: p.lower, tickUpper: p.upper, amount: amount.toString() });
        if (owner === p.owner) p.minted = p.minted >= amount ? p.minted - amount : p.minted;
        return;
      }
      case 'collect': {
        if (positions.length === 0) return;
        const p = pick(positions, a.pos);
        const base = { type: 'collect', owner: p.owner, tickLower: p.lower, tickUpper: p.upper };
        if (a.how === 'all') events.push(base);
        else if (a.how === 'zero') events.push({ ...base, amount0Requested: '0', amount1Requested: a.r1 < 0.5 ? '0' : MAX_UINT128.toString() });
        else if (a.how === 'huge') events.push({ ...base, amount0Requested: MAX_UINT128.toString(), amount1Requested: '340282366920938463463374607431768211455' });
        else {
          events.push({
            ...base,
            amount0Requested: scaled(a.r0, Math.floor(a.r1 * 90)).toString(),
            amount1Requested: scaled(a.r1, Math.floor(a.r0 * 90)).toString(),
          });
        }
        return;
      }
      case 'swap': {
        // Half the swaps turn back from the previous one: once a price is pinned at a bound, only the
        // other direction is valid, and a run of same-direction swaps would all revert SPL.
        const zeroForOne = a.turn && lastZeroForOne !== undefined ? !lastZeroForOne : a.zeroForOne;
        lastZeroForOne = zeroForOne;
        let magnitude: bigint;
        switch (a.amount.kind) {
          case 'zero':
            magnitude = 0n;
            break;
          case 'small':
            magnitude = scaled(a.amount.mantissa, a.amount.bits % 20);
            break;
          case 'normal':
            magnitude = scaled(a.amount.mantissa, 30 + (a.amount.bits % 50));
            break;
          case 'large':
            magnitude = scaled(a.amount.mantissa, 100 + a.amount.bits);
            break;
          case 'int256': // the type's ends: 2^255 − 1 in, −2^255 (whose negation wraps) or −(2^255 − 1) out
            magnitude = (1n << 255n) - (a.amount.bits % 2 === 0 ? 1n : 0n);
            break;
        }
        const amountSpecified = a.exactIn ? (magnitude === 1n << 255n ? magnitude - 1n : magnitude) : -magnitude;
        let limit: bigint;
        // At tick spacing 1 a walk to a far limit visits thousands of bitmap words (seconds in the EVM):
        // keep most limits within SPACING1_REACH ticks of the start there.
        const reach = spacing === 1 && !a.limit.far ? SPACING1_REACH : Number.POSITIVE_INFINITY;
        const near = (t: number): number => Math.min(MAX_TICK, Math.max(MIN_TICK, startTick - reach, Math.min(startTick + reach, t)));
        const [lower, upper] = pick(ranges, a.limit.range);
        const rangeTick = near(a.limit.side ? lower : upper);
        switch (a.limit.kind) {
          case 'extreme':
            if (reach === Number.POSITIVE_INFINITY) limit = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
            else limit = sqrtRatioAtTick(near(zeroForOne ? MIN_TICK : MAX_TICK));
            break;
          case 'rangeTick': {
            // Exactly a range tick's price (stopping on an initialized tick is the subtle case), taken on
            // the side the swap moves to from the start price when some range offers one.
            let t = rangeTick;
            for (let k = 0; k < ranges.length * 2; k++) {
              const [lo, up] = pick(ranges, a.limit.range + (k >> 1));
              const cand = near(k % 2 === (a.limit.side ? 0 : 1) ? lo : up);
              if (zeroForOne ? cand <= startTick : cand > startTick) {
                t = cand;
                break;
              }
            }
            limit = sqrtRatioAtTick(t);
            break;
          }
          case 'nearTick': {
            const t = Math.min(MAX_TICK, Math.max(MIN_TICK, startTick + Math.floor((a.limit.offset - 0.5) * 200 * spacing)));
            limit = sqrtRatioAtTick(t);
            break;
          }
          case 'offTick': {
            const t = Math.min(MAX_TICK - 1, Math.max(MIN_TICK, rangeTick));
            const lo = sqrtRatioAtTick(t);
            const hi = sqrtRatioAtTick(t + 1);
            limit = lo + ((hi - lo) * BigInt(Math.floor(a.limit.offset * 2 ** 20))) / 2n ** 20n;
            break;
          }
          case 'pastExtreme': // SPL: at or beyond the hard bounds
            limit = zeroForOne ? MIN_SQRT_RATIO - (a.limit.side ? 0n : 1n) : MAX_SQRT_RATIO + (a.limit.side ? 0n : 1n);
            break;
          case 'wrongExtreme': // SPL: the limit is on the wrong side of any price
            limit = zeroForOne ? MAX_SQRT_RATIO - 1n : MIN_SQRT_RATIO + 1n;
            break;
        }
        if (limit < 0n) limit = 0n;
        events.push({ type: 'swap', zeroForOne, amountSpecified: amountSpecified.toString(), sqrtPriceLimitX96: limit.toString() });
        return;
      }
      case 'setFeeProtocol':
        events.push({ type: 'setFeeProtocol', feeProtocol0: a.p0, feeProtocol1: a.p1 });
        return;
      case 'collectProtocol':
        if (a.how === 'all') events.push({ type: 'collectProtocol' });
        else {
          events.push({
            type: 'collectProtocol',
            amount0Requested: scaled(a.r0, Math.floor(a.r1 * 70)).toString(),
            amount1Requested: scaled(a.r1, Math.floor(a.r0 * 70)).toString(),
          });
        }
        return;
      case 'initializeAgain':
        events.push({ ...initialize });
        return;
    }
  }

  for (const a of raw.setup) emit(a);
  for (const a of raw.actions) emit(a);
  return { fee, tickSpacing: spacing, startTick, events };
}

const setupMint: fc.Arbitrary<RawAction> = fc.record({
  t: fc.constant('mint' as const),
  owner: fc.nat({ max: 4 }),
  range: fc.nat({ max: 1000 }),
  liq: rawLiquidity.filter((l) => l.kind === 'normal' || l.kind === 'large'),
});

export interface V3ScenarioOptions {
  /** Most non-setup events (default 40). */
  readonly maxActions?: number;
  /** Most ranges (default 24). */
  readonly maxRanges?: number;
}

/** A random v3 scenario: initialize, a few mints to give it liquidity, then mixed events. */
export function v3ScenarioArbitrary(options: V3ScenarioOptions = {}): fc.Arbitrary<V3Scenario> {
  const raw: fc.Arbitrary<RawScenario> = fc.record({
    init: rawInit,
    ranges: fc.array(rawRange, { minLength: 1, maxLength: options.maxRanges ?? 24, size: 'max' }),
    setup: fc.array(setupMint, { minLength: 1, maxLength: 8, size: 'max' }),
    actions: fc.array(rawAction, { minLength: 1, maxLength: options.maxActions ?? 40, size: 'max' }),
  });
  return raw.map(materialise);
}

/** Mixes a run seed and a scenario index into one 32-bit seed, so any scenario can be rebuilt alone. */
export function scenarioSeed(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) | 0;
}

/** Scenario number `index` of run `seed` (deterministic, independent of every other index). */
export function v3ScenarioAt(seed: number, index: number, options: V3ScenarioOptions = {}): V3Scenario {
  const [scenario] = fc.sample(v3ScenarioArbitrary(options), { seed: scenarioSeed(seed, index), numRuns: 1 });
  if (scenario === undefined) throw new Error('fast-check produced no sample');
  return scenario;
}
