import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../sim/core/errors.ts';
import { seriesOf } from '../sim/engine/testing/engineTesting.ts';
import { backtest, runBacktest } from './backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from './config.ts';
import { createEnginePool } from './createPool.ts';

// A depth or a price the pool cannot hold is refused before the run, naming the flags or the file's row
// (runs/createPool.ts, sim/pools/priceRange.ts); a run never ends with a metric summary.json would write as null.

const cfg = (over: Record<string, unknown>): BacktestConfig => resolveBacktestConfig(over);
const tmp = mkdtempSync(join(tmpdir(), 'ammsim-range-'));
const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const hourly = (prices: readonly (number | string)[]): string => `timestamp,price\n${prices.map((p, i) => `${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${p}`).join('\n')}\n`;
const wick = file('wick.csv', hourly([2000, 2100, '1e-300', 2100]));

/** The error a call throws (or undefined). */
async function errorOf(f: () => unknown): Promise<Error | undefined> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

describe('the pool\'s depth, refused naming the flags (--exact: uint112 reserves, maxLiquidityPerTick)', () => {
  it('regression: --capital 1e12 --exact (v2; reverted UniswapV2: OVERFLOW) is a --capital error giving the largest that fits', () => {
    const make = () => createEnginePool(cfg({ capital: 1e12, exact: true }), 2000);
    expect(make).toThrow(ConfigError);
    expect(make).toThrow("--capital: with --exact, the pool's reserves (--pool-liquidity, default 20,000 × capital = 2e+16, half of it in quote, and the LP's capital: 1e+16 quote) must fit the pair's uint112: at most 5.192e+15 tokens (2^112 − 1 wei); give --capital at most 5.187e+11, or --pool-liquidity at most 1.037e+16");
    expect(createEnginePool(cfg({ capital: 5.187e11, exact: true }), 2000).price()).toBeCloseTo(2000, 6);
    expect(createEnginePool(cfg({ capital: 1e12, exact: true, poolLiquidity: 1.037e16 }), 2000).price()).toBeCloseTo(2000, 6);
    expect(() => createEnginePool(cfg({ capital: 1e12, exact: true, poolLiquidity: 2e16 }), 2000)).toThrow(/^--pool-liquidity: with --exact, the pool's reserves \(--pool-liquidity 2e\+16, .*give --pool-liquidity at most 1\.037e\+16$/);
  });

  it('regression: --pool v3 --capital 1e15 --exact (reverted: LO) is a --capital error naming maxLiquidityPerTick; the suggested capital mints', () => {
    const make = () => createEnginePool(cfg({ pool: 'v3', capital: 1e15, exact: true }), 2000);
    expect(make).toThrow("--capital: with --exact, the liquidity on a tick must fit the v3 pool's maxLiquidityPerTick (1.151e+34 raw for tick spacing 60): the background (--pool-liquidity, default 20,000 × capital = 2e+19, full range) and the LP's capital at the first price 2000 would put 2.236e+35 raw on tick -887220; give --capital at most 5.14e+13, or --pool-liquidity at most 1.027e+18");
    expect(createEnginePool(cfg({ pool: 'v3', capital: 5.14e13, exact: true }), 2000).price()).toBeCloseTo(2000, 6);
    // the float pool has no per-tick cap
    expect(createEnginePool(cfg({ pool: 'v3', capital: 1e15 }), 2000).price()).toBeCloseTo(2000, 6);
  });

  it('behavior: the float v2 pool refuses a depth whose reserves it cannot square, and a pool the LP\'s entry would move past 1e16×', () => {
    expect(() => createEnginePool(cfg({ poolLiquidity: 1e300 }), 2000)).toThrow(/^--pool-liquidity: the pool's reserves \(--pool-liquidity 1e\+300, .*at most 1e\+150 tokens/);
    expect(() => createEnginePool(cfg({ poolLiquidity: 1e-300 }), 2000)).toThrow(/^--pool-liquidity: 1e-300 is too shallow for --capital 10000 on a float v2 pool/);
    expect(() => createEnginePool(cfg({ poolLiquidity: 1e-20, capital: 1 }), 2000)).toThrow(/^--pool-liquidity: 1e-20 is too shallow for --capital 1 on a float v2 pool: the LP's entry swap \(half its capital into the pool\) would move the price ×1e\+40, more than the 1e\+16× its float maths follows; give --pool-liquidity at least 1\.001e-8, or --exact$/);
    expect(createEnginePool(cfg({ poolLiquidity: 1.001e-8, capital: 1 }), 2000).price()).toBeCloseTo(2000, 6);
  });

  it('behavior: the exact pair\'s first mint needs √(base·quote) over MINIMUM_LIQUIDITY (1,000 wei); a v3 background past the floats is a flag error', () => {
    expect(() => createEnginePool(cfg({ poolLiquidity: 2e-16, exact: true }), 1)).toThrow(/^--pool-liquidity: with --exact, the pair's first mint locks 1,000 wei of √\(base·quote\) \(MINIMUM_LIQUIDITY\)/);
    expect(() => createEnginePool(cfg({ pool: 'v3', poolLiquidity: 1e300 }), 1e-30)).toThrow(/^--pool-liquidity: the background \(--pool-liquidity 1e\+300, full range\) at the first price 1e-30 would be v3 liquidity L = Infinity, past the largest float/);
    expect(() => createEnginePool(cfg({ pool: 'v3', poolLiquidity: 1e-20, exact: true }), 1e30)).toThrow(/less than one raw unit \(1e-18\), which the exact pool cannot mint/);
  });
});

describe('a price the pool cannot hold, refused before the run at its row', () => {
  it('regression: a one-row wick to 1e-300 with --pool v3 ("LP beat holding by 1.2978e+22", exit 0) names the file, line and field', async () => {
    for (const exact of [false, true]) {
      const err = await errorOf(() => backtest({ prices: wick, pool: 'v3', exact }));
      expect(err).toBeInstanceOf(InputError);
      expect(err!.message).toBe(`${wick}:4: price: must be within 2.939e-39 … 3.403e+38 for a v3 pool (1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals); was 1e-300`);
    }
  });

  it('regression: the same wick with --pool v2 --exact (RangeError from sizeToPrice) and with the float v2 pool (lvr null) names the row', async () => {
    expect((await errorOf(() => backtest({ prices: wick, pool: 'v2', exact: true })))?.message).toMatch(new RegExp(`^${wick}:4: price: must be within 1\\.855e-19 … 5\\.391e\\+18 for a v2 --exact pool`));
    expect((await errorOf(() => backtest({ prices: file('wick40.csv', hourly([2000, 2100, '1e-40', 2100])), pool: 'v2' })))?.message).toMatch(/wick40\.csv:4: price: must move by at most 1e\+16× from the row before for a v2 pool .*; was 1e-40 after 2100 \(×4\.762e-44\)$/);
  });

  it('regression: a first price out of range (v3: "error: price: …" with no file or line) names line 2', async () => {
    const first = file('first.csv', hourly(['1e-200', '1e-200']));
    expect((await errorOf(() => backtest({ prices: first, pool: 'v3' })))?.message).toMatch(new RegExp(`^${first}:2: price: must be within 2\\.939e-39`));
    const tiny = file('tiny.csv', hourly(['1e-300', '1e-300']));
    expect((await errorOf(() => backtest({ prices: tiny })))?.message).toMatch(new RegExp(`^${tiny}:2: price: must be within 1e-142 … 1e\\+158 as the first price of a v2 pool of this depth`));
  });

  it('behavior: a resampled step names the row whose price it carries (the last of its bucket)', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString()},${i === 100 ? '1e-300' : 2000}`);
    const minutes = file('minutes.csv', `timestamp,price\n${rows.join('\n')}\n`);
    // 01:40 is no bucket's last row: the hourly series never sees it
    expect((await backtest({ prices: minutes, pool: 'v3', resample: '1h' })).summary.steps).toBe(2);
    rows[119] = `${new Date(Date.UTC(2024, 0, 1, 1, 59)).toISOString()},1e-300`;
    const last = file('minutes2.csv', `timestamp,price\n${rows.join('\n')}\n`);
    expect((await errorOf(() => backtest({ prices: last, pool: 'v3', resample: '1h' })))?.message).toMatch(new RegExp(`^${last}:121: price: must be within`));
  });

  it('behavior: a pair derived with --divide-by names the numerator\'s row and gives both prices', async () => {
    const num = file('num.csv', hourly([2000, 2100, 2100, 2100]));
    const den = file('den.csv', hourly([1, 1, '2.1e303', 1]));
    const err = await errorOf(() => backtest({ prices: num, divideBy: den, pool: 'v3' }));
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toBe(`${num}:4: price: must be within 2.939e-39 … 3.403e+38 for a v3 pool (1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals); was 1e-300 (the derived pair: 2100 here ÷ 2.1e+303 at ${den}:4)`);
  });

  it('behavior: a series made in code is named by its row', async () => {
    const err = await errorOf(() => runBacktest(cfg({ pool: 'v3' }), seriesOf([2000, 2100, 1e-300])));
    expect(err?.message).toBe('test series: row 3: price: must be within 2.939e-39 … 3.403e+38 for a v3 pool (1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals); was 1e-300');
  });

  it('behavior: prices the pool can hold run as before (a wick to 1e-10 on every pool), every metric finite', async () => {
    const ok = file('ok.csv', hourly([2000, 2100, '1e-10', 2100]));
    for (const [pool, exact] of [['v2', false], ['v2', true], ['v3', false], ['v3', true]] as const) {
      const r = await backtest({ prices: ok, pool, exact });
      for (const [k, v] of Object.entries(r.summary)) if (typeof v === 'number') expect(Number.isFinite(v), `${pool}${exact ? ' exact' : ''}: ${k} = ${v}`).toBe(true);
    }
  });
});

describe('CLI: one error line, exit 1, no trace, no summary.json', () => {
  const ammsim = (...args: string[]) => spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AMMSIM_NO_CACHE: '1' } });

  it('regression: backtest --prices wick.csv --pool v3 (exit 0, "LP beat holding by 1.2978e+22")', () => {
    const out = join(tmp, 'cli-wick');
    const r = ammsim('backtest', '--prices', wick, '--pool', 'v3', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: ${wick}:4: price: must be within 2.939e-39 … 3.403e+38 for a v3 pool (1.0001^±887272, the tick range of TickMath; both simulated tokens have 18 decimals); was 1e-300\n`);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('regression: backtest --capital 1e12 --exact ("error: reverted: UniswapV2: OVERFLOW")', () => {
    const r = ammsim('backtest', '--capital', '1e12', '--exact', '--out', join(tmp, 'cli-capital'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --capital: with --exact, the pool's reserves \(--pool-liquidity, default 20,000 × capital = 2e\+16, .*must fit the pair's uint112: at most 5\.192e\+15 tokens \(2\^112 − 1 wei\); give --capital at most 5\.187e\+11, or --pool-liquidity at most 1\.037e\+16\n$/);
  });
});
