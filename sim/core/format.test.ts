import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupThousands } from './format.ts';

describe('groupThousands', () => {
  it('behavior: commas every three digits of the integer part, sign and fraction kept', () => {
    expect(['0', '999', '1000', '-1234567.891', '1000000', '-12', '123456.5'].map(groupThousands)).toEqual(['0', '999', '1,000', '-1,234,567.891', '1,000,000', '-12', '123,456.5']);
  });

  it("property: the same text as toLocaleString('en-US') for integers and 2-decimal amounts (the reference it replaces)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (n) => {
        expect(groupThousands(String(n))).toBe(n.toLocaleString('en-US'));
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (x) => {
        fc.pre(!Object.is(x, -0) && Math.abs(x) >= 0.005); // toLocaleString writes -0 and tiny negatives as -0.00; toFixed as 0.00
        expect(groupThousands(x.toFixed(2))).toBe(x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
      }),
    );
  });

  it('structure: no shipped source calls toLocaleString (its first call loads ICU data, ~30 ms of a run)', () => {
    const root = join(import.meta.dirname, '..', '..');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts') && readFileSync(p, 'utf8').includes('.toLocaleString(')) offenders.push(p.slice(root.length + 1));
      }
    };
    for (const top of ['sim', 'runs', 'strategies', 'data', 'reports', 'scripts']) walk(join(root, top));
    expect(offenders.filter((p) => p !== join('sim', 'core', 'format.ts'))).toEqual([]);
  });
});
