import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePositionsFile, validate } from './validate.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../sim/replay/validate/fixtures/usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
const OWNER_A = '0x51c72848c68a965f66fa7a88855f9f7784502a7f';
const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validate (runs/)', () => {
  it('behavior: --all on the fixture — every life within tol, fees as raw decimal strings, summary counts', async () => {
    const r = await validate({ events: FIXTURE, all: true });
    expect(r.fee).toBe(500);
    expect(r.tickSpacing).toBe(10);
    expect(r.tol).toBe(1e-3);
    expect(r.positions).toHaveLength(3);
    const a = r.positions[0]!;
    expect(a.simulated).toEqual({ fees0: '0', fees1: '9310819033755596' });
    expect(a.actual).toEqual(a.simulated);
    expect(a.relError).toEqual({ fees0: 0, fees1: 0 });
    expect(a.mint).toEqual({ block: 18937605, logIndex: 36 });
    expect(a.collect).toEqual({ block: 18937605, logIndex: 48 });
    expect(r.summary).toEqual({ positions: 3, compared: 3, withinTol: 3, exact: 3, medianError: 0, worstError: 0, worstId: null });
  });

  it('behavior: a --positions file gives events, fee and positions; liquidity picks among lives', async () => {
    const f = path.join(dir, 'p.json');
    writeFileSync(f, JSON.stringify({ events: FIXTURE, fee: 500, positions: [{ id: 'jit-a', owner: OWNER_A, tickLower: 199060, tickUpper: 199070, liquidity: '389297572651811471360', mint: { block: 18937605, logIndex: 36 }, burn: { block: 18937605, logIndex: 45 } }] }));
    const r = await validate({ positionsFile: f });
    expect(r.positions.map((p) => [p.id, p.exact])).toEqual([['jit-a', true]]);
    // A relative events path is relative to the positions file's folder.
    const g = path.join(dir, 'rel.json');
    writeFileSync(g, JSON.stringify({ events: path.relative(dir, FIXTURE), positions: [{ owner: OWNER_A, tickLower: 199060, tickUpper: 199070 }] }));
    expect((await validate({ positionsFile: g })).events).toBe(FIXTURE);
  });

  it('behavior: relative error is |sim − actual| / max(actual, 1): a tampered collect moves it, and 1 wei on a zero actual is 100 %', async () => {
    // The chain's collect rows, changed: A's token1 collect +1000 wei, C's token0 collect +1 wei.
    const text = readFileSync(FIXTURE, 'utf8')
      .replace(',757530440077489724884,', ',757530440077489725884,')
      .replace(/(18938311,[^\n]*,COLLECT,[^\n]*?0xc36442b4a4522e871399cd717abdd847ab11fe88,0xc36442b4a4522e871399cd717abdd847ab11fe88,)0,/, '$11,');
    const f = path.join(dir, 'tampered.csv');
    writeFileSync(f, text);
    const r = await validate({ events: f, all: true });
    const [a, , c] = r.positions;
    expect(a!.actual!.fees1).toBe('9310819033756596');
    expect(a!.relError!.fees1).toBeCloseTo(1000 / 9310819033756596, 15);
    expect(a!.withinTol).toBe(true);
    expect(a!.exact).toBe(false);
    expect(c!.actual).toEqual({ fees0: '1', fees1: '0' });
    expect(c!.relError).toEqual({ fees0: 1, fees1: 0 });
    expect(c!.withinTol).toBe(false);
    expect(r.summary).toMatchObject({ compared: 3, withinTol: 2, exact: 1, worstError: 1, worstId: c!.id });
  });

  it('error: one way of choosing positions; bad positions files name the file and field', async () => {
    await expect(validate({ events: FIXTURE })).rejects.toThrow(/^--position: choose the positions one way/);
    await expect(validate({ events: FIXTURE, all: true, positions: [{ owner: OWNER_A, tickLower: 1, tickUpper: 2 }] })).rejects.toThrow(/one way/);
    await expect(validate({ all: true })).rejects.toThrow(/^--events: give the pool-events CSV/);
    await expect(validate({ events: FIXTURE, all: true, tol: -1 })).rejects.toThrow(/^--tol: must be a relative error ≥ 0/);
    await expect(validate({ positionsFile: path.join(dir, 'nope.json') })).rejects.toThrow(/^--positions: cannot read .*: no such file/);
    expect(() => parsePositionsFile('{', 'p.json')).toThrow(/^p\.json: is not valid JSON/);
    expect(() => parsePositionsFile('{"positions": []}', 'p.json')).toThrow('p.json: positions: must be a non-empty array');
    expect(() => parsePositionsFile(JSON.stringify({ positions: [{ owner: OWNER_A, tickLower: 1, tickUpper: 2, liquidity: 5 }] }), 'p.json')).toThrow('p.json: positions[0].liquidity: must be a decimal string (raw uint128); was 5');
    expect(() => parsePositionsFile(JSON.stringify({ positions: [{ owner: OWNER_A, tickLower: 1, tickUpper: 2, mint: { block: 1, logIndex: 2 } }] }), 'p.json')).toThrow('p.json: positions[0].burn: give both mint and burn, or neither');
    // a key outside the vocabulary is refused (a typo was ignored, and the life chosen without it)
    expect(() => parsePositionsFile(JSON.stringify({ positions: [{ owner: OWNER_A, tickLower: 1, tickUpper: 2, liqudity: '5' }] }), 'p.json')).toThrow('p.json: positions[0].liqudity: is not a key here (keys: id, owner, tickLower, tickUpper, liquidity, mint, burn); did you mean "liquidity"?');
    expect(() => parsePositionsFile(JSON.stringify({ tol: 0, positions: [{ owner: OWNER_A, tickLower: 1, tickUpper: 2 }] }), 'p.json')).toThrow('p.json: tol: is not a key here (keys: events, fee, positions)');
    expect(() => parsePositionsFile(JSON.stringify({ positions: [{ owner: OWNER_A, tickLower: 1, tickUpper: 2, mint: { block: 1, logIndex: 2, tx: 'x' }, burn: { block: 2, logIndex: 1 } }] }), 'p.json')).toThrow('p.json: positions[0].mint.tx: is not a key here (keys: block, logIndex)');
  });
});
