/**
 * Differential test: seeded random v3 scenarios (scenarios.ts) through the real v3-core 1.0.1 bytecode
 * in an in-process EVM and through ammsim's `createV3Replayer()`; every result and every revert must be
 * equal. Larger runs: `npx tsx scripts/fuzz-v3.ts --runs 10000 --seed N`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Replayer } from '../../../replay/types.ts';
import { v3ScenarioAt } from './scenarios.ts';
import { loadV3Replayer, minimiseV3Mismatch, runV3Differential, type Mismatch } from './v3Differential.ts';
import { createV3Evm, type V3EvmHarness } from './v3Evm.ts';

const SEED = 7001;
const SCENARIOS = 300;
const BATCH = 100;
const MAX_ACTIONS = 40;

const availability = await loadV3Replayer();
const skipReason = availability.ok ? '' : ` (skipped: ${availability.reason})`;

/** A replayer that is wrong in one planted way, to prove the differential notices. */
function mutant(base: () => Replayer, wrong: (event: Readonly<Record<string, unknown>>, r: Record<string, unknown>) => Record<string, unknown>): () => Replayer {
  return () => {
    const inner = base();
    return { apply: (event, line) => wrong(event, inner.apply(event, line)) };
  };
}

describe.skipIf(!availability.ok)(`v3 differential: EVM bytecode vs createV3Replayer${skipReason}`, () => {
  let harness: V3EvmHarness;
  const createReplayer = availability.ok ? availability.createReplayer : (): Replayer => {
    throw new Error('unreachable');
  };
  const seen = new Map<string, number>();
  let crossingSwaps = 0;

  beforeAll(async () => {
    harness = await createV3Evm();
    console.log(`v3 differential: seed ${SEED}, ${SCENARIOS} scenarios (v3ScenarioAt(${SEED}, i), max ${MAX_ACTIONS} actions)`);
  });

  for (let from = 0; from < SCENARIOS; from += BATCH) {
    it(`behavior: scenarios ${from}..${from + BATCH - 1} of seed ${SEED}: 0 mismatches on every result and revert`, async () => {
      const mismatches: { scenario: number; mismatch: Mismatch }[] = [];
      for (let i = from; i < from + BATCH; i++) {
        const { events } = v3ScenarioAt(SEED, i, { maxActions: MAX_ACTIONS });
        const r = await runV3Differential(harness, createReplayer, events);
        if (r.mismatch !== undefined) mismatches.push({ scenario: i, mismatch: r.mismatch });
        r.evmResults.forEach((res, k) => {
          const e = events[k] as Record<string, unknown>;
          const key = 'revert' in res ? `${String(e.type)}:revert:${String(res.revert)}` : String(e.type);
          seen.set(key, (seen.get(key) ?? 0) + 1);
          const before = k > 0 ? (r.evmResults[k - 1] as { state: { liquidity: string } }).state.liquidity : undefined;
          if (e.type === 'swap' && !('revert' in res) && before !== (res as { state: { liquidity: string } }).state.liquidity) crossingSwaps++;
        });
      }
      // The first mismatch in full; reproduce with `npx tsx scripts/fuzz-v3.ts --seed ${SEED} --start <scenario> --runs 1`.
      expect(mismatches.slice(0, 1)).toEqual([]);
    });
  }

  it('behavior: the run covered every event type, every revert reason and many tick crossings', () => {
    const keys = [...seen.keys()];
    for (const type of ['initialize', 'mint', 'burn', 'collect', 'swap', 'setFeeProtocol', 'collectProtocol']) {
      expect(keys, type).toContain(type);
    }
    for (const reason of [
      'initialize:revert:R',
      'initialize:revert:AI',
      'mint:revert:',
      'mint:revert:TLU',
      'mint:revert:TLM',
      'mint:revert:TUM',
      'mint:revert:LO',
      'burn:revert:LS',
      'burn:revert:NP',
      'swap:revert:AS',
      'swap:revert:SPL',
      'setFeeProtocol:revert:',
    ]) {
      expect(keys, reason).toContain(reason);
    }
    expect(crossingSwaps).toBeGreaterThan(100);
    console.log(`v3 differential coverage: ${crossingSwaps} swaps changed in-range liquidity; ${JSON.stringify([...seen].sort())}`);
  });

  it('behavior: a replayer off by one wei on one swap is caught at that event', async () => {
    const { events } = v3ScenarioAt(SEED, 0, { maxActions: MAX_ACTIONS });
    const good = await runV3Differential(harness, createReplayer, events);
    const target = good.evmResults.findIndex((r, k) => events[k]?.type === 'swap' && !('revert' in r));
    expect(target).toBeGreaterThan(0);
    const targetEvent = events[target];
    const broken = mutant(createReplayer, (event, r) =>
      event === targetEvent ? { ...r, amount0: (BigInt(r.amount0 as string) + 1n).toString() } : r,
    );
    const bad = await runV3Differential(harness, broken, events);
    expect(bad.mismatch?.index).toBe(target);
  });

  it('behavior: a replayer that throws is a mismatch, and the shrinker keeps it failing in fewer events', async () => {
    let scenario: readonly Record<string, unknown>[] = [];
    for (let i = 0; scenario.length === 0; i++) {
      const { events } = v3ScenarioAt(SEED, i, { maxActions: MAX_ACTIONS });
      if (events.filter((e) => e.type === 'burn').length >= 1 && events.length > 10) scenario = events;
    }
    const broken = mutant(createReplayer, (event, r) => {
      if (event.type === 'burn') throw new Error('planted');
      return r;
    });
    const bad = await runV3Differential(harness, broken, scenario);
    expect(bad.mismatch?.sim).toEqual({ thrown: 'Error: planted' });
    const minimal = await minimiseV3Mismatch(harness, broken, scenario);
    expect(minimal.length).toBeLessThan(scenario.length);
    expect(minimal.at(-1)?.type).toBe('burn');
    expect((await runV3Differential(harness, broken, minimal)).mismatch).toBeDefined();
  });
});
