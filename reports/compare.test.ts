import { describe, expect, it } from 'vitest';
import { breakevenSentence, breakevenUndefinedReason, compareBreakevenLines, compareHoldNote, compareMetricsTable, compareReportHtml, compareSectionHtml, compareVerdicts, lpHoldsDiffer, requiredFeeSentence, type CompareReportInput } from './compare.ts';
import { syntheticRun } from './testing/syntheticRun.ts';

const run = syntheticRun({ steps: 300, width: 0.1, rebalanceAt: 150 });
const s = run.summary;

/** A comparison of one LP run, built by hand the way runs/compare lays out its summary. */
function comparison(over: { stakingApr?: number | null; lp?: Record<string, unknown>; staking?: Record<string, unknown>; stakingConfig?: Record<string, unknown> } = {}): CompareReportInput {
  const stakingFinal = 10_500;
  const summary = {
    alternatives: ['lp', 'hold', 'staking'],
    lp: { kind: 'lp', strategy: 'range', width: 0.1, initialValue: s.initialValue, finalValue: s.finalValue, netPnl: s.netPnl, apr: s.apr, feesEarned: s.feesEarned, impermanentLoss: s.impermanentLoss, holdValue: s.holdValue, vsHold: s.vsHold, ...over.lp },
    hold: { kind: 'hold', initialValue: 10_000, finalValue: s.holdValue, netPnl: s.holdValue - 10_000 },
    staking: { kind: 'staking', initialValue: 10_000, finalValue: stakingFinal, apr: 0.3, rewardApr: 0.04, creditedDays: 0, baseInitial: 5, ...over.staking },
    differences: { lp: { minusStaking: s.finalValue - stakingFinal, minusHold: s.vsHold }, staking: { minusHold: stakingFinal - s.holdValue } },
    breakeven: { lp: { stakingApr: over.stakingApr === undefined ? 0.0412 : over.stakingApr, feeApr: 0.05, requiredFeeApr: 0.09, extraFeesNeeded: 40, requiredVolumeMultiple: 1.8 } },
    whatIf: null,
    config: { capital: 10_000, staking: { apr: 0.04, aprSeries: null, compounding: 'daily', commission: 0.1, unbondingDays: 2, lstSeries: null, lstEntry: null, ...over.stakingConfig }, from: '2024-01-01', to: null },
    data: s.data,
    notes: [],
  };
  return { summary, alternatives: [{ id: 'lp' }], runs: [run], staking: { value: new Float64Array(run.timeseries.timestamp.length).fill(10_000) } };
}

describe('breakeven wording', () => {
  it('behavior: a positive breakeven says above which APR staking wins', () => {
    expect(breakevenSentence(0.0412, 'x')).toBe('staking beats this LP at any fixed staking APR above 4.12 % (below it the LP is ahead)');
  });
  it('behavior: a negative breakeven says staking wins at any APR ≥ 0 (not "above −21.89 %")', () => {
    const text = breakevenSentence(-0.2189, 'x');
    expect(text).toBe('staking beats this LP at any staking APR ≥ 0 %: even without rewards it ends above the LP (they would be level only at −21.89 % a year)');
    expect(text).not.toMatch(/above −/);
  });
  it('behavior: an undefined breakeven says why (never "above — APR")', () => {
    const c = comparison({ stakingApr: null });
    const line = compareBreakevenLines(c)[0]!;
    expect(line).toContain('no breakeven staking APR: daily compounding credited no whole day in this run, so no APR changes staking’s value');
    expect(line).not.toContain('—');
    expect(breakevenUndefinedReason(comparison({ stakingConfig: { commission: 1 } }).summary, 'lp')).toMatch(/commission takes every reward/);
    expect(breakevenUndefinedReason(comparison({ lp: { finalValue: 0 } }).summary, 'lp')).toMatch(/ended with nothing/);
    expect(breakevenUndefinedReason(comparison({ stakingConfig: { compounding: 'none' } }).summary, 'lp')).toMatch(/unbonding delay/);
  });
  it('behavior: the fee APR needed reads plainly when the LP is behind, ahead, or ahead without fees', () => {
    expect(requiredFeeSentence({ requiredFeeApr: 0.4633, feeApr: 0.0176, extraFeesNeeded: 7000 })).toBe('it needs a fee APR of 46.33 % to match staking (it earned 1.76 %)');
    expect(requiredFeeSentence({ requiredFeeApr: 0.02, feeApr: 0.05, extraFeesNeeded: -30 })).toBe('it would still match staking with a fee APR of 2.00 % (it earned 5.00 %)');
    expect(requiredFeeSentence({ requiredFeeApr: -0.01, feeApr: 0.05, extraFeesNeeded: -600 })).toBe('it beats staking even with no fees (it earned 5.00 % a year in fees)');
  });
});

describe('compare report', () => {
  const c = comparison();
  const html = compareReportHtml(c);

  it('behavior: the volume to match staking is a multiple when the LP is behind, and "no fees needed" (not a negative multiple) when it beats staking without fees', () => {
    const behind = comparison();
    expect(compareSectionHtml(behind)).toContain('<td class="num">1.80×</td>');
    const ahead = comparison();
    ((ahead.summary.breakeven as Record<string, Record<string, unknown>>).lp!).requiredVolumeMultiple = -7.11;
    const html = compareSectionHtml(ahead);
    expect(html).toContain('<td class="num">— (no fees needed)</td>');
    expect(html).not.toContain('-7.11');
  });

  it('behavior: the beta-matched benchmark is drawn beside staking and named in the title when compared', () => {
    const base = comparison();
    const withHs = { ...base, summary: { ...base.summary, alternatives: ['lp', 'hold', 'staking', 'hold-staked'] }, holdStaked: { value: Array.from(base.staking.value, (v) => v * 0.99) } };
    const page = compareReportHtml(withHs);
    expect(page).toContain('<title>ammsim compare: lp vs hold vs staking vs hold-staked</title>');
    expect(page).toContain('hold-staked');
    // the page's title is not the IL curve's
    const charts = JSON.parse(/<script type="application\/json" id="ammsim-charts">(.*?)<\/script>/s.exec(page)![1]!) as Array<{ id: string; spec: { title: { text: string } } }>;
    expect(charts.find((c) => c.id === 'il-curve')?.spec.title.text).toBe('Impermanent loss vs price ratio');
    expect(html).not.toContain('hold-staked');
  });

  it('behavior: never compounding reads "never" in the HTML tables, as in the terminal; hold-staked\'s quote held has a label and unit', async () => {
    const { formatMetricCell } = await import('./metrics.ts');
    expect(formatMetricCell('apyCompoundsPerYear', 0, 'ratio')).toBe('never');
    expect(formatMetricCell('apyCompoundsPerYear', 365, 'ratio')).toBe('365.000');
    const base = comparison();
    const withHs = { ...base, summary: { ...base.summary, alternatives: ['lp', 'hold', 'staking', 'hold-staked'], 'hold-staked': { finalValue: 9_900, quoteHeld: 5_000 } } };
    expect(compareMetricsTable(withHs)).toMatch(/<tr data-key="quoteHeld"><td>Quote held beside the stake <span class="note">\(quoteHeld\)<\/span><\/td><td class="unit">quote<\/td>.*>5,000\.00<\/td><\/tr>/);
  });

  it('behavior: a metrics table with one column per alternative (lp, hold, staking), — where one has no figure', () => {
    const table = compareMetricsTable(c);
    expect(table).toContain('<tr><th>metric</th><th>unit</th><th>lp</th><th>hold</th><th>staking</th></tr>');
    expect(table).toMatch(/<tr data-key="feesEarned">.*<\/td><td class="num">—<\/td><td class="num">—<\/td><\/tr>/);
    expect(table).toMatch(/<tr data-key="rewardApr">.*>4\.00 %<\/td><\/tr>/);
    expect(table).toContain('data-key="differences.minusStaking"');
    expect(html).toContain('<table id="compare-metrics-table">');
    expect(html.indexOf('compare-metrics-table')).toBeLessThan(html.indexOf('<h2 id="charts">'));
  });
  it('behavior: feesValueAtEnd and entryCost get rows when the runs carry them', () => {
    expect(compareMetricsTable(c)).not.toContain('data-key="entryCost"');
    const withExtras = compareMetricsTable(comparison({ lp: { feesValueAtEnd: 123.5, entryCost: 4.25 } }));
    expect(withExtras).toMatch(/<tr data-key="feesValueAtEnd"><td>Fees valued at the end .*>123\.50<\/td>/);
    expect(withExtras).toMatch(/<tr data-key="entryCost"><td>Entry cost .*>4\.25<\/td>/);
  });
  it('behavior: the config block holds the staking settings and the window', () => {
    const cfg = html.slice(html.indexOf('<h2 id="config">'), html.indexOf('<h2 id="provenance">'));
    expect(cfg).toContain('Window: 2024-01-01 00:00 UTC – 2024-01-01 04:59 UTC (--from 2024-01-01 --to end)');
    expect(cfg).toContain('Staking: 4.00 % APR (fixed), daily compounding, 10.00 % commission, 2 days unbonding.');
    expect(cfg).toContain('&quot;unbondingDays&quot;: 2');
  });
  it('behavior: opens with a verdict per LP alternative against holding and staking', () => {
    const v = compareVerdicts(c)[0]!;
    expect(v).toMatch(/^lp (trailed|beat) holding by [\d,.]+ \([−+][\d.]+ %\): .*; it (trailed|beat) staking by [\d,.]+ \([−+][\d.]+ %\)$/);
    expect(html).toContain(`<p class="verdict" id="verdict">${v}.</p>`);
    expect(html).toContain('breakeven staking APR');
    expect(html).not.toMatch(/beats it above/);
  });
  it('behavior: with LPs whose holds differ, LP − hold is labelled as against each LP\'s own hold and a note says what hold is; one LP reads as before', async () => {
    const base = comparison();
    expect(lpHoldsDiffer(base)).toBe(false);
    expect(compareHoldNote(base)).toBeUndefined();
    expect(compareSectionHtml(base)).toContain('<th>LP − hold</th>');
    expect(compareSectionHtml(base)).not.toContain('id="hold-basis"');
    expect(compareMetricsTable(base)).toContain('<td>Final value − hold <span class="note">(differences.minusHold)</span>');
    // a second LP that deposited another split: its own hold is 300 above the hold alternative's (the first LP's)
    const lp = base.summary.lp as Record<string, number>;
    const lp2 = { ...lp, finalValue: lp.finalValue! + 100, holdValue: lp.holdValue! + 300, vsHold: lp.finalValue! + 100 - (lp.holdValue! + 300) };
    const diff = base.summary.differences as Record<string, Record<string, number>>;
    const two: CompareReportInput = {
      ...base,
      summary: { ...base.summary, alternatives: ['lp:a', 'lp:b', 'hold', 'staking'], 'lp:a': lp, 'lp:b': lp2, differences: { ...diff, 'lp:a': diff.lp!, 'lp:b': { minusStaking: lp2.finalValue - 10_500, minusHold: lp2.vsHold } } },
      alternatives: [{ id: 'lp:a' }, { id: 'lp:b' }],
      runs: [run, run],
    };
    expect(lpHoldsDiffer(two)).toBe(true);
    expect(compareHoldNote(two)).toBe("hold is the tokens lp:a deposited, held; each LP alternative's PnL vs hold (vsHold) and LP − hold (differences.minusHold) are against the tokens it deposited itself, held (its hold value), as the split deposited depends on the strategy and width");
    const section = compareSectionHtml(two);
    expect(section).toContain('<th>LP − its own hold</th>');
    expect(section).toContain('<p class="note" id="hold-basis">Hold is the tokens lp:a deposited, held; ');
    // the LP − hold column is each LP's minusHold, which is its own vsHold
    const { formatMetric } = await import('./metrics.ts');
    expect(section).toContain(`<tr data-alternative="lp:b"><td>lp:b</td><td class="num">${formatMetric(lp2.finalValue - 10_500, 'quote')}</td><td class="num">${formatMetric(lp2.vsHold, 'quote')}</td>`);
    const table = compareMetricsTable(two);
    expect(table).toContain('<td>Final value − hold (an LP: its own hold value) <span class="note">(differences.minusHold)</span>');
    expect(table).toMatch(new RegExp(`<tr data-key="differences.minusHold">.*data-exact="${lp2.vsHold}"`));
  });
  it('behavior: byte-identical for the same input', () => {
    expect(compareReportHtml(comparison())).toBe(html);
  });
});
