import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReportFromRun } from '../../../reports/html.ts';
import { writeTimeseriesArrow } from '../../../reports/timeseriesFile.ts';
import type { BacktestResult } from '../../../sim/metrics/record.ts';

/** Writes `root/name` the way `ammsim backtest --out` does (summary.json, events.json, timeseries.arrow, report.html). */
export function writeBacktestDir(root: string, name: string, result: BacktestResult): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'timeseries.arrow'), writeTimeseriesArrow(result.timeseries));
  writeFileSync(join(dir, 'events.json'), JSON.stringify(result.events, null, 1) + '\n');
  writeFileSync(join(dir, 'report.html'), buildReportFromRun(result));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(result.summary, null, 2) + '\n');
  return dir;
}
