/**
 * A comparison's folder (`ammsim compare --out DIR`) as the report reads it: summary.json (every figure of the page),
 * series.arrow (each LP run's per-step record and the staking lines, which the charts draw) and lp-events.json (each
 * LP run's events: the price chart's markers and the events table). {@link compareFolderFiles} is what compare writes
 * beside summary.json; {@link readCompareDir} reads the folder back, so `ammsim report --run DIR` rebuilds compare's
 * report.html byte for byte. Nothing is recomputed.
 *
 * series.arrow: one record batch, Arrow IPC file format. `timestamp` (Timestamp[ms, UTC], the steps every LP run
 * shares), `staking` and, when compared, `hold-staked` (Float64, quote), then for each LP alternative in order each
 * column of its timeseries.arrow after `timestamp` (TIMESERIES_COLUMNS, then REWARD_COLUMNS for a run with programs),
 * named `<id>/<column>` (`lp/lpValue`, `lp:range,width=0.1/price`). Its schema metadata `alternatives` lists the LP
 * ids in order (JSON). lp-events.json: `{ "<id>": [events as in a backtest's events.json], … }`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC, Type, type Table } from 'apache-arrow';
import { InputError, InvariantError } from '../sim/core/errors.ts';
import { REWARD_COLUMNS, TIMESERIES_COLUMNS, timeseriesColumnsOf, type LpEvent, type Timeseries } from '../sim/metrics/record.ts';
import { COMPARE_EVENTS_FILE, compareReportHtml, type CompareReportInput } from './compare.ts';
import { columnToFloat64, float64ColumnsTable } from './timeseriesFile.ts';

export { COMPARE_EVENTS_FILE } from './compare.ts';

/** The per-step series of a comparison: its LP runs' records and the staking lines. */
export const COMPARE_SERIES_FILE = 'series.arrow';

/** The files {@link compareFolderFiles} gives, in its order (compare writes summary.json after them, and values.csv with --csv). */
export const COMPARE_REPORT_FILES: readonly string[] = ['report.html', COMPARE_SERIES_FILE, COMPARE_EVENTS_FILE];

/** A column of an LP alternative in series.arrow. */
const columnName = (id: string, column: string): string => `${id}/${column}`;

/** The ids of a comparison summary's LP alternatives, in order (their entries' kind is `lp`). */
export function compareLpIds(summary: Readonly<Record<string, unknown>>): string[] {
  const ids = Array.isArray(summary.alternatives) ? (summary.alternatives as unknown[]).map(String) : [];
  return ids.filter((id) => {
    const e = summary[id];
    return e !== null && typeof e === 'object' && (e as Record<string, unknown>).kind === 'lp';
  });
}

/** series.arrow's bytes: the shared timestamps, staking (and hold-staked), then every LP run's columns. */
export function compareSeriesArrow(r: CompareReportInput): Uint8Array {
  const t = r.runs[0]!.timeseries.timestamp;
  const columns: Array<readonly [string, Float64Array]> = [['timestamp', t], ['staking', Float64Array.from(r.staking.value)]];
  if (r.holdStaked !== undefined) columns.push(['hold-staked', Float64Array.from(r.holdStaked.value)]);
  r.alternatives.forEach((a, i) => {
    const ts = r.runs[i]!.timeseries;
    const own = ts.timestamp;
    // one series: every LP run steps through the same timestamps (the staking lines are drawn on the first's)
    if (own.length !== t.length || own.some((v, k) => v !== t[k])) throw new InvariantError(`compare: LP alternative ${a.id} has other timestamps than ${r.alternatives[0]!.id}`);
    for (const name of timeseriesColumnsOf(ts)) if (name !== 'timestamp') columns.push([columnName(a.id, name), (ts as unknown as Record<string, Float64Array>)[name]!]);
  });
  return tableToIPC(float64ColumnsTable(columns, { alternatives: JSON.stringify(r.alternatives.map((a) => a.id)) }), 'file');
}

/** lp-events.json: each LP alternative's events under its id, in order. */
export function compareEventsJson(r: CompareReportInput): string {
  const byId: Record<string, readonly LpEvent[]> = {};
  r.alternatives.forEach((a, i) => {
    byId[a.id] = r.runs[i]!.events;
  });
  return JSON.stringify(byId, null, 1) + '\n';
}

/**
 * The files of a comparison's folder besides summary.json (and values.csv): report.html, and what it is drawn from
 * besides the summary (series.arrow, lp-events.json), so that `ammsim report --run DIR` rebuilds it.
 */
export function compareFolderFiles(r: CompareReportInput): Array<[name: string, data: string | Uint8Array]> {
  return [
    ['report.html', compareReportHtml(r)],
    [COMPARE_SERIES_FILE, compareSeriesArrow(r)],
    [COMPARE_EVENTS_FILE, compareEventsJson(r)],
  ];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new InputError(file, undefined, undefined, `must be JSON; ${(err as Error).message}`, { cause: err });
  }
}

/** Whether `dir` holds a comparison: a summary.json with `alternatives` (a backtest's has none). */
export function isCompareDir(dir: string): boolean {
  const file = join(dir, 'summary.json');
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return s !== null && typeof s === 'object' && Array.isArray((s as Record<string, unknown>).alternatives);
  } catch {
    return false; // not JSON: the backtest reader says so
  }
}

/** What to do about a comparison folder without the files the report is drawn from. */
function rerunHint(dir: string): string {
  return `written by an ammsim whose compare saved no series; run the comparison again (ammsim compare --config ${join(dir, 'summary.json')} --out ANOTHER_DIR) to rebuild its report`;
}

function column(table: Table, name: string, file: string): Float64Array {
  const vec = table.getChild(name);
  if (vec === null) throw new InputError(file, undefined, name, `column is required (the comparison's summary.json names this LP alternative); columns found: ${table.schema.fields.map((f) => f.name).join(', ')}`);
  return columnToFloat64(vec, table.numRows, file, name);
}

/** Reads a comparison's folder back as the compare report's input: summary.json, series.arrow and lp-events.json. */
export function readCompareDir(dir: string): CompareReportInput {
  const summaryFile = join(dir, 'summary.json');
  const summary = readJson(summaryFile) as Record<string, unknown>;
  const ids = compareLpIds(summary);
  if (ids.length === 0) throw new InputError(summaryFile, undefined, 'alternatives', 'must name at least one LP alternative (an entry of kind "lp"); is this the summary of `ammsim compare`?');
  const seriesFile = join(dir, COMPARE_SERIES_FILE);
  const eventsFile = join(dir, COMPARE_EVENTS_FILE);
  if (!existsSync(seriesFile)) throw new InputError(seriesFile, undefined, undefined, `${COMPARE_SERIES_FILE} is missing: the comparison was ${rerunHint(dir)}`);
  if (!existsSync(eventsFile)) throw new InputError(eventsFile, undefined, undefined, `${COMPARE_EVENTS_FILE} is missing: the comparison was ${rerunHint(dir)}`);
  let table: Table;
  try {
    table = tableFromIPC(readFileSync(seriesFile));
  } catch (err) {
    throw new InputError(seriesFile, undefined, undefined, `must be an Arrow IPC file; could not be read (${(err as Error).message})`, { cause: err });
  }
  const saved = table.schema.metadata.get('alternatives');
  if (saved !== JSON.stringify(ids)) throw new InputError(seriesFile, undefined, undefined, `holds the LP alternatives ${saved ?? '(none)'}, but summary.json names ${JSON.stringify(ids)}: the two files are of different comparisons`);
  const steps = summary.steps;
  if (typeof steps === 'number' && table.numRows !== steps) throw new InputError(seriesFile, undefined, undefined, `must have ${steps} rows like summary.json steps; has ${table.numRows}`);
  const time = table.getChild('timestamp');
  if (time === null || time.type.typeId !== Type.Timestamp) throw new InputError(seriesFile, undefined, 'timestamp', 'must be an Arrow Timestamp column');
  const timestamp = columnToFloat64(time, table.numRows, seriesFile, 'timestamp');
  const events = readJson(eventsFile);
  if (events === null || typeof events !== 'object' || Array.isArray(events)) throw new InputError(eventsFile, undefined, undefined, 'must be a JSON object of each LP alternative\'s events under its id');
  const runs = ids.map((id) => {
    const cols: Record<string, Float64Array> = { timestamp };
    for (const name of TIMESERIES_COLUMNS) if (name !== 'timestamp') cols[name] = column(table, columnName(id, name), seriesFile);
    // a run with liquidity-mining programs has the reward columns too (all of them, or none)
    if (table.getChild(columnName(id, REWARD_COLUMNS[0])) !== null) for (const name of REWARD_COLUMNS) cols[name] = column(table, columnName(id, name), seriesFile);
    const ev = (events as Record<string, unknown>)[id];
    if (!Array.isArray(ev)) throw new InputError(eventsFile, undefined, id, 'must be the JSON array of this LP alternative\'s events');
    ev.forEach((e: unknown, i) => {
      const o = e as Record<string, unknown> | null;
      if (o === null || typeof o !== 'object' || Array.isArray(o) || typeof o.step !== 'number' || typeof o.timestampMs !== 'number' || typeof o.kind !== 'string') {
        throw new InputError(eventsFile, undefined, `${id}[${i}]`, `must be an LP event object with a numeric step and timestampMs and a string kind; was ${JSON.stringify(e)?.slice(0, 80) ?? String(e)}`);
      }
    });
    return { timeseries: cols as unknown as Timeseries, events: ev as LpEvent[] };
  });
  const staking = column(table, 'staking', seriesFile);
  const holdStaked = table.getChild('hold-staked') === null ? undefined : column(table, 'hold-staked', seriesFile);
  return { summary, alternatives: ids.map((id) => ({ id })), runs, staking: { value: staking }, ...(holdStaked === undefined ? {} : { holdStaked: { value: holdStaked } }) };
}
