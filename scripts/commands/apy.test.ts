import { describe, expect, it } from 'vitest';
import { runApy } from '../../runs/apy.ts';
import { apyCommand, formatApy, formatInterval, parseApyArgs, type ApyArgs } from './apy.ts';

const run = (a: ApyArgs) => runApy(parseApyArgs(a));
const text = (a: ApyArgs) => formatApy(run(a));
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

describe('ammsim apy', () => {
  it('behavior: --compounds 0 alone is said to never compound in the heading (it said "compounded at each harvest")', () => {
    expect(text({ apr: '0.3', compounds: '0' }).split('\n')[0]).toBe('APR 30.00 % (simple) never compounded (the rewards claimed once, at the end); 365-day year, no performance fee.');
    expect(text({ apr: '0.3', compounds: '12' }).split('\n')[0]).toContain('compounded at each harvest;');
  });

  it('behavior: a huge APY reads in exponent form with its % sign, and gas below a cent keeps its digits', async () => {
    const { formatApy } = await import('./apy.ts');
    const { runApy } = await import('../../runs/apy.ts');
    const big = formatApy(runApy({ from: { kind: 'apr', value: 500 } }));
    expect(big).toMatch(/monthly +30\.42 d +12 +3\.640e\+21 %/);
    expect(big).not.toMatch(/\d{22}/);
    expect(formatApy(runApy({ from: { kind: 'apr', value: 0.3 }, gasPerHarvest: 0.0001, capital: 1e9 }))).toContain('gas 0.0001 per harvest on capital 1,000,000,000.00 (quote)');
  });
  it('behavior: --apr alone prints the standard table, each APY (1 + r/n)^n − 1 and the continuous e^r − 1', () => {
    const t = text({ apr: '0.3' });
    expect(t).toContain('365-day year');
    for (const [name, n] of [['monthly', 12], ['daily', 365], ['hourly', 8760]] as const) {
      expect(t).toMatch(new RegExp(`^${name} .* ${pct(Math.pow(1 + 0.3 / n, n) - 1)}$`, 'm'));
    }
    expect(t).toMatch(new RegExp(`^weekly +7 d +52\\.14 +${pct(Math.pow(1 + 0.3 / (365 / 7), 365 / 7) - 1)}$`, 'm'));
    expect(t).toMatch(new RegExp(`^continuous .*∞ +${pct(Math.exp(0.3) - 1)}$`, 'm'));
    expect(t).toMatch(/^never +— +0 +30\.00 %$/m);
    expect(t).not.toContain('net APY');
  });

  it('behavior: 30% and 0.3 are the same; --every 1d is --compounds 365', () => {
    expect(run({ apr: '30%', every: '1d' })).toEqual({ ...run({ apr: '0.3', compounds: '365' }) });
  });

  it('behavior: fee and gas give a net column equal to the harvest-by-harvest vault', () => {
    const r = run({ apr: '0.3', compounds: '52', performanceFee: '0.1', gas: '5', capital: '10000' });
    let v = 10_000;
    for (let k = 0; k < 52; k++) v = v * (1 + (0.9 * 0.3) / 52) - 5;
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.apy).toBeCloseTo(v / 10_000 - 1, 12);
    expect(r.rows[0]!.apyBeforeCosts).toBeCloseTo(Math.pow(1 + 0.3 / 52, 52) - 1, 12);
    expect(formatApy(r)).toMatch(/APY before costs +net APY/);
  });

  it('behavior: --apy inverts: each row needs the APR that compounds back to the APY given', () => {
    const r = run({ apy: '0.35', gas: '5', capital: '10000' });
    for (const row of r.rows) expect(row.apy).toBe(0.35);
    const daily = r.rows.find((x) => x.name === 'daily')!;
    let v = 10_000;
    for (let k = 0; k < 365; k++) v = v * (1 + daily.apr / 365) - 5;
    expect(v / 10_000 - 1).toBeCloseTo(0.35, 12);
    expect(r.rows.map((x) => x.name)).not.toContain('continuous'); // infinitely many harvests cost ∞ gas
    expect(formatApy(r)).toContain('APR needed');
  });

  it('behavior: --optimal finds the best interval (brute force over whole harvests agrees)', () => {
    const r = run({ apr: '0.3', gas: '5', capital: '10000', optimal: true });
    const net = (n: number) => {
      let v = 10_000;
      for (let k = 0; k < n; k++) v = v * (1 + 0.3 / n) - 5;
      return v / 10_000 - 1;
    };
    let best = 1;
    for (let n = 2; n <= 400; n++) if (net(n) > net(best)) best = n;
    expect(r.optimal!.whole.compoundsPerYear).toBe(best);
    expect(formatApy(r)).toMatch(new RegExp(`best whole number a year: ${best} \\(every ${formatInterval(365 / best).replace('.', '\\.')}\\) → ${pct(net(best))}`));
  });

  it('behavior: a frequency given by --compounds or --every is labelled as the table labels it (0 is never, 365 daily), else custom', () => {
    const name = (a: ApyArgs) => run(a).rows.map((r) => r.name);
    expect(name({ apr: '0.3', compounds: '0' })).toEqual(['never']);
    expect(text({ apr: '0.3', compounds: '0' })).toMatch(/^never +— +0 +30\.00 %$/m);
    expect(name({ apr: '0.3', compounds: '1' })).toEqual(['yearly']);
    expect(name({ apr: '0.3', compounds: '12' })).toEqual(['monthly']);
    expect(name({ apr: '0.3', every: '7d' })).toEqual(['weekly']);
    expect(name({ apr: '0.3', every: '1w' })).toEqual(['weekly']);
    expect(name({ apr: '0.3', compounds: '365' })).toEqual(['daily']);
    expect(name({ apr: '0.3', every: '1h' })).toEqual(['hourly']);
    expect(name({ apy: '0.35', compounds: '0', gas: '5', capital: '10000' })).toEqual(['never']);
    expect(name({ apr: '0.3', compounds: '52' })).toEqual(['custom']);
    expect(name({ apr: '0.3', every: '2d' })).toEqual(['custom']);
  });

  it('behavior: --optimal at the search bound says which bound and what it means, never "gas and compounding balance"', () => {
    // gas negligible at this capital: the upper bound, every minute
    const top = text({ apr: '0.3', gas: '1e-9', capital: '10000', optimal: true });
    expect(top).toContain('optimal: harvest every 1 min (525,600.00 a year) → net APY 34.99 % (at the search\'s upper bound, every 1 min: gas is negligible at this capital);');
    expect(top).toContain('\n  more often is better all the way to the bound: harvest as often as you can (the continuous limit is 34.99 %).\n');
    expect(top).not.toContain('balance');
    // gas too large to compound: the lower bound, once a year (the same as never)
    const bottom = text({ apr: '0.3', gas: '363', capital: '10000', optimal: true });
    expect(bottom).toContain('optimal: harvest every 365 d (1.00 a year) → net APY 26.37 % (at the search\'s lower bound, once a year: gas per harvest costs at least what compounding adds);');
    expect(bottom).toMatch(/\n {2}compounding does not pay for its gas: claim the rewards once a year, the same net APY as never compounding\.\n$/);
    expect(bottom).toMatch(/^never +— +0 +30\.00 % +26\.37 %$/m);
    expect(bottom).not.toContain('balance');
    // and when even the one claim costs more than the year's rewards, it says so
    expect(text({ apr: '0.3', gas: '5000', capital: '10000', optimal: true })).toMatch(
      /net APY -20\.00 % \(at the search's lower bound, once a year: [\s\S]*never compounding; even that loses money: one claim's gas is more than a year of rewards after the fee\.\n$/,
    );
    // an interior optimum reads as before, with no third line
    const mid = text({ apr: '0.3', gas: '5', capital: '10000', optimal: true });
    expect(mid).toMatch(/\(gas and compounding balance\);\n {2}best whole number a year: [^\n]*\n$/);
  });

  it('behavior: --json is the result object', async () => {
    const writes: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (writes.push(s), true)) as typeof process.stdout.write;
    try {
      await (apyCommand.handler as (a: Record<string, unknown>) => Promise<void> | void)({ apr: '0.1', compounds: '12', json: true });
    } finally {
      process.stdout.write = orig;
    }
    const j = JSON.parse(writes.join(''));
    expect(j.yearDays).toBe(365);
    expect(j.rows[0].apy).toBeCloseTo(Math.pow(1 + 0.1 / 12, 12) - 1, 15);
  });

  it('behavior: intervals read in the largest unit', () => {
    expect([formatInterval(7), formatInterval(365 / 12), formatInterval(1 / 24), formatInterval(1 / 96), formatInterval(1 / 86_400)]).toEqual(['7 d', '30.42 d', '1 h', '15 min', '1 s']);
    expect(formatInterval(365 / 1e12)).toBe('0.000032 s'); // a trillion harvests a year: never "0 s"
  });
});

describe('apy flags: one-line errors, flags that cannot apply refused', () => {
  const err = (a: ApyArgs) => () => run(a);
  it('error: exactly one of --apr and --apy', () => {
    expect(err({})).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --apr: give --apr X (to compound) or --apy X (to invert)]`);
    expect(err({ apr: '0.1', apy: '0.1' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --apy: give one of --apr and --apy, not both]`);
  });
  it('error: --gas needs --capital and --capital needs --gas', () => {
    expect(err({ apr: '0.1', gas: '5' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --gas: needs --capital (gas per harvest matters relative to the capital it is paid from)]`);
    expect(err({ apr: '0.1', capital: '5' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --capital: only matters with --gas (the gas paid per harvest, in quote)]`);
  });
  it('error: --compounds and --every exclude each other; bad intervals and frequencies', () => {
    expect(err({ apr: '0.1', compounds: '12', every: '1d' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --every: give one of --compounds and --every, not both]`);
    expect(err({ apr: '0.1', every: '1 month' })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --every: must be an interval like 1d, 7d, 12h, 30min or 2w (units s, min, h, d, w); was "1 month"]`,
    );
    expect(err({ apr: '0.1', every: '400d' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --every: must be at most 365d (a year); was "400d"; use --compounds 0 for never]`);
    expect(err({ apr: '0.1', compounds: '0.5' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --compounds: must be 0 (never) or at least 1 harvest a year; was 0.5]`);
  });
  it('error: --optimal needs --apr, gas and capital, and no frequency', () => {
    expect(err({ apy: '0.1', gas: '1', capital: '10', optimal: true })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --optimal: needs --apr (the best harvest interval for a given APR)]`);
    expect(err({ apr: '0.1', optimal: true })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: --optimal: needs --gas > 0 and --capital: without a cost per harvest, more often is always better]`,
    );
    expect(err({ apr: '0.1', gas: '1', capital: '10', every: '1d', optimal: true })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --optimal: finds the frequency itself; drop --every]`);
  });
  it('error: numbers and ranges', () => {
    expect(err({ apr: 'abc' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --apr: must be a number (a fraction: 0.3, or a percentage: 30%); was "abc"]`);
    expect(err({ apr: '-1' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --apr: must be above −1 (−100 % a year); was -1]`);
    expect(err({ apr: '0.1', performanceFee: '1' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --performance-fee: must be a fraction in [0, 1) (0.1 = 10 % of each harvest); was 1]`);
    expect(err({ apr: '0.1', gas: '-1', capital: '10' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --gas: must be ≥ 0 (quote per harvest); was -1]`);
    expect(err({ apr: '0.1', gas: '1', capital: '0' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --capital: must be > 0 (quote); was 0]`);
  });
  it('error: a value given as a percentage (or other text than the number it reads as) is quoted as typed, not as the fraction', () => {
    expect(err({ apr: '0.1', performanceFee: '100%' })).toThrowErrorMatchingInlineSnapshot(`[ConfigError: --performance-fee: must be a fraction in [0, 1) (0.1 = 10 % of each harvest); was "100%"]`);
    expect(err({ apr: '0.1', performanceFee: '1e0' })).toThrow(/; was "1e0"$/);
    expect(err({ apr: '0.1', gas: '-1e1', capital: '10' })).toThrow(/^--gas: must be ≥ 0 \(quote per harvest\); was "-1e1"$/);
    expect(err({ apr: '0.1', gas: '1', capital: '0.0e5' })).toThrow(/^--capital: must be > 0 \(quote\); was "0\.0e5"$/);
    expect(err({ apy: '-150%' })).toThrow(/^--apy: must be above −1 \(−100 % a year\); was "-150%"$/);
    expect(err({ apr: '0.1', compounds: '5e-1' })).toThrow(/^--compounds: must be 0 \(never\) or at least 1 harvest a year; was "5e-1"$/);
    expect(err({ apr: '100000%' })).toThrow(/^--apr: too large: the hourly APY overflows .*; was "100000%"$/);
  });
  it('error: a rate whose result overflows (printed as Infinity % or NaN %, null in --json) is refused by name', () => {
    expect(err({ apr: '1000' })).toThrow('--apr: too large: the hourly APY overflows (in percent, beyond the largest number); give a smaller rate or fewer harvests (--compounds, --every); was 1000');
    expect(err({ apy: '1e308' })).toThrow('--apy: too large: the rate in percent overflows');
    // harvesting every minute (the optimum's search bound) passes it where the hourly row does not
    expect(err({ apr: '709', gas: '1e-9', capital: '1e9', optimal: true })).toThrow('--apr: too large: the optimal APY overflows');
    // finite answers stay answered, however large
    expect(run({ apr: '1000', compounds: '365' }).rows[0]!.apy).toBeGreaterThan(1e200);
  });
});
