/**
 * StakingRewards: the EVM harness reproduces every oracle line (../shared/oracle/staking-rewards), then a
 * seeded differential of random scenarios: liquidity-staker 1.0.2's StakingRewards bytecode vs
 * createStakingRewardsReplayer() (sim/pools/rewards/StakingRewards.ts), every result and revert equal.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../core/rng.ts';
import { createStakingRewardsReplayer } from '../../../replay/stakingRewardsReplay.ts';
import { createStakingRewardsEvm, type StakingRewardsEvmHarness } from './stakingRewardsEvm.ts';

const ORACLE = path.resolve(process.cwd(), '../shared/oracle/staking-rewards');
const SEED = 1212;
const SCENARIOS = 40;
const EVENTS = 30;
const D = 5_184_000;

type Event = Record<string, unknown>;

function logUniform(rng: Rng, maxDigits: number): bigint {
  const digits = rng.int(0, maxDigits);
  const mantissa = BigInt(rng.int(1, 999_999_999));
  return (mantissa * 10n ** BigInt(digits)) / 1_000_000_000n + 1n;
}

/**
 * Scenario `i` of `seed`: `EVENTS` events over accounts a–d. Times step by 0 (same block), seconds, days or
 * more than a period; amounts span 1 wei to ~1e27; notifies are sometimes under-funded, sent by a stranger,
 * or so large that the rate overflows; withdrawals sometimes exceed the balance; stakes of 0 appear.
 */
function scenarioAt(seed: number, i: number): Event[] {
  const rng = new Rng(seed).fork(`staking-rewards/${i}`);
  const accounts = ['a', 'b', 'c', 'd'];
  const staked = new Map<string, bigint>();
  let time = 1_600_000_000 + rng.int(0, 100_000_000);
  const events: Event[] = [];
  const hugeScenario = rng.uniform() < 0.1;
  for (let k = 0; k < EVENTS; k++) {
    const step = rng.uniform();
    time += step < 0.2 ? 0 : step < 0.5 ? rng.int(1, 600) : step < 0.85 ? rng.int(600, 20 * 86400) : rng.int(D / 2, 2 * D);
    const who = accounts[rng.int(0, accounts.length - 1)]!;
    const bal = staked.get(who) ?? 0n;
    const pick = rng.uniform();
    if (pick < 0.15 || k === 1) {
      const reward = hugeScenario && rng.uniform() < 0.5 ? logUniform(rng, 60) * 10n ** 10n : logUniform(rng, 24);
      const e: Event = { type: 'notifyRewardAmount', time, reward: reward.toString() };
      const f = rng.uniform();
      if (f < 0.15) e['fund'] = ((reward * BigInt(rng.int(0, 99))) / 100n).toString();
      else if (f < 0.2) e['fund'] = '0';
      if (rng.uniform() < 0.07) e['caller'] = who;
      events.push(e);
    } else if (pick < 0.45 || k === 0) {
      const amount = rng.uniform() < 0.04 ? 0n : logUniform(rng, 27);
      staked.set(who, bal + amount);
      events.push({ type: 'stake', time, account: who, amount: amount.toString() });
    } else if (pick < 0.58) {
      const r = rng.uniform();
      const amount = r < 0.08 ? bal + 1n : r < 0.13 ? 0n : r < 0.5 ? bal : (bal * BigInt(rng.int(0, 100))) / 100n;
      if (amount <= bal) staked.set(who, bal - amount);
      events.push({ type: 'withdraw', time, account: who, amount: amount.toString() });
    } else if (pick < 0.72) {
      events.push({ type: 'getReward', time, account: who });
    } else if (pick < 0.8) {
      staked.set(who, 0n);
      events.push({ type: 'exit', time, account: who });
    } else {
      events.push({ type: 'earned', time, account: who });
    }
  }
  return events;
}

if (!existsSync(ORACLE)) console.warn(`skipping the StakingRewards EVM harness oracle check: ${ORACLE} not found (it lives beside the checkout in ../shared)`);

describe.skipIf(!existsSync(ORACLE))('StakingRewards EVM harness reproduces the oracle (../shared/oracle/staking-rewards)', () => {
  let harness: StakingRewardsEvmHarness;
  beforeAll(async () => {
    harness = await createStakingRewardsEvm();
  });
  const files = existsSync(ORACLE) ? readdirSync(ORACLE).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('behavior: every line of every staking-rewards oracle file equals expect', async () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const cases = readFileSync(path.join(ORACLE, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { event: Event; expect: Event });
      const results = await harness.runScenario(cases.map((c) => c.event));
      cases.forEach((c, i) => expect({ file, line: i + 1, result: results[i] }).toEqual({ file, line: i + 1, result: c.expect }));
    }
  });
});

describe('StakingRewards differential: liquidity-staker bytecode vs createStakingRewardsReplayer', () => {
  let harness: StakingRewardsEvmHarness;
  beforeAll(async () => {
    harness = await createStakingRewardsEvm();
    console.log(`StakingRewards differential: seed ${SEED}, ${SCENARIOS} scenarios × ${EVENTS} events`);
  });

  it(`behavior: ${SCENARIOS} scenarios of seed ${SEED}: 0 mismatches, and the run hits the contract's reverts`, async () => {
    const mismatches: { scenario: number; index: number; event: Event; evm: unknown; sim: unknown }[] = [];
    const reasons = new Set<string>();
    let payouts = 0;
    for (let s = 0; s < SCENARIOS; s++) {
      const events = scenarioAt(SEED, s);
      await harness.reset();
      const replayer = createStakingRewardsReplayer({ file: `scenario-${s}` });
      for (let k = 0; k < events.length; k++) {
        const event = events[k]!;
        const evm = await harness.apply(event);
        const sim = replayer.apply(event, k + 1);
        if (typeof evm['revert'] === 'string') reasons.add(evm['revert']);
        if (typeof evm['paid'] === 'string' && evm['paid'] !== '0') payouts++;
        if (!isDeepStrictEqual(evm, sim)) {
          mismatches.push({ scenario: s, index: k, event, evm, sim });
          break;
        }
      }
    }
    console.log(`reverts seen: ${[...reasons].sort().join(" | ")}; payouts ${payouts}`);
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The scenarios must exercise the interesting paths, or 0 mismatches means little.
    expect(payouts).toBeGreaterThan(20);
    const expected = [
      'Cannot stake 0',
      'Cannot withdraw 0',
      'SafeMath: subtraction overflow',
      'SafeMath: multiplication overflow',
      'SafeERC20: low-level call failed',
      'Caller is not RewardsDistribution contract',
      'Provided reward too high',
    ];
    for (const reason of expected) {
      expect([...reasons]).toContain(reason);
    }
  });
});
