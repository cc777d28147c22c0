/**
 * Gas-price series: a CSV with a header row, a time column (`timestamp`, `time`, `date` or `datetime`; unix s/ms
 * or ISO-8601, as for price files) and a gas-price column in gwei (`gwei`, else `gas_price_gwei`, else
 * `gasPrice`). Rows strictly increasing in time; gwei finite and > 0 (the post-London base fee never reaches 0).
 * Returned as a {@link PriceSeries} whose `price` column holds gwei, for as-of lookup by the engine's gas model (sim/engine/gas.ts, composed in runs/gas.ts).
 */
import { open } from 'node:fs/promises';
import { InputError } from '../../sim/core/errors.ts';
import { loadSeries } from '../loadSeries.ts';
import type { PriceSeries } from '../../sim/core/series.ts';
import { checkReadableFile, headerForMessage, loadCsvPrices, locateCsvRow } from './csvPrices.ts';
import { groupThousands } from '../../sim/core/format.ts';

/** Accepted names of the gwei column, in order of preference. */
export const GWEI_COLUMNS = ['gwei', 'gas_price_gwei', 'gasPrice'] as const;

/** The header's fields and line: the first line that is not blank (as the price loader reads it), or undefined. */
async function headerOf(file: string): Promise<{ fields: string[]; line: number } | undefined> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(65_536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const lines = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/); // LF, CRLF or CR
    const i = lines.findIndex((l) => l.trim() !== '');
    return i < 0 ? undefined : { fields: lines[i]!.split(',').map((s) => s.trim().replace(/^"|"$/g, '')), line: i + 1 };
  } finally {
    await fh.close();
  }
}

/** Loads a gas-price series (gwei over time). Errors are InputError naming file, line and field. */
export async function loadGasPriceSeries(file: string): Promise<PriceSeries> {
  await checkReadableFile(file);
  const header = await headerOf(file);
  const need = `a header with a gas-price column in gwei (${GWEI_COLUMNS.join(', ')})`;
  if (header === undefined) throw new InputError(file, 1, 'header', `the file is empty; it needs ${need}, then a row per time`);
  const col = GWEI_COLUMNS.find((c) => header.fields.includes(c));
  if (col === undefined) {
    throw new InputError(file, header.line, 'header', `must have a gas-price column in gwei (${GWEI_COLUMNS.join(', ')}); found ${headerForMessage(header.fields)}`);
  }
  const options = { priceColumn: col, extraColumns: [], kind: 'gas-price' } as const;
  const s = await loadCsvPrices(file, options);
  // gwei, as --gas-price: above a million (10^15 wei) the column was most likely written in wei
  const p = s.price;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! > MAX_GAS_PRICE_GWEI) {
      const t = s.timestampMs[i]!;
      const at = locateCsvRow(file, options, t); // the row's line, read again on this error's path only
      throw new InputError(file, at?.timestampMs === t ? at.line : undefined, col, `must be gwei, at most ${groupThousands(String(MAX_GAS_PRICE_GWEI))} (a price in wei is 10^9 times too large); was ${p[i]} at ${iso(t)}`);
    }
  }
  return s;
}

/** The largest gas price accepted, gwei (a series' and --gas-price's alike): 10^15 wei; above it the value was most likely in wei. */
export const MAX_GAS_PRICE_GWEI = 1e6;

/** What to do when a gas (or native-price) series starts after the run: use its first value before it, or refuse. */
export type GasBefore = 'fill' | 'error';
export const GAS_BEFORE_CHOICES: readonly GasBefore[] = ['fill', 'error'];

/** The gas settings of a run config. */
export interface GasConfig {
  readonly pool: 'v2' | 'v3';
  readonly gasPrice: number;
  readonly gasPriceSeries: string | undefined;
  readonly nativePriceSeries: string | undefined;
  /** Default `fill` (with a warning). */
  readonly gasBefore?: GasBefore;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function medianSpacingMs(ts: Float64Array): number | undefined {
  if (ts.length < 2) return undefined;
  const d = new Float64Array(ts.length - 1);
  for (let i = 1; i < ts.length; i++) d[i - 1] = ts[i]! - ts[i - 1]!;
  d.sort();
  return d[(d.length - 1) >> 1]!;
}

/**
 * How a series read "as of" each step covers a run from `startMs` to `endMs` (unix ms), the way the staking
 * series are checked (strategies/staking): {@link seriesGas} uses a series' first value before it starts and
 * its last value after it ends. Before the start: with `gasBefore` `fill` that is said in a warning, with
 * `error` it is an InputError naming the file, its first timestamp and the run's start. After the end, by more
 * than two of its usual spacings: a warning. Returns the warnings (empty when the series covers the run).
 */
export function checkSeriesCoversRun(
  series: PriceSeries,
  what: { readonly name: string; readonly unit: string },
  run: { readonly startMs: number; readonly endMs: number },
  gasBefore: GasBefore = 'fill',
): string[] {
  const warnings: string[] = [];
  const n = series.length;
  if (n === 0) return warnings;
  const file = series.provenance.file ?? what.name;
  const first = series.timestampMs[0]!;
  const last = series.timestampMs[n - 1]!;
  const value = (i: number): string => `${series.price[i]}${what.unit === '' ? '' : ` ${what.unit}`}`;
  if (first > run.startMs) {
    if (gasBefore === 'error') {
      throw new InputError(file, undefined, 'timestamp', `the ${what.name} starts at ${iso(first)}, after the run starts at ${iso(run.startMs)} (--gas-before error); give a series that covers the run, or --gas-before fill to use its first value (${value(0)}) until it starts`);
    }
    const until = Math.min(first, run.endMs);
    warnings.push(`the ${what.name} ${file} starts at ${iso(first)}, after the run starts at ${iso(run.startMs)}; its first value (${value(0)}) is used until ${iso(until)} (--gas-before error refuses this)`);
  }
  const spacing = medianSpacingMs(series.timestampMs);
  if (spacing !== undefined && run.endMs > last + 2 * spacing) {
    warnings.push(`the ${what.name} ${file} ends at ${iso(last)}; its last value (${value(n - 1)}) is used until ${iso(run.endMs)}`);
  }
  return warnings;
}

/**
 * The series a config's gas model is built from: `gasPriceSeries` (gwei, {@link loadGasPriceSeries}) and
 * `nativePriceSeries` (any price file {@link loadSeries} reads), each undefined when not configured. The model itself
 * is composed in runs/gas.ts. Both are read as of each step, so gaps in them do not matter: the native-price series is
 * loaded with `gaps: 'skip'` (as the reward-price file is, runs/incentives), not refused for a gap years before the run
 * (`--gaps` acts on --prices only); the gas-price series has no gap policy.
 */
export async function loadGasSeriesFiles(c: Pick<GasConfig, 'gasPriceSeries' | 'nativePriceSeries'>): Promise<{ gasPriceSeries: PriceSeries | undefined; nativePriceSeries: PriceSeries | undefined }> {
  const gasPriceSeries = c.gasPriceSeries === undefined ? undefined : await loadGasPriceSeries(c.gasPriceSeries);
  const nativePriceSeries = c.nativePriceSeries === undefined ? undefined : await loadSeries(c.nativePriceSeries, { gaps: 'skip' });
  return { gasPriceSeries, nativePriceSeries };
}
