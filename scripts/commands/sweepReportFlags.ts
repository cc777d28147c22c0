/**
 * The flags that shape a sweep's report.html (--metric, --heatmap, --top): taken by `ammsim sweep`, `ammsim sweep
 * merge` and `ammsim report --run SWEEP_DIR` (which redraws a finished sweep's report without re-running it), and
 * checked against the sweep's axes and metrics before anything is written.
 */
import { ConfigError } from '../../sim/core/errors.ts';
import { axisName } from '../../runs/sweep/grid.ts';
import { REWARD_METRICS, SWEEP_METRICS } from '../../runs/sweep/metrics.ts';
import type { SweepReportSettings } from '../../runs/sweep/outputs.ts';

export const SWEEP_REPORT_FLAGS = {
  metric: { type: 'string', group: 'Output:', describe: `metric ranked and charted in report.html: ${SWEEP_METRICS.join(', ')}; with --incentive also ${REWARD_METRICS.join(', ')}`, defaultDescription: 'vsHold' },
  heatmap: { type: 'string', group: 'Output:', describe: 'two axes for a heatmap of --metric in report.html (x,y), e.g. width,fee', defaultDescription: 'a line chart per axis' },
  top: { type: 'number', group: 'Output:', describe: 'configurations in the top table of report.html', defaultDescription: '20' },
} as const;

/**
 * --metric, --heatmap and --top of `argv` (each may be absent: then `defaults`' value, else vsHold, a line chart
 * per axis and 20), checked against the sweep's axes (by name) and metrics.
 */
export function reportSettings(argv: Readonly<Record<string, unknown>>, axes: ReadonlyArray<{ readonly name: string }>, metrics: readonly string[], defaults?: SweepReportSettings): SweepReportSettings {
  const metric = argv.metric === undefined ? (defaults?.metric ?? 'vsHold') : String(argv.metric);
  if (!metrics.includes(metric)) throw new ConfigError('--metric', `must be one of ${metrics.join(', ')}; was ${JSON.stringify(metric)}`);
  let heatmap: [string, string] | null = defaults?.heatmap === undefined || defaults.heatmap === null ? null : [defaults.heatmap[0], defaults.heatmap[1]];
  if (argv.heatmap !== undefined) {
    const parts = String(argv.heatmap).split(',').map((s) => s.trim());
    if (parts.length !== 2) throw new ConfigError('--heatmap', `must name two axes x,y (e.g. width,fee); was ${JSON.stringify(argv.heatmap)}`);
    const names = parts.map((p) => {
      try {
        return axisName(p, '--heatmap');
      } catch {
        return p;
      }
    });
    for (const [i, n] of names.entries()) {
      if (!axes.some((a) => a.name === n)) throw new ConfigError('--heatmap', `${JSON.stringify(parts[i])} is not an axis of this sweep (axes: ${axes.map((a) => a.name).join(', ') || 'none'})`);
    }
    if (names[0] === names[1]) throw new ConfigError('--heatmap', 'needs two different axes');
    heatmap = [names[0]!, names[1]!];
  }
  const top = argv.top === undefined ? (defaults?.top ?? 20) : Number(argv.top);
  if (!(Number.isInteger(top) && top >= 1 && top <= 100_000)) throw new ConfigError('--top', `must be an integer in [1, 100000]; was ${String(argv.top)}`);
  return { metric, heatmap, top };
}
