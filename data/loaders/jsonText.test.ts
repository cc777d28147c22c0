import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonErrorLine, jsonFieldLine, lineAt, repeatedTopLevelKey, scanJson, stripBom, withJsonFieldLine } from './jsonText.ts';
import { InputError, RowInputError } from '../../sim/core/errors.ts';
import { loadLiquidityFile } from '../../runs/poolLiquidityFile.ts';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonText', () => {
  it('property: scanJson finds an error exactly when JSON.parse throws (valid JSON, and JSON with a character changed)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', ']', '}', '"', ':', 'x', '\\', '\n', '1', '\t', '\u0001', '0', '-', '//'), (v, at, ch) => {
        const text = JSON.stringify(v, null, at % 3 === 0 ? 2 : undefined) ?? 'null';
        expect(scanJson(text).errorAt).toBeUndefined();
        const i = at % (text.length + 1);
        const broken = text.slice(0, i) + ch + text.slice(i + 1);
        expect(scanJson(broken).errorAt === undefined).toBe(parses(broken));
      }),
      { numRuns: 2000 },
    );
  });

  it('behavior: the line of the first error, the top-level keys with their lines, a repeated key, the BOM', () => {
    expect(jsonErrorLine('{\n"a": 1,\n}')).toBe(3);
    expect(jsonErrorLine('[1,\r\n2,\r\n]')).toBe(3);
    expect(jsonErrorLine('{"a": [1, 2]}')).toBeUndefined();
    expect(lineAt('a\nb\r\nc\rd', 8)).toBe(4);
    expect(scanJson('{\n "a": {"b": 1, "b": 2},\n "c\\u0041": 3\n}').keys).toEqual([
      { key: 'a', line: 2 },
      { key: 'cA', line: 3 },
    ]);
    expect(repeatedTopLevelKey('{\n"x": 1,\n"y": {"x": 2},\n"x": 3}')).toEqual({ key: 'x', line: 4, firstLine: 2 });
    expect(repeatedTopLevelKey('{"x": 1, "y": 2}')).toBeUndefined();
    expect(stripBom('\uFEFF[]')).toBe('[]');
    expect(stripBom('[]')).toBe('[]');
  });
});

describe('jsonFieldLine: a validator\'s field path back to its line', () => {
  const text = '{\r\n  "positions": [\r\n\r\n    { "lower": 1500, "upper": 2500, "valueQuote": 200000 },\r\n    {\r\n      "lower": 3000,\r\n      "upper": 2000,\r\n      "note": "a \\"quoted\\" [0]",\r\n      "valueQuote": 1\r\n    }\r\n  ]\r\n}\r\n';
  it('behavior: the key\'s line for a member, the element\'s first line for an array element; a missing key is its object\'s line', () => {
    expect(jsonFieldLine(text, 'positions')).toBe(2);
    expect(jsonFieldLine(text, 'positions[0]')).toBe(4);
    expect(jsonFieldLine(text, 'positions[0].upper')).toBe(4);
    expect(jsonFieldLine(text, 'positions[1]')).toBe(5);
    expect(jsonFieldLine(text, 'positions[1].upper')).toBe(7);
    expect(jsonFieldLine(text, 'positions[1].note')).toBe(8);
    expect(jsonFieldLine(text, 'positions[1].liquidity')).toBe(5); // missing: its object
    expect(jsonFieldLine(text.replace(/\r\n/g, '\r'), 'positions[1].upper')).toBe(7); // CR-only line ends
    expect(jsonFieldLine(text, 'missing')).toBeUndefined();
    expect(jsonFieldLine(text, 'not a path!')).toBeUndefined();
  });
  it('behavior: withJsonFieldLine adds the line to an InputError with a field and no line; anything else is returned as it is', () => {
    const e = withJsonFieldLine(new InputError('liq.json', undefined, 'positions[1].upper', 'must be above lower (3000); was 2000'), text) as InputError;
    expect(e.message).toBe('liq.json:7: positions[1].upper: must be above lower (3000); was 2000');
    for (const same of [new InputError('liq.json', 3, 'positions', 'x'), new InputError('liq.json', undefined, undefined, 'x'), new RowInputError('a.json', 2, 'close', 'x'), new Error('x')]) {
      expect(withJsonFieldLine(same, text)).toBe(same);
    }
  });
  it('error: a --pool-liquidity-file names the line of the bad field (CRLF, blank lines, a string holding brackets and quotes)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ammsim-liq-')), 'liq.json');
    writeFileSync(file, text);
    expect(() => loadLiquidityFile(file, 60)).toThrow(`${file}:8: positions[1].note: unknown key`);
    writeFileSync(file, text.replace('      "note": "a \\"quoted\\" [0]",\r\n', ''));
    expect(() => loadLiquidityFile(file, 60)).toThrow(`${file}:7: positions[1].upper: must be above lower (3000); was 2000`);
    writeFileSync(file, '{\n  "positions": [\n    { "fullRange": true }\n  ]\n}\n');
    expect(() => loadLiquidityFile(file, 60)).toThrow(`${file}:3: positions[0]: must give its size as exactly one of "valueQuote" (quote at the first price) or "liquidity" (v3 L)`);
    writeFileSync(file, '{\n  "positions": [],\n  "postions": 1\n}\n');
    expect(() => loadLiquidityFile(file, 60)).toThrow(`${file}:3: postions: unknown key; did you mean "positions"?`);
    writeFileSync(file, '[]\n');
    expect(() => loadLiquidityFile(file, 60)).toThrow(`${file}: must be a JSON object { "positions": [...] }`);
  });
});
