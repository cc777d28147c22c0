import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../core/errors.ts';
import { v3StakerScenarioAt } from '../pools/testing/evm/v3StakerScenarios.ts';
import { createV3StakerReplayer } from './v3StakerReplay.ts';

// Ground truth: the deployed v3-core 1.0.1 pool, v3-periphery 1.0.1 NonfungiblePositionManager and v3-staker
// 1.0.2 UniswapV3Staker run in an in-process EVM (../shared/oracle/README.md, "v3-staker/"). Read from the
// shared checkout, never copied into the repo.
const ORACLE = path.resolve(process.cwd(), '../shared/oracle/v3-staker');
const haveOracle = existsSync(ORACLE);

describe.skipIf(!haveOracle)(`behavior: replays every v3-staker oracle case exactly (skipped: ${ORACLE} not found)`, () => {
  const files = haveOracle ? readdirSync(ORACLE).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('finds the 12 oracle scenarios (729 events)', () => {
    expect(files.length).toBe(12);
    const events = files.reduce((n, f) => n + readFileSync(path.join(ORACLE, f), 'utf8').split('\n').filter((l) => l.trim() !== '').length, 0);
    expect(events).toBe(729);
  });
  for (const f of files) {
    it(`matches every line of ${f}`, () => {
      const lines = readFileSync(path.join(ORACLE, f), 'utf8').split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBeGreaterThan(0);
      const replayer = createV3StakerReplayer({ file: f });
      lines.forEach((text, i) => {
        const c = JSON.parse(text) as { event: Record<string, unknown>; expect: Record<string, unknown> };
        const got = replayer.apply(c.event, i + 1);
        // Exact equality, key order included (the CLI writes these objects as JSON lines).
        expect({ line: i + 1, event: c.event, result: JSON.stringify(got) }).toEqual({ line: i + 1, event: c.event, result: JSON.stringify(c.expect) });
      });
    });
  }
});

describe('error: malformed events are InputErrors naming the line and field', () => {
  const init = { type: 'initialize', time: 1_700_000_000, fee: 3000, tickSpacing: 60, sqrtPriceX96: '79228162514264337593543950336' };
  it('rejects an event before initialize, an unknown type and an unknown field', () => {
    const r = createV3StakerReplayer({ file: 'ev.jsonl' });
    expect(() => r.apply({ type: 'withdraw', time: 1, tokenId: 1 }, 1)).toThrow(/ev\.jsonl:1: type: the first event must be initialize/);
    expect(() => r.apply({ type: 'flash', time: 1 }, 2)).toThrow(InputError);
    r.apply(init, 3);
    expect(() => r.apply({ type: 'withdraw', time: 1_700_000_000, tokenId: 1, to: 'x' }, 4)).toThrow(/ev\.jsonl:4: to: is not a field of a withdraw event/);
  });
  it('rejects a missing time, an incentive never created and a name reused for another key', () => {
    const r = createV3StakerReplayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    expect(() => r.apply({ type: 'endIncentive', incentive: 'k' }, 2)).toThrow(/ev\.jsonl:2: time: must be an integer/);
    expect(() => r.apply({ type: 'endIncentive', time: 1_700_000_000, incentive: 'k' }, 3)).toThrow(/3: incentive: "k" was never created/);
    const create = { type: 'createIncentive', time: 1_700_000_000, incentive: 'k', rewardToken: 'r', reward: '1', startTime: 1_700_000_100, endTime: 1_700_000_200, refundee: 'z' };
    r.apply(create, 4);
    expect(() => r.apply({ ...create, endTime: 1_700_000_300 }, 5)).toThrow(/5: incentive: "k" was created before with a different key/);
    expect(() => r.apply({ ...create, incentive: 'k2' }, 6)).toThrow(/6: incentive: "k2" has the same key as "k"/);
  });
  it('rejects a time that goes back (equal times are transactions of one block)', () => {
    const r = createV3StakerReplayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    r.apply({ type: 'swap', time: 1_700_000_000, zeroForOne: true, amountSpecified: '0', sqrtPriceLimitX96: '4295128740' }, 2);
    expect(() => r.apply({ type: 'swap', time: 1_699_999_999, zeroForOne: true, amountSpecified: '0', sqrtPriceLimitX96: '4295128740' }, 3)).toThrowError(
      /^ev\.jsonl:3: time: must not decrease \(line 2 had 1700000000\); was 1699999999$/,
    );
  });
  it('rejects a later initialize of another fee or spacing (one pool per file)', () => {
    const r = createV3StakerReplayer({ file: 'ev.jsonl' });
    expect(r.apply({ ...init, fee: 500, tickSpacing: 10, sqrtPriceX96: '5' }, 1)).toMatchObject({ revert: 'R' });
    expect(() => r.apply({ ...init, fee: 500 }, 2)).toThrowError(/^ev\.jsonl:2: tickSpacing: is 60 but line 1 created the pool with fee 500 \/ tick spacing 10; one pool per file$/);
  });
});

describe('property: the staker over random scenarios (v3StakerScenarios, replayed)', () => {
  interface Result {
    revert?: string;
    reward?: string;
    refund?: string;
    amount?: string;
    owed?: string;
    deposit?: { owner: string };
    incentives: Record<string, { totalRewardUnclaimed: string }>;
  }

  const run = (seed: number) => {
    const { events } = v3StakerScenarioAt(seed, 0, 40);
    const replayer = createV3StakerReplayer();
    return { events, results: events.map((e, i) => replayer.apply(e, i + 1) as unknown as Result) };
  };

  it('property: reward tokens are conserved — paid + owed + unclaimed + refunded equals what was funded, so never exceeds it (seed 8128, 40 runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), (seed) => {
        const { events, results } = run(seed);
        const tokenOf = new Map<string, string>();
        const funded = new Map<string, bigint>();
        const out = new Map<string, bigint>(); // claimed + refunded
        const owed = new Map<string, bigint>(); // `${token}/${owner}` → unclaimed balance
        const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
        events.forEach((e, i) => {
          const r = results[i] as Result;
          if (e.type === 'createIncentive') tokenOf.set(e.incentive as string, e.rewardToken as string);
          if (r.revert !== undefined) return;
          if (e.type === 'createIncentive') add(funded, e.rewardToken as string, BigInt(e.reward as string));
          if (e.type === 'endIncentive') add(out, tokenOf.get(e.incentive as string) as string, BigInt(r.refund as string));
          if (e.type === 'claimReward') {
            add(out, e.rewardToken as string, BigInt(r.amount as string));
            owed.set(`${String(e.rewardToken)}/${String(e.owner)}`, BigInt(r.owed as string));
          }
          if (e.type === 'unstake') owed.set(`${tokenOf.get(e.incentive as string)}/${r.deposit?.owner}`, BigInt(r.owed as string));
          // After every event: per token, what left the staker + what it still owes ≤ (and = ) funded.
          for (const token of new Set(tokenOf.values())) {
            let held = out.get(token) ?? 0n;
            for (const [k, v] of owed) if (k.startsWith(`${token}/`)) held += v;
            for (const [name, inc] of Object.entries(r.incentives)) if (tokenOf.get(name) === token) held += BigInt(inc.totalRewardUnclaimed);
            expect(held <= (funded.get(token) ?? 0n)).toBe(true);
            expect(held).toBe(funded.get(token) ?? 0n);
          }
        });
      }),
      { numRuns: 40, seed: 8128 },
    );
  });

});
