import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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
