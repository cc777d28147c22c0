import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGasPriceSeries } from './gasSeries.ts';

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-gas-'));
  const p = join(dir, 'gas.csv');
  writeFileSync(p, text);
  return p;
}

describe('loadGasPriceSeries', () => {
  it('behavior: reads timestamp,gwei (unix seconds and ISO) into a series whose price is gwei', async () => {
    const s = await loadGasPriceSeries(file('timestamp,gwei\n1704412800,21.5\n1704416400,35\n'));
    expect(Array.from(s.timestampMs)).toEqual([1704412800000, 1704416400000]);
    expect(Array.from(s.price)).toEqual([21.5, 35]);
    const t = await loadGasPriceSeries(file('date,gas_price_gwei\n2024-01-05 00:00,12\n2024-01-05 01:00,14\n'));
    expect(Array.from(t.price)).toEqual([12, 14]);
    expect(t.timestampMs[0]).toBe(Date.UTC(2024, 0, 5));
  });
  it('error: no gwei column names the header', async () => {
    const p = file('timestamp,price\n1,2\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:1: header: must have a gas-price column in gwei (gwei, gas_price_gwei, gasPrice); found timestamp, price`);
  });
  it('error: a negative gas price names file, line and field', async () => {
    const p = file('timestamp,gwei\n1704412800,21.5\n1704416400,-3\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:3: gwei:`);
  });
  it('error: rows out of order', async () => {
    const p = file('timestamp,gwei\n1704416400,21.5\n1704412800,3\n');
    await expect(loadGasPriceSeries(p)).rejects.toThrow(`${p}:3: timestamp:`);
  });
});
