import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { feePipsOf, realReplayCommand } from './realReplay.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-replay-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command module alone through yargs, capturing stdout and the thrown error. */
async function cli(args: string[]): Promise<{ stdout: string; error?: string }> {
  let stdout = '';
  const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await yargs(args).command(realReplayCommand).strict().fail((msg, err) => {
      throw err ?? new Error(msg);
    }).parseAsync();
    return { stdout };
  } catch (err) {
    return { stdout, error: (err as Error).message };
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
  it('behavior: --from/--to select a window', async () => {
    const out = path.join(dir, 'w.json');
    const r = await cli(['replay-real', '--events', F8A, '--fee', '0.003', '--from', '2024-01-05 12:00', '--to', '2024-01-05 18:00', '--out', out]);
    expect(r.error).toBeUndefined();
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.summary.swaps).toBeGreaterThan(0);
    expect(j.summary.swaps).toBeLessThan(266);
    expect(j.summary.anchor.timestampSec).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 5, 12) / 1000);
  });
});
