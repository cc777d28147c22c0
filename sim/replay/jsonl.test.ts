import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { describeMismatch, firstMismatch, parseJsonlLine, readJsonlCases, replayJsonl, ReplayMismatchError } from './jsonl.ts';
import type { Replayer } from './types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function collect(p: string) {
  const out = [];
  for await (const c of readJsonlCases(p, 'in.jsonl')) out.push(c);
  return out;
}

describe('parseJsonlLine', () => {
  it('behavior: bare events and case lines; blank lines give undefined', () => {
    expect(parseJsonlLine('  ', 'f', 1)).toBeUndefined();
    expect(parseJsonlLine('{"type":"mint"}', 'f', 2)).toEqual({ line: 2, event: { type: 'mint' } });
    expect(parseJsonlLine('{"event":{"type":"mint"},"expect":{"a":"1"}}', 'f', 3)).toEqual({ line: 3, event: { type: 'mint' }, expect: { a: '1' } });
    expect(parseJsonlLine('{"event":{"type":"mint"}}', 'f', 4)).toEqual({ line: 4, event: { type: 'mint' } });
  });

  it('error: malformed JSON and non-objects name file, line and field', () => {
    expect(() => parseJsonlLine('{"type":', 'in.jsonl', 7)).toThrow(InputError);
    expect(() => parseJsonlLine('{"type":', 'in.jsonl', 7)).toThrow(/^in\.jsonl:7: event: not valid JSON \(/);
    expect(() => parseJsonlLine('[1,2]', 'in.jsonl', 8)).toThrowErrorMatchingInlineSnapshot(
      `[InputError: in.jsonl:8: event: each line must be a JSON object (an event, or {"event": …, "expect": …}); was [1,2]]`,
    );
    expect(() => parseJsonlLine('{"event":5}', 'in.jsonl', 9)).toThrow(/^in\.jsonl:9: event: must be an object/);
    expect(() => parseJsonlLine('{"event":{},"expect":"x"}', 'in.jsonl', 10)).toThrow(/^in\.jsonl:10: expect: must be an object/);
  });
});

describe('readJsonlCases', () => {
  it('behavior: streams non-blank lines with 1-based numbers; CRLF and a BOM are accepted', async () => {
    const p = file('a.jsonl', '\ufeff{"type":"a"}\r\n\r\n{"event":{"type":"b"},"expect":{}}\n\n{"type":"c"}');
    const cases = await collect(p);
    expect(cases.map((c) => [c.line, c.event['type']])).toEqual([
      [1, 'a'],
      [3, 'b'],
      [5, 'c'],
    ]);
  });

  it('error: a malformed line stops the stream with its line number', async () => {
    const p = file('b.jsonl', '{"type":"a"}\n\n{oops}\n');
    await expect(collect(p)).rejects.toThrow(/^in\.jsonl:3: event: not valid JSON/);
  });
});

describe('firstMismatch', () => {
  it('behavior: equal values give undefined; the first differing key path is reported', () => {
    expect(firstMismatch({ a: '1', s: { x: '2' } }, { a: '1', s: { x: '2' } })).toBeUndefined();
    expect(firstMismatch({ a: '1', s: { x: '2', y: '3' } }, { a: '1', s: { x: '2', y: '4' } })).toEqual({ path: 's.y', expected: '3', actual: '4' });
    expect(firstMismatch({ a: '1', b: '2' }, { a: '1' })).toEqual({ path: 'b', expected: '2', actual: undefined });
    expect(firstMismatch({ a: '1' }, { a: '1', revert: 'K' })).toEqual({ path: 'revert', expected: undefined, actual: 'K' });
    expect(firstMismatch({ a: [1, 2] }, { a: [1, 3] })).toEqual({ path: 'a[1]', expected: 2, actual: 3 });
    expect(firstMismatch('1', 1)).toEqual({ path: '(result)', expected: '1', actual: 1 });
  });

  it('behavior: the message shows both sides, JSON-quoted', () => {
    expect(describeMismatch({ path: 'x', expected: '1', actual: undefined })).toBe('expected "1"; replay gave no such key');
  });
});

describe('replayJsonl', () => {
  // A replayer that echoes the event's `v` field, so expectations are easy to write.
  const echo: Replayer = {
    apply: (event, line) => {
      if (event['v'] === 'bad') throw new InputError('<events>', line, 'v', 'is bad');
      return { v: event['v'] };
    },
  };

  it('behavior: one result per line, in order; counts cases and reports the first mismatch', async () => {
    const p = file('c.jsonl', ['{"v":"1"}', '{"event":{"v":"2"},"expect":{"v":"2"}}', '', '{"event":{"v":"3"},"expect":{"v":"x"}}', '{"event":{"v":"4"},"expect":{"w":"4"}}'].join('\n'));
    const results: Array<[number, string]> = [];
    const s = await replayJsonl(echo, p, { file: 'c.jsonl', onResult: (json, line) => results.push([line, json]) });
    expect(results).toEqual([
      [1, '{"v":"1"}'],
      [2, '{"v":"2"}'],
      [4, '{"v":"3"}'],
      [5, '{"v":"4"}'],
    ]);
    expect(s).toEqual({ events: 4, cases: 3, mismatches: 2, firstMismatch: { line: 4, path: 'v', expected: 'x', actual: '3' } });
    const err = new ReplayMismatchError('c.jsonl', s.firstMismatch!);
    expect(err.message).toBe('c.jsonl:4: v: expected "x"; replay gave "3"');
  });

  it("error: a replayer's InputError is re-labelled with the file name", async () => {
    const p = file('d.jsonl', '{"v":"1"}\n{"v":"bad"}\n');
    await expect(replayJsonl(echo, p, { file: 'd.jsonl' })).rejects.toThrow(/^d\.jsonl:2: v: is bad$/);
  });
});
