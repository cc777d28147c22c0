import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { createV2Replayer } from './v2Replay.ts';

// Ground truth: the deployed UniswapV2Pair bytecode's results (../shared/oracle/README.md). Never copied here.
const ORACLE_V2 = path.resolve(process.cwd(), '../shared/oracle/v2');
const haveOracle = existsSync(ORACLE_V2);
if (!haveOracle) console.warn(`skipping the v2 oracle replay: ${ORACLE_V2} not found (it lives beside the checkout in ../shared)`);

describe.skipIf(!haveOracle)('v2 replay against the contract oracle (../shared/oracle/v2)', () => {
  const files = haveOracle ? readdirSync(ORACLE_V2).filter((f) => f.endsWith('.jsonl')).sort() : [];

  it('behavior: the oracle folder holds the 20 v2 scenarios', () => {
    expect(files.length).toBe(20);
  });

  it.each(files)('behavior: every line of %s replays to exactly the expected object', (file) => {
    const replayer = createV2Replayer({ file });
    const lines = readFileSync(path.join(ORACLE_V2, file), 'utf8').split('\n');
    let cases = 0;
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      const { event, expect: expected } = JSON.parse(text) as { event: Record<string, unknown>; expect: Record<string, unknown> };
      const actual = replayer.apply(event, i + 1);
      // Same keys in the same order, same strings: compare the serialised form, with the line in the message.
      expect(JSON.stringify(actual), `${file}:${i + 1}`).toBe(JSON.stringify(expected));
      cases++;
    });
    expect(cases).toBeGreaterThan(0);
  });
});

describe('v2 replay events', () => {
  function run(events: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
    const r = createV2Replayer({ file: 'test.jsonl' });
    return events.map((e, i) => r.apply(e, i + 1));
  }

  it('behavior: the v2-core feeTo:on scenario as events (1000e18 each, 1e18 swap, burn)', () => {
    // Expected totals from v2-core test/UniswapV2Pair.spec.ts 'feeTo:on'.
    const out = run([
      { type: 'initialize', feeOn: true },
      { type: 'mint', owner: 'w', amount0: '1000000000000000000000', amount1: '1000000000000000000000' },
      { type: 'swap', zeroForOne: false, amountIn: '1000000000000000000' },
      { type: 'burn', owner: 'w', liquidity: '999999999999999999000' },
    ]);
    expect(out[2]).toMatchObject({ amountIn: '1000000000000000000', amountOut: '996006981039903216' });
    expect(out[3]).toMatchObject({
      balance: '0',
      state: { reserve0: '249501683698445', reserve1: '250000187313969', totalSupply: '249750499252388', feeToBalance: '249750499251388' },
    });
  });

  it('behavior: reverts are results with the reason and the unchanged state; swaps report both amounts', () => {
    const out = run([
      { type: 'initialize' },
      { type: 'mint', owner: 'a', amount0: '10', amount1: '10' },
      { type: 'mint', owner: 'a', amount0: 1000000, amount1: 1000000 },
      { type: 'swap', zeroForOne: true, amountOut: '1000000' },
      { type: 'swapRaw', amount0In: '0', amount1In: '0', amount0Out: '0', amount1Out: '0' },
    ]);
    const state = { reserve0: '1000000', reserve1: '1000000', totalSupply: '1000000', kLast: '0', feeToBalance: '0' };
    expect(out[1]).toEqual({ revert: 'ds-math-sub-underflow', state: { reserve0: '0', reserve1: '0', totalSupply: '0', kLast: '0', feeToBalance: '0' } });
    expect(out[3]).toEqual({ amountIn: '0', amountOut: '1000000', revert: 'UniswapV2: INSUFFICIENT_LIQUIDITY', state });
    expect(out[4]).toEqual({ revert: 'UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT', state });
  });

  it('behavior: a fee other than 3000 pips can be set on initialize (ammsim extension)', () => {
    const out = run([
      { type: 'initialize', fee: 0 },
      { type: 'mint', owner: 'a', amount0: '1000000', amount1: '1000000' },
      { type: 'swap', zeroForOne: true, amountIn: '1000000' },
    ]);
    expect(out[2]).toMatchObject({ amountOut: '500000' }); // ⌊1e6·1e6 / 2e6⌋ with no fee
  });

  it('error: malformed events name the line and field', () => {
    const r = createV2Replayer({ file: 'in.jsonl' });
    expect(() => r.apply({ type: 'mint', owner: 'a', amount0: '1', amount1: '1' }, 1)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: in.jsonl:1: type: the first event must be initialize; was mint]`,
    );
    expect(() => createV2Replayer({ file: 'in.jsonl' }).apply({ type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: '1' }, 1)).toThrow(
      'in.jsonl:1: sqrtPriceX96: is not a field of a v2 initialize event (fields: type, feeOn, fee) (a v3 event: replay it with --pool v3)',
    );
    r.apply({ type: 'initialize' }, 1);
    expect(() => r.apply({ type: 'initialize' }, 2)).toThrow(/in\.jsonl:2: type: initialize must come once/);
    expect(() => r.apply({ type: 'mint', owner: 'a', amount0: '-1', amount1: '1' }, 3)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: in.jsonl:3: amount0: must be a non-negative integer (a decimal string, e.g. "1000000"); was "-1"]`,
    );
    expect(() => r.apply({ type: 'swap', zeroForOne: true, amountIn: '1', amountOut: '1' }, 4)).toThrow(/in\.jsonl:4: amountOut: a v2 swap takes exactly one/);
    expect(() => r.apply({ type: 'swap', zeroForOne: 'yes', amountIn: '1' }, 5)).toThrow(/in\.jsonl:5: zeroForOne: must be true or false/);
    expect(() => r.apply({ type: 'burn', owner: 'a', liquidity: '1', amount: '2' }, 6)).toThrow(/in\.jsonl:6: amount: is not a field of a v2 burn event/);
    expect(() => r.apply({ type: 'collect' }, 7)).toThrow(InputError);
    expect(() => r.apply({ type: 'collect' }, 7)).toThrow(/in\.jsonl:7: type: .*was "collect" \(a v3 event: replay it with --pool v3\)$/);
    expect(() => r.apply({ type: 'swapRaw', amount0In: String(2n ** 256n), amount1In: '0', amount0Out: '0', amount1Out: '1' }, 8)).toThrow(/fit in uint256/);
  });
});
