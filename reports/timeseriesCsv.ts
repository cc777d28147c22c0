/**
 * A run's timeseries as CSV text (`--csv`): its own module, apart from the Arrow file's (reports/timeseriesFile.ts),
 * so that writing or reading CSV never loads apache-arrow (~0.5 MB of code, ~45 ms to load).
 */
import { formatCsvNumber } from '../data/io/csvNumber.ts';
import { timeseriesColumnsOf, type RewardColumn, type Timeseries, type TimeseriesColumn } from '../sim/metrics/record.ts';

/** A column of a run's timeseries: the fixed ones, plus the reward columns of a run with programs. */
function columnOf(ts: Timeseries, name: TimeseriesColumn | RewardColumn): Float64Array {
  return (ts as unknown as Record<string, Float64Array>)[name]!;
}

/** ISO-8601 UTC with milliseconds (`2024-01-01T00:00:00.000Z`); unix ms outside Date's range print as the number. */
function isoUtc(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/**
 * The timeseries as CSV text: header = TIMESERIES_COLUMNS (+ REWARD_COLUMNS with programs), `\n` line ends (one after every row),
 * `timestamp` as ISO-8601 UTC (`…T…Z`, milliseconds), numbers in JS's shortest round-trip form, NaN empty.
 * Reading it back with `Number()` per field gives the same float64 bits (except NaN payloads).
 */
export function timeseriesToCsv(ts: Timeseries): string {
  const parts: string[] = [];
  for (const chunk of timeseriesCsvChunks(ts)) parts.push(chunk);
  return parts.join('');
}

/**
 * The same text as {@link timeseriesToCsv}, in chunks of about `rowsPerChunk` rows, so a caller can
 * stream a long run to a file without holding the whole text.
 */
export function* timeseriesCsvChunks(ts: Timeseries, rowsPerChunk = 16_384): Generator<string> {
  const names = timeseriesColumnsOf(ts);
  const cols = names.map((name) => columnOf(ts, name));
  const tsCol = ts.timestamp;
  const n = tsCol.length;
  yield names.join(',') + '\n';
  for (let start = 0; start < n; start += rowsPerChunk) {
    const end = Math.min(n, start + rowsPerChunk);
    const lines: string[] = new Array<string>(end - start);
    for (let i = start; i < end; i++) {
      let line = isoUtc(tsCol[i]!);
      for (let c = 1; c < cols.length; c++) line += ',' + formatCsvNumber(cols[c]![i]!);
      lines[i - start] = line;
    }
    yield lines.join('\n') + '\n';
  }
}
