import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-compare-'));

function ammsim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'));
}

// 10 days and 3 hours of hourly prices from 2000 (hand-made wiggle), starting 2024-01-01T00:00Z.
const T0S = 1704067200;
const N = 24 * 10 + 4;
const prices = Array.from({ length: N }, (_, i) => 2000 * (1 + 0.08 * Math.sin(i / 9)) * (1 + i / 2000));
const pricesCsv = file('prices.csv', 'timestamp,price\n' + prices.map((p, i) => `${T0S + 3600 * i},${p}`).join('\n') + '\n');

type Summary = Record<string, Record<string, number> | unknown>;
const read = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('ammsim compare', () => {
  it('behavior: writes summary.json with lp, hold, staking; staking = (C/P0)(1 + A/365)^10·P_T; the report has the staking section', () => {
    const out = join(tmp, 'ok');
    const r = ammsim('compare', '--prices', pricesCsv, '--staking-apr', '0.05', '--compounding', 'daily', '--capital', '5000', '--out', out);
    expect(errorLines(r.stderr)).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/staking beats this LP at any (fixed )?staking APR|no breakeven staking APR/);
    const s = read(out);
    expect(s.alternatives).toEqual(['lp', 'hold', 'staking', 'hold-staked']);
    const st = s.staking as Record<string, number>;
    const expected = (5000 / prices[0]!) * (1 + 0.05 / 365) ** 10 * prices[N - 1]!;
    expect(Math.abs(st.finalValue! / expected - 1)).toBeLessThan(1e-9);
    for (const id of ['lp', 'hold', 'staking', 'hold-staked']) for (const k of ['finalValue', 'apr', 'maxDrawdown']) expect(typeof (s[id] as Record<string, number>)[k]).toBe('number');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2 id="staking">Staking vs LP</h2>');
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained
  });

  it('behavior: the breakeven APR, fed back as --staking-apr, makes staking equal the LP (1e-6)', () => {
    const a = join(tmp, 'be1');
    const b = join(tmp, 'be2');
    expect(ammsim('compare', '--prices', pricesCsv, '--compounding', 'continuous', '--commission', '0.1', '--unbonding-days', '2', '--out', a).status).toBe(0);
    const apr = ((read(a).breakeven as Record<string, Record<string, number>>).lp!).stakingApr!;
    expect(ammsim('compare', '--prices', pricesCsv, '--compounding', 'continuous', '--commission', '0.1', '--unbonding-days', '2', `--staking-apr=${apr}`, '--out', b).status).toBe(0);
    const s = read(b);
    expect(Math.abs((s.staking as Record<string, number>).finalValue! / (s.lp as Record<string, number>).finalValue! - 1)).toBeLessThan(1e-6);
  });

  it('behavior: several LP alternatives, a staking series, a config file with staking keys, and a what-if sweep', () => {
    const out = join(tmp, 'multi');
    const series = file('apr.csv', `timestamp,apr\n2023-12-31,0.04\n2024-01-05,0.06\n`);
    // keys as config keys or as the flags are written (pool-liquidity), as backtest reads them
    const cfg = file('cfg.json', JSON.stringify({ commission: 0.1, paths: 3, capital: 1000, 'pool-liquidity': 5e7 }));
    const r = ammsim('compare', '--prices', pricesCsv, '--strategy', 'full-range,hold', '--staking-series', series, '--config', cfg, '--csv', '--from', '2024-01-02', '--out', out);
    expect(errorLines(r.stderr)).toEqual([]);
    const s = read(out);
    expect(s.alternatives).toEqual(['lp:full-range', 'lp:hold', 'hold', 'staking', 'hold-staked']);
    expect((s.config as Record<string, unknown>).capital).toBe(1000);
    expect((s.config as Record<string, unknown>).poolLiquidity).toBe(5e7);
    const w = s.whatIf as { paths: number; lpMinusStaking: Record<string, Record<string, number>> };
    expect(w.paths).toBe(3);
    expect(Object.keys(w.lpMinusStaking)).toEqual(['lp:full-range', 'lp:hold']);
    const csv = readFileSync(join(out, 'values.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('timestamp,price,lp:full-range,lp:hold,hold,staking,hold-staked');
    expect(csv.length).toBe(N - 24 + 2); // --from drops the first day; + header + final newline
    expect(csv[1]!.startsWith('2024-01-02T00:00:00.000Z,')).toBe(true);
  });

  it('behavior: --from/--to parse as in backtest: a bare --to date is the whole day, unix seconds are seconds; the window is in summary.json', () => {
    const out = join(tmp, 'window');
    const r = ammsim('compare', '--prices', pricesCsv, '--from', String(T0S + 86_400), '--to', '2024-01-05', '--csv', '--out', out);
    expect(errorLines(r.stderr)).toEqual([]);
    const csv = readFileSync(join(out, 'values.csv'), 'utf8').trim().split('\n');
    expect(csv[1]!.startsWith('2024-01-02T00:00:00.000Z,')).toBe(true);
    expect(csv[csv.length - 1]!.startsWith('2024-01-05T23:00:00.000Z,')).toBe(true); // the whole of Jan 5
    expect(csv.length - 1).toBe(4 * 24);
    const s = read(out);
    expect(s.config).toMatchObject({ from: String(T0S + 86_400), to: '2024-01-05' });
    expect(s.steps).toBe(4 * 24);
  });

  it('behavior: --incentive with a harvest policy: the LP entry has the reward keys, APY with its n and the breakeven reward prices; the table and report show them', () => {
    const out = join(tmp, 'farm');
    const farm = file('farm.json', JSON.stringify({ kind: 'staking-rewards', token: 'UNI', total: 20000, start: '2024-01-02T00:00:00Z', end: '2024-01-09T00:00:00Z', otherStakedValue: 1000000 }));
    const r = ammsim('compare', '--prices', pricesCsv, '--incentive', farm, '--harvest', 'interval', '--harvest-param', 'every=1d', '--harvest-param', 'then=compound', '--reward-price', '2', '--gas-price', '5', '--staking-apr', '0.04', '--out', out);
    expect(errorLines(r.stderr)).toEqual([]);
    expect(r.status).toBe(0);
    const lp = read(out).lp as Record<string, number>;
    expect(lp.harvests).toBe(8); // Jan 2 01:00 … Jan 8 01:00, and the last 23 hours on Jan 9 01:00
    expect(lp.rewardsEarned).toBeGreaterThan(0);
    expect(lp.apyCompoundsPerYear).toBe(365);
    expect(lp.apy).toBeGreaterThan(lp.totalApr!);
    expect(typeof lp.breakevenRewardPriceStaking).toBe('number');
    expect(r.stdout).toMatch(/^Rewards earned +[\d,.]+ +— +— +—$/m);
    expect((read(out).config as Record<string, unknown>).incentives).toEqual([farm]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('id="rewards-table"');
    // without a program the mining flags are refused, not ignored
    const bad = ammsim('compare', '--prices', pricesCsv, '--harvest', 'interval', '--out', join(tmp, 'farm-bad'));
    expect(bad.status).toBe(1);
    expect(errorLines(bad.stderr)).toEqual(['error: --harvest: decides when to claim rewards; it needs a liquidity-mining program (--incentive FILE.json)']);
  });

  it('behavior: --param width=W (no --width) runs and labels the LP with width W, as --width W does; with --width too it is refused', () => {
    const a = join(tmp, 'pw-param');
    const b = join(tmp, 'pw-width');
    expect(errorLines(ammsim('compare', '--prices', pricesCsv, '--pool', 'v3', '--strategy', 'range', '--param', 'width=0.03', '--out', a).stderr)).toEqual([]);
    expect(errorLines(ammsim('compare', '--prices', pricesCsv, '--pool', 'v3', '--strategy', 'range', '--width', '0.03', '--out', b).stderr)).toEqual([]);
    const lpA = read(a).lp as Record<string, number>;
    const lpB = read(b).lp as Record<string, number>;
    expect(lpA.width).toBe(0.03);
    expect(lpA.finalValue).toBe(lpB.finalValue);
    expect((read(a).config as Record<string, unknown>).widths).toEqual([0.03]);
    const both = ammsim('compare', '--prices', pricesCsv, '--pool', 'v3', '--strategy', 'range', '--width', '0.05', '--param', 'width=0.03', '--out', join(tmp, 'pw-both'));
    expect(both.status).toBe(1);
    expect(errorLines(both.stderr)).toEqual(['error: --param: width=… and --width both set the range width; give the width with --width only']);
  });

  it('behavior: with no --width a strategy runs at its own default width, as in backtest (a user module whose default is 0.3); a strategy without a width reports none', () => {
    const wide = file('wide.mjs', "export default { name: 'wide', description: 'fixed range, default width 0.3', defaults: { width: 0.3 }, create: (p) => ({ onStart: (ctx) => [{ kind: 'mint', range: { lower: ctx.poolPrice / (1 + p.width), upper: ctx.poolPrice * (1 + p.width) } }], onStep: () => [] }) };\n");
    const b = join(tmp, 'own-b');
    const c = join(tmp, 'own-c');
    expect(ammsim('backtest', '--prices', pricesCsv, '--pool', 'v3', '--strategy', wide, '--out', b).status).toBe(0);
    expect(errorLines(ammsim('compare', '--prices', pricesCsv, '--pool', 'v3', '--strategy', wide, '--out', c).stderr)).toEqual([]);
    const lp = read(c).lp as Record<string, number>;
    expect(lp.width).toBe(0.3);
    expect(lp.finalValue).toBe((JSON.parse(readFileSync(join(b, 'summary.json'), 'utf8')) as Record<string, number>).finalValue);
    expect((read(c).config as Record<string, unknown>).widths).toEqual([0.3]);
    const f = join(tmp, 'own-full');
    expect(errorLines(ammsim('compare', '--prices', pricesCsv, '--strategy', 'full-range', '--out', f).stderr)).toEqual([]);
    expect((read(f).config as Record<string, unknown>).widths).toEqual([]);
  });

  it('behavior: several ranges: each LP − hold (summary.json, report, terminal) is against its own hold, its PnL vs hold; the terminal says what hold is', () => {
    const out = join(tmp, 'own-holds');
    const r = ammsim('compare', '--prices', pricesCsv, '--pool', 'v3', '--strategy', 'range', '--width', '0.02,0.3', '--out', out);
    expect(errorLines(r.stderr)).toEqual([]);
    const s = read(out);
    const diff = s.differences as Record<string, Record<string, number>>;
    const lps = ['lp:width=0.02', 'lp:width=0.3'].map((id) => [id, s[id] as Record<string, number>] as const);
    expect(lps[0]![1].holdValue).not.toBe(lps[1]![1].holdValue);
    for (const [id, e] of lps) expect(diff[id]!.minusHold, id).toBe(e.vsHold);
    expect(r.stdout).toContain("\nnote: hold is the tokens lp:width=0.02 deposited, held; each LP alternative's PnL vs hold (vsHold) and LP − hold (differences.minusHold) are against the tokens it deposited itself");
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<th>LP − its own hold</th>');
  });

  it('behavior: summary.json\'s resolved config given back as --config reruns the same comparison, byte for byte (strategies, widths, staking and whatIf read as their flags)', () => {
    const apr = file('rerun-apr.csv', 'timestamp,apr\n2023-12-31,0.04\n2024-01-05,0.06\n');
    const lst = file('rerun-lst.csv', 'timestamp,pair,price\n' + Array.from({ length: 12 }, (_, d) => `${T0S + 86_400 * d},STETH/ETH,${0.99 - 0.001 * d}`).join('\n') + '\n');
    const wide = file('rerun-wide.mjs', "export default { name: 'wide', description: 'fixed range, default width 0.3', defaults: { width: 0.3 }, create: (p) => ({ onStart: (ctx) => [{ kind: 'mint', range: { lower: ctx.poolPrice / (1 + p.width), upper: ctx.poolPrice * (1 + p.width) } }], onStep: () => [] }) };\n");
    const cases: Array<[string, string[]]> = [
      ['default', []],
      ['lists', ['--pool', 'v3', '--strategy', 'range,full-range', '--width', '0.05,0.2', '--staking-series', apr, '--commission', '0.1', '--compounding', 'continuous', '--unbonding-days', '1', '--paths', '3', '--paths-method', 'bootstrap', '--block-steps', '5', '--csv']],
      ['lst', ['--pool', 'v3', '--strategy', 'range', '--param', 'width=0.03', '--lst-series', lst, '--lst-entry', 'market', '--paths', '2', '--paths-volatility', '0.5', '--from', '2024-01-02']],
      // each strategy at its own default width (0.1 and 0.3): written as null, since [0.1, 0.3] would run both at both
      ['own-widths', ['--pool', 'v3', '--strategy', `range,${wide}`]],
    ];
    for (const [name, flags] of cases) {
      const a = join(tmp, `rerun-${name}-a`);
      const b = join(tmp, `rerun-${name}-b`);
      expect(errorLines(ammsim('compare', '--prices', pricesCsv, ...flags, '--out', a).stderr), name).toEqual([]);
      const cfg = file(`rerun-${name}.json`, JSON.stringify(read(a).config, null, 2));
      const r = ammsim('compare', '--config', cfg, '--out', b);
      expect(errorLines(r.stderr), name).toEqual([]);
      expect(r.status, name).toBe(0);
      for (const f of ['summary.json', 'report.html', ...(flags.includes('--csv') ? ['values.csv'] : [])]) {
        expect(readFileSync(join(b, f), 'utf8'), `${name}: ${f}`).toBe(readFileSync(join(a, f), 'utf8'));
      }
    }
    expect((read(join(tmp, 'rerun-own-widths-a')).config as Record<string, unknown>).widths).toBeNull();
    expect(read(join(tmp, 'rerun-own-widths-a')).alternatives).toEqual(['lp:range', `lp:${wide}`, 'hold', 'staking', 'hold-staked']);
    // flags win over the file's: a --paths replaces whatIf.paths, a --staking-apr the file's staking series
    const c = join(tmp, 'rerun-flags');
    expect(errorLines(ammsim('compare', '--config', join(tmp, 'rerun-lists.json'), '--paths', '2', '--staking-apr', '0.05', '--out', c).stderr)).toEqual([]);
    expect(read(c).config).toMatchObject({ staking: { apr: 0.05, aprSeries: null, commission: 0.1 }, whatIf: { paths: 2, method: 'bootstrap', blockSteps: 5 } });
  });

  const EVENTS = '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv';
  it.skipIf(!existsSync(EVENTS))('behavior: --fee-model replay on a pool-events file steps through the events as backtest does: the LP is the backtest', () => {
    const flags = ['--prices', EVENTS, '--pool', 'v3', '--fee', '0.0005', '--fee-model', 'replay', '--strategy', 'range', '--width', '0.01', '--to', '2024-01-05T02:00:00Z'];
    const b = join(tmp, 'replay-b');
    const c = join(tmp, 'replay-c');
    expect(ammsim('backtest', ...flags, '--out', b).status).toBe(0);
    expect(errorLines(ammsim('compare', ...flags, '--out', c).stderr)).toEqual([]);
    const bt = JSON.parse(readFileSync(join(b, 'summary.json'), 'utf8')) as Record<string, number>;
    const s = read(c);
    expect(s.steps).toBe(bt.steps);
    for (const k of ['finalValue', 'feesEarned', 'holdValue']) expect((s.lp as Record<string, number>)[k], k).toBe(bt[k]);
  });

  let errCase = 0;
  it.each([
    [['--staking-apr', '0.04', '--staking-series', 'x.csv'], /^error: --staking-apr: give either --staking-apr or --staking-series, not both$/],
    [['--commission', '1'], /^error: --commission: must be a fraction in \[0, 1\)/],
    [['--unbonding-days', '-1'], /^error: --unbonding-days: must be ≥ 0/],
    [['--width', '0.1,abc'], /^error: --width: must be a number or a comma-separated list of numbers; found "abc"$/],
    [['--staking-series', file('bad.csv', 'timestamp,apr\n2024-01-01,0.05\n2024-01-02,lots\n')], /^error: .*bad\.csv:3: apr: must be a finite fraction > -1 .*"lots"$/],
    [['--staking-series', file('late.csv', 'timestamp,apr\n2024-02-01,0.05\n')], /^error: .*late\.csv: timestamp: the staking APR series starts at 2024-02-01T00:00:00.000Z, after the run starts at 2024-01-01T00:00:00.000Z/],
    [['--from', '2024-01-05', '--to', '2024-01-02'], /^error: --to: must be after --from \(2024-01-05\); was 2024-01-02$/],
    [['--from', 'someday'], /^error: --from: must be an ISO-8601 date or time \(2022-01-01, 2022-01-01T12:00:00Z\) or unix seconds; was "someday"$/],
    [['--to', '2023-12-31'], /^error: --to: the window keeps 0 row\(s\) of the series \(2024-01-01T00:00:00.000Z … 2024-01-11T03:00:00.000Z\); it needs at least 2$/],
    [['--lst-entry', 'market'], /^error: --lst-entry: applies to a liquid staking token; give --lst-series FILE/],
    [['--paths-volatility', '0.5'], /^error: --paths-volatility: applies to the what-if paths; give --paths N/],
    [['--paths', '2', '--paths-method', 'bootstrap', '--paths-drift', '0.1'], /^error: --paths-drift: applies to --paths-method gbm/],
    [['--paths', '2', '--block-steps', '5'], /^error: --block-steps: applies to --paths-method bootstrap$/],
    [['--config', file('typo.json', JSON.stringify({ stakingApy: 0.04 }))], /^error: .*typo\.json:1: stakingApy: unknown key; did you mean "stakingApr"\?$/],
    [['--config', file('twice.json', JSON.stringify({ 'staking-apr': 0.04, stakingApr: 0.05 }))], /^error: .*twice\.json: "staking-apr" and "stakingApr" are the same key; give it once$/],
    [['--config', file('nested.json', '{"capital": 5000,\n "staking": {\n  "compounding": "weekly"}}')], /^error: .*nested\.json:3: staking\.compounding: must be one of none, daily, continuous; was "weekly"$/],
    [['--config', file('flat.json', '{"capital": 5000,\n "commission": 1}')], /^error: .*flat\.json:2: commission: must be a fraction in \[0, 1\)/],
    [['--config', file('both.json', '{"strategy": "full-range",\n "strategies": ["full-range"]}')], /^error: .*both\.json:2: strategies: sets what "strategy" sets; give one of them$/],
    [['--config', file('inner.json', '{"whatIf": {"pathz": 3}}')], /^error: .*inner\.json:1: whatIf: unknown key "pathz"; did you mean "paths"\?$/],
    [['--config', file('shape.json', '{"widths": 0.1}')], /^error: .*shape\.json:1: widths: must be a list of range widths > 0/],
    [['--config', file('listitem.json', '{\n"width": "0.1,x"}')], /^error: .*listitem\.json:2: width: must be a number or a comma-separated list of numbers; found "x"$/],
    [['--noise-size', '1000'], /^error: --noise-size: sizes noise trades; it needs --noise-rate > 0$/],
    [['--pool', 'v3', '--fee-model', 'replay', '--paths', '2'], /^error: --paths: what-if paths move the price away from the logged swaps that --fee-model replay credits fees from/],
    [['--paths', '2', '--paths-drift', '1e6'], /^error: --paths-drift: what-if path 0 leaves the prices a series may hold \(finite, > 0\)/],
    [['--paths', '2', '--paths-volatility', '1e6'], /^error: --paths-volatility: what-if path 0 leaves the prices a series may hold \(finite, > 0\)/],
  ])('error: %j is one clear line, exit 1, no summary.json', (args, pattern) => {
    const out = join(tmp, `err-${errCase++}`);
    const r = ammsim('compare', '--prices', pricesCsv, ...args, '--out', out);
    expect(r.status).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });
});
