import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-sweep-'));
const ammsim = (...args: string[]) => spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8' });

describe('ammsim sweep', () => {
  it('behavior: writes one CSV row per combination, in nested-loop order', () => {
    const out = join(tmp, 'grid');
    const r = ammsim('sweep', '--prices', 'data/sample/eth_gbm_1h_1w.csv', '--strategy', 'full-range,hold', '--fee', '0.0005,0.003', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('4 runs → ');
    const lines = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['strategy,fee', 'full-range,0.0005', 'full-range,0.003', 'hold,0.0005', 'hold,0.003']);
    expect(existsSync(join(out, 'sweep.json'))).toBe(true);
  });

  it('error: a bad list value is one --flag line, exit 1, nothing written', () => {
    const out = join(tmp, 'bad');
    const r = ammsim('sweep', '--fee', '0.003,abc', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual(['error: --fee: must be a number, a list a,b,c or a range start:stop:step; was "abc"']);
    expect(existsSync(join(out, 'sweep.csv'))).toBe(false);
  });
});
