/**
 * Every flag of every command acts: it changes the output, or it is refused with one clear `error:` line where it
 * cannot apply (issue #11: no flag accepted and then ignored). The flags are read from each command module's
 * yargs builder (subcommands included), not scraped from --help text, and the test fails when a flag has no check
 * below — a new flag has to say how it acts. Commands run in-process through scripts/cli.ts `run()` on tiny
 * files written to a temp folder, so the whole walk takes seconds.
 *
 * Checks: `changes` runs the command with and without the flag and compares the output with the `config` block
 * (which echoes every flag) and the data provenance's `params` left out, so a flag that is only recorded does not
 * pass; `refused` expects exit status 1 and one `error:` line matching a pattern; `effect` asserts the flag's own
 * effect (a file written, JSON on stdout); `elsewhere` names the test file that proves it (network-only flags).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { run } from './cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-flags-'));
const f = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
let outN = 0;
const outDir = (): string => join(tmp, `out-${outN++}`);

// ---- tiny inputs ---------------------------------------------------------------------------------------------
const T0 = 1704067200; // 2024-01-01T00:00Z
const N = 72;
const px = (i: number): number => 2000 * (1 + 0.04 * Math.sin(i / 4) + 0.0005 * i);
const rows = Array.from({ length: N }, (_, i) => i);
const PRICES = f('p.csv', 'timestamp,price,volume\n' + rows.map((i) => `${T0 + 3600 * i},${px(i)},${1_000_000 * (1 + (i % 5))}`).join('\n') + '\n');
const PRICES_GAP = f('gap.csv', 'timestamp,price\n' + rows.filter((i) => i !== 30).map((i) => `${T0 + 3600 * i},${px(i)}`).join('\n') + '\n');
const LONG = f('long.csv', 'timestamp,pair,price\n' + rows.flatMap((i) => [`${T0 + 3600 * i},ETH/USD,${px(i)}`, `${T0 + 3600 * i},BTC/USD,${30 * px(N - i)}`]).join('\n') + '\n');
const DIVISOR = f('div.csv', 'timestamp,price\n' + rows.map((i) => `${T0 + 3600 * i},${1 + 0.01 * Math.cos(i / 3)}`).join('\n') + '\n');
const GAS = f('gas.csv', `timestamp,gwei\n${T0},40\n${T0 + 3600 * 30},5\n`);
const GAS_LATE = f('gas-late.csv', `timestamp,gwei\n${T0 + 3600 * 10},40\n`);
const NATIVE = f('native.csv', `timestamp,price\n${T0},3000\n`);
const LIQ = f('liq.json', JSON.stringify({ positions: [{ lower: 1900, upper: 2100, valueQuote: 300_000 }] }));
const APR = f('apr.csv', `timestamp,apr\n2023-12-31,0.04\n2024-01-02,0.09\n`);
const LST = f('lst.csv', 'timestamp,pair,price\n' + rows.map((i) => `${T0 + 3600 * i},STETH/ETH,${1 - 0.0005 * i}`).join('\n') + '\n');
const LST_PLAIN = f('lst1.csv', 'timestamp,price\n' + rows.map((i) => `${T0 + 3600 * i},${0.98 - 0.0005 * i}`).join('\n') + '\n');
const CFG = f('cfg.json', JSON.stringify({ capital: 777 }));
/** A StakingRewards program paying over hours 2–60 of the 72-hour price file, diluted by other stakers. */
const PROGRAM = f('program.json', JSON.stringify({ kind: 'staking-rewards', token: 'RWD', total: 5000, start: T0 + 3600 * 2, end: T0 + 3600 * 60, otherStakedValue: 20_000 }));
const STRATEGY = f('myStrategy.mjs', "export default { name: 'my', defaults: {}, create: () => ({ onStart: () => [], onStep: () => [] }) };\n");

const SHARED = resolve(process.cwd(), '../shared/data/uniswap_v3');
const MINUTE = join(SHARED, 'ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv');
const EVENTS = join(SHARED, 'ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
const haveUniswap = existsSync(MINUTE) && existsSync(EVENTS);
const ORACLE_V2 = resolve(process.cwd(), '../shared/oracle/v2');
const v2Cases = existsSync(ORACLE_V2) ? readdirSync(ORACLE_V2).filter((n) => n.endsWith('.jsonl')).sort().map((n) => join(ORACLE_V2, n)) : [];
const v2Case = v2Cases[0];
const v2Case2 = v2Cases[1];
/** A v2 case whose first expected output is wrong (for replay --check). */
const BAD_CASE = v2Case === undefined ? 'absent.jsonl' : f('bad-case.jsonl', readFileSync(v2Case, 'utf8').replace(/"expect":\s*\{/, '"expect": {"nonsense": "1", '));

// ---- running the CLI in-process -----------------------------------------------------------------------------
interface Ran {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function ammsim(args: readonly string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array): boolean => ((stdout += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array): boolean => ((stderr += String(c)), true)) as typeof process.stderr.write;
  const prevEnv = process.env.NO_COLOR;
  process.env.NO_COLOR = '1';
  process.exitCode = undefined;
  try {
    await run(args);
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    if (prevEnv === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = prevEnv;
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { status, stdout, stderr };
}

/** summary.json without what merely echoes the flags (`config`, the data's `params`). */
function resultOf(dir: string, file = 'summary.json'): string {
  const s = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  delete s.config;
  delete s.baseConfig;
  const data = s.data as Record<string, unknown> | undefined;
  if (data !== undefined && data !== null) delete data.params;
  return JSON.stringify(s);
}

type Output = (args: readonly string[]) => Promise<string>;

/** `base` then `args`, without the base's `--flag value` pairs that `args` gives again (a repeated flag is an array). */
function withBase(base: readonly string[], args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < base.length; i += 2) if (!args.includes(base[i]!)) out.push(base[i]!, base[i + 1]!);
  return [...out, ...args];
}

/** Runs a command expected to succeed and returns what a flag must change. */
function folderOutput(cmd: string, base: readonly string[], file = 'summary.json'): Output {
  return async (args) => {
    const out = outDir();
    const r = await ammsim([cmd, ...withBase(base, args), '--out', out]);
    if (r.status !== 0) throw new Error(`${cmd} ${[...base, ...args].join(' ')} failed: ${r.stderr}`);
    return file === 'sweep.csv' ? readFileSync(join(out, file), 'utf8') : resultOf(out, file);
  };
}

function stdoutOutput(cmd: string, base: readonly string[]): Output {
  return async (args) => {
    const r = await ammsim([cmd, ...withBase(base, args)]);
    if (r.status !== 0) throw new Error(`${cmd} ${[...base, ...args].join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
}

type Check =
  /** The output with `args` differs from the output with `baseline` (default: none). */
  | { readonly kind: 'changes'; readonly args: readonly string[]; readonly baseline?: readonly string[]; readonly needs?: boolean; readonly output?: Output }
  /** `args` (added to the command's base) exit 1 with one error line matching `error`. */
  | { readonly kind: 'refused'; readonly args: readonly string[]; readonly error: RegExp; readonly needs?: boolean; readonly known?: string }
  /** The flag's own effect, asserted by `check` on the run. */
  | { readonly kind: 'effect'; readonly args: readonly string[]; readonly check: (r: Ran, out: string) => void | Promise<void>; readonly needs?: boolean }
  /** A check that runs the command itself. */
  | { readonly kind: 'custom'; readonly run: () => Promise<void>; readonly needs?: boolean; readonly known?: string }
  /** Proven by another test file (named), e.g. network-only flags. */
  | { readonly kind: 'elsewhere'; readonly where: string };

interface CommandPlan {
  /** Arguments every run of this command gets. */
  readonly base: readonly string[];
  readonly output: Output;
  /** Whether runs take `--out DIR` from the harness for `refused` and `effect` checks. */
  readonly outFlag: boolean;
  readonly flags: Readonly<Record<string, readonly Check[]>>;
  /** False when the inputs of the whole plan are absent (../shared); `missing` says which. */
  readonly needs?: boolean;
  readonly missing?: string;
}

const changes = (...args: string[]): Check => ({ kind: 'changes', args });
const changesFrom = (baseline: string[], ...args: string[]): Check => ({ kind: 'changes', args, baseline });
const refused = (error: RegExp, ...args: string[]): Check => ({ kind: 'refused', args, error });
const real = (c: Check): Check => ({ ...c, needs: haveUniswap }) as Check;

// ---- the flags shared by backtest, compare and sweep --------------------------------------------------------
const V3 = ['--pool', 'v3', '--strategy', 'range'];
const MIN_WINDOW = ['--prices', MINUTE, '--from', '2024-01-05T00:00:00Z', '--to', '2024-01-05T03:00:00Z'];
/** The pool-events file (replay steps once per event row) and a real-data fee model on the minute file. */
const EVENTS_WINDOW = ['--prices', EVENTS, '--to', '2024-01-05T01:00:00Z'];
const VOLUME = [...V3, ...MIN_WINDOW, '--fee', '0.0005', '--fee-model', 'volume'];
const GAPS_ON_EVENT_STEPS = real(refused(/^error: --gaps: ffill fills missing rows of a series, but --fee-model replay on the pool-events file .*pool_events\.csv steps once per event row in log order/, ...V3, ...EVENTS_WINDOW, '--fee', '0.0005', '--fee-model', 'replay', '--gaps', 'ffill'));
const runFlags = (cmd: 'backtest' | 'compare' | 'sweep'): Record<string, readonly Check[]> => ({
  prices: [changes('--prices', PRICES_GAP, '--gaps', 'skip')],
  format: [refused(/^error: .*(arrow|Arrow)/i, '--format', 'arrow'), changesFrom(['--prices', PRICES_GAP, '--gaps', 'skip'], '--prices', PRICES_GAP, '--gaps', 'skip', '--format', 'csv', '--from', String(T0 + 3600))],
  pair: [changes('--prices', LONG, '--pair', 'BTC/USD'), refused(/^error: .*pair/i, '--pair', 'BTC/USD')],
  gaps: [changesFrom(['--prices', PRICES_GAP, '--gaps', 'skip'], '--prices', PRICES_GAP, '--gaps', 'ffill'), refused(/^error: .*gaps/, '--gaps', 'sometimes'), GAPS_ON_EVENT_STEPS],
  'price-of': [real(changesFrom([...MIN_WINDOW], ...MIN_WINDOW, '--price-of', 'token0')), refused(/^error: --price-of: .*Uniswap/, '--price-of', 'token0')],
  decimals0: [real(changesFrom([...MIN_WINDOW], ...MIN_WINDOW, '--decimals0', '7')), refused(/^error: --decimals0: .*Uniswap/, '--decimals0', '7')],
  decimals1: [real(changesFrom([...MIN_WINDOW], ...MIN_WINDOW, '--decimals1', '17')), refused(/^error: --decimals1: .*Uniswap/, '--decimals1', '17')],
  resample: [changes('--resample', '2h')],
  'divide-by': [changes('--divide-by', DIVISOR), refused(/^error: --divide-by: divides the series by itself/, '--prices', LONG, '--pair', 'BTC/USD', '--divide-by', LONG)],
  'divide-by-pair': [
    changesFrom(['--prices', LONG, '--pair', 'BTC/USD', '--divide-by', LONG, '--divide-by-pair', 'ETH/USD'], '--prices', LONG, '--pair', 'ETH/USD', '--divide-by', LONG, '--divide-by-pair', 'BTC/USD'),
    refused(/^error: --divide-by-pair: selects the pair of the --divide-by file; give --divide-by FILE$/, '--divide-by-pair', 'ETH/USD'),
  ],
  from: [changes('--from', '2024-01-02')],
  to: [changes('--to', '2024-01-02')],
  pool: [changes('--pool', 'v3')],
  // a fee tier whose spacing the logged MINT/BURN ticks are off is named by the file's row and the flag (it was the replayed pool's revert)
  fee: [changes('--fee', '0.01'), real(refused(/^error: .*pool_events\.csv:\d+: tick_lower: \d+ is not a multiple of the tick spacing 60; is --fee 0\.003 the pool's fee tier/, ...V3, ...EVENTS_WINDOW, '--fee-model', 'replay'))],
  'tick-spacing': [changes(...V3, '--width', '0.001', '--tick-spacing', '200'), refused(/^error: --tick-spacing: /, '--tick-spacing', '10'), refused(/^error: --tick-spacing: must be an integer in \[1, 16383\]; was 16384$/, ...V3, '--tick-spacing', '16384')],
  'pool-liquidity': [changes('--pool-liquidity', '50000')],
  'pool-liquidity-file': [changesFrom([...V3], ...V3, '--pool-liquidity-file', LIQ), refused(/^error: --pool-liquidity-file: /, '--pool-liquidity-file', LIQ)],
  exact: [changesFrom([...V3, '--pool-liquidity', '30000'], ...V3, '--pool-liquidity', '30000', '--exact')],
  strategy: [cmd === 'sweep' ? changes('--strategy', 'hold') : changes('--strategy', STRATEGY)],
  width: [changesFrom([...V3], ...V3, '--width', '0.03'), refused(/^error: --width: /, '--strategy', 'full-range', '--width', '0.2')],
  'rebalance-delay': [changesFrom(['--pool', 'v3', '--strategy', 'rebalance', '--width', '0.01'], '--pool', 'v3', '--strategy', 'rebalance', '--width', '0.01', '--rebalance-delay', '5'), refused(/^error: --rebalance-delay: /, '--rebalance-delay', '3')],
  param: [changesFrom([...V3], ...V3, '--param', 'width=0.02'), refused(/^error: .*param/i, '--param', 'nonsense=1')],
  capital: [changes('--capital', '500')],
  // under --fee-model volume / replay the LP's fees are the real pool's: simulated traders' fees are not what it earns
  arbitrage: [changes('--no-arbitrage'), real(refused(/^error: --no-arbitrage: under --fee-model volume the LP's fees come from the series' observed pool volume, not from simulated traders/, ...VOLUME, '--no-arbitrage'))],
  'noise-rate': [changes('--noise-rate', '2'), real(refused(/^error: --noise-rate: under --fee-model volume the LP's fees come from the series' observed pool volume, not from simulated traders/, ...VOLUME, '--noise-rate', '2'))],
  'noise-size': [changesFrom(['--noise-rate', '2'], '--noise-rate', '2', '--noise-size', '20000'), refused(/^error: --noise-size: /, '--noise-size', '500')],
  'noise-volume-share': [changes('--noise-volume-share', '0.1'), refused(/^error: --noise-volume-share: trades a share of the series' volume column; .*gap\.csv has none/, '--prices', PRICES_GAP, '--gaps', 'ffill', '--noise-volume-share', '0.1')],
  'gas-price': [changes('--gas-price', '30')],
  'gas-price-series': [changes('--gas-price-series', GAS)],
  'gas-before': [refused(/^error: .*gas-late\.csv: .*starts .*after/, '--gas-price-series', GAS_LATE, '--gas-before', 'error'), ...(cmd === 'sweep' ? [] : [{ kind: 'effect', args: ['--gas-price-series', GAS_LATE, '--gas-before', 'fill'], check: (_r: Ran, out: string) => expect(JSON.stringify(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).warnings)).toMatch(/gas-late\.csv/) } as Check]), refused(/^error: --gas-before: /, '--gas-before', 'error'), refused(/^error: --gas-before: applies to a gas-price or native-price series/, '--gas-before', 'fill')],
  'native-price-series': [changesFrom(['--gas-price', '30'], '--gas-price', '30', '--native-price-series', NATIVE), refused(/^error: --native-price-series: /, '--native-price-series', NATIVE)],
  'fee-model': [changes(...V3, '--fee-model', 'all'), refused(/^error: --fee-model: volume needs/, ...V3, '--fee-model', 'volume')],
  'fee-events': [real(changesFrom([...V3, ...MIN_WINDOW, '--fee-model', 'all'], ...V3, ...MIN_WINDOW, '--fee-model', 'all', '--fee-events', EVENTS)), refused(/^error: --fee-events: /, '--fee-events', PRICES)],
  seed: [changesFrom(['--noise-rate', '2'], '--noise-rate', '2', '--seed', '7')],
  config: [changes('--config', CFG)],
});

// ---- the liquidity-mining flags of backtest, compare and sweep -----------------------------------------------
const INC = ['--incentive', PROGRAM];
const HARVEST = [...INC, '--harvest', 'interval'];
const SELL = [...HARVEST, '--harvest-param', 'then=sell'];
/** Each flag changes a run with a program (from the run with the program and the flags it builds on), and is refused without one. */
const MINING_CHECKS: Record<string, { readonly from: readonly string[]; readonly args: readonly string[] }> = {
  incentive: { from: [], args: INC },
  harvest: { from: INC, args: ['--harvest', 'interval'] },
  'harvest-param': { from: HARVEST, args: ['--harvest-param', 'then=sell'] },
  'reward-price': { from: INC, args: ['--reward-price', '3'] },
  'reward-price-start': { from: [...INC, '--reward-price', 'decay:linear:0.5'], args: ['--reward-price-start', '4'] },
  'reward-pool-liquidity': { from: SELL, args: ['--reward-pool-liquidity', '5000'] },
  'performance-fee': { from: HARVEST, args: ['--performance-fee', '0.2'] },
  'caller-fee': { from: HARVEST, args: ['--caller-fee', '0.05'] },
};
const withoutProgram = (flag: string): Check => refused(new RegExp(`^error: --${flag}: .*needs a liquidity-mining program \\(--incentive FILE\\.json\\)`), ...MINING_CHECKS[flag]!.args);
/** Refusals of a mining flag beside a program, where it cannot act: a reward pool when a built-in policy sells nothing. */
const MINING_REFUSALS: Record<string, readonly Check[]> = {
  'reward-pool-liquidity': [refused(/^error: --reward-pool-liquidity: sizes the pool claimed rewards are sold through, and this run sells none: --harvest interval holds what it claims \(then=hold\)/, ...HARVEST, '--reward-pool-liquidity', '5000')],
};
/** In a sweep the reward pool is refused per configuration: over then=hold,sell the hold row fails, the sell row runs. */
const SWEEP_IDLE_REWARD_POOL: Check = {
  kind: 'custom',
  run: async () => {
    const out = outDir();
    const r = await spawnAmmsim(['sweep', ...withBase(['--prices', PRICES, '--workers', '1'], [...INC, '--harvest', 'interval', '--harvest-param', 'then=hold,sell', '--reward-pool-liquidity', '5000']), '--out', out]);
    expect(r.stdout).toMatch(/1 of 2 configurations failed .*harvestParams\.then=hold: --reward-pool-liquidity: sizes the pool claimed rewards are sold through, and this run sells none/);
    const rows = csvRows(readFileSync(join(out, 'sweep.csv'), 'utf8'));
    expect(rows.map((row) => row.error === '')).toEqual([false, true]);
  },
};
const miningFlags = (): Record<string, readonly Check[]> =>
  Object.fromEntries(Object.entries(MINING_CHECKS).map(([flag, c]) => [flag, [changesFrom([...c.from], ...c.from, ...c.args), ...(flag === 'incentive' ? [] : [withoutProgram(flag)]), ...(MINING_REFUSALS[flag] ?? [])]]));

const GRID = f('grid.json', JSON.stringify({ fee: [0.001, 0.01] }));
const SWEEP_AXES = ['--pool', 'v3', '--strategy', 'range', '--width', '0.02,0.05,0.1,0.2'];
const SWEEP_AXES2 = ['--pool', 'v3', '--strategy', 'range', '--width', '0.02,0.1', '--fee', '0.0005,0.003'];
/** Runs `ammsim` in a child process (the built bundle): sweep's worker threads start fast there, and runs overlap. */
function spawnAmmsim(args: readonly string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      done({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}
/** One sweep per distinct argument list, started once (all are started together in beforeAll). */
const sweeps = new Map<string, Promise<string>>();
function sweepDir(args: readonly string[]): Promise<string> {
  const key = JSON.stringify(args);
  if (!sweeps.has(key)) {
    const out = outDir();
    sweeps.set(key, spawnAmmsim(['sweep', ...withBase(['--prices', PRICES, '--workers', '1'], args), '--out', out]).then((r) => {
      if (r.status !== 0) throw new Error(`sweep ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
      return out;
    }));
  }
  return sweeps.get(key)!;
}
const sweepCsv = async (args: readonly string[]): Promise<string> => readFileSync(join(await sweepDir(args), 'sweep.csv'), 'utf8');
const sweepReport: Output = async (args) => readFileSync(join(await sweepDir(args), 'report.html'), 'utf8');
/** Rows of a CSV file (RFC 4180 quoting: the warnings and error columns hold commas). */
function csvRows(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') record.push(field), (field = '');
    else if (ch === '\n') record.push(field), records.push(record), (record = []), (field = '');
    else field += ch;
  }
  if (field !== '' || record.length > 0) record.push(field), records.push(record);
  const [cols, ...rows] = records;
  return rows.map((r) => Object.fromEntries(r.map((v, i) => [cols![i]!, v])));
}

/**
 * sweep's copies of the backtest flags: a sweep of one configuration given a set of them at once yields the metrics
 * of `backtest` with the same flags (each of which the backtest plan proves acts), so sweep carries every one to its
 * runs. The sets group flags that combine; a flag's check names its set.
 */
const SWEEP_SETS: Record<string, { readonly args: readonly string[]; readonly needs?: boolean; readonly known?: string }> = {
  numbers: { args: ['--pool', 'v3', '--strategy', 'rebalance', '--width', '0.03', '--rebalance-delay', '2', '--param', 'threshold=0.01', '--fee', '0.01', '--tick-spacing', '100', '--pool-liquidity', '50000', '--capital', '500', '--noise-rate', '2', '--noise-size', '20000', '--gas-price', '30', '--native-price-series', NATIVE, '--seed', '7', '--resample', '2h', '--from', String(T0 + 3600 * 4), '--to', '2024-01-03', '--divide-by', DIVISOR] },
  exact: { args: [...V3, '--pool-liquidity', '30000', '--exact'] },
  files: { args: ['--prices', PRICES_GAP, '--gaps', 'ffill', '--format', 'csv', ...V3, '--gas-price-series', GAS_LATE, '--gas-before', 'fill', '--no-arbitrage', '--noise-rate', '1', '--config', CFG] },
  liquidityFile: { args: [...V3, '--pool-liquidity-file', LIQ, '--noise-volume-share', '0.1'] },
  pair: { args: ['--prices', LONG, '--pair', 'BTC/USD'] },
  dividedPair: { args: ['--prices', LONG, '--pair', 'BTC/USD', '--divide-by', LONG, '--divide-by-pair', 'ETH/USD'] },
  uniswap: { args: [...MIN_WINDOW, ...V3, '--price-of', 'token0', '--decimals0', '7', '--decimals1', '17'], needs: haveUniswap },
  replay: { args: [...MIN_WINDOW, ...V3, '--fee', '0.0005', '--fee-model', 'replay', '--fee-events', EVENTS], needs: haveUniswap },
  mining: { args: [...SELL, '--reward-price', 'decay:linear:0.5', '--reward-price-start', '4', '--reward-pool-liquidity', '5000', '--performance-fee', '0.1', '--caller-fee', '0.02'] },
};
const sweepChecks = new Map<string, Promise<void>>();
function sweepSetCheck(name: string): Promise<void> {
  if (!sweepChecks.has(name)) {
    const set = SWEEP_SETS[name]!;
    sweepChecks.set(name, (async () => {
      const row = csvRows(await sweepCsv(set.args))[0]!;
      const bt = outDir();
      const r = await ammsim(['backtest', ...withBase(['--prices', PRICES], set.args), '--out', bt]);
      expect(r.status, r.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(join(bt, 'summary.json'), 'utf8')) as Record<string, unknown>;
      expect(row.error ?? '', 'the sweep row failed').toBe('');
      const compared = Object.keys(row).filter((k) => typeof summary[k] === 'number' && Number.isFinite(summary[k]));
      expect(compared.length).toBeGreaterThan(10);
      for (const k of compared) expect(Number(row[k]), k).toBe(summary[k]);
    })());
  }
  return sweepChecks.get(name)!;
}
function sweepSameAsBacktest(flag: string): Check {
  const name = Object.keys(SWEEP_SETS).find((n) => SWEEP_SETS[n]!.args.some((a) => a === `--${flag}` || a === `--no-${flag}`));
  if (name === undefined) return { kind: 'custom', run: async () => expect.fail(`--${flag} is in no SWEEP_SETS entry`) };
  const set = SWEEP_SETS[name]!;
  return { kind: 'custom', run: () => sweepSetCheck(name), ...(set.needs === undefined ? {} : { needs: set.needs }), ...(set.known === undefined ? {} : { known: set.known }) };
}

/** sweep merge of two shards made once. */
const shard = (i: string): Promise<string> => sweepDir([...SWEEP_AXES2, '--shard', i]);
async function merged(args: readonly string[]): Promise<string> {
  const dirs: string[] = [];
  const rest: string[] = [];
  for (const a of args) if (/^\d+\/\d+$/.test(a)) dirs.push(await shard(a));
  else rest.push(a);
  const out = outDir();
  const r = await ammsim(['sweep', 'merge', ...dirs, ...rest, '--out', out]);
  if (r.status !== 0) throw new Error(r.stderr);
  return out;
}
const mergeOutput: Output = async (args) => readFileSync(join(await merged(args), 'sweep.csv'), 'utf8');
const mergeReport: Output = async (args) => readFileSync(join(await merged(args), 'report.html'), 'utf8');

/** Two backtest folders for `report`, written before the report checks run. */
const RUN_A = join(tmp, 'run-a');
const RUN_B = join(tmp, 'run-b');
const reportOutput: Output = async (args) => {
  const file = join(outDir() + '.html');
  const r = await ammsim(['report', ...withBase(['--run', RUN_A], args), '--out', file]);
  if (r.status !== 0) throw new Error(r.stderr);
  return readFileSync(file, 'utf8');
};

/** `report` of a sweep folder (the two-axis sweep, made once): --metric, --heatmap and --top redraw its report. */
const reportOfSweep: Output = async (args) => {
  const file = join(outDir() + '.html');
  const r = await ammsim(['report', '--run', await sweepDir([...SWEEP_AXES2]), ...args, '--out', file]);
  if (r.status !== 0) throw new Error(r.stderr);
  return readFileSync(file, 'utf8');
};

const F8AD5 = join(SHARED, 'ethereum_usdc_weth_030_0x8ad5_2024-01-05.pool_events.csv');
const replayRealOutput: Output = async (args) => {
  const file = outDir() + '.json';
  const r = await ammsim(['replay-real', ...withBase(['--events', F8AD5], args), '--out', file]);
  if (r.status !== 0) throw new Error(r.stderr);
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const k of ['events', 'fee', 'tickSpacing', 'reanchor', 'from', 'to', 'config']) delete s[k];
  return JSON.stringify(s);
};
const JIT = '0x51c72848c68a965f66fa7a88855f9f7784502a7f:199060:199070@18937605.36-18937605.45';
const POSITIONS_FILE = f('positions.json', JSON.stringify({ events: EVENTS, fee: 500, positions: [{ id: 'jit', owner: '0x51c72848c68a965f66fa7a88855f9f7784502a7f', tickLower: 199060, tickUpper: 199070, liquidity: '389297572651811471360', mint: { block: 18937605, logIndex: 36 }, burn: { block: 18937605, logIndex: 45 } }] }));
const BINANCE_FLAGS = ['symbol', 'interval', 'start', 'end', 'base-url', 'out', 'csv', 'cache-dir', 'timeout', 'retries', 'seed'];
const POOL_EVENTS_FLAGS = ['rpc', 'pool', 'from-block', 'to-block', 'version', 'invert', 'chunk-blocks', 'out', 'csv', 'cache-dir', 'timeout', 'retries', 'seed'];

const summaryJson = (_r: Ran, out: string): void => {
  expect(existsSync(join(out, 'summary.json'))).toBe(true);
};

const PLANS: Record<string, CommandPlan> = {
  backtest: {
    base: ['--prices', PRICES],
    output: folderOutput('backtest', ['--prices', PRICES]),
    outFlag: true,
    flags: {
      ...runFlags('backtest'),
      ...miningFlags(),
      out: [{ kind: 'effect', args: [], check: summaryJson }],
      csv: [{ kind: 'effect', args: ['--csv'], check: (_r, out) => expect(readFileSync(join(out, 'timeseries.csv'), 'utf8')).toMatch(/^timestamp,/) }],
      json: [{ kind: 'effect', args: ['--json'], check: (r, out) => expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))) }],
    },
  },
  compare: {
    base: ['--prices', PRICES],
    output: folderOutput('compare', ['--prices', PRICES]),
    outFlag: true,
    flags: {
      ...runFlags('compare'),
      ...miningFlags(),
      'staking-apr': [changes('--staking-apr', '0.2')],
      'staking-series': [changes('--staking-series', APR)],
      compounding: [changes('--compounding', 'continuous')],
      commission: [changes('--commission', '0.5')],
      'unbonding-days': [changes('--unbonding-days', '1')],
      'lst-series': [changes('--lst-series', LST_PLAIN)],
      'lst-pair': [changes('--lst-series', LST, '--lst-pair', 'STETH/ETH'), refused(/^error: --lst-pair: needs --lst-series/, '--lst-pair', 'STETH/ETH')],
      'lst-entry': [changesFrom(['--lst-series', LST_PLAIN], '--lst-series', LST_PLAIN, '--lst-entry', 'market'), refused(/^error: --lst-entry: /, '--lst-entry', 'market')],
      paths: [changes('--paths', '2')],
      'paths-method': [changesFrom(['--paths', '2'], '--paths', '2', '--paths-method', 'bootstrap'), refused(/^error: --paths-method: /, '--paths-method', 'bootstrap')],
      'paths-volatility': [changesFrom(['--paths', '2'], '--paths', '2', '--paths-volatility', '2'), refused(/^error: --paths-volatility: /, '--paths-volatility', '2')],
      'paths-drift': [changesFrom(['--paths', '2'], '--paths', '2', '--paths-drift', '3'), refused(/^error: --paths-drift: /, '--paths-drift', '3')],
      'block-steps': [changesFrom(['--paths', '2', '--paths-method', 'bootstrap'], '--paths', '2', '--paths-method', 'bootstrap', '--block-steps', '3'), refused(/^error: --block-steps: /, '--block-steps', '3')],
      out: [{ kind: 'effect', args: [], check: summaryJson }],
      csv: [{ kind: 'effect', args: ['--csv'], check: (_r, out) => expect(readFileSync(join(out, 'values.csv'), 'utf8')).toMatch(/^timestamp,price,lp,hold,staking/) }],
      json: [{ kind: 'effect', args: ['--json'], check: (r, out) => expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))) }],
    },
  },
  sweep: {
    base: ['--prices', PRICES, '--workers', '1'],
    output: async (args) => sweepCsv(args),
    outFlag: true,
    flags: {
      ...Object.fromEntries(Object.keys(runFlags('sweep')).map((flag) => [flag, [sweepSameAsBacktest(flag)]])),
      // refused before any configuration runs (a value or an axis), not a failed row per configuration
      'noise-volume-share': [sweepSameAsBacktest('noise-volume-share'), refused(/^error: --noise-volume-share: trades a share of the series' volume column; .*gap\.csv has none/, '--prices', PRICES_GAP, '--gaps', 'ffill', '--noise-volume-share', '0,0.1')],
      ...Object.fromEntries(Object.keys(MINING_CHECKS).map((flag) => [flag, [sweepSameAsBacktest(flag), ...(flag === 'incentive' ? [] : [withoutProgram(flag)]), ...(flag === 'reward-pool-liquidity' ? [SWEEP_IDLE_REWARD_POOL] : (MINING_REFUSALS[flag] ?? []))]])),
      gaps: [sweepSameAsBacktest('gaps'), GAPS_ON_EVENT_STEPS],
      grid: [{ kind: 'custom', run: async () => {
        const rows = csvRows(await sweepCsv(['--grid', GRID]));
        expect(rows.map((r) => r.fee)).toEqual(['0.001', '0.01']);
        expect(rows[0]!.feesEarned).not.toBe(rows[1]!.feesEarned);
      } }],
      samples: [{ kind: 'custom', run: async () => expect(csvRows(await sweepCsv([...SWEEP_AXES, '--samples', '2']))).toHaveLength(2) }, refused(/^error: --samples: /, '--samples', '2')],
      'sample-seed': [{ kind: 'changes', baseline: [...SWEEP_AXES, '--samples', '2'], args: [...SWEEP_AXES, '--samples', '2', '--sample-seed', '9'] }, refused(/^error: --sample-seed: /, '--sample-seed', '4')],
      // results do not depend on the number of workers (determinism); the flag is checked and sizes the pool
      workers: [refused(/^error: --workers: /, '--workers', '0'), { kind: 'custom', run: async () => expect(await sweepCsv([...SWEEP_AXES, '--workers', '2'])).toBe(await sweepCsv(SWEEP_AXES)) }],
      restart: [{ kind: 'custom', run: async () => {
        const out = outDir();
        const sweep = (...a: string[]): Promise<Ran> => spawnAmmsim(['sweep', '--prices', PRICES, '--workers', '1', ...a, '--out', out]);
        const first = await sweep('--width', '0.3', ...V3);
        expect(first.status, first.stderr).toBe(0);
        const again = await sweep('--width', '0.4', ...V3);
        expect(again.status).toBe(1);
        expect(again.stderr).toMatch(/^error: --out: .*--restart/);
        const before = readFileSync(join(out, 'sweep.csv'), 'utf8');
        const restarted = await sweep('--width', '0.4', ...V3, '--restart');
        expect(restarted.status, restarted.stderr).toBe(0);
        expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).not.toBe(before);
        expect(JSON.stringify(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')))).toContain('"width":0.4');
      } }],
      shard: [{ kind: 'custom', run: async () => {
        const out = await shard('1/2');
        expect(existsSync(join(out, 'sweep.csv'))).toBe(false);
        expect(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').length).toBeLessThan(4);
      } }, refused(/^error: --shard: /, '--shard', '3/2')],
      metric: [{ kind: 'changes', baseline: [...SWEEP_AXES2], args: [...SWEEP_AXES2, '--metric', 'feesEarned'], output: sweepReport }, refused(/^error: --metric: /, '--metric', 'magic')],
      heatmap: [{ kind: 'changes', baseline: [...SWEEP_AXES2], args: [...SWEEP_AXES2, '--heatmap', 'width,fee'], output: sweepReport }, refused(/^error: --heatmap: /, '--width', '0.1,0.2', '--heatmap', 'width,fee')],
      top: [{ kind: 'changes', baseline: [...SWEEP_AXES2], args: [...SWEEP_AXES2, '--top', '1'], output: sweepReport }],
      out: [{ kind: 'custom', run: async () => expect(csvRows(await sweepCsv(SWEEP_AXES))).toHaveLength(4) }],
    },
  },
  'sweep merge': {
    base: [],
    output: mergeOutput,
    outFlag: false,
    flags: {
      // the shards' rows, merged, are the unsharded sweep's; a missing shard is refused
      dirs: [{ kind: 'custom', run: async () => {
        expect(await mergeOutput(['0/2', '1/2'])).toBe(await sweepCsv(SWEEP_AXES2));
        const r = await ammsim(['sweep', 'merge', await shard('0/2'), '--out', outDir()]);
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^error: .*shard 1\/2 is missing/);
      } }],
      out: [{ kind: 'custom', run: async () => expect(readFileSync(join(await merged(['0/2', '1/2']), 'sweep.csv'), 'utf8')).toMatch(/^width,fee,/) }],
      metric: [{ kind: 'changes', baseline: ['0/2', '1/2'], args: ['0/2', '1/2', '--metric', 'feesEarned'], output: mergeReport }],
      heatmap: [{ kind: 'changes', baseline: ['0/2', '1/2'], args: ['0/2', '1/2', '--heatmap', 'width,fee'], output: mergeReport }],
      top: [{ kind: 'changes', baseline: ['0/2', '1/2'], args: ['0/2', '1/2', '--top', '1'], output: mergeReport }],
    },
  },
  il: {
    base: ['--price', '2000'],
    output: stdoutOutput('il', ['--price', '2000']),
    outFlag: false,
    flags: {
      price: [changes('--price', '1500', '--range', '1800:2200'), refused(/^error: --price: /, '--price', '-1')],
      range: [changes('--range', '1800:2200')],
      ratios: [changes('--ratios', '0.5,2')],
      out: [{ kind: 'effect', args: ['--out', join(tmp, 'il.html')], check: () => expect(readFileSync(join(tmp, 'il.html'), 'utf8')).toMatch(/<html/i) }],
    },
  },
  apy: {
    base: [],
    output: stdoutOutput('apy', []),
    outFlag: false,
    flags: {
      apr: [changesFrom(['--apr', '0.3'], '--apr', '0.5')],
      apy: [changesFrom(['--apr', '0.35'], '--apy', '0.35'), refused(/^error: --apy: /, '--apr', '0.3', '--apy', '0.35')],
      compounds: [changesFrom(['--apr', '0.3'], '--apr', '0.3', '--compounds', '12')],
      every: [changesFrom(['--apr', '0.3'], '--apr', '0.3', '--every', '7d'), refused(/^error: --every: /, '--apr', '0.3', '--every', '7d', '--compounds', '3')],
      'performance-fee': [changesFrom(['--apr', '0.3'], '--apr', '0.3', '--performance-fee', '0.1')],
      gas: [changesFrom(['--apr', '0.3'], '--apr', '0.3', '--gas', '5', '--capital', '1000'), refused(/^error: --gas: /, '--apr', '0.3', '--gas', '5')],
      capital: [changesFrom(['--apr', '0.3', '--gas', '5', '--capital', '1000'], '--apr', '0.3', '--gas', '5', '--capital', '100000'), refused(/^error: --capital: /, '--apr', '0.3', '--capital', '5')],
      optimal: [changesFrom(['--apr', '0.3', '--gas', '5', '--capital', '1000'], '--apr', '0.3', '--gas', '5', '--capital', '1000', '--optimal'), refused(/^error: --optimal: /, '--apr', '0.3', '--optimal')],
      json: [{ kind: 'effect', args: ['--apr', '0.3', '--json'], check: (r) => expect(JSON.parse(r.stdout)).toMatchObject({ from: { kind: 'apr', value: 0.3 } }) }],
    },
  },
  report: {
    base: ['--run', RUN_A],
    output: reportOutput,
    outFlag: false,
    flags: {
      run: [{ kind: 'changes', baseline: [], args: ['--run', RUN_B], output: reportOutput }],
      out: [{ kind: 'custom', run: async () => expect(await reportOutput([])).toMatch(/^<!doctype html>/i) }],
      svg: [{ kind: 'effect', args: ['--svg', join(tmp, 'svg')], check: () => expect(readdirSync(join(tmp, 'svg')).some((n) => n.endsWith('.svg'))).toBe(true) }],
      label: [changes('--label', 'somename'), refused(/^error: --label: /, '--label', 'a', '--label', 'b', '--out', join(tmp, 'r.html'))],
      'max-points': [changes('--max-points', '100'), refused(/^error: --max-points: /, '--max-points', '5', '--out', join(tmp, 'r.html'))],
      metric: [{ kind: 'changes', baseline: [], args: ['--metric', 'feesEarned'], output: reportOfSweep }, refused(/^error: --metric: applies to a sweep folder/, '--metric', 'apr', '--out', join(tmp, 'r.html'))],
      heatmap: [{ kind: 'changes', baseline: [], args: ['--heatmap', 'width,fee'], output: reportOfSweep }, refused(/^error: --heatmap: applies to a sweep folder/, '--heatmap', 'width,fee', '--out', join(tmp, 'r.html'))],
      top: [{ kind: 'changes', baseline: [], args: ['--top', '1'], output: reportOfSweep }, refused(/^error: --top: applies to a sweep folder/, '--top', '3', '--out', join(tmp, 'r.html'))],
    },
  },
  replay: {
    base: ['--pool', 'v2', '--events', v2Case ?? 'absent.jsonl'],
    output: stdoutOutput('replay', ['--pool', 'v2', '--events', v2Case ?? 'absent.jsonl']),
    outFlag: false,
    needs: v2Case !== undefined,
    missing: '../shared/oracle/v2',
    flags: {
      pool: [refused(/^error: .*is not a field of an initialize event/, '--pool', 'v3'), refused(/^error: --pool: /, '--pool', 'v9')],
      events: [changes('--events', v2Case2 ?? 'absent.jsonl')],
      check: [{ kind: 'effect', args: ['--check'], check: (r) => expect(r.stderr).toMatch(/^check: all \d+ case lines of .* match/) }, { kind: 'custom', run: async () => {
        const r = await ammsim(['replay', '--pool', 'v2', '--events', BAD_CASE, '--check']);
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/^error: .*bad-case\.jsonl:1: nonsense: expected "1"/);
      } }],
      out: [{ kind: 'effect', args: ['--out', join(tmp, 'replay.jsonl')], check: (r) => {
        expect(r.stdout).toBe('');
        expect(readFileSync(join(tmp, 'replay.jsonl'), 'utf8').split('\n')[0]).toMatch(/^\{/);
      } }],
    },
  },
  'replay-real': {
    base: ['--events', F8AD5],
    output: replayRealOutput,
    outFlag: false,
    needs: existsSync(F8AD5),
    flags: {
      events: [{ kind: 'changes', baseline: [], args: ['--events', EVENTS, '--to', '2024-01-05T01:00:00Z'], output: replayRealOutput }],
      fee: [changes('--fee', '3000')],
      'tick-spacing': [changesFrom(['--fee', '3000'], '--fee', '3000', '--tick-spacing', '10')],
      reanchor: [changes('--reanchor')],
      from: [changes('--from', '2024-01-05T12:00:00Z')],
      to: [changes('--to', '2024-01-05T12:00:00Z'), refused(/^error: --to: must not be before --from/, '--from', '2024-01-05T10:00:00Z', '--to', '2024-01-05T09:00:00Z')],
      out: [{ kind: 'custom', run: async () => expect(JSON.parse(await replayRealOutput([]))).toBeTypeOf('object') }],
      csv: [{ kind: 'effect', args: ['--out', join(tmp, 'rr.json'), '--csv'], check: () => expect(readFileSync(join(tmp, 'rr.csv'), 'utf8').length).toBeGreaterThan(0) }],
    },
  },
  validate: {
    base: ['--events', EVENTS],
    output: stdoutOutput('validate', ['--events', EVENTS]),
    outFlag: false,
    needs: existsSync(EVENTS),
    flags: {
      events: [changesFrom(['--all'], '--events', F8AD5, '--fee', '3000', '--all')],
      // a wrong fee tier misprices every position: exit 1 outside --tol, so it is a refusal here
      fee: [{ kind: 'custom', run: async () => {
        const r = await ammsim(['validate', '--events', EVENTS, '--all', '--fee', '100']);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/^\d+\/36 within 0\.1 %/m);
        expect(r.stdout).not.toMatch(/^36\/36/m);
      } }, refused(/^error: .*tick spacing 60/, '--all', '--fee', '3000')],
      position: [changesFrom(['--all'], '--position', JIT)],
      positions: [changesFrom(['--all'], '--positions', POSITIONS_FILE)],
      all: [changesFrom(['--position', JIT], '--all'), refused(/^error: /, '--fee', '500')],
      tol: [{ kind: 'effect', args: ['--all', '--fee', '100', '--tol', '1e9'], check: async (r) => {
        expect(r.stdout).toMatch(/36\/36 within/);
        const strict = await ammsim(['validate', '--events', EVENTS, '--all', '--fee', '100']);
        expect(strict.status).toBe(1); // outside the default 1e-3 with the wrong fee; --tol 1e9 accepts
      } }],
      out: [{ kind: 'effect', args: ['--all', '--out', join(tmp, 'validate.json')], check: () => expect(JSON.parse(readFileSync(join(tmp, 'validate.json'), 'utf8')).summary.positions).toBeGreaterThan(0) }],
      json: [{ kind: 'effect', args: ['--all', '--json'], check: (r) => expect(JSON.parse(r.stdout).summary.positions).toBeGreaterThan(0) }],
    },
  },
  'data fetch binance': { base: [], output: stdoutOutput('data', []), outFlag: false, flags: Object.fromEntries(BINANCE_FLAGS.map((k) => [k, [{ kind: 'elsewhere', where: 'scripts/commands/data.test.ts (network: a fake HTTP server)' } as Check]])) },
  'data fetch pool-events': { base: [], output: stdoutOutput('data', []), outFlag: false, flags: Object.fromEntries(POOL_EVENTS_FLAGS.map((k) => [k, [{ kind: 'elsewhere', where: 'scripts/commands/data.test.ts (network: a fake JSON-RPC server)' } as Check]])) },
};

// ---- the walk ----------------------------------------------------------------------------------------------
interface Walked {
  readonly name: string;
  flags: string[];
  /** The flags declared boolean (switches: --x, --no-x). */
  switches: string[];
}

function optionsOf(builder: CommandModule['builder']): Argv {
  const y = yargs([]);
  if (typeof builder === 'function') return (builder(y) as Argv | undefined) ?? y;
  return y.options(builder ?? {});
}

/** Each command and subcommand with the flags its builder declares (camelCase aliases and help/version left out). */
async function walkCommands(): Promise<Walked[]> {
  const out: Walked[] = [];
  const visit = (name: string, builder: CommandModule['builder']): void => {
    const y = optionsOf(builder) as Argv & { getOptions(): { key: Record<string, unknown>; boolean: string[] }; getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, { builder: CommandModule['builder'] }> } } };
    // yargs' own help and version come first; a command that declares its own --version (data fetch pool-events)
    // switches the global one off, so its flag comes later in the list
    const all = Object.keys(y.getOptions().key).filter((k) => !/[A-Z]/.test(k));
    const keys = all.filter((k, i) => k !== 'help' && !(k === 'version' && all[i - 1] === 'help' && i === 1));
    out.push({ name, flags: keys, switches: keys.filter((k) => y.getOptions().boolean.includes(k) && k !== 'version') });
    for (const [sub, h] of Object.entries(y.getInternalMethods().getCommandInstance().getCommandHandlers())) visit(`${name} ${sub}`, h.builder);
  };
  for (const c of COMMANDS) {
    const mod = await c.load();
    visit(c.name, mod.builder);
  }
  return out;
}

/** Outputs are deterministic: a baseline shared by several checks runs once. */
const memoized = new Map<Output, Map<string, Promise<string>>>();
function memo(_cmd: string, output: Output, args: readonly string[]): Promise<string> {
  if (!memoized.has(output)) memoized.set(output, new Map());
  const m = memoized.get(output)!;
  const key = JSON.stringify(args);
  if (!m.has(key)) m.set(key, output(args));
  return m.get(key)!;
}

let walked: Walked[] = [];
beforeAll(async () => {
  // start every sweep at once (child processes overlap); each check awaits its own
  // (only the child processes: in-process runs capture process.stdout and must not overlap)
  for (const set of Object.values(SWEEP_SETS)) if (set.needs !== false) void sweepDir(set.args).catch(() => {});
  for (const a of [SWEEP_AXES, [...SWEEP_AXES, '--samples', '2'], [...SWEEP_AXES, '--samples', '2', '--sample-seed', '9'], [...SWEEP_AXES, '--workers', '2'], ['--grid', GRID], SWEEP_AXES2, [...SWEEP_AXES2, '--metric', 'feesEarned'], [...SWEEP_AXES2, '--heatmap', 'width,fee'], [...SWEEP_AXES2, '--top', '1'], [...SWEEP_AXES2, '--shard', '0/2'], [...SWEEP_AXES2, '--shard', '1/2']]) void sweepDir(a).catch(() => {});
  walked = await walkCommands();
  for (const [dir, extra] of [[RUN_A, []], [RUN_B, ['--pool', 'v3', '--strategy', 'range']]] as const) {
    const r = await ammsim(['backtest', '--prices', PRICES, ...extra, '--out', dir]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
});

describe('every command flag acts (issue #11)', () => {
  it('behavior: the walk finds the commands and their flags from the yargs builders', () => {
    const names = walked.map((w) => w.name);
    for (const c of COMMANDS) expect(names).toContain(c.name);
    const bt = walked.find((w) => w.name === 'backtest')!;
    expect(bt.flags).toContain('gas-price-series');
    expect(bt.flags).toContain('tick-spacing');
  });

  it('behavior: every flag of every planned command has a check', () => {
    const missing: string[] = [];
    for (const w of walked) {
      const plan = PLANS[w.name];
      if (plan === undefined) {
        if (w.flags.length > 0) missing.push(`${w.name} (no plan)`);
        continue;
      }
      for (const flag of w.flags) if (plan.flags[flag] === undefined || plan.flags[flag]!.length === 0) missing.push(`${w.name} --${flag}`);
    }
    expect(missing).toEqual([]);
  });

  for (const [cmd, plan] of Object.entries(PLANS)) {
    for (const [flag, checks] of Object.entries(plan.flags)) {
      checks.forEach((check, i) => {
        const title = `${cmd} --${flag} (${check.kind}${checks.length > 1 ? ` ${i + 1}` : ''})`;
        const argv0 = cmd.split(' ');
        if (check.kind === 'elsewhere') {
          it.skip(`${title}: proven in ${check.where}`, () => {});
          return;
        }
        const needs = 'needs' in check ? check.needs : plan.needs;
        // A known defect is reported, not hidden: the check must fail until it is fixed (then remove `known`).
        const known = 'known' in check ? check.known : undefined;
        const test = needs === false ? it.skip : known !== undefined ? it.fails : it;
        test(`${title}${needs === false ? ` — skipped: ${plan.missing ?? '../shared/data/uniswap_v3 files'} absent` : ''}${known !== undefined ? ` — KNOWN DEFECT: ${known}` : ''}`, async () => {
          if (check.kind === 'changes') {
            const output = check.output ?? plan.output;
            const a = await memo(cmd, output, [...(check.baseline ?? [])]);
            const b = await memo(cmd, output, check.args);
            expect(b, `${cmd} ${check.args.join(' ')} gives the same output as ${(check.baseline ?? []).join(' ') || 'the baseline'}`).not.toBe(a);
          } else if (check.kind === 'custom') {
            await check.run();
          } else if (check.kind === 'refused') {
            const out = outDir();
            const r = await ammsim([...argv0, ...withBase(plan.base, check.args), ...(plan.outFlag ? ['--out', out] : [])]);
            const lines = r.stderr.split('\n').filter((l) => l !== '');
            expect({ status: r.status, lines: lines.length }, r.stderr).toEqual({ status: 1, lines: 1 });
            expect(lines[0]).toMatch(check.error);
            if (plan.outFlag) expect(existsSync(join(out, 'summary.json')) || existsSync(join(out, 'sweep.csv'))).toBe(false);
          } else {
            const out = outDir();
            const r = await ammsim([...argv0, ...withBase(plan.base, check.args), ...(plan.outFlag ? ['--out', out] : [])]);
            expect(r.status, r.stderr).toBe(0);
            await check.check(r, out);
          }
        });
      });
    }
  }
});

/** Required flags of the commands whose plan runs nothing (network), so that yargs gets past them to the switch check. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'data fetch binance': ['--symbol', 'ETHUSDT', '--start', '2024-01-01', '--end', '2024-02-01', '--out', join(tmp, 'switch-b.arrow')],
  'data fetch pool-events': ['--rpc', 'http://127.0.0.1:9/', '--pool', '0x1', '--from-block', '1', '--to-block', '2', '--out', join(tmp, 'switch-p.arrow')],
};

describe('every switch of every command is refused given on and off, or twice (scripts/cli.ts refuseRepeatedSwitches)', () => {
  it('behavior: the walk finds switches in the commands that have them', () => {
    const having = walked.filter((w) => w.switches.length > 0).map((w) => w.name);
    expect(having).toEqual(expect.arrayContaining(['backtest', 'compare', 'sweep', 'replay', 'replay-real', 'validate', 'apy', 'data fetch binance', 'data fetch pool-events']));
  });

  it('error: --x --no-x and --x --x, for each switch of each command: one line naming it (yargs let the last one win)', async () => {
    const wrong: string[] = [];
    for (const w of walked) {
      const plan = PLANS[w.name];
      if (plan === undefined) continue;
      for (const flag of w.switches) {
        for (const [a, b] of [[`--${flag}`, `--no-${flag}`], [`--${flag}`, `--${flag}`]] as const) {
          const out = outDir();
          const r = await ammsim([...w.name.split(' '), ...(REQUIRED[w.name] ?? plan.base), a, b, ...(plan.outFlag ? ['--out', out] : [])]);
          const expected = `error: --${flag}: given 2 times (${a}, ${b}); give it once\n`;
          if (r.status !== 1 || r.stderr !== expected) wrong.push(`${w.name} ${a} ${b}: status ${r.status}, ${JSON.stringify(r.stderr)}`);
          if (existsSync(out)) wrong.push(`${w.name} ${a} ${b}: wrote ${out}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('--no-x of a flag that takes a value is refused (scripts/cli.ts refuseNegatedValueFlags)', () => {
  it('error: --no-<flag> for each value flag of each command: one line naming it, nothing written (yargs read it as false: --no-out wrote into ./false, --no-seed ran seed 0)', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const w of walked) {
      const plan = PLANS[w.name];
      if (plan === undefined) continue;
      const command = COMMANDS.find((c) => c.name === w.name.split(' ')[0]);
      const negatable = w.name === 'sweep' ? (((await command!.load()) as { negatable?: readonly string[] }).negatable ?? []) : [];
      for (const flag of w.flags) {
        if (w.switches.includes(flag) || negatable.includes(flag) || flag === 'version' || (w.name === 'sweep merge' && flag === 'dirs')) continue;
        tried++;
        const out = outDir();
        // yargs checks positionals and choices first: merge gets a (missing) shard folder, and a flag with choices is
        // refused by them (`--compounding: must be one of …; was false`), one line naming it as well
        const base = w.name === 'sweep merge' ? [join(tmp, 'no-such-shard'), ...(flag === 'out' ? [] : ['--out', out])] : (REQUIRED[w.name] ?? plan.base);
        const r = await ammsim([...w.name.split(' '), ...base, `--no-${flag}`, ...(plan.outFlag && flag !== 'out' ? ['--out', out] : [])]);
        const expected = `error: --no-${flag}: --${flag} takes a value and has no off form; give --${flag} VALUE, or leave it out for its default\n`;
        const byChoices = new RegExp(`^error: --${flag}: must be one of [^\n]*; was false\n$`);
        if (r.status !== 1 || (r.stderr !== expected && !byChoices.test(r.stderr))) wrong.push(`${w.name} --no-${flag}: status ${r.status}, ${JSON.stringify(r.stderr)}`);
        if (existsSync(out)) wrong.push(`${w.name} --no-${flag}: wrote ${out}`);
      }
    }
    expect(tried).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });

  it("behavior: a sweep's on/off axes keep their off form (--no-arbitrage, --no-exact)", async () => {
    const sweep = (await COMMANDS.find((c) => c.name === 'sweep')!.load()) as { negatable?: readonly string[] };
    expect([...(sweep.negatable ?? [])].sort()).toEqual(['arbitrage', 'exact']);
  });
});

afterAll(() => {
  process.exitCode = undefined;
});
