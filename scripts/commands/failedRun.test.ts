import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// CONTRACT: no output file is left stale from a failed run. A run that fails into a folder an earlier run of the same
// command wrote removes that run's files: they must not pass for this run's result. Another command's folder is refused
// as --out before any work, and nothing in it is removed (scripts/commands/outputFolder.ts).

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-failed-'));

function ammsim(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AMMSIM_NO_CACHE: '1' } });
  return { status: r.status, stderr: r.stderr };
}

const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const good = file('good.csv', 'timestamp,price\n1704067200,2000\n1704070800,2010\n1704074400,1990\n');
const bad = file('bad.csv', 'timestamp,price\n1704067200,2000\n1704070800,-1\n');

describe('a failed run leaves none of an earlier run\'s outputs in --out', () => {
  it('behavior: backtest (a bad price file, then a bad flag value)', () => {
    const out = join(tmp, 'bt');
    for (const failing of [['--prices', bad], ['--prices', good, '--fee', '2']]) {
      expect(ammsim('backtest', '--prices', good, '--csv', '--out', out).status).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['events.json', 'report.html', 'summary.json', 'timeseries.arrow', 'timeseries.csv']);
      const r = ammsim('backtest', ...failing, '--out', out);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^error: /);
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it('behavior: compare (a bad staking series)', () => {
    const out = join(tmp, 'cmp');
    expect(ammsim('compare', '--prices', good, '--staking-apr', '0.04', '--csv', '--out', out).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['lp-events.json', 'report.html', 'series.arrow', 'summary.json', 'values.csv']);
    const r = ammsim('compare', '--prices', good, '--staking-series', file('apr.csv', 'timestamp,apr\n1704067200,abc\n'), '--out', out);
    expect(r.status).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a folder another command wrote', () => {
  it('behavior: backtest and compare refuse a sweep\'s folder, compare a backtest\'s, backtest a comparison\'s, leaving it whole', () => {
    const sw = join(tmp, 'sw');
    expect(ammsim('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--out', sw).status).toBe(0);
    const before = readdirSync(sw).sort();
    for (const cmd of ['backtest', 'compare']) {
      const r = ammsim(cmd, '--prices', good, '--out', sw);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^error: --out: .*sw holds a sweep \\(sweep\\.json\\); give another folder`));
      expect(readdirSync(sw).sort()).toEqual(before);
    }
    const bt = join(tmp, 'both-bt');
    expect(ammsim('backtest', '--prices', good, '--csv', '--out', bt).status).toBe(0);
    for (const failing of [[], ['--fee', '2']]) {
      const r = ammsim('compare', '--prices', good, '--staking-apr', '0.04', ...failing, '--out', bt);
      expect([r.status, r.stderr]).toEqual([1, `error: --out: ${bt} holds a backtest (summary.json); give another folder\n`]);
      expect(readdirSync(bt).sort()).toEqual(['events.json', 'report.html', 'summary.json', 'timeseries.arrow', 'timeseries.csv']);
    }
    const cmp = join(tmp, 'both-cmp');
    expect(ammsim('compare', '--prices', good, '--staking-apr', '0.04', '--csv', '--out', cmp).status).toBe(0);
    for (const failing of [[], ['--fee', '2']]) {
      const r = ammsim('backtest', '--prices', good, ...failing, '--out', cmp);
      expect([r.status, r.stderr]).toEqual([1, `error: --out: ${cmp} holds a comparison (summary.json); give another folder\n`]);
      expect(readdirSync(cmp).sort()).toEqual(['lp-events.json', 'report.html', 'series.arrow', 'summary.json', 'values.csv']);
    }
  });
});

describe('a failed il, report, validate, replay-real or data fetch leaves no earlier --out', () => {
  const EVENTS = join(process.cwd(), 'sim/replay/validate/fixtures/usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
  const cases: Array<[string, string, string[], string[]]> = [
    ['il', 'il.html', ['il', '--price', '2000'], ['il', '--price', '0']],
    ['report', 'r.html', ['report', '--run', '@bt'], ['report', '--run', join(tmp, 'nope')]],
    ['validate', 'v.json', ['validate', '--events', EVENTS, '--all'], ['validate', '--events', EVENTS, '--position', 'foo']],
    ['replay-real', 'rr.json', ['replay-real', '--events', EVENTS, '--reanchor'], ['replay-real', '--events', EVENTS, '--fee', 'abc']],
  ];
  for (const [name, file, ok, failing] of cases) {
    it(`behavior: ${name}`, () => {
      const bt = join(tmp, `bt-${name}`);
      expect(ammsim('backtest', '--prices', good, '--out', bt).status).toBe(0);
      const out = join(tmp, file);
      const args = (a: string[]): string[] => a.map((x) => (x === '@bt' ? bt : x));
      const first = ammsim(...args(ok), '--out', out);
      expect(first.status, first.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
      const r = ammsim(...args(failing), '--out', out);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/^error: /);
      expect(existsSync(out)).toBe(false);
    });
  }
  it('behavior: a failed data fetch keeps an earlier download (a dataset, not a result: a typo must not delete it)', () => {
    const out = join(tmp, 'candles.arrow');
    writeFileSync(out, 'an earlier fetch');
    const r = ammsim('data', 'fetch', 'binance', '--symbol', 'ETHUSDT', '--interval', '7x', '--start', '2024-01-01', '--end', '2024-01-02', '--out', out);
    expect(r.status).not.toBe(0);
    expect(existsSync(out)).toBe(true);
  });
  it('behavior: a failed report rebuild into its --run folder keeps that run\'s own report.html', () => {
    const bt = join(tmp, 'bt-own');
    expect(ammsim('backtest', '--prices', good, '--out', bt).status).toBe(0);
    const r = ammsim('report', '--run', bt, '--out', join(bt, 'report.html'), '--max-points', '5');
    expect(r.status).not.toBe(0);
    expect(existsSync(join(bt, 'report.html'))).toBe(true);
  });
});

describe('a flag refused before the command runs (scripts/cli.ts) removes the earlier --out as the command would', () => {
  const EVENTS = join(process.cwd(), 'sim/replay/validate/fixtures/usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
  it.each([
    ['backtest: a number flag without a number', ['backtest', '--prices', good, '--seed=']],
    ['backtest: a flag given twice', ['backtest', '--prices', good, '--fee', '0.003', '--fee', '0.01']],
    ['compare: a bare number flag', ['compare', '--prices', good, '--capital']],
  ])('behavior: %s', (_, failing) => {
    const out = join(tmp, `flag-${failing[0]}-${failing.length}`);
    expect(ammsim(failing[0]!, '--prices', good, '--out', out).status).toBe(0);
    const r = ammsim(...failing, '--out', out);
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/^error: --(seed|fee|capital): /)]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('behavior: replay-real and validate remove their --out, never the events file; a sweep folder is left alone', () => {
    const rr = join(tmp, 'flag-rr.json');
    expect(ammsim('replay-real', '--events', EVENTS, '--out', rr).status).toBe(0);
    expect(ammsim('replay-real', '--events', EVENTS, '--fee', 'abc', '--out', rr).status).toBe(1);
    expect(existsSync(rr)).toBe(false);
    const copy = file('events-copy.csv', readFileSync(EVENTS, 'utf8'));
    expect(ammsim('validate', '--events', copy, '--tol', '--out', copy).status).toBe(1);
    expect(existsSync(copy)).toBe(true);
    const sw = join(tmp, 'flag-sw');
    expect(ammsim('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--out', sw).status).toBe(0);
    const before = readdirSync(sw).sort();
    expect(ammsim('backtest', '--prices', good, '--seed=', '--out', sw).status).toBe(1);
    expect(readdirSync(sw).sort()).toEqual(before);
  });
});

describe('a failed run never removes a file it reads, nor another command\'s (found by review)', () => {
  const EVENTS = join(process.cwd(), 'sim/replay/validate/fixtures/usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
  const copy = (name: string): string => file(name, readFileSync(EVENTS, 'utf8'));

  it('behavior: replay-real --csv whose OUT.csv is the --events file is refused; the events file stays', () => {
    const ev = copy('rr-ev.csv');
    const r = ammsim('replay-real', '--events', ev, '--out', join(tmp, 'rr-ev.json'), '--csv');
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/^error: --csv: would write .*rr-ev\.csv, which is the --events file/)]);
    expect(existsSync(ev)).toBe(true);
    expect(ammsim('replay-real', '--events', ev, '--out', join(tmp, 'rr-ev.json'), '--csv', '--fee', 'abc').status).toBe(1);
    expect(existsSync(ev)).toBe(true);
  });

  it('behavior: il and report keep a mistyped --out that is no report of theirs (prices.csv)', () => {
    const prices = file('typo-prices.csv', 'timestamp,price\n1704067200,2000\n');
    expect(ammsim('il', '--price', '2000', '--out', prices).status).toBe(1);
    expect(existsSync(prices)).toBe(true);
    const bt = join(tmp, 'bt-typo');
    expect(ammsim('backtest', '--prices', good, '--out', bt).status).toBe(0);
    expect(ammsim('report', '--run', bt, '--out', prices).status).toBe(1);
    expect(existsSync(prices)).toBe(true);
  });

  it("behavior: validate keeps its --positions file and the events file it names; a report into a sweep's folder keeps the sweep's report", () => {
    const ev = copy('val-ev.csv');
    const pos = file('val-pos.json', JSON.stringify({ events: 'val-ev.csv', positions: [] }));
    for (const out of [pos, ev]) {
      const r = ammsim('validate', '--positions', pos, '--out', out, '--tol', 'abc');
      expect(r.status).toBe(1);
      expect(existsSync(pos) && existsSync(ev)).toBe(true);
    }
    const sw = join(tmp, 'sw-keep');
    expect(ammsim('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--out', sw).status).toBe(0);
    const bt = join(tmp, 'bt-keep');
    expect(ammsim('backtest', '--prices', good, '--out', bt).status).toBe(0);
    expect(ammsim('report', '--run', bt, '--out', join(sw, 'report.html'), '--max-points', '5').status).toBe(1);
    expect(existsSync(join(sw, 'report.html'))).toBe(true);
  });

  it('behavior: a backtest given its own summary.json as --config, failing into that folder, keeps the config file and the files beside it (no summary.json without its report)', () => {
    const out = join(tmp, 'bt-self');
    expect(ammsim('backtest', '--prices', good, '--out', out).status).toBe(0);
    const cfg = join(out, 'summary.json');
    const r = ammsim('backtest', '--config', cfg, '--fee', '2', '--out', out);
    expect(r.status).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['events.json', 'report.html', 'summary.json', 'timeseries.arrow']);
  });
});
