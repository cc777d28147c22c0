/**
 * Reads a finished run back from the folder `ammsim backtest --out DIR` wrote: summary.json, timeseries.arrow
 * and events.json. Nothing is recomputed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTimeseriesArrow } from './timeseriesFile.ts';
import type { BacktestResult, LpEvent, Summary } from '../sim/metrics/record.ts';
import { InputError } from '../sim/core/errors.ts';

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new InputError(file, undefined, undefined, `${what} is missing; is this a folder written by \`ammsim backtest --out\`?`);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(file, undefined, undefined, `must be JSON; ${(err as Error).message}`, { cause: err });
  }
}

/** Loads DIR/summary.json, DIR/timeseries.arrow and DIR/events.json (events.json may be absent: no markers). */
export function readRunDir(dir: string): BacktestResult {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st === undefined || !st.isDirectory()) throw new InputError(dir, undefined, undefined, st === undefined ? 'no such folder (--run takes a folder written by `ammsim backtest --out` or `ammsim sweep --out`)' : 'is a file; --run takes a folder written by `ammsim backtest --out` or `ammsim sweep --out`');
  const summaryFile = join(dir, 'summary.json');
  const summary = readJson(summaryFile, 'summary.json');
  if (summary === null || typeof summary !== 'object' || Array.isArray(summary)) {
    throw new InputError(summaryFile, undefined, undefined, 'must be a JSON object (the summary of one backtest)');
  }
  for (const key of ['finalValue', 'steps'] as const) {
    if (typeof (summary as Record<string, unknown>)[key] !== 'number') {
      throw new InputError(summaryFile, undefined, key, 'must be a number; is this the summary of one backtest (not of `compare`)?');
    }
  }
  const arrowFile = join(dir, 'timeseries.arrow');
  if (!existsSync(arrowFile)) throw new InputError(arrowFile, undefined, undefined, 'timeseries.arrow is missing; re-run the backtest with --out');
  const timeseries = readTimeseriesArrow(readFileSync(arrowFile), arrowFile);
  const eventsFile = join(dir, 'events.json');
  let events: LpEvent[] = [];
  if (existsSync(eventsFile)) {
    const parsed = readJson(eventsFile, 'events.json');
    if (!Array.isArray(parsed)) throw new InputError(eventsFile, undefined, undefined, 'must be a JSON array of LP events');
    // each event an object with the keys every kind has (its amounts are optional: an older events.json has none)
    parsed.forEach((e: unknown, i) => {
      const o = e as Record<string, unknown> | null;
      if (o === null || typeof o !== 'object' || Array.isArray(o) || typeof o.step !== 'number' || typeof o.timestampMs !== 'number' || typeof o.kind !== 'string') {
        throw new InputError(eventsFile, undefined, `[${i}]`, `must be an LP event object with a numeric step and timestampMs and a string kind; was ${JSON.stringify(e)?.slice(0, 80) ?? String(e)}`);
      }
    });
    events = parsed as LpEvent[];
  }
  const steps = (summary as Summary).steps;
  if (timeseries.timestamp.length !== steps) {
    throw new InputError(arrowFile, undefined, undefined, `must have ${steps} rows like summary.json steps; has ${timeseries.timestamp.length}`);
  }
  return { summary: summary as Summary, timeseries, events };
}
