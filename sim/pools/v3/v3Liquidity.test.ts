import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { V3ExactEnginePool } from './v3ExactEnginePool.ts';
import { V3FloatPool } from './v3FloatPool.ts';
import { backgroundLiquidity, loadLiquidityFile } from '../../../runs/poolLiquidityFile.ts';
import {
  baseValueShareAt,
  defaultTickSpacing,
  parseLiquidityFile,
  planBackgroundLiquidity,
  rangeToTicks,
  seedBackgroundLiquidity,
  usableTicks,
  valuePerLiquidity,
} from './v3Liquidity.ts';

const dir = mkdtempSync(join(tmpdir(), 'ammsim-v3liq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tick spacing and ranges', () => {
  it('behavior: fee tiers map to their spacing (0.0001→1, 0.0005→10, 0.003→60, 0.01→200); other fees to the next tier up', () => {
    expect([0.0001, 0.0005, 0.003, 0.01].map(defaultTickSpacing)).toEqual([1, 10, 60, 200]);
    expect([0, 0.0002, 0.001, 0.05].map(defaultTickSpacing)).toEqual([1, 10, 60, 200]);
    expect(usableTicks(60)).toEqual({ minTick: -887220, maxTick: 887220 });
    expect(usableTicks(200)).toEqual({ minTick: -887200, maxTick: 887200 });
  });

  it('behavior: a range snaps OUTWARD (lower floored, upper ceiled to the spacing) and snapping is idempotent (fast-check, 300 runs, seed 5)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.double({ min: 1.0001, max: 10, noNaN: true }), fc.constantFrom(1, 10, 60, 200), (lower, k, sp) => {
        const t = rangeToTicks({ lower, upper: lower * k }, sp);
        expect(t.tickLower % sp === 0 && t.tickUpper % sp === 0).toBe(true);
        expect(1.0001 ** t.tickLower).toBeLessThanOrEqual(lower * (1 + 1e-9));
        expect(1.0001 ** t.tickUpper).toBeGreaterThanOrEqual(lower * k * (1 - 1e-9));
        expect(t.tickUpper - t.tickLower).toBeLessThanOrEqual(Math.log(k) / Math.log(1.0001) + 2 * sp + 2);
        const again = rangeToTicks({ lower: Math.exp(t.tickLower * Math.log1p(1e-4)), upper: Math.exp(t.tickUpper * Math.log1p(1e-4)) }, sp);
        expect(again).toEqual(t);
      }),
      { numRuns: 300, seed: 5 },
    );
    expect(rangeToTicks(null, 60)).toEqual({ tickLower: -887220, tickUpper: 887220 });
  });

  it('behavior: a range narrower than one spacing widens to one spacing', () => {
    const t = rangeToTicks({ lower: 1.00001, upper: 1.00002 }, 60);
    expect(t).toEqual({ tickLower: 0, tickUpper: 60 });
  });
});

describe('sizing by value (whitepaper eq. 6.29–6.30)', () => {
  it('behavior: full range is worth 2L√P per unit L (to within the range ends), a range entirely above P is worth P·(1/√Pa − 1/√Pb)', () => {
    const v = valuePerLiquidity(2000, -887220, 887220);
    expect(v / (2 * Math.sqrt(2000))).toBeCloseTo(1, 9);
    const ta = 80040;
    const tb = 81000;
    const expected = 2000 * (1 / Math.sqrt(1.0001 ** ta) - 1 / Math.sqrt(1.0001 ** tb));
    expect(valuePerLiquidity(2000, ta, tb) / expected).toBeCloseTo(1, 10);
  });

  it('behavior: the default background is one full-range position worth poolLiquidity quote at the first price', () => {
    const plan = backgroundLiquidity({ poolLiquidity: 1e6, poolLiquidityFile: undefined }, 2000, 60);
    expect(plan).toHaveLength(1);
    expect(plan[0]!.fullRange).toBe(true);
    expect(plan[0]!.liquidity * valuePerLiquidity(2000, -887220, 887220)).toBeCloseTo(1e6, 6);
    for (const pool of [new V3FloatPool(0.003, 60, 2000), new V3ExactEnginePool(0.003, 60, 2000)]) {
      seedBackgroundLiquidity(pool, plan);
      const b = pool.tokenBalances();
      expect((b.base * 2000 + b.quote) / 1e6).toBeCloseTo(1, 9);
      expect(b.base * 2000).toBeCloseTo(b.quote, 0);
      expect(pool.position(1).owner).toBe('background');
      expect(pool.position(1).range).toBeNull();
    }
  });

  it('behavior: baseValueShareAt is 1 below the range, 0 above, and x·P/(x·P + y) inside', () => {
    expect(baseValueShareAt(1, -200, -100, 100)).toBe(1);
    expect(baseValueShareAt(1, 100, -100, 100)).toBe(0);
    const sa = Math.sqrt(1.0001 ** -100);
    const sb = Math.sqrt(1.0001 ** 100);
    const x = 1 - 1 / sb;
    const y = 1 - sa;
    expect(baseValueShareAt(1, 0, -100, 100)).toBeCloseTo(x / (x + y), 10);
  });
});

describe('distribution file', () => {
  const doc = {
    positions: [
      { lower: 1500, upper: 2500, valueQuote: 200_000 },
      { tickLower: -887220, tickUpper: 887220, liquidity: 12_000 },
      { fullRange: true, valueQuote: 500_000 },
    ],
  };

  it('behavior: prices, ticks and full range, sized by value or by L, become background positions', () => {
    const file = join(dir, 'liq.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const plan = planBackgroundLiquidity(loadLiquidityFile(file, 60), 2000, 60);
    expect(plan.map((p) => [p.tickLower, p.tickUpper, p.fullRange])).toEqual([
      [73080, 78300, false],
      [-887220, 887220, true],
      [-887220, 887220, true],
    ]);
    expect(plan[0]!.liquidity * valuePerLiquidity(2000, 73080, 78300)).toBeCloseTo(200_000, 6);
    expect(plan[1]!.liquidity).toBe(12_000);
    const pool = new V3FloatPool(0.003, 60, 2000);
    seedBackgroundLiquidity(pool, backgroundLiquidity({ poolLiquidity: 1, poolLiquidityFile: file }, 2000, 60));
    expect(pool.positionIds()).toEqual([1, 2, 3]);
    const b = pool.tokenBalances();
    const value = b.base * 2000 + b.quote;
    expect(value).toBeCloseTo(200_000 + 12_000 * valuePerLiquidity(2000, -887220, 887220) + 500_000, 3);
  });

  it('error: every malformed entry names the file and the field', () => {
    const bad = (d: unknown): (() => unknown) => () => parseLiquidityFile(JSON.stringify(d), 'liq.json', 60);
    expect(bad([])).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: must be a JSON object { "positions": [...] }]`);
    expect(bad({ position: [] })).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: position: unknown key; did you mean "positions"?]`);
    expect(bad({ positions: [] })).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: positions: must be a non-empty array of positions; was []]`);
    expect(bad({ positions: [{ lower: 1, upper: 2, valueQuote: 1, liquidty: 3 }] })).toThrowErrorMatchingInlineSnapshot(
      `[InputError: liq.json: positions[0].liquidty: unknown key; did you mean "liquidity"?]`,
    );
    expect(bad({ positions: [{ lower: 2, upper: 1, valueQuote: 1 }] })).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: positions[0].upper: must be above lower (2); was 1]`);
    expect(bad({ positions: [{ lower: -1, upper: 1, valueQuote: 1 }] })).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: positions[0].lower: must be a finite number > 0; was -1]`);
    expect(bad({ positions: [{ tickLower: 10, tickUpper: 120, valueQuote: 1 }] })).toThrowErrorMatchingInlineSnapshot(
      `[InputError: liq.json: positions[0].tickLower: must be an integer multiple of the tick spacing 60 in [-887220, 887220]; was 10]`,
    );
    expect(bad({ positions: [{ fullRange: true, lower: 1, upper: 2, valueQuote: 1 }] })).toThrowErrorMatchingInlineSnapshot(
      `[InputError: liq.json: positions[0]: must give its range in exactly one way: "lower"/"upper" prices, "tickLower"/"tickUpper", or "fullRange": true; found 2]`,
    );
    expect(bad({ positions: [{ fullRange: true, valueQuote: 1, liquidity: 2 }] })).toThrowErrorMatchingInlineSnapshot(
      `[InputError: liq.json: positions[0]: must give its size as exactly one of "valueQuote" (quote at the first price) or "liquidity" (v3 L)]`,
    );
    expect(bad({ positions: [{ fullRange: false, valueQuote: 1 }] })).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: positions[0].fullRange: must be true; was false]`);
    expect(bad({ positions: [{ fullRange: true, valueQuote: '5' }] })).toThrowErrorMatchingInlineSnapshot(`[InputError: liq.json: positions[0].valueQuote: must be a finite number > 0; was "5"]`);
  });

  it('error: invalid JSON reports the line of the syntax error; a missing file names the file', () => {
    let err: unknown;
    try {
      parseLiquidityFile('{\n  "positions": [\n    { "lower": 1, }\n  ]\n}', 'liq.json', 60);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: 'InputError', file: 'liq.json', line: 3 });
    expect(() => loadLiquidityFile(join(dir, 'missing.json'), 60)).toThrowError(/^.*missing\.json: cannot read the liquidity file: ENOENT/);
  });
});
