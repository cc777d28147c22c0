import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonErrorLine, lineAt, repeatedTopLevelKey, scanJson, stripBom } from './jsonText.ts';

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
