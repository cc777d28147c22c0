import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../sim/core/errors.ts';
import { describeError } from './cli.ts';
import { runCliInProcess } from './testing/runCliInProcess.ts';

/**
 * The CLI's own behaviour around commands (scripts/cli.ts): output paths checked before the run (issue #11
 * item 4) and no temporary file left behind on Ctrl-C / SIGTERM (item 6). Spawns the built CLI like a user.
 */

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ammsim(args: string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

describe('--out is checked before the run: one error line, exit 1, nothing written', () => {
  const file = join(tmp, 'a-file.txt');
  writeFileSync(file, 'not a folder');
  const folder = join(tmp, 'a-folder');
  mkdirSync(folder);

  // every command that writes a folder, given an existing file (today: EEXIST stack trace after the whole run)
  it.each([['backtest'], ['compare'], ['sweep', '--fee', '0.003,0.01']])('error: %s --out EXISTING_FILE', (...cmd) => {
    const r = ammsim([...cmd, '--out', file]);
    expect(r.stderr).toBe(`error: --out: must be a folder (the output is several files); ${JSON.stringify(file)} is an existing file\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('error: backtest --out through a file names the file', () => {
    const r = ammsim(['backtest', '--out', join(file, 'run')]);
    expect(r.stderr).toBe(`error: --out: cannot be created: ${JSON.stringify(file)} is a file, not a folder\n`);
    expect(r.status).toBe(1);
  });

  it.skipIf(!existsSync('/proc/self'))('error: backtest --out /proc/x fails at once (it spun at 100 % CPU forever)', () => {
    const r = ammsim(['backtest', '--out', '/proc/x'], 30_000);
    expect(r.signal, 'killed by the test timeout: the spin is back').toBeNull();
    expect(r.stderr).toBe('error: --out: must be on a normal filesystem; "/proc" is on proc (a virtual filesystem), which holds no files\n');
    expect(r.status).toBe(1);
  });

  it('error: commands that write one file refuse an existing folder (replay, replay-real, report)', () => {
    // the events file need not exist: --out is checked first
    const replay = join(tmp, 'events.jsonl');
    writeFileSync(replay, '');
    for (const cmd of [
      ['replay', '--events', replay],
      ['replay-real', '--events', join(tmp, 'events.csv')],
      ['report', '--run', tmp],
    ]) {
      const r = ammsim([...cmd, '--out', folder]);
      expect(r.stderr, cmd[0]).toBe(`error: --out: must be a file; ${JSON.stringify(folder)} is an existing folder\n`);
      expect(r.status, cmd[0]).toBe(1);
    }
    expect(readdirSync(folder)).toEqual([]);
  });
});

/** A price CSV of `n` minute rows (a deterministic zig-zag walk), big enough for a write phase of ~1 s. */
function minuteCsv(path: string, n: number): void {
  const rows = ['timestamp,price'];
  let p = 2000;
  for (let i = 0; i < n; i++) {
    p *= 1 + ((((i * 7919) % 101) - 50) / 50) * 0.001;
    rows.push(`${1704067200 + 60 * i},${p.toFixed(4)}`);
  }
  writeFileSync(path, rows.join('\n') + '\n');
}

/** Exit status as a shell reports it: the code, or 128 + the number of the signal that ended the process. */
const shellStatus = (code: number | null, signal: NodeJS.Signals | null): number | null => code ?? (signal === null ? null : 128 + constants.signals[signal]);

/**
 * Runs a backtest into `out` and sends `signal` as soon as a temporary file (`.NAME.PID.tmp`) appears there,
 * or after `afterMs` when given (while it is still computing). Resolves with how it ended.
 */
function interrupt(prices: string, out: string, signal: NodeJS.Signals, afterMs?: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; sawTemp: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/ammsim.mjs', 'backtest', '--prices', prices, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let sawTemp: string[] = [];
    let sent = false;
    const send = (): void => {
      if (sent) return;
      sent = true;
      child.kill(signal);
    };
    const poll = setInterval(() => {
      if (afterMs !== undefined || sent || !existsSync(out)) return;
      const temps = readdirSync(out).filter((f) => f.endsWith('.tmp'));
      if (temps.length > 0) {
        sawTemp = temps;
        send();
      }
    }, 2);
    const timer = afterMs === undefined ? undefined : setTimeout(send, afterMs);
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
      resolve({ status: shellStatus(code, sig), signal: sig, sawTemp, stderr });
    });
  });
}

describe('a flag given twice is refused by name in every command (scripts/cli.ts refuseRepeatedFlags)', () => {
  const twice = (flag: string, a: string, b: string): string => `error: --${flag}: given 2 times (${JSON.stringify(a)}, ${JSON.stringify(b)}); give it once\n`;
  const d = join(tmp, 'twice');
  it.each([
    [['backtest', '--fee', '0.003', '--fee', '0.001', '--out', d], twice('fee', '0.003', '0.001')],
    [['compare', '--strategy', 'range', '--strategy', 'hold', '--out', d], twice('strategy', 'range', 'hold')],
    [['sweep', '--width', '0.1', '--width', '0.2', '--out', d], twice('width', '0.1', '0.2')],
    [['sweep', 'merge', 'a', 'b', '--out', `${d}/x`, '--out', `${d}/y`], twice('out', `${d}/x`, `${d}/y`)],
    [['replay', '--events', 'a.jsonl', '--events', 'b.jsonl'], twice('events', 'a.jsonl', 'b.jsonl')],
    [['replay-real', '--events', 'a.csv', '--from', '2024-01-05', '--from', '2024-01-06'], twice('from', '2024-01-05', '2024-01-06')],
    [['validate', '--events', 'a.csv', '--tol', '1', '--tol', '2', '--all'], twice('tol', '1', '2')],
    [['report', '--run', d, '--out', `${d}/a.html`, '--out', `${d}/b.html`], twice('out', `${d}/a.html`, `${d}/b.html`)],
    [['il', '--price', '2000', '--price', '3000'], twice('price', '2000', '3000')],
    [['apy', '--apr', '0.3', '--apr', '0.4'], twice('apr', '0.3', '0.4')],
    [['data', 'fetch', 'binance', '--symbol', 'ETHUSDT', '--start', '2024-01-01', '--start', '2024-01-02', '--end', '2024-02-01', '--out', `${d}/e.arrow`], twice('start', '2024-01-01', '2024-01-02')],
    [['data', 'fetch', 'pool-events', '--rpc', 'http://127.0.0.1:9/', '--pool', '0x1', '--pool', '0x2', '--from-block', '1', '--to-block', '2', '--out', `${d}/p.arrow`], twice('pool', '0x1', '0x2')],
  ])('%j', async (args, message) => {
    const r = await runCliInProcess(args);
    expect([r.code, r.stderr]).toEqual([1, message]);
    expect(existsSync(d)).toBe(false); // nothing written, not even a folder named "a,b"
  });

  it('behavior: flags that take several values (--param, --incentive, report --run, validate --position) still do', async () => {
    const r = await runCliInProcess(['backtest', '--strategy', 'range', '--param', 'width=0.1', '--param', 'nope=1', '--out', d]);
    expect(r.stderr).toBe('error: --param: strategy "range" has no parameter "nope" (parameters: width)\n');
    // the same parameter twice is refused like a flag twice (the last one silently won)
    const twiceParam = await runCliInProcess(['backtest', '--strategy', 'range', '--param', 'width=0.1', '--param', 'width=0.2', '--out', d]);
    expect(twiceParam.stderr).toBe('error: --param: width is given twice (width=0.1, width=0.2); give each parameter once\n');
    const twiceAxis = await runCliInProcess(['sweep', '--strategy', 'range', '--param', 'width=0.1,0.2', '--param', 'width=0.3', '--out', d]);
    expect(twiceAxis.stderr).toBe('error: --param: width is given twice (width=0.1,0.2, width=0.3); give each parameter once, with all its values (width=v1,v2)\n');
    expect(existsSync(d)).toBe(false);
  });
});

describe('a number flag given without a number is refused by name in every command (scripts/cli.ts)', () => {
  const d = join(tmp, 'nonumber');
  it.each([
    // yargs read --seed= as 0 (the default is 42) and a bare --capital as not given (the default ran)
    [['backtest', '--seed=', '--out', d], 'error: --seed: must be a number; was ""\n'],
    [['backtest', '--capital', '--out', d], 'error: --capital: needs a value (a number)\n'],
    [['backtest', '--gas-price', '--pool', 'v3', '--out', d], 'error: --gas-price: needs a value (a number)\n'],
    [['backtest', '--gasPrice=x', '--out', d], 'error: --gasPrice: must be a number; was "x"\n'],
    [['compare', '--capital', '--out', d], 'error: --capital: needs a value (a number)\n'],
    [['sweep', '--width', '0.1,0.2', '--strategy', 'range', '--pool', 'v3', '--workers', '--out', d], 'error: --workers: needs a value (a number)\n'],
    [['sweep', '--width', '0.1,0.2', '--strategy', 'range', '--pool', 'v3', '--top', 'abc', '--out', d], 'error: --top: must be a number; was "abc"\n'],
    [['replay-real', '--events', 'a.csv', '--fee', 'abc'], 'error: --fee: must be a number; was "abc"\n'],
  ])('%j', async (args, message) => {
    const r = await runCliInProcess(args);
    expect([r.code, r.stderr]).toEqual([1, message]);
    expect(existsSync(d)).toBe(false);
  });

  it('behavior: negative numbers, lists declared as strings (compare --width) and values after = still read', async () => {
    // -Infinity is a value too (it read as the short flags -I -n -f …: "Unknown arguments: I, n, f, i, t, y")
    const inf = await runCliInProcess(['backtest', '--capital', '-Infinity', '--out', d]);
    expect(inf.stderr).toBe('error: --capital: must be > 0 and ≤ 1e15 (quote units); was -Infinity\n');
    const neg = await runCliInProcess(['backtest', '--gas-price', '-5', '--out', d]);
    expect(neg.stderr).toMatch(/^error: --gas-price: must be in \[0, 1,000,000\] gwei .*; was -5\n$/);
    const list = await runCliInProcess(['compare', '--pool', 'v3', '--strategy', 'range', '--width', '0.05,0.1', '--capital=5000', '--out', d]);
    expect([list.code, list.stderr]).toEqual([0, '']);
    rmSync(d, { recursive: true, force: true });
  });
});

describe('Ctrl-C and SIGTERM leave no temporary file', () => {
  const prices = join(tmp, 'minutes.csv');
  minuteCsv(prices, 150_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('behavior: %s while the outputs are being written removes every temp file; exit status %i', async (signal, status) => {
    const out = join(tmp, `out-${signal}`);
    const r = await interrupt(prices, out, signal);
    expect(r.sawTemp.length, 'no temporary file was seen: the run ended before the signal could be sent').toBeGreaterThan(0);
    expect(r.sawTemp.every((f) => /^\.[\w.]+\.\d+\.[0-9a-f]{8}\.tmp$/.test(f))).toBe(true);
    expect(r.status).toBe(status);
    expect(r.stderr).toBe('');
    // the run was cut short: no temporary file, and no summary.json (it is renamed last)
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('behavior: SIGINT while still computing ends the run at once with status 130 and writes nothing', async () => {
    const out = join(tmp, 'out-early');
    const r = await interrupt(prices, out, 'SIGINT', 250);
    expect(r.status).toBe(130);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('parsed-series cache (data/io/seriesCache.ts): a second run reads the kept parse, with the same bytes out', () => {
  it('behavior: backtest, compare and sweep share one entry per file; AMMSIM_NO_CACHE=1 keeps none; outputs are identical', () => {
    const prices = join(tmp, 'cached.csv');
    const rows = ['timestamp,price,volume'];
    for (let i = 0; i < 2000; i++) rows.push(`${Date.UTC(2024, 0, 1) + i * 3_600_000},${(2000 * Math.exp(0.1 * Math.sin(i / 40))).toFixed(6)},${1000 + (i % 17) * 50}`);
    writeFileSync(prices, rows.join('\n') + '\n');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(prices, old, old); // settled: a file saved in the last 2 s is not kept
    const cache = join(tmp, 'cache');
    const files = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1')]));
    const run = (out: string, env: NodeJS.ProcessEnv): Record<string, string> => {
      const r = ammsim(['backtest', '--prices', prices, '--out', join(tmp, out)], 60_000, env);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return files(join(tmp, out));
    };
    const series = (): string[] => readdirSync(join(cache, 'series')).filter((f) => f.endsWith('.series'));
    const parsed = run('parsed', { AMMSIM_CACHE_DIR: cache });
    expect(series()).toHaveLength(1);
    const kept = run('kept', { AMMSIM_CACHE_DIR: cache });
    expect(kept).toEqual(parsed);
    const off = join(tmp, 'cache-off');
    expect(run('uncached', { AMMSIM_CACHE_DIR: off, AMMSIM_NO_CACHE: '1' })).toEqual(parsed);
    expect(existsSync(join(off, 'series'))).toBe(false);
    for (const cmd of [['compare'], ['sweep', '--fee', '0.003,0.01']]) {
      const r = ammsim([...cmd, '--prices', prices, '--out', join(tmp, `cached-${cmd[0]}`)], 60_000, { AMMSIM_CACHE_DIR: cache });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(series()).toHaveLength(1);
  });

  it('error: a malformed AMMSIM_CACHE_MAX_MB is refused by each command that keeps series, before it runs', () => {
    for (const cmd of [['backtest'], ['compare'], ['sweep', '--fee', '0.003,0.01']]) {
      const r = ammsim([...cmd, '--out', join(tmp, `bad-cache-${cmd[0]}`)], 60_000, { AMMSIM_CACHE_MAX_MB: 'lots' });
      expect(r.stderr, cmd[0]).toBe('error: AMMSIM_CACHE_MAX_MB: must be the series cache\'s size in MiB, a number ≥ 0; was "lots"\n');
      expect(r.status).toBe(1);
      expect(existsSync(join(tmp, `bad-cache-${cmd[0]}`))).toBe(false);
    }
  });
});

describe('describeError: what reaches the user as one line', () => {
  it('behavior: ammsim errors and file-system failures are one line; anything else is a bug (undefined: re-thrown with its stack)', () => {
    expect(describeError(new ConfigError('--out', 'must be a folder'))).toBe('--out: must be a folder');
    let fsErr: unknown;
    try {
      writeFileSync(join(tmp, 'no-such-folder', 'x'), 'x');
    } catch (err) {
      fsErr = err;
    }
    expect(describeError(fsErr)).toBe(`ENOENT: no such file or directory, open '${join(tmp, 'no-such-folder', 'x')}'`);
    expect(describeError(new TypeError('x is undefined'))).toBeUndefined();
  });
});

describe('a value that starts with "-" is the value of the flag before it, in every command (scripts/cli.ts joinDashValues)', () => {
  const prices = join(tmp, 'dash-prices.csv');
  const rows = ['timestamp,price'];
  for (let i = 0; i < 300; i++) rows.push(`${1704067200 + 3600 * i},${(2000 * Math.exp(0.05 * Math.sin(i / 10))).toFixed(4)}`);
  writeFileSync(prices, rows.join('\n') + '\n');
  const column = (dir: string): string[] => readFileSync(join(dir, 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);

  it('unit: --flag -1,1 becomes --flag=-1,1 for a flag that takes a value; booleans, counts, other words and words after -- are left', async () => {
    const { joinDashValues } = await import('./cli.ts');
    const args = ['sweep', '--seed', '-1,1', '--exact', '-1', '--v', '-2', '--gasPrice', '-5', '--fee=-0.1', '--shard', '-x', '--width', '-.5', '--', '--seed', '-2'];
    joinDashValues(args, { key: { seed: true, exact: true, v: true, 'gas-price': true, fee: true, shard: true, width: true }, boolean: ['exact'], count: ['v'] });
    expect(args).toEqual(['sweep', '--seed=-1,1', '--exact', '-1', '--v', '-2', '--gasPrice=-5', '--fee=-0.1', '--shard', '-x', '--width=-.5', '--', '--seed', '-2']);
  });

  it.each([
    [['--seed', '-1,1'], ['-1', '1'], 0],
    [['--seed', '-3:3:1'], ['-3', '-2', '-1', '0', '1', '2', '3'], 0],
    // the negative fee is refused in its row (exit 2), not as "Unknown argument: 1"
    [['--fee', '-0.1:0.1:0.1'], ['-0.1', '0', '0.1'], 2],
  ] as const)('behavior: sweep %j (it was "error: Unknown argument: 1")', (flags, values, status) => {
    const out = join(tmp, `dash-${flags.join('')}`);
    const r = ammsim(['sweep', '--prices', prices, ...flags, '--workers', '1', '--out', out]);
    expect([r.status, r.stderr.includes('Unknown argument')]).toEqual([status, false]);
    expect(column(out)).toEqual(values);
  });

  it('error: --shard -1/2 and backtest --seed -1,1 are refused by their own checks; --gas-price -5 still reads as a number', async () => {
    const d = join(tmp, 'dash-refused');
    const shard = await runCliInProcess(['sweep', '--fee', '0.003,0.01', '--shard', '-1/2', '--out', d]);
    expect([shard.code, shard.stderr]).toEqual([1, 'error: --shard: must be i/n with 0 ≤ i < n (e.g. 0/3 for the first of three); was "-1/2"\n']);
    const seed = await runCliInProcess(['backtest', '--seed', '-1,1', '--out', d]);
    expect([seed.code, seed.stderr]).toEqual([1, 'error: --seed: must be a number; was "-1,1"\n']);
    const gas = await runCliInProcess(['backtest', '--gas-price', '-5', '--out', d]);
    expect(gas.stderr).toMatch(/^error: --gas-price: must be in \[0, 1,000,000\] gwei .*; was -5\n$/);
    // a boolean takes no value: the word stays a word (and is refused as one)
    const exact = await runCliInProcess(['backtest', '--exact', '-1', '--out', d]);
    expect([exact.code, exact.stderr]).toEqual([1, 'error: -1: unknown argument; ammsim backtest takes no positional arguments, and --exact is on or off, with no value (--exact, --no-exact)\n']);
    expect(existsSync(d)).toBe(false);
  });

  it('behavior: words after -- are not flags (joined or not): the run ignores them as before', () => {
    const out = join(tmp, 'dash-after');
    const r = ammsim(['backtest', '--prices', prices, '--out', out, '--', '--seed', '-1,1']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { seed: number }).seed).toBe(42);
  });

  it('behavior: a subcommand\'s flags too (sweep merge --top -3,1 reaches its number check)', async () => {
    const r = await runCliInProcess(['sweep', 'merge', join(tmp, 'nothing'), '--out', join(tmp, 'dash-merged'), '--top', '-3,1']);
    expect([r.code, r.stderr]).toEqual([1, 'error: --top: must be a number; was "-3,1"\n']);
  });
});

describe('sweep: a range of more than ~110,000 values (runs/sweep/grid.ts; it overflowed the stack)', () => {
  it('behavior: --width 0:1:0.000008 --samples 2 runs two of its 125,001 configurations; sweep.json lists the whole axis', () => {
    const prices = join(tmp, 'long-prices.csv');
    const rows = ['timestamp,price'];
    for (let i = 0; i < 200; i++) rows.push(`${1704067200 + 3600 * i},${(2000 + 10 * Math.sin(i / 7)).toFixed(4)}`);
    writeFileSync(prices, rows.join('\n') + '\n');
    const out = join(tmp, 'long-range');
    const r = ammsim(['sweep', '--prices', prices, '--pool', 'v3', '--strategy', 'range', '--width', '0:1:0.000008', '--samples', '2', '--workers', '1', '--out', out]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^2 runs → /);
    const meta = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { grid: { axes: Array<{ values: number[] }>; configurations: number } };
    expect(meta.grid.configurations).toBe(2);
    expect(meta.grid.axes[0]!.values).toHaveLength(125_001);
    expect(meta.grid.axes[0]!.values.slice(0, 3)).toEqual([0, 0.000008, 0.000016]);
  });
});

describe('sweep --reward-price: a list of gbm specs keeps each spec\'s own commas (runs/sweep/grid.ts)', () => {
  const E = join(process.cwd(), '..', 'shared', 'data', 'eth_usd', 'binance_spot_ETHUSDT_1h.csv');
  const program = join(tmp, 'inc.json');
  writeFileSync(program, JSON.stringify({ kind: 'staking-rewards', token: 'UNI', total: 1000000, start: '2022-01-03T00:00:00Z', end: '2022-01-28T00:00:00Z', otherStakedValue: 500000000 }));
  const common = ['--prices', E, '--from', '2022-01-01', '--to', '2022-01-31', '--incentive', program, '--harvest', 'interval', '--harvest-param', 'then=sell'];
  const column = (dir: string): string[] => readFileSync(join(dir, 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.match(/^("[^"]*"|[^,]*)/)![1]!.replace(/^"|"$/g, ''));

  it.skipIf(!existsSync(E))('behavior: 1,gbm:sigma=0.9,rho=0.6 is two rows, the gbm row the backtest of that spec (rho 0.6 applied); two gbm specs are two rows', () => {
    const out = join(tmp, 'gbm-list');
    const r = ammsim(['sweep', ...common, '--reward-price', '1,gbm:sigma=0.9,rho=0.6', '--workers', '1', '--out', out]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const meta = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { grid: { axes: Array<{ name: string; values: unknown[] }> }; failed: number };
    expect(meta.grid.axes).toEqual([{ name: 'rewardPrice', values: ['1', 'gbm:sigma=0.9,rho=0.6'] }]);
    expect(meta.failed).toBe(0);
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    const vsHold = csv[0]!.split(',').indexOf('vsHold');
    const gbmRow = csv[2]!.match(/^"gbm:sigma=0\.9,rho=0\.6",(.*)$/)![1]!.split(',');
    const one = join(tmp, 'gbm-one');
    const b = ammsim(['backtest', ...common, '--reward-price', 'gbm:sigma=0.9,rho=0.6', '--out', one]);
    expect(b.status, b.stderr).toBe(0);
    expect(Number(gbmRow[vsHold - 1])).toBe((JSON.parse(readFileSync(join(one, 'summary.json'), 'utf8')) as { vsHold: number }).vsHold);
    const two = join(tmp, 'gbm-two');
    const r2 = ammsim(['sweep', ...common, '--reward-price', 'gbm:sigma=0.5,gbm:sigma=0.9', '--workers', '1', '--out', two]);
    expect([r2.status, r2.stderr]).toEqual([0, '']);
    expect(column(two)).toEqual(['gbm:sigma=0.5', 'gbm:sigma=0.9']);
    expect(column(out)).toEqual(['1', 'gbm:sigma=0.9,rho=0.6']);
  }, 120_000);
});

describe('--config: an unknown key is named at its line; a flag of the command is said to be one (runs/config.ts configFileKeys)', () => {
  const cfg = join(tmp, 'flag-key.json');
  writeFileSync(cfg, '{\n  "capital": 5000,\n  "samples": 3\n}\n');
  const typo = join(tmp, 'typo-key.json');
  writeFileSync(typo, '{\n  "fee": 0.003,\n  "capitol": 5000\n}\n');
  const d = join(tmp, 'cfg-out');

  it.each([
    // sweep --samples is a flag, not a config key (it was: unknown key "samples"; did you mean "resample"?, no line)
    [['sweep', '--config', cfg], `error: ${cfg}:3: samples: is a command-line flag only, not a config key; give --samples on the command line\n`],
    // backtest has no --samples: the hint as before, at the line
    [['backtest', '--config', cfg], `error: ${cfg}:3: samples: unknown key; did you mean "resample"?\n`],
    [['sweep', '--config', typo], `error: ${typo}:3: capitol: unknown key; did you mean "capital"?\n`],
    [['backtest', '--config', typo], `error: ${typo}:3: capitol: unknown key; did you mean "capital"?\n`],
  ])('error: %j', async (args, message) => {
    const r = await runCliInProcess([...args, '--out', d]);
    expect([r.code, r.stderr]).toEqual([1, message]);
    expect(existsSync(d)).toBe(false);
  });
});

describe('a switch given twice, or on and off, is refused by name in every command (scripts/cli.ts refuseRepeatedSwitches)', () => {
  // yargs builds no array for a boolean: the last one silently won (--exact --no-exact ran without --exact)
  const d = join(tmp, 'switch-twice');
  const twice = (flag: string, ...typed: string[]): string => `error: --${flag}: given ${typed.length} times (${typed.join(', ')}); give it once\n`;
  it.each([
    [['backtest', '--exact', '--no-exact', '--out', d], twice('exact', '--exact', '--no-exact')],
    [['backtest', '--no-exact', '--exact', '--out', d], twice('exact', '--no-exact', '--exact')],
    [['backtest', '--no-arbitrage', '--arbitrage', '--out', d], twice('arbitrage', '--no-arbitrage', '--arbitrage')],
    [['backtest', '--csv', '--out', d, '--csv'], twice('csv', '--csv', '--csv')],
    [['backtest', '--exact=false', '--exact', '--out', d], twice('exact', '--exact=false', '--exact')],
    [['backtest', '--exact', 'true', '--no-exact', '--out', d], twice('exact', '--exact true', '--no-exact')],
    [['backtest', '--json', '--json', '--out', d], twice('json', '--json', '--json')],
    [['compare', '--exact', '--no-exact', '--out', d], twice('exact', '--exact', '--no-exact')],
    [['compare', '--csv', '--csv', '--out', d], twice('csv', '--csv', '--csv')],
    [['sweep', '--fee', '0.003,0.01', '--restart', '--restart', '--out', d], twice('restart', '--restart', '--restart')],
    [['replay', '--events', 'a.jsonl', '--check', '--check'], twice('check', '--check', '--check')],
    [['replay-real', '--events', 'a.csv', '--reanchor', '--no-reanchor'], twice('reanchor', '--reanchor', '--no-reanchor')],
    [['validate', '--events', 'a.csv', '--all', '--all'], twice('all', '--all', '--all')],
    [['apy', '--apr', '0.3', '--optimal', '--no-optimal'], twice('optimal', '--optimal', '--no-optimal')],
    [['data', 'fetch', 'binance', '--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', `${d}/e.arrow`, '--csv', '--csv'], twice('csv', '--csv', '--csv')],
    [['data', 'fetch', 'pool-events', '--rpc', 'http://127.0.0.1:9/', '--pool', '0x1', '--from-block', '1', '--to-block', '2', '--out', `${d}/p.arrow`, '--invert', '--invert'], twice('invert', '--invert', '--invert')],
    // yargs read any value but "true" as false
    [['backtest', '--exact=maybe', '--out', d], 'error: --exact: is on or off: give --exact or --no-exact (or --exact=true, =false); was "maybe"\n'],
    [['backtest', '--csv=1', '--out', d], 'error: --csv: is on or off: give --csv or --no-csv (or --csv=true, =false); was "1"\n'],
  ])('%j', async (args, message) => {
    const r = await runCliInProcess(args);
    expect([r.code, r.stderr]).toEqual([1, message]);
    expect(existsSync(d)).toBe(false);
  });

  it('unit: read as typed, up to --; a value of another flag (--param=--exact, --out=--csv) is no use of it; aliases, camelCase and counts', async () => {
    const { refuseRepeatedSwitches, scanArgs } = await import('./cli.ts');
    const options = { key: { exact: true, csv: true, out: true, param: true, 'noise-rate': true, help: true, v: true }, boolean: ['exact', 'csv', 'help'], count: ['v'], array: ['param'], alias: { help: ['h'] } };
    const ok = (args: string[]): void => expect(() => refuseRepeatedSwitches(args, options), args.join(' ')).not.toThrow();
    const refused = (args: string[], message: string): void => expect(() => refuseRepeatedSwitches(args, options), args.join(' ')).toThrow(message);
    ok(['backtest', '--exact', '--param=--exact', '--out=--exact']);
    ok(['backtest', '--exact', '--', '--exact', '--no-exact']);
    ok(['backtest', '--param', 'a=1', 'b=2', '--exact', '--csv=true']);
    ok(['backtest', '-h', '-h', '--help', '-vv', '-v']);
    ok(['backtest', '--noise-rate', '-1', '--exact']);
    refused(['backtest', '--param', 'a=1', '--exact', '--csv', 'false', '--exact'], '--exact: given 2 times (--exact, --exact); give it once');
    refused(['backtest', '--noiseRate', '1', '--csv', '--no-csv'], '--csv: given 2 times (--csv, --no-csv)');
    // a flag's value is its value, whatever it looks like; the word after a switch is its value only when true/false
    expect(scanArgs(['x', '--out', '-', '--exact', 'false', '--csv', 'yes', '--param', 'a', 'b', '--out=--csv', '--', '--exact'], options).map((it) => (it.kind === 'flag' ? `${it.key ?? '?'}:${it.text}` : `_${it.text}`))).toEqual(
      ['_x', 'out:--out', '_-', 'exact:--exact false', 'csv:--csv', '_yes', 'param:--param a b', 'out:--out=--csv', '_--exact'],
    );
  });

  it('behavior: given once, each form still runs (--no-exact, --exact=true, --exact false)', async () => {
    for (const flag of [['--no-exact'], ['--exact=true'], ['--exact', 'false']]) {
      const r = await runCliInProcess(['il', '--price', '2000', ...flag]);
      // il has no --exact: refused as unknown, not as given twice (one use)
      expect(r.stderr, flag.join(' ')).toMatch(/^error: --(no-)?exact: unknown flag/);
    }
    const once = await runCliInProcess(['apy', '--apr', '0.3', '--json=false', '--optimal', 'false']);
    expect([once.code, once.stderr]).toEqual([0, '']);
  });
});

describe("yargs' own failures are one line in ammsim's form, in every command (scripts/cli.ts describeYargsFailure)", () => {
  const d = join(tmp, 'yargs-fail');
  it.each([
    // a `choices` flag: it was "error: Invalid values:\n  Argument: compounding, Given: …"
    [['compare', '--compounding', 'weekly', '--out', d], 'error: --compounding: must be one of none, daily, continuous; was "weekly"\n'],
    [['compare', '--lst-entry', 'mint', '--out', d], 'error: --lst-entry: must be one of par, market; was "mint"\n'],
    [['compare', '--paths-method', 'mc', '--out', d], 'error: --paths-method: must be one of gbm, bootstrap; was "mc"\n'],
    // unknown flags (with yargs' one-letter groups and --no-), and the did-you-mean of other keys
    [['backtest', '--bogus', '--out', d], 'error: --bogus: unknown flag (ammsim backtest --help lists the flags)\n'],
    [['backtest', '--noise-rte', '1', '--out', d], 'error: --noise-rte: unknown flag; did you mean "--noise-rate"? (ammsim backtest --help lists the flags)\n'],
    [['backtest', '--no-exct', '--out', d], 'error: --no-exct: unknown flag (ammsim backtest --help lists the flags)\n'],
    [['backtest', '-x', '--out', d], 'error: -x: unknown flag (ammsim backtest --help lists the flags)\n'],
    [['apy', '--apr', '0.3', '--compounding', 'daily'], 'error: --compounding: unknown flag; did you mean "--compounds"? (ammsim apy --help lists the flags)\n'],
    [['sweep', 'merge', 'a', '--out', d, '--workers', '2'], 'error: --workers: unknown flag (ammsim sweep merge --help lists the flags)\n'],
    // positional words: none is taken
    [['backtest', 'bogus', '--out', d], 'error: bogus: unknown argument; ammsim backtest takes no positional arguments (ammsim backtest --help lists the flags)\n'],
    [['il', '--price', '2000', 'extra'], 'error: extra: unknown argument; ammsim il takes no positional arguments, and --price takes one value (--price 2000; quote a value that has spaces)\n'],
    [['data', 'fetch', 'binance', 'x', '--symbol', 'A', '--start', '1', '--end', '2', '--out', `${d}/a.arrow`], 'error: x: unknown argument; ammsim data fetch binance takes no positional arguments (ammsim data fetch binance --help lists the flags)\n'],
    // "-" as a file: it was "error: Unknown argument: -"
    [['replay', '--events', 'a.jsonl', '--out', '-'], 'error: --out: needs a file name; was "-" (ammsim writes no standard output through "-"); without --out, replay writes its results to standard output\n'],
    [['backtest', '--out', '-'], 'error: --out: needs a folder name; was "-" (ammsim writes no standard output through "-"); --json prints summary.json to standard output\n'],
    [['replay-real', '--events', '-'], 'error: --events: needs a value; was "-" (ammsim reads no standard input through "-")\n'],
    // required flags and positional words
    [['report', '--out', `${d}/r.html`], 'error: --run: is required; was not given\n'],
    [['replay'], 'error: --events: give the input file: --events IN.jsonl\n'],
    [['data', 'fetch', 'binance'], 'error: --symbol: is required; was not given (nor were --start, --end, --out)\n'],
    [['sweep', 'merge', '--out', d], 'error: sweep merge: needs at least 1 argument (ammsim sweep merge --help); got 0\n'],
    // a subcommand's did-you-mean names the subcommand, not the command ("unknown command "sweep"; did you mean merge?")
    [['sweep', 'mrge', 'a', '--out', d], 'error: unknown command "sweep mrge"; did you mean sweep merge?\n'],
    [['data', 'fech', 'binance'], 'error: unknown command "data fech"; did you mean data fetch?\n'],
    [['bactest'], 'error: unknown command "bactest"; did you mean backtest?\n'],
  ])('%j', async (args, message) => {
    const r = await runCliInProcess(args);
    expect([r.code, r.stderr]).toEqual([1, message]);
    expect(existsSync(d)).toBe(false);
  });

  it('unit: several invalid values, conflicts, implications and anything else yargs may say: one line', async () => {
    const { describeYargsFailure } = await import('./cli.ts');
    const options = { key: { a: true, b: true }, boolean: [], array: [] };
    expect(describeYargsFailure('Invalid values:\n  Argument: a, Given: "x", Choices: "p", "q"\n  Argument: b, Given: 3, Choices: 1, 2', [], options)).toBe('--a: must be one of p, q; was "x"');
    expect(describeYargsFailure('Arguments a and b are mutually exclusive', [], options)).toBe('--a: cannot be given with --b');
    expect(describeYargsFailure('Missing dependent arguments:\n a -> b', [], options)).toBe('--a: needs --b');
    expect(describeYargsFailure('Not enough arguments following: a', [], options)).toBe('--a: needs a value');
    expect(describeYargsFailure('Something new:\n  first\n  second', [], options)).toBe('Something new:; first; second');
  });

  it('behavior: English and one line whatever the locale (yargs translated its messages by LANG)', () => {
    const r = ammsim(['compare', '--compounding', 'weekly'], 60_000, { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LANGUAGE: 'de' });
    expect([r.status, r.stderr]).toEqual([1, 'error: --compounding: must be one of none, daily, continuous; was "weekly"\n']);
  });
});

describe('report: the same run folder twice is refused (scripts/commands/report.ts checkReportArgs)', () => {
  const run = join(tmp, 'report-run');
  mkdirSync(run);
  const link = join(tmp, 'report-run-link');
  symlinkSync(run, link);
  const out = join(tmp, 'report-twice.html');
  it.each([
    [[run, run], `error: --run: ${run} is given twice; give each run folder once\n`],
    [[run, `${run}/`], `error: --run: ${run} and ${run}/ are the same folder; give each run folder once\n`],
    [[run, join(tmp, '.', 'report-run')], `error: --run: ${run} is given twice; give each run folder once\n`],
    [[link, run], `error: --run: ${link} and ${run} are the same folder; give each run folder once\n`],
  ])('error: --run %j', async (runs, message) => {
    const r = await runCliInProcess(['report', ...runs.flatMap((x) => ['--run', x]), '--out', out]);
    expect([r.code, r.stderr]).toEqual([1, message]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a closed pipe on stdout or stderr ends the run quietly with status 141, as SIGPIPE ends a Unix tool (scripts/cli.ts stopOnClosedPipe)', () => {
  /** Spawns the CLI with its stdout (or stderr) a pipe whose reading end is closed at once: every write to it is EPIPE. */
  function closedPipe(args: string[], which: 'stdout' | 'stderr'): Promise<{ status: number | null; stderr: string; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['scripts/ammsim.mjs', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      let stderr = '';
      let stdout = '';
      child[which].destroy();
      if (which === 'stdout') child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      else child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve({ status: shellStatus(code, sig), stderr, stdout }));
    });
  }
  const EVENTS = join(process.cwd(), '..', 'shared', 'data', 'uniswap_v3', 'ethereum_usdc_weth_030_0x8ad5_2024-01-05.pool_events.csv');

  it.skipIf(!existsSync(EVENTS))('behavior: replay-real | head -1 (it was "Error: write EPIPE … Unhandled \'error\' event", a stack, exit 1): quiet, 141, its files complete', async () => {
    const dir = join(tmp, 'epipe-real');
    const r = await closedPipe(['replay-real', '--events', EVENTS, '--fee', '3000', '--reanchor', '--out', join(dir, 'r.json'), '--csv'], 'stdout');
    expect([r.status, r.stderr]).toEqual([141, '']);
    // written before the table: complete, and no temporary file beside them
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { summary: { swaps: number } }).summary.swaps).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'r.csv'), 'utf8').endsWith('\n')).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['r.csv', 'r.json']);
  });

  it('behavior: backtest, il and a refused flag with stdout or stderr closed: no stack trace, status 141', async () => {
    const dir = join(tmp, 'epipe-backtest');
    const bt = await closedPipe(['backtest', '--out', dir], 'stdout');
    expect([bt.status, bt.stderr]).toEqual([141, '']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toHaveProperty('finalValue');
    const il = await closedPipe(['il', '--price', '2000'], 'stdout');
    expect([il.status, il.stderr]).toEqual([141, '']);
    const bad = await closedPipe(['backtest', '--bogus'], 'stderr');
    expect([bad.status, bad.stdout]).toEqual([141, '']);
  });

  it('behavior: a run stopped by EPIPE while writing its outputs leaves no temporary file and no partial set', async () => {
    const dir = join(tmp, 'epipe-staged');
    const script = join(tmp, 'epipe-staged.mts');
    const repo = process.cwd();
    writeFileSync(
      script,
      [
        `import { stopOnClosedPipe } from ${JSON.stringify(join(repo, 'scripts', 'cli.ts'))};`,
        `import { guardTempFiles, liveTempFiles, StagedOutput } from ${JSON.stringify(join(repo, 'data', 'io', 'atomicWrite.ts'))};`,
        'guardTempFiles();',
        'stopOnClosedPipe();',
        `const out = new StagedOutput(${JSON.stringify(dir)});`,
        "out.add('a.bin', new Uint8Array(1 << 20));",
        "out.add('summary.json', '{}');",
        "process.stderr.write(`temps ${liveTempFiles().length}\\n`);",
        "process.stdout.write('a table line\\n');", // EPIPE: the reader is gone
        "setTimeout(() => void out.commit().then(() => process.stderr.write('committed\\n')), 2000);",
      ].join('\n'),
    );
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', reject);
      child.on('exit', (code, sig) => resolve({ status: shellStatus(code, sig), stderr }));
    });
    expect([r.status, r.stderr]).toEqual([141, 'temps 2\n']);
    expect(readdirSync(dir)).toEqual([]);
  });
});
