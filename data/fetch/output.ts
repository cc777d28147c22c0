import { basename, dirname, extname } from 'node:path';
import { writeFilesAtomic } from '../io/atomicWrite.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { buildTable, rowsToCsv, tableToArrowFile, type ColumnSpec, type Row } from './table.ts';

/** What a fetcher returns: sorted, de-duplicated rows plus provenance for the Arrow schema metadata. */
export interface FetchResult {
  readonly columns: readonly ColumnSpec[];
  readonly rows: readonly Row[];
  /** `ammsim.*` keys: source, query, fetchedAt, …; written to the Arrow schema metadata, never as columns. */
  readonly metadata: ReadonlyMap<string, string>;
  readonly stats: FetchStats;
}

export interface FetchStats {
  /** HTTP requests made by this run (0 when everything came from the cache). */
  requests: number;
  chunksFetched: number;
  chunksFromCache: number;
  /** Rows dropped because their key repeated (overlapping pages or chunks). */
  duplicatesDropped: number;
  cacheDir: string;
}

/** Checks `--out`: an Arrow file path (`.arrow` or `.feather`), so the price loaders recognise it. */
export function checkOutPath(out: string): void {
  const ext = extname(out).toLowerCase();
  if (ext !== '.arrow' && ext !== '.feather') throw new ConfigError('--out', `must name an Arrow file ending in .arrow or .feather; was "${out}"`);
}

/** The CSV written beside `out` with `--csv`: the same path with the extension `.csv`. */
export function csvPathFor(out: string): string {
  return out.slice(0, out.length - extname(out).length) + '.csv';
}

/**
 * Writes the merged result: `out` as an Arrow IPC file with provenance in the schema metadata, and with
 * `csv`, the CSV beside it. Both are staged and renamed into place together (the Arrow file last), so a
 * failed run leaves neither half-written. Returns the paths written.
 */
export function writeFetchOutput(out: string, result: FetchResult, csv: boolean): string[] {
  const table = buildTable(result.columns, result.rows, result.metadata);
  const files: Array<readonly [string, string | Uint8Array]> = [[basename(out), tableToArrowFile(table)]];
  if (csv) files.push([basename(csvPathFor(out)), rowsToCsv(result.columns, result.rows)]);
  writeFilesAtomic(dirname(out), files, basename(out));
  return csv ? [out, csvPathFor(out)] : [out];
}
