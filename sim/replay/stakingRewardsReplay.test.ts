import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { replayJsonl } from './jsonl.ts';
import { createStakingRewardsReplayer } from './stakingRewardsReplay.ts';

// Ground truth: the deployed StakingRewards bytecode's results (../shared/oracle/README.md). Never copied here.
const ORACLE = path.resolve(process.cwd(), '../shared/oracle/staking-rewards');
const haveOracle = existsSync(ORACLE);
if (!haveOracle) console.warn(`skipping the staking-rewards oracle replay: ${ORACLE} not found (it lives beside the checkout in ../shared)`);

describe.skipIf(!haveOracle)('staking-rewards replay against the contract oracle (../shared/oracle/staking-rewards)', () => {
  const files = haveOracle ? readdirSync(ORACLE).filter((f) => f.endsWith('.jsonl')).sort() : [];

  it('behavior: the oracle folder holds the 13 staking-rewards scenarios', () => {
    expect(files.length).toBe(13);
  });

  it.each(files)('behavior: every line of %s replays to exactly the expected object', (file) => {
    const replayer = createStakingRewardsReplayer({ file });
    const lines = readFileSync(path.join(ORACLE, file), 'utf8').split('\n');
    let cases = 0;
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      const { event, expect: expected } = JSON.parse(text) as { event: Record<string, unknown>; expect: Record<string, unknown> };
      const actual = replayer.apply(event, i + 1);
      // Same keys in the same order, same strings: compare the serialised form, with the line in the message.
      expect(JSON.stringify(actual), `${file}:${i + 1}`).toBe(JSON.stringify(expected));
      cases++;
    });
    expect(cases).toBeGreaterThan(0);
  });

  it('behavior: replayJsonl drives the replayer over a whole oracle file with 0 mismatches', async () => {
    const summary = await replayJsonl(createStakingRewardsReplayer({ file: '02-topup.jsonl' }), path.join(ORACLE, '02-topup.jsonl'), { file: '02-topup.jsonl' });
    expect(summary.cases).toBeGreaterThan(0);
    expect(summary.mismatches).toBe(0);
  });
});

describe('staking-rewards replay events', () => {
  function run(events: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
    const r = createStakingRewardsReplayer({ file: 'test.jsonl' });
    return events.map((e, i) => r.apply(e, i + 1));
  }

  it('behavior: the spec\'s "full" scenario as events: one staker gets floor(R/D)·D', () => {
    const out = run([
      { type: 'stake', time: 1000, account: 'a', amount: '2000000000000000000' },
      { type: 'notifyRewardAmount', time: 1001, reward: '100000000000000000000' },
      { type: 'exit', time: 1001 + 5_184_000 + 1, account: 'a' },
    ]);
    // ⌊1e20 / 5,184,000⌋ = 19,290,123,456,790 per second, times 5,184,000.
    expect(out[2]).toMatchObject({ withdrawn: '2000000000000000000', paid: String(19_290_123_456_790n * 5_184_000n) });
    expect((out[2] as { state: Record<string, string> }).state.rewardBalance).toBe(String(10n ** 20n - 19_290_123_456_790n * 5_184_000n));
  });

  it('behavior: reverts are results with the reason, the account and the unchanged state; fund stays', () => {
    const out = run([
      { type: 'stake', time: 5, account: 'a', amount: 0 },
      { type: 'notifyRewardAmount', time: 6, reward: '100', fund: '7', caller: 'b' },
      { type: 'earned', time: 7, account: 'a' },
    ]);
    const state = { rewardRate: '0', rewardPerTokenStored: '0', lastUpdateTime: '0', periodFinish: '0', totalSupply: '0', rewardBalance: '0' };
    const account = { balance: '0', rewards: '0', userRewardPerTokenPaid: '0' };
    expect(out[0]).toEqual({ revert: 'Cannot stake 0', account, state });
    expect(out[1]).toEqual({ revert: 'Caller is not RewardsDistribution contract', state: { ...state, rewardBalance: '7' } });
    expect(out[2]).toEqual({ earned: '0', rewardPerToken: '0', account, state: { ...state, rewardBalance: '7' } });
  });

  it('error: malformed events name the line and field', () => {
    const r = createStakingRewardsReplayer({ file: 'in.jsonl' });
    expect(() => r.apply({ type: 'swap', time: 1 }, 3)).toThrow(InputError);
    expect(() => r.apply({ type: 'swap', time: 1 }, 3)).toThrow(/^in\.jsonl:3: type: must be one of earned, exit, getReward, notifyRewardAmount, stake, withdraw/);
    expect(() => r.apply({ type: 'stake', account: 'a', amount: '1' }, 4)).toThrow(/^in\.jsonl:4: time: must be a non-negative integer/);
    expect(() => r.apply({ type: 'stake', time: 1, account: 'a', amount: '-1' }, 5)).toThrow(/^in\.jsonl:5: amount: /);
    expect(() => r.apply({ type: 'stake', time: 1, account: '', amount: '1' }, 6)).toThrow(/^in\.jsonl:6: account: /);
    expect(() => r.apply({ type: 'getReward', time: 1, account: 'a', amount: '1' }, 7)).toThrow(/^in\.jsonl:7: amount: is not a field/);
  });

  it('error: a time that goes back is refused (equal times are transactions of one block)', () => {
    const r = createStakingRewardsReplayer({ file: 'in.jsonl' });
    r.apply({ type: 'notifyRewardAmount', time: 1000, reward: '5184000000' }, 1);
    r.apply({ type: 'stake', time: 1000, account: 'a', amount: '1' }, 2);
    // Before, lastUpdateTime moved back and the same seconds were paid twice.
    expect(() => r.apply({ type: 'stake', time: 999, account: 'a', amount: '1' }, 3)).toThrow(/^in\.jsonl:3: time: must not decrease \(line 2 had 1000\); was 999$/);
  });
});

describe('staking-rewards replay through replayJsonl', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-sr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('behavior: bare events stream through and a wrong expectation is counted as a mismatch', async () => {
    const p = path.join(dir, 'x.jsonl');
    writeFileSync(
      p,
      [
        JSON.stringify({ type: 'stake', time: 1, account: 'a', amount: '5' }),
        JSON.stringify({ event: { type: 'withdraw', time: 2, account: 'a', amount: '6' }, expect: { revert: 'SafeMath: subtraction overflow' } }),
      ].join('\n'),
    );
    const results: string[] = [];
    const s = await replayJsonl(createStakingRewardsReplayer(), p, { onResult: (j) => results.push(j) });
    expect(s.events).toBe(2);
    expect(s.cases).toBe(1);
    // The result also carries account and state, which this expectation lacks: a mismatch on a key.
    expect(s.mismatches).toBe(1);
    expect(JSON.parse(results[1]!)).toMatchObject({ revert: 'SafeMath: subtraction overflow', account: { balance: '5' } });
  });
});
