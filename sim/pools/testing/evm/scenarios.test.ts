import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
  scenarioSeed,
  sqrtRatioAtTick,
  v3ScenarioAt,
} from './scenarios.ts';
import { createV3Evm, type V3EvmHarness } from './v3Evm.ts';

const SEED = 20261123;
const NUM_RUNS = 60;

const FIELDS: Readonly<Record<string, readonly string[]>> = {
  initialize: ['type', 'fee', 'tickSpacing', 'sqrtPriceX96'],
  mint: ['type', 'owner', 'tickLower', 'tickUpper', 'amount'],
  burn: ['type', 'owner', 'tickLower', 'tickUpper', 'amount'],
  collect: ['type', 'owner', 'tickLower', 'tickUpper', 'amount0Requested', 'amount1Requested'],
  swap: ['type', 'zeroForOne', 'amountSpecified', 'sqrtPriceLimitX96'],
  setFeeProtocol: ['type', 'feeProtocol0', 'feeProtocol1'],
  collectProtocol: ['type', 'amount0Requested', 'amount1Requested'],
};

function inRange(v: unknown, lo: bigint, hi: bigint): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && BigInt(v) >= lo && BigInt(v) <= hi;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v) >= lo && BigInt(v) <= hi;
  return false;
}

describe('sqrtRatioAtTick (the generator\'s own copy)', () => {
  it('behavior: the bounds are MIN_SQRT_RATIO and MAX_SQRT_RATIO, tick 0 is 2^96', () => {
    expect(sqrtRatioAtTick(MIN_TICK)).toBe(MIN_SQRT_RATIO);
    expect(sqrtRatioAtTick(MAX_TICK)).toBe(MAX_SQRT_RATIO);
    expect(sqrtRatioAtTick(0)).toBe(1n << 96n);
  });
  it('error: rejects a tick out of range', () => {
    expect(() => sqrtRatioAtTick(MAX_TICK + 1)).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: tick must be an integer in [-887272, 887272]; was 887273]`,
    );
  });

  describe('against the real TickMath (initialize reports getTickAtSqrtRatio)', () => {
    let harness: V3EvmHarness;
    beforeAll(async () => {
      harness = await createV3Evm();
    });
    it(`behavior: initialize at sqrtRatioAtTick(t) gives tick t, one less gives t-1 (seed ${SEED}, ${NUM_RUNS} runs)`, async () => {
      console.log(`sqrtRatioAtTick vs EVM: fast-check seed ${SEED}, numRuns ${NUM_RUNS}`);
      const edges = [MIN_TICK + 1, -1, 1, MAX_TICK - 1, 887271, -887271];
      const tickAfterInitialize = async (sqrtPriceX96: bigint): Promise<unknown> => {
        const [result] = await harness.runScenario([
          { type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: sqrtPriceX96.toString() },
        ]);
        return (result as { state: { tick: string } }).state.tick;
      };
      const check = async (t: number): Promise<void> => {
        const s = sqrtRatioAtTick(t);
        expect(await tickAfterInitialize(s)).toBe(String(t));
        expect(await tickAfterInitialize(s - 1n)).toBe(String(t - 1));
      };
      for (const t of edges) await check(t);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: MIN_TICK + 1, max: MAX_TICK - 1 }), check),
        { seed: SEED, numRuns: NUM_RUNS },
      );
    });
  });
});

describe('v3 scenario generator', () => {
  it('behavior: scenario i of a seed is the same every time and differs across indices', () => {
    expect(v3ScenarioAt(5, 3)).toEqual(v3ScenarioAt(5, 3));
    expect(JSON.stringify(v3ScenarioAt(5, 3))).not.toBe(JSON.stringify(v3ScenarioAt(5, 4)));
    expect(scenarioSeed(5, 3)).toBe(scenarioSeed(5, 3));
    expect(scenarioSeed(5, 3)).not.toBe(scenarioSeed(6, 3));
  });

  it('behavior: every event is well formed for the replayer (fields, Solidity ranges); initialize first', () => {
    const int24 = [-(1n << 23n), (1n << 23n) - 1n] as const;
    const uint128 = [0n, (1n << 128n) - 1n] as const;
    const uint160 = [0n, (1n << 160n) - 1n] as const;
    const int256 = [-(1n << 255n), (1n << 255n) - 1n] as const;
    for (let i = 0; i < 200; i++) {
      const s = v3ScenarioAt(SEED, i);
      expect(s.events[0]?.type).toBe('initialize');
      for (const e of s.events) {
        const allowed = FIELDS[e.type as string];
        expect(allowed, JSON.stringify(e)).toBeDefined();
        for (const k of Object.keys(e)) expect(allowed, `${k} in ${JSON.stringify(e)}`).toContain(k);
        switch (e.type) {
          case 'initialize':
            expect(inRange(e.sqrtPriceX96, ...uint160)).toBe(true);
            break;
          case 'mint':
          case 'burn':
          case 'collect':
            expect(inRange(e.tickLower, ...int24) && inRange(e.tickUpper, ...int24)).toBe(true);
            if (e.type !== 'collect') expect(inRange(e.amount, ...uint128)).toBe(true);
            break;
          case 'swap':
            expect(inRange(e.amountSpecified, ...int256) && inRange(e.sqrtPriceLimitX96, ...uint160)).toBe(true);
            break;
          case 'setFeeProtocol':
            expect(inRange(e.feeProtocol0, 0n, 255n) && inRange(e.feeProtocol1, 0n, 255n)).toBe(true);
            break;
        }
        for (const k of ['amount0Requested', 'amount1Requested']) if (k in e) expect(inRange(e[k], ...uint128)).toBe(true);
      }
    }
  });

  it('behavior: 200 scenarios cover all fee tiers, the price extremes and every event type', () => {
    const tiers = new Set<number>();
    const types = new Set<string>();
    let atMin = 0;
    let atMax = 0;
    for (let i = 0; i < 200; i++) {
      const s = v3ScenarioAt(SEED, i);
      tiers.add(s.fee);
      for (const e of s.events) types.add(e.type as string);
      if (s.events.some((e) => e.type === 'initialize' && e.sqrtPriceX96 === MIN_SQRT_RATIO.toString())) atMin++;
      if (s.events.some((e) => e.type === 'initialize' && e.sqrtPriceX96 === (MAX_SQRT_RATIO - 1n).toString())) atMax++;
    }
    expect([...tiers].sort((a, b) => a - b)).toEqual([0, 100, 500, 2500, 3000, 10000, 999999]);
    expect([...types].sort()).toEqual(Object.keys(FIELDS).sort());
    expect(atMin).toBeGreaterThan(0);
    expect(atMax).toBeGreaterThan(0);
  });
});
