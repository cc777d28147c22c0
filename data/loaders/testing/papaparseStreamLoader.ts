/**
 * Test reference for data/loaders/csvPrices.ts: the CSV loader as it was before rows were cut from the bytes,
 * every byte through papaparse's streaming parser (1 MiB reads, LF-normalised, 64 KiB pieces, decoded as UTF-8).
 * The differential test in csvPrices.test.ts holds the fast path to give the same series and the same errors.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import { InputError } from '../../../sim/core/errors.ts';
import type { PriceSeries } from '../../../sim/core/series.ts';
import { checkReadableFile, CsvPriceRowReader, LfNormalizer, unclosedQuoteRow, type CsvPricesOptions } from '../csvPrices.ts';

export async function loadCsvPricesThroughPapaparse(file: string, options: CsvPricesOptions = {}): Promise<PriceSeries> {
  await checkReadableFile(file);
  const reader = new CsvPriceRowReader(file, options);
  const hash = createHash('sha256');
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const newlines = new LfNormalizer();
  let first = true;
  const tee = new Transform({
    transform(read: Buffer, _enc, cb) {
      hash.update(read);
      const bom = first && read[0] === 0xef && read[1] === 0xbb && read[2] === 0xbf;
      first = false;
      const chunk = bom ? read.subarray(3) : read;
      if (chunk.indexOf(0x22) >= 0) reader.sawQuote();
      const lf = newlines.push(chunk);
      for (let at = 0; at < lf.length; at += 1 << 16) this.push(lf.subarray(at, at + (1 << 16)));
      cb();
    },
    flush(cb) {
      const rest = newlines.end();
      if (rest.length > 0) this.push(rest);
      cb();
    },
  });
  tee.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) resolve();
      else {
        raw.destroy();
        tee.destroy();
        reject(err);
      }
    };
    raw.on('error', (err) => settle(new InputError(file, undefined, undefined, `must be a readable file; ${err.message}`, { cause: err })));
    raw.pipe(tee);
    Papa.parse<string[]>(tee, {
      delimiter: options.delimiter ?? ',',
      newline: '\n',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      chunk(results, parser) {
        if (settled) return;
        try {
          const open = unclosedQuoteRow(results.errors);
          results.data.forEach((row, i) => {
            if (i === open) reader.unclosedQuote(row);
            reader.row(row);
          });
        } catch (err) {
          settle(err);
          parser.abort();
        }
      },
      complete: () => settle(),
      error: (err: Error) => settle(new InputError(file, undefined, undefined, `must be readable CSV; ${err.message}`, { cause: err })),
    });
  });
  return reader.finish(hash.digest('hex'));
}
