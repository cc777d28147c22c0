import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AXIS_KINDS, DATA_KEYS, NOT_AXES, PARAM_GROUPS } from '../../runs/sweep/grid.ts';
import { SWEEP_METRICS } from '../../runs/sweep/metrics.ts';
import { BACKTEST_FLAGS } from './backtestFlags.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-sweep-'));
const ammsim = (...args: string[]) => spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8' });
const SAMPLE = 'data/sample/eth_gbm_1h_1w.csv';
/** Exit status 0 (stderr shown when not). */
const ok = (r: { status: number | null; stderr: string }): void => expect([r.status, r.stderr]).toEqual([0, '']);
const OUTPUTS = ['results.jsonl', 'sweep.csv', 'sweep.arrow', 'sweep.json', 'report.html'];

/** Every output file of two sweep folders, byte for byte. */
function expectSameOutputs(a: string, b: string): void {
  for (const f of OUTPUTS) expect([f, readFileSync(join(a, f)).equals(readFileSync(join(b, f)))]).toEqual([f, true]);
}

describe('ammsim sweep', () => {
  it('behavior: every backtest flag is an axis, a data flag (one series per sweep), a parameter group, --incentive or --config', () => {
    const key = (f: string): string => f.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const groups = PARAM_GROUPS.map(([, f]) => f);
    const unclassified = Object.keys(BACKTEST_FLAGS).filter((f) => !groups.includes(f) && f !== 'config' && !NOT_AXES.includes(f) && AXIS_KINDS[key(f)] === undefined && !DATA_KEYS.includes(key(f)));
    expect(unclassified).toEqual([]);
  });

  it('behavior: one CSV row per combination in nested-loop order; columns follow the order the flags are given', () => {
    const out = join(tmp, 'grid');
    const r = ammsim('sweep', '--prices', SAMPLE, '--strategy', 'full-range,hold', '--fee', '0.0005,0.003', '--out', out, '--workers', '2');
    ok(r);
    expect(r.stdout).toContain('4 runs → ');
    const lines = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['strategy,fee', 'full-range,0.0005', 'full-range,0.003', 'hold,0.0005', 'hold,0.003']);
    const swapped = join(tmp, 'swapped');
    ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--strategy', 'full-range,hold', '--out', swapped, '--workers', '1'));
    const rows = readFileSync(join(swapped, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(rows[0]!.startsWith('fee,strategy,')).toBe(true);
    // the same configurations, so the same metrics, in the other order
    expect(rows[2]!.split(',').slice(2).join(',')).toBe(lines[3]!.split(',').slice(2).join(','));
    for (const f of OUTPUTS) expect(existsSync(join(out, f))).toBe(true);
  });

  it('error: a bad list value is one --flag line, exit 1, nothing written', () => {
    const out = join(tmp, 'bad');
    const r = ammsim('sweep', '--fee', '0.003,abc', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual(['error: --fee: must be a number, a list a,b,c or a range start:stop:step; was "abc"']);
    expect(existsSync(join(out, 'sweep.csv'))).toBe(false);
  });

  it('error: found by an audit: "csv": true in a sweep\'s --config (sweep has no --csv; it did nothing) is refused naming the file and line; false, as a resolved config writes it, runs', () => {
    const cfg = join(tmp, 'csv.json');
    writeFileSync(cfg, '{"capital": 5000,\n "csv": true}');
    const out = join(tmp, 'csv-config');
    const r = ammsim('sweep', '--prices', SAMPLE, '--config', cfg, '--fee', '0.001,0.003', '--workers', '1', '--out', out);
    expect([r.status, r.stderr]).toEqual([1, `error: ${cfg}:2: csv: writes a backtest's timeseries.csv (compare's values.csv); a sweep writes sweep.csv and sweep.arrow whatever it says: leave it out\n`]);
    expect(existsSync(join(out, 'sweep.csv'))).toBe(false);
    writeFileSync(cfg, '{"capital": 5000,\n "csv": false}');
    ok(ammsim('sweep', '--prices', SAMPLE, '--config', cfg, '--fee', '0.001,0.003', '--workers', '1', '--out', out));
  });

  it('behavior: a fixed flag that needs an axis\'s value (--noise-size with --noise-rate 0.5,2; --tick-spacing with --pool v2,v3) runs; the rows that break the rule get error rows; with no row that can, it is refused', () => {
    const noise = join(tmp, 'needs-axis');
    const r = ammsim('sweep', '--prices', SAMPLE, '--noise-rate', '0,2', '--noise-size', '5000', '--workers', '1', '--out', noise);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('1 of 2 configurations failed (their rows hold the error); first: noiseRate=0: --noise-size: sizes noise trades; it needs --noise-rate > 0');
    const one = join(tmp, 'needs-axis-backtest');
    ok(ammsim('backtest', '--prices', SAMPLE, '--noise-rate', '2', '--noise-size', '5000', '--out', one));
    const row = readFileSync(join(noise, 'sweep.csv'), 'utf8').trim().split('\n')[2]!.split(',');
    expect(Number(row[1])).toBe((JSON.parse(readFileSync(join(one, 'summary.json'), 'utf8')) as { finalValue: number }).finalValue);
    const meta = JSON.parse(readFileSync(join(noise, 'sweep.json'), 'utf8')) as { base: Record<string, unknown> };
    expect([meta.base.noiseRate, meta.base.noiseSize]).toEqual([0, 5000]); // the axis at its default, the fixed flag as given
    const single = ammsim('sweep', '--prices', SAMPLE, '--noise-rate', '2', '--noise-size', '5000', '--workers', '1', '--out', join(tmp, 'single'));
    expect(single.stdout.split('\n')[0]).toBe(`1 run → ${join(tmp, 'single')}/sweep.csv`);
    const pools = ammsim('sweep', '--prices', SAMPLE, '--pool', 'v2,v3', '--strategy', 'range', '--tick-spacing', '10', '--workers', '1', '--out', join(tmp, 'needs-pool'));
    expect(pools.stdout).toContain('first: pool=v2: --tick-spacing: is a v3 setting; it needs --pool v3');
    const never = ammsim('sweep', '--prices', SAMPLE, '--pool', 'v2', '--tick-spacing', '10', '--fee', '0.001,0.003', '--out', join(tmp, 'needs-never'));
    expect([never.status, never.stderr]).toEqual([1, 'error: --tick-spacing: is a v3 setting; it needs --pool v3\n']);
  });

  it('behavior: a failing configuration gets an error row naming it, the others complete, exit 2 with a closing line; --param axes', () => {
    const out = join(tmp, 'failing');
    const r = ammsim('sweep', '--prices', SAMPLE, '--pool', 'v3', '--strategy', 'strategies/examples/stopLoss.ts', '--param', 'stop=0.05,0.2', '--capital', '0,5000', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('2 of 4 configurations failed (their rows hold the error); first: params.stop=0.05 capital=0: --capital: must be > 0');
    const rows = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(rows[0]!.startsWith('params.stop,capital,finalValue,')).toBe(true);
    expect(rows[0]!.endsWith(',warnings,error')).toBe(true);
    expect(rows[1]).toBe(`0.05,0,${','.repeat(SWEEP_METRICS.length + 1)}params.stop=0.05 capital=0: --capital: must be > 0 and ≤ 1e15 (quote units); was 0`);
    expect(rows[2]).toMatch(/^0\.05,5000,\d/);
    expect(rows[2]!.endsWith(',')).toBe(true); // no error
    const meta = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as Record<string, unknown>;
    expect(meta.failed).toBe(2);
    expect((meta.data as { file: string }).file).toBe(SAMPLE);
    expect((meta.base as { strategy: string }).strategy).toBe('strategies/examples/stopLoss.ts');
  });

  it('behavior: killed with SIGKILL mid-sweep, a re-run resumes and writes the same bytes as an uninterrupted run', async () => {
    const args = ['sweep', '--pool', 'v3', '--strategy', 'range', '--width', '0.01:0.3:0.01', '--fee', '0.0005,0.003', '--workers', '1'];
    const killed = join(tmp, 'killed');
    const child = spawn(process.execPath, ['scripts/ammsim.mjs', ...args, '--out', killed], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const journal = join(killed, 'results.jsonl');
    const lines = (): number => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 1 : 0);
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (lines() >= 6) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(t);
        reject(new Error(`the sweep finished before it could be killed: ${stderr}`));
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));
    const saved = lines() - 1;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(60);
    expect(existsSync(join(killed, 'sweep.json'))).toBe(false);
    const resumed = ammsim(...args, '--out', killed);
    ok(resumed);
    expect(resumed.stdout).toMatch(/^60 runs \(\d+ resumed\) → /);
    const whole = join(tmp, 'whole');
    ok(ammsim(...args.slice(0, -1), '2', '--out', whole));
    expectSameOutputs(killed, whole);
    expect(readdirSync(killed).filter((f) => f.startsWith('.'))).toEqual([]); // no temporary files left
  });

  it('behavior: 3 shards merged write the same bytes as the unsharded run; report --run rebuilds report.html; merge refuses a missing shard', () => {
    const args = ['sweep', '--prices', SAMPLE, '--pool', 'v3', '--strategy', 'range', '--width', '0.02:0.1:0.02', '--fee', '0.0005,0.003', '--heatmap', 'width,fee', '--metric', 'feesEarned'];
    const whole = join(tmp, 'unsharded');
    ok(ammsim(...args, '--out', whole));
    const shards = [0, 1, 2].map((i) => join(tmp, `shard-${i}`));
    shards.forEach((d, i) => {
      const r = ammsim(...args, '--shard', `${i}/3`, '--out', d, '--workers', '1');
      ok(r);
      expect(r.stdout).toContain(`(shard ${i}/3; join with ammsim sweep merge)`);
    });
    const merged = join(tmp, 'merged');
    const m = ammsim('sweep', 'merge', shards[2]!, shards[0]!, shards[1]!, '--out', merged);
    ok(m);
    expectSameOutputs(merged, whole);
    const missing = ammsim('sweep', 'merge', shards[0]!, shards[2]!, '--out', join(tmp, 'nope'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('error: merge: shard 1/3 is missing (got 2 of 3)\n');

    const html = join(tmp, 'rebuilt.html');
    ok(ammsim('report', '--run', whole, '--out', html));
    expect(readFileSync(html).equals(readFileSync(join(whole, 'report.html')))).toBe(true);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<figure class="chart" id="chart-heatmap"');
    expect(page).toContain('<h2 id="top">Top 10 by feesEarned</h2>');
    const shardReport = ammsim('report', '--run', shards[0]!, '--out', join(tmp, 'shard.html'));
    expect(shardReport.stderr).toMatch(/is one shard of a sweep; merge the shards first/);
  });

  it('behavior: report --run SWEEP_DIR redraws the report for another --metric/--heatmap/--top, the same bytes as a sweep run with them; refuses backtest-only flags and mixed folders', () => {
    const base = ['sweep', '--prices', SAMPLE, '--pool', 'v3', '--strategy', 'range', '--width', '0.02:0.1:0.02', '--fee', '0.0005,0.003', '--workers', '1'];
    const plain = join(tmp, 'redraw-plain');
    ok(ammsim(...base, '--out', plain));
    const drawn = join(tmp, 'redraw-apr');
    ok(ammsim(...base, '--metric', 'apr', '--heatmap', 'fee,width', '--top', '3', '--out', drawn));
    const html = join(tmp, 'redrawn.html');
    ok(ammsim('report', '--run', plain, '--out', html, '--metric', 'apr', '--heatmap', 'fee,width', '--top', '3'));
    expect(readFileSync(html).equals(readFileSync(join(drawn, 'report.html')))).toBe(true);
    expect(readFileSync(html).equals(readFileSync(join(plain, 'report.html')))).toBe(false);
    // sweep.json keeps the settings the sweep was run with: a plain rebuild is still the sweep's own report
    ok(ammsim('report', '--run', plain, '--out', html));
    expect(readFileSync(html).equals(readFileSync(join(plain, 'report.html')))).toBe(true);

    const refused = (args: string[], message: RegExp): void => {
      const r = ammsim('report', ...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
    };
    const none = join(tmp, 'not-written.html');
    refused(['--run', plain, '--out', none, '--heatmap', 'width,gas'], /^error: --heatmap: "gas" is not an axis of this sweep \(axes: width, fee\)\n$/);
    refused(['--run', plain, '--out', none, '--metric', 'nope'], /^error: --metric: must be one of finalValue, /);
    refused(['--run', plain, '--out', none, '--top', '0'], /^error: --top: must be an integer in \[1, 100000\]/);
    refused(['--run', plain, '--out', none, '--label', 'x'], /^error: --label: applies to backtest folders; .* is a sweep folder/);
    refused(['--run', plain, '--out', none, '--max-points', '500'], /^error: --max-points: applies to backtest folders; .* is a sweep folder/);
    const run = join(tmp, 'one-backtest');
    ok(ammsim('backtest', '--prices', SAMPLE, '--out', run));
    refused(['--run', run, '--out', none, '--metric', 'apr'], /^error: --metric: applies to a sweep folder \(written by `ammsim sweep`\); .* is a backtest folder/);
    refused(['--run', run, '--run', plain, '--out', none], /^error: --run: .* is a sweep folder: give it alone/);
    expect(existsSync(none)).toBe(false);
  });

  it('behavior: liquidity-mining flags are axes too (--harvest-param lists, --performance-fee); reward metrics become columns; a gbm --reward-price is one value', () => {
    const out = join(tmp, 'incentive');
    const program = join(tmp, 'program.json');
    writeFileSync(program, JSON.stringify({ kind: 'staking-rewards', token: 'UNI', total: 10_000, start: '2024-01-01T00:00:00Z', end: '2024-01-07T23:00:00Z', otherStakedValue: 100_000 }));
    const r = ammsim('sweep', '--prices', SAMPLE, '--incentive', program, '--harvest', 'interval', '--harvest-param', 'every=1d,3d', '--performance-fee', '0,0.1', '--reward-price', 'gbm:sigma=0.9,rho=0.6', '--metric', 'totalApr', '--out', out, '--workers', '1');
    ok(r);
    const [head, ...rows] = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    const cols = head!.split(',');
    expect(cols.slice(0, 2)).toEqual(['harvestParams.every', 'performanceFee']);
    expect(cols).toContain('totalApr');
    expect(cols).toContain('harvests');
    expect(rows.map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['1d,0', '1d,0.1', '3d,0', '3d,0.1']);
    const harvests = rows.map((l) => Number(l.split(',')[cols.indexOf('harvests')]));
    expect(harvests[0]).toBeGreaterThan(harvests[2]!); // every day harvests more often than every third day
    expect(r.stdout).toMatch(/^best totalApr: harvestParams\.every=/m);
  });

  it('error: re-running another grid into the same folder is refused (nothing written); --restart discards the old results', () => {
    const out = join(tmp, 'changed');
    ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--out', out, '--workers', '1'));
    const before = readFileSync(join(out, 'sweep.csv'));
    const r = ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.01', '--out', out, '--workers', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --out: .*results\.jsonl holds results of another sweep \(grid hash [0-9a-f]{12}…, this one [0-9a-f]{12}…\): the axes, the base config, the series or another input file changed\. Use another --out, or --restart to discard them\n$/);
    expect(readFileSync(join(out, 'sweep.csv')).equals(before)).toBe(true);
    ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.01', '--out', out, '--workers', '1', '--restart'));
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8').split('\n')[2]!.startsWith('0.01,')).toBe(true);
  });

  it('error: refusals an audit found missing: a grid file axis beside the same fixed flag or --param; a --seed axis on the built-in series; a bad --sample-seed; sweep flags given to merge; a grid too large names its flags', () => {
    const grid = join(tmp, 'audit-grid.json');
    writeFileSync(grid, JSON.stringify({ width: [0.05, 0.1], 'params.threshold': [0, 0.5] }));
    const base = ['--prices', SAMPLE, '--pool', 'v3', '--strategy', 'rebalance', '--grid', grid];
    expect(ammsim('sweep', ...base, '--width', '0.3', '--out', join(tmp, 'a1')).stderr).toBe(`error: --width: 0.3 is given beside the grid file ${grid}, whose width axis sets it for every row; give it in one place\n`);
    expect(ammsim('sweep', ...base, '--param', 'threshold=0.2', '--out', join(tmp, 'a2')).stderr).toBe(`error: --param threshold: threshold=0.2 is given beside the grid file ${grid}, whose params.threshold axis sets it for every row; give it in one place\n`);
    expect(ammsim('sweep', '--fee', '0.003', '--seed', '1,2', '--out', join(tmp, 'a3')).stderr).toMatch(/^error: --seed: with the built-in series \(no --prices\) the seed also draws the price path/);
    expect(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--samples', '1', '--sample-seed', '1.5', '--out', join(tmp, 'a4')).stderr).toBe('error: --sample-seed: must be an integer; was 1.5\n');
    expect(ammsim('sweep', '--width', '0.0001:1:0.0001', '--fee', '0.0001:1:0.0001', '--out', join(tmp, 'a5')).stderr).toBe('error: --width × --fee: 100,000,000 configurations; at most 10,000,000 (use --samples N for a random search)\n');
    for (const d of ['a1', 'a2', 'a3', 'a4', 'a5']) expect(existsSync(join(tmp, d)), d).toBe(false);
    const shards = [0, 1].map((i) => join(tmp, `am${i}`));
    shards.forEach((d, i) => ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--shard', `${i}/2`, '--out', d, '--workers', '1')));
    const merge = ammsim('sweep', 'merge', ...shards, '--out', join(tmp, 'am'), '--workers', '2');
    expect([merge.status, merge.stderr]).toEqual([1, 'error: --workers: unknown flag (ammsim sweep merge --help lists the flags)\n']);
  });

  it('behavior: --restart discards the old outputs with the journal; report --run refuses a sweep.arrow that is not Arrow; a changed input file (gas series) is refused on resume', () => {
    const out = join(tmp, 'restart');
    ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--out', out, '--workers', '1'));
    const broken = join(tmp, 'broken');
    ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--out', broken, '--workers', '1'));
    writeFileSync(join(broken, 'sweep.arrow'), 'garbage');
    const rep = ammsim('report', '--run', broken, '--out', join(tmp, 'broken.html'));
    expect([rep.status, rep.stderr]).toEqual([1, expect.stringMatching(/^error: .*broken\/sweep\.arrow: is not (a readable Arrow IPC file \(.*\)|a sweep table \(no columns: cut short, or not an Arrow IPC file\)); rebuild it with the sweep's command\n$/)]);
    // a shard of another grid into the folder with --restart: the whole sweep's outputs go with its journal
    ok(ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.01', '--shard', '0/2', '--out', out, '--workers', '1', '--restart'));
    expect(readdirSync(out).sort()).toEqual(['results.jsonl', 'sweep.json']);
    const gas = join(tmp, 'gas.csv');
    writeFileSync(gas, 'timestamp,gwei\n2023-12-01,50\n');
    const g = ['sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--gas-price-series', gas, '--out', join(tmp, 'gas'), '--workers', '1'];
    ok(ammsim(...g));
    writeFileSync(gas, 'timestamp,gwei\n2023-12-01,500\n');
    expect(ammsim(...g).stderr).toMatch(/holds results of another sweep .*the series or another input file changed/);
  });

  it('behavior: a worker thread that dies (a strategy calling process.exit) gives error rows naming its configurations; the others complete, the same bytes with 1 or 2 workers', () => {
    const strat = join(tmp, 'exiter.mjs');
    writeFileSync(strat, "export default { name: 'exiter', defaults: { mode: 0 }, create(p) { return { onStart: () => [{ kind: 'mint', range: null }], onStep: (ctx) => { if (p.mode === 2 && ctx.step === 5) process.exit(3); return []; } }; } };\n");
    const outs = [1, 2].map((w) => {
      const out = join(tmp, `exit-${w}`);
      const r = ammsim('sweep', '--prices', SAMPLE, '--strategy', strat, '--param', 'mode=0,1,2', '--fee', '0.003,0.01', '--out', out, '--workers', String(w));
      expect(r.status).toBe(2);
      expect(r.stdout).toContain('2 of 6 configurations failed (their rows hold the error); first: params.mode=2 fee=0.003: the worker thread running it stopped (worker exited with code: 3)');
      return out;
    });
    expectSameOutputs(outs[0]!, outs[1]!);
  });

  it('behavior: the closing line and the report rank a lower-is-better metric lowest first, and call a metric that is neither "highest"', () => {
    const out = join(tmp, 'ranked');
    const r = ammsim('sweep', '--prices', SAMPLE, '--pool', 'v3', '--strategy', 'range', '--width', '0.02,0.1,0.4', '--metric', 'maxDrawdown', '--out', out, '--workers', '1');
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    const col = csv[0]!.split(',').indexOf('maxDrawdown');
    const dd = csv.slice(1).map((l) => [l.split(',')[0]!, Number(l.split(',')[col])] as const);
    const lowest = [...dd].sort((a, b) => a[1] - b[1])[0]!;
    expect(dd.some(([, v]) => v !== lowest[1])).toBe(true);
    // a fraction metric in %, as every other output shows it (it read 0.01 for 1.23 %)
    expect(r.stdout).toContain(`best maxDrawdown: width=${lowest[0]} (maxDrawdown ${(lowest[1] * 100).toFixed(2)} %)`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Top 3 by maxDrawdown (lowest first)</h2>');
    const n = ammsim('report', '--run', out, '--metric', 'rebalances', '--out', join(tmp, 'ranked.html'));
    ok(n);
    expect(readFileSync(join(tmp, 'ranked.html'), 'utf8')).toContain('Top 3 by rebalances (highest first)</h2>');
  });

  it('error: --heatmap names an axis that is not swept; --shard out of range; a data flag as an axis', () => {
    const heat = ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--heatmap', 'width,fee', '--out', join(tmp, 'h'));
    expect(heat.stderr).toBe('error: --heatmap: "width" is not an axis of this sweep (axes: fee)\n');
    const shard = ammsim('sweep', '--prices', SAMPLE, '--fee', '0.0005,0.003', '--shard', '3/3', '--out', join(tmp, 's'));
    expect(shard.stderr).toBe('error: --shard: must be i/n with 0 ≤ i < n (e.g. 0/3 for the first of three); was "3/3"\n');
    const gridFile = join(tmp, 'grid.json');
    writeFileSync(gridFile, JSON.stringify({ resample: ['1h', '1d'] }));
    const data = ammsim('sweep', '--prices', SAMPLE, '--grid', gridFile, '--out', join(tmp, 'g'));
    expect(data.stderr).toBe(`error: ${gridFile}:1: resample: --resample describes the data, which is loaded once per sweep; it cannot be an axis\n`);
  });
});

describe('ammsim sweep merge: input files and --out', () => {
  const dirOf = (name: string): string => join(tmp, `merge-in-${name}`);
  const gas = join(tmp, 'merge-gas.csv');
  writeFileSync(gas, 'timestamp,gwei\n2023-12-01,50\n2024-01-03,80\n2024-01-05,40\n');
  const C = ['sweep', '--prices', SAMPLE, '--pool', 'v3', '--strategy', 'rebalance', '--width', '0.01:0.1:0.01', '--gas-price-series', gas, '--workers', '1'];
  const shards = [0, 1].map((i) => dirOf(`s${i}`));
  let sharded = false;
  const runShards = (): void => {
    if (sharded) return;
    shards.forEach((d, i) => ok(ammsim(...C, '--shard', `${i}/2`, '--out', d)));
    sharded = true;
  };
  const snapshot = (d: string): Record<string, string> => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f), 'latin1')]));

  it('regression: found by review: shards of a sweep naming an input file (--gas-price-series) merge into the unsharded run, byte for byte (they were refused: "gridHash: does not match")', () => {
    runShards();
    const whole = dirOf('whole');
    ok(ammsim(...C, '--out', whole));
    expect((JSON.parse(readFileSync(join(whole, 'sweep.json'), 'utf8')) as { inputFiles: unknown }).inputFiles).toEqual([{ path: gas, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const merged = dirOf('merged');
    const m = ammsim('sweep', 'merge', shards[1]!, shards[0]!, '--out', merged);
    expect([m.status, m.stderr]).toEqual([0, '']);
    expectSameOutputs(merged, whole);
    // merging again into its own earlier output works, the same bytes
    ok(ammsim('sweep', 'merge', ...shards, '--out', merged));
    expectSameOutputs(merged, whole);
  });

  it('error: found by review: merge --out refuses a shard folder given to it, and a folder holding another sweep (finished, or an in-progress results.jsonl); nothing is written', () => {
    runShards();
    const refused = (out: string, message: RegExp): void => {
      const before = existsSync(out) ? snapshot(out) : undefined;
      const r = ammsim('sweep', 'merge', ...shards, '--out', out);
      expect([r.status, r.stdout]).toEqual([1, '']);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n').filter((l) => l !== '').length).toBe(1);
      if (before !== undefined) expect(snapshot(out)).toEqual(before);
    };
    const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    refused(shards[0]!, new RegExp(`^error: --out: ${esc(shards[0]!)} is the folder of shard 0/2 given to merge: merging into it would replace that shard's results; use another --out\\n$`));
    refused(`${shards[1]!}/`, new RegExp(`^error: --out: ${esc(shards[1]!)}/ is the folder of shard 1/2 given to merge: `));

    // a finished sweep of another grid (without the gas series)
    const other = dirOf('other');
    ok(ammsim(...C.filter((a, i) => a !== '--gas-price-series' && C[i - 1] !== '--gas-price-series'), '--out', other));
    refused(other, new RegExp(`^error: --out: ${esc(other)} holds another sweep \\(${esc(join(other, 'sweep.json'))}: grid hash [0-9a-f]{12}…; this merge's [0-9a-f]{12}…\\): use another --out\\n$`));
    // ... and its journal alone, as a sweep in progress leaves it
    for (const f of ['sweep.json', 'sweep.csv', 'sweep.arrow', 'report.html']) rmSync(join(other, f));
    refused(other, new RegExp(`^error: --out: ${esc(other)} holds another sweep \\(${esc(join(other, 'results.jsonl'))}: grid hash [0-9a-f]{12}…; this merge's [0-9a-f]{12}…\\), finished or in progress: use another --out\\n$`));

    // a shard of this very grid from another sharding (not given to merge) is a shard folder too
    const third = dirOf('third');
    ok(ammsim(...C, '--shard', '0/3', '--out', third));
    refused(third, new RegExp(`^error: --out: ${esc(third)} holds shard 0/3 of this sweep \\(${esc(join(third, 'sweep.json'))}\\): merging into it would replace that shard's results; use another --out\\n$`));
  });
});

describe('ammsim sweep: a row is the backtest\'s, with gas too', () => {
  /** The first row of a sweep folder's sweep.csv as column → text. */
  const firstRow = (dir: string): Record<string, string> => {
    const [head, row] = readFileSync(join(dir, 'sweep.csv'), 'utf8').trim().split('\n');
    const values = row!.split(',');
    return Object.fromEntries(head!.split(',').map((c, i) => [c, values[i]!]));
  };
  const program = join(tmp, 'gas-row-program.json');
  writeFileSync(program, JSON.stringify({ kind: 'staking-rewards', token: 'UNI', total: 10_000, start: '2024-01-01T00:00:00Z', end: '2024-01-07T23:00:00Z', otherStakedValue: 100_000 }));
  const mining = ['--incentive', program, '--harvest', 'interval', '--harvest-param', 'every=1d', '--harvest-param', 'then=sell', '--reward-price', '2'];

  // widths whose runs hit prices where u·(g·1e−9)·p and u·g·1e−9·p round apart (0.01 without programs, 0.005 with)
  it.each([['without', []], ['with', mining]] as const)('regression: a 1-configuration sweep row equals backtest\'s summary.json to the bit at --gas-price 30, %s --incentive (gasCost was 911.0306237329943 in the sweep, 911.0306237329941 in backtest: two gas formulas)', (_, extra) => {
    for (const width of ['0.01', '0.005']) {
      const flags = ['--prices', SAMPLE, '--pool', 'v3', '--strategy', 'rebalance', '--width', width, '--gas-price', '30', ...extra];
      const name = `gas-row-${extra.length === 0 ? 'plain' : 'mining'}-${width}`;
      ok(ammsim('backtest', ...flags, '--out', join(tmp, `${name}-bt`)));
      ok(ammsim('sweep', ...flags, '--workers', '1', '--out', join(tmp, `${name}-sw`)));
      const summary = JSON.parse(readFileSync(join(tmp, `${name}-bt`, 'summary.json'), 'utf8')) as Record<string, unknown>;
      const row = firstRow(join(tmp, `${name}-sw`));
      expect(Number(row.gasCost)).toBeGreaterThan(0);
      if (extra.length > 0) expect(Number(row.harvestGas)).toBeGreaterThan(0);
      const metrics = Object.keys(row).filter((c) => c !== 'warnings' && c !== 'error');
      expect(metrics.length).toBeGreaterThan(20);
      for (const m of metrics) expect([width, m, row[m]]).toEqual([width, m, typeof summary[m] === 'number' ? String(summary[m]) : '']);
    }
  });
});

describe('ammsim sweep: what every configuration would fail on is refused before any run', () => {
  const flat = join(tmp, 'refuse-flat.csv');
  writeFileSync(flat, 'timestamp,price\n2024-01-01T00:00:00Z,2000\n2024-01-01T01:00:00Z,2000\n2024-01-01T02:00:00Z,2000\n');
  /** exit 1, one `error:` line on stderr (returned), nothing on stdout, no output folder. */
  const refused = (out: string, ...args: string[]): string => {
    const r = ammsim('sweep', '--prices', flat, ...args, '--workers', '1', '--out', out);
    expect([r.status, r.stdout, existsSync(out)]).toEqual([1, '', false]);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('regression: a missing --gas-price-series, --strategy module or --incentive file, and --width for a strategy without one, are one error line, exit 1, no folder (they were a folder of error rows, exit 2, stderr empty)', () => {
    const fee = ['--fee', '0.001,0.003'];
    expect(refused(join(tmp, 'refuse-gas'), ...fee, '--gas-price-series', '/nonexistent.csv')).toBe('error: /nonexistent.csv: must be a readable file; no such file (ENOENT)');
    expect(refused(join(tmp, 'refuse-strategy'), ...fee, '--strategy', 'x.ts')).toBe('error: --strategy: no such strategy module: x.ts');
    expect(refused(join(tmp, 'refuse-incentive'), ...fee, '--incentive', join(tmp, 'no-such-program.json'))).toMatch(/^error: .*no-such-program\.json: cannot read the incentive file/);
    expect(refused(join(tmp, 'refuse-width'), ...fee, '--strategy', 'full-range', '--width', '0.1')).toBe('error: --width: strategy full-range has no range width (its parameters: none)');
    // a width axis fails every row of a strategy without a width just as well
    expect(refused(join(tmp, 'refuse-width-axis'), '--strategy', 'full-range', '--width', '0.1,0.2')).toBe('error: --width: strategy full-range has no range width (its parameters: none)');
    // --gas-before error with a series that starts after the run; --fee-model replay with no pool events
    const late = join(tmp, 'refuse-late-gas.csv');
    writeFileSync(late, 'timestamp,gwei\n2024-01-02,20\n');
    expect(refused(join(tmp, 'refuse-gas-before'), ...fee, '--gas-price-series', late, '--gas-before', 'error')).toMatch(/^error: .*refuse-late-gas\.csv: timestamp: the gas-price series starts at 2024-01-02T00:00:00\.000Z, after the run starts/);
    expect(refused(join(tmp, 'refuse-replay'), ...fee, '--pool', 'v3', '--fee-model', 'replay')).toBe('error: --fee-events: the replay fee model needs the pool-events CSV (--fee-events FILE, or --prices FILE.pool_events.csv)');
  });

  it('behavior: the same problem in one value of an axis is that row\'s error; the others run (exit 2)', () => {
    const gas = join(tmp, 'refuse-ok-gas.csv');
    writeFileSync(gas, 'timestamp,gwei\n2024-01-01,20\n');
    const g = ammsim('sweep', '--prices', flat, '--gas-price-series', `${gas},/nonexistent.csv`, '--workers', '1', '--out', join(tmp, 'refuse-gas-axis'));
    expect([g.status, g.stderr]).toEqual([2, '']);
    expect(g.stdout).toContain('1 of 2 configurations failed (their rows hold the error); first: gasPriceSeries=/nonexistent.csv: /nonexistent.csv: must be a readable file');
    const s = ammsim('sweep', '--prices', flat, '--strategy', 'hold,x.ts', '--workers', '1', '--out', join(tmp, 'refuse-strategy-axis'));
    expect([s.status, s.stderr]).toEqual([2, '']);
    expect(s.stdout).toContain('first: strategy=x.ts: --strategy: no such strategy module: x.ts');
  });

  it('regression: the decision does not depend on the order of the axes (--pool v2,v3 before a 1,001-value --fee axis with --tick-spacing was refused: only v2 rows were probed)', () => {
    const fees = ['--fee', '0.0001:0.1001:0.0001'];
    const pools = ['--pool', 'v2,v3'];
    for (const [name, axes] of [['pool-first', [...pools, ...fees]], ['fee-first', [...fees, ...pools]]] as const) {
      const r = ammsim('sweep', '--prices', SAMPLE, ...axes, '--tick-spacing', '10', '--samples', '6', '--sample-seed', '3', '--workers', '1', '--out', join(tmp, `order-${name}`));
      expect([name, r.status, r.stderr]).toEqual([name, 2, '']);
      expect(r.stdout).toMatch(/configurations failed \(their rows hold the error\); first: .*pool=v2.*: --tick-spacing: is a v3 setting; it needs --pool v3/);
    }
    // a tick-spacing axis on a fixed v2 pool fails every row: refused in either order
    const spacings = ['--tick-spacing', '10,60'];
    for (const axes of [[...spacings, ...fees], [...fees, ...spacings]]) {
      const r = ammsim('sweep', '--prices', SAMPLE, '--pool', 'v2', ...axes, '--samples', '6', '--out', join(tmp, 'order-never'));
      expect([r.status, r.stderr]).toEqual([1, 'error: --tick-spacing: is a v3 setting; it needs --pool v3\n']);
    }
  });

  it('regression: --noise-size without --noise-rate is refused as backtest refuses it (sweep accepted it); beside a --noise-rate axis each rate-0 row is an error row', () => {
    const want = 'error: --noise-size: sizes noise trades; it needs --noise-rate > 0';
    const bt = ammsim('backtest', '--prices', SAMPLE, '--noise-size', '1000', '--out', join(tmp, 'noise-bt'));
    expect([bt.status, bt.stderr]).toEqual([1, `${want}\n`]);
    expect(refused(join(tmp, 'noise-alone'), '--noise-size', '1000')).toBe(want);
    expect(refused(join(tmp, 'noise-fee'), '--noise-size', '1000', '--fee', '0.001,0.003')).toBe(want);
    expect(refused(join(tmp, 'noise-size-axis'), '--noise-size', '1000,2000')).toBe(want);
    const out = join(tmp, 'noise-rows');
    const r = ammsim('sweep', '--prices', SAMPLE, '--noise-rate', '0,2', '--noise-size', '1000', '--workers', '1', '--out', out);
    expect([r.status, r.stderr]).toEqual([2, '']);
    const rows = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(rows[1]!.endsWith(',noiseRate=0: --noise-size: sizes noise trades; it needs --noise-rate > 0')).toBe(true);
    expect(rows[2]!.endsWith(',,')).toBe(true); // rate 2 ran, no warnings, no error
    ok(ammsim('sweep', '--prices', SAMPLE, '--noise-rate', '0,2', '--workers', '1', '--out', join(tmp, 'noise-no-size')));
  });
});

const UNI = '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05';
describe.skipIf(!existsSync(`${UNI}.minute.csv`) || !existsSync(`${UNI}.pool_events.csv`))('ammsim sweep --fee-model all', () => {
  it('regression: the refusal suggests sweeps that run (it suggested --fee-model arbitrage,volume,replay, which no input can run)', () => {
    const flags = ['--pool', 'v3', '--fee', '0.0005', '--strategy', 'range', '--width', '0.01', '--workers', '1'];
    const all = ammsim('sweep', '--prices', `${UNI}.minute.csv`, ...flags, '--fee-model', 'all', '--out', join(tmp, 'fm-all'));
    expect([all.status, all.stderr]).toEqual([1, "error: --fee-model: all puts the three models side by side in one backtest's summary.json; a sweep keeps one row of metrics per configuration: sweep --fee-model arbitrage,volume as an axis over a Uniswap minute file, and --fee-model replay (with --fee-events FILE, or --prices FILE.pool_events.csv) in a sweep of its own\n"]);
    ok(ammsim('sweep', '--prices', `${UNI}.minute.csv`, ...flags, '--fee-model', 'arbitrage,volume', '--out', join(tmp, 'fm-av')));
    ok(ammsim('sweep', '--prices', `${UNI}.pool_events.csv`, ...flags, '--fee-model', 'replay', '--out', join(tmp, 'fm-replay')));
    ok(ammsim('sweep', '--prices', `${UNI}.minute.csv`, ...flags, '--fee-model', 'replay', '--fee-events', `${UNI}.pool_events.csv`, '--out', join(tmp, 'fm-replay-events')));
  });
});

describe('ammsim sweep: the base config is refused only when no configuration of the grid can run', () => {
  // a StakingRewards program over the sample's week (2024-01-01 .. 2024-01-07)
  const prog = join(tmp, 'probe-prog.json');
  writeFileSync(prog, '{"kind": "staking-rewards", "token": "UNI", "total": 200000, "start": "2024-01-01T00:00:00Z", "end": "2024-01-08T00:00:00Z", "otherStakedValue": 5000000}');
  const mining = ['--incentive', prog, '--harvest', 'interval', '--harvest-param', 'every=1d', '--harvest-param', 'then=sell'];
  /** Nine fees of which only 0.1 and 0.2 (the 3rd and 4th) leave the LP a part beside a 0.5 fee. */
  const NINE = '0.6,0.7,0.1,0.2,0.8,0.9,0.65,0.75,0.85';
  /** Exit 2, stderr empty; the CSV rows' error column (the last), '' for a row that ran. */
  const errorsOf = (r: { status: number | null; stderr: string }, out: string): string[] => {
    expect([r.status, r.stderr]).toEqual([2, '']);
    return readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1));
  };
  const together = (sum: string): string => `--caller-fee: with --performance-fee must leave the LP part of each claim; together ${sum}`;

  it('regression: found by review: a base config that resolves runs the sweep whatever the order of an axis\'s values (--performance-fee 0.5 --caller-fee with 9 values was refused: "together 1.1", only 5 of them probed; 0.6,0.1 ran)', () => {
    for (const [name, fees] of [['given', NINE], ['reversed', NINE.split(',').reverse().join(',')], ['two', '0.6,0.1']] as const) {
      const out = join(tmp, `probe-cf-${name}`);
      const r = ammsim('sweep', '--prices', SAMPLE, ...mining, '--performance-fee', '0.5', '--caller-fee', fees, '--workers', '1', '--out', out);
      const errors = errorsOf(r, out);
      expect([name, errors.length, errors.filter((e) => e === '').length]).toEqual([name, fees.split(',').length, fees.split(',').filter((f) => Number(f) < 0.5).length]);
      expect(errors.find((e) => e !== '')).toMatch(/^callerFee=0\.[6-9]\d*: --caller-fee: with --performance-fee must leave the LP part of each claim; together 1\.\d+$/);
    }
  });

  it('regression: found by review: a base config that fails (--tick-spacing 10 with --pool v2,v3) runs when some row can, even only at values a long axis had not probed (it was refused with the base\'s "--tick-spacing: is a v3 setting")', () => {
    const out = join(tmp, 'probe-base-fails');
    const r = ammsim('sweep', '--prices', SAMPLE, ...mining, '--pool', 'v2,v3', '--strategy', 'range', '--width', '0.1', '--tick-spacing', '10', '--caller-fee', '0.5', '--performance-fee', NINE, '--workers', '1', '--out', out);
    const errors = errorsOf(r, out);
    expect(errors).toHaveLength(18);
    // the v3 rows at 0.1 and 0.2 ran; every v2 row failed on the spacing, every other v3 row on the fees
    const kind = (e: string): string =>
      e === '' ? 'ran' : /^pool=v2 performanceFee=[\d.]+: --tick-spacing: is a v3 setting; it needs --pool v3$/.test(e) ? 'spacing' : /^pool=v3 performanceFee=[\d.]+: --caller-fee: .* together 1(\.\d+)?$/.test(e) ? 'fees' : e;
    expect(errors.map(kind)).toEqual([...Array<string>(9).fill('spacing'), 'fees', 'fees', 'ran', 'ran', ...Array<string>(5).fill('fees')]);
  });

  it('behavior: refused when every configuration fails, quoting the one error they share, or naming the first row that fails on another besides; never for the rows probed of a grid too large to probe whole', () => {
    const refused = (out: string, ...args: string[]): string => {
      const r = ammsim('sweep', '--prices', SAMPLE, ...args, '--workers', '1', '--out', out);
      expect([r.status, r.stdout, existsSync(out)]).toEqual([1, '', false]);
      return r.stderr;
    };
    expect(refused(join(tmp, 'probe-all-fail'), ...mining, '--performance-fee', '0.5,0.6', '--caller-fee', '0.5')).toBe(`error: ${together('1')} (performanceFee=0.5); no configuration of the sweep runs (all 2 tried), 1 of them on another error, first performanceFee=0.6: ${together('1.1')}\n`);
    expect(refused(join(tmp, 'probe-base-and-rows'), '--pool', 'v2', '--tick-spacing', '10', '--fee', '0.001,0.003')).toBe('error: --tick-spacing: is a v3 setting; it needs --pool v3\n');
    // 2 × 50,001 configurations, more than are probed: the rows decide (every one fails here, each an error row)
    const out = join(tmp, 'probe-too-large');
    const r = ammsim('sweep', '--prices', SAMPLE, '--pool', 'v2', '--tick-spacing', '10,60', '--fee', '0:0.5:0.00001', '--samples', '2', '--workers', '1', '--out', out);
    expect(errorsOf(r, out).map((e) => e.replace(/^tickSpacing=\d+ fee=[\d.e-]+: /, ''))).toEqual(Array<string>(2).fill('--tick-spacing: is a v3 setting; it needs --pool v3'));
  });
});

const ETH_1D = '../shared/data/eth_usd/binance_spot_ETHUSDT_1d.csv';
describe.skipIf(!existsSync(ETH_1D))('ammsim sweep: the review\'s --caller-fee case on real prices', () => {
  it('regression: found by review: 9 caller fees beside --performance-fee 0.5 over 2018 run 9 rows, 2 of them complete (it was refused: "--caller-fee: … together 1.1")', () => {
    const prog = join(tmp, 'probe-prog-2018.json');
    writeFileSync(prog, '{"kind": "staking-rewards", "token": "UNI", "total": 200000, "start": "2018-01-01T00:00:00Z", "end": "2019-01-01T00:00:00Z", "otherStakedValue": 5000000}');
    const out = join(tmp, 'probe-cf-2018');
    const r = ammsim('sweep', '--prices', ETH_1D, '--from', '2018-01-01', '--to', '2019-01-01', '--incentive', prog, '--harvest', 'interval', '--harvest-param', 'every=7d', '--harvest-param', 'then=sell', '--performance-fee', '0.5', '--caller-fee', '0.6,0.7,0.1,0.2,0.8,0.9,0.65,0.75,0.85', '--workers', '1', '--out', out);
    expect([r.status, r.stderr]).toEqual([2, '']);
    expect(r.stdout).toContain('7 of 9 configurations failed (their rows hold the error); first: callerFee=0.6: --caller-fee: with --performance-fee must leave the LP part of each claim; together 1.1');
  });
});

describe('ammsim sweep: a --pool-liquidity-file no axis names is read before any run', () => {
  const liq = (name: string, text: string): string => {
    const f = join(tmp, name);
    writeFileSync(f, text);
    return f;
  };
  const v3 = ['--pool', 'v3', '--strategy', 'range', '--workers', '1'];
  /** exit 1, one `error:` line on stderr (returned), nothing on stdout, no output folder. */
  const refused = (out: string, ...args: string[]): string => {
    const r = ammsim('sweep', '--prices', SAMPLE, ...v3, ...args, '--out', out);
    expect([r.status, r.stdout, existsSync(out)]).toEqual([1, '', false]);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('regression: found by review: a missing or malformed file beside a --fee or --tick-spacing axis is one error line, exit 1, no folder (it was a folder of error rows: read only with the fee and tick spacing fixed)', () => {
    const missing = "error: /nonexistent.json: cannot read the liquidity file: ENOENT: no such file or directory, open '/nonexistent.json'";
    expect(refused(join(tmp, 'liq-missing-fee'), '--pool-liquidity-file', '/nonexistent.json', '--width', '0.1', '--fee', '0.0005,0.003')).toBe(missing);
    expect(refused(join(tmp, 'liq-missing-spacing'), '--pool-liquidity-file', '/nonexistent.json', '--width', '0.1', '--tick-spacing', '10,60')).toBe(missing);
    expect(refused(join(tmp, 'liq-missing-width'), '--pool-liquidity-file', '/nonexistent.json', '--width', '0.1,0.2')).toBe(missing); // as before
    const bad = liq('liq-bad.json', '{"positions": []}');
    expect(refused(join(tmp, 'liq-bad-fee'), '--pool-liquidity-file', bad, '--width', '0.1', '--fee', '0.0005,0.003')).toBe(`error: ${bad}:1: positions: must be a non-empty array of positions; was []`);
  });

  it('behavior: ticks on one fee tier\'s spacing and off another\'s fail only that tier\'s rows; on a fixed --tick-spacing (or fee) they are checked up front', () => {
    const ten = liq('liq-ten.json', '{"positions": [{"tickLower": -887270, "tickUpper": 887270, "valueQuote": 1000000}]}');
    const out = join(tmp, 'liq-ten-fee');
    const r = ammsim('sweep', '--prices', SAMPLE, ...v3, '--pool-liquidity-file', ten, '--width', '0.1', '--fee', '0.0005,0.003', '--out', out);
    expect([r.status, r.stderr]).toEqual([2, '']);
    const rows = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows[0]!.endsWith(',,')).toBe(true); // 0.05 %: spacing 10
    expect(rows[1]).toContain(`fee=0.003: ${ten}:1: positions[0].tickLower: must be an integer multiple of the tick spacing 60`);
    const off = `error: ${ten}:1: positions[0].tickLower: must be an integer multiple of the tick spacing 60 in [-887220, 887220]; was -887270`;
    expect(refused(join(tmp, 'liq-ten-spacing'), '--pool-liquidity-file', ten, '--width', '0.1', '--tick-spacing', '60', '--fee', '0.0005,0.003')).toBe(off);
    expect(refused(join(tmp, 'liq-ten-fixed-fee'), '--pool-liquidity-file', ten, '--fee', '0.003', '--width', '0.1,0.2')).toBe(off);
  });
});
