/**
 * On-demand v3 differential fuzzing: random scenarios through the real Uniswap v3 bytecode (in-process
 * EVM) and through ammsim's exact replayer, compared on every result and revert.
 *
 *   npx tsx scripts/fuzz-v3.ts --runs 10000 --seed 1 [--start 0] [--max-actions 40] [--max-failures 20]
 *   npx tsx scripts/fuzz-v3.ts --pool v2 --runs 10000 --seed 1     (UniswapV2Pair vs createV2Replayer)
 *
 * Scenario i of seed S is `v3ScenarioAt(S, i)` (sim/pools/testing/evm/scenarios.ts), so any one can be rebuilt
 * alone. Each failing scenario is shrunk and written to sim/pools/testing/evm/regressions/<pool>-seed<S>-<i>.jsonl
 * (event + the EVM's expect per line), which sim/pools/testing/evm/v3Regressions.test.ts then replays. Progress
 * goes to stderr; the summary line to stdout. Exit status 1 when any scenario mismatched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Replayer } from '../sim/replay/types.ts';
import { v3ScenarioAt } from '../sim/pools/testing/evm/scenarios.ts';
import { v2ScenarioAt } from '../sim/pools/testing/evm/scenariosV2.ts';
import { createV2Evm } from '../sim/pools/testing/evm/v2Evm.ts';
import { loadV3Replayer, minimiseV3Mismatch, runV3Differential, toCaseLines } from '../sim/pools/testing/evm/v3Differential.ts';
import { createV3Evm } from '../sim/pools/testing/evm/v3Evm.ts';

function intFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new Error(`--${flag}: must be an integer; was ${JSON.stringify(value)}`);
  return Number(value);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      'max-actions': { type: 'string' },
      'max-failures': { type: 'string' },
      pool: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write('usage: npx tsx scripts/fuzz-v3.ts [--pool v3|v2] --runs N --seed S [--start I] [--max-actions A] [--max-failures F]\n');
    return 0;
  }
  const runs = intFlag(values.runs, 'runs', 1000);
  const seed = intFlag(values.seed, 'seed', 1);
  const start = intFlag(values.start, 'start', 0);
  const maxActions = intFlag(values['max-actions'], 'max-actions', 40);
  const maxFailures = intFlag(values['max-failures'], 'max-failures', 20);

  const pool = values.pool ?? 'v3';
  if (pool !== 'v3' && pool !== 'v2') throw new Error(`--pool: must be v3 or v2; was ${JSON.stringify(pool)}`);
  let createReplayer: () => Replayer;
  if (pool === 'v3') {
    const replayer = await loadV3Replayer();
    if (!replayer.ok) {
      process.stderr.write(`error: cannot run the differential: ${replayer.reason}\n`);
      return 1;
    }
    createReplayer = replayer.createReplayer;
  } else {
    const { createV2Replayer } = await import('../sim/replay/v2Replay.ts');
    createReplayer = () => createV2Replayer();
  }
  const harness = pool === 'v3' ? await createV3Evm() : await createV2Evm();
  const scenarioAt = (i: number): readonly Record<string, unknown>[] =>
    pool === 'v3' ? v3ScenarioAt(seed, i, { maxActions }).events : v2ScenarioAt(seed, i, maxActions).events;
  const outDir = path.resolve(process.cwd(), 'sim/pools/testing/evm/regressions');
  process.stderr.write(`fuzz-v3: pool ${pool}, seed ${seed}, scenarios ${start}..${start + runs - 1}, max actions ${maxActions}\n`);

  let mismatches = 0;
  let events = 0;
  let reverts = 0;
  const began = Date.now();
  for (let i = start; i < start + runs; i++) {
    const scenarioEvents = scenarioAt(i);
    const result = await runV3Differential(harness, createReplayer, scenarioEvents);
    events += result.evmResults.length;
    reverts += result.evmResults.filter((r) => 'revert' in r).length;
    if (result.mismatch !== undefined) {
      mismatches++;
      const m = result.mismatch;
      process.stderr.write(
        `MISMATCH seed ${seed} scenario ${i} event ${m.index + 1}: ${JSON.stringify(m.event)}\n  evm: ${JSON.stringify(m.evm)}\n  sim: ${JSON.stringify(m.sim)}\n`,
      );
      if (mismatches <= maxFailures) {
        const minimal = await minimiseV3Mismatch(harness, createReplayer, scenarioEvents);
        const evmResults = await harness.runScenario(minimal);
        mkdirSync(outDir, { recursive: true });
        const file = path.join(outDir, `${pool}-seed${seed}-${i}.jsonl`);
        writeFileSync(file, toCaseLines(minimal, evmResults));
        process.stderr.write(`  shrunk to ${minimal.length} events: ${path.relative(process.cwd(), file)}\n`);
      }
    }
    const done = i - start + 1;
    if (done % 100 === 0 || done === runs) {
      const secs = (Date.now() - began) / 1000;
      process.stderr.write(`  ${done}/${runs} scenarios, ${events} events (${reverts} reverts), ${mismatches} mismatching, ${secs.toFixed(0)} s\n`);
    }
  }
  process.stdout.write(
    `fuzz-v3: pool ${pool}, seed ${seed}: ${runs} scenarios, ${events} events (${reverts} reverts): ${mismatches} mismatching scenario(s)\n`,
  );
  return mismatches === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
