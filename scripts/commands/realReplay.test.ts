import { spawnSync } from 'node:child_process';
import { interruptWhenRemoved } from '../testing/interruptWhenRemoved.ts';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { amountsHint, feePipsOf, realReplayCommand } from './realReplay.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-replay-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command module alone through yargs, capturing stdout and the thrown error. */
async function cli(args: string[]): Promise<{ stdout: string; stderr: string; error?: string }> {
  let stdout = '';
  let stderr = '';
  const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    await yargs(args).command(realReplayCommand).strict().fail((msg, err) => {
      throw err ?? new Error(msg);
    }).parseAsync();
    return { stdout, stderr };
  } catch (err) {
    return { stdout, stderr, error: (err as Error).message };
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
}

describe('replay-real flags', () => {
  it('behavior: --fee takes hundredths of a bip or a fraction', () => {
    expect(feePipsOf(500)).toBe(500);
    expect(feePipsOf(0.003)).toBe(3000);
    expect(() => feePipsOf(1_000_000)).toThrow('--fee: must be an integer number of hundredths of a bip below 1,000,000');
  });
  it('behavior: few exact swaps point at the fee tier only when re-anchored (free-running drifts whatever the fee)', () => {
    const exact = (amountOut: number) => ({ sqrtPriceX96: 0, sqrtPriceX96EitherReading: 0, tick: 0, liquidity: 0, amountOut, asExactInput: 0, asExactOutput: 0, ambiguous: 0, unmatched: 0 });
    expect(amountsHint({ mode: 'reanchor', swaps: 266, exact: exact(0) }, 500)).toBe("warning: only 0.0 % of swaps reproduce the logged amounts from the logged state; is --fee 500 the pool's fee tier?");
    expect(amountsHint({ mode: 'free-running', swaps: 6045, exact: exact(0.021) }, 500)).toBe(
      'note: only 2.1 % of swaps reproduce the logged amounts free-running, where errors compound; --reanchor replays each swap from the logged state (and shows a wrong --fee as few exact swaps)',
    );
    expect(amountsHint({ mode: 'reanchor', swaps: 266, exact: exact(0.1) }, 3000)).toBeUndefined();
    expect(amountsHint({ mode: 'reanchor', swaps: 20, exact: exact(0) }, 3000)).toBeUndefined();
  });
  it('error: a missing events file is one --events line and leaves no output', async () => {
    const out = path.join(dir, 'none.json');
    const r = await cli(['replay-real', '--events', path.join(dir, 'nope.csv'), '--out', out]);
    expect(r.error).toBe(`--events: cannot read ${path.join(dir, 'nope.csv')}: no such file`);
    expect(existsSync(out)).toBe(false);
  });
  it('error: a bad row fails the run and removes a stale --out', async () => {
    const ev = path.join(dir, 'bad.csv');
    writeFileSync(ev, 'block_number,block_timestamp,tx_type,log_index,amount0,amount1,total_liquidity,sqrtPriceX96,current_tick,tick_lower,tick_upper,liquidity\n1,2024-01-05 00:00:00,SWAP,1,x,1,1,1,1,,,\n');
    const out = path.join(dir, 'stale.json');
    writeFileSync(out, '{}');
    const r = await cli(['replay-real', '--events', ev, '--out', out]);
    expect(r.error).toBe(`${ev}:2: amount0: must be an integer; was "x"`);
    expect(existsSync(out)).toBe(false);
  });
  it('error: a fraction --fee that is not a whole number of hundredths of a bip is refused, not rounded (0.0000001 is not fee 0)', () => {
    expect(feePipsOf(0.000001)).toBe(1);
    expect(feePipsOf(0.0005)).toBe(500);
    expect(() => feePipsOf(0.0000001)).toThrow('--fee: must be a whole number of hundredths of a bip (0.0005 = 500); was 0.0000001 (0.1 hundredths of a bip)');
    expect(() => feePipsOf(0.00012345)).toThrow('--fee: must be a whole number of hundredths of a bip (0.0005 = 500); was 0.00012345 (123.45 hundredths of a bip)');
    expect(() => feePipsOf(Number.NaN)).toThrow('--fee: must be the fee tier in hundredths of a bip (500 = 0.05 %) or a fraction (0.0005); was NaN');
  });
  it('error: a MINT/BURN row off the tick spacing names the file, line and field and the flag to check, and leaves no output', async () => {
    const ev = path.join(dir, 'offspacing.csv');
    writeFileSync(
      ev,
      'block_number,block_timestamp,tx_type,log_index,sender,amount0,amount1,total_liquidity,sqrtPriceX96,current_tick,tick_lower,tick_upper,liquidity\n' +
        '1,2024-01-05 00:00:00,SWAP,1,0xa,-100,1,1000000,79228162514264337593543950336,0,,,\n' +
        '2,2024-01-05 00:01:00,MINT,1,0xa,1,1,1000000,79228162514264337593543950336,0,-30,60,1000\n',
    );
    const out = path.join(dir, 'offspacing.json');
    writeFileSync(out, '{}');
    const r = await cli(['replay-real', '--events', ev, '--fee', '3000', '--out', out]);
    expect(r.error).toBe(`${ev}:3: tick_lower: -30 is not a multiple of the tick spacing 60; is --fee 3000 the pool's fee tier (--tick-spacing sets the spacing)?`);
    expect(existsSync(out)).toBe(false);
    const ts = await cli(['replay-real', '--events', ev, '--fee', '3000', '--tick-spacing', '7', '--out', out]);
    expect(ts.error).toBe(`${ev}:3: tick_lower: -30 is not a multiple of the tick spacing 7; is --tick-spacing 7 the pool's?`);
  });
});

describe('replay-real --help', () => {
  it('behavior: the usage line shows --out as optional (it has a default) and every flag is listed', () => {
    // Spawned: yargs exits the process after printing help.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'replay-real', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ammsim replay-real --events FILE.csv [--fee 500] [--reanchor] [--out OUT.json] [--csv]');
    for (const s of ['--events', '--fee', '--tick-spacing', '--reanchor', '--from', '--to', '--out', '[default: "out/replay-real.json"]', '--csv']) expect(r.stdout).toContain(s);
  });
});

const F8A = path.resolve(process.cwd(), '../shared/data/uniswap_v3/ethereum_usdc_weth_030_0x8ad5_2024-01-05.pool_events.csv');
describe.skipIf(!existsSync(F8A))('replay-real on the real 0x8ad5 file — skipped: ../shared/data/uniswap_v3 pool-events file absent', () => {
  it('behavior: writes the summary JSON and the per-swap CSV; stdout shows the table', async () => {
    const out = path.join(dir, 'r.json');
    const r = await cli(['replay-real', '--events', F8A, '--fee', '3000', '--reanchor', '--out', out, '--csv']);
    expect(r.error).toBeUndefined();
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.summary.mode).toBe('reanchor');
    expect(j.summary.swaps).toBe(266);
    expect(j.summary.exact.sqrtPriceX96).toBeGreaterThanOrEqual(0.8);
    expect(readFileSync(path.join(dir, 'r.csv'), 'utf8').trim().split('\n')).toHaveLength(267);
    expect(r.stdout).toContain('sqrtPriceX96 exact');
  });
  it('behavior: the right fee tier free-running gets no fee warning; a wrong one re-anchored does', async () => {
    const free = await cli(['replay-real', '--events', F8A, '--fee', '3000', '--out', path.join(dir, 'free.json')]);
    expect(free.error).toBeUndefined();
    expect(free.stderr).not.toContain('fee tier');
    expect(free.stderr).toContain('note: only 6.8 % of swaps reproduce the logged amounts free-running');
    const wrong = await cli(['replay-real', '--events', F8A, '--fee', '500', '--reanchor', '--out', path.join(dir, 'wrong.json')]);
    expect(wrong.stderr).toContain("warning: only 0.0 % of swaps reproduce the logged amounts from the logged state; is --fee 500 the pool's fee tier?");
    const right = await cli(['replay-real', '--events', F8A, '--fee', '3000', '--reanchor', '--out', path.join(dir, 'right.json')]);
    expect(right.stderr).toBe('');
  });
  it('behavior: --from/--to select a window', async () => {
    const out = path.join(dir, 'w.json');
    const r = await cli(['replay-real', '--events', F8A, '--fee', '0.003', '--from', '2024-01-05 12:00', '--to', '2024-01-05 18:00', '--out', out]);
    expect(r.error).toBeUndefined();
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.summary.swaps).toBeGreaterThan(0);
    expect(j.summary.swaps).toBeLessThan(266);
    expect(j.summary.anchor.timestampSec).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 12) / 1000);
  });
  it('error: with --csv, a folder where OUT.csv goes is refused before the replay, naming --csv', async () => {
    mkdirSync(path.join(dir, 'taken.csv'), { recursive: true });
    const r = await cli(['replay-real', '--events', F8A, '--fee', '0.003', '--csv', '--out', path.join(dir, 'taken.json')]);
    expect(r.error).toBe(`--csv: must be a file; ${JSON.stringify(path.join(dir, 'taken.csv'))} is an existing folder`);
    expect(existsSync(path.join(dir, 'taken.json'))).toBe(false);
  });
  it('error: a window with no SWAP row names the flag, the file and the swaps\' own span', async () => {
    const r = await cli(['replay-real', '--events', F8A, '--fee', '0.003', '--from', '2030-01-01', '--out', path.join(dir, 'none.json')]);
    expect(r.error).toBe(`--from: no SWAP row of ${F8A} lies in the window (--from 2030-01-01 --to …), so nothing anchors the pool; its swaps run from 2024-01-05T00:33:23Z to 2024-01-05T23:49:35Z`);
  });
  it('behavior: a bare --to date keeps that whole day, as backtest\'s --to does (it meant the day\'s first second)', async () => {
    const whole = path.join(dir, 'day.json');
    const all = path.join(dir, 'all.json');
    expect((await cli(['replay-real', '--events', F8A, '--fee', '0.003', '--from', '2024-01-05', '--to', '2024-01-05', '--out', whole])).error).toBeUndefined();
    expect((await cli(['replay-real', '--events', F8A, '--fee', '0.003', '--out', all])).error).toBeUndefined();
    const day = JSON.parse(readFileSync(whole, 'utf8'));
    expect(day.summary.swaps).toBe(JSON.parse(readFileSync(all, 'utf8')).summary.swaps); // the file is that one day
  });
});

const F88E6 = path.resolve(process.cwd(), '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
describe.skipIf(!existsSync(F88E6))('replay-real interrupted — skipped: ../shared/data/uniswap_v3 pool-events file absent', () => {
  it('behavior: a previous run\'s OUT and OUT.csv are removed before the replay starts, so Ctrl-C leaves neither (status 130)', async () => {
    const out = path.join(dir, 'int.json');
    const csv = path.join(dir, 'int.csv');
    writeFileSync(out, '{"stale": true}\n');
    writeFileSync(csv, 'stale\n');
    // the signal is sent once the old OUT is gone, while the day's 6,045 swaps replay
    const { sawRemoved, signal } = await interruptWhenRemoved(['replay-real', '--events', F88E6, '--out', out, '--csv'], out);
    expect(sawRemoved, 'the previous OUT stayed while the replay ran').toBe(true);
    expect(signal).toBe('SIGINT');
    expect([existsSync(out), existsSync(csv)]).toEqual([false, false]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
