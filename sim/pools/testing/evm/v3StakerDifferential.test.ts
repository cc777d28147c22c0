/**
 * Differential test: seeded random v3-staker scenarios (v3StakerScenarios.ts) through the real bytecode —
 * v3-core 1.0.1 pool, v3-periphery 1.0.1 NonfungiblePositionManager, v3-staker 1.0.2 UniswapV3Staker — in
 * an in-process EVM, and through ammsim's `createV3StakerReplayer()`; every result, revert, pool state and
 * incentive must be equal, line by line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createV3StakerReplayer } from '../../../replay/v3StakerReplay.ts';
import { v3StakerScenarioAt } from './v3StakerScenarios.ts';
import { createV3StakerEvm, type V3StakerEvmHarness } from './v3StakerEvm.ts';

const SEED = 20261206;
const SCENARIOS = 8;
const ACTIONS = 24;

describe('v3-staker differential: EVM bytecode vs createV3StakerReplayer', () => {
  let harness: V3StakerEvmHarness;
  const seen = new Map<string, number>();
  let firstEvents: Record<string, unknown>[] = [];
  let firstEvm: Record<string, unknown>[] = [];

  beforeAll(async () => {
    harness = await createV3StakerEvm();
  });

  it(`behavior: ${SCENARIOS} scenarios of seed ${SEED} (${ACTIONS} actions each): 0 mismatches on every result, revert, state and incentive`, async () => {
    const mismatches: unknown[] = [];
    for (let i = 0; i < SCENARIOS; i++) {
      const { events } = v3StakerScenarioAt(SEED, i, ACTIONS);
      const evm = await harness.runScenario(events);
      if (i === 0) [firstEvents, firstEvm] = [events, evm];
      const replayer = createV3StakerReplayer({ file: `scenario ${i}` });
      events.forEach((e, k) => {
        const got = replayer.apply(e, k + 1);
        const want = evm[k] as Record<string, unknown>;
        const label = 'revert' in want ? `${String(e.type)}: ${String(want.revert) || '(bare revert)'}` : String(e.type);
        seen.set(label, (seen.get(label) ?? 0) + 1);
        if (JSON.stringify(got) !== JSON.stringify(want) && mismatches.length < 3) mismatches.push({ scenario: i, line: k + 1, event: e, want, got });
      });
    }
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('the comparison notices a replayer that is off by one wei in any unstake reward', () => {
    const replayer = createV3StakerReplayer();
    const differs = firstEvents.some((e, k) => {
      const got = replayer.apply(e, k + 1);
      if (e.type === 'unstake' && typeof got.reward === 'string') got.reward = (BigInt(got.reward) + 1n).toString();
      return JSON.stringify(got) !== JSON.stringify(firstEvm[k]);
    });
    expect(firstEvents.some((e, k) => e.type === 'unstake' && !('revert' in (firstEvm[k] as object)))).toBe(true);
    expect(differs).toBe(true);
  });

  it('the scenarios reach the paths that matter: rewards, late unstakes, refunds and the staker reverts', () => {
    const get = (k: string): number => seen.get(k) ?? 0;
    expect(get('unstake')).toBeGreaterThan(5);
    expect(get('rewardInfo')).toBeGreaterThan(5);
    expect(get('endIncentive')).toBeGreaterThan(0);
    expect(get('claimReward')).toBeGreaterThan(3);
    expect(get('swap')).toBeGreaterThan(10);
    expect([...seen.keys()].filter((k) => k.includes('UniswapV3Staker::')).length).toBeGreaterThanOrEqual(6);
  });
});
