import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../index.ts';

const root = resolve('.');

/** The TypeScript compiler's entry script (run with this Node). */
function tscBin(): string {
  const req = createRequire(import.meta.url);
  return join(dirname(req.resolve('typescript/package.json')), (req('typescript/package.json') as { bin: { tsc: string } }).bin.tsc);
}

/**
 * A new npm project beside nothing of ours, with ammsim installed as `npm install <checkout>` does (a link); an ES
 * module project, or a CommonJS one as `npm init` writes it (no `type`).
 */
function project(type: 'module' | 'commonjs' = 'module'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-api-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, ...(type === 'module' ? { type } : {}) }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'ammsim'), 'dir');
  return dir;
}

describe('public API (package.json exports ".")', () => {
  it('pins the root entry\'s named exports', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AmmsimError', 'BACKTEST_DEFAULTS', 'BUILTIN_STRATEGIES', 'COMPARE_DEFAULTS', 'ConfigError', 'Grid', 'InputError', 'NO_ACTIONS', 'NO_SWAPS', 'PoolError', 'Rng',
        'StrategyError', 'SweepInterrupted', 'TIMESERIES_COLUMNS', 'V2Pair', 'V3Pool', 'backtest', 'compare', 'defineStrategy', 'fullMath', 'liquidityMath',
        'loadConfiguredSeries', 'loadRunInputs', 'loadSeries', 'loadStrategy', 'makeSeries', 'resolveBacktestConfig', 'runBacktest', 'runEngine',
        'sqrtPriceMath', 'sweep', 'swapMath', 'tickMath', 'v2Math',
      ].sort(),
    );
  });

  it('behavior: plain Node (.mjs, no tsx) imports backtest and defineStrategy from "ammsim" and runs a user strategy object', () => {
    const dir = project();
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { backtest, defineStrategy, tickMath } from 'ammsim';
const mine = defineStrategy({ name: 'mine', description: 'full range', defaults: {}, create: () => ({ id: 'mine', params: {}, onStart: () => [{ kind: 'mint', range: null }], onStep: () => [] }) });
const plain = { name: 'plain', create: () => ({ id: 'plain', params: {}, onStart: () => [{ kind: 'mint', range: null }], onStep: () => [] }) };
const a = await backtest({ strategy: mine, pool: 'v3' });
const b = await backtest({ strategy: plain, pool: 'v3' });
const c = await backtest({ strategy: 'full-range', pool: 'v3' });
console.log(JSON.stringify([a.summary.strategyName, b.summary.strategyName, a.summary.finalValue === c.summary.finalValue, a.timeseries.price.length, String(tickMath.getSqrtRatioAtTick(0))]));
`,
    );
    const r = spawnSync(process.execPath, ['run.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['mine', 'plain', true, 8760, '79228162514264337593543950336']);
  });

  it('behavior: a sweep (a Grid of axes) and a compare (COMPARE_DEFAULTS) run from the package, typed', () => {
    const dir = project();
    writeFileSync(
      join(dir, 's.ts'),
      `import { compare, COMPARE_DEFAULTS, Grid, loadSeries, resolveBacktestConfig, sweep, type Axis } from 'ammsim';
const base = resolveBacktestConfig({ pool: 'v3', strategy: 'range' });
const series = await loadSeries(undefined, { synthetic: { seed: 42 } });
const axes: Axis[] = [{ name: 'width', values: [0.05, 0.2] }];
const out = await sweep(base, new Grid(axes), series, { workers: 1 });
const c = await compare({ backtest: base, strategies: ['range'], widths: undefined, options: { ...COMPARE_DEFAULTS, stakingApr: 0.04 }, aprSeries: undefined, lstSeries: undefined }, series);
console.log(JSON.stringify([out.rows.length, out.failed, typeof c.summary.lp]));
`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['s.ts'] }));
    const req = createRequire(import.meta.url);
    const tsc = join(dirname(req.resolve('typescript/package.json')), (req('typescript/package.json') as { bin: { tsc: string } }).bin.tsc);
    expect(() => execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: dir, encoding: 'utf8' })).not.toThrow();
    const esbuild = join(dirname(req.resolve('esbuild/package.json')), 'bin', 'esbuild');
    execFileSync(esbuild, ['s.ts', '--outfile=s.mjs', '--format=esm', '--platform=node', '--log-level=warning'], { cwd: dir });
    const r = spawnSync(process.execPath, ['s.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([2, 0, 'object']);
  });

  it('behavior: TypeScript sees the types (strict, NodeNext)', () => {
    const dir = project();
    writeFileSync(
      join(dir, 't.ts'),
      `import { backtest, defineStrategy, type LpAction, type StrategyContext, type Summary } from 'ammsim';
const s = defineStrategy({ name: 'mine', description: 'x', defaults: { w: 0.1 }, create: (p) => ({ id: 'mine', params: p, onStart: (_c: StrategyContext): LpAction[] => [{ kind: 'mint', range: null }], onStep: () => [] }) });
const r = await backtest({ strategy: s, pool: 'v3', capital: 5000 });
const v: Summary = r.summary;
// @ts-expect-error: an unknown pool kind is a type error
await backtest({ pool: 'v9' });
console.log(v.finalValue);
`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['t.ts'] }));
    const req = createRequire(import.meta.url);
    const tsc = join(dirname(req.resolve('typescript/package.json')), (req('typescript/package.json') as { bin: { tsc: string } }).bin.tsc);
    expect(() => execFileSync(process.execPath, [tsc, '-p', '.'], { cwd: dir, encoding: 'utf8' })).not.toThrow();
  });

  it('behavior: a CommonJS project (npm init\'s default) requires "ammsim": plain Node and TypeScript compiled to CommonJS', () => {
    const dir = project('commonjs');
    writeFileSync(join(dir, 'run.js'), `const { backtest, tickMath } = require('ammsim');\nbacktest({ pool: 'v3', strategy: 'full-range' }).then((r) => console.log(JSON.stringify([r.summary.strategyName, String(tickMath.getSqrtRatioAtTick(0))])));\n`);
    const r = spawnSync(process.execPath, ['run.js'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['full-range', '79228162514264337593543950336']);
    writeFileSync(
      join(dir, 't.ts'),
      `import { backtest, type Summary } from 'ammsim';\nasync function main(): Promise<void> {\n  const s: Summary = (await backtest({ pool: 'v2', strategy: 'hold' })).summary;\n  process.stdout.write(JSON.stringify(s.strategyName));\n}\nvoid main();\n`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [], outDir: 'out' }, files: ['t.ts', 'node.d.ts'] }));
    writeFileSync(join(dir, 'node.d.ts'), 'declare const process: { stdout: { write(s: string): void } };\n');
    execFileSync(process.execPath, [tscBin(), '-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect(readFileSync(join(dir, 'out', 't.js'), 'utf8')).toMatch(/require\("ammsim"\)/);
    const t = spawnSync(process.execPath, [join('out', 't.js')], { cwd: dir, encoding: 'utf8' });
    expect(t.stderr).toBe('');
    expect(JSON.parse(t.stdout)).toBe('hold');
  });

  it('behavior: the declarations need no DOM or Node types (lib ES2022, types [], skipLibCheck false)', () => {
    const dir = project();
    writeFileSync(
      join(dir, 't.ts'),
      `import { sweep, SweepInterrupted, AmmsimError, type RunSweepOptions } from 'ammsim';\n` +
        `const signal: RunSweepOptions['signal'] = { aborted: false, addEventListener: () => undefined };\n` +
        `export const checks: [typeof sweep, AmmsimError, RunSweepOptions] = [sweep, new SweepInterrupted(1, 2, undefined), { signal }];\n`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['t.ts'] }));
    const r = spawnSync(process.execPath, [tscBin(), '-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('error: makeSeries refuses a series the engine cannot run (an InputError naming the row and column)', () => {
    const ts = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
    const make = (t: Float64Array, p: Float64Array, extra = new Map<string, Float64Array>()): api.PriceSeries => api.makeSeries(t, p, extra, { kind: 'mine', sha256: '' });
    const bad: Array<[string, () => unknown, string]> = [
      ['NaN price', () => make(ts(3), Float64Array.of(1, NaN, 1)), 'mine series: row 2: price: must be a finite number > 0; was NaN'],
      ['zero price', () => make(ts(3), Float64Array.of(1, 1, 0)), 'mine series: row 3: price: must be a finite number > 0; was 0'],
      ['negative price', () => make(ts(2), Float64Array.of(-5, 1)), 'mine series: row 1: price: must be a finite number > 0; was -5'],
      ['infinite price', () => make(ts(2), Float64Array.of(1, Infinity)), 'mine series: row 2: price: must be a finite number > 0; was Infinity'],
      ['time going back', () => make(ts(3).reverse(), Float64Array.of(1, 1, 1)), 'mine series: row 2: timestampMs: must be strictly increasing; was 2024-01-01T01:00:00.000Z, earlier than row 1 (2024-01-01T02:00:00.000Z)'],
      ['a repeated time', () => make(Float64Array.of(0, 0), Float64Array.of(1, 1)), 'mine series: row 2: timestampMs: must be strictly increasing; was 1970-01-01T00:00:00.000Z, the same time as row 1'],
      ['columns of other lengths', () => make(ts(2), Float64Array.of(1, 1, 1)), 'mine series: timestampMs: must have one value per price (3); has 2'],
      ['an extra column of another length', () => make(ts(2), Float64Array.of(1, 1), new Map([['volume', Float64Array.of(1)]])), 'mine series: volume: must have one value per price (2); has 1'],
      ['no rows', () => make(ts(0), Float64Array.of()), 'mine series: rows: must have at least one row; found none'],
    ];
    for (const [what, f, message] of bad) {
      expect(f, what).toThrow(api.InputError);
      expect(f, what).toThrow(message);
    }
  });

  it('error: an aborted sweep rejects with SweepInterrupted, an AmmsimError (an AbortSignal or any { aborted, addEventListener })', async () => {
    const base = api.resolveBacktestConfig({ pool: 'v2', strategy: 'range' });
    const series = await api.loadSeries(undefined, { synthetic: { seed: 1, steps: 50 } });
    const grid = new api.Grid([{ name: 'width', values: [0.05, 0.2] }]);
    const ctl = new AbortController();
    ctl.abort();
    for (const signal of [ctl.signal, { aborted: true, addEventListener: () => undefined }]) {
      const err = await api.sweep(base, grid, series, { workers: 1, signal }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(api.SweepInterrupted);
      expect(err).toBeInstanceOf(api.AmmsimError);
      expect(err).toMatchObject({ name: 'SweepInterrupted', code: 'INTERRUPTED', done: 0, total: 2, message: 'interrupted: 0 of 2 configurations finished' });
    }
  });

  it('behavior: BUILTIN_STRATEGIES is read-only: a caller cannot re-route a built-in name', async () => {
    const m = api.BUILTIN_STRATEGIES as unknown as Map<string, unknown>;
    expect(() => m.set('full-range', api.BUILTIN_STRATEGIES.get('hold'))).toThrow(TypeError);
    expect(() => m.clear()).toThrow(TypeError);
    const { summary } = await api.backtest({ pool: 'v3', strategy: 'full-range' });
    expect(summary.strategyName).toBe('full-range');
  });
});

/** The error a call rejects with (undefined when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => undefined, (e: unknown) => e);
}

describe('the library refuses what the CLI refuses (never runs with an option ignored)', () => {
  const base = api.resolveBacktestConfig({});
  const builtIn = api.loadSeries(undefined); // the CLI's built-in series (seed 42)

  it('error: a sweep with a seed axis over the built-in series (each row would be seed 42\'s path, labelled seed=2)', async () => {
    const err = await rejection(api.sweep(base, new api.Grid([{ name: 'seed', values: [2] }]), await builtIn, { workers: 1 }));
    expect(err).toBeInstanceOf(api.ConfigError);
    expect((err as Error).message).toBe('--seed: with the built-in series (no --prices) the seed also draws the price path, which a sweep loads once for all its rows: sweep --seed over a --prices file, or run one sweep per seed');
    // over a series of one's own (not the synthetic one) the seed draws only the noise, as a backtest over it would
    const own = api.makeSeries(Float64Array.from({ length: 30 }, (_, i) => i * 3_600_000), Float64Array.from({ length: 30 }, (_, i) => 2000 + 10 * Math.sin(i)), new Map(), { kind: 'mine', sha256: '' });
    const out = await api.sweep(api.resolveBacktestConfig({ noiseRate: 1 }), new api.Grid([{ name: 'seed', values: [1, 2] }]), own, { workers: 1 });
    expect([out.rows.length, out.failed]).toEqual([2, 0]);
  });

  it('error: a Grid axis that is not a sweepable key (a typo, a data key) or values of the wrong type; a flag spelling reads as its key', () => {
    expect(() => new api.Grid([{ name: 'widht', values: [0.1] }])).toThrow(api.ConfigError);
    expect(() => new api.Grid([{ name: 'widht', values: [0.1] }])).toThrow(/^Grid: "widht" is not a sweepable flag; did you mean "width"\? \(axes: /);
    expect(() => new api.Grid([{ name: 'prices', values: ['a.csv'] }])).toThrow('Grid: --prices describes the data, which is loaded once per sweep; it cannot be an axis');
    expect(() => new api.Grid([{ name: 'incentives', values: ['a.json'] }])).toThrow(/it cannot be an axis/);
    expect(() => new api.Grid([{ name: 'width', values: ['0.1'] }])).toThrow('--width: values must be finite numbers; was "0.1"');
    expect(() => new api.Grid([{ name: 'width', values: [NaN] }])).toThrow('--width: values must be finite numbers; was NaN');
    expect(() => new api.Grid([{ name: 'exact', values: ['true'] }])).toThrow('--exact: values must be booleans; was "true"');
    expect(() => new api.Grid([{ name: 'width', values: [0.1, 0.1] }])).toThrow('--width: value 0.1 appears twice');
    expect(() => new api.Grid([{ name: 'params.stop', values: [1, 'x'] }])).toThrow(/values of --param stop must all be of one type/);
    expect(new api.Grid([{ name: 'pool-liquidity', values: [1e6] }, { name: 'param.stop', values: [0.1] }]).axes.map((a) => a.name)).toEqual(['poolLiquidity', 'params.stop']);
    expect(() => new api.Grid([{ name: 'width', values: [0.1] }, { name: 'width', values: [0.2] }])).toThrow('--width: is given as an axis twice');
  });

  it('error: sweep workers that are not an integer in [1, 1024] (NaN resolved with no rows), an unknown option, fee model all', async () => {
    const series = await api.loadSeries(undefined, { synthetic: { seed: 1, steps: 50 } });
    const grid = new api.Grid([{ name: 'width', values: [0.05, 0.2] }]);
    for (const workers of [NaN, 2.5, -1, 0, 1e9, Infinity]) {
      const err = await rejection(api.sweep(base, grid, series, { workers }));
      expect(err, String(workers)).toBeInstanceOf(api.ConfigError);
      expect((err as Error).message).toBe(`--workers: must be an integer in [1, 1024]; was ${workers}`);
    }
    const typo = await rejection(api.sweep(base, grid, series, { worker: 1 } as unknown as api.RunSweepOptions));
    expect((typo as Error).message).toBe('sweep options: unknown key "worker"; did you mean "workers"? (options: workers, shard, dir, onProgress, signal)');
    const shard = await rejection(api.sweep(base, grid, series, { workers: 1, shard: { index: 3, count: 3 } }));
    expect((shard as Error).message).toMatch(/^--shard: must be \{ index, count \} with 0 ≤ index < count/);
    const all = await rejection(api.sweep({ ...base, feeModel: 'all' }, grid, series, { workers: 1 }));
    expect((all as Error).message).toMatch(/^--fee-model: all puts the three models side by side/);
  });

  it('error: backtest with an aborted signal rejects (code INTERRUPTED, as a sweep) instead of running', async () => {
    const ctl = new AbortController();
    ctl.abort();
    let steps = 0;
    const err = await rejection(api.backtest({}, { signal: ctl.signal, onProgress: (d) => (steps = d) }));
    expect(err).toBeInstanceOf(api.AmmsimError);
    expect(err).toMatchObject({ code: 'INTERRUPTED', message: "interrupted: the backtest's signal was aborted before it ran" });
    expect(steps).toBe(0);
    // aborted once the run has started (here by the strategy): stopped at the next progress tick, not run to the end
    const late = new AbortController();
    const aborting = api.defineStrategy({ name: 'aborting', description: '', defaults: {}, create: () => ({ id: 'aborting', params: {}, onStart: () => (late.abort(), [{ kind: 'mint', range: null }]), onStep: () => [] }) });
    const during = await rejection(api.backtest({ strategy: aborting }, { signal: late.signal }));
    expect(during).toMatchObject({ code: 'INTERRUPTED', message: 'interrupted: the backtest stopped by its signal after 0 of 8,760 steps' });
    const fine = await api.backtest({}, { signal: new AbortController().signal });
    expect(fine.summary.steps).toBe(8760);
  });

  it('error: backtest options with an unknown key (a typo of onProgress), and the input\'s csv, which backtest() does not write', async () => {
    const bogus = await rejection(api.backtest({}, { bogus: 1 } as unknown as api.BacktestOptions));
    expect(bogus).toBeInstanceOf(api.ConfigError);
    expect((bogus as Error).message).toBe('backtest options: unknown key "bogus" (options: onProgress, columns, seedUsedElsewhere, signal, gas, poolEvents, poolEventsFile, warnings)');
    const typo = await rejection(api.backtest({}, { onProgres: () => undefined } as unknown as api.BacktestOptions));
    expect((typo as Error).message).toMatch(/^backtest options: unknown key "onProgres"; did you mean "onProgress"\?/);
    const csv = await rejection(api.backtest({ csv: true }));
    expect(csv).toBeInstanceOf(api.ConfigError);
    expect((csv as Error).message).toBe('backtest: "csv" is a command-line flag only; give --csv to ammsim backtest (backtest() resolves to the timeseries and writes no file)');
    // as out and json are
    expect(((await rejection(api.backtest({ out: 'x' } as api.BacktestInput))) as Error).message).toBe('backtest: "out" is a command-line flag only; give --out DIR');
    // a run's summary.json config (csv: false) is given back as is
    const r = await api.backtest({ pool: 'v3' });
    expect((r.summary.config as { csv: unknown }).csv).toBe(false);
    expect((await api.backtest(r.summary.config as api.BacktestInput)).summary.finalValue).toBe(r.summary.finalValue);
  });

  it('error: compare options the CLI refuses (--paths -1, 1.5), an unknown key, a path setting without paths', async () => {
    const series = await api.loadSeries(undefined, { synthetic: { seed: 1, steps: 50 } });
    const cfg = (options: Record<string, unknown>, extra: Record<string, unknown> = {}): api.CompareConfig =>
      ({ backtest: base, strategies: ['full-range'], widths: undefined, options: { ...api.COMPARE_DEFAULTS, ...options }, aprSeries: undefined, lstSeries: undefined, ...extra }) as api.CompareConfig;
    for (const paths of [-1, 1.5, 100_001, NaN]) {
      const err = await rejection(api.compare(cfg({ paths }), series));
      expect(err, String(paths)).toBeInstanceOf(api.ConfigError);
      expect((err as Error).message).toBe(`--paths: must be an integer in [0, 100000]; was ${paths}`);
    }
    expect(((await rejection(api.compare(cfg({ path: 3 }), series))) as Error).message).toBe('compare: options: unknown key "path"; did you mean "paths"?');
    expect(((await rejection(api.compare(cfg({ pathsMethod: 'bootstrap' }), series))) as Error).message).toBe('--paths-method: applies to the what-if paths; give --paths N (or leave it out)');
    expect(((await rejection(api.compare(cfg({}, { width: [0.1] }), series))) as Error).message).toMatch(/^compare: unknown key "width"; did you mean "widths"\?/);
    const ok = await api.compare(cfg({ paths: 2 }), series);
    expect((ok.summary as unknown as { whatIf: { paths: number } }).whatIf.paths).toBe(2);
  });
});
