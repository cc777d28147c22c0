import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFeeModels } from './backtest.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-feemodels-'));

function ammsim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const prices = join(tmp, 'p.csv');
writeFileSync(prices, 'timestamp,price\n1704067200,2000\n1704070800,2100\n1704074400,1900\n1704078000,2050\n');

describe('backtest --gas-price-series / --native-price-series', () => {
  it('behavior: a gas series prices each action at its time; a native series replaces the base price (hand-computed: a v3 split swap + mint at 40 gwei × ETH 3,000 = (115,000 + 370,000) × 40e−9 × 3,000 = 58.2)', () => {
    const gas = join(tmp, 'gas.csv');
    writeFileSync(gas, 'timestamp,gwei\n1704067200,40\n1704074400,5\n');
    const native = join(tmp, 'eth.csv');
    writeFileSync(native, 'timestamp,price\n1704067200,3000\n');
    const out = join(tmp, 'gas-out');
    const r = ammsim('backtest', '--prices', prices, '--pool', 'v3', '--strategy', 'range', '--width', '0.5', '--gas-price-series', gas, '--native-price-series', native, '--no-arbitrage', '--out', out, '--json');
    expect(r.stderr).toBe('');
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    // The range strategy swaps to the range's token split (an LP swap: 115,000 × 40e−9 × 3,000 = 13.8), then mints once (44.4).
    expect(s.gasCost).toBeCloseTo(44.4 + 13.8, 9);
    expect(s.config.gasPriceSeries).toBe(gas);
  });
  it('error: a bad gas series is one error line naming file, line and field', () => {
    const gas = join(tmp, 'bad-gas.csv');
    writeFileSync(gas, 'timestamp,gwei\n1704067200,x\n');
    const r = ammsim('backtest', '--prices', prices, '--gas-price-series', gas, '--out', join(tmp, 'bad'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*bad-gas\.csv:2: gwei: /);
    expect(existsSync(join(tmp, 'bad', 'summary.json'))).toBe(false);
  });
});

describe('backtest --fee-model', () => {
  it('error: an unknown model names the choices', () => {
    const r = ammsim('backtest', '--prices', prices, '--fee-model', 'magic', '--out', join(tmp, 'm'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: --fee-model: must be one of arbitrage, volume, replay, all; was "magic"\n');
  });
  it('error: volume on a series without pool volume says what is missing', () => {
    const r = ammsim('backtest', '--prices', prices, '--pool', 'v3', '--strategy', 'range', '--fee-model', 'volume', '--out', join(tmp, 'v'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --fee-model: volume needs a series with the pool's volume and liquidity/);
  });
  it('behavior: all on a plain series reports volume and replay as unavailable, arbitrage as the backtest', () => {
    const out = join(tmp, 'all-plain');
    const r = ammsim('backtest', '--prices', prices, '--pool', 'v3', '--strategy', 'range', '--fee-model', 'all', '--out', out);
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.feeModels.arbitrage.feesEarned).toBe(s.feesEarned);
    expect(s.feeModels.volume.unavailable).toMatch(/volume needs/);
    expect(s.feeModels.replay.unavailable).toMatch(/--fee-events/);
    expect(r.stdout).toContain('volume       unavailable:');
  });
});

const DATA = resolve(process.cwd(), '../shared/data/uniswap_v3');
const MINUTE = join(DATA, 'ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv');
const EVENTS = join(DATA, 'ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
describe.skipIf(!existsSync(MINUTE) || !existsSync(EVENTS))('backtest --fee-model all on real 0x88e6 data (2024-01-05, ±5 %, 10,000 USDC) — skipped: ../shared/data/uniswap_v3 files absent', () => {
  it('behavior: the three models side by side; volume ≈ replay ≈ 45 USDC (measured 45.47 / 45.05), arbitrage far lower at the default --pool-liquidity (11.65)', () => {
    const out = join(tmp, 'all-real');
    const r = ammsim('backtest', '--prices', MINUTE, '--pool', 'v3', '--fee', '0.0005', '--strategy', 'range', '--width', '0.05', '--capital', '10000', '--fee-model', 'all', '--fee-events', EVENTS, '--out', out);
    expect(r.stderr).toBe('');
    const f = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).feeModels;
    expect(f.position).toMatchObject({ tickLower: 198550, tickUpper: 199540 });
    expect(f.volume.feesEarned).toBeCloseTo(45.47, 1);
    expect(f.replay.feesEarned).toBeCloseTo(45.05, 1);
    expect(f.arbitrage.feesEarned).toBeLessThan(f.replay.feesEarned / 2);
    expect(r.stdout).toMatch(/replay\s+45\.05/);
  });
  it('behavior: --fee-model replay alone replaces the fees (priced inside the run) and moves finalValue by the difference of the fee tokens at the end price', () => {
    const base = ['backtest', '--prices', MINUTE, '--pool', 'v3', '--fee', '0.0005', '--strategy', 'range', '--width', '0.05', '--capital', '10000'];
    ammsim(...base, '--out', join(tmp, 'arb'));
    ammsim(...base, '--fee-model', 'replay', '--fee-events', EVENTS, '--out', join(tmp, 'rep'));
    const a = JSON.parse(readFileSync(join(tmp, 'arb', 'summary.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(tmp, 'rep', 'summary.json'), 'utf8'));
    expect(b.feesEarned).toBeCloseTo(45.05, 1);
    expect(b.finalValue - a.finalValue).toBeCloseTo(b.feesValueAtEnd - a.feesValueAtEnd, 9);
    expect(b.feeModels.selected).toBe('replay');
  });
  it('error: --fee-events without the replay model is refused, not ignored', () => {
    const r = ammsim('backtest', '--prices', MINUTE, '--pool', 'v3', '--fee', '0.0005', '--fee-events', EVENTS, '--out', join(tmp, 'x'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--fee-events: feeds the replay fee model; it needs --fee-model replay or all/);
  });
});

describe('formatFeeModels', () => {
  it('behavior: each row says what it counts in range: the run\'s steps (arbitrage, volume) or the pool\'s logged swaps (replay)', () => {
    const text = formatFeeModels({ volume: { feesEarned: 12.5, steps: 100, stepsInRange: 40 }, replay: { feesEarned: 9, steps: 6045, stepsInRange: 3304 } });
    expect(text).toBe('fee model    fees earned (quote)   in range\nvolume                     12.50   40 / 100 steps\nreplay                      9.00   3304 / 6045 swaps\n');
  });
});
