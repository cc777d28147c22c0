/**
 * Writes a price series as the CSV that `loadCsvPrices` reads: header `timestamp,price,<extras by name>`,
 * timestamps ISO-8601 UTC with milliseconds, numbers in JS's shortest round-trip form (NaN as empty), `\n`
 * line ends. Used to make sample and benchmark files; loading the file gives back the same series.
 */
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { formatCsvNumber } from '../io/csvNumber.ts';
import type { PriceSeries } from '../../sim/core/series.ts';

/** The CSV text of {@link writeSeriesCsv}. */
export function seriesToCsv(series: PriceSeries): string {
  const names = [...series.extra.keys()].sort();
  const cols = names.map((k) => series.extra.get(k)!);
  const parts: string[] = [['timestamp', 'price', ...names].join(',') + '\n'];
  const n = series.length;
  const CHUNK = 16_384;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const lines = new Array<string>(end - start);
    for (let i = start; i < end; i++) {
      let line = new Date(series.timestampMs[i]!).toISOString() + ',' + formatCsvNumber(series.price[i]!);
      for (const c of cols) line += ',' + formatCsvNumber(c[i]!);
      lines[i - start] = line;
    }
    parts.push(lines.join('\n') + '\n');
  }
  return parts.join('');
}

/** Writes {@link seriesToCsv} to `path` atomically (temp file, then rename). */
export function writeSeriesCsv(series: PriceSeries, path: string): void {
  writeFileAtomic(path, seriesToCsv(series));
}
