/**
 * The v3 pool with time against the real bytecode: first the harness itself reproduces every line of the
 * shared v3-time oracle (so it drives the contract's clock the way the oracle did), then seeded random
 * scenarios with time (scenariosTime.ts) run through the real v3-core 1.0.1 pool in an in-process EVM and
 * through `createV3TimeReplayer()`: every result and every revert must be equal.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createV3TimeReplayer } from '../../../replay/v3TimeReplay.ts';
import type { Replayer } from '../../../replay/types.ts';
import { v3TimeScenarioAt } from './scenariosTime.ts';
import { runV3Differential, type Mismatch } from './v3Differential.ts';
import { createV3Evm, type V3EvmHarness } from './v3Evm.ts';

const ORACLE = path.resolve(process.cwd(), '../shared/oracle/v3-time');
const SEED = 8101;
// Kept small for `npm test` (a few seconds); set AMMSIM_V3_TIME_SCENARIOS for a longer run.
const SCENARIOS = Number(process.env['AMMSIM_V3_TIME_SCENARIOS'] ?? 20);
const MAX_ACTIONS = 20;

let harness: V3EvmHarness;
beforeAll(async () => {
  harness = await createV3Evm({ time: true });
});

describe.skipIf(!existsSync(ORACLE))(`v3-time EVM harness reproduces the oracle (skipped: ${ORACLE} not found)`, () => {
  // The contracts' own vectors and the scenario that crosses 2^32; the replayer test covers all 20 files.
  const files = existsSync(ORACLE) ? readdirSync(ORACLE).filter((f) => f.startsWith('vec-') || f.includes('wrap32')).sort() : [];
  it('behavior: every line of the vec-* and wrap32 files equals expect', async () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const cases = readFileSync(path.join(ORACLE, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { event: Record<string, unknown>; expect: Record<string, unknown> });
      const results = await harness.runScenario(cases.map((c) => c.event));
      for (let i = 0; i < cases.length; i++) {
        expect({ file, line: i + 1, result: results[i] }).toEqual({ file, line: i + 1, result: cases[i]?.expect });
      }
    }
  });
});

describe('v3-time differential: EVM bytecode vs createV3TimeReplayer', () => {
  const seen = new Map<string, number>();
  it(`behavior: ${SCENARIOS} scenarios of seed ${SEED}: 0 mismatches on every result and revert`, async () => {
    const mismatches: { scenario: number; mismatch: Mismatch }[] = [];
    for (let i = 0; i < SCENARIOS; i++) {
      const { events } = v3TimeScenarioAt(SEED, i, { maxActions: MAX_ACTIONS });
      const r = await runV3Differential(harness, () => createV3TimeReplayer(), events);
      if (r.mismatch !== undefined) mismatches.push({ scenario: i, mismatch: r.mismatch });
      r.evmResults.forEach((res, k) => {
        const e = events[k] as Record<string, unknown>;
        const key = 'revert' in res ? `${String(e.type)}:revert:${String(res.revert)}` : String(e.type);
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (e.type === 'snapshotCumulativesInside' && !('revert' in res) && BigInt(res.secondsInside as string) > 0n) {
          seen.set('snapshot:secondsInside>0', (seen.get('snapshot:secondsInside>0') ?? 0) + 1);
        }
        const st = (res as { state: Record<string, string> }).state;
        if (Number(st['observationCardinality']) > 1) seen.set('cardinality>1', (seen.get('cardinality>1') ?? 0) + 1);
      });
    }
    // The first mismatch in full; rebuild the scenario with v3TimeScenarioAt(SEED, scenario, { maxActions: MAX_ACTIONS }).
    expect(mismatches.slice(0, 1)).toEqual([]);
  });

  it('behavior: the run covered the oracle events, their reverts, grown buffers and time spent in ranges', () => {
    const keys = [...seen.keys()];
    for (const key of [
      'observe',
      'observe:revert:OLD',
      'snapshotCumulativesInside',
      'snapshotCumulativesInside:revert:',
      'snapshotCumulativesInside:revert:TLU',
      'snapshot:secondsInside>0',
      'increaseObservationCardinalityNext',
      'cardinality>1',
      'swap',
      'mint',
      'burn',
    ]) {
      expect(keys, key).toContain(key);
    }
  });

  it('behavior: a replayer off by one second inside a range is caught at that event', async () => {
    let events: readonly Record<string, unknown>[] = [];
    let target = -1;
    for (let i = 0; target < 0; i++) {
      events = v3TimeScenarioAt(SEED, i, { maxActions: MAX_ACTIONS }).events;
      const good = await runV3Differential(harness, () => createV3TimeReplayer(), events);
      target = good.evmResults.findIndex((r, k) => events[k]?.type === 'snapshotCumulativesInside' && !('revert' in r));
    }
    const targetEvent = events[target];
    const broken = (): Replayer => {
      const inner = createV3TimeReplayer();
      return {
        apply: (event, line) => {
          const r = inner.apply(event, line);
          return event === targetEvent ? { ...r, secondsInside: String(Number(r.secondsInside) + 1) } : r;
        },
      };
    };
    expect((await runV3Differential(harness, broken, events)).mismatch?.index).toBe(target);
  });
});
