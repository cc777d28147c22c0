import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bytesToNumber, LfNormalizer, loadCsvPrices, parseCsvPricesText, type CsvPricesOptions } from './csvPrices.ts';
import { loadCsvPricesThroughPapaparse } from './testing/papaparseStreamLoader.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ammsim-csv-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` to a temp file named `name` and loads it; errors are reported with the bare name. */
async function load(name: string, text: string | Buffer, options = {}) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  const prev = process.cwd();
  process.chdir(dir);
  try {
    return await loadCsvPrices(name, options);
  } finally {
    process.chdir(prev);
  }
}

const T0 = 1704067200000; // 2024-01-01T00:00:00Z
const H = 3_600_000;

describe('loadCsvPrices: accepted inputs', () => {
  it('behavior: timestamp,price with ISO text; extras sorted by name; provenance with sha256 of the bytes', async () => {
    const text = 'timestamp,volume,price,aaa\n2024-01-01T00:00:00Z,10,2000.5,1\n2024-01-01T01:00:00Z,,2001,2\n';
    const s = await load('a.csv', text);
    expect([...s.timestampMs]).toEqual([T0, T0 + H]);
    expect([...s.price]).toEqual([2000.5, 2001]);
    expect([...s.extra.keys()]).toEqual(['aaa', 'volume']);
    expect([...s.extra.get('volume')!]).toEqual([10, Number.NaN]);
    expect(s.length).toBe(2);
    expect(s.provenance).toEqual({
      kind: 'csv',
      file: 'a.csv',
      sha256: createHash('sha256').update(text).digest('hex'),
      rows: 2,
      firstTimestampMs: T0,
      lastTimestampMs: T0 + H,
      params: { timestampColumn: 'timestamp', timestampFormat: 'iso-8601', priceColumn: 'price', extraColumns: 'aaa,volume' },
    });
  });

  it('behavior: unix seconds and unix milliseconds are told apart by magnitude', async () => {
    const s1 = await load('s.csv', 'time,price\n1704067200,1\n1704070800,2\n');
    expect([...s1.timestampMs]).toEqual([T0, T0 + H]);
    expect(s1.provenance.params?.['timestampFormat']).toBe('unix-seconds');
    const s2 = await load('ms.csv', 'time,price\n1704067200000,1\n1704070800000,2\n');
    expect([...s2.timestampMs]).toEqual([T0, T0 + H]);
    expect(s2.provenance.params?.['timestampFormat']).toBe('unix-milliseconds');
  });

  it('behavior: Binance/CryptoDataDownload shape: date "YYYY-MM-DD HH:MM" read as UTC, close is the price, OHLC extras', async () => {
    const s = await load('b.csv', 'date,open,high,low,close\n2017-08-17 04:00,301.13,302.57,298.0,301.61\n2017-08-17 05:00,301.61,303.28,300.0,303.1\n');
    expect([...s.timestampMs]).toEqual([Date.UTC(2017, 7, 17, 4), Date.UTC(2017, 7, 17, 5)]);
    expect([...s.price]).toEqual([301.61, 303.1]);
    expect([...s.extra.keys()]).toEqual(['high', 'low', 'open']);
    expect(s.provenance.params?.['priceColumn']).toBe('close');
  });

  it('behavior: a pandas index column (empty name) is ignored; text columns are dropped; CRLF and BOM are handled', async () => {
    const s = await load('p.csv', '\uFEFF,datetime,note,close,volume\r\n0,2019-12-01 00:00:00,x,150.6,16927.583\r\n1,2019-12-01 01:00:00,y,148.25,18229.305\r\n');
    expect([...s.timestampMs]).toEqual([Date.UTC(2019, 11, 1, 0), Date.UTC(2019, 11, 1, 1)]);
    expect([...s.price]).toEqual([150.6, 148.25]);
    expect([...s.extra.keys()]).toEqual(['volume']);
  });

  it('behavior: pandas "Unnamed: 0" index column is ignored; zone offsets are honoured; unix seconds with a fraction round to the ms', async () => {
    const s = await load('u.csv', 'Unnamed: 0,time,price\n0,2024-01-01T01:00:00+01:00,1\n1,2024-01-01 01:00:00Z,2\n');
    expect([...s.timestampMs]).toEqual([T0, T0 + H]);
    expect(s.extra.size).toBe(0);
    const f = await load('f.csv', 'timestamp,price\n1704067200.5,1\n1704067201.25,2\n');
    expect([...f.timestampMs]).toEqual([T0 + 500, T0 + 1250]);
  });

  it('behavior: a column empty on its first rows is decided by its first non-empty value', async () => {
    const s = await load('e.csv', 'timestamp,price,volume,note\n1704067200,1,,\n1704070800,2,3,abc\n');
    expect([...s.extra.keys()]).toEqual(['volume']);
    expect([...s.extra.get('volume')!]).toEqual([Number.NaN, 3]);
  });

  it('behavior: NaN, NA, null… do not decide a column: a text column after them is still dropped, one that holds only them too', async () => {
    const s = await load('na.csv', 'timestamp,price,note,gone\n1704067200,1,NA,null\n1704070800,2,abc,\n1704074400,3,5,None\n');
    expect([...s.extra.keys()]).toEqual([]);
  });

  it('behavior: price is preferred over close; blank lines are skipped but counted', async () => {
    const s = await load('pc.csv', 'date,close,price\n\n2024-01-01,1,2\n\n2024-01-02,3,4\n');
    expect([...s.price]).toEqual([2, 4]);
    expect([...s.extra.get('close')!]).toEqual([1, 3]);
    await expect(load('pc2.csv', 'date,close,price\n\n2024-01-01,1,2\n\n2024-01-01,3,4\n')).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: pc2.csv:5: date: must be strictly increasing; was "2024-01-01", the same time as line 3]`,
    );
  });

  it('behavior: pair option selects one pair of a long-format file', async () => {
    const text = 'unix_s,pair,close\n1704067200,BTC/ETH,14\n1704070800,BTC/ETH,15\n1704067200,ETH/USD,2000\n1704070800,ETH/USD,2100\n';
    const s = await load('cc.csv', text, { pair: 'ETH/USD', timestampColumn: 'unix_s' });
    expect([...s.price]).toEqual([2000, 2100]);
    expect(s.extra.size).toBe(0);
    await expect(load('cc.csv', text, { timestampColumn: 'unix_s' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: cc.csv:4: pair: must be the same on every row, or choose one with the pair option (--pair); was "ETH/USD" after "BTC/ETH"]`,
    );
    await expect(load('cc.csv', text, { timestampColumn: 'unix_s', pair: 'SOL/USD' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[InputError: cc.csv: pair: must match at least one row; no row has "SOL/USD" (pairs found: BTC/ETH, ETH/USD)]`,
    );
  });

  it('error: line numbers stay physical after a quoted field that spans lines (CRLF and LF inside it)', async () => {
    const text = 'timestamp,price,note\n1704067200,10,"two\nlines"\n1704067260,11,"three\r\nmore\nlines"\n1704067320,x,plain\n';
    await expect(load('q.csv', text)).rejects.toThrow(/q\.csv:7: price: must be a finite number > 0; was "x"/);
    expect(() => parseCsvPricesText(text, 'q.csv')).toThrow(/q\.csv:7: price: /);
    const ok = await load('q2.csv', 'timestamp,price,note\n1704067200,10,"a\nb"\n1704067260,11,c\n');
    expect([...ok.price]).toEqual([10, 11]);
  });

  it('behavior: a file larger than one read chunk with multi-byte text split across chunks loads whole', async () => {
    const lines = ['timestamp,price,note'];
    for (let i = 0; i < 60_000; i++) lines.push(`${1704067200 + i * 60},${1000 + (i % 7)},é€𝄞`);
    const s = await load('big.csv', lines.join('\n') + '\n');
    expect(s.length).toBe(60_000);
    expect(s.timestampMs[59_999]).toBe((1704067200 + 59_999 * 60) * 1000);
    expect(s.price[59_999]).toBe(1000 + (59_999 % 7));
    // line numbers stay right across the read and parse pieces
    lines[59_000] = lines[59_000]!.replace(/,\d+,/, ',x,');
    await expect(load('big-bad.csv', lines.join('\n') + '\n')).rejects.toThrow(/big-bad\.csv:59001: price: must be a finite number > 0; was "x"/);
  });

  it('behavior: CSV written with String(x) then read back gives the same series (property, 100 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 50 }),
        fc.constantFrom('iso', 's', 'ms'),
        (rows, fmt) => {
          let t = T0;
          const ts: number[] = [];
          const lines = ['timestamp,price,volume'];
          for (const [dt, p, v] of rows) {
            t += dt * 1000;
            ts.push(t);
            const tt = fmt === 'iso' ? new Date(t).toISOString() : fmt === 's' ? String(t / 1000) : String(t);
            lines.push(`${tt},${p},${v}`);
          }
          const s = parseCsvPricesText(lines.join('\n'), 'x.csv');
          expect([...s.timestampMs]).toEqual(ts);
          expect([...s.price]).toEqual(rows.map((r) => r[1]));
          expect([...s.extra.get('volume')!]).toEqual(rows.map((r) => (r[2] === 0 ? 0 : r[2])));
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });
});

describe('loadCsvPrices: line endings (CRLF, CR, mixed)', () => {
  const lf = 'timestamp,price,volume\n1704067200,301.61,5\n1704067260,302,6\n1704067320,303.5,7\n';
  /** `lf` with line k ended by `ends[k % ends.length]`. */
  const withEndings = (ends: readonly string[]): string =>
    lf
      .split('\n')
      .slice(0, -1)
      .map((l, k) => l + ends[k % ends.length]!)
      .join('');

  it('behavior: CRLF, CR-only and mixed files give the same series as the LF file (stream and in-memory)', async () => {
    const want = await load('lf.csv', lf);
    for (const [name, ends] of [
      ['crlf', ['\r\n']],
      ['cr', ['\r']],
      ['mixed', ['\n', '\r\n']], // LF header, then CRLF / LF alternating: today's `was "301.61\r"`
      ['mixed2', ['\r\n', '\n', '\r']],
    ] as const) {
      const text = withEndings(ends);
      const got = await load(`${name}.csv`, text);
      expect([...got.price], name).toEqual([...want.price]);
      expect([...got.timestampMs], name).toEqual([...want.timestampMs]);
      expect([...got.extra.get('volume')!], name).toEqual([5, 6, 7]);
      // the provenance hash is of the file's own bytes, not of the normalised text
      expect(got.provenance.sha256).toBe(createHash('sha256').update(text).digest('hex'));
      expect([...parseCsvPricesText(text, `${name}.csv`).price], name).toEqual([...want.price]);
    }
  });

  it('error: line numbers stay physical with CRLF, mixed endings, blank CRLF lines and a quoted field spanning CRLF lines', async () => {
    const text = 'timestamp,price,note\r\n1704067200,10,"two\r\nlines"\n\r\n1704067260,11,"three\r\nmore\rlines"\r\n1704067320,x,plain\r\n';
    // header 1; row 2-3; blank 4; row 5-7; bad row 8
    await expect(load('qc.csv', text)).rejects.toThrowErrorMatchingInlineSnapshot(`[InputError: qc.csv:8: price: must be a finite number > 0; was "x"]`);
    expect(() => parseCsvPricesText(text, 'qc.csv')).toThrow(/^qc\.csv:8: price: must be a finite number > 0; was "x"$/);
    const ok = await load('qc2.csv', text.replace(',x,', ',12,'));
    expect([...ok.price]).toEqual([10, 11, 12]);
  });

  it('behavior: a CRLF split across the 1 MiB read boundary is one line break', async () => {
    // rows of 20 bytes (`1704067200,1000.500\r\n` is 21): place a CR as the last byte of the first read
    const header = 'timestamp,price\r\n';
    const rows: string[] = [];
    let size = header.length;
    let i = 0;
    const row = (k: number): string => `${1704067200 + k * 60},${(1000 + (k % 9)).toFixed(3)}\r\n`;
    while (size + 40 < 1 << 20) {
      rows.push(row(i));
      size += row(i).length;
      i++;
    }
    // the next row's price padded with zeros so that its CR is byte 2^20 − 1 exactly (the last of the first read)
    const head = `${1704067200 + i * 60},1000.`;
    const lastRow = `${head}${'0'.repeat((1 << 20) - 1 - size - head.length)}\r\n`;
    rows.push(lastRow);
    expect(header.length + rows.join('').indexOf(lastRow) + lastRow.length - 2).toBe((1 << 20) - 1);
    for (let k = i + 1; k < i + 100; k++) rows.push(row(k));
    const s = await load('boundary.csv', header + rows.join(''));
    expect(s.length).toBe(rows.length);
    expect(s.price[i]).toBe(1000);
    expect(s.price[i + 1]).toBe(1000 + ((i + 1) % 9));
    // and the line count does not see a blank line there
    rows[i + 50] = rows[i + 50]!.replace(/,[\d.]+\r/, ',x\r');
    await expect(load('boundary-bad.csv', header + rows.join(''))).rejects.toThrow(new RegExp(`^boundary-bad\\.csv:${i + 52}: price: must be a finite number > 0; was "x"$`));
  });

  it('behavior: LfNormalizer over any chunking equals replacing CRLF and CR by LF (property, 200 runs)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ',', '"', '\n', '\r', '\r\n', 'é'), { maxLength: 60 }), fc.array(fc.nat(80), { maxLength: 6 }), (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''), 'utf8');
        const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const norm = new LfNormalizer();
        const out: Buffer[] = [];
        let from = 0;
        for (const c of [...at, bytes.length]) {
          out.push(Buffer.from(norm.push(bytes.subarray(from, c))));
          from = c;
        }
        out.push(norm.end());
        expect(Buffer.concat(out).toString('utf8')).toBe(parts.join('').replace(/\r\n?/g, '\n'));
      }),
      { numRuns: 200 },
    );
  });
  it('behavior: an LF-only chunk is passed through as it is (no copy on the fast path)', () => {
    const b = Buffer.from('a,b\n1,2\n');
    expect(new LfNormalizer().push(b)).toBe(b);
  });
});

describe('loadCsvPrices: errors (whole message pinned)', () => {
  const head = 'timestamp,price\n2024-01-01T00:00:00Z,2000\n2024-01-01T01:00:00Z,2001\n2024-01-01T02:00:00Z,2002\n2024-01-01T03:00:00Z,2003\n2024-01-01T04:00:00Z,2004\n';
  it.each([
    ['non-numeric price', head + '2024-01-01T05:00:00Z,abc\n', `prices.csv:7: price: must be a finite number > 0; was "abc"`],
    ['negative price', head + '2024-01-01T05:00:00Z,-1\n', `prices.csv:7: price: must be a finite number > 0; was "-1"`],
    ['zero price', head + '2024-01-01T05:00:00Z,0\n', `prices.csv:7: price: must be a finite number > 0; was "0"`],
    ['NaN price', head + '2024-01-01T05:00:00Z,NaN\n', `prices.csv:7: price: must be a finite number > 0; was "NaN"`],
    ['Infinity price', head + '2024-01-01T05:00:00Z,Infinity\n', `prices.csv:7: price: must be a finite number > 0; was "Infinity"`],
    ['huge price overflowing to Infinity', head + '2024-01-01T05:00:00Z,1e999\n', `prices.csv:7: price: must be a finite number > 0; was "1e999"`],
    ['empty price', head + '2024-01-01T05:00:00Z,\n', `prices.csv:7: price: must be a finite number > 0; was ""`],
    ['hex price', head + '2024-01-01T05:00:00Z,0x10\n', `prices.csv:7: price: must be a finite number > 0; was "0x10"`],
    ['unsorted timestamps', head + '2024-01-01T03:30:00Z,1\n', `prices.csv:7: timestamp: must be strictly increasing; was "2024-01-01T03:30:00Z" (2024-01-01T03:30:00.000Z), earlier than line 6 ("2024-01-01T04:00:00Z")`],
    ['duplicate timestamps', head + '2024-01-01T04:00:00Z,1\n', `prices.csv:7: timestamp: must be strictly increasing; was "2024-01-01T04:00:00Z", the same time as line 6`],
    ['unparseable timestamp', head + '2024-01-01T05:00:00Q,1\n', `prices.csv:7: timestamp: must be unix seconds, unix milliseconds or an ISO-8601 date-time (UTC unless it has a zone); was "2024-01-01T05:00:00Q"`],
    ['impossible date', head + '2024-02-30T05:00:00Z,1\n', `prices.csv:7: timestamp: must be unix seconds, unix milliseconds or an ISO-8601 date-time (UTC unless it has a zone); was "2024-02-30T05:00:00Z"`],
    ['numeric timestamp in an ISO file', head + '1704085200,1\n', `prices.csv:7: timestamp: must be an ISO-8601 date-time like the first data row (line 2); was "1704085200"`],
    ['short row', head + '2024-01-01T05:00:00Z\n', `prices.csv:7: price: must be present (the header has 2 fields); the row has 1`],
    ['long row', head + '2024-01-01T05:00:00Z,1,2\n', `prices.csv:7: row: must have 2 fields like the header; has 3`],
    ['missing price column', 'timestamp,open\n2024-01-01,1\n', `prices.csv:1: price: must have a price column ("price", or "close"); header has: timestamp, open`],
    ['missing timestamp column', 'when,price\n2024-01-01,1\n', `prices.csv:1: timestamp: must have a timestamp column ("timestamp", "time", "date" or "datetime"); header has: when, price`],
    ['duplicate column', 'timestamp,price,price\n2024-01-01,1,1\n', `prices.csv:1: header: column names must be unique; "price" appears twice`],
    ['unnamed column', 'timestamp,,price\n2024-01-01,1,1\n', `prices.csv:1: header: every column must have a name; column 2 has none`],
    ['empty file', '', `prices.csv:1: header: must name the columns (at least timestamp and price); the file is empty`],
    ['header only', 'timestamp,price\n', `prices.csv:2: rows: must have at least one data row after the header; found none`],
    ['seconds then milliseconds', 'timestamp,price\n1704067200,1\n1704070800000,1\n', `prices.csv:3: timestamp: must be unix seconds (below 100000000000) like the first data row (line 2); was "1704070800000"`],
    ['microseconds', 'timestamp,price\n1704067200000000,1\n', `prices.csv:2: timestamp: must be unix seconds or unix milliseconds (below 1e14), or an ISO-8601 date-time; was "1704067200000000"`],
    ['text in a numeric extra column', 'timestamp,price,volume\n1704067200,1,5\n1704070800,1,lots\n', `prices.csv:3: volume: must be a number or empty (the column is numeric from line 2); was "lots"`],
    ['a .csv.gz (binary) header: its bytes escaped, not echoed', Buffer.from([0x1f, 0x8b, 0x08, 0x08, 0xc3, 0x00, 0x7f, 0x41, 0x2c, 0x9b, 0x42, 0x0a, 0x00]),
      'prices.csv:1: timestamp: must have a timestamp column ("timestamp", "time", "date" or "datetime"); header has: "\\u001f\\ufffd\\b\\b\\ufffd\\u0000\\u007fA", "\\ufffdB" (characters that do not print, escaped: is the file compressed or binary? it must be CSV text)'],
    ['a header with a zero-width space', 'time\u200b,price\n1,1\n', 'prices.csv:1: timestamp: must have a timestamp column ("timestamp", "time", "date" or "datetime"); header has: "time\\u200b", price (characters that do not print, escaped: is the file compressed or binary? it must be CSV text)'],
  ])('error: %s', async (_what, text, message) => {
    await expect(load('prices.csv', text)).rejects.toThrow(message);
    const err = await load('prices.csv', text).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InputError');
    expect((err as Error).message).toBe(message);
  });

  it('behavior: a missing number spelled out (NaN, NA, null, N/A, None…) in an extra column reads as an empty cell (NaN), on any row, and decides nothing', async () => {
    for (const na of ['NaN', 'nan', '-nan', 'NA', 'N/A', '#N/A', '<NA>', 'null', 'None']) {
      const s = await load(`na-${na.replace(/[^a-z]/gi, '')}.csv`, `timestamp,price,volume\n1704067200,1,${na}\n1704070800,1,5\n1704074400,1,${na}\n`);
      expect([...s.extra.get('volume')!], na).toEqual([NaN, 5, NaN]);
    }
    // a column of nothing but missing values is one of empty cells: no column
    const only = await load('na-only.csv', 'timestamp,price,volume\n1704067200,1,NaN\n1704070800,1,NA\n');
    expect(only.extra.has('volume')).toBe(false);
  });

  it('error: missing file is an InputError without a line', async () => {
    await expect(loadCsvPrices(path.join(dir, 'nope.csv'))).rejects.toThrow(`${path.join(dir, 'nope.csv')}: must be a readable file; no such file (ENOENT)`);
  });

  it('error: a directory is not a price file', async () => {
    await expect(loadCsvPrices(dir)).rejects.toThrow(`${dir}: must be a readable file; it is a directory or special file`);
  });
});

describe('loadCsvPrices: rows cut from the bytes give what papaparse gives', () => {
  it('property: bytesToNumber is Number(text) exactly, or declines; it reads every plain decimal of ≤ 15 digits and integer of ≤ 30', () => {
    const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    fc.assert(
      fc.property(fc.constantFrom('', '-', '+'), digits(0, 32), fc.boolean(), digits(0, 18), fc.constantFrom('', '', '', 'e5', 'x', ' '), (sign, int, point, frac, tail) => {
        const text = `${sign}${int}${point ? '.' : ''}${point ? frac : ''}${tail}`;
        const v = bytesToNumber(Buffer.from(text), 0, text.length);
        const n = int.length + (point ? frac.length : 0);
        const plain = tail === '' && n >= 1 && (n <= 15 || (!point && n <= 30));
        if (plain) expect(Object.is(v, Number(text)), text).toBe(true);
        else if (v !== Number.NEGATIVE_INFINITY) expect(Object.is(v, Number(text)), text).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
  it('property: 16-digit decimals (a quarter of the prices JavaScript prints) are Number(text) exactly; read when a digit follows the point and the digits are ≤ 2^53', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 15n, max: 10n ** 16n - 1n }), fc.integer({ min: 0, max: 16 }), fc.constantFrom('', '-'), (m, pointAt, sign) => {
        const d = String(m);
        const text = `${sign}${d.slice(0, 16 - pointAt)}.${d.slice(16 - pointAt)}`;
        const v = bytesToNumber(Buffer.from(text), 0, text.length);
        // read when some digit follows the point and the digits are ≤ 2^53 (16 digits then a bare point go the long-integer way, which declines)
        if (m <= 2n ** 53n && pointAt > 0) expect(Object.is(v, Number(text)), text).toBe(true);
        else expect(v === Number.NEGATIVE_INFINITY || Object.is(v, Number(text)), text).toBe(true);
        if (m > 2n ** 53n) expect(v, text).toBe(Number.NEGATIVE_INFINITY);
      }),
      { numRuns: 5000 },
    );
    // at and around 2^53, halfway-looking tails, and prices as printed by the one-year bench file
    for (const text of ['9007199254740.992', '9007199254740.993', '900719925474099.2', '0.9007199254740992', '.9007199254740992', '9007199254740992.', '1999.954109267428', '2000.187005562235', '1996.1883676612074', '5000000000000.001', '0000000000000001.']) {
      const v = bytesToNumber(Buffer.from(text), 0, text.length);
      expect(v === Number.NEGATIVE_INFINITY || Object.is(v, Number(text)), text).toBe(true);
    }
    expect(bytesToNumber(Buffer.from('1999.954109267428'), 0, 17)).toBe(1999.954109267428);
    expect(bytesToNumber(Buffer.from('1996.1883676612074'), 0, 18)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('property: long integers round to nearest, ties to even, as Number(text) does (halfway cases between doubles)', () => {
    // integers exactly halfway between two consecutive doubles above 2^53, and their neighbours, up to 30 digits
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 99n }), fc.constantFrom(-1n, 0n, 1n), fc.constantFrom('', '-'), (x, nudge, sign) => {
        const d = Number(x); // a double near x
        const ulp = BigInt(2 ** (Math.floor(Math.log2(d)) - 52));
        const mid = BigInt(d) + ulp / 2n + nudge; // the midpoint to the next double, and its neighbours
        const text = `${sign}${mid}`;
        if (text.replace('-', '').length > 30) return;
        expect(Object.is(bytesToNumber(Buffer.from(text), 0, text.length), Number(text)), text).toBe(true);
      }),
      { numRuns: 3000 },
    );
    for (const text of ['9007199254740993', '9007199254740995', '18014398509481986', '422680516552367239', '19253165598944715626', '-34314688834673185254', '0000000000000000', '-0000000000000000', '999999999999999999999999999999']) {
      expect(Object.is(bytesToNumber(Buffer.from(text), 0, text.length), Number(text)), text).toBe(true);
    }
  });

  const outcome = async (f: () => Promise<unknown>) => {
    try {
      const s = (await f()) as { timestampMs: Float64Array; price: Float64Array; extra: ReadonlyMap<string, Float64Array>; provenance: unknown };
      return { time: [...s.timestampMs], price: [...s.price], extra: [...s.extra].map(([k, v]) => [k, [...v]]), provenance: s.provenance };
    } catch (err) {
      return { error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  };
  const same = async (name: string, bytes: Buffer, options: CsvPricesOptions = {}) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    const fast = await outcome(() => loadCsvPrices(p, options));
    const papa = await outcome(() => loadCsvPricesThroughPapaparse(p, options));
    expect(fast).toEqual(papa);
    return fast;
  };

  it('property: random files (good and bad values, blank and short rows, CR, BOM, quotes) and options give the same series or the same error', async () => {
    const ts = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((i) => new Date(T0 + i * H).toISOString()),
      fc.integer({ min: 0, max: 40 }).map((i) => new Date(T0 + i * H).toISOString().replace('T', ' ').slice(0, 19)),
      fc.integer({ min: 0, max: 40 }).map((i) => String(T0 / 1000 + i * 3600)),
      fc.integer({ min: 0, max: 40 }).map((i) => String(T0 + i * H)),
      fc.constantFrom('', 'soon', '2024-02-30', '1.7e9'),
    );
    const num = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
      fc.bigInt({ min: 0n, max: 10n ** 24n }).map(String),
      fc.constantFrom('', '-0', '+5', '.5', '5.', '.', '1e3', '-1e-7', 'lots', '0x10', '007', '1.2.3', '202693', '-202693', '0.000000000000001'),
    );
    const row = fc.tuple(ts, num, num, num).map(([t, a, b, c]) => [t, a, b, c]);
    const lines = fc.array(fc.oneof({ weight: 12, arbitrary: row.map((r) => r.join(',')) }, fc.constantFrom('', '2024-01-01', '"2024-01-02T00:00:00Z",1,2,3', 'a,b,c,d,e')), { maxLength: 30 });
    const options = fc.constantFrom<CsvPricesOptions>(
      {},
      { duplicateTimestamps: 'last' },
      { extraColumns: ['b'], renameExtras: { b: 'bee' } },
      { priceTransform: { describe: '1e12 / 1.0001^tick', apply: (t: number) => 1e12 / Math.pow(1.0001, t) } },
      { rowFilter: { column: 'c', equals: '1' } },
    );
    await fc.assert(
      fc.asyncProperty(lines, fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), fc.boolean(), fc.constantFrom('timestamp,price,b,c', 'time,close,b,c'), options, async (ls, eol, bom, finalEol, head, opts) => {
        const text = (bom ? '\uFEFF' : '') + [head, ...ls].join(eol) + (finalEol ? eol : '');
        await same('diff.csv', Buffer.from(text, 'utf8'), opts);
      }),
      { numRuns: 300 },
    );
  });

  it('behavior: a row out of order just after a 1 MiB read quotes the row before it, read in the previous piece (the read buffer is reused)', async () => {
    const header = 'timestamp,price\n';
    const rows: string[] = [];
    let size = header.length;
    for (let i = 0; size < (1 << 20) - 200; i++) {
      const r = `${new Date(T0 + i * 60_000).toISOString()},${2000 + (i % 13)}\n`;
      rows.push(r);
      size += r.length;
    }
    // the last row of the first piece ends exactly at byte 2^20 (its price padded with zeros after the point)
    const lastTs = new Date(T0 + rows.length * 60_000).toISOString();
    const head = `${lastTs},2000.`;
    rows.push(`${head}${'0'.repeat((1 << 20) - 1 - size - head.length)}\n`);
    // the bad row, then another MiB of rows, so the second read overwrites all of the first one's bytes
    const text = header + rows.join('') + `${new Date(T0).toISOString()},2001\n` + rows.join('');
    expect(text.indexOf('\n', (1 << 20) - 2)).toBe((1 << 20) - 1);
    const line = rows.length + 2;
    await expect(load('boundary-order.csv', text)).rejects.toThrow(
      `boundary-order.csv:${line}: timestamp: must be strictly increasing; was "${new Date(T0).toISOString()}" (2024-01-01T00:00:00.000Z), earlier than line ${line - 1} ("${lastTs}")`,
    );
  });

  it('behavior: a file with far more rows than its first 1 MiB suggests (short rows later) loads every row', async () => {
    const body: string[] = ['timestamp,price,note'];
    let i = 0;
    for (let size = 0; size < 1 << 20; i++) {
      const r = `${T0 + i * 60_000},${2000 + (i % 89) / 8},${'x'.repeat(60)}`;
      body.push(r);
      size += r.length + 1;
    }
    for (const end = i + 200_000; i < end; i++) body.push(`${T0 + i * 60_000},${2000 + (i % 89) / 8},`);
    const a = await same('growing.csv', Buffer.from(body.join('\n') + '\n'));
    expect((a as { time: number[] }).time).toHaveLength(i);
  });

  it('behavior: a file of several 1 MiB reads: a line cut at a read boundary, a CR at one, a quote late in the file (papaparse from there on)', async () => {
    const body: string[] = ['timestamp,price,liquidity,amount'];
    for (let i = 0; i < 60_000; i++) body.push(`${new Date(T0 + i * 60_000).toISOString().replace('T', ' ').slice(0, 19)},${2000 + (i % 97) / 7},${422680516552367239n + BigInt(i)},${-30361565484 + i}`);
    const plain = body.join('\n') + '\n';
    const a = await same('big.csv', Buffer.from(plain));
    expect((a as { time: number[] }).time).toHaveLength(60_000);
    const crlf = plain.replace(/\n/g, '\r\n');
    await same('big-crlf.csv', Buffer.from(crlf));
    const lines = body.slice();
    lines[50_000] = lines[50_000]!.replace(/,(\d+),/, ',"$1",');
    const quoted = await same('big-quoted.csv', Buffer.from(lines.join('\n')));
    expect((quoted as { time: number[] }).time).toHaveLength(60_000);
    lines[55_000] = lines[55_000]!.replace(/,(\d+),/, ',oops,');
    expect(await same('big-bad.csv', Buffer.from(lines.join('\n')))).toEqual({ error: `InputError: ${path.join(dir, 'big-bad.csv')}:55001: price: must be a finite number > 0; was "oops"` });
    lines[55_000] = body[55_000]!;
    lines[57_000] = lines[57_000]!.replace(/,(-\d+)$/, ',oops');
    expect(await same('big-bad-extra.csv', Buffer.from(lines.join('\n')))).toEqual({ error: `InputError: ${path.join(dir, 'big-bad-extra.csv')}:57001: amount: must be a number or empty (the column is numeric from line 2); was "oops"` });
  });
});

describe('loadCsvPrices: byte-order mark and quotes', () => {
  it('behavior: a BOM before a quoted header (Excel "CSV UTF-8" with quoted fields) is read like the file without it', async () => {
    const text = '"timestamp","price"\r\n"2024-01-01T00:00:00Z","2000"\r\n"2024-01-01T01:00:00Z","2001"\r\n';
    const plain = await load('q.csv', text);
    const withBom = await load('q-bom.csv', '\uFEFF' + text);
    expect([...withBom.timestampMs]).toEqual([T0, T0 + H]);
    expect([...withBom.price]).toEqual([...plain.price]);
    expect(parseCsvPricesText('\uFEFF' + text, 'q-bom.csv').price).toEqual(plain.price);
    expect(await loadCsvPricesThroughPapaparse(path.join(dir, 'q-bom.csv'))).toEqual(await loadCsvPrices(path.join(dir, 'q-bom.csv')));
  });

  it('error: a quote never closed names its line and column, instead of reading the rest of the file as one field (rows lost)', async () => {
    const text = 'timestamp,price,note\n2024-01-01T00:00:00Z,1,a\n\n2024-01-01T01:00:00Z,2,"oops\n2024-01-01T02:00:00Z,3,c\n2024-01-01T03:00:00Z,4,d\n';
    const message = `prices.csv:4: note: has a quote (") that is never closed, so the rest of the file would be read as this one field; it starts "\\"oops\\n2024-01-01T02:00:00Z,3,c\\n2024-01-01T03:00:00Z,4,d\\n"`;
    const err = await load('prices.csv', text).catch((e: unknown) => e);
    expect((err as Error).name).toBe('InputError');
    expect((err as Error).message).toBe(message);
    expect(() => parseCsvPricesText(text, 'prices.csv')).toThrow(message);
    await expect(loadCsvPricesThroughPapaparse(path.join(dir, 'prices.csv'))).rejects.toThrow(message.replace('prices.csv', path.join(dir, 'prices.csv')));
    // in the header, and after a quoted field that spans lines (the line is where the open field starts)
    await expect(load('prices.csv', 'timestamp,"price\n1,2\n')).rejects.toThrow('prices.csv:1: header: has a quote (") that is never closed');
    await expect(load('prices.csv', 'timestamp,price,note\n1704067200,1,"a\nb"\n1704070800,2,"c\n1704074400,3,d\n')).rejects.toThrow('prices.csv:4: note: has a quote (") that is never closed');
  });
});
