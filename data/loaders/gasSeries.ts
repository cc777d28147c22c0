/**
 * Gas-price series: a CSV with a header row, a time column (`timestamp`, `time`, `date` or `datetime`; unix s/ms
 * or ISO-8601, as for price files) and a gas-price column in gwei (`gwei`, else `gas_price_gwei`, else
 * `gasPrice`). Rows strictly increasing in time; gwei finite and > 0 (the post-London base fee never reaches 0).
 * Returned as a {@link PriceSeries} whose `price` column holds gwei, for as-of lookup by sim/engine/gas.ts.
 */
import { open } from 'node:fs/promises';
import { seriesGas, type GasModel } from '../../sim/engine/gas.ts';
import { InputError } from '../../sim/core/errors.ts';
import { loadSeries } from '../loadSeries.ts';
import type { PriceSeries } from '../../sim/core/series.ts';
import { checkReadableFile, loadCsvPrices } from './csvPrices.ts';

/** Accepted names of the gwei column, in order of preference. */
export const GWEI_COLUMNS = ['gwei', 'gas_price_gwei', 'gasPrice'] as const;

async function headerOf(file: string): Promise<string[]> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(65_536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const nl = text.search(/[\r\n]/); // LF, CRLF or CR
    return (nl < 0 ? text : text.slice(0, nl)).split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  } finally {
    await fh.close();
  }
}

/** Loads a gas-price series (gwei over time). Errors are InputError naming file, line and field. */
export async function loadGasPriceSeries(file: string): Promise<PriceSeries> {
  await checkReadableFile(file);
  const header = await headerOf(file);
  const col = GWEI_COLUMNS.find((c) => header.includes(c));
  if (col === undefined) {
    throw new InputError(file, 1, 'header', `must have a gas-price column in gwei (${GWEI_COLUMNS.join(', ')}); found ${header.join(', ')}`);
  }
  return loadCsvPrices(file, { priceColumn: col, extraColumns: [], kind: 'gas-price' });
}

/**
 * The gas model a backtest config asks for: {@link seriesGas} over `gasPriceSeries` (else the constant
 * `gasPrice`) and `nativePriceSeries` (any price file {@link loadSeries} reads; else the base price).
 */
export async function loadGasModel(c: {
  readonly pool: 'v2' | 'v3';
  readonly gasPrice: number;
  readonly gasPriceSeries: string | undefined;
  readonly nativePriceSeries: string | undefined;
}): Promise<GasModel> {
  const gasPriceSeries = c.gasPriceSeries === undefined ? undefined : await loadGasPriceSeries(c.gasPriceSeries);
  const nativePriceSeries = c.nativePriceSeries === undefined ? undefined : await loadSeries(c.nativePriceSeries);
  return seriesGas({
    pool: c.pool,
    gasPriceGwei: c.gasPrice,
    ...(gasPriceSeries === undefined ? {} : { gasPriceSeries }),
    ...(nativePriceSeries === undefined ? {} : { nativePriceSeries }),
  });
}
