import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { realReplayCommand } from './realReplay.ts';

const E30 = '/work/shared/data/uniswap_v3/ethereum_usdc_weth_030_0x8ad5_2024-01-05.pool_events.csv';
const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-replay-real-stale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ error?: string }> {
  const spyOut = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await yargs(args).command(realReplayCommand).strict().fail((msg, err) => {
      throw err ?? new Error(msg);
    }).parseAsync();
    return {};
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    spyOut.mockRestore();
    spyErr.mockRestore();
  }
}

describe.skipIf(!existsSync(E30))('replay-real outputs', () => {
  // the first 40 rows of the real 0.3 % pool file: swaps and a mint, enough to replay
  const events = path.join(dir, 'e30.csv');
  if (existsSync(E30)) writeFileSync(events, readFileSync(E30, 'utf8').split('\n').slice(0, 41).join('\n') + '\n');

  it('behavior: a run without --csv removes the OUT.csv an earlier --csv run left, so it cannot pass for this run\'s', async () => {
    const out = path.join(dir, 'st.json');
    expect(await cli(['replay-real', '--events', events, '--fee', '3000', '--out', out, '--csv'])).toEqual({});
    expect(existsSync(path.join(dir, 'st.csv'))).toBe(true);
    expect(await cli(['replay-real', '--events', events, '--fee', '500', '--out', out])).toEqual({});
    expect(existsSync(path.join(dir, 'st.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.fee).toBe(500);
  });

  it('behavior: never removes the file it reads, even when that is OUT.csv', async () => {
    const sub = mkdtempSync(path.join(dir, 'in-'));
    const input = path.join(sub, 'r.csv');
    writeFileSync(input, readFileSync(events));
    expect(await cli(['replay-real', '--events', input, '--fee', '3000', '--out', path.join(sub, 'r.json')])).toEqual({});
    expect(readFileSync(input, 'utf8')).toBe(readFileSync(events, 'utf8'));
  });

  it('error: a negative anchor liquidity is refused naming file, line and column; no output is left', async () => {
    const bad = path.join(dir, 'neg.csv');
    const lines = readFileSync(events, 'utf8').split('\n');
    const f = lines[1]!.split(',');
    f[10] = '-5';
    lines[1] = f.join(',');
    writeFileSync(bad, lines.join('\n'));
    const out = path.join(dir, 'neg.json');
    writeFileSync(out, 'old');
    const r = await cli(['replay-real', '--events', bad, '--fee', '3000', '--reanchor', '--out', out]);
    expect(r.error).toBe(`${bad}:2: total_liquidity: must be a uint128 (the pool's in-range liquidity, 0 ≤ L < 2^128); was -5`);
    expect(existsSync(out)).toBe(false);
  });
});
