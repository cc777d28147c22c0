import { describe, expect, it } from 'vitest';
import { parsePoolEventsCsv } from './poolEvents.ts';

const HEAD = 'block_number,block_timestamp,tx_type,transaction_hash,tx_index,log_index,sender,receipt,amount0,amount1,total_liquidity,total_liquidity_delta,sqrtPriceX96,current_tick,tick_lower,tick_upper,liquidity';
// Rows transcribed from ../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv (lines 184–186), reordered.
const SWAP = '18937605,2024-01-05 00:44:59,SWAP,0xabc,5,40,0xS,0xR,-43521620610,19214782200000000000,401697640259903404485,0,1664319420366080200272801648600413,199061.0,,,';
const MINT = '18937605,2024-01-05 00:44:59,MINT,0xdef,4,36,0x51C72848c68a965f66fa7a88855f9f7784502a7f,,7589502067301,738908802009978532321,401697640259903404485,389297572651811471360,1664315632465534182883962852669835,199061.0,199060.0,199070.0,389297572651811471360';

describe('parsePoolEventsCsv', () => {
  it('behavior: parses amounts and prices straight to bigint, ticks written as floats, sorts by (block, log index)', () => {
    const rows = parsePoolEventsCsv(`${HEAD}\n${SWAP}\n${MINT}\n`, 'f.csv');
    expect(rows.map((r) => r.kind)).toEqual(['MINT', 'SWAP']);
    const [m, s] = rows as [(typeof rows)[0], (typeof rows)[0]];
    expect(m.liquidity).toBe(389297572651811471360n);
    expect(m.tickLower).toBe(199060);
    expect(m.owner).toBe('0x51c72848c68a965f66fa7a88855f9f7784502a7f');
    expect(m.line).toBe(3);
    expect(s.amount0).toBe(-43521620610n);
    expect(s.amount1).toBe(19214782200000000000n);
    expect(s.sqrtPriceX96).toBe(1664319420366080200272801648600413n);
    expect(s.tick).toBe(199061);
    expect(s.timestampSec).toBe(Date.UTC(2024, 0, 5, 0, 44, 59) / 1000);
  });
  it('error: a missing column, a bad amount and a bad type name file, line and field', () => {
    expect(() => parsePoolEventsCsv('block_number,tx_type\n1,SWAP\n', 'f.csv')).toThrow('f.csv:1: block_timestamp: column is required');
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP.replace('-43521620610', '-4.5e10')}\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:2: amount0: must be an integer; was "-4.5e10"]`);
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP.replace('SWAP', 'FLASH')}\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:2: tx_type: must be SWAP, MINT, BURN or COLLECT; was "FLASH"]`);
    expect(() => parsePoolEventsCsv(`${HEAD}\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:2: rows: must have at least one event row; found none]`);
  });
  it('error: an impossible date (rolled over by Date.UTC) names file, line and field', () => {
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP.replace('2024-01-05', '2024-02-30')}\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:2: block_timestamp: must be "YYYY-MM-DD HH:MM:SS" (UTC), a real date and time; was "2024-02-30 00:44:59"]`);
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP.replace('00:44:59', '24:44:59')}\n`, 'f.csv')).toThrow('f.csv:2: block_timestamp: must be "YYYY-MM-DD HH:MM:SS" (UTC), a real date and time; was "2024-01-05 24:44:59"');
    expect(parsePoolEventsCsv(`${HEAD}\n${SWAP.replace('2024-01-05', '2024-02-29')}\n`, 'f.csv')[0]!.timestampSec).toBe(Date.UTC(2024, 1, 29, 0, 44, 59) / 1000);
  });
  it('error: the same event twice (block and log index repeated) is refused at its second line, not replayed twice', () => {
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP}\n${MINT}\n${SWAP}\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:4: log_index: must not repeat within a block: block 18937605 log 40 is also on line 2 (the same event twice would be replayed twice)]`);
  });
  it('error: a MINT or BURN row without its owner (sender) names file, line and field; a SWAP needs none', () => {
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP}\n${MINT.replace('0x51C72848c68a965f66fa7a88855f9f7784502a7f', '')}\n`, 'f.csv')).toThrow("f.csv:3: sender: must be the position's owner on a MINT row; is empty");
    const noSender = (line: string): string => line.split(',').filter((_, i) => i !== 6).join(',');
    expect(() => parsePoolEventsCsv(`${noSender(HEAD)}\n${noSender(MINT)}\n`, 'f.csv')).toThrow("f.csv:2: sender: a MINT row needs the position's owner, and the header has no sender column");
    expect(parsePoolEventsCsv(`${noSender(HEAD)}\n${noSender(SWAP)}\n`, 'f.csv')[0]!.owner).toBe('');
  });
  it('error: a row with more or fewer fields than the header (a shifted column) names its line', () => {
    expect(() => parsePoolEventsCsv(`${HEAD}\n${SWAP},x\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:2: row: must have 17 fields like the header; has 18]`);
    expect(() => parsePoolEventsCsv(`${HEAD}\n${MINT}\n${SWAP.split(',').slice(0, 5).join(',')}\n`, 'f.csv')).toThrowErrorMatchingInlineSnapshot(`[InputError: f.csv:3: log_index: must be present (the header has 17 fields); the row has 5]`);
  });
});
