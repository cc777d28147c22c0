/**
 * The gas model of a run: {@link seriesGas} over the configured gas-price series (else the constant `gasPrice`)
 * and native-price series (else the base price), with the series checked against the run.
 */
import { GAS_BEFORE_CHOICES, checkSeriesCoversRun, loadGasSeriesFiles, type GasConfig } from '../data/loaders/gasSeries.ts';
import { ConfigError } from '../sim/core/errors.ts';
import type { PriceSeries } from '../sim/core/series.ts';
import { seriesGas, type GasModel } from '../sim/engine/gas.ts';

/** The gas model for a run, with the warnings to print on stderr and put in summary.json `warnings`. */
export interface LoadedGasModel {
  readonly gas: GasModel;
  readonly warnings: readonly string[];
}

/** The gas model a config asks for, its series not checked against any run (see {@link loadGasModelForRun}). */
export async function loadGasModel(c: GasConfig): Promise<GasModel> {
  return modelOf(c, await loadGasSeriesFiles(c));
}

function modelOf(c: GasConfig, files: { gasPriceSeries: PriceSeries | undefined; nativePriceSeries: PriceSeries | undefined }): GasModel {
  const { gasPriceSeries, nativePriceSeries } = files;
  return seriesGas({
    pool: c.pool,
    gasPriceGwei: c.gasPrice,
    ...(gasPriceSeries === undefined ? {} : { gasPriceSeries }),
    ...(nativePriceSeries === undefined ? {} : { nativePriceSeries }),
  });
}

/**
 * {@link loadGasModel} for a run from `startMs` to `endMs` (its first and last step, after any --from/--to window):
 * each series is checked with {@link checkSeriesCoversRun} under `c.gasBefore` (default `fill`), and its warnings
 * returned.
 */
export async function loadGasModelForRun(c: GasConfig, run: { readonly startMs: number; readonly endMs: number }): Promise<LoadedGasModel> {
  const gasBefore = c.gasBefore ?? 'fill';
  if (!GAS_BEFORE_CHOICES.includes(gasBefore)) throw new ConfigError('--gas-before', `must be ${GAS_BEFORE_CHOICES.join(' or ')}; was ${JSON.stringify(gasBefore)}`);
  const files = await loadGasSeriesFiles(c);
  const { gasPriceSeries, nativePriceSeries } = files;
  const warnings: string[] = [];
  if (gasPriceSeries !== undefined) warnings.push(...checkSeriesCoversRun(gasPriceSeries, { name: 'gas-price series', unit: 'gwei' }, run, gasBefore));
  if (nativePriceSeries !== undefined) warnings.push(...checkSeriesCoversRun(nativePriceSeries, { name: 'native-price series', unit: '' }, run, gasBefore));
  return { gas: modelOf(c, files), warnings };
}
