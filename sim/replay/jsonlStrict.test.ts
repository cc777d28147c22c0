import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonlLine, replayJsonl } from './jsonl.ts';
import type { Replayer } from './types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-jsonl-strict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const echo: Replayer = { apply: (e) => ({ ...e }) };

describe('JSONL case lines and empty files', () => {
  it('error: a key beside "event" and "expect" on a case line is refused, naming file, line and the key', () => {
    expect(() => parseJsonlLine('{"event":{"type":"x"},"expect":{},"extra":1}', 'c.jsonl', 3)).toThrowErrorMatchingInlineSnapshot(`[InputError: c.jsonl:3: extra: unknown key; a case line has "event" and "expect"; was 1]`);
    expect(() => parseJsonlLine('{"event":{"type":"x"},"expcet":{}}', 'c.jsonl', 1)).toThrow('c.jsonl:1: expcet: unknown key');
    expect(parseJsonlLine('{"event":{"type":"x"},"expect":{"a":1}}', 'c.jsonl', 1)?.expect).toEqual({ a: 1 });
    expect(parseJsonlLine('{"type":"x","extra":1}', 'c.jsonl', 1)?.event).toEqual({ type: 'x', extra: 1 }); // a bare event: the replayer judges its keys
  });
  it('error: an empty or blank-only events file is refused (nothing would be replayed or compared)', async () => {
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(replayJsonl(echo, empty, { file: 'empty.jsonl' })).rejects.toThrow(/^empty\.jsonl: must hold at least one event line; was empty$/);
    const blank = path.join(dir, 'blank.jsonl');
    writeFileSync(blank, '\n  \n');
    await expect(replayJsonl(echo, blank, { file: 'blank.jsonl' })).rejects.toThrow('blank.jsonl: must hold at least one event line; was 2 blank lines');
    const one = path.join(dir, 'one.jsonl');
    writeFileSync(one, '\n{"type":"x"}\n');
    expect((await replayJsonl(echo, one)).events).toBe(1);
  });
});
