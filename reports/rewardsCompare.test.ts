import { describe, expect, it } from 'vitest';
import { compareMetricsTable, compareRewardsHtml, compareSectionHtml, type CompareReportInput } from './compare.ts';
import { formatCompareTable, formatSummaryTable } from './terminal.ts';
import { syntheticRun } from './testing/syntheticRun.ts';

const plainRun = syntheticRun({ steps: 300, width: 0.1 });
const farmRun = syntheticRun({ steps: 300, width: 0.1, stepMs: 3_600_000, rewards: { perStep: 1, harvestEvery: 24 } });

function comparison(run: typeof plainRun, lpExtra: Record<string, unknown> = {}): CompareReportInput {
  const s = run.summary;
  const summary = {
    alternatives: ['lp', 'hold', 'staking'],
    lp: { kind: 'lp', initialValue: s.initialValue, finalValue: s.finalValue, apr: s.apr, feeApr: s.feeApr, feesEarned: s.feesEarned, ...lpExtra },
    hold: { kind: 'hold', initialValue: 10_000, finalValue: s.holdValue },
    staking: { kind: 'staking', initialValue: 10_000, finalValue: 10_500, apr: 0.3, rewardApr: 0.04, creditedDays: 0, baseInitial: 5 },
    differences: {},
    breakeven: {},
    whatIf: null,
    config: { capital: 10_000, staking: { apr: 0.04, compounding: 'daily', commission: 0.1, unbondingDays: 2 } },
    data: s.data,
    notes: [],
  };
  return { summary, alternatives: [{ id: 'lp' }], runs: [run], staking: { value: new Float64Array(run.timeseries.timestamp.length).fill(10_000) } };
}

describe('compare with and without liquidity mining', () => {
  it('behavior: without programs, staking’s rewardApr keeps its own row and label; no mining table; terminal shows no reward rows', () => {
    const c = comparison(plainRun);
    const table = compareMetricsTable(c);
    expect(table).toMatch(/<tr data-key="rewardApr"><td>Staking reward APR \(in base\)/);
    expect(compareRewardsHtml(c)).toBe('');
    expect(compareSectionHtml(c)).not.toContain('rewards-table');
    const term = formatCompareTable([
      { name: 'lp', metrics: c.summary.lp as Record<string, unknown> },
      { name: 'staking', metrics: c.summary.staking as Record<string, unknown> },
    ]);
    expect(term).not.toMatch(/Reward APR/);
  });

  it('behavior: with programs, one rewardApr row covers both, and a table gives APR and APY per alternative with n', () => {
    const fs = farmRun.summary as unknown as Record<string, number>;
    const c = comparison(farmRun, { rewardsEarned: fs.rewardsEarned, rewardApr: fs.rewardApr, totalApr: fs.totalApr, apy: fs.apy, apyCompoundsPerYear: 365, breakevenRewardPriceHold: 1.5, breakevenRewardPriceStaking: 2.25 });
    const table = compareMetricsTable(c);
    expect(table).toMatch(/<tr data-key="rewardApr"><td>Reward APR \(LP: mining, realised; staking: in base\)/);
    expect((table.match(/data-key="rewardApr"/g) ?? []).length).toBe(1);
    expect(table).toContain('data-key="apy"');
    const html = compareRewardsHtml(c);
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    expect(html).toContain(`<td class="num">${pct(fs.rewardApr!)}</td><td class="num">${pct(fs.feeApr!)}</td><td class="num">${pct(fs.totalApr!)}</td><td class="num">${pct(fs.apy!)}</td><td class="num">365× a year</td><td class="num">1.500</td><td class="num">2.250</td>`);
    expect(html).toContain('365-day year');
    expect(compareSectionHtml(c)).toContain('id="rewards-table"');
  });

  it('behavior: the backtest terminal table lists the reward metrics of a run with programs', () => {
    const t = formatSummaryTable(farmRun.summary);
    for (const label of ['Rewards earned', 'Reward APR', 'Total APR', 'APY', 'Harvests', 'Breakeven vs hold']) expect(t, label).toContain(label);
    expect(formatSummaryTable(plainRun.summary)).not.toMatch(/Reward|Harvests|APY/);
  });
});
