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
const STRATEGY = f('myStrategy.mjs', "export default { name: 'my', defaults: {}, create: () => ({ onStart: () => [], onStep: () => [] }) };\n");

const SHARED = resolve(process.cwd(), '../shared/data/uniswap_v3');
const MINUTE = join(SHARED, 'ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv');
const EVENTS = join(SHARED, 'ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
const haveUniswap = existsSync(MINUTE) && existsSync(EVENTS);
const ORACLE_V2 = resolve(process.cwd(), '../shared/oracle/v2');
const v2Case = existsSync(ORACLE_V2) ? readdirSync(ORACLE_V2).filter((n) => n.endsWith('.jsonl')).sort().map((n) => join(ORACLE_V2, n))[0] : undefined;

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
  | { readonly kind: 'changes'; readonly args: readonly string[]; readonly baseline?: readonly string[]; readonly needs?: boolean }
  /** `args` (added to the command's base) exit 1 with one error line matching `error`. */
  | { readonly kind: 'refused'; readonly args: readonly string[]; readonly error: RegExp; readonly needs?: boolean }
  /** The flag's own effect, asserted by `check` on the run. */
  | { readonly kind: 'effect'; readonly args: readonly string[]; readonly check: (r: Ran, out: string) => void }
  /** Proven by another test file (named), e.g. network-only flags. */
  | { readonly kind: 'elsewhere'; readonly where: string };

interface CommandPlan {
  /** Arguments every run of this command gets. */
  readonly base: readonly string[];
  readonly output: Output;
  /** Whether runs take `--out DIR` from the harness for `refused` and `effect` checks. */
  readonly outFlag: boolean;
  readonly flags: Readonly<Record<string, readonly Check[]>>;
}

const changes = (...args: string[]): Check => ({ kind: 'changes', args });
const changesFrom = (baseline: string[], ...args: string[]): Check => ({ kind: 'changes', args, baseline });
const refused = (error: RegExp, ...args: string[]): Check => ({ kind: 'refused', args, error });
const real = (c: Check): Check => ({ ...c, needs: haveUniswap }) as Check;

// ---- the flags shared by backtest, compare and sweep --------------------------------------------------------
const V3 = ['--pool', 'v3', '--strategy', 'range'];
const MIN_WINDOW = ['--prices', MINUTE, '--from', '2024-01-05T00:00:00Z', '--to', '2024-01-05T03:00:00Z'];
const runFlags = (cmd: 'backtest' | 'compare' | 'sweep'): Record<string, readonly Check[]> => ({
  prices: [changes('--prices', PRICES_GAP, '--gaps', 'skip')],
  format: [refused(/^error: .*(arrow|Arrow)/i, '--format', 'arrow'), changesFrom(['--prices', PRICES_GAP, '--gaps', 'skip'], '--prices', PRICES_GAP, '--gaps', 'skip', '--format', 'csv', '--from', String(T0 + 3600))],
  pair: [changes('--prices', LONG, '--pair', 'BTC/USD'), refused(/^error: .*pair/i, '--pair', 'BTC/USD')],
  gaps: [changesFrom(['--prices', PRICES_GAP, '--gaps', 'skip'], '--prices', PRICES_GAP, '--gaps', 'ffill'), refused(/^error: .*gaps/, '--gaps', 'sometimes')],
  'price-of': [real(changesFrom([...MIN_WINDOW], ...MIN_WINDOW, '--price-of', 'token0')), refused(/^error: --price-of: .*Uniswap/, '--price-of', 'token0')],
  decimals0: [real(changesFrom([...MIN_WINDOW], ...MIN_WINDOW, '--decimals0', '7')), refused(/^error: --decimals0: .*Uniswap/, '--decimals0', '7')],
  decimals1: [real(changesFrom([...MIN_WINDOW], ...MIN_WINDOW, '--decimals1', '17')), refused(/^error: --decimals1: .*Uniswap/, '--decimals1', '17')],
  resample: [changes('--resample', '2h')],
  'divide-by': [changes('--divide-by', DIVISOR)],
  from: [changes('--from', '2024-01-02')],
  to: [changes('--to', '2024-01-02')],
  pool: [changes('--pool', 'v3')],
  fee: [changes('--fee', '0.01')],
  'tick-spacing': [changes(...V3, '--width', '0.001', '--tick-spacing', '200'), refused(/^error: --tick-spacing: /, '--tick-spacing', '10')],
  'pool-liquidity': [changes('--pool-liquidity', '50000')],
  'pool-liquidity-file': [changesFrom([...V3], ...V3, '--pool-liquidity-file', LIQ), refused(/^error: --pool-liquidity-file: /, '--pool-liquidity-file', LIQ)],
  exact: [changesFrom([...V3, '--pool-liquidity', '30000'], ...V3, '--pool-liquidity', '30000', '--exact')],
  strategy: [cmd === 'sweep' ? changes('--strategy', 'hold') : changes('--strategy', STRATEGY)],
  width: [changesFrom([...V3], ...V3, '--width', '0.03'), refused(/^error: --width: /, '--strategy', 'full-range', '--width', '0.2')],
  'rebalance-delay': [changesFrom(['--pool', 'v3', '--strategy', 'rebalance', '--width', '0.01'], '--pool', 'v3', '--strategy', 'rebalance', '--width', '0.01', '--rebalance-delay', '5'), refused(/^error: --rebalance-delay: /, '--rebalance-delay', '3')],
  param: [changesFrom([...V3], ...V3, '--param', 'width=0.02'), refused(/^error: .*param/i, '--param', 'nonsense=1')],
  capital: [changes('--capital', '500')],
  arbitrage: [changes('--no-arbitrage')],
  'noise-rate': [changes('--noise-rate', '2')],
  'noise-size': [changesFrom(['--noise-rate', '2'], '--noise-rate', '2', '--noise-size', '20000'), refused(/^error: --noise-size: /, '--noise-size', '500')],
  'noise-volume-share': [changes('--noise-volume-share', '0.1')],
  'gas-price': [changes('--gas-price', '30')],
  'gas-price-series': [changes('--gas-price-series', GAS)],
  'gas-before': [refused(/^error: .*gas-late\.csv: .*starts .*after/, '--gas-price-series', GAS_LATE, '--gas-before', 'error'), ...(cmd === 'sweep' ? [] : [{ kind: 'effect', args: ['--gas-price-series', GAS_LATE, '--gas-before', 'fill'], check: (_r: Ran, out: string) => expect(JSON.stringify(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).warnings)).toMatch(/gas-late\.csv/) } as Check]), refused(/^error: --gas-before: /, '--gas-before', 'error')],
  'native-price-series': [changesFrom(['--gas-price', '30'], '--gas-price', '30', '--native-price-series', NATIVE), refused(/^error: --native-price-series: /, '--native-price-series', NATIVE)],
  'fee-model': [changes(...V3, '--fee-model', 'all'), refused(/^error: --fee-model: volume needs/, ...V3, '--fee-model', 'volume')],
  'fee-events': [real(changesFrom([...V3, ...MIN_WINDOW, '--fee-model', 'all'], ...V3, ...MIN_WINDOW, '--fee-model', 'all', '--fee-events', EVENTS)), refused(/^error: --fee-events: /, '--fee-events', PRICES)],
  seed: [changesFrom(['--noise-rate', '2'], '--noise-rate', '2', '--seed', '7')],
  config: [changes('--config', CFG)],
});

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
};

// ---- the walk ----------------------------------------------------------------------------------------------
interface Walked {
  readonly name: string;
  readonly flags: string[];
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
    const y = optionsOf(builder) as Argv & { getOptions(): { key: Record<string, unknown> }; getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, { builder: CommandModule['builder'] }> } } };
    const keys = Object.keys(y.getOptions().key).filter((k) => k !== 'help' && k !== 'version' && !/[A-Z]/.test(k));
    out.push({ name, flags: keys });
    for (const [sub, h] of Object.entries(y.getInternalMethods().getCommandInstance().getCommandHandlers())) visit(`${name} ${sub}`, h.builder);
  };
  for (const c of COMMANDS) {
    const mod = await c.load();
    visit(c.name, mod.builder);
  }
  return out;
}

let walked: Walked[] = [];
beforeAll(async () => {
  walked = await walkCommands();
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
      if (plan === undefined) continue;
      for (const flag of w.flags) if (plan.flags[flag] === undefined || plan.flags[flag]!.length === 0) missing.push(`${w.name} --${flag}`);
    }
    expect(missing).toEqual([]);
  });

  for (const [cmd, plan] of Object.entries(PLANS)) {
    for (const [flag, checks] of Object.entries(plan.flags)) {
      checks.forEach((check, i) => {
        const title = `${cmd} --${flag} (${check.kind}${checks.length > 1 ? ` ${i + 1}` : ''})`;
        if (check.kind === 'elsewhere') {
          it.skip(`${title}: proven in ${check.where}`, () => {});
          return;
        }
        const needs = 'needs' in check ? check.needs : undefined;
        it.skipIf(needs === false)(`${title}${needs === false ? ' — skipped: ../shared/data/uniswap_v3 files absent' : ''}`, async () => {
          if (check.kind === 'changes') {
            const a = await plan.output([...(check.baseline ?? [])]);
            const b = await plan.output(check.args);
            expect(b, `${cmd} ${check.args.join(' ')} gives the same output as ${(check.baseline ?? []).join(' ') || 'the baseline'}`).not.toBe(a);
          } else if (check.kind === 'refused') {
            const out = outDir();
            const r = await ammsim([cmd, ...withBase(plan.base, check.args), ...(plan.outFlag ? ['--out', out] : [])]);
            const lines = r.stderr.split('\n').filter((l) => l !== '');
            expect({ status: r.status, lines: lines.length }, r.stderr).toEqual({ status: 1, lines: 1 });
            expect(lines[0]).toMatch(check.error);
            if (plan.outFlag) expect(existsSync(join(out, 'summary.json'))).toBe(false);
          } else {
            const out = outDir();
            const r = await ammsim([cmd, ...withBase(plan.base, check.args), ...(plan.outFlag ? ['--out', out] : [])]);
            expect(r.status, r.stderr).toBe(0);
            check.check(r, out);
          }
        });
      });
    }
  }
});

afterAll(() => {
  process.exitCode = undefined;
});
