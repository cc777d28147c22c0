/**
 * Fixes from an audit: liquidity mining with the hold strategy (no LP position: no program can pay it) ran at rewards
 * 0 without a word; a harvest policy module that threw was a stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtest } from '../backtest.ts';
import { resolveBacktestConfig } from '../config.ts';
import { COMPARE_DEFAULTS } from '../compare/config.ts';
import { lpAlternatives, runCompare } from '../compare/compare.ts';
import { loadSeries } from '../../data/loadSeries.ts';

const dir = mkdtempSync(join(tmpdir(), 'ammsim-lm-hold-'));
const write = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
/** 73 hourly rows from 2024-01-01, flat at 2000. */
const prices = write('flat.csv', ['timestamp,price', ...Array.from({ length: 73 }, (_, h) => `${1704067200 + h * 3600},2000`)].join('\n') + '\n');
/** 86,400 tokens over 2024-01-01 12:00 … 2024-01-02 12:00. */
const prog = write('sr.json', JSON.stringify({ kind: 'staking-rewards', token: 'R', total: 86400, start: 1704110400, end: 1704196800 }));
const HOLD = '--incentive: the hold strategy holds no LP position: no liquidity-mining program can pay it, so the programs and the mining flags (--harvest, --reward-price, …) could not act; give an LP strategy (full-range, range, rebalance) or leave the liquidity-mining flags out';

describe('liquidity mining and the hold strategy', () => {
  it('error: backtest refuses programs for hold, whatever the mining flags beside them (it ran: rewards 0, no warning)', async () => {
    await expect(backtest({ prices, strategy: 'hold', incentives: [prog] })).rejects.toThrowError(HOLD);
    await expect(backtest({ prices, strategy: 'hold', incentives: [prog], harvest: 'interval', harvestParams: { then: 'sell' }, rewardPoolLiquidity: 5000, performanceFee: 0.2, rewardPrice: 3 })).rejects.toThrowError(HOLD);
    expect((await backtest({ prices, strategy: 'hold' })).summary.finalValue).toBeGreaterThan(0);
    expect((await backtest({ prices, strategy: 'full-range', incentives: [prog] })).summary.rewardTokensEarned).toBeCloseTo(86400, 6);
  });

  it('behavior: compare runs its hold alternative without the programs, as a strategy without a range runs without --width; hold alone is refused', async () => {
    const mining = resolveBacktestConfig({ prices, incentives: [prog], harvest: 'interval', harvestParams: { then: 'sell' }, rewardPoolLiquidity: 5000 });
    const alts = await lpAlternatives(mining, ['hold', 'full-range'], undefined);
    expect(alts.map((a) => [a.id, a.config.incentives, a.config.harvest, a.config.rewardPoolLiquidity])).toEqual([
      ['lp:hold', undefined, 'never', undefined],
      ['lp:full-range', [prog], 'interval', 5000],
    ]);
    await expect(lpAlternatives(mining, ['hold'], undefined)).rejects.toThrowError(HOLD);
    const series = await loadSeries(prices);
    const r = await runCompare({ backtest: mining, strategies: ['hold', 'full-range'], widths: undefined, options: { ...COMPARE_DEFAULTS, stakingApr: 0.05 }, aprSeries: undefined, lstSeries: undefined }, series);
    const entry = (id: string): Record<string, unknown> => r.summary[id] as Record<string, unknown>;
    expect('rewardsEarned' in entry('lp:hold')).toBe(false);
    expect(entry('lp:full-range').rewardsEarned).toBeGreaterThan(0);
  });
});

describe('a harvest policy module\'s own failures name the policy (they were stack traces)', () => {
  const mod = (name: string, body: string): string => write(name, `export default { name: ${JSON.stringify(name.replace('.mjs', ''))}, description: '', defaults: {}, ${body} };\n`);
  const run = (harvest: string) => backtest({ prices, incentives: [prog], harvest });

  it('error: onStep throwing is the policy\'s error at its step; create throwing or returning no onStep, the policy\'s error', async () => {
    const thrower = mod('thrower.mjs', "create: () => ({ onStep: (ctx) => { if (ctx.step === 20) throw new Error('boom'); return []; } })");
    await expect(run(thrower)).rejects.toThrowError(`harvest policy thrower (${thrower}): step 20 (2024-01-01T20:00:00.000Z): onStep threw: boom`);
    const creator = mod('creator.mjs', "create: () => { throw new Error('nope'); }");
    await expect(run(creator)).rejects.toThrowError(`harvest policy creator (${creator}): create(params) threw: nope`);
    const empty = mod('empty.mjs', 'create: () => ({})');
    await expect(run(empty)).rejects.toThrowError(`harvest policy empty (${empty}): create(params) returned {}; it must return { onStep(ctx) }`);
  });

  it('behavior: a working module runs as before (its fields reached through the guard)', async () => {
    const half = mod('half.mjs', "create: () => ({ id: 'half', wakeAtMs: (last) => last + 6 * 3600e3, onStep: (ctx) => (ctx.pending > 0 ? [{ kind: 'claim' }, { kind: 'sell', amount: (ctx.held + ctx.pending) * 0.5 }] : []) })");
    const r = await run(half);
    expect(r.summary.harvests).toBeGreaterThan(2);
  });

  // The actions a module returns are checked by the engine (sim/engine/incentives.ts IncentiveBook.fail), which still
  // labels their errors as a strategy's (`strategy bad (…): step 20 …: sell of … exceeds the 0 held`); enable when it
  // throws a HarvestPolicyError (see the report of this change).
  it('error: an action the engine cannot apply (a sale of more than is held) is the policy\'s error, not a strategy\'s', async () => {
    const bad = mod('bad.mjs', "create: () => ({ onStep: (ctx) => (ctx.step === 20 ? [{ kind: 'sell', amount: 1e9 }] : []) })");
    await expect(run(bad)).rejects.toThrowError(`harvest policy bad (${bad}): step 20 (2024-01-01T20:00:00.000Z): sell of 1000000000 reward tokens exceeds the 0 held`);
  });
});
