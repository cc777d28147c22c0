import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../testing/runCliInProcess.ts';
import { apyWarnings } from './apy.ts';

describe('ammsim apy: a rate given as a fraction of 1 or more (probably a percentage)', () => {
  it('behavior: --apr 30 is 3,000 % a year, said on stderr with the fraction or the % form meant; the table is unchanged', async () => {
    const r = await runCliInProcess(['apy', '--apr', '30']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('warning: --apr 30 is 3,000 % a year (the rate is a fraction); for 30 % give 0.3 or 30%\n');
    expect(r.stdout.split('\n')[0]).toBe('APR 3,000.00 % (simple) compounded at each harvest; 365-day year, no performance fee.');
    const json = await runCliInProcess(['apy', '--apy', '35', '--compounds', '365', '--json']);
    expect(json.stderr).toBe('warning: --apy 35 is 3,500 % a year (the rate is a fraction); for 35 % give 0.35 or 35%\n');
    expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
  });

  it('behavior: a fraction below 1, or a percentage written with %, says nothing', async () => {
    expect(apyWarnings({ apr: '0.3' })).toEqual([]);
    expect(apyWarnings({ apr: '30%' })).toEqual([]);
    expect(apyWarnings({ apy: '150 %' })).toEqual([]);
    expect(apyWarnings({ apr: '1.5' })).toEqual(['--apr 1.5 is 150 % a year (the rate is a fraction); for 1.5 % give 0.015 or 1.5%']);
    expect((await runCliInProcess(['apy', '--apr', '0.3'])).stderr).toBe('');
  });
});
