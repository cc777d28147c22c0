import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Field, Float64, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Type } from 'apache-arrow';
import { TIMESERIES_COLUMNS, type Timeseries, type TimeseriesColumn } from '../sim/metrics/record.ts';
import { readTimeseriesArrow, readTimeseriesArrowMetadata, timeseriesArrowChunks, writeTimeseriesArrow } from './timeseriesFile.ts';
import { timeseriesToCsv } from './timeseriesCsv.ts';

const FC_SEED = 20240101;

function makeTs(rows: number, fill: (col: number, row: number) => number): Timeseries {
  const out = {} as Record<TimeseriesColumn, Float64Array>;
  TIMESERIES_COLUMNS.forEach((name, c) => {
    const a = new Float64Array(rows);
    for (let i = 0; i < rows; i++) a[i] = fill(c, i);
    out[name] = a;
  });
  return out;
}

/** Compares float64 arrays bit for bit (NaN payloads, -0 included). */
function bits(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

describe('writeTimeseriesArrow / readTimeseriesArrow', () => {
  it('behavior: schema is timestamp Timestamp[ms, UTC] then Float64 columns in TIMESERIES_COLUMNS order', () => {
    const ts = makeTs(3, (c, i) => (c === 0 ? 1_700_000_000_000 + i * 60_000 : c + i / 10));
    const table = tableFromIPC(writeTimeseriesArrow(ts));
    expect(table.schema.fields.map((f) => f.name)).toEqual([...TIMESERIES_COLUMNS]);
    const [first, ...rest] = table.schema.fields;
    expect(first!.type.typeId).toBe(Type.Timestamp);
    expect(String(first!.type)).toBe('Timestamp<MILLISECOND, UTC>');
    for (const f of rest) expect(String(f.type)).toBe('Float64');
    // Arrow's own getter returns epoch ms for Timestamp[ms]
    expect(table.getChild('timestamp')!.get(2)).toBe(1_700_000_120_000);
    expect(table.getChild('price')!.get(1)).toBe(1.1);
    expect(table.numRows).toBe(3);
  });

  it('behavior: round trip is bit-exact, incl. NaN, ±Infinity, -0, subnormals (property, 200 runs)', () => {
    const special = fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, Number.MAX_VALUE, 5e-324);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.oneof(fc.double(), special), { minLength: 40 * 14, maxLength: 40 * 14 }),
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        (rows, values, t0) => {
          const ts = makeTs(rows, (c, i) => (c === 0 ? t0 + i : values[(c - 1) * 40 + i]!));
          const back = readTimeseriesArrow(writeTimeseriesArrow(ts), 'x.arrow');
          for (const name of TIMESERIES_COLUMNS) {
            if (name === 'timestamp') expect(back.timestamp).toEqual(ts.timestamp);
            else expect(bits(back[name])).toBe(bits(ts[name]));
          }
        },
      ),
      { numRuns: 200, seed: FC_SEED },
    );
  });

  it('behavior: bytes are deterministic and metadata is stored with keys sorted', () => {
    const ts = makeTs(50, (c, i) => (c === 0 ? i * 1000 : Math.sin(c * i)));
    const a = writeTimeseriesArrow(ts, { b: '2', a: '1' });
    const b = writeTimeseriesArrow(ts, { a: '1', b: '2' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect([...readTimeseriesArrowMetadata(a).entries()]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    // IPC file format: starts and ends with the magic "ARROW1"
    expect(Buffer.from(a.subarray(0, 6)).toString()).toBe('ARROW1');
    expect(Buffer.from(a.subarray(a.length - 6)).toString()).toBe('ARROW1');
  });

  it('error: missing column names the column and lists the columns found', () => {
    const type = new Float64();
    const fields = [new Field('price', type, false)];
    const data = makeData({ type: new Struct(fields), length: 1, nullCount: 0, children: [makeData({ type, length: 1, nullCount: 0, data: new Float64Array([1]) })] });
    const schema = new Schema(fields);
    const bytes = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), 'file');
    expect(() => readTimeseriesArrow(bytes, 'out/timeseries.arrow')).toThrowErrorMatchingInlineSnapshot(
      `[InputError: out/timeseries.arrow: timestamp: column is required in a timeseries file; columns found: price]`,
    );
  });

  it('error: bytes that are not Arrow are an InputError naming the file', () => {
    expect(() => readTimeseriesArrow(new TextEncoder().encode('timestamp,price\n'), 'bad.arrow')).toThrow(/^bad\.arrow: must be an Arrow IPC file; could not be read/);
  });

  it('behavior: the chunked writer gives the same bytes as the one-buffer writer', async () => {
    const ts = makeTs(1000, (c, i) => (c === 0 ? 1_700_000_000_000 + i * 60_000 : Math.cos(c + i)));
    const chunks = await timeseriesArrowChunks(ts, { b: '2', a: '1' });
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.compare(Buffer.concat(chunks), Buffer.from(writeTimeseriesArrow(ts, { b: '2', a: '1' })))).toBe(0);
  });

  it('behavior: int64 timestamps are exact at the edges of the 32-bit halves and of the safe range (against BigInt)', () => {
    const edges = [0, -1, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), -(2 ** 32) - 1, -(2 ** 32) + 1, 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_123, -62_135_596_800_000];
    const ts = makeTs(edges.length, (c, i) => (c === 0 ? edges[i]! : 1));
    const table = tableFromIPC(writeTimeseriesArrow(ts));
    const raw = table.getChild('timestamp')!.data[0]!.values as BigInt64Array;
    expect([...raw]).toEqual(edges.map((t) => BigInt(t)));
  });

  it('error: non-integer timestamps are refused at write time', () => {
    const ts = makeTs(2, (c, i) => (c === 0 ? i + 0.5 : 1));
    expect(() => writeTimeseriesArrow(ts)).toThrowErrorMatchingInlineSnapshot(`[RangeError: timeseries timestamp must be an integer unix ms; row 1 was 0.5]`);
  });
});

describe('timeseriesToCsv', () => {
  it('behavior: header, ISO-8601 UTC timestamps, shortest round-trip numbers, NaN empty (hand-written expected text)', () => {
    const ts = makeTs(2, (c, i) => {
      if (c === 0) return Date.UTC(2024, 0, 1, i, 0, 0); // 2024-01-01T00:00Z, 01:00Z
      if (c === 1) return i === 0 ? 0.1 + 0.2 : 2000;
      if (c === 10) return Number.NaN;
      if (c === 2) return i === 0 ? -0 : 1e21;
      return c;
    });
    expect(timeseriesToCsv(ts)).toBe(
      'timestamp,price,poolPrice,lpValue,holdValue,feesCumulative,impermanentLoss,lvrCumulative,gasCumulative,inRange,rangeLower,rangeUpper,lpBase,lpQuote,activeLiquidity\n' +
        '2024-01-01T00:00:00.000Z,0.30000000000000004,-0,3,4,5,6,7,8,9,,11,12,13,14\n' +
        '2024-01-01T01:00:00.000Z,2000,1e+21,3,4,5,6,7,8,9,,11,12,13,14\n',
    );
  });

  it('behavior: every number read back with Number() gives the same float64 (property, 200 runs)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 14, maxLength: 14 }), fc.integer({ min: 0, max: 4_102_444_800_000 }), (vals, t) => {
        const ts = makeTs(1, (c) => (c === 0 ? t : vals[c - 1]!));
        const lines = timeseriesToCsv(ts).split('\n');
        expect(lines.length).toBe(3);
        const fields = lines[1]!.split(',');
        expect(Date.parse(fields[0]!)).toBe(t);
        for (let c = 1; c < 15; c++) expect(Object.is(Number(fields[c]), vals[c - 1])).toBe(true);
      }),
      { numRuns: 200, seed: FC_SEED },
    );
  });

  it('behavior: empty timeseries is just the header line', () => {
    expect(timeseriesToCsv(makeTs(0, () => 0))).toBe(TIMESERIES_COLUMNS.join(',') + '\n');
  });
});
