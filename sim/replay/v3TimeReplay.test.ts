import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createV3TimeReplayer } from './v3TimeReplay.ts';

// Ground truth: v3-core 1.0.1's UniswapV3Pool bytecode with block timestamps, run in an in-process EVM
// (../shared/oracle/README.md "v3-time/"). Never copied into the repo; read from the shared checkout.
const ORACLE = path.resolve(process.cwd(), '../shared/oracle/v3-time');
const haveOracle = existsSync(ORACLE);

describe.skipIf(!haveOracle)(`behavior: replays every v3-time oracle case exactly (skipped: ${ORACLE} not found)`, () => {
  const files = haveOracle ? readdirSync(ORACLE).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('finds the 20 scenarios (10 of them the contract tests\' own vectors)', () => {
    expect(files.length).toBe(20);
    expect(files.filter((f) => f.startsWith('vec-')).length).toBe(10);
  });
  for (const f of files) {
    it(`matches every line of ${f}`, () => {
      const lines = readFileSync(path.join(ORACLE, f), 'utf8').split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      const replayer = createV3TimeReplayer({ file: f });
      lines.forEach((text, i) => {
        const c = JSON.parse(text) as { event: Record<string, unknown>; expect: Record<string, unknown> };
        const got = replayer.apply(c.event, i + 1);
        // Exact equality, key order included (the CLI writes these objects as JSON lines).
        expect({ line: i + 1, result: JSON.stringify(got) }).toEqual({ line: i + 1, result: JSON.stringify(c.expect) });
      });
    });
  }
});

describe('error: malformed v3-time events are InputErrors naming the line and field', () => {
  const init = { type: 'initialize', time: 100, fee: 3000, tickSpacing: 60, sqrtPriceX96: '79228162514264337593543950336' };
  it('requires time on every event', () => {
    const r = createV3TimeReplayer({ file: 'ev.jsonl' });
    expect(() => r.apply({ ...init, time: undefined }, 1)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:1: time: must be an integer; was nothing]`,
    );
    expect(() => r.apply({ ...init, time: -1 }, 1)).toThrowError(/time: must be a unix time in seconds/);
  });
  it('rejects a time that goes back (equal times are transactions of one block)', () => {
    const r = createV3TimeReplayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    r.apply({ type: 'mint', time: 100, owner: 'a', tickLower: -60, tickUpper: 60, amount: '10' }, 2);
    // Before, one second back read as 2^32 − 1 seconds elapsed in the pool's uint32 time.
    expect(() => r.apply({ type: 'observe', time: 99, secondsAgos: [0] }, 3)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:3: time: must not decrease (line 2 had 100); was 99]`,
    );
  });
  it('rejects a later initialize of another fee or spacing (one pool per file)', () => {
    const r = createV3TimeReplayer({ file: 'ev.jsonl' });
    expect(r.apply({ ...init, fee: 500, tickSpacing: 10, sqrtPriceX96: '5' }, 1)).toMatchObject({ revert: 'R' });
    expect(() => r.apply(init, 2)).toThrowError(/^ev\.jsonl:2: fee: is 3000 but line 1 created the pool with fee 500 \/ tick spacing 10; one pool per file$/);
  });
  it('names the new event types and rejects a bad secondsAgos', () => {
    const r = createV3TimeReplayer({ file: 'ev.jsonl' });
    expect(() => r.apply({ type: 'flash', time: 1 }, 3)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:3: type: must be one of burn, collect, collectProtocol, increaseObservationCardinalityNext, initialize, mint, observe, setFeeProtocol, snapshotCumulativesInside, swap; was "flash"]`,
    );
    r.apply(init, 1);
    expect(() => r.apply({ type: 'observe', time: 100, secondsAgos: ['1'] }, 4)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: ev.jsonl:4: secondsAgos: entry 0 must be a uint32 integer (a JSON number); was "1"]`,
    );
    expect(() => r.apply({ type: 'observe', time: 100, secondsAgos: 5 }, 5)).toThrowError(/secondsAgos: must be an array/);
  });
});

describe('behavior: time-weighted results from first principles', () => {
  // One position [-60, 60) of liquidity 10 at tick 0, nothing else: every second in range adds 2^128 / 10
  // to seconds per liquidity, and the tick cumulative stays 0 at tick 0.
  it('snapshotCumulativesInside counts the seconds spent in range', () => {
    const r = createV3TimeReplayer();
    r.apply({ type: 'initialize', time: 1000, fee: 3000, tickSpacing: 60, sqrtPriceX96: (1n << 96n).toString() }, 1);
    r.apply({ type: 'mint', time: 1000, owner: 'a', tickLower: -60, tickUpper: 60, amount: '10' }, 2);
    const s = r.apply({ type: 'snapshotCumulativesInside', time: 1250, tickLower: -60, tickUpper: 60 }, 3);
    expect(s).toMatchObject({
      tickCumulativeInside: '0',
      secondsPerLiquidityInsideX128: ((250n << 128n) / 10n).toString(),
      secondsInside: '250',
    });
    const o = r.apply({ type: 'observe', time: 1250, secondsAgos: [250, 0] }, 4);
    expect(o).toMatchObject({ tickCumulatives: ['0', '0'], secondsPerLiquidityCumulativeX128s: ['0', ((250n << 128n) / 10n).toString()] });
    expect(r.apply({ type: 'observe', time: 1250, secondsAgos: [251] }, 5)).toMatchObject({ revert: 'OLD' });
    expect(r.apply({ type: 'snapshotCumulativesInside', time: 1250, tickLower: -120, tickUpper: 60 }, 6)).toMatchObject({ revert: '' });
  });
});
