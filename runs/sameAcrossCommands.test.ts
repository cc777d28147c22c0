/**
 * Issue #10: a flag means the same in every command that takes it. The LP of `compare` and a one-configuration
 * `sweep` get the same fees and gas as `backtest` for the same config, with the volume fee model and a gas-price series.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MINUTE = '../shared/data/uniswap_v3/polygon_usdc_weth_005_0x45dd_minute_2024-02-15_2024-02-16.csv';
const have = existsSync(MINUTE);
const dir = mkdtempSync(join(tmpdir(), 'ammsim-same-'));

function ammsim(...args: string[]): void {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`ammsim ${args.join(' ')}: ${r.stderr}`);
}

describe.skipIf(!have)(`backtest, compare and sweep agree on --fee-model volume and --gas-price-series${have ? '' : ' — skipped: ../shared/data/uniswap_v3 files absent'}`, () => {
  it('behavior: the LP earns the same fees and pays the same gas in all three commands', () => {
    // A gas series over the file's two days: 15 gwei, then 40 from noon on the first day.
    const gas = join(dir, 'gas.csv');
    writeFileSync(gas, 'timestamp,gwei\n2024-02-15T00:00:00Z,15\n2024-02-15T12:00:00Z,40\n');
    const flags = ['--prices', MINUTE, '--gaps', 'skip', '--pool', 'v3', '--fee', '0.0005', '--strategy', 'rebalance', '--width', '0.01', '--fee-model', 'volume', '--gas-price-series', gas];
    ammsim('backtest', ...flags, '--out', join(dir, 'b'));
    ammsim('compare', ...flags, '--out', join(dir, 'c'));
    ammsim('sweep', ...flags, '--workers', '1', '--out', join(dir, 's'));
    const b = JSON.parse(readFileSync(join(dir, 'b', 'summary.json'), 'utf8'));
    const c = JSON.parse(readFileSync(join(dir, 'c', 'summary.json'), 'utf8')).lp;
    const [header, row] = readFileSync(join(dir, 's', 'sweep.csv'), 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const s = Object.fromEntries(cols.map((k, i) => [k, Number(row!.split(',')[i])]));
    expect(b.feesEarned).toBeGreaterThan(0);
    expect(b.gasCost).toBeGreaterThan(0);
    expect(b.rebalances).toBeGreaterThan(0);
    for (const k of ['feesEarned', 'gasCost', 'finalValue']) {
      expect(c[k], `compare ${k}`).toBe(b[k]);
      expect(s[k], `sweep ${k}`).toBe(b[k]);
    }
  }, 120_000);
});

const EVENTS = '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv';
const haveEvents = existsSync(EVENTS);

describe.skipIf(!haveEvents)(`backtest, compare and sweep agree on --fee-model replay over a pool-events file${haveEvents ? '' : ' — skipped: ../shared/data/uniswap_v3 files absent'}`, () => {
  const flags = ['--prices', EVENTS, '--pool', 'v3', '--fee', '0.0005', '--fee-model', 'replay', '--strategy', 'range', '--to', '2024-01-05T02:00:00Z'];

  it('behavior: one step per event row in all three commands, and the same fees and values', () => {
    ammsim('backtest', ...flags, '--width', '0.01', '--out', join(dir, 'rb'));
    ammsim('compare', ...flags, '--width', '0.01', '--out', join(dir, 'rc'));
    ammsim('sweep', ...flags, '--width', '0.01,0.02', '--workers', '1', '--out', join(dir, 'rs'));
    const b = JSON.parse(readFileSync(join(dir, 'rb', 'summary.json'), 'utf8'));
    const c = JSON.parse(readFileSync(join(dir, 'rc', 'summary.json'), 'utf8'));
    const [header, row] = readFileSync(join(dir, 'rs', 'sweep.csv'), 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const s = Object.fromEntries(cols.map((k, i) => [k, Number(row!.split(',')[i])]));
    expect(b.feesEarned).toBeGreaterThan(0);
    expect(c.steps).toBe(b.steps);
    expect(JSON.parse(readFileSync(join(dir, 'rs', 'sweep.json'), 'utf8')).data.params.steps).toBe('one per event row, in log order');
    for (const k of ['feesEarned', 'finalValue', 'holdValue']) {
      expect(c.lp[k], `compare ${k}`).toBe(b[k]);
      expect(s[k], `sweep ${k}`).toBe(b[k]);
    }
  }, 120_000);

  it('error: a sweep of replay beside another fee model on that file (two different step series) is refused', () => {
    const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', 'sweep', ...flags.map((f) => (f === 'replay' ? 'replay,volume' : f)), '--width', '0.01', '--out', join(dir, 'rmix')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^error: --fee-model: replay on the pool-events file .* steps once per event row in log order \(as backtest does\), but --fee-model volume steps through its per-second series: one sweep's rows share one series; sweep them separately$/);
    expect(existsSync(join(dir, 'rmix', 'sweep.json'))).toBe(false);
  }, 60_000);
});
