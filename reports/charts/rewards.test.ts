import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import type { ReportRun } from '../model.ts';
import { syntheticRun } from '../testing/syntheticRun.ts';
import { reportCharts } from './index.ts';
import { pnlChart } from './pnl.ts';
import { pnlSplitChart, pnlSplitTerms, rewardPriceChart, rewardsChart } from './rewards.ts';
import { valueChart } from './value.ts';

type Row = Record<string, number | string | null>;
function rowsOf(spec: TopLevelSpec): Row[] {
  const out: Row[] = [];
  const visit = (s: unknown): void => {
    const o = s as { data?: { values?: Row[] }; layer?: unknown[] };
    if (o.data?.values) out.push(...o.data.values);
    for (const l of o.layer ?? []) visit(l);
  };
  visit(spec);
  return out;
}
const bySeries = (rows: Row[], name: string): Row[] => rows.filter((r) => r.series === name);
const p7 = (x: number) => Number(x.toPrecision(7));

const require = createRequire(import.meta.url);
let validate: (spec: unknown) => boolean;
let errors: () => unknown;
beforeAll(() => {
  const v = new Ajv({ strict: false, allErrors: false, validateFormats: false, logger: false }).compile(JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')));
  validate = (s) => v(s) as boolean;
  errors = () => v.errors;
});

const farm: ReportRun = { label: 'farm', result: syntheticRun({ steps: 6000, width: 0.1, stepMs: 3_600_000, rewards: { perStep: 0.5, harvestEvery: 24 } }) };
const plain: ReportRun = { label: 'plain', result: syntheticRun({ steps: 3000, width: 0.1 }) };
const ts = farm.result.timeseries as typeof farm.result.timeseries & Record<'rewardsCumulative' | 'rewardTokensPending' | 'rewardPrice', Float64Array>;
const s = farm.result.summary as unknown as Record<string, number>;
const last = ts.timestamp.length - 1;

describe('reward charts', () => {
  it('behavior: a run without programs keeps today’s charts (same ids, no reward lines)', () => {
    const charts = reportCharts([plain]);
    expect(charts.map((c) => c.id)).toEqual(['value', 'pnl', 'price', 'il-curve', 'il-time', 'drawdown', 'fees', 'time-in-range']);
    expect(JSON.stringify(charts)).not.toMatch(/reward/i);
  });

  for (const [name, runs] of [
    ['one run with rewards', [farm]],
    ['a run with rewards beside one without', [farm, plain]],
  ] as const) {
    it(`behavior: every spec validates against the vega-lite schema, inline data, no NaN (${name})`, () => {
      const charts = reportCharts(runs);
      expect(charts.map((c) => c.id)).toEqual(['value', 'pnl', 'pnl-split', 'price', 'rewards', 'reward-price', 'il-curve', 'il-time', 'drawdown', 'fees', 'time-in-range']);
      for (const c of charts) {
        const ok = validate(c.spec);
        if (!ok) console.error(c.id, JSON.stringify(errors()).slice(0, 1500));
        expect(ok, c.id).toBe(true);
        const json = JSON.stringify(c.spec);
        expect(json).not.toContain('NaN');
        expect(json).not.toMatch(/"url"\s*:/);
      }
      expect(JSON.stringify(reportCharts(runs))).toBe(JSON.stringify(reportCharts(runs)));
    });
  }

  it('behavior: rewards over time end at rewardsEarned; one harvest marker per harvest, on the cumulative line', () => {
    const rows = rowsOf(rewardsChart([farm]));
    expect(bySeries(rows, 'rewards earned').at(-1)!.v).toBe(p7(s.rewardsEarned!));
    const harvests = farm.result.events.filter((e) => e.kind === 'harvest');
    expect(harvests.length).toBe(s.harvests);
    const markers = bySeries(rows, 'harvest');
    expect(markers).toHaveLength(harvests.length);
    expect(markers[3]).toEqual({ t: harvests[3]!.timestampMs, series: 'harvest', v: p7(ts.rewardsCumulative[harvests[3]!.step]!) });
    // pending value just before a harvest is perStep × 23 steps × the price then
    const h = harvests[3]!.step;
    const pending = bySeries(rows, 'pending rewards').find((r) => r.t === ts.timestamp[h - 1]);
    expect(pending?.v).toBe(p7(0.5 * 23 * ts.rewardPrice[h - 1]!));
  });

  it('behavior: the reward price path is drawn (log scale when positive) with harvests on it', () => {
    const spec = rewardPriceChart([farm]);
    const rows = rowsOf(spec);
    const line = bySeries(rows, 'reward token price');
    expect(line[0]!.v).toBe(5);
    expect(line.at(-1)!.v).toBe(2.5);
    expect(bySeries(rows, 'harvest')[0]!.v).toBe(p7(ts.rewardPrice[24]!));
    expect(JSON.stringify(spec)).toContain('"type":"log"');
  });

  it('behavior: the value chart shows LP value less rewards; the PnL chart adds rewards to the sums', () => {
    const v = rowsOf(valueChart([farm]));
    expect(bySeries(v, 'LP value less rewards earned').at(-1)!.v).toBe(p7(ts.lpValue[last]! - ts.rewardsCumulative[last]!));
    // the value IL is defined on (rewards held now at the reward price are worth less than when claimed: lpValue −
    // rewardsCumulative − feesCumulative + gas would read 6,252 here, 3,734 below it)
    expect(bySeries(v, 'LP before fees, rewards and gas').at(-1)!.v).toBe(p7(ts.holdValue[last]! * (1 + ts.impermanentLoss[last]!)));
    const p = rowsOf(pnlChart([farm]));
    expect(bySeries(p, 'rewards').at(-1)!.v).toBe(p7(s.rewardsEarned!));
    expect(bySeries(p, 'fees + rewards + IL − gas').at(-1)!.v as number).toBeCloseTo(s.feesEarned! + s.rewardsEarned! + s.impermanentLoss! * s.holdValue! - s.gasCost!, 2);
    expect(bySeries(p, 'fees + rewards − LVR − gas').at(-1)!.v as number).toBeCloseTo(s.feesEarned! + s.rewardsEarned! - s.lvr! - s.gasCost!, 2);
    expect(bySeries(p, 'fees + IL − gas')).toEqual([]);
  });

  it('behavior: the PnL split adds up to LP − hold; the residual is the reward tokens’ price change after claiming; LVR beside', () => {
    const terms = Object.fromEntries(pnlSplitTerms(s));
    const sum = terms.fees! + terms.rewards! + terms.IL! + terms['−gas']! + terms['−reward slippage']! + terms['−vault fees']! + terms['token price moves after earning']!;
    expect(sum).toBeCloseTo(s.vsHold!, 8);
    expect(terms['= LP − hold']).toBe(s.vsHold);
    expect(terms['−LVR (beside)']).toBe(-s.lvr!);
    // synthetic run: tokens held lose value as the reward price halves; residual = held·p_end − value at claim
    const heldTokens = s.rewardTokensEarned! - ts.rewardTokensPending[last]!;
    const claimed = s.rewardsEarned! - ts.rewardTokensPending[last]! * ts.rewardPrice[last]!;
    expect(terms['token price moves after earning']).toBeCloseTo(heldTokens * ts.rewardPrice[last]! - claimed, 6);
    const rows = rowsOf(pnlSplitChart([farm, plain]));
    expect(new Set(rows.map((r) => r.series))).toEqual(new Set(['farm']));
  });
});

describe('PnL split labels', () => {
  /** The text of each axis label of an SVG (a wrapped one's lines joined by a space). */
  const svgLabels = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => m[1]!.replace(/<tspan[^>]*>(.*?)<\/tspan>/g, '$1 ').trim());

  it('regression: every term is drawn in full, in the SVG export and the page (it read "token price moves aft…"): a long one on two lines, no label limit', async () => {
    const { renderChartSvg } = await import('../svg.ts');
    for (const runs of [[farm], [farm, plain]]) {
      const spec = pnlSplitChart(runs);
      const axis = (spec as unknown as { encoding: { x: { axis: { labelLimit: number; labelExpr?: string } } } }).encoding.x.axis;
      // the page's renderer measures text, the SVG export estimates it (0.8 em a character): neither may cut a label
      expect(axis.labelLimit).toBe(0);
      const svg = await renderChartSvg(spec);
      expect(svg).not.toContain('…');
      const labels = svgLabels(svg);
      for (const [term] of pnlSplitTerms(s)) expect(labels, term).toContain(term);
      expect(svg).toContain('<tspan>token price moves</tspan><tspan x="0" dy="13">after earning</tspan>');
    }
  });

  it('behavior: a term wraps at its spaces into lines of at most 18 characters; a short one stays one line', async () => {
    const { termLabelLines, TERM_LABEL_LINE } = await import('./rewards.ts');
    expect(termLabelLines('token price moves after earning')).toEqual(['token price moves', 'after earning']);
    expect(termLabelLines('−reward slippage')).toEqual(['−reward slippage']);
    for (const [term] of pnlSplitTerms(s)) for (const line of termLabelLines(term)) expect(line.length, term).toBeLessThanOrEqual(TERM_LABEL_LINE);
  });
});
