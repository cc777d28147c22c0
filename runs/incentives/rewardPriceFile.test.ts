import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtest } from '../backtest.ts';

describe('a reward price file with gaps', () => {
  it('behavior: loads (gaps skipped) and is read as of each step: a gap means the last price before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ammsim-rp-'));
    const start = Date.parse('2024-01-01T00:00:00Z');
    const rows = ['timestamp,price'];
    // Hourly prices 10, 11, 12, … for 30 days, with hours 5..7 missing (a gap the gap check would refuse).
    for (let h = 0; h < 24 * 30; h++) if (h < 5 || h > 7) rows.push(`${new Date(start + h * 3_600_000).toISOString()},${10 + h}`);
    const prices = join(dir, 'uni.csv');
    writeFileSync(prices, rows.join('\n') + '\n');
    const prog = join(dir, 'p.json');
    writeFileSync(prog, JSON.stringify({ kind: 'staking-rewards', token: 'UNI', total: 1000, start: '2024-01-01T00:00:00Z', end: '2024-01-20T00:00:00Z' }));
    const r = await backtest({ incentives: [prog], rewardPrice: prices });
    const rp = r.timeseries.rewardPrice!;
    expect(rp[0]).toBe(10);
    expect(rp[4]).toBe(14);
    expect(rp[5]).toBe(14); // hours 5..7 missing: as of hour 4
    expect(rp[7]).toBe(14);
    expect(rp[8]).toBe(18);
  });
});
