import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIlArgs, runIl } from './il.ts';
import { ilTableRows } from '../../reports/ilTable.ts';
import { runCliInProcess } from '../testing/runCliInProcess.ts';

const root = mkdtempSync(join(tmpdir(), 'ammsim-il-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ammsim il', () => {
  it('behavior: the full-range table matches the Pintail figures (rounded to 0.1 %)', async () => {
    const text = await runIl({ price: '2000', ratios: '1.25,1.5,2,3,5' });
    // Pintail (2019): −0.6 % at 1.25×, −2.0 % at 1.5×, −5.7 % at 2×, −13.4 % at 3×, −25.5 % at 5×.
    const ils = text
      .split('\n')
      .filter((l) => / %/.test(l))
      .map((l) => Number(/(-?\d+\.\d+) %/.exec(l)![1]));
    expect(ils.map((x) => Math.round(x * 10) / 10)).toEqual([-0.6, -2.0, -5.7, -13.4, -25.5]);
  });

  it('regression: a range edge is in range, though P0 · (edge / P0) lands an ulp past it', () => {
    const rows = ilTableRows(3295.42, { lower: 6731.99, upper: 15301.06 }, [1]);
    expect(rows.find((r) => r.ratio === 6731.99 / 3295.42)!.where).toBe('in range');
    const up = ilTableRows(6286.52, { lower: 410.84, upper: 7062.96 }, [1]);
    expect(up.find((r) => r.ratio === 7062.96 / 6286.52)!.where).toBe('in range');
    expect(ilTableRows(2000, { lower: 1800, upper: 2200 }, [0.5, 2]).map((r) => r.where)).toEqual(['below range', 'in range', 'in range', 'above range']);
  });

  it('error: a ratio that takes the price past the largest double is refused (it printed Infinity)', () => {
    expect(() => parseIlArgs({ price: '1e300', ratios: '1e10' })).toThrow('--ratios: 10000000000 × --price 1e+300 is past the largest number a price can be');
  });

  it('behavior: a range adds its edges and says where the price is', async () => {
    const text = await runIl({ price: '1', range: '0.25:4', ratios: '2,9' });
    // Hand computation from the whitepaper amounts (see reports/ilCurve.test.ts): −11.44 % at 2×, −70 % at 9×.
    expect(text).toMatch(/ 2 +2 +-11\.44 % +0\.8856 +in range/);
    expect(text).toMatch(/ 9 +9 +-70\.00 % +0\.3000 +above range/);
    expect(text).toMatch(/0\.25 +0\.25 .* in range/);
    expect(text).toMatch(/ 4 +4 .* in range/);
  });

  it('behavior: writes the curve as SVG or as a self-contained HTML page', async () => {
    const svg = join(root, 'il.svg');
    const html = join(root, 'il.html');
    await runIl({ price: '2000', range: '1800:2200', out: svg });
    await runIl({ price: '2000', out: html });
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*<path/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('id="chart-il-curve"');
    expect(page).toContain('theoretical IL, full range');
  });
});

describe('il flags', () => {
  const err = (a: Parameters<typeof parseIlArgs>[0]) => () => parseIlArgs(a);
  it('error: --price must be a positive number', () => {
    expect(err({ price: '-5' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --price: the entry price must be a finite number > 0; was "-5"]`);
    expect(err({ price: '12abc' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --price: the entry price must be a finite number > 0; was "12abc"]`);
  });
  it('error: --range must be LOW:HIGH with LOW < HIGH', () => {
    expect(err({ price: '1', range: '5' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --range: must be LOW:HIGH (prices, e.g. 1800:2200); was "5"]`);
    expect(err({ price: '1', range: '3:2' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --range: LOW must be below HIGH; was "3:2"]`);
    expect(err({ price: '1', range: '0:2' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --range: LOW must be a finite number > 0; was "0"]`);
  });
  it('error: --out must be .html or .svg; --ratios positive', () => {
    expect(err({ price: '1', out: 'x.png' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --out: must end in .html or .svg; was "x.png"]`);
    expect(err({ price: '1', ratios: '2,-1' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --ratios: each ratio must be a finite number > 0; was "-1"]`);
  });
  it('error: a flag given twice is refused naming the flag (never written to a file named "a,b")', async () => {
    const a = join(root, 'twice-a.svg');
    const b = join(root, 'twice-b.svg');
    const r = await runCliInProcess(['il', '--price', '2000', '--out', a, '--out', b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --out: given 2 times (${JSON.stringify(a)}, ${JSON.stringify(b)}); give it once\n`);
    expect(r.stdout).toBe('');
    expect((await runCliInProcess(['il', '--price', '2000', '--price', '3000'])).stderr).toBe('error: --price: given 2 times ("2000", "3000"); give it once\n');
    expect(readdirSync(root).filter((f) => f.includes(','))).toEqual([]);
  });
  it('behavior: P0 outside the range is allowed', () => {
    expect(parseIlArgs({ price: '100', range: '120:150' }).range).toEqual({ lower: 120, upper: 150 });
  });
});
