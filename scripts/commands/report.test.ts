import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBacktestDir } from './testing/runDir.ts';
import { generateGbm } from '../../data/synthetic/gbm.ts';
import { syntheticRun } from '../../reports/testing/syntheticRun.ts';
import { runBacktest } from '../../runs/backtest.ts';
import { resolveBacktestConfig } from '../../runs/config.ts';
import type { BacktestResult } from '../../sim/metrics/record.ts';
import { checkReportArgs, labelRuns, runReport } from './report.ts';
import { runCliInProcess } from '../testing/runCliInProcess.ts';

const root = mkdtempSync(join(tmpdir(), 'ammsim-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a run folder the way `ammsim backtest --out` does. */
const writeRunDir = (name: string, result: BacktestResult): string => writeBacktestDir(root, name, result);

describe('ammsim report', () => {
  it('behavior: rebuilds report.html byte-identically from a synthetic run folder', async () => {
    const dir = writeRunDir('synthetic', syntheticRun({ steps: 3000, width: 0.1, rebalanceAt: 1500 }));
    const out = join(root, 'synthetic-rebuilt.html');
    await runReport({ run: [dir], out });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'report.html'), 'utf8'));
  });

  it('behavior: rebuilds report.html byte-identically from a real engine run (NaN ranges in events)', async () => {
    const result = await runBacktest(resolveBacktestConfig({ pool: 'v2', strategy: 'full-range' }), generateGbm({ steps: 1500 }));
    const dir = writeRunDir('engine', result);
    const out = join(root, 'engine-rebuilt.html');
    await runReport({ run: [dir], out });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'report.html'), 'utf8'));
  });

  it('behavior: draws two runs on the same axes and writes one SVG per chart', async () => {
    const a = writeRunDir('a', syntheticRun({ steps: 2000, width: 0.05 }));
    const b = writeRunDir('b', syntheticRun({ steps: 2000 }));
    const out = join(root, 'both.html');
    const svg = join(root, 'svg');
    const written = await runReport({ run: [a, b], out, svg });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('range: LP value');
    expect(html).toContain('full-range: LP value');
    const files = readdirSync(svg).sort();
    expect(files).toEqual(['drawdown.svg', 'fees.svg', 'il-curve.svg', 'il-time.svg', 'pnl.svg', 'price.svg', 'time-in-range.svg', 'value.svg']);
    expect(written).toHaveLength(9);
    for (const f of files) {
      const text = readFileSync(join(svg, f), 'utf8');
      expect(text.startsWith('<svg')).toBe(true);
      expect(text).toMatch(/<path[^>]+d="M/); // drawn marks, not an empty frame
    }
  });

  it('error: a folder without summary.json is an input error naming the file', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(runReport({ run: [empty], out: join(root, 'x.html') })).rejects.toThrow(
      `${join(empty, 'summary.json')}: summary.json is missing; is this a folder written by \`ammsim backtest --out\`?`,
    );
    await expect(runReport({ run: [join(root, 'nope')], out: join(root, 'x.html') })).rejects.toThrow(`${join(root, 'nope')}: no such folder (--run takes a folder written by`);
  });
});

describe('report flags', () => {
  it('error: --out must be an .html file', () => {
    expect(() => checkReportArgs({ run: ['x'], out: 'r.txt' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --out: must name an .html file; was "r.txt"]`);
  });
  it('error: needs --out or --svg', () => {
    expect(() => checkReportArgs({ run: ['x'] })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --out: give --out FILE.html and/or --svg DIR]`);
  });
  it('error: --max-points must be an integer in range', () => {
    expect(() => checkReportArgs({ run: ['x'], out: 'a.html', maxPoints: 10 })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --max-points: must be an integer in [100, 1000000]; was 10]`,
    );
  });
  it('error: one --label per --run', () => {
    const r = syntheticRun({ steps: 10 });
    expect(() => labelRuns(['a', 'b'], [r, r], ['x'])).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --label: give one label per --run (2); got 1]`);
    expect(() => labelRuns(['a', 'b'], [r, r], ['x', ' '])).toThrow("--label: must not be empty (it names the run's column and lines)");
  });
  it('error: --out or --svg given twice is refused naming the flag (never written to a file named "a,b")', async () => {
    const a = join(root, 'twice-a.html');
    const b = join(root, 'twice-b.html');
    const r = await runCliInProcess(['report', '--run', join(root, 'none'), '--out', a, '--out', b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --out: given 2 times (${JSON.stringify(a)}, ${JSON.stringify(b)}); give it once\n`);
    const svg = await runCliInProcess(['report', '--run', join(root, 'none'), '--svg', join(root, 'sa'), '--svg', join(root, 'sb')]);
    expect(svg.stderr).toMatch(/^error: --svg: given 2 times/);
    expect(readdirSync(root).filter((f) => f.includes(','))).toEqual([]);
  });
  it('behavior: labels by strategy, then folder name, then a counter', () => {
    const range = syntheticRun({ steps: 10, width: 0.1 });
    const full = syntheticRun({ steps: 10 });
    expect(labelRuns(['x/a', 'x/b'], [range, full], undefined)).toEqual(['range', 'full-range']);
    expect(labelRuns(['x/a', 'y/b'], [range, range], undefined)).toEqual(['a', 'b']);
    expect(labelRuns(['x/a', 'y/a'], [range, range], undefined)).toEqual(['a (1)', 'a (2)']);
  });
});
