import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gbmPath, seriesOf } from '../../sim/engine/testing/engineTesting.ts';
import { runBacktest } from '../backtest.ts';
import { resolveBacktestConfig } from '../config.ts';
import { Grid } from './grid.ts';
import { readJournal } from './journal.ts';
import { mergeShards } from './merge.ts';
import { SWEEP_METRICS, NOT_TABULATED } from './metrics.ts';
import { sweepJson } from './outputs.ts';
import { JOURNAL_FILE, parseShard, runSweep, SweepInterrupted } from './sweep.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-sweep-lib-'));
let n = 0;
const dir = (): string => join(tmp, `d${n++}`);
const series = seriesOf(gbmPath(240, 0.8, 1 / 8760, 2000, 3));
const base = resolveBacktestConfig({ pool: 'v3', strategy: 'range', noiseRate: 1 });
const grid = new Grid([
  { name: 'width', values: [0, 0.05, 0.2] }, // width 0 is refused by the config check: an error row
  { name: 'fee', values: [0.0005, 0.003] },
  { name: 'seed', values: [1, 2] }, // the noise trader's draws
]);
const report = { metric: 'vsHold', heatmap: null, top: 5 } as const;

describe('runSweep', () => {
  // one full run shared by the tests below (worker threads start in ~0.5 s each from the sources)
  const fullDir = dir();
  const full = runSweep(base, grid, series, { workers: 2, dir: fullDir });

  it('behavior: each row holds the metrics of a single backtest of its configuration; a failing one its error, naming it', async () => {
    const out = await full;
    expect(out.rows.map((r) => r.k)).toEqual(Array.from({ length: 12 }, (_, k) => k));
    expect(out.failed).toBe(4);
    expect(out.rows[0]!.error).toBe('width=0 fee=0.0005 seed=1: --width: must be > 0 (0.1 = a range of P0/1.1 .. P0·1.1); was 0');
    const single = await runBacktest(resolveBacktestConfig({ pool: 'v3', strategy: 'range', noiseRate: 1, width: 0.2, fee: 0.003, seed: 2 }), series);
    const row = out.rows[11]!; // width=0.2 fee=0.003 seed=2
    SWEEP_METRICS.forEach((m, i) => expect([m, row.metrics![i]]).toEqual([m, (single.summary as unknown as Record<string, number>)[m]]));
    expect(out.rows[10]!.metrics![SWEEP_METRICS.indexOf('finalValue')]).not.toBe(row.metrics![SWEEP_METRICS.indexOf('finalValue')]);
  });

  it('behavior: every numeric summary key is a column or deliberately left out', async () => {
    const { summary } = await runBacktest(base, series);
    const numeric = Object.entries(summary).filter(([, v]) => typeof v === 'number').map(([k]) => k);
    expect(numeric.filter((k) => !(SWEEP_METRICS as readonly string[]).includes(k) && !NOT_TABULATED.includes(k))).toEqual([]);
  });

  it('behavior: 1 worker writes the same journal bytes as 2; resume runs only the missing rows (a torn last line dropped), same bytes', async () => {
    await full;
    const whole = readFileSync(join(fullDir, JOURNAL_FILE), 'utf8');
    const one = dir();
    const part = dir();
    mkdirSync(part);
    const lines = whole.split('\n');
    // header + rows 5, 2 (in completion order) + half a line
    writeFileSync(join(part, JOURNAL_FILE), [lines[0], lines[6], lines[3], lines[8]!.slice(0, 20)].join('\n'));
    const progress: number[] = [];
    const [, resumed] = await Promise.all([
      runSweep(base, grid, series, { workers: 1, dir: one }),
      runSweep(base, grid, series, { workers: 1, dir: part, onProgress: (d) => progress.push(d) }),
    ]);
    expect(readFileSync(join(one, JOURNAL_FILE), 'utf8')).toBe(whole);
    expect(resumed.resumed).toBe(2);
    expect(progress[0]).toBe(2);
    expect(readFileSync(join(part, JOURNAL_FILE), 'utf8')).toBe(whole);
  });

  it('behavior: aborting keeps the finished rows (the batch in flight included) and rejects with SweepInterrupted', async () => {
    const d = dir();
    const ctl = new AbortController();
    const p = runSweep(base, grid, series, { workers: 1, dir: d, signal: ctl.signal, onProgress: (done) => done >= 1 && ctl.abort() });
    await expect(p).rejects.toBeInstanceOf(SweepInterrupted);
    const j = readJournal(join(d, JOURNAL_FILE))!;
    expect(j.rows.size).toBeGreaterThanOrEqual(1);
    expect(j.rows.size).toBeLessThan(12);
  });

  it('behavior: three shards merged are the unsharded rows; error: missing, duplicated, foreign, incomplete shards; a journal of another grid, series or shard', async () => {
    const whole = await full;
    const dirs = [dir(), dir(), dir()];
    const foreign = dir();
    const [s0, s1, s2, fo] = await Promise.all([
      ...dirs.map((d, i) => runSweep(base, grid, series, { workers: 1, dir: d, shard: parseShard(`${i}/3`) })),
      runSweep({ ...base, capital: 5000 }, grid, series, { workers: 1, dir: foreign, shard: parseShard('1/3') }),
    ]);
    [s0!, s1!, s2!].forEach((o, i) => {
      expect(o.rows.every((r) => r.k % 3 === i)).toBe(true);
      writeFileSync(join(dirs[i]!, 'sweep.json'), sweepJson(o, o.header.metrics, parseShard(`${i}/3`), o.rows, report));
    });
    writeFileSync(join(foreign, 'sweep.json'), sweepJson(fo!, fo!.header.metrics, parseShard("1/3"), fo!.rows, report));
    const merged = mergeShards([dirs[2]!, dirs[0]!, dirs[1]!]);
    expect(merged.rows).toEqual(whole.rows);
    expect(merged.hash).toBe(whole.hash);
    expect(() => mergeShards([dirs[0]!, dirs[2]!])).toThrowError('merge: shard 1/3 is missing (got 2 of 3)');
    expect(() => mergeShards([dirs[0]!, dirs[1]!, dirs[1]!])).toThrowError(`merge: shard 1/3 is given twice: ${dirs[1]} and ${dirs[1]}`);
    expect(() => mergeShards([dirs[0]!, foreign, dirs[2]!])).toThrowError(/is a shard of another sweep than .* \(grid hash/);
    expect(() => mergeShards([fullDir])).toThrowError(/is missing: .* is not a finished sweep shard \(it has a results journal/);

    // resuming into a folder of another sweep is refused before anything runs
    const d = dirs[0]!;
    const other = new Grid([{ name: 'width', values: [0.05, 0.2] }]);
    await expect(runSweep(base, other, series, { workers: 1, dir: d, shard: parseShard('0/3') })).rejects.toThrowError(/holds results of another sweep \(grid hash [0-9a-f]{12}…, this one [0-9a-f]{12}…\): the axes, the base config, the series or another input file changed/);
    const otherSeries = { ...series, provenance: { ...series.provenance, sha256: 'other bytes' } };
    await expect(runSweep(base, grid, otherSeries, { workers: 1, dir: d, shard: parseShard('0/3') })).rejects.toThrowError(/holds results of another sweep/);
    await expect(runSweep(base, grid, series, { workers: 1, dir: d, shard: parseShard('1/3') })).rejects.toThrowError(`--shard: ${join(d, JOURNAL_FILE)} holds shard 0/3; this run is shard 1/3. Use another --out`);

    const lines = readFileSync(join(dirs[2]!, JOURNAL_FILE), 'utf8').split('\n');
    writeFileSync(join(dirs[2]!, JOURNAL_FILE), lines.slice(0, 2).join('\n') + '\n');
    expect(() => mergeShards(dirs)).toThrowError(`merge: shard 2/3 in ${dirs[2]} is incomplete: 1 of 4 configurations (run it again to resume)`);
  });
});

describe('mergeShards: input files', () => {
  it('regression: found by review: shards of a sweep naming an input file (a gas series) merge into the unsharded sweep.json, byte for byte; sweep.json records the files\' digests; an edited digest is refused', async () => {
    const gas = join(tmp, 'gas.csv');
    writeFileSync(gas, 'timestamp,gwei\n2023-12-01,30\n2024-01-05,60\n');
    const withGas = resolveBacktestConfig({ pool: 'v3', strategy: 'range', gasPriceSeries: gas });
    const g = new Grid([{ name: 'width', values: [0.05, 0.1, 0.2] }]);
    const dirs = [dir(), dir()];
    const [whole, ...shards] = await Promise.all([
      runSweep(withGas, g, series, { workers: 1 }),
      ...dirs.map((d, i) => runSweep(withGas, g, series, { workers: 1, dir: d, shard: parseShard(`${i}/2`) })),
    ]);
    shards.forEach((o, i) => writeFileSync(join(dirs[i]!, 'sweep.json'), sweepJson(o!, o!.header.metrics, parseShard(`${i}/2`), o!.rows, report)));
    const wholeJson = sweepJson(whole!, whole!.header.metrics, undefined, whole!.rows, report);
    expect((JSON.parse(wholeJson) as { inputFiles: unknown }).inputFiles).toEqual([{ path: gas, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const merged = mergeShards(dirs);
    expect(merged.hash).toBe(whole!.hash);
    expect(merged.rows).toEqual(whole!.rows);
    expect(sweepJson(merged, merged.header.metrics, undefined, merged.rows, merged.report)).toBe(wholeJson);

    // without input files sweep.json has no inputFiles key (its bytes as before)
    const plain = await runSweep(base, g, series, { workers: 1 });
    expect(Object.keys(JSON.parse(sweepJson(plain, plain.header.metrics, undefined, plain.rows, report)) as object)).not.toContain('inputFiles');

    const file = join(dirs[0]!, 'sweep.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"sha256": "[0-9a-f]{64}"\n/, `"sha256": "${'0'.repeat(64)}"\n`));
    expect(() => mergeShards(dirs)).toThrowError(`${file}: gridHash: does not match its grid, base config, data and input files (was the file edited? running its shard's command again rewrites it)`);
  });
});
