import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePoolEventsCsv } from '../real/poolEvents.ts';
import { findAllPositions, parsePositionArg, resolvePosition } from './positions.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
const text = readFileSync(FIXTURE, 'utf8');
const rows = parsePoolEventsCsv(text, FIXTURE);
const HEAD = text.split('\n')[0]!;

const OWNER_A = '0x51c72848c68a965f66fa7a88855f9f7784502a7f';
const OWNER_B = '0xa69babef1ca67a37ffaf7a485dfff3382056e78c';
const MANAGER = '0xc36442b4a4522e871399cd717abdd847ab11fe88';

/** A synthetic row (0x88e6 layout): kind, block, log, sender, amounts, ticks, liquidity. */
function row(kind: string, block: number, log: number, sender: string, a0: bigint, a1: bigint, lo: number | '', hi: number | '', L: bigint | ''): string {
  return `${block},2024-01-05 00:00:00,${kind},0xtx${block},0,${log},${sender},,${a0},${a1},100,0,1664315632465534182883962852669835,199061.0,${lo},${hi},${L}`;
}

describe('findAllPositions', () => {
  it('behavior: finds the three lives of the fixture, pairing a helper-sent mint with its owner\'s burn', () => {
    const lives = findAllPositions(rows);
    expect(lives.map((p) => p.id)).toEqual([
      `${OWNER_A}:199060:199070@18937605.36-18937605.45`,
      `${OWNER_B}:199100:199110@18937868.2-18937868.9`,
      `${MANAGER}:199070:199080@18937810.361-18938311.226`,
    ]);
    // The second mint was sent by a helper contract (0x9a5f…), not the owner.
    expect(rows[lives[1]!.mintIndex]!.owner).toBe('0x9a5f2e0db22ff289d0cc40ef654a19a5b012d8aa');
    expect(lives.every((p) => !p.ambiguous)).toBe(true);
  });

  it('behavior: actual fees are collect − burned principal, per token (hand-computed from the CSV text)', () => {
    const [a, b, c] = findAllPositions(rows);
    // A: collect 7547323922438 / 757530440077489724884, burn 7547323922438 / 757521129258455969288.
    expect([a!.actual0, a!.actual1]).toEqual([0n, 757530440077489724884n - 757521129258455969288n]);
    // B: collect 3643498586039 / 4849696422261400738246, burn 3643498586039 / 4849680735089425492767.
    expect([b!.actual0, b!.actual1]).toEqual([0n, 15687171975245479n]);
    // C: collect 0 / 134999999999999999996 = burn: nothing earned.
    expect([c!.actual0, c!.actual1]).toEqual([0n, 0n]);
  });

  it('behavior: two open mints of the same ticks and liquidity make the life ambiguous (the latest is taken)', () => {
    const csv = [
      HEAD,
      row('MINT', 10, 1, MANAGER, 5n, 5n, 100, 110, 7n),
      row('MINT', 11, 1, MANAGER, 5n, 5n, 100, 110, 7n),
      row('SWAP', 12, 1, '0xs', 1n, -1n, '', '', ''),
      row('BURN', 13, 1, MANAGER, 4n, 6n, 100, 110, 7n),
      row('COLLECT', 13, 2, MANAGER, 5n, 6n, 100, 110, ''),
    ].join('\n');
    const r = parsePoolEventsCsv(csv, 'amb.csv');
    const [p] = findAllPositions(r);
    expect(p!.ambiguous).toBe(true);
    expect(p!.notes[0]).toMatch(/^ambiguous: 2 open mints .* took 11\.1$/);
    expect([p!.actual0, p!.actual1]).toEqual([1n, 0n]);
  });

  it('error: a collect of less than the principal leaves the actual fees unknown; a burn with no collect is no life', () => {
    const csv = [
      HEAD,
      row('MINT', 10, 1, OWNER_A, 5n, 5n, 100, 110, 7n),
      row('BURN', 13, 1, OWNER_A, 4n, 6n, 100, 110, 7n),
      row('COLLECT', 13, 2, OWNER_A, 3n, 6n, 100, 110, ''),
      row('MINT', 14, 1, OWNER_A, 5n, 5n, 200, 210, 7n),
      row('BURN', 15, 1, OWNER_A, 4n, 6n, 200, 210, 7n),
    ].join('\n');
    const lives = findAllPositions(parsePoolEventsCsv(csv, 'p.csv'));
    expect(lives).toHaveLength(1);
    expect(lives[0]!.actual0).toBeUndefined();
    expect(lives[0]!.notes.join()).toMatch(/partial collect/);
  });
});

describe('resolvePosition and parsePositionArg', () => {
  it('behavior: by owner and ticks alone, and by the rows (block.log) of its mint and burn', () => {
    const byTicks = resolvePosition(rows, parsePositionArg(`${OWNER_B}:199100:199110`), '--position');
    const byRows = resolvePosition(rows, parsePositionArg(`${OWNER_B.toUpperCase().replace('0X', '0x')}:199100:199110@18937868.2-18937868.9`), '--position');
    expect(byRows.mintIndex).toBe(byTicks.mintIndex);
    expect(byRows.burnIndex).toBe(byTicks.burnIndex);
    expect(byRows.actual1).toBe(15687171975245479n);
  });

  it('error: messages name the flag and say what is wrong', () => {
    expect(() => parsePositionArg('0x12:1:2')).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --position: must be OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG] (e.g. 0x51c7…2a7f:199060:199070@18937605.36-18937605.45); was "0x12:1:2"]`);
    expect(() => parsePositionArg(`${OWNER_A}:10:10`)).toThrow('--position: tickLower must be below tickUpper; was 10:10');
    expect(() => resolvePosition(rows, parsePositionArg(`${OWNER_A}:199060:199070@18937605.40-18937605.45`), '--position')).toThrow(/no MINT row at block 18937605, log index 40/);
    expect(() => resolvePosition(rows, parsePositionArg(`${OWNER_B}:199060:199070@18937605.36-18937605.45`), '--position')).toThrow(/is by 0x51c7.*, not 0xa69b/);
    expect(() => resolvePosition(rows, parsePositionArg(`${OWNER_A}:199000:199010`), '--position')).toThrow(/no life \(mint, burn to zero, collect\) of this owner and ticks/);
  });
});
