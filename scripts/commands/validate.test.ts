import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../testing/runCliInProcess.ts';

const FIXTURE = path.resolve(process.cwd(), 'sim/replay/validate/fixtures/usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
const SHARED = path.resolve(process.cwd(), '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
const haveShared = existsSync(SHARED);
if (!haveShared) console.warn(`skipping the validate CLI run on the full day: ${SHARED} not found (it lives beside the checkout in ../shared)`);
const OWNER_A = '0x51c72848c68a965f66fa7a88855f9f7784502a7f';

const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-validate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCliInProcess;

describe('ammsim validate', () => {
  it('behavior: --all prints a line per position and the summary, writes --out, exits 0', async () => {
    const outFile = path.join(dir, 'v.json');
    const r = await cli(['validate', '--events', FIXTURE, '--all', '--out', outFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('exact   0x51c7…2a7f 199060:199070 @18937605.36-18937605.45  sim 0/9310819033755596  actual 0/9310819033755596  err 0  swaps in range 1');
    expect(lines[3]).toBe('3/3 within 0.1 %; 3 exact; median error 0, worst 0');
    const json = JSON.parse(readFileSync(outFile, 'utf8')) as { positions: Array<{ simulated: unknown; mapUncertainSwaps: number }> };
    expect(json.positions[0]!.simulated).toEqual({ fees0: '0', fees1: '9310819033755596' });
    expect(json.positions[0]!.mapUncertainSwaps).toBe(0);
  });

  it('behavior: --position (repeatable) and --json print the result JSON', async () => {
    const r = await cli(['validate', '--events', FIXTURE, '--position', `${OWNER_A}:199060:199070@18937605.36-18937605.45`, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { summary: { positions: number; exact: number } };
    expect(json.summary).toMatchObject({ positions: 1, exact: 1 });
  });

  it('error: exit 1 when a position is outside --tol (a collect tampered by one wei on a zero actual)', async () => {
    const text = readFileSync(FIXTURE, 'utf8').replace(/(18938311,[^\n]*,COLLECT,[^\n]*?0xc36442b4a4522e871399cd717abdd847ab11fe88,0xc36442b4a4522e871399cd717abdd847ab11fe88,)0,/, '$11,');
    const f = path.join(dir, 'tampered.csv');
    writeFileSync(f, text);
    const r = await cli(['validate', '--events', f, '--all']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^OUT {5}0xc364…fe88 199070:199080 .* err 100 %/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2/3 within 0.1 %; 2 exact; median error 0, worst 100 % (0xc36442b4a4522e871399cd717abdd847ab11fe88:199070:199080@18937810.361-18938311.226)');
  });

  it('error: one-line messages naming the flag', async () => {
    expect((await cli(['validate', '--events', FIXTURE])).stderr).toBe('error: --position: choose the positions one way: --position OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG] (repeatable), --positions FILE.json, or --all\n');
    expect((await cli(['validate', '--events', FIXTURE, '--all', '--tol', '-1'])).stderr).toBe('error: --tol: must be a relative error ≥ 0 (1e-3 = 0.1 %); was -1\n');
    expect((await cli(['validate', '--events', FIXTURE, '--position', 'nope'])).stderr).toMatch(/^error: --position: must be OWNER:TICKLOWER:TICKUPPER/);
    expect((await cli(['validate', '--events', path.join(dir, 'missing.csv'), '--all'])).stderr).toMatch(/^error: .*missing\.csv: cannot read the events file/);
    expect((await cli(['validate', '--events', FIXTURE, '--all', '--out', FIXTURE])).stderr).toMatch(/^error: --out: must differ from the files this run reads: it is /);
  });
});

describe('ammsim validate: a numeric flag is reported as typed', () => {
  const stderr = async (...args: string[]) => (await cli(['validate', '--events', FIXTURE, '--all', ...args])).stderr;
  const FEE = 'error: --fee: must be the fee tier in hundredths of a bip (500 = 0.05 %) or a fraction (0.0005); was';
  const TOL = 'error: --tol: must be a relative error ≥ 0 (1e-3 = 0.1 %); was';
  it('error: text that is not a number is quoted (never "was NaN")', async () => {
    expect(await stderr('--fee', 'abc')).toBe(`${FEE} "abc"\n`);
    expect(await stderr('--fee', '500abc')).toBe(`${FEE} "500abc"\n`);
    expect(await stderr('--tol', 'abc')).toBe(`${TOL} "abc"\n`);
    expect(await stderr('--tol', '1e-3x')).toBe(`${TOL} "1e-3x"\n`);
    expect(await stderr('--tol', 'Infinity')).toBe(`${TOL} "Infinity"\n`);
  });
  it('error: an empty value or a flag without one is refused, not read as 0 (every fee wrong) or dropped (the default used)', async () => {
    expect(await stderr('--fee=')).toBe(`${FEE} ""\n`);
    expect(await stderr('--tol=')).toBe(`${TOL} ""\n`);
    expect(await stderr('--fee')).toBe(`${FEE} ""\n`);
    expect(await stderr('--tol')).toBe(`${TOL} ""\n`);
  });
  it('behavior: numbers still read as before, and a number out of range is shown as the number', async () => {
    for (const fee of ['500', '0.0005', '5e2']) {
      const r = await cli(['validate', '--events', FIXTURE, '--all', '--fee', fee, '--tol', '1e-3']);
      expect([r.code, r.stderr, r.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, '', '3/3 within 0.1 %; 3 exact; median error 0, worst 0']);
    }
    expect(await stderr('--fee', '-5')).toBe(`${FEE} -5\n`);
    expect(await stderr('--tol', '-1')).toBe(`${TOL} -1\n`);
  });
  it('error: an empty --positions or a bare --position is refused by name (not "cannot read : no such file", not "choose the positions one way")', async () => {
    expect((await cli(['validate', '--events', FIXTURE, '--positions', ''])).stderr).toBe('error: --positions: must be a file path\n');
    expect((await cli(['validate', '--events', FIXTURE, '--position'])).stderr).toBe('error: --position: needs a value: OWNER:TICKLOWER:TICKUPPER[@MINTBLOCK.LOG-BURNBLOCK.LOG]\n');
  });
  it('error: a wrong tier given as a fraction names the fee as typed, and in hundredths of a bip', async () => {
    expect(await stderr('--fee', '0.003')).toMatch(/tick spacing 60; is --fee 0\.003 \(3000\) the pool's fee tier\?\n$/);
    expect(await stderr('--fee', '3000')).toMatch(/tick spacing 60; is --fee 3000 the pool's fee tier\?\n$/);
  });
});

describe('ammsim validate: wrong tier, repeated flags, failed runs', () => {
  it('error: a --fee whose tick spacing the MINT/BURN rows are off names file, line and field, and removes a stale --out', async () => {
    const out = path.join(dir, 'stale-validate.json');
    writeFileSync(out, '{}');
    const r = await cli(['validate', '--events', FIXTURE, '--all', '--fee', '3000', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${FIXTURE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: tick_(lower|upper): -?\\d+ is not a multiple of the tick spacing 60; is --fee 3000 the pool's fee tier\\?\n$`));
    expect(existsSync(out)).toBe(false);
  });
  it('error: a flag given twice is refused naming the flag (never written to a file named "a,b")', async () => {
    const a = path.join(dir, 'twice-a.json');
    const b = path.join(dir, 'twice-b.json');
    const r = await cli(['validate', '--events', FIXTURE, '--all', '--out', a, '--out', b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --out: given 2 times (${JSON.stringify(a)}, ${JSON.stringify(b)}); give it once\n`);
    expect((await cli(['validate', '--events', FIXTURE, '--events', FIXTURE, '--all'])).stderr).toMatch(/^error: --events: given 2 times/);
    expect(existsSync(`${a},${b}`)).toBe(false);
  });
});

describe.skipIf(!haveShared)('ammsim validate --all on the whole 0x88e6 day — skipped when ../shared/data is absent', () => {
  it('acceptance: 36/36 positions exact', async () => {
    const r = await cli(['validate', '--events', SHARED, '--all']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('36/36 within 0.1 %; 36 exact; median error 0, worst 0');
  });
});
