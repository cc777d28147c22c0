import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-backtest-'));

function ammsim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csv(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

const good = 'timestamp,price\n1704067200,2000\n1704070800,2010\n1704074400,1990\n';

describe('ammsim backtest: bad input is one clear error line, exit 1, no outputs', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['non-numeric price', [csv('a.csv', 'timestamp,price\n1704067200,2000\n1704070800,abc\n')], /^error: .*a\.csv:3: price: .*"abc"/],
    ['negative price', [csv('b.csv', 'timestamp,price\n1704067200,2000\n1704070800,-5\n')], /^error: .*b\.csv:3: price: /],
    ['zero price', [csv('c.csv', 'timestamp,price\n1704067200,0\n1704070800,5\n')], /^error: .*c\.csv:2: price: /],
    ['NaN price', [csv('d.csv', 'timestamp,price\n1704067200,NaN\n1704070800,5\n')], /^error: .*d\.csv:2: price: /],
    ['Infinity price', [csv('e.csv', 'timestamp,price\n1704067200,Infinity\n1704070800,5\n')], /^error: .*e\.csv:2: price: /],
    ['unsorted timestamps', [csv('f.csv', 'timestamp,price\n1704070800,1\n1704067200,2\n')], /^error: .*f\.csv:3: timestamp: /],
    ['duplicate timestamps', [csv('g.csv', 'timestamp,price\n1704067200,1\n1704067200,2\n')], /^error: .*g\.csv:3: timestamp: /],
    ['unparseable timestamp', [csv('h.csv', 'timestamp,price\nyesterday,1\n1704067200,2\n')], /^error: .*h\.csv:2: timestamp: /],
    ['missing price column', [csv('i.csv', 'timestamp,value\n1704067200,1\n')], /^error: .*i\.csv:1: price: /],
    ['empty file', [csv('j.csv', '')], /^error: .*j\.csv/],
    ['header only', [csv('k.csv', 'timestamp,price\n')], /^error: .*k\.csv/],
    ['short row', [csv('l.csv', 'timestamp,price\n1704067200\n')], /^error: .*l\.csv:2: price: /],
    ['missing file', [join(tmp, 'nope.csv')], /^error: .*nope\.csv: /],
  ];
  it.each(cases)('%s', (_name, [file], pattern) => {
    const out = join(tmp, 'out-' + _name.replace(/\W+/g, '-'));
    const r = ammsim('backtest', '--prices', file!, '--out', out);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it.each([
    ['--fee', '2', /^error: --fee: must be a fraction in \[0, 1\)/],
    ['--fee', 'abc', /^error: --fee: must be a number/],
    ['--capital', '-5', /^error: --capital: must be > 0/],
    ['--pool', 'v9', /^error: .*pool/],
    ['--strategy', 'nonsense', /^error: --strategy: unknown strategy "nonsense"/],
    ['--width', '0', /^error: --width: must be > 0/],
  ])('invalid flag %s %s', (flag, value, pattern) => {
    const out = join(tmp, 'out-flag');
    const r = ammsim('backtest', '--prices', csv('ok.csv', good), flag, value, '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l !== '')[0]).toMatch(pattern);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  // Flags that cannot act on this run are refused, never accepted and ignored.
  const withVolume = csv('vol.csv', 'timestamp,price,volume\n1704067200,2000,5\n1704070800,2010,7\n1704074400,1990,6\n1704078000,2005,9\n');
  const minute = '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.minute.csv';
  it.each([
    [['--format', 'csv'], /^error: --format: reads the --prices file; the prices are the synthetic series \(no --prices\)$/],
    [['--gaps', 'skip'], /^error: --gaps: fills or skips missing rows of the --prices file; the synthetic series \(no --prices\) has none$/],
    [['--noise-size', '1000'], /^error: --noise-size: sizes noise trades; it needs --noise-rate > 0$/],
    [['--prices', withVolume, '--noise-volume-share', '0.1', '--noise-rate', '3'], /^error: --noise-rate: with --noise-volume-share .*every step of .*vol\.csv has volume, so --noise-rate \(and --noise-size\) would change nothing/],
    ...(existsSync(minute) ? [[['--prices', minute, '--decimals0', '-5'], /^error: --decimals0: must be an integer from 0 to 77; was -5$/] as [string[], RegExp]] : []),
  ])('error: %j is refused with one line, exit 1, no outputs', (args, pattern) => {
    const out = join(tmp, 'out-idle');
    const r = ammsim('backtest', ...args, '--out', out);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('npm warn'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('error: no command, or a misspelt one, is one line naming the commands or the nearest one', () => {
    const none = ammsim();
    expect(none.status).toBe(1);
    expect(none.stderr.trim()).toBe('error: a command is required: backtest, compare, sweep, replay, replay-real, validate, report, il, apy, data (ammsim --help describes them)');
    const typo = ammsim('bactest');
    expect(typo.status).toBe(1);
    expect(typo.stderr.trim()).toBe('error: unknown command "bactest"; did you mean backtest?');
    expect(ammsim('nonsense').stderr.trim()).toBe('error: unknown command "nonsense"; the commands are backtest, compare, sweep, replay, replay-real, validate, report, il, apy, data');
    expect(ammsim('backtest', 'extra').stderr.trim()).toBe('error: extra: unknown argument; ammsim backtest takes no positional arguments (ammsim backtest --help lists the flags)');
  });
});

describe('ammsim backtest: outputs', () => {
  it('behavior: writes summary.json with every CONTRACT key, timeseries.arrow, events.json, report.html; two runs are byte-identical', () => {
    const a = join(tmp, 'run-a');
    const b = join(tmp, 'run-b');
    expect(ammsim('backtest', '--out', a, '--csv').status).toBe(0);
    expect(ammsim('backtest', '--out', b, '--csv').status).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toEqual(['events.json', 'report.html', 'summary.json', 'timeseries.arrow', 'timeseries.csv']);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    const s = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const k of ['initialValue', 'finalValue', 'holdValue', 'feesEarned', 'impermanentLoss', 'lvr', 'gasCost', 'netPnl', 'vsHold', 'apr', 'timeInRange', 'rebalances', 'maxDrawdown', 'steps', 'seed', 'config']) {
      expect(s, k).toHaveProperty(k);
    }
    expect(s.steps).toBe(8760);
    const header = readFileSync(join(a, 'timeseries.csv'), 'utf8').split('\n')[0]!;
    for (const c of ['timestamp', 'price', 'poolPrice', 'lpValue', 'holdValue', 'feesCumulative', 'impermanentLoss', 'lvrCumulative']) expect(header.split(',')).toContain(c);
  });

  it('behavior: --config is merged under flags', () => {
    const cfg = join(tmp, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ fee: 0.01, capital: 5000 }));
    const out = join(tmp, 'run-cfg');
    expect(ammsim('backtest', '--prices', csv('ok2.csv', good), '--config', cfg, '--capital', '7000', '--out', out).status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { config: { fee: number; capital: number } };
    expect(s.config.fee).toBe(0.01);
    expect(s.config.capital).toBe(7000);
  });

  it('behavior: a summary\'s resolved config given back as --config reruns the same run; a flag replaces the file\'s alternative', () => {
    const a = join(tmp, 'rerun-a');
    expect(ammsim('backtest', '--prices', csv('ok3.csv', good), '--gas-price', '5', '--out', a).status).toBe(0);
    const config = (JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8')) as { config: Record<string, unknown> }).config;
    expect(Object.values(config)).toContain(null); // unset keys are written as null, and read back as not given
    const cfg = join(tmp, 'rerun.json');
    writeFileSync(cfg, JSON.stringify(config));
    const b = join(tmp, 'rerun-b');
    expect(ammsim('backtest', '--config', cfg, '--out', b).status).toBe(0);
    expect(readFileSync(join(b, 'summary.json'), 'utf8')).toBe(readFileSync(join(a, 'summary.json'), 'utf8'));
    // the file's --gas-price 5 gives way to a --gas-price-series flag instead of being refused beside it
    const series = csv('gwei.csv', 'timestamp,gwei\n2024-01-01T00:00:00Z,7\n');
    const c = join(tmp, 'rerun-c');
    const r = ammsim('backtest', '--config', cfg, '--gas-price-series', series, '--out', c);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const sc = JSON.parse(readFileSync(join(c, 'summary.json'), 'utf8')) as { config: { gasPrice: number; gasPriceSeries: string } };
    expect(sc.config.gasPrice).toBe(0);
    expect(sc.config.gasPriceSeries).toBe(series);
  });

  it('behavior: --divide-by-pair takes the denominator\'s pair from a long-format file; the same pair on both sides is refused', () => {
    const long = csv('long.csv', 'timestamp,pair,price\n1704067200,BTC/USD,40000\n1704067200,ETH/USD,2000\n1704070800,BTC/USD,42000\n1704070800,ETH/USD,2100\n1704074400,BTC/USD,41000\n1704074400,ETH/USD,2000\n');
    const out = join(tmp, 'divided');
    expect(ammsim('backtest', '--prices', long, '--pair', 'BTC/USD', '--divide-by', long, '--divide-by-pair', 'ETH/USD', '--csv', '--out', out).status).toBe(0);
    const prices = readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(prices).toEqual([20, 20, 20.5]);
    const same = ammsim('backtest', '--prices', long, '--pair', 'BTC/USD', '--divide-by', long, '--out', join(tmp, 'same'));
    expect(same.status).toBe(1);
    expect(same.stderr).toMatch(/^error: --divide-by: divides the series by itself/);
  });

  it('error: a malformed --config names the file', () => {
    const cfg = join(tmp, 'bad.json');
    writeFileSync(cfg, '{ "fee": 0.01,\n  "capitol": 5 }');
    const r = ammsim('backtest', '--config', cfg, '--out', join(tmp, 'x'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*bad\.json:2: capitol: unknown key; did you mean "capital"\?/);
  });

  it('error: found by an audit: a --config value of the wrong type, a key given twice, or an output flag is one line naming the file (and line); a byte-order mark is read', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['prices.json', '{"prices": 5}', /^error: .*prices\.json:1: prices: must be a file path; was 5\n$/],
      ['resample.json', '{\n  "resample": 3600\n}', /^error: .*resample\.json:2: resample: must be an interval such as 1h or 1d; was 3600\n$/],
      ['liq.json', '{"pool": "v3",\n "pool-liquidity-file": 0}', /^error: .*liq\.json:2: pool-liquidity-file: must be a file path; was 0\n$/],
      ['seed.json', '{"capital": 5000,\n "seed": 1.5}', /^error: .*seed\.json:2: seed: must be an integer; was 1\.5\n$/],
      ['twice.json', '{"fee": 0.003,\n "capital": 5000,\n "fee": 0.01}', /^error: .*twice\.json:3: fee: is given twice \(also on line 1\); give each key once\n$/],
      ['syntax.json', '{"fee": 0.003,\n "capital": }', /^error: .*syntax\.json:2: not valid JSON: /],
      ['out.json', '{"out": "elsewhere"}', /^error: .*out\.json:1: out: is a command-line flag only, not a config key; give --out DIR\n$/],
    ];
    for (const [name, text, pattern] of cases) {
      const cfg = join(tmp, name);
      writeFileSync(cfg, text);
      const out = join(tmp, `cfg-${name}`);
      const r = ammsim('backtest', '--config', cfg, '--out', out);
      expect([r.status, r.stderr], name).toEqual([1, expect.stringMatching(pattern)]);
      expect(existsSync(join(out, 'summary.json'))).toBe(false);
    }
    const bom = join(tmp, 'bom.json');
    writeFileSync(bom, '\uFEFF{"capital": 5000}');
    const out = join(tmp, 'run-bom');
    const r = ammsim('backtest', '--prices', csv('ok4.csv', good), '--config', bom, '--out', out);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { config: { capital: number } }).config.capital).toBe(5000);
  });
});
