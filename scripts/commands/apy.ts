import type { Argv, CommandModule } from 'yargs';
import { groupThousands } from '../../sim/core/format.ts';
import { compoundsOfInterval, parseInterval, runApy, type ApyOptions, type ApyResult, type ApyRow } from '../../runs/apy.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { fractionRateWarning } from '../../runs/inputWarnings.ts';
import { APY_YEAR_DAYS, MAX_COMPOUNDS_PER_YEAR } from '../../sim/metrics/apy.ts';

export interface ApyArgs {
  readonly apr?: string;
  readonly apy?: string;
  readonly compounds?: string;
  readonly every?: string;
  readonly performanceFee?: string;
  readonly gas?: string;
  readonly capital?: string;
  readonly optimal?: boolean;
}

/** A decimal number (a trailing % divides by 100), or a ConfigError naming the flag. */
function numberFlag(flag: string, text: string, percentOk: boolean): number {
  const t = text.trim();
  const pct = percentOk && t.endsWith('%');
  const body = pct ? t.slice(0, -1).trim() : t;
  const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body) ? Number(body) : NaN;
  if (!Number.isFinite(v)) throw new ConfigError(flag, `must be a number${percentOk ? ' (a fraction: 0.3, or a percentage: 30%)' : ''}; was ${JSON.stringify(text)}`);
  return pct ? v / 100 : v;
}

/** Validates `ammsim apy` flags into run options (one ConfigError naming the flag). */
export function parseApyArgs(a: ApyArgs): ApyOptions {
  if ((a.apr === undefined) === (a.apy === undefined)) {
    throw new ConfigError(a.apr === undefined ? '--apr' : '--apy', a.apr === undefined ? 'give --apr X (to compound) or --apy X (to invert)' : 'give one of --apr and --apy, not both');
  }
  if (a.compounds !== undefined && a.every !== undefined) throw new ConfigError('--every', 'give one of --compounds and --every, not both');
  const kind = a.apr !== undefined ? 'apr' : 'apy';
  const value = numberFlag(`--${kind}`, String(a.apr ?? a.apy), true);
  let compoundsPerYear: number | undefined;
  let everyMs: number | undefined;
  if (a.compounds !== undefined) compoundsPerYear = numberFlag('--compounds', String(a.compounds), false);
  if (a.every !== undefined) {
    everyMs = parseInterval(String(a.every));
    compoundsPerYear = compoundsOfInterval(everyMs);
  }
  return {
    from: { kind, value },
    ...(compoundsPerYear === undefined ? {} : { compoundsPerYear }),
    ...(everyMs === undefined ? {} : { everyMs }),
    ...(a.performanceFee === undefined ? {} : { performanceFee: numberFlag('--performance-fee', String(a.performanceFee), true) }),
    ...(a.gas === undefined ? {} : { gasPerHarvest: numberFlag('--gas', String(a.gas), false) }),
    ...(a.capital === undefined ? {} : { capital: numberFlag('--capital', String(a.capital), false) }),
    ...(a.optimal === true ? { optimal: true } : {}),
    typed: {
      [`--${kind}` as const]: String(a.apr ?? a.apy),
      ...(a.compounds === undefined ? {} : { '--compounds': String(a.compounds) }),
      ...(a.performanceFee === undefined ? {} : { '--performance-fee': String(a.performanceFee) }),
      ...(a.gas === undefined ? {} : { '--gas': String(a.gas) }),
      ...(a.capital === undefined ? {} : { '--capital': String(a.capital) }),
    },
  };
}

/**
 * `--apr 30` (or `--apy 35`) is 3,000 % a year: a rate given as a fraction (no `%`) of 1 or more is probably a
 * percentage; the warnings (printed on stderr, the result unchanged), empty otherwise.
 */
export function apyWarnings(a: Pick<ApyArgs, 'apr' | 'apy'>): string[] {
  const out: string[] = [];
  for (const [flag, text] of [['--apr', a.apr], ['--apy', a.apy]] as const) {
    if (text === undefined || String(text).trim().endsWith('%')) continue;
    const w = fractionRateWarning(flag, numberFlag(flag, String(text), true), true);
    if (w !== undefined) out.push(w);
  }
  return out;
}

// toFixed switches to exponent form from 1e21: such a percentage is shown in exponent form on purpose, 4 digits
const pct = (x: number): string => (Math.abs(x * 100) >= 1e15 ? `${(x * 100).toExponential(3)} %` : `${groupThousands((x * 100).toFixed(2)).replace(/^-0\.00$/, '0.00')} %`);
// an amount below a cent keeps 3 significant digits (gas 0.0001 is not "0.00")
const amount = (x: number): string => (x !== 0 && Math.abs(x) < 0.01 ? String(Number(x.toPrecision(3))) : groupThousands(x.toFixed(2)));

/** Days as the largest unit that reads well: `7 d`, `30.42 d`, `1 h`, `15 min`. */
export function formatInterval(days: number): string {
  const trim = (x: number): string => x.toFixed(2).replace(/\.?0+$/, '');
  if (days >= 1) return `${trim(days)} d`;
  if (days * 24 >= 1) return `${trim(days * 24)} h`;
  if (days * 1440 >= 1) return `${trim(days * 1440)} min`;
  const seconds = days * 86_400;
  if (seconds >= 0.01) return `${trim(seconds)} s`;
  return `${Number(seconds.toPrecision(2))} s`; // shorter than 0.01 s: two significant digits, never "0 s"
}

function perYear(r: ApyRow): string {
  if (r.compoundsPerYear === 'continuous') return '∞';
  return Number.isInteger(r.compoundsPerYear) ? groupThousands(String(r.compoundsPerYear)) : groupThousands(r.compoundsPerYear.toFixed(2));
}

/**
 * Why the optimum is where it is, and, at a bound of the search, what that means for the user: between the bounds gas
 * and compounding balance; at the upper bound (every minute) gas is negligible, so more often still pays (up to the
 * continuous limit, e^((1 − fee)·APR) − 1); at the lower bound (once a year) compounding does not pay for its gas, so
 * the rewards are best claimed once, as never compounding (and that may still lose money).
 */
function optimumReason(o: NonNullable<ApyResult['optimal']>, performanceFee: number): { why: string; meaning?: string } {
  if (o.kind === 'interior') return { why: 'gas and compounding balance' };
  if (o.kind === 'max') {
    return {
      why: `at the search's upper bound, every ${formatInterval(APY_YEAR_DAYS / MAX_COMPOUNDS_PER_YEAR)}: gas is negligible at this capital`,
      meaning: `more often is better all the way to the bound: harvest as often as you can (the continuous limit is ${pct(Math.expm1(o.apr * (1 - performanceFee)))}).`,
    };
  }
  return {
    why: "at the search's lower bound, once a year: gas per harvest costs at least what compounding adds",
    meaning:
      'compounding does not pay for its gas: claim the rewards once a year, the same net APY as never compounding' +
      (o.netApy < 0 ? "; even that loses money: one claim's gas is more than a year of rewards after the fee." : '.'),
  };
}

/** The text `ammsim apy` prints: what was assumed, then a table, then the optimum when asked. */
export function formatApy(r: ApyResult): string {
  const costs = r.performanceFee > 0 || r.gasPerHarvest > 0;
  const assumptions = [
    `${r.yearDays}-day year`,
    r.performanceFee > 0 ? `performance fee ${pct(r.performanceFee)} of each harvest` : 'no performance fee',
    ...(r.capital === null ? [] : [`gas ${amount(r.gasPerHarvest)} per harvest on capital ${amount(r.capital)} (quote)`]),
  ];
  const head =
    r.from.kind === 'apr'
      ? `APR ${pct(r.from.value)} (simple) ${r.rows.every((x) => x.compoundsPerYear === 0) ? 'never compounded (the rewards claimed once, at the end)' : 'compounded at each harvest'}; ${assumptions.join(', ')}.`
      : `The APR that compounds to a net APY of ${pct(r.from.value)}; ${assumptions.join(', ')}.`;
  const aprColumn = r.from.kind === 'apy';
  const header = ['harvest', 'every', 'per year', ...(aprColumn ? ['APR needed'] : []), costs ? 'APY before costs' : 'APY', ...(costs ? ['net APY'] : [])];
  const rows = r.rows.map((x) => [
    x.name,
    x.intervalDays === null ? (x.compoundsPerYear === 0 ? '—' : '→ 0') : formatInterval(x.intervalDays),
    perYear(x),
    ...(aprColumn ? [pct(x.apr)] : []),
    pct(x.apyBeforeCosts),
    ...(costs ? [pct(x.apy)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [head, '', line(header), ...rows.map(line)];
  if (r.rows.some((x) => x.compoundsPerYear === 0)) out.push('', 'never: simple interest after the fee, the rewards claimed once at the end (one harvest\'s gas).');
  if (r.optimal !== null) {
    const o = r.optimal;
    const { why, meaning } = optimumReason(o, r.performanceFee);
    out.push(
      '',
      `optimal: harvest every ${formatInterval(o.intervalDays)} (${groupThousands(o.compoundsPerYear.toFixed(2))} a year) → net APY ${pct(o.netApy)} (${why});`,
      `  best whole number a year: ${groupThousands(String(o.whole.compoundsPerYear))} (every ${formatInterval(r.yearDays / o.whole.compoundsPerYear)}) → ${pct(o.whole.netApy)}.`,
      ...(meaning === undefined ? [] : [`  ${meaning}`]),
    );
  }
  return out.join('\n') + '\n';
}

export const apyCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'apy',
  describe: 'convert APR ↔ APY for a harvest frequency, a performance fee and gas per harvest; the best harvest interval for a capital',
  builder: (y: Argv) =>
    y
      .options({
        apr: { type: 'string', describe: 'simple APR to compound, fraction per 365-day year (0.3) or percentage (30%)' },
        apy: { type: 'string', describe: 'net APY to invert: the APR that compounds to it' },
        compounds: { type: 'string', describe: 'harvests per 365-day year (0 = never compounds)', defaultDescription: 'a table: never, yearly, monthly, weekly, daily, hourly, continuous' },
        every: { type: 'string', describe: 'harvest interval instead of --compounds: 1d, 7d, 12h, 30min, 2w (≤ 365d)' },
        'performance-fee': { type: 'string', describe: 'fraction of each harvest taken as fees (performance + caller), in [0, 1)', defaultDescription: '0' },
        gas: { type: 'string', describe: 'gas paid per harvest, quote (needs --capital)' },
        capital: { type: 'string', describe: 'capital compounding, quote (needs --gas)' },
        optimal: { type: 'boolean', describe: 'also find the harvest interval that maximises net APY (needs --apr, --gas, --capital)' },
        json: { type: 'boolean', describe: 'print the result as JSON' },
      })
      .example('$0 apy --apr 0.3', 'a table: 30 % APR compounded never … continuously (34.99 %)')
      .example('$0 apy --apr 30% --every 7d --performance-fee 0.1', 'weekly harvests, 10 % of each taken as fees')
      .example('$0 apy --apr 0.3 --gas 5 --capital 10000 --optimal', 'the harvest interval that maximises net APY when each harvest costs 5')
      .example('$0 apy --apy 0.35 --compounds 365', 'the APR that daily compounding turns into 35 %')
      .epilog(
        'Model: between harvests the capital earns APR/n; each harvest claims it, keeps (1 − fee) of it, pays the gas and re-invests the rest: V ← V·(1 + (1 − fee)·APR/n) − gas. ' +
          'APY is V after one 365-day year / capital − 1. The optimum balances compounding against gas; a larger capital harvests more often.',
      ),
  handler: (argv) => {
    const str = (k: string): string | undefined => (argv[k] === undefined ? undefined : String(argv[k]));
    const args: ApyArgs = Object.fromEntries(
      (['apr', 'apy', 'compounds', 'every', 'performanceFee', 'gas', 'capital'] as const).flatMap((k) => (str(k) === undefined ? [] : [[k, str(k)]])),
    );
    const r = runApy(parseApyArgs({ ...args, ...(argv.optimal === true ? { optimal: true } : {}) }));
    for (const w of apyWarnings(args)) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(argv.json === true ? `${JSON.stringify(r, null, 2)}\n` : formatApy(r));
  },
};
