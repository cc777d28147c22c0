import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_METRICS, SUMMARY_METRICS } from '../sim/metrics/index.ts';
import { formatMetric, METRICS, metricRows, metricsMarkdownTable } from './metrics.ts';

/** The Markdown table that follows the README's "## Metrics (`summary.json`)" heading. */
function readmeMetricsTable(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf('## Metrics (`summary.json`)');
  expect(at, 'README has a "## Metrics (`summary.json`)" section').toBeGreaterThanOrEqual(0);
  const lines = readme.slice(at).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const table: string[] = [];
  for (let i = first; i < lines.length && lines[i]!.startsWith('|'); i++) table.push(lines[i]!);
  return table.join('\n') + '\n';
}

describe('one list of metrics', () => {
  it('behavior: the report’s METRICS are sim/metrics’ SUMMARY_METRICS (same keys, labels, units, formats, order)', () => {
    expect(METRICS.map((m) => [m.key, m.label, m.unit, m.format, m.terminal, m.short])).toEqual(
      SUMMARY_METRICS.map((m) => [m.key, m.label, m.unit, m.format, m.terminal, m.short]),
    );
  });

  it('behavior: the README’s metrics table lists exactly these metrics with their labels and units (regenerate with metricsMarkdownTable())', () => {
    expect(readmeMetricsTable()).toBe(metricsMarkdownTable());
    const keys = [...readmeMetricsTable().matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(keys.slice(0, SUMMARY_METRICS.length)).toEqual(SUMMARY_METRICS.map((m) => m.key));
  });

  it('behavior: optional metrics appear as rows only when a summary carries them, after the standard ones', () => {
    expect(metricRows([{ finalValue: 1 }]).map((m) => m.key)).toEqual(SUMMARY_METRICS.map((m) => m.key));
    const rows = metricRows([{ finalValue: 1, zeta: 2, rewardsEarned: 3 }]).map((m) => m.key);
    expect(rows.slice(SUMMARY_METRICS.length)).toEqual(['rewardsEarned', 'zeta']);
    expect(OPTIONAL_METRICS.find((m) => m.key === 'rewardsEarned')!.label).toBe('Rewards earned');
  });

  it('behavior: a summary key holding an object (e.g. feeModels of --fee-model replay) is not a metric row; a null one (NaN) is', () => {
    const rows = metricRows([{ finalValue: 1, feeModels: { selected: 'replay', replay: { feesEarned: 2 } }, zeta: null }]).map((m) => m.key);
    expect(rows.slice(SUMMARY_METRICS.length)).toEqual(['zeta']);
  });

  it('behavior: token amounts keep 6 decimals below 1,000 and 2 above', () => {
    expect(formatMetric(0.0021528645, 'tokens')).toBe('0.002153');
    expect(formatMetric(12345.678, 'tokens')).toBe('12,345.68');
  });
});
