import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { revertReason as reasonOf } from '../../core/revertReason.ts';
import { getSqrtRatioAtTick, getSqrtRatioAtTickMemo, getTickAtSqrtRatio, MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from './tickMath.ts';
import { encodePriceSqrt } from './vectors/encodePriceSqrt.ts';

const SEED = 20240601;
const NUM_RUNS = 2000;

// Source: Uniswap/v3-core test/TickMath.spec.ts and test/__snapshots__/TickMath.spec.ts.snap (results).
const SQRT_AT_TICK: readonly [number, string][] = [
  [-50, '79030349367926598376800521322'],
  [-100, '78833030112140176575862854579'],
  [-250, '78244023372248365697264290337'],
  [-500, '77272108795590369356373805297'],
  [-1000, '75364347830767020784054125655'],
  [-2500, '69919044979842180277688105136'],
  [-3000, '68192822843687888778582228483'],
  [-4000, '64867181785621769311890333195'],
  [-5000, '61703726247759831737814779831'],
  [-50000, '6504256538020985011912221507'],
  [-150000, '43836292794701720435367485'],
  [-250000, '295440463448801648376846'],
  [-500000, '1101692437043807371'],
  [-738203, '7409801140451'],
  [50, '79426470787362580746886972461'],
  [100, '79625275426524748796330556128'],
  [250, '80224679980005306637834519095'],
  [500, '81233731461783161732293370115'],
  [1000, '83290069058676223003182343270'],
  [2500, '89776708723587163891445672585'],
  [3000, '92049301871182272007977902845'],
  [4000, '96768528593268422080558758223'],
  [5000, '101729702841318637793976746270'],
  [50000, '965075977353221155028623082916'],
  [150000, '143194173941309278083010301478497'],
  [250000, '21246587762933397357449903968194344'],
  [500000, '5697689776495288729098254600827762987878'],
  [738203, '847134979253254120489401328389043031315994541'],
  // Spec's named cases.
  [MIN_TICK, '4295128739'],
  [MIN_TICK + 1, '4295343490'],
  [MAX_TICK - 1, '1461373636630004318706518188784493106690254656249'],
  [MAX_TICK, '1461446703485210103287273052203988822378723970342'],
];

// Source: v3-core TickMath snapshot, `#getTickAtSqrtRatio ratio … result` (ratios as printed there).
const TICK_AT_SQRT: readonly [string, number][] = [
  ['4295128739', -887272],
  ['79228162514264337593543', -276325],
  ['79228162514264337593543950', -138163],
  ['9903520314283042199192993792', -41591],
  ['28011385487393069959365969113', -20796],
  ['56022770974786139918731938227', -6932],
  ['79228162514264337593543950336', 0],
  ['112045541949572279837463876454', 6931],
  ['224091083899144559674927752909', 20795],
  ['633825300114114700748351602688', 41590],
  ['79228162514264337593543950336000', 138162],
  ['79228162514264337593543950336000000', 276324],
  ['1461446703485210103287273052203988822378723970341', 887271],
  ['4295343490', MIN_TICK + 1],
  ['1461373636630004318706518188784493106690254656249', MAX_TICK - 1],
];

describe('getSqrtRatioAtTick', () => {
  it.each(SQRT_AT_TICK)('behavior: tick %i gives the contract value', (tick, expected) => {
    expect(getSqrtRatioAtTick(tick)).toBe(BigInt(expected));
  });
  it('behavior: MIN/MAX_SQRT_RATIO are the prices of MIN/MAX_TICK', () => {
    expect(getSqrtRatioAtTick(MIN_TICK)).toBe(MIN_SQRT_RATIO);
    expect(getSqrtRatioAtTick(MAX_TICK)).toBe(MAX_SQRT_RATIO);
  });
  it('error: rejects ticks outside [MIN_TICK, MAX_TICK] with T', () => {
    for (const t of [MIN_TICK - 1, MAX_TICK + 1]) {
      expect(() => getSqrtRatioAtTick(t)).toThrowError(PoolError);
      try {
        getSqrtRatioAtTick(t);
      } catch (e) {
        expect((e as PoolError).reason).toBe('T');
      }
    }
    expect(() => getSqrtRatioAtTick(MAX_TICK + 1)).toThrowErrorMatchingInlineSnapshot(
      `[PoolError: reverted: T (tick must be an integer in [-887272, 887272]; was 887273)]`,
    );
  });
  it('behavior: within 1/100 bip of sqrt(1.0001^tick)·2^96 (spec tolerance; float reference)', () => {
    for (const [tick] of SQRT_AT_TICK) {
      if (Math.abs(tick) > 500000) continue; // float 1.0001^t loses too much beyond this
      const ref = Math.sqrt(1.0001 ** tick) * 2 ** 96;
      expect(Math.abs(Number(getSqrtRatioAtTick(tick)) - ref) / ref).toBeLessThan(1e-6);
    }
  });
  it(`property: strictly increasing in the tick (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK - 1 }), (t) => getSqrtRatioAtTick(t) < getSqrtRatioAtTick(t + 1)),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
});

describe('getTickAtSqrtRatio', () => {
  it.each(TICK_AT_SQRT)('behavior: ratio %s gives tick %i', (ratio, tick) => {
    expect(getTickAtSqrtRatio(BigInt(ratio))).toBe(tick);
  });
  it('behavior: the spec inputs built with encodePriceSqrt give the snapshot ticks', () => {
    // Source: v3-core test/TickMath.spec.ts ratio list (encodePriceSqrt(…)) and its snapshot results.
    const cases: [bigint, bigint, number][] = [
      [10n ** 12n, 1n, 276324],
      [10n ** 6n, 1n, 138162],
      [1n, 64n, -41591],
      [1n, 8n, -20796],
      [1n, 2n, -6932],
      [1n, 1n, 0],
      [2n, 1n, 6931],
      [8n, 1n, 20795],
      [64n, 1n, 41590],
      [1n, 10n ** 6n, -138163],
      [1n, 10n ** 12n, -276325],
    ];
    for (const [r1, r0, tick] of cases) expect(getTickAtSqrtRatio(encodePriceSqrt(r1, r0))).toBe(tick);
    // The helper reproduces the ratios the snapshot prints for these inputs.
    expect(encodePriceSqrt(1n, 10n ** 12n)).toBe(79228162514264337593543n);
    expect(encodePriceSqrt(1n, 2n)).toBe(56022770974786139918731938227n);
    expect(encodePriceSqrt(64n, 1n)).toBe(633825300114114700748351602688n);
  });
  it('error: rejects prices outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO) with R', () => {
    expect(() => getTickAtSqrtRatio(MIN_SQRT_RATIO - 1n)).toThrowErrorMatchingInlineSnapshot(
      `[PoolError: reverted: R (sqrtPriceX96 must be in [4295128739, 1461446703485210103287273052203988822378723970342); was 4295128738)]`,
    );
    expect(() => getTickAtSqrtRatio(MAX_SQRT_RATIO)).toThrowError(/R/);
  });
  it(`property: getTickAtSqrtRatio(getSqrtRatioAtTick(t)) == t (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK - 1 }), (t) => getTickAtSqrtRatio(getSqrtRatioAtTick(t)) === t),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
  it(`property: the result t satisfies ratio(t) ≤ p < ratio(t+1), also next to tick prices (seed ${SEED})`, () => {
    // The contract's definition of the result; the offsets probe both sides of each tick boundary, where
    // the float estimate must defer to the exact check.
    const arb = fc.tuple(fc.integer({ min: MIN_TICK, max: MAX_TICK - 1 }), fc.bigInt({ min: -3n, max: 3n }));
    fc.assert(
      fc.property(arb, ([t, off]) => {
        let p = getSqrtRatioAtTick(t) + off;
        if (p < MIN_SQRT_RATIO) p = MIN_SQRT_RATIO;
        if (p >= MAX_SQRT_RATIO) p = MAX_SQRT_RATIO - 1n;
        const r = getTickAtSqrtRatio(p);
        return getSqrtRatioAtTick(r) <= p && (r === MAX_TICK - 1 || p < getSqrtRatioAtTick(r + 1));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: MIN_SQRT_RATIO, max: MAX_SQRT_RATIO - 1n }), (p) => {
        const r = getTickAtSqrtRatio(p);
        return getSqrtRatioAtTick(r) <= p && (r === MAX_TICK - 1 || p < getSqrtRatioAtTick(r + 1));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
});

describe('getSqrtRatioAtTickMemo', () => {
  it('behavior: equals getSqrtRatioAtTick on every tick, also after the memo fills and empties, and reverts alike', () => {
    // 2^17 distinct ticks go through the memo (bounded at 2^16): every value is recomputed or recalled exactly.
    for (let t = -65_536; t < 65_536; t += 1) {
      if (getSqrtRatioAtTickMemo(t) !== getSqrtRatioAtTick(t)) throw new Error(`memo differs at tick ${t}`);
    }
    for (const t of [MIN_TICK, MAX_TICK, 0, -1, 1, MIN_TICK, MAX_TICK]) expect(getSqrtRatioAtTickMemo(t)).toBe(getSqrtRatioAtTick(t));
    expect(reasonOf(() => getSqrtRatioAtTickMemo(MAX_TICK + 1))).toBe('T');
    expect(reasonOf(() => getSqrtRatioAtTickMemo(MIN_TICK - 1))).toBe('T');
  });
});

describe('getSqrtRatioAtTick: the memoised low-bit prefix changes nothing', () => {
  // TickMath.sol written out plainly (every bit's factor in turn, truncating after each), as the test's own
  // reference for the production code's table of prefixes.
  const FACTORS = [
    0xfffcb933bd6fad37aa2d162d1a594001n, 0xfff97272373d413259a46990580e213an, 0xfff2e50f5f656932ef12357cf3c7fdccn,
    0xffe5caca7e10e4e61c3624eaa0941cd0n, 0xffcb9843d60f6159c9db58835c926644n, 0xff973b41fa98c081472e6896dfb254c0n,
    0xff2ea16466c96a3843ec78b326b52861n, 0xfe5dee046a99a2a811c461f1969c3053n, 0xfcbe86c7900a88aedcffc83b479aa3a4n,
    0xf987a7253ac413176f2b074cf7815e54n, 0xf3392b0822b70005940c7a398e4b70f3n, 0xe7159475a2c29b7443b29c7fa6e889d9n,
    0xd097f3bdfd2022b8845ad8f792aa5825n, 0xa9f746462d870fdf8a65dc1f90e061e5n, 0x70d869a156d2a1b890bb3df62baf32f7n,
    0x31be135f97d08fd981231505542fcfa6n, 0x9aa508b5b7a84e1c677de54f3e99bc9n, 0x5d6af8dedb81196699c329225ee604n,
    0x2216e584f5fa1ea926041bedfe98n, 0x48a170391f7dc42444e8fa2n,
  ];
  const plain = (tick: number): bigint => {
    const abs = Math.abs(tick);
    let ratio = (abs & 1) !== 0 ? (FACTORS[0] as bigint) : 1n << 128n;
    for (let i = 1; i < 20; i++) if ((abs >> i) & 1) ratio = (ratio * (FACTORS[i] as bigint)) >> 128n;
    if (tick > 0) ratio = ((1n << 256n) - 1n) / ratio;
    return (ratio >> 32n) + (ratio % (1n << 32n) === 0n ? 0n : 1n);
  };
  it(`property: equals the plain recipe (seed ${SEED}, ${NUM_RUNS} runs, and every tick with |tick| < 4096)`, () => {
    for (let t = -4095; t < 4096; t++) if (getSqrtRatioAtTick(t) !== plain(t)) throw new Error(`differs at tick ${t}`);
    fc.assert(
      fc.property(fc.integer({ min: MIN_TICK, max: MAX_TICK }), (t) => getSqrtRatioAtTick(t) === plain(t)),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });
});
