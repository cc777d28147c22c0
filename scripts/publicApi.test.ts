import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../index.ts';

const root = resolve('.');

/** A new npm project beside nothing of ours, with ammsim installed as `npm install <checkout>` does (a link). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-api-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'ammsim'), 'dir');
  return dir;
}

describe('public API (package.json exports ".")', () => {
  it('pins the root entry\'s named exports', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AmmsimError', 'BACKTEST_DEFAULTS', 'BUILTIN_STRATEGIES', 'COMPARE_DEFAULTS', 'ConfigError', 'Grid', 'InputError', 'NO_ACTIONS', 'NO_SWAPS', 'PoolError', 'Rng',
        'StrategyError', 'TIMESERIES_COLUMNS', 'V2Pair', 'V3Pool', 'backtest', 'compare', 'defineStrategy', 'fullMath', 'liquidityMath',
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
});
