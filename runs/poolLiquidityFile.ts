/**
 * A backtest's v3 background liquidity from its config: `--pool-liquidity-file` read here (the pools know no
 * file), else one full-range position worth `poolLiquidity`. The file's format and its checks are
 * sim/pools/v3/v3Liquidity.ts's (parseLiquidityFile); an error about a field is given the line of its key.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../sim/core/errors.ts';
import { withJsonFieldLine } from '../data/loaders/jsonText.ts';
import { fullRangeBackground, parseLiquidityFile, planBackgroundLiquidity, type BackgroundPosition, type BackgroundSpec } from '../sim/pools/v3/v3Liquidity.ts';

/** Reads and validates a distribution file; an InputError names the file, the line of the bad field and the field. */
export function loadLiquidityFile(file: string, tickSpacing: number): BackgroundSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, undefined, `cannot read the liquidity file: ${(e as Error).message}`, { cause: e });
  }
  try {
    return parseLiquidityFile(text, file, tickSpacing);
  } catch (e) {
    throw withJsonFieldLine(e, text); // `positions[2].upper` found again in the text: the line of its key
  }
}

/**
 * The background of a backtest: the file's distribution when `poolLiquidityFile` is set, else one full-range
 * position worth `poolLiquidity` quote at `firstPrice`.
 */
export function backgroundLiquidity(
  config: { readonly poolLiquidity: number; readonly poolLiquidityFile: string | undefined },
  firstPrice: number,
  tickSpacing: number,
): BackgroundPosition[] {
  if (config.poolLiquidityFile !== undefined) return planBackgroundLiquidity(loadLiquidityFile(config.poolLiquidityFile, tickSpacing), firstPrice, tickSpacing);
  return fullRangeBackground(config.poolLiquidity, firstPrice, tickSpacing);
}
