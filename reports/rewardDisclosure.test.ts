import { describe, expect, it } from 'vitest';
import { buildReportFromRun } from './html.ts';
import { syntheticRun } from './testing/syntheticRun.ts';
import { rewardDisclosure, runVerdict } from './verdict.ts';

const farm = syntheticRun({ steps: 2000, width: 0.1, stepMs: 3_600_000, rewards: { perStep: 0.5, harvestEvery: 168 } });
const plain = syntheticRun({ steps: 2000, width: 0.1, stepMs: 3_600_000 });

describe('reward disclosure in the report', () => {
  it('behavior: states reward APR (realised and spot), total APR, APY with n and the 365-day year, harvests, breakeven', () => {
    const s = farm.summary as unknown as Record<string, number>;
    const d = rewardDisclosure(farm.summary)!;
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    expect(d).toContain(`reward APR ${pct(s.rewardApr!)} realised`);
    expect(d).toContain(`fees + rewards ${pct(s.totalApr!)} APR → APY ${pct(s.apy!)}, compounded ${s.apyCompoundsPerYear!.toFixed(2)} times a year, 365-day year`);
    expect(d).toContain(`${s.harvests} harvests`);
    expect(rewardDisclosure({ ...farm.summary, breakevenRewardPriceHold: 1.23456 })).toContain('breakeven reward price vs hold 1.235');
    expect(runVerdict(farm.summary)).toMatch(/and rewards /);
  });
  it('behavior: never compounding and an LP ahead without rewards are said in words', () => {
    const d = rewardDisclosure({ ...farm.summary, apyCompoundsPerYear: 0, breakevenRewardPriceHold: -3 })!;
    expect(d).toContain('never compounded (APY = APR), 365-day year, after vault fees');
    expect(d).not.toMatch(/after vault fees.*after vault fees/);
    // 999.99… tokens (a sole staker's emission less the contract's dust) read as 1,000, not "1000"
    expect(rewardDisclosure({ ...farm.summary, rewardTokensEarned: 999.9999999 })).toMatch(/\(1,000 tokens\)/);
    expect(d).toContain('ahead of holding even with worthless rewards');
    expect(rewardDisclosure({ ...farm.summary, breakevenRewardPriceHold: null } as unknown as Record<string, unknown>)).toContain('no breakeven reward price');
  });
  it('behavior: the page carries the line and the reward charts; a run without programs has neither; bytes are deterministic', () => {
    const html = buildReportFromRun(farm);
    expect(html).toContain('<p class="context" id="rewards">Rewards ');
    for (const id of ['pnl-split', 'rewards', 'reward-price']) expect(html).toContain(`id="chart-${id}"`);
    expect(html).toContain('<tr data-key="breakevenRewardPriceHold">');
    expect(buildReportFromRun(farm)).toBe(html);
    const page = buildReportFromRun(plain);
    expect(page).not.toContain('id="rewards"');
    expect(page).not.toContain('chart-reward');
    expect(rewardDisclosure(plain.summary)).toBeUndefined();
  });
});
