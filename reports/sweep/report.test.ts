import { Float64, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankRows, renderSweepReport, type SweepMeta } from './report.ts';
import { readSweepArrow, writeSweepArrow, type SweepTable } from './sweepFile.ts';

const metrics = ['vsHold', 'feesEarned'];
// width × fee × strategy; vsHold chosen so that the best per (width, fee) cell comes from different strategies
const rows: SweepTable['rows'] = [
  { values: [0.1, 0.003, 'a'], metrics: [5, 1], warnings: null, error: null },
  { values: [0.1, 0.003, 'b'], metrics: [7, 2], warnings: 'the strategy stopped at step 3 <x>; gas', error: null },
  { values: [0.1, 0.01, 'a'], metrics: [-3, 3], warnings: null, error: null },
  { values: [0.1, 0.01, 'b'], metrics: null, warnings: null, error: 'width=0.1 fee=0.01 strategy=b: boom, "quoted" <b>' },
  { values: [0.2, 0.003, 'a'], metrics: [7, NaN], warnings: null, error: null },
  { values: [0.2, 0.003, 'b'], metrics: [NaN, 5], warnings: null, error: null },
  { values: [0.2, 0.01, 'a'], metrics: [Infinity, -0], warnings: null, error: null },
  { values: [0.2, 0.01, 'b'], metrics: [2, 6], warnings: null, error: null },
];
const table: SweepTable = { axes: ['width', 'fee', 'strategy'], metrics, rows };
const writeSweepArrowColumn = (t: SweepTable, key: 'warnings' | 'error'): Vector => vectorFromArray(t.rows.map((r) => r[key]), new Utf8());
const meta = (heatmap: readonly [string, string] | null): SweepMeta => ({
  gridHash: 'ab'.repeat(32),
  grid: { axes: [{ name: 'width', values: [0.1, 0.2] }, { name: 'fee', values: [0.003, 0.01] }, { name: 'strategy', values: ['a', 'b'] }], samples: null, sampleSeed: null, configurations: 8 },
  metrics,
  rows: 8,
  failed: 1,
  warned: 1,
  report: { metric: 'vsHold', heatmap, top: 4 },
  base: { pool: 'v3' },
  data: { kind: 'csv', file: 'x.csv', sha256: 'cd', rows: 10, firstTimestampMs: 0, lastTimestampMs: 3_600_000 },
});

describe('sweep.arrow', () => {
  it('behavior: a table reads back exactly (NaN, ±Infinity, failed rows as null metrics, errors); same bytes each time', () => {
    const bytes = writeSweepArrow(table);
    const back = readSweepArrow(bytes, table.axes, metrics);
    expect(back.rows).toEqual(rows.map((r) => ({ ...r, metrics: r.metrics === null ? null : r.metrics.map((v) => (Object.is(v, -0) ? -0 : v)) })));
    expect(Object.is(back.rows[6]!.metrics![1], -0)).toBe(true);
    expect(writeSweepArrow(back)).toEqual(bytes);
  });

  it("property: the same bytes as apache-arrow's own builder writes (the reference the direct columns replace)", () => {
    // the writer before: every Float64 column through vectorFromArray
    const reference = (t: SweepTable): Uint8Array => {
      const columns: Record<string, Vector> = {};
      t.axes.forEach((name, a) => void (columns[name] = vectorFromArray(t.rows.map((r) => r.values[a] as number), new Float64())));
      t.metrics.forEach((name, m) => void (columns[name] = vectorFromArray(t.rows.map((r) => (r.metrics === null ? null : r.metrics[m]!)), new Float64())));
      columns.warnings = writeSweepArrowColumn(t, 'warnings');
      columns.error = writeSweepArrowColumn(t, 'error');
      return tableToIPC(new Table(columns), 'file');
    };
    const value = fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e-300, 5e-324));
    const row = fc.record({ w: fc.double({ noNaN: true }), m: fc.option(fc.array(value, { minLength: 3, maxLength: 3 }), { nil: null, freq: 4 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 1100 }), (rs) => {
        const t: SweepTable = { axes: ['width'], metrics: ['a', 'b', 'c'], rows: rs.map((r) => ({ values: [r.w], metrics: r.m, warnings: null, error: r.m === null ? 'failed' : null })) };
        expect(Buffer.from(writeSweepArrow(t)).equals(Buffer.from(reference(t)))).toBe(true);
      }),
      { numRuns: 200 },
    );
    // the validity bitmap's 64-byte blocks: lengths about their edges (512 values each), nulls first, last, alone
    for (const n of [1, 511, 512, 513, 1024, 1025, 10_000]) {
      for (const nullAt of [0, n - 1, -1]) {
        const t: SweepTable = { axes: ['width'], metrics: ['a', 'b', 'c'], rows: Array.from({ length: n }, (_, i) => ({ values: [i], metrics: i === nullAt ? null : [i, -i, NaN], warnings: null, error: i === nullAt ? 'failed' : null })) };
        expect(Buffer.from(writeSweepArrow(t)).equals(Buffer.from(reference(t)))).toBe(true);
      }
    }
  });

  it('error: columns that do not match sweep.json', () => {
    expect(() => readSweepArrow(writeSweepArrow(table), ['fee', 'width', 'strategy'], metrics, 'f.arrow')).toThrowError(/^f\.arrow: columns must be fee, width, strategy, vsHold, feesEarned, warnings, error \(as sweep\.json says\)/);
  });
});

describe('sweep report', () => {
  it('behavior: ranking is highest first, NaN and failed rows last, ties in grid order', () => {
    expect(rankRows(table, 'vsHold')).toEqual([6, 1, 4, 0, 7, 2, 3, 5]);
  });

  it('behavior: the heatmap cell is the best over the other axes; the top table and failures are escaped', () => {
    const html = renderSweepReport(meta(['width', 'fee']), table);
    const charts = JSON.parse(/<script type="application\/json" id="ammsim-charts">(.*?)<\/script>/s.exec(html)![1]!) as Array<{ id: string; spec: { data: { values: Array<Record<string, unknown>> } } }>;
    expect(charts.map((c) => c.id)).toEqual(['heatmap']);
    const cell = (w: number, f: number): unknown => charts[0]!.spec.data.values.find((v) => v.width === w && v.fee === f)?.vsHold;
    expect([cell(0.1, 0.003), cell(0.1, 0.01), cell(0.2, 0.003), cell(0.2, 0.01)]).toEqual([7, -3, 7, null]); // Infinity is not JSON: null
    expect(html).toContain('<h2 id="top">Top 4 by vsHold</h2>');
    const top = /<table id="top-table">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect([...top.matchAll(/<tr><td class="num">(\d)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => m.slice(1).join(' '))).toEqual(['1 0.2 0.01 a', '2 0.1 0.003 b', '3 0.2 0.003 a', '4 0.1 0.003 a']);
    expect(html).toContain('boom, &quot;quoted&quot; &lt;b&gt;');
    expect(html).toContain('<td>0.1</td><td>0.003</td><td>b</td><td>the strategy stopped at step 3 &lt;x&gt;; gas</td>');
    expect(html).toContain('8 configurations, 1 failed, 1 with warnings.');
    expect(renderSweepReport(meta(['width', 'fee']), table)).toBe(html);
  });

  it('behavior: without --heatmap, one chart per axis with best and mean over the others', () => {
    const html = renderSweepReport(meta(null), table);
    const charts = JSON.parse(/<script type="application\/json" id="ammsim-charts">(.*?)<\/script>/s.exec(html)![1]!) as Array<{ id: string; spec: { data: { values: Array<Record<string, unknown>> }; mark: { type: string } } }>;
    expect(charts.map((c) => c.id)).toEqual(['axis-0', 'axis-1', 'axis-2']);
    expect(charts[0]!.spec.mark.type).toBe('line');
    expect(charts[2]!.spec.mark.type).toBe('point');
    const fee = charts[1]!.spec.data.values;
    // fee 0.003: vsHold values 5, 7, 7 (NaN left out) → best 7, mean 19/3
    expect(fee.filter((v) => v.fee === 0.003)).toEqual([{ fee: 0.003, stat: 'best', value: 7 }, { fee: 0.003, stat: 'mean', value: 19 / 3 }]);
  });

  it('behavior: the metric’s axis and legend titles carry its unit; a fraction metric is drawn in %', () => {
    type Spec = { encoding: { y: { title: string; axis?: { format?: string } }; color: { title: string; legend?: { format?: string } } } };
    const specs = (html: string): Spec[] => (JSON.parse(/<script type="application\/json" id="ammsim-charts">(.*?)<\/script>/s.exec(html)![1]!) as Array<{ spec: Spec }>).map((c) => c.spec);
    const heat = specs(renderSweepReport(meta(['width', 'fee']), table))[0]!;
    expect(heat.encoding.color.title).toBe('vsHold (quote)');
    expect(specs(renderSweepReport(meta(null), table))[0]!.encoding.y.title).toBe('vsHold (quote)');
    const aprTable: SweepTable = { ...table, metrics: ['apr', 'feesEarned'] };
    const aprMeta: SweepMeta = { ...meta(null), metrics: ['apr', 'feesEarned'], report: { metric: 'apr', heatmap: null, top: 4 } };
    const line = specs(renderSweepReport(aprMeta, aprTable))[0]!;
    expect(line.encoding.y.title).toBe('apr (% per year)');
    expect(line.encoding.y.axis?.format).toBe('.1%');
    const cells = specs(renderSweepReport({ ...aprMeta, report: { metric: 'apr', heatmap: ['width', 'fee'], top: 4 } }, aprTable))[0]!;
    expect(cells.encoding.color.title).toBe('apr (% per year)');
    expect(cells.encoding.color.legend?.format).toBe('.1%');
    // the top table: headers with units, a fraction in %, a quote amount with 2 decimals, the exact value in the title
    const top = renderSweepReport(aprMeta, aprTable);
    const tableHtml = top.slice(top.indexOf('<table id="top-table">'), top.indexOf('</table>', top.indexOf('<table id="top-table">')));
    expect(tableHtml).toContain('<th>apr (% per year)</th><th>feesEarned (quote)</th>');
    expect(tableHtml).toContain('<td class="num" title="5">500.00 %</td><td class="num" title="1">1.00</td>');
    expect(tableHtml).toContain('<td class="num" title="Infinity">∞</td><td class="num" title="0">0.00</td>');
  });

  it('regression: a --param axis (params.threshold) is a flat key: each encoded field reads its value from the rows', async () => {
    const { field } = await import('vega');
    type Enc = { field: string };
    type Spec = { data: { values: Array<Record<string, unknown>> }; encoding: Record<string, Enc> };
    const dotted: SweepTable = { ...table, axes: ['width', 'params.threshold', 'harvestParams.every'] };
    const grid = { axes: [{ name: 'width', values: [0.1, 0.2] }, { name: 'params.threshold', values: [0.003, 0.01] }, { name: 'harvestParams.every', values: ['a', 'b'] }], samples: null, sampleSeed: null, configurations: 8 };
    const specsOf = (html: string): Spec[] => (JSON.parse(/<script type="application\/json" id="ammsim-charts">(.*?)<\/script>/s.exec(html)![1]!) as Array<{ spec: Spec }>).map((c) => c.spec);
    const all = [...specsOf(renderSweepReport({ ...meta(['width', 'params.threshold']), grid }, dotted)), ...specsOf(renderSweepReport({ ...meta(null), grid }, dotted))];
    expect(all.length).toBe(4); // a heatmap, then a chart per axis
    for (const spec of all) {
      for (const ch of ['x', 'y', 'color']) {
        const enc = spec.encoding[ch];
        if (enc === undefined) continue;
        for (const row of spec.data.values) expect(field(enc.field)(row), `${ch} ${enc.field}`).not.toBeUndefined();
      }
    }
  });

  it('behavior: a single-configuration sweep (no axes) says so instead of an empty charts section, in the singular', () => {
    const one: SweepTable = { axes: [], metrics, rows: [{ values: [], metrics: [5, 1], warnings: null, error: null }] };
    const m: SweepMeta = { ...meta(null), grid: { axes: [], samples: null, sampleSeed: null, configurations: 1 }, rows: 1, failed: 0, warned: 0 };
    const html = renderSweepReport(m, one);
    expect(html.slice(html.indexOf('<main>'), html.indexOf('<h2 id="charts">'))).toContain('1 configuration, 0 failed, 0 with warnings.');
    const charts = html.slice(html.indexOf('<h2 id="charts">'), html.indexOf('<h2 id="top">'));
    expect(charts).toContain('<p class="note">No axes (a single configuration): nothing to chart; its figures are in the table below.</p>');
  });
});

describe('sweep report: the ranking note', () => {
  /** The top table's heading and the note under it. */
  const ranking = (html: string): string[] => [/<h2 id="top">[^<]*<\/h2>/.exec(html)![0], /<\/table>\n(<p class="note">[^<]*<\/p>)\n<h2 id="failures">/.exec(html)![1]!];
  it('regression: found by review: for a lower-is-better metric (maxDrawdown) the note under the top table says lowest first, as its heading does (it read "Highest first")', () => {
    const dd: SweepTable = { axes: ['width'], metrics: ['maxDrawdown', 'rebalances'], rows: [0.3, 0.1, 0.2].map((v, i) => ({ values: [i], metrics: [v, i], warnings: null, error: null })) };
    const m = (metric: string): SweepMeta => ({ ...meta(null), grid: { axes: [{ name: 'width', values: [0, 1, 2] }], samples: null, sampleSeed: null, configurations: 3 }, metrics: dd.metrics, rows: 3, failed: 0, warned: 0, report: { metric, heatmap: null, top: 3 } });
    expect(rankRows(dd, 'maxDrawdown')).toEqual([1, 2, 0]);
    expect(ranking(renderSweepReport(m('maxDrawdown'), dd))).toEqual(['<h2 id="top">Top 3 by maxDrawdown (lowest first)</h2>', '<p class="note">Lowest first; ties in grid order. Hover a value for the exact number.</p>']);
    // higher is better, and a metric that is neither: highest first, as before
    expect(ranking(renderSweepReport(meta(null), table))).toEqual(['<h2 id="top">Top 4 by vsHold</h2>', '<p class="note">Highest first; ties in grid order. Hover a value for the exact number.</p>']);
    expect(ranking(renderSweepReport(m('rebalances'), dd))).toEqual(['<h2 id="top">Top 3 by rebalances (highest first)</h2>', '<p class="note">Highest first; ties in grid order. Hover a value for the exact number.</p>']);
  });
});

describe('sweep report: failed configurations are not ranked', () => {
  /** The top table's rows: rank, axis values, then the ranked metric's shown value. */
  const topRows = (html: string): string[] => {
    const top = /<table id="top-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    return [...top.matchAll(/<tr><td class="num">(\d+)<\/td>((?:<td>[^<]*<\/td>)+)<td class="num[^"]*" title="[^"]*">([^<]*)<\/td>/g)].map((m) => `${m[1]} ${m[2]!.replace(/<\/?td>/g, ' ').replace(/\s+/g, ' ').trim()} ${m[3]}`);
  };

  it('regression: with a top larger than the configurations that ran, a failed one is no row of "—"; it is counted above the table and listed under failures', () => {
    const html = renderSweepReport({ ...meta(null), report: { metric: 'vsHold', heatmap: null, top: 20 } }, table);
    // 8 configurations, 1 failed (0.1, 0.01, b): 7 ranked; the one whose vsHold is undefined (NaN) ran, so it is last
    expect(html).toContain('<h2 id="top">Top 7 by vsHold</h2>');
    expect(topRows(html)).toEqual(['1 0.2 0.01 a ∞', '2 0.1 0.003 b 7.00', '3 0.2 0.003 a 7.00', '4 0.1 0.003 a 5.00', '5 0.2 0.01 b 2.00', '6 0.1 0.01 a −3.00', '7 0.2 0.003 b —']);
    expect(html).toContain('<p class="note" id="top-unranked">1 failed configuration is not ranked (no figures; see Failed configurations).</p>');
    const failures = /<table id="failures-table">([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(failures).toContain('<td>0.1</td><td>0.01</td><td>b</td>');
  });

  it('behavior: with no failure there is no such note; when every configuration failed there is nothing to rank, said in words', () => {
    const ok: SweepTable = { ...table, rows: rows.filter((r) => r.error === null) };
    expect(renderSweepReport({ ...meta(null), rows: 7, failed: 0 }, ok)).not.toContain('top-unranked');
    const failedAll: SweepTable = { ...table, rows: rows.map((r) => ({ ...r, metrics: null, error: 'boom' })) };
    const html = renderSweepReport({ ...meta(null), failed: 8 }, failedAll);
    expect(html).toContain('<h2 id="top">Top 0 by vsHold</h2>');
    expect(html).toContain('<p class="note" id="top-unranked">8 failed configurations are not ranked (no figures; see Failed configurations).</p>');
    expect(html).toContain('<p id="top-table">None: no configuration ran, so there is nothing to rank (see Failed configurations).</p>');
    expect(topRows(html)).toEqual([]);
  });
});
