import { describe, expect, it } from 'vitest';
import { parsePoolEventsCsv } from './poolEvents.ts';
import { replayRealEvents } from './replayEvents.ts';

// The real header and rows transcribed from ../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv
// (lines 184–187: MINT, SWAP, BURN, COLLECT of one just-in-time position).
const HEAD = 'block_number,block_timestamp,tx_type,transaction_hash,tx_index,log_index,sender,receipt,amount0,amount1,total_liquidity,total_liquidity_delta,sqrtPriceX96,current_tick,tick_lower,tick_upper,liquidity';
const MINT = '18937605,2024-01-05 00:44:59,MINT,0xdef,4,36,0x51c72848c68a965f66fa7a88855f9f7784502a7f,,7589502067301,738908802009978532321,401697640259903404485,389297572651811471360,1664315632465534182883962852669835,199061.0,199060.0,199070.0,389297572651811471360';
const SWAP = '18937605,2024-01-05 00:44:59,SWAP,0xabc,5,40,0xS,0xR,-43521620610,19214782200000000000,401697640259903404485,0,1664319420366080200272801648600413,199061.0,,,';
const BURN = '18937605,2024-01-05 00:44:59,BURN,0xbf5,6,45,0x51c72848c68a965f66fa7a88855f9f7784502a7f,,7547323922438,757521129258455969288,12400067608091933125,-389297572651811471360,1664319420366080200272801648600413,199061.0,199060.0,199070.0,389297572651811471360';
const COLLECT = '18937605,2024-01-05 00:44:59,COLLECT,0xbf5,6,48,0x51c72848c68a965f66fa7a88855f9f7784502a7f,0x51c72848c68a965f66fa7a88855f9f7784502a7f,7547323922438,757530440077489724884,401697640259903404485,0,1664319420366080200272801648600413,199061.0,199060.0,199070.0,';
const COLS = HEAD.split(',');

/** The four rows with column `name` of the row of kind `kind` set to `value` (lines: MINT 2, SWAP 3, BURN 4, COLLECT 5). */
function csvWith(kind: 'MINT' | 'SWAP' | 'BURN' | 'COLLECT', name: string, value: string): string {
  const rows = [MINT, SWAP, BURN, COLLECT].map((r) => {
    const f = r.split(',');
    if (f[2] === kind) f[COLS.indexOf(name)] = value;
    return f.join(',');
  });
  return `${HEAD}\n${rows.join('\n')}\n`;
}
const parse = (kind: 'MINT' | 'SWAP' | 'BURN' | 'COLLECT', name: string, value: string) => () => parsePoolEventsCsv(csvWith(kind, name, value), 'L.csv');
const lineOf = { MINT: 2, SWAP: 3, BURN: 4, COLLECT: 5 } as const;

describe('parsePoolEventsCsv: each column is checked against its event field type', () => {
  it('behavior: the unmodified rows parse, signed swap amounts included', () => {
    const rows = parsePoolEventsCsv(csvWith('SWAP', 'tx_type', 'SWAP'), 'L.csv');
    expect(rows.map((r) => r.kind)).toEqual(['MINT', 'SWAP', 'BURN', 'COLLECT']);
    expect(rows[1]!.amount0).toBe(-43521620610n);
  });

  it('error: negative values where the event field is unsigned name file, line, column and the value', () => {
    const cases: Array<['MINT' | 'SWAP' | 'BURN' | 'COLLECT', string, string, string]> = [
      ['SWAP', 'total_liquidity', '-5', 'must be a uint128'],
      ['MINT', 'total_liquidity', '-5', 'must be a uint128'],
      ['COLLECT', 'amount1', '-757530440077489724884', 'must be a uint128 (≥ 0: COLLECT amounts are unsigned'],
      ['MINT', 'amount0', '-7589502067301', 'must be a uint256 (≥ 0: MINT amounts are unsigned'],
      ['BURN', 'amount1', '-1', 'must be a uint256 (≥ 0: BURN amounts are unsigned'],
      ['MINT', 'block_number', '-18937605', 'must be an integer ≥ 0'],
      ['SWAP', 'log_index', '-40', 'must be an integer ≥ 0'],
      ['BURN', 'liquidity', '-389297572651811471360', 'must be a uint128 below 2^127 on a BURN row'],
    ];
    for (const [kind, name, value, what] of cases) {
      expect(parse(kind, name, value), `${kind} ${name}`).toThrow(`L.csv:${lineOf[kind]}: ${name}: ${what}`);
      expect(parse(kind, name, value), `${kind} ${name}`).toThrow(`; was ${value}`);
    }
  });

  it('error: a block number beyond 2^53 (it would lose precision as a number) is refused', () => {
    expect(parse('MINT', 'block_number', '9007199254740993')).toThrowErrorMatchingInlineSnapshot(`[InputError: L.csv:2: block_number: must be an integer ≥ 0 and at most 2^53 − 1 (9007199254740991); was 9007199254740993]`);
    expect(parse('MINT', 'block_number', '9007199254740991')).not.toThrow();
  });

  it('error: values too large for their type name the CSV column, not an internal name', () => {
    expect(parse('MINT', 'liquidity', '340282366920938463463374607431768211456')).toThrowErrorMatchingInlineSnapshot(`[InputError: L.csv:2: liquidity: must be a uint128 below 2^127 on a MINT row (the pool takes it as an int128 delta); was 340282366920938463463374607431768211456]`);
    expect(parse('MINT', 'liquidity', String((1n << 127n) - 1n))).not.toThrow();
    expect(parse('SWAP', 'sqrtPriceX96', String(1n << 160n))).toThrow(/^L\.csv:3: sqrtPriceX96: must be a pool price, a uint160 in \[MIN_SQRT_RATIO, MAX_SQRT_RATIO\) = .*; was 1461501637330902918203684832716283019655932542976$/);
    expect(parse('SWAP', 'sqrtPriceX96', '0')).toThrow('L.csv:3: sqrtPriceX96: must be a pool price');
    expect(parse('SWAP', 'total_liquidity', String(1n << 128n))).toThrow(`L.csv:3: total_liquidity: must be a uint128 (the pool's in-range liquidity, 0 ≤ L < 2^128); was ${1n << 128n}`);
    expect(parse('SWAP', 'amount0', String(1n << 255n))).toThrow(`L.csv:3: amount0: must be an int256 on a SWAP row; was ${1n << 255n}`);
    expect(parse('SWAP', 'amount0', String(-(1n << 255n)))).not.toThrow();
    expect(parse('COLLECT', 'amount0', String(1n << 128n))).toThrow('L.csv:5: amount0: must be a uint128');
  });

  it('error: ticks outside int24 range, and a MINT/BURN range with tick_lower ≥ tick_upper, are refused', () => {
    expect(parse('SWAP', 'current_tick', '900000.0')).toThrowErrorMatchingInlineSnapshot(`[InputError: L.csv:3: current_tick: must be a tick (int24) in [-887272, 887272]; was 900000.0]`);
    expect(parse('MINT', 'tick_lower', '-99999999999999999999')).toThrow('L.csv:2: tick_lower: must be a tick (int24) in [-887272, 887272]; was -99999999999999999999');
    expect(parse('BURN', 'tick_upper', '199060.0')).toThrowErrorMatchingInlineSnapshot(`[InputError: L.csv:4: tick_upper: must be above tick_lower (199060) on a BURN row; was 199060]`);
  });
});

describe('replayRealEvents: a logged in-range L the background position cannot hold', () => {
  it('error: names the file, line and total_liquidity instead of a bare pool revert', () => {
    const rows = parsePoolEventsCsv(`${HEAD}\n${SWAP.replace('401697640259903404485', String((1n << 128n) - 1n))}\n`, 'L.csv');
    expect(() => replayRealEvents(rows, { fee: 500, reanchor: true, file: 'L.csv' })).toThrow(/^L\.csv:2: total_liquidity: is more in-range liquidity than the replay's full-range background position can hold \(.*\); was 340282366920938463463374607431768211455$/);
  });
});
