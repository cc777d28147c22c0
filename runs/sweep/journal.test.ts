import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJournal, journalLine, JournalWriter, readJournal, roundTrip, rowLine, type JournalHeader, type JournalRow } from './journal.ts';
import { metricsCsv } from './outputs.ts';
import { finishRow } from './worker.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-journal-'));
const header: JournalHeader = { gridHash: 'h1', configurations: 10, shard: null, metrics: ['a', 'b'] };
let n = 0;
const fresh = (): string => join(tmp, `j${n++}.jsonl`);

describe('results journal', () => {
  it('format: a line is the first 16 hex digits of the JSON\'s sha256, a space, the JSON and a newline', () => {
    const value = { k: 7, m: [0.1, 'NaN', 12345.678], w: ['é ✓'] };
    const json = JSON.stringify(value);
    expect(journalLine(value)).toBe(`${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}\n`);
    expect(journalLine(header)).toMatch(/^[0-9a-f]{16} \{"gridHash":"h1",/);
  });

  it('behavior: rows appended read back, NaN and ±Infinity exact, -0 as 0', () => {
    const file = fresh();
    const w = JournalWriter.open(file, header, undefined);
    w.append([{ k: 3, metrics: [1.5, NaN] }, { k: 0, error: 'fee=0.5: --fee: bad' }]);
    w.append([{ k: 1, metrics: [Infinity, -0] }, { k: 4, metrics: [1, 1], warnings: ['stopped at step 3', 'gas'] }]);
    w.close();
    const j = readJournal(file)!;
    expect(j.header).toEqual(header);
    expect(j.tornBytes).toBe(0);
    expect(j.rows.get(3)).toEqual({ k: 3, metrics: [1.5, NaN] });
    expect(j.rows.get(0)).toEqual({ k: 0, error: 'fee=0.5: --fee: bad' });
    expect(Object.is(j.rows.get(1)!.metrics![1], 0)).toBe(true);
    expect(j.rows.get(1)!.metrics![0]).toBe(Infinity);
    expect(roundTrip({ k: 1, metrics: [Infinity, -0] })).toEqual(j.rows.get(1));
    expect(j.rows.get(4)).toEqual({ k: 4, metrics: [1, 1], warnings: ['stopped at step 3', 'gas'] });
    expect(roundTrip({ k: 4, metrics: [1, 1], warnings: [] })).toEqual({ k: 4, metrics: [1, 1] });
  });

  it('behavior: a torn last line (any cut point) is dropped and cut off on reopening; appending goes on', () => {
    const file = fresh();
    const w = JournalWriter.open(file, header, undefined);
    w.append([{ k: 0, metrics: [1, 2] }]);
    w.close();
    const whole = readFileSync(file);
    const line = Buffer.from(readFileSync(file, 'utf8').split('\n')[1]! + '\n');
    const extra = Buffer.from('0123456789abcdef {"k":1,"m":[3,4]}\n'); // a checksum that does not match
    for (let cut = 1; cut < line.length; cut++) {
      const torn = join(tmp, `torn${cut}.jsonl`);
      writeFileSync(torn, Buffer.concat([whole, line.subarray(0, cut)]));
      const j = readJournal(torn)!;
      expect(j.rows.size).toBe(1);
      expect(j.validBytes).toBe(whole.length);
    }
    const torn = join(tmp, 'torn-checksum.jsonl');
    writeFileSync(torn, Buffer.concat([whole, extra]));
    expect(readJournal(torn)!.rows.size).toBe(1); // last line with a bad checksum: torn
    writeFileSync(torn, Buffer.concat([whole, line.subarray(0, 10)]));
    const w2 = JournalWriter.open(torn, header, readJournal(torn));
    w2.append([{ k: 2, metrics: [5, 6] }]);
    w2.close();
    const j = readJournal(torn)!;
    expect([...j.rows.keys()]).toEqual([0, 2]);
    expect(j.tornBytes).toBe(0);
  });

  it('error: a bad line in the middle is corruption, not a torn tail', () => {
    const file = fresh();
    const w = JournalWriter.open(file, header, undefined);
    w.append([{ k: 0, metrics: [1, 2] }, { k: 1, metrics: [1, 2] }]);
    w.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('[1,2]', '[1,3]');
    writeFileSync(file, lines.join('\n'));
    expect(() => readJournal(file)).toThrowError(/:2: checksum mismatch in the middle of the results journal/);
  });

  it('behavior: the canonical journal is in index order whatever the completion order', () => {
    const rows = [{ k: 2, metrics: [1, 2] }, { k: 0, error: 'x' }, { k: 1, metrics: [3, 4] }];
    const a = canonicalJournal(header, rows);
    expect(canonicalJournal(header, [...rows].reverse())).toBe(a);
    const file = fresh();
    writeFileSync(file, a);
    expect([...readJournal(file)!.rows.keys()]).toEqual([0, 1, 2]);
  });

  it("property: a row's texts made by its worker (journal line, csv fields) are the ones made from it as it reads back", () => {
    // the main thread keeps rows as they read back from the journal (roundTrip) and the texts the workers made
    // from the rows they ran: outputs are the same bytes as from rows read back (a resumed or merged sweep)
    const metric = fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 5e-324, 1e21, 0.1));
    const row: fc.Arbitrary<JournalRow> = fc.oneof(
      fc.record({ k: fc.nat(9), metrics: fc.array(metric, { minLength: 2, maxLength: 2 }), warnings: fc.option(fc.array(fc.string(), { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: ['k', 'metrics'] }),
      fc.record({ k: fc.nat(9), error: fc.string() }),
    );
    fc.assert(
      fc.property(row, (r) => {
        const f = finishRow(r, 2);
        const back = roundTrip(r);
        expect(f.line).toBe(rowLine(back));
        expect(f.metricsCsv).toBe(metricsCsv(back.metrics, 2));
        const file = fresh();
        writeFileSync(file, journalLine(header) + f.line);
        expect(canonicalJournal(header, [readJournal(file)!.rows.get(r.k)!])).toBe(canonicalJournal(header, [back], new Map([[r.k, f.line]])));
      }),
      { numRuns: 500 },
    );
  });
});
