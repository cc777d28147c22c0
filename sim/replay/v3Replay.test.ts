import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { createV3Replayer } from './v3Replay.ts';

// Ground truth: the deployed v3-core 1.0.1 UniswapV3Pool bytecode's own results, run in an in-process EVM
// (see ../shared/oracle/README.md). Never copied into the repo; read from the shared checkout.
const ORACLE_V3 = path.resolve(process.cwd(), '../shared/oracle/v3');
const haveOracle = existsSync(ORACLE_V3);

describe.skipIf(!haveOracle)(`behavior: replays every v3 oracle case exactly (skipped: ${ORACLE_V3} not found)`, () => {
  const files = haveOracle ? readdirSync(ORACLE_V3).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('finds the 20 oracle scenarios', () => {
    expect(files.length).toBe(20);
  });
  for (const f of files) {
    it(`matches every line of ${f}`, () => {
      const lines = readFileSync(path.join(ORACLE_V3, f), 'utf8').split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      const replayer = createV3Replayer({ file: f });
      lines.forEach((text, i) => {
        const c = JSON.parse(text) as { event: Record<string, unknown>; expect: Record<string, unknown> };
        const got = replayer.apply(c.event, i + 1);
        // Exact equality, key order included (the CLI writes these objects as JSON lines).
        expect({ line: i + 1, result: JSON.stringify(got) }).toEqual({ line: i + 1, result: JSON.stringify(c.expect) });
      });
    });
  }
});

describe('error: malformed events are InputErrors naming the line and field', () => {
  const init = { type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: '79228162514264337593543950336' };
  it('rejects an event before initialize', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    expect(() => r.apply({ type: 'swap', zeroForOne: true, amountSpecified: '1', sqrtPriceLimitX96: '4295128740' }, 1)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:1: type: the first event must be initialize (it creates the pool); was swap]`,
    );
  });
  it('rejects an unknown type', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    expect(() => r.apply({ type: 'flash' }, 3)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:3: type: must be one of burn, collect, collectProtocol, initialize, mint, setFeeProtocol, swap; was "flash"]`,
    );
  });
  it('rejects an unknown field', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    expect(() => r.apply({ type: 'collectProtocol', amount0requested: '1' }, 2)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:2: amount0requested: is not a field of a collectProtocol event (fields: type, amount0Requested, amount1Requested)]`,
    );
  });
  it('rejects a non-integer amount and an out-of-range one', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    expect(() => r.apply({ type: 'mint', owner: 'a', tickLower: -60, tickUpper: 60, amount: '1.5' }, 2)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:2: amount: must be an integer (a decimal string); was "1.5"]`,
    );
    expect(() => r.apply({ type: 'mint', owner: 'a', tickLower: -60, tickUpper: 60, amount: '-1' }, 4)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:4: amount: must be a uint128 in [0, 340282366920938463463374607431768211455]; was -1]`,
    );
  });
  it('rejects a tick outside int24 and a missing owner', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    expect(() => r.apply({ type: 'burn', owner: 'a', tickLower: 8388608, tickUpper: 60, amount: '1' }, 5)).toThrowError(InputError);
    expect(() => r.apply({ type: 'burn', tickLower: -60, tickUpper: 60, amount: '1' }, 6)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:6: owner: must be a non-empty string; was nothing]`,
    );
  });
  it('rejects a later initialize of another fee or spacing: one pool per file, even after a reverted first one', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    // The reverted (R) initialize still creates the pool; before, the second one only set the price, and a mint at
    // ±10 then succeeded on what should be a spacing-60 pool.
    expect(r.apply({ type: 'initialize', fee: 500, tickSpacing: 10, sqrtPriceX96: '5' }, 1)).toMatchObject({ revert: 'R' });
    expect(() => r.apply(init, 2)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:2: fee: is 3000 but line 1 created the pool with fee 500 / tick spacing 10; one pool per file]`,
    );
    expect(() => r.apply({ ...init, fee: 500 }, 3)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:3: tickSpacing: is 60 but line 1 created the pool with fee 500 / tick spacing 10; one pool per file]`,
    );
    expect(r.apply({ ...init, fee: 500, tickSpacing: 10 }, 4)).toMatchObject({ state: { tick: '0' } });
  });
  it('rejects a non-boolean zeroForOne', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    expect(() => r.apply({ type: 'swap', zeroForOne: 'true', amountSpecified: '1', sqrtPriceLimitX96: '4295128740' }, 7)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:7: zeroForOne: must be true or false; was "true"]`,
    );
  });
});

describe('behavior: contract reverts become { revert, state } results', () => {
  it('reports LOK before initialize succeeds and AI after', () => {
    const r = createV3Replayer();
    expect(r.apply({ type: 'initialize', fee: 500, tickSpacing: 10, sqrtPriceX96: '1' }, 1)).toEqual({
      revert: 'R',
      state: { sqrtPriceX96: '0', tick: '0', liquidity: '0', feeGrowthGlobal0X128: '0', feeGrowthGlobal1X128: '0', protocolFees0: '0', protocolFees1: '0' },
    });
    expect(r.apply({ type: 'mint', owner: 'a', tickLower: -10, tickUpper: 10, amount: '1' }, 2)).toMatchObject({ revert: 'LOK' });
    expect(r.apply({ type: 'initialize', fee: 500, tickSpacing: 10, sqrtPriceX96: '79228162514264337593543950336' }, 3)).toMatchObject({
      state: { tick: '0' },
    });
    expect(r.apply({ type: 'initialize', fee: 500, tickSpacing: 10, sqrtPriceX96: '79228162514264337593543950336' }, 4)).toMatchObject({ revert: 'AI' });
  });
});
