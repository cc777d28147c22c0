import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { fullRangeIl, positionIl } from '../ilCurve.ts';
import type { ReportRun } from '../model.ts';
import { syntheticRun } from '../testing/syntheticRun.ts';
import { feesBarChart, timeInRangeChart } from './bars.ts';
import { bucketRanges, bucketStart } from './buckets.ts';
import { drawdownChart, drawdownSeries } from './drawdown.ts';
import { ilCurveChart, runIlCurveChart } from './ilCurveChart.ts';
import { ilTimeChart } from './ilTime.ts';
import { reportCharts } from './index.ts';
import { pnlChart } from './pnl.ts';
import { priceChart } from './price.ts';
import { valueChart } from './value.ts';

type Row = Record<string, number | string | null>;

/** All inline data rows of a spec (top level and layers). */
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

const require = createRequire(import.meta.url);
let validate: (spec: unknown) => boolean;
let schemaErrors: () => unknown;

beforeAll(() => {
  const schema = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, logger: false });
  const v = ajv.compile(schema);
  validate = (s) => v(s) as boolean;
  schemaErrors = () => v.errors;
});

const rangeRun: ReportRun = { label: 'range', result: syntheticRun({ steps: 20_000, width: 0.1, rebalanceAt: 12_000 }) };
const fullRun: ReportRun = {
  label: 'full',
  result: syntheticRun({ steps: 3000, stepMs: 3_600_000 }),
  extraSeries: [{ name: 'staking', timestampMs: [Date.UTC(2024, 0, 1), Date.UTC(2024, 3, 1)], value: [10_000, 10_100] }],
};

describe('every chart spec', () => {
  const cases: Array<[string, ReportRun[]]> = [
    ['one range run', [rangeRun]],
    ['one full-range run with staking', [fullRun]],
    ['two runs side by side', [rangeRun, fullRun]],
  ];
  for (const [name, runs] of cases) {
    it(`behavior: validates against the vega-lite JSON schema (${name})`, () => {
      for (const chart of reportCharts(runs)) {
        const ok = validate(chart.spec);
        if (!ok) console.error(chart.id, JSON.stringify(schemaErrors()).slice(0, 2000));
        expect(ok, chart.id).toBe(true);
      }
    });
    it(`behavior: has inline data only, ≤ 2,000 points per line, no NaN (${name})`, () => {
      for (const chart of reportCharts(runs)) {
        const json = JSON.stringify(chart.spec);
        expect(json).not.toMatch(/"url"\s*:/);
        expect(json).not.toContain('NaN');
        const rows = rowsOf(chart.spec);
        expect(rows.length, chart.id).toBeGreaterThan(0);
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(String(r.series), (counts.get(String(r.series)) ?? 0) + 1);
        for (const [series, c] of counts) expect(c, `${chart.id}/${series}`).toBeLessThanOrEqual(2000 + 241 + 2);
      }
    });
    it(`regression: no layer without rows (vega warns of an infinite extent for each of its fields) (${name})`, () => {
      for (const chart of reportCharts(runs)) {
        for (const l of (chart.spec as { layer?: Array<{ data?: { values?: unknown[] } }> }).layer ?? []) {
          if (l.data?.values !== undefined) expect(l.data.values.length, chart.id).toBeGreaterThan(0);
        }
      }
    });
  }
  it('behavior: a comparison\'s own line (staking) keeps its name beside several runs; a run\'s own extra line carries the run\'s label', () => {
    const own: ReportRun = { ...fullRun, extraSeries: [{ ...fullRun.extraSeries![0]!, ownLine: true }] };
    for (const chart of [valueChart([own, rangeRun]), drawdownChart([own, rangeRun])]) {
      const names = new Set(rowsOf(chart).map((r) => r.series));
      expect(names.has('staking')).toBe(true);
      expect(names.has('full: staking')).toBe(false);
    }
    expect(new Set(rowsOf(valueChart([fullRun, rangeRun])).map((r) => r.series)).has('full: staking')).toBe(true);
  });
  it('behavior: the same input gives the same JSON (deterministic)', () => {
    expect(JSON.stringify(reportCharts([rangeRun]))).toBe(JSON.stringify(reportCharts([rangeRun])));
  });
  it('error: a schema violation is detected (the validator can fail)', () => {
    expect(validate({ mark: 'nonsense-mark', data: { values: [] } })).toBe(false);
  });
});

describe('valueChart', () => {
  it('behavior: draws LP value, LP before fees and gas, hold and extra series; first/last rows exact', () => {
    const rows = rowsOf(valueChart([fullRun]));
    const ts = fullRun.result.timeseries;
    const lp = bySeries(rows, 'LP value');
    expect(lp[0]).toEqual({ t: ts.timestamp[0], series: 'LP value', v: Number(ts.lpValue[0]!.toPrecision(7)) });
    expect(lp[lp.length - 1]!.v).toBe(Number(ts.lpValue[ts.lpValue.length - 1]!.toPrecision(7)));
    const principal = bySeries(rows, 'LP before fees and gas');
    const n = ts.lpValue.length - 1;
    // the value impermanentLoss is defined on: without fees, with the gas paid added back
    expect(principal[principal.length - 1]!.v).toBe(Number((ts.holdValue[n]! * (1 + ts.impermanentLoss[n]!)).toPrecision(7)));
    expect(bySeries(rows, 'hold').length).toBeGreaterThan(0);
    expect(bySeries(rows, 'staking').map((r) => r.v)).toEqual([10_000, 10_100]);
  });
  it('behavior: with several runs, prefixes line names with the run label', () => {
    const rows = rowsOf(valueChart([rangeRun, fullRun]));
    expect(bySeries(rows, 'range: LP value').length).toBeGreaterThan(0);
    expect(bySeries(rows, 'full: staking').length).toBe(2);
    expect(bySeries(rows, 'LP value')).toEqual([]);
  });
  it('behavior: keeps the downsampled line within the full data range (min/max per bucket)', () => {
    const rows = bySeries(rowsOf(valueChart([rangeRun])), 'LP value');
    const v = rangeRun.result.timeseries.lpValue;
    expect(rows.length).toBeLessThanOrEqual(2000);
    expect(Math.min(...rows.map((r) => r.v as number))).toBeCloseTo(Math.min(...v), 2);
    expect(Math.max(...rows.map((r) => r.v as number))).toBeCloseTo(Math.max(...v), 2);
  });
});

describe('pnlChart', () => {
  it('behavior: the sums and the actual LP − hold end at the summary values', () => {
    const rows = rowsOf(pnlChart([rangeRun]));
    const s = rangeRun.result.summary;
    const last = (name: string) => bySeries(rows, name).at(-1)!.v as number;
    expect(last('LP − hold (actual)')).toBeCloseTo(s.vsHold, 2);
    expect(last('fees + IL − gas')).toBeCloseTo(s.feesEarned + s.impermanentLoss * s.holdValue - s.gasCost, 2);
    expect(last('fees')).toBeCloseTo(s.feesEarned, 3);
    expect(last('−gas')).toBeCloseTo(-s.gasCost, 6);
    expect(last('−LVR')).toBeCloseTo(-s.lvr, 2);
    expect(last('fees − LVR − gas')).toBeCloseTo(s.feesEarned - s.lvr - s.gasCost, 2);
  });
});

describe('ilCurveChart', () => {
  it('behavior: the full-range curve is 2√r/(1+r) − 1 and passes through 0 at r = 1', () => {
    const rows = bySeries(rowsOf(ilCurveChart([{ label: '', entryPrice: 100 }])), 'theoretical IL, full range');
    expect(rows.length).toBeGreaterThan(200);
    for (const r of rows) expect(r.il as number).toBeCloseTo(fullRangeIl(r.r as number), 5);
    expect(rows.find((r) => r.r === 1)!.il).toBe(0);
  });
  it('behavior: a range curve follows positionIl and includes the range edges', () => {
    const spec = ilCurveChart([{ label: '', entryPrice: 100, range: { lower: 80, upper: 125 } }]);
    const rows = bySeries(rowsOf(spec), 'theoretical IL, range [80, 125]');
    for (const r of rows) expect(r.il as number).toBeCloseTo(positionIl(r.r as number, 100, { lower: 80, upper: 125 }), 5);
    expect(rows.map((r) => r.r)).toContain(0.8);
    expect(rows.map((r) => r.r)).toContain(1.25);
  });
  it('behavior: the realised path of a run without rebalances lies on its theoretical curve', () => {
    const run: ReportRun = { label: 'r', result: syntheticRun({ steps: 5000, width: 0.2 }) };
    const rows = rowsOf(runIlCurveChart([run]));
    const path = rows.filter((r) => r.series === 'realised');
    expect(path.length).toBeGreaterThan(100);
    const ts = run.result.timeseries;
    const range = { lower: ts.rangeLower[0]!, upper: ts.rangeUpper[0]! };
    for (const p of path) expect(p.il as number).toBeCloseTo(positionIl(p.r as number, ts.price[0]!, range), 4);
  });
});

describe('ilTimeChart', () => {
  it('behavior: ends at the summary IL', () => {
    const rows = rowsOf(ilTimeChart([rangeRun]));
    expect(rows.at(-1)!.v).toBeCloseTo(rangeRun.result.summary.impermanentLoss, 6);
  });
});

describe('priceChart', () => {
  it('behavior: draws market and pool lines, the range band from change rows, and the rebalance marker', () => {
    const rows = rowsOf(priceChart([rangeRun]));
    expect(bySeries(rows, 'market price').length).toBeLessThanOrEqual(2000);
    expect(bySeries(rows, 'pool price').length).toBeGreaterThan(0);
    const band = bySeries(rows, 'LP range');
    // first row, the rebalance row and the last row
    expect(band.map((r) => r.t)).toEqual([0, 12_000, 19_999].map((i) => rangeRun.result.timeseries.timestamp[i]));
    expect(bySeries(rows, 'rebalance')).toHaveLength(1);
    expect(bySeries(rows, 'mint')).toHaveLength(1);
  });
  it('behavior: the price axis is logarithmic on the band and the lines (a long run keeps its range visible), and the time axis zooms', () => {
    const spec = priceChart([rangeRun]) as unknown as { layer: Array<{ encoding: { y: { scale?: { type?: string } } }; params?: Array<{ bind?: unknown }> }> };
    const [band, lines] = spec.layer;
    expect(band!.encoding.y.scale?.type).toBe('log');
    expect(lines!.encoding.y.scale?.type).toBe('log');
    expect(lines!.params?.[0]?.bind).toBe('scales');
    expect(validate(spec)).toBe(true);
  });
  it('behavior: a full-range run has no band', () => {
    expect(bySeries(rowsOf(priceChart([fullRun])), 'LP range')).toEqual([]);
  });
});

describe('drawdownChart', () => {
  it('behavior: drawdownSeries is v / running peak − 1', () => {
    expect([...drawdownSeries([1, 2, 1, 3, 1.5])]).toEqual([0, 0, -0.5, 0, -0.5]);
  });
  it('behavior: its minimum is the summary max drawdown', () => {
    const rows = bySeries(rowsOf(drawdownChart([rangeRun])), 'LP value');
    expect(Math.min(...rows.map((r) => r.v as number))).toBeCloseTo(-rangeRun.result.summary.maxDrawdown, 6);
  });
});

describe('bar charts', () => {
  it('behavior: fees per bucket sum to the total fees, bars are UTC days for a short run', () => {
    const rows = rowsOf(feesBarChart([rangeRun]));
    const total = rows.reduce((s, r) => s + (r.v as number), 0);
    expect(total).toBeCloseTo(rangeRun.result.summary.feesEarned, 2);
    // 20,000 minutes from 2024-01-01 = 14 days (13.9)
    expect(rows).toHaveLength(14);
    expect(rows[0]!.t).toBe(Date.UTC(2024, 0, 1));
    expect((rows[0]!.t2 as number) - (rows[0]!.t as number)).toBe(86_400_000);
  });
  it('behavior: uses Monday weeks beyond 120 days, and splits each week between runs', () => {
    const rows = rowsOf(feesBarChart([rangeRun, fullRun]));
    const full = bySeries(rows, 'full');
    // 3000 hours = 125 days → weekly. 2024-01-01 is a Monday.
    expect(full[0]!.t).toBe(Date.UTC(2024, 0, 1) + 3.5 * 86_400_000);
    expect(bySeries(rows, 'range')[0]!.t).toBe(Date.UTC(2024, 0, 1));
    expect(bucketStart(Date.UTC(2024, 0, 10, 5), { period: 'week', periodMs: 7 * 86_400_000 })).toBe(Date.UTC(2024, 0, 8));
  });
  it('behavior: bucketRanges groups consecutive rows by bucket start, row by row (irregular steps, a NaN, a step back)', () => {
    const day = 86_400_000;
    const t = [0, 3_600_000, day - 1, day, 3 * day + 5, NaN, 3 * day + 6, 2 * day, 2 * day + 1, 10 * day];
    for (const b of [{ period: 'day', periodMs: day }, { period: 'week', periodMs: 7 * day }] as const) {
      const expected: Array<{ startMs: number; from: number; to: number }> = [];
      t.forEach((x, i) => {
        const s = bucketStart(x, b);
        const last = expected[expected.length - 1];
        if (last !== undefined && last.startMs === s) last.to = i + 1;
        else expected.push({ startMs: s, from: i, to: i + 1 });
      });
      expect(bucketRanges(t, b)).toEqual(expected);
    }
  });
  it('behavior: time in range per bucket averages to the summary fraction (weighted by rows)', () => {
    const spec = timeInRangeChart([rangeRun]);
    const rows = rowsOf(spec);
    const minutesPerDay = 1440;
    let inRange = 0;
    rows.forEach((r, i) => {
      const n = i < rows.length - 1 ? minutesPerDay : 20_000 - minutesPerDay * (rows.length - 1);
      inRange += (r.v as number) * n;
    });
    expect(inRange / 20_000).toBeCloseTo(rangeRun.result.summary.timeInRange, 5);
  });
});
