import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError, ConfigError } from '../../sim/core/errors.ts';
import {
  aprAt,
  asOfIndex,
  loadAprSeries,
  loadLstPriceSeries,
  lstPriceAt,
  parseAprCsv,
  parseEthStoreJson,
  parseLstPriceCsv,
  parseTimestampMs,
} from './stakingSeries.ts';

const ETHSTORE = path.resolve(process.cwd(), '../shared/data/staking/ethstore_mainnet_daily.json');
const CC_HOURLY = path.resolve(process.cwd(), '../shared/data/cryptocompare/cryptocompare_hourly_2022-12-16_2023-03-09.csv');

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseTimestampMs', () => {
  it('behavior: unix seconds, unix ms, ISO with and without zone, date only', () => {
    // 2021-01-01T00:00:00Z = 1609459200 s (hand-checked: 51 years incl. 13 leap days → 18628 days × 86400).
    expect(parseTimestampMs('1609459200')).toBe(1609459200_000);
    expect(parseTimestampMs('1609459200000')).toBe(1609459200_000);
    expect(parseTimestampMs('2021-01-01T00:00:00Z')).toBe(1609459200_000);
    expect(parseTimestampMs('2021-01-01 00:00')).toBe(1609459200_000);
    expect(parseTimestampMs('2021-01-01')).toBe(1609459200_000);
    expect(parseTimestampMs('2021-01-01T02:00:00+02:00')).toBe(1609459200_000);
    expect(parseTimestampMs('2020-12-31T19:00:00-0500')).toBe(1609459200_000);
    expect(parseTimestampMs('2020-12-01T12:00:23Z')).toBe(1606824023_000);
  });
  it('error: rejects non-times and impossible dates', () => {
    expect(parseTimestampMs('')).toBeUndefined();
    expect(parseTimestampMs('yesterday')).toBeUndefined();
    expect(parseTimestampMs('2023-02-30')).toBeUndefined();
    expect(parseTimestampMs('2023-13-01')).toBeUndefined();
  });
});

describe('asOfIndex / aprAt', () => {
  const s = parseAprCsv('timestamp,apr\n1000,0.05\n2000,0.04\n3000,0.03\n', 'mem.csv');
  it('behavior: the value in force is the last observation at or before t', () => {
    expect(s.timestampMs[0]).toBe(1000_000);
    expect(asOfIndex(s.timestampMs, 999_999)).toBe(-1);
    expect(aprAt(s, 999_999)).toBeUndefined();
    expect(aprAt(s, 1000_000)).toBe(0.05);
    expect(aprAt(s, 1999_999)).toBe(0.05);
    expect(aprAt(s, 2000_000)).toBe(0.04);
    expect(aprAt(s, 9e12)).toBe(0.03);
  });
});

describe('parseAprCsv', () => {
  it('behavior: reads ISO and unix times, skips blank lines', () => {
    const s = parseAprCsv('date,apr\n2021-01-01,0.05\n\n2021-01-02,0.051\n', 'a.csv');
    expect(s.length).toBe(2);
    expect([...s.apr]).toEqual([0.05, 0.051]);
    expect(s.timestampMs[1]! - s.timestampMs[0]!).toBe(86_400_000);
  });
  it('error: bad apr names file, line and field', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,apr\n2021-01-01,0.05\n\n2021-01-03,abc\n', 'a.csv'));
    expect(e.message).toBe('a.csv:4: apr: must be a finite fraction > -1 (0.05 = 5 % a year); found "abc"');
    // a plain decimal, as the price loader reads numbers: Number() would take hex and surrounding spaces
    expect(inputErrorOf(() => parseAprCsv('timestamp,apr\n2021-01-01,0x1\n', 'a.csv')).message).toBe('a.csv:2: apr: must be a finite fraction > -1 (0.05 = 5 % a year); found "0x1"');
    expect(inputErrorOf(() => parseAprCsv('timestamp,apr\n2021-01-01,Infinity\n', 'a.csv')).message).toContain('found "Infinity"');
  });
  it('error: times not increasing', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,apr\n2021-01-02,0.05\n2021-01-01,0.05\n', 'a.csv'));
    expect(e.message).toBe('a.csv:3: timestamp: rows must be strictly increasing in time; "2021-01-01" is not after the previous row');
  });
  it('error: missing apr column', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,rate\n2021-01-01,0.05\n', 'a.csv'));
    expect(e.message).toBe('a.csv:1: apr: no "apr" column in the header; found "timestamp", "rate"');
  });
  it('error: bad time', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,apr\nsoon,0.05\n', 'a.csv'));
    expect(e.message).toBe('a.csv:2: timestamp: not a time (unix s/ms or ISO-8601); found "soon"');
  });
});

describe('line endings: CRLF, CR and mixed read like LF, line numbers physical', () => {
  it('behavior: APR and LST files with CRLF or mixed endings parse to the LF result', () => {
    const apr = 'timestamp,apr\n2021-01-01,0.05\n\n2021-01-02,0.051\n2021-01-03,0.052\n';
    const lst = 'timestamp,price\n2023-01-01,1\n2023-01-02,0.97\n2023-01-03,0.98\n';
    for (const [name, f] of [
      ['crlf', (t: string) => t.replace(/\n/g, '\r\n')],
      ['cr', (t: string) => t.replace(/\n/g, '\r')],
      ['mixed', (t: string) => t.replace(/\n(?=2021-01-0[13]|2023-01-0[13])/g, '\r\n')], // CRLF on some lines only
      ['mixed-crlf-first', (t: string) => t.replace('\n', '\r\n')], // CRLF header, LF rows
    ] as const) {
      expect([...parseAprCsv(f(apr), 'a.csv').apr], name).toEqual([0.05, 0.051, 0.052]);
      expect([...parseLstPriceCsv(f(lst), 'p.csv').price], name).toEqual([1, 0.97, 0.98]);
    }
  });
  it('error: a bad value after mixed endings names its physical line', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,apr\r\n2021-01-01,0.05\n\r\n2021-01-03,abc\r\n', 'a.csv'));
    expect(e.message).toBe('a.csv:4: apr: must be a finite fraction > -1 (0.05 = 5 % a year); found "abc"');
  });
  it('error: line numbers stay physical after a quoted field that spans lines', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,apr,note\n2021-01-01,0.05,"two\r\nlines"\n2021-01-02,abc,c\n', 'a.csv'));
    expect(e.message).toBe('a.csv:4: apr: must be a finite fraction > -1 (0.05 = 5 % a year); found "abc"');
  });
  it('error: a quote never closed is refused at its line, not read as one field holding the rest of the file (rows lost)', () => {
    const e = inputErrorOf(() => parseAprCsv('timestamp,apr,note\n2021-01-01,0.05,a\n2021-01-02,0.06,"oops\n2021-01-03,0.07,c\n', 'a.csv'));
    expect(e.message).toBe('a.csv:3: note: has a quote (") that is never closed, so the rest of the file would be read as this one field; it starts "\\"oops\\n2021-01-03,0.07,c\\n"');
    expect(() => parseLstPriceCsv('timestamp,price\n2021-01-01,"1\n2021-01-02,1\n', 'l.csv')).toThrow('l.csv:2: price: has a quote (") that is never closed');
  });
});

describe('staking files: every error names file, line and field, the lines a text editor shows', () => {
  it('error: blank lines before the header are skipped (as the price and gas loaders skip them) and counted', () => {
    expect([...parseAprCsv('\r\n\r\ntimestamp,apr\r\n2021-01-01,0.05\r\n', 'a.csv').apr]).toEqual([0.05]);
    expect(inputErrorOf(() => parseAprCsv('\n\ntimestamp,apr\n2021-01-01,0.05\n2021-01-02,x\n', 'a.csv')).message).toBe('a.csv:5: apr: must be a finite fraction > -1 (0.05 = 5 % a year); found "x"');
    expect(inputErrorOf(() => parseAprCsv('\n\ntimestamp,rate\n2021-01-01,0.05\n', 'a.csv')).message).toBe('a.csv:3: apr: no "apr" column in the header; found "timestamp", "rate"');
    expect(inputErrorOf(() => parseLstPriceCsv('\ntimestamp,price\n2021-01-01,"1\n', 'l.csv')).message).toMatch(/^l\.csv:3: price: has a quote/);
  });
  it('error: an empty file, blank lines only, or a header alone name the header or the rows', () => {
    expect(inputErrorOf(() => parseAprCsv('', 'a.csv')).message).toBe('a.csv:1: header: the file is empty; expected a header row');
    expect(inputErrorOf(() => parseAprCsv('\r\n\r\n', 'a.csv')).message).toBe('a.csv:1: header: the file is empty; expected a header row');
    expect(inputErrorOf(() => parseAprCsv('timestamp,apr\n', 'a.csv')).message).toBe('a.csv:2: rows: no data rows after the header');
    expect(inputErrorOf(() => parseAprCsv('\ntimestamp,apr\n\n', 'a.csv')).message).toBe('a.csv:3: rows: no data rows after the header');
    expect(inputErrorOf(() => parseLstPriceCsv('timestamp,price\r\n', 'l.csv')).message).toBe('l.csv:2: rows: no data rows after the header');
    expect(inputErrorOf(() => parseAprCsv('"timestamp,apr\n2021-01-01,0.05\n', 'a.csv')).message).toMatch(/^a\.csv:1: header: has a quote/);
  });
  it('error: CRLF, blank lines and a quoted field spanning lines, in APR and LST files: order, duplicates, bad values', () => {
    const rows = (last: string): string => `timestamp,apr,note\r\n\r\n2021-01-01,0.05,"two\r\nlines"\r\n\r\n"2021-01-02",0.06,b\r\n${last}\r\n`;
    expect(inputErrorOf(() => parseAprCsv(rows('2021-01-02,0.07,c'), 'a.csv')).message).toBe('a.csv:7: timestamp: rows must be strictly increasing in time; "2021-01-02" is not after the previous row');
    expect(inputErrorOf(() => parseAprCsv(rows('2020-12-31,0.07,c'), 'a.csv')).message).toBe('a.csv:7: timestamp: rows must be strictly increasing in time; "2020-12-31" is not after the previous row');
    expect(inputErrorOf(() => parseAprCsv(rows('2021-01-03,-1,c'), 'a.csv')).message).toBe('a.csv:7: apr: must be a finite fraction > -1 (0.05 = 5 % a year); found "-1"');
    expect(inputErrorOf(() => parseAprCsv(rows('later,0.07,c'), 'a.csv')).message).toBe('a.csv:7: timestamp: not a time (unix s/ms or ISO-8601); found "later"');
    const lst = 'timestamp,pair,price\r\n2021-01-01,STETH/ETH,"0.99"\r\n2021-01-01,OTHER/ETH,"1\r\n"\r\n\r\n2021-01-02,STETH/ETH,-0.5\r\n';
    expect(inputErrorOf(() => parseLstPriceCsv(lst, 'l.csv', 'STETH/ETH')).message).toBe('l.csv:6: price: must be a finite price > 0 (base per one LST); found "-0.5"');
  });
  it('error: ETH.STORE JSON with CR-only line endings names the element\'s line', () => {
    const json = '[\r  {"dayTime": "2021-01-01T12:00:00Z", "apr": "0.05"},\r\r  {"dayTime": "2021-01-02T12:00:00Z", "apr": "x"}\r]\r';
    expect(inputErrorOf(() => parseEthStoreJson(json, 'e.json')).message).toBe('e.json:4: apr: must be a finite fraction > -1; found "x"');
    expect(inputErrorOf(() => parseEthStoreJson(json.replace(/\r/g, '\r\n'), 'e.json')).message).toBe('e.json:4: apr: must be a finite fraction > -1; found "x"');
  });
});

describe('parseEthStoreJson', () => {
  const text = `[
\t{
\t\t"day": "0",
\t\t"dayTime": "2020-12-01T12:00:23Z",
\t\t"apr": "0.17"
\t},
\t{
\t\t"day": "1",
\t\t"dayTime": "2020-12-02T12:00:23Z",
\t\t"apr": "x"
\t}
]`;
  it('error: a bad apr string names the line of its object', () => {
    const e = inputErrorOf(() => parseEthStoreJson(text, 'e.json'));
    expect(e.message).toBe('e.json:7: apr: must be a finite fraction > -1; found "x"');
  });
  it('behavior: reads dayTime and apr strings', () => {
    const s = parseEthStoreJson(text.replace('"x"', '"0.18"'), 'e.json');
    expect([...s.apr]).toEqual([0.17, 0.18]);
    expect(s.timestampMs[0]).toBe(1606824023_000);
    expect(s.kind).toBe('ethstore-json');
  });
  it('behavior: a UTF-8 byte-order mark is ignored (RFC 8259 lets a parser ignore one)', () => {
    expect([...parseEthStoreJson('\uFEFF' + text.replace('"x"', '"0.18"'), 'e.json').apr]).toEqual([0.17, 0.18]);
  });
  it('error: a syntax error names its line; an element that is not an object names its line', () => {
    const e = inputErrorOf(() => parseEthStoreJson(text.replace('"apr": "x"', '"apr": "0.18",'), 'e.json'));
    expect(e.message).toMatch(/^e\.json:11: not valid JSON \(Expected double-quoted property name/);
    expect(inputErrorOf(() => parseEthStoreJson('[\n{"dayTime": "2020-12-01", "apr": "0.1"},\n  5\n]', 'e.json')).message).toBe('e.json:3: element 1 must be an object; found 5');
  });
});

describe('parseLstPriceCsv', () => {
  const long = 'datetime_utc,unix_s,pair,open,high,low,close\n2023-01-01 00:00:00,1672531200,BTC/ETH,1,1,1,14\n2023-01-01 00:00:00,1672531200,STETH/ETH,1,1,1,0.99\n2023-01-01 01:00:00,1672534800,STETH/ETH,1,1,1,0.98\n';
  it('behavior: filters the pair and uses close', () => {
    const s = parseLstPriceCsv(long, 'cc.csv', 'steth/eth');
    expect(s.pair).toBe('STETH/ETH');
    expect([...s.price]).toEqual([0.99, 0.98]);
    expect(lstPriceAt(s, 1672534800_000 + 1)).toBe(0.98);
  });
  it('error: several pairs without a choice', () => {
    expect(() => parseLstPriceCsv(long, 'cc.csv')).toThrow(ConfigError);
    expect(() => parseLstPriceCsv(long, 'cc.csv')).toThrow('--lst-pair: cc.csv holds several pairs (BTC/ETH, STETH/ETH); choose one, e.g. --lst-pair STETH/ETH');
  });
  it('behavior: plain timestamp,price', () => {
    const s = parseLstPriceCsv('timestamp,price\n2023-01-01,1\n2023-01-02,0.97\n', 'p.csv');
    expect([...s.price]).toEqual([1, 0.97]);
    expect(s.pair).toBeUndefined();
  });
  it('error: non-positive price names line and field', () => {
    const e = inputErrorOf(() => parseLstPriceCsv('timestamp,price\n2023-01-01,1\n2023-01-02,0\n', 'p.csv'));
    expect(e.message).toBe('p.csv:3: price: must be a finite price > 0 (base per one LST); found "0"');
  });
});

describe.skipIf(!existsSync(ETHSTORE))('real ETH.STORE file (skipped: ../shared/data/staking/ethstore_mainnet_daily.json absent)', () => {
  it('behavior: 636 daily APRs from 2020-12-01 to 2022-08-28, first 17.4 %', () => {
    const s = loadAprSeries(ETHSTORE);
    expect(s.length).toBe(636);
    expect(s.timestampMs[0]).toBe(Date.UTC(2020, 11, 1, 12, 0, 23));
    expect(s.timestampMs[635]).toBe(Date.UTC(2022, 7, 28, 12, 0, 23));
    expect(s.apr[0]).toBeCloseTo(0.1740251707100836, 15);
    expect(aprAt(s, Date.UTC(2021, 2, 12, 0))).toBe(0.0851803073092342); // day 100 starts 2021-03-11T12:00:23Z
    for (let i = 1; i < s.length; i++) expect(s.timestampMs[i]! - s.timestampMs[i - 1]!).toBe(86_400_000);
  });
});

describe.skipIf(!existsSync(CC_HOURLY))('real CryptoCompare hourly STETH/ETH (skipped: ../shared/data/cryptocompare hourly file absent)', () => {
  it('behavior: 2001 hourly closes, depeg low of 0.9 on 2022-12-30 13:00', () => {
    const s = loadLstPriceSeries(CC_HOURLY, 'STETH/ETH');
    expect(s.length).toBe(2001);
    expect(s.timestampMs[0]).toBe(1671188400_000);
    expect(s.price[0]).toBe(0.9912);
    let min = Infinity;
    let at = 0;
    for (let i = 0; i < s.length; i++) if (s.price[i]! < min) [min, at] = [s.price[i]!, s.timestampMs[i]!];
    expect(min).toBe(0.9);
    expect(at).toBe(Date.UTC(2022, 11, 30, 13));
  });
});
