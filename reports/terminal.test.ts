import { describe, expect, it } from 'vitest';
import type { Summary } from '../sim/metrics/record.ts';
import { defaultRunLabel } from './html.ts';
import { formatMetric } from './metrics.ts';
import { OPTIONAL_METRICS } from '../sim/metrics/index.ts';
import { COMPARE_REWARD_APR_LABEL, formatCompareTable, formatSummaryTable, shouldUseColor, wrapWords } from './terminal.ts';
import { syntheticRun } from './testing/syntheticRun.ts';

const summary = syntheticRun({ steps: 5000, width: 0.1, rebalanceAt: 2500 }).summary;
const ESC = '\u001b';

describe('formatSummaryTable', () => {
  it('behavior: fits in 80 columns and has no escape codes without color', () => {
    const text = formatSummaryTable(summary, { color: false });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).not.toContain(ESC);
    expect(text).toContain('Final value');
    expect(text).toContain(formatMetric(summary.finalValue, 'quote'));
    expect(text).toContain(formatMetric(summary.impermanentLoss, 'fraction'));
  });
  it('behavior: colours only when asked, and the visible text is the same', () => {
    const coloured = formatSummaryTable(summary, { color: true });
    expect(coloured).toContain(ESC);
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatSummaryTable(summary, { color: false }));
  });
  it('behavior: pins the layout (non-regression)', () => {
    const pinned: Summary = {
      ...summary,
      initialValue: 10_000, finalValue: 10_123.456, holdValue: 10_050, feesEarned: 150.5, impermanentLoss: -0.0123,
      lvr: 80.25, gasCost: 5, netPnl: 123.456, vsHold: 73.456, apr: 0.0643, feeApr: 0.0785, timeInRange: 0.8125,
      rebalances: 3, maxDrawdown: 0.0412, sharpe: 1.2345, steps: 10_080, years: 7 / 365, seed: 42,
      config: { strategy: 'range', pool: 'v3', fee: 0.003 },
    };
    expect(formatSummaryTable(pinned)).toMatchInlineSnapshot(`
      "LP beat holding by 73 (+0.7 %): fees 151 covered IL −1.2 % and gas 5.
      range · pool v3 · fee 0.30 % · 10,080 steps · 7.0 days
      (amounts in quote units; % as stated)
      Initial value              10,000.00   APR (simple)                  6.43 %
      Final value                10,123.46   Fee APR                       7.85 %
      Hold value                 10,050.00   Time in range                81.25 %
      Fees earned                   150.50   Rebalances                         3
      Impermanent loss             -1.23 %   Max drawdown                  4.12 %
      LVR                            80.25   Sharpe (365 d)                 1.234
      Gas cost                        5.00   Steps                         10,080
      Net PnL                       123.46   Seed                              42
      PnL vs hold                    73.46
      "
    `);
  });
});

describe('shouldUseColor', () => {
  it('behavior: a user module is headed by its name and file; a built-in by its name; a run saved without a name by its config', () => {
    const s = syntheticRun({ steps: 200 }).summary;
    const headOf = (text: string): string => text.split('\n').find((l) => l.includes(' · '))!;
    const head = (x: object): string => headOf(formatSummaryTable({ ...s, ...x } as Summary));
    expect(head({ strategyName: 'stop-loss', config: { ...s.config, strategy: './my/stopLoss.ts' } })).toMatch(/^stop-loss \(\.\/my\/stopLoss\.ts\) · /);
    expect(head({ strategyName: 'full-range', config: { ...s.config, strategy: 'full-range' } })).toMatch(/^full-range · /);
    const { strategyName: _dropped, ...old } = s;
    expect(headOf(formatSummaryTable(old as Summary))).toMatch(/^full-range · /);
    expect(defaultRunLabel({ ...s, strategyName: 'stop-loss', config: { strategy: './x.ts' } })).toBe('stop-loss');
    expect(defaultRunLabel(old as Summary)).toBe('full-range');
  });

  it('behavior: respects NO_COLOR and non-TTY', () => {
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({}, {})).toBe(false);
  });
});

describe('formatCompareTable', () => {
  it('behavior: one column per alternative, dash where a metric is missing, fits 80 columns', () => {
    const text = formatCompareTable([
      { name: 'lp', metrics: { finalValue: 10_500, apr: 0.12, maxDrawdown: 0.2, feesEarned: 300 } },
      { name: 'hold', metrics: { finalValue: 10_200, apr: 0.05, maxDrawdown: 0.3 } },
      { name: 'staking', metrics: { finalValue: 10_300, apr: 0.08, maxDrawdown: 0.3 } },
    ]);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toMatchInlineSnapshot(`
      "                                  lp          hold       staking
      Final value                10,500.00     10,200.00     10,300.00
      APR (simple)                 12.00 %        5.00 %        8.00 %
      Fees earned                   300.00             —             —
      Max drawdown                 20.00 %       30.00 %       30.00 %
      (amounts in quote units; % as stated)
      "
    `);
  });
});

describe('formatCompareTable with liquidity mining', () => {
  // An LP with programs (reward keys listed in an arbitrary order) beside staking, whose own rewardApr is its rate in base.
  const lp = { finalValue: 11_000, callerFees: 1.5, apy: 0.31, harvests: 12, apyCompoundsPerYear: 0, rewardApr: 0.25, breakevenRewardPriceHold: 0.4, rewardsEarned: 900, totalApr: 0.27, rewardTokensEarned: 450 };
  const staking = { finalValue: 10_300, rewardApr: 0.04 };
  const rows = (text: string): string[] => text.split('\n');

  it('behavior: reward rows follow the metric list (summary.json / README order), not the alphabet', () => {
    const text = formatCompareTable([{ name: 'lp', metrics: lp }, { name: 'staking', metrics: staking }]);
    const present = OPTIONAL_METRICS.filter((m) => m.key in lp);
    const expected = present.map((m) => (m.key === 'rewardApr' ? COMPARE_REWARD_APR_LABEL : (m.short ?? m.label)));
    // the rows found, in order of appearance
    const at = expected.map((label) => rows(text).findIndex((l) => l.startsWith(label)));
    expect(at.every((i) => i >= 0), text).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // (the metric list's order is not the alphabetical one, so this order says something)
    expect(present.map((m) => m.key)).not.toEqual(present.map((m) => m.key).sort());
    for (const line of rows(text)) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('behavior: "APY compounding" says never for a policy that never compounds, n/yr otherwise', () => {
    const text = formatCompareTable([{ name: 'never', metrics: lp }, { name: 'daily', metrics: { ...lp, apyCompoundsPerYear: 365 } }, { name: 'weekly', metrics: { ...lp, apyCompoundsPerYear: 365 / 7 } }]);
    const row = rows(text).find((l) => l.startsWith('APY compounding'))!;
    expect(row.split(/ {2,}/).slice(1)).toEqual(['never', '365/yr', '52.14/yr']);
    expect(row).not.toMatch(/0\.000/);
  });

  it('behavior: the LP\'s mining reward APR and staking\'s own rate share one row labelled as the HTML report labels it', () => {
    const text = formatCompareTable([{ name: 'lp', metrics: lp }, { name: 'hold', metrics: { finalValue: 10_100 } }, { name: 'staking', metrics: staking }]);
    const i = rows(text).indexOf('Reward APR (LP: mining, realised; staking: in base)');
    expect(i, text).toBeGreaterThan(0);
    expect(rows(text)[i + 1]!.trim().split(/ {2,}/)).toEqual(['25.00 %', '—', '4.00 %']);
    expect(rows(text).filter((l) => /^Reward APR\b/.test(l) && !l.startsWith('Reward APR spot'))).toHaveLength(1);
    expect(COMPARE_REWARD_APR_LABEL).toBe('Reward APR (LP: mining, realised; staking: in base)');
  });
});

describe('formatMetric', () => {
  it('behavior: formats each kind with fixed decimals, locale-independent', () => {
    expect(formatMetric(1234567.891, 'quote')).toBe('1,234,567.89');
    expect(formatMetric(-0.004, 'quote')).toBe('0.00');
    expect(formatMetric(-0.1234, 'fraction')).toBe('-12.34 %');
    expect(formatMetric(12345, 'count')).toBe('12,345');
    expect(formatMetric(null, 'quote')).toBe('n/a');
    expect(formatMetric(Infinity, 'ratio')).toBe('∞');
  });
});

describe('wrapWords', () => {
  it('behavior: wraps at the width with a two-space indent, and never splits a number from its "%"', () => {
    expect(wrapWords('aaa bbb ccc', 7)).toEqual(['aaa bbb', '  ccc']);
    expect(wrapWords('fees 46 and rewards 796 less gas 138, IL +0.1 %; it beat staking', 46)).toEqual(['fees 46 and rewards 796 less gas 138, IL', '  +0.1 %; it beat staking']);
    expect(wrapWords('% alone', 3)).toEqual(['%', '  alone']);
  });
});
