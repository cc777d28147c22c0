import { generateGbm, GBM_MINUTE } from '../../data/synthetic/gbm.ts';
import { runEngine } from '../../sim/engine/engine.ts';
import { constantGas } from '../../sim/engine/gas.ts';
import { createEnginePool } from '../../runs/createPool.ts';
import { resolveBacktestConfig } from '../../runs/config.ts';
import { createV3Replayer } from '../../sim/replay/v3Replay.ts';
import { Rng } from '../../sim/core/rng.ts';
import { rebalanceStrategy } from '../../strategies/lp/rebalance.ts';
import { createArbitrageur } from '../../strategies/trader/arbitrageur.ts';
import { median, timeIt, type BenchResult } from './run.ts';
import { loadHardMix, ORACLE_V3_DIR, runHardMix } from './replayHard.ts';

/**
 * v3 benchmarks: exact replay throughput and the float-path v3 backtest with a rebalancing strategy.
 *
 * The replay workload: a 0.30 % pool at price 1 with full-range liquidity and a ladder of 21 narrow positions
 * every 60 ticks; 200,000 exact-input swaps of seeded random size and direction, each small enough to cross
 * at most one initialised tick. Each event goes through the same replayer `ammsim replay` uses (event
 * validation, the bigint pool, decimal-string results).
 */
export async function extraBenches(opts: { reps: number; want: (name: string) => boolean; log: (s: string) => void }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  if (opts.want('v3-replay')) {
    opts.log('v3-replay: exact replay of 200,000 swaps crossing at most one initialised tick');
    const rng = new Rng(3);
    const setup: Array<Record<string, unknown>> = [
      { type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: (1n << 96n).toString() },
      { type: 'mint', owner: 'bg', tickLower: -887220, tickUpper: 887220, amount: (10n ** 24n).toString() },
    ];
    for (let t = -600; t < 600; t += 60) setup.push({ type: 'mint', owner: 'lp', tickLower: t, tickUpper: t + 60, amount: (10n ** 22n).toString() });
    const swaps: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 200_000; i++) {
      const zeroForOne = i % 2 === 0;
      // ≤ 2e21 in against ≥ 1e24 liquidity moves the price by < 0.4 %, under one 60-tick (0.6 %) step.
      const amount = BigInt(Math.floor(1e18 + rng.uniform() * 2e21));
      swaps.push({ type: 'swap', zeroForOne, amountSpecified: amount.toString(), sqrtPriceLimitX96: zeroForOne ? '4295128740' : '1461446703485210103287273052203988822378723970341' });
    }
    const run = (): void => {
      const r = createV3Replayer();
      let line = 1;
      for (const e of setup) r.apply(e, line++);
      for (const e of swaps) r.apply(e, line++);
    };
    const ms = timeIt(Math.min(opts.reps, 5), run);
    out.push({ name: 'v3-replay', unit: 'k events/s', best: swaps.length / ms[0]!, median: swaps.length / median(ms), target: '≥ 250', note: 'exact bigint v3 replay, swaps crossing ≤ 1 initialised tick' });
  }
  if (opts.want('v3-replay-hard')) {
    const mix = loadHardMix();
    if (mix === undefined) opts.log(`v3-replay-hard: skipped (${ORACLE_V3_DIR} not found)`);
    else {
      opts.log(`v3-replay-hard: exact replay of the hard mix (${mix.files.length} oracle files, ${mix.events} events), results as JSON lines`);
      const bad = runHardMix(mix, true);
      if (bad !== 0) throw new Error(`v3-replay-hard: ${bad} results differ from the oracle`);
      // One pass is ~10 ms: time batches of 10 passes, many batches (the machine is shared and noisy).
      const ms = timeIt(Math.max(opts.reps, 15), () => {
        for (let i = 0; i < 10; i++) runHardMix(mix);
      });
      // Events per millisecond = thousands of events per second.
      out.push({ name: 'v3-replay-hard', unit: 'k events/s', best: (10 * mix.events) / ms[0]!, median: (10 * mix.events) / median(ms), target: '≥ 75', note: `exact bigint v3 replay of all of ../shared/oracle/v3 (${mix.events} events: extreme prices, swaps over thousands of empty bitmap words and up to 59 initialised ticks, reverts), each result JSON-serialised; checked against the oracle first` });
    }
  }
  if (opts.want('engine-v3')) {
    opts.log('engine-v3: v3 float pool, rebalance ±5 %, arbitrageur, 525,600 minute steps, engine only');
    const series = generateGbm({ ...GBM_MINUTE, seed: 1 });
    const config = resolveBacktestConfig({ pool: 'v3', fee: 0.003 });
    const ms = timeIt(opts.reps, () => {
      runEngine({
        series,
        pool: createEnginePool(config, series.price[0]!),
        lp: rebalanceStrategy.create({ width: 0.05, delay: 0, threshold: 0, compound: false }),
        traders: [createArbitrageur()],
        capital: 10_000,
        gas: constantGas('v3', 0),
        rng: new Rng(1),
      });
    });
    out.push({ name: 'engine-v3', unit: 'M steps/s', best: series.length / ms[0]! / 1e3, median: series.length / median(ms) / 1e3, target: '≥ 2', note: 'v3 float pool, rebalance ±5 % + arbitrageur, 525,600 steps' });
  }
  return out;
}
