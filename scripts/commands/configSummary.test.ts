import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `--config FILE` given a whole summary.json (backtestFlags.ts readConfigFileWithLines): its `config` is read. */

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-config-summary-'));
const SAMPLE = 'data/sample/eth_gbm_1h_1w.csv';

function ammsim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs and expects exit 0 with nothing on stderr. */
function ok(...args: string[]): void {
  const r = ammsim(...args);
  expect([r.status, r.stderr], args.join(' ')).toEqual([0, '']);
}

const text = (dir: string, f = 'summary.json'): string => readFileSync(join(dir, f), 'utf8');

function file(name: string, body: string): string {
  const p = join(tmp, name);
  writeFileSync(p, body);
  return p;
}

/** The 1-based line of the `n`-th (1-based) line of `body` that holds `needle`. */
function lineOf(body: string, needle: string, n = 1): number {
  const lines = body.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === n) return i + 1;
  throw new Error(`${needle} ×${n} not found`);
}

/** `body` with the `n`-th line holding `from` changed to `to`. */
function editLine(body: string, from: string, to: string, n = 1): string {
  const lines = body.split('\n');
  const i = lineOf(body, from, n) - 1;
  lines[i] = lines[i]!.replace(from, to);
  return lines.join('\n');
}

// a backtest and a comparison whose summaries the tests give back (hourly sample week, non-default settings)
const BT_FLAGS = ['--prices', SAMPLE, '--pool', 'v3', '--strategy', 'rebalance', '--width', '0.02', '--gas-price', '5', '--noise-rate', '1', '--noise-size', '2000', '--param', 'threshold=0.01', '--csv'];
const bt = join(tmp, 'bt');
const cmp = join(tmp, 'cmp');
const CMP_FLAGS = ['--prices', SAMPLE, '--pool', 'v3', '--strategy', 'range,full-range', '--width', '0.05,0.2', '--staking-apr', '0.05', '--commission', '0.1', '--compounding', 'continuous', '--paths', '3', '--paths-method', 'bootstrap', '--block-steps', '5'];

describe('--config FILE: a summary.json given back is read as its config', () => {
  ok('backtest', ...BT_FLAGS, '--out', bt);
  ok('compare', ...CMP_FLAGS, '--out', cmp);

  it('behavior: a backtest\'s summary.json given back as --config reruns it byte for byte, into another folder or its own', () => {
    const again = join(tmp, 'bt-again');
    ok('backtest', '--config', join(bt, 'summary.json'), '--out', again);
    for (const f of ['summary.json', 'timeseries.csv', 'events.json', 'report.html']) expect(text(again, f), f).toBe(text(bt, f));
    // its own folder: the summary is read before the run writes over it
    const self = join(tmp, 'bt-self');
    ok('backtest', ...BT_FLAGS, '--out', self);
    ok('backtest', '--config', join(self, 'summary.json'), '--out', self);
    expect(text(self)).toBe(text(bt));
    // flags win over the summary's config
    const capital = join(tmp, 'bt-capital');
    ok('backtest', '--config', join(bt, 'summary.json'), '--capital', '5000', '--out', capital);
    expect((JSON.parse(text(capital)) as { config: { capital: number; width: number } }).config).toMatchObject({ capital: 5000, width: 0.02 });
  });

  it('behavior: a comparison\'s summary.json given back as --config reruns it byte for byte', () => {
    const again = join(tmp, 'cmp-again');
    ok('compare', '--config', join(cmp, 'summary.json'), '--out', again);
    for (const f of ['summary.json', 'report.html']) expect(text(again, f), f).toBe(text(cmp, f));
  });

  it('behavior: compare reads a backtest\'s summary.json (the keys are the same): its LP against hold and staking', () => {
    const out = join(tmp, 'cmp-of-bt');
    ok('compare', '--config', join(bt, 'summary.json'), '--out', out);
    const s = JSON.parse(text(out)) as { alternatives: string[]; lp: Record<string, number>; config: Record<string, unknown> };
    const b = JSON.parse(text(bt)) as Record<string, number>;
    expect(s.alternatives).toEqual(['lp', 'hold', 'staking', 'hold-staked']);
    for (const k of ['finalValue', 'feesEarned', 'holdValue', 'gasCost']) expect([k, s.lp[k]]).toEqual([k, b[k]]);
    expect(s.config).toMatchObject({ strategies: ['rebalance'], widths: [0.02], capital: 10_000, noiseSize: 2000, csv: true });
    expect(existsSync(join(out, 'values.csv'))).toBe(true); // csv: true is compare's --csv
  });

  it('behavior: sweep reads a backtest\'s summary.json as its base: the same outputs as the flags it came from', () => {
    const flags = ['--prices', SAMPLE, '--pool', 'v3', '--strategy', 'range', '--width', '0.05', '--gas-price', '5'];
    const one = join(tmp, 'sw-bt');
    ok('backtest', ...flags, '--out', one);
    const a = join(tmp, 'sw-flags');
    const b = join(tmp, 'sw-summary');
    ok('sweep', ...flags, '--fee', '0.0005,0.003', '--workers', '1', '--out', a);
    ok('sweep', '--config', join(one, 'summary.json'), '--fee', '0.0005,0.003', '--workers', '1', '--out', b);
    for (const f of ['sweep.json', 'sweep.csv', 'sweep.arrow', 'results.jsonl']) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('behavior: a --width (list, axis) or --rebalance-delay given beside a summary replaces the strategy parameter the summary\'s config wrote for it (params.width, params.delay), as flags win', () => {
    // the summary's config has width 0.02 and params {width: 0.02, delay: 0, …}; one of a range at its own width has width null and params.width 0.1
    const own = join(tmp, 'bt-own-width');
    ok('backtest', '--prices', SAMPLE, '--pool', 'v3', '--strategy', 'range', '--out', own);
    expect((JSON.parse(text(own)) as { config: Record<string, unknown> }).config).toMatchObject({ width: null, params: { width: 0.1 } });
    const given = join(tmp, 'bt-no-csv'); // bt less its --csv, which a sweep refuses
    ok('backtest', ...BT_FLAGS.filter((f) => f !== '--csv'), '--out', given);
    expect((JSON.parse(text(given)) as { config: Record<string, unknown> }).config).toMatchObject({ width: 0.02, params: { width: 0.02, delay: 0 } });
    for (const [i, summary] of [join(given, 'summary.json'), join(own, 'summary.json')].entries()) {
      const one = join(tmp, `width-flag-${i}`);
      ok('backtest', '--config', summary, '--width', '0.3', '--out', one);
      expect((JSON.parse(text(one)) as { config: Record<string, unknown> }).config).toMatchObject({ width: 0.3, params: { width: 0.3 } });
      const list = join(tmp, `width-list-${i}`);
      ok('compare', '--config', summary, '--width', '0.05,0.3', '--out', list);
      expect((JSON.parse(text(list)) as { alternatives: string[] }).alternatives.slice(0, 2)).toEqual(['lp:width=0.05', 'lp:width=0.3']);
      const axis = join(tmp, `width-axis-${i}`);
      ok('sweep', '--config', summary, '--width', '0.05,0.3', '--workers', '1', '--out', axis);
      expect((JSON.parse(readFileSync(join(axis, 'sweep.json'), 'utf8')) as { failed: number; firstFailure: unknown }).firstFailure).toBeNull();
    }
    const delay = join(tmp, 'delay-flag');
    ok('backtest', '--config', join(bt, 'summary.json'), '--rebalance-delay', '3', '--out', delay);
    expect((JSON.parse(text(delay)) as { config: Record<string, unknown> }).config).toMatchObject({ rebalanceDelay: 3, params: { delay: 3 } });
  });

  it('error: a comparison\'s summary.json given to backtest or sweep is refused, naming the command that reruns it', () => {
    const summary = join(cmp, 'summary.json');
    for (const command of ['backtest', 'sweep']) {
      const out = join(tmp, `cmp-to-${command}`);
      const r = ammsim(command, '--config', summary, ...(command === 'sweep' ? ['--fee', '0.001,0.003'] : []), '--out', out);
      expect([r.status, r.stderr], command).toEqual([1, `error: ${summary}: is a comparison's summary.json (ammsim compare): its config reruns the comparison with ammsim compare --config ${summary}; backtest and sweep read a config file or a backtest's summary.json\n`]);
      expect(existsSync(out), command).toBe(false);
    }
  });

  it('error: a value, an unknown or a repeated key in a summary\'s config is named at its line in the file, inside `config`', () => {
    const body = text(bt);
    const configLine = lineOf(body, '"config": {');
    // `seed` is also a top-level key of the summary: the error is the config's (its 2nd `"seed"` line)
    expect(lineOf(body, '"seed": 42')).toBeLessThan(configLine);
    const seed = file('seed.json', editLine(body, '"seed": 42', '"seed": 1.5', 2));
    const seedLine = lineOf(readFileSync(seed, 'utf8'), '"seed": 1.5');
    expect(seedLine).toBeGreaterThan(configLine);
    const fee = file('fee.json', editLine(body, '"fee": 0.003', '"fee": 2'));
    const feeLine = lineOf(readFileSync(fee, 'utf8'), '"fee": 2');
    const typo = file('typo.json', editLine(body, '"capital": 10000', '"capitol": 10000'));
    const typoLine = lineOf(readFileSync(typo, 'utf8'), '"capitol"');
    const twice = file('twice.json', editLine(body, '"capital": 10000,', '"capital": 10000, "fee": 0.01,'));
    const twiceLine = lineOf(readFileSync(twice, 'utf8'), '"fee": 0.01');
    const cases: Array<[string[], string]> = [
      [['backtest', '--config', seed], `error: ${seed}:${seedLine}: seed: must be an integer; was 1.5\n`],
      [['sweep', '--config', seed, '--fee', '0.001,0.003', '--workers', '1'], `error: ${seed}:${seedLine}: seed: must be an integer; was 1.5\n`],
      [['compare', '--config', seed], `error: ${seed}:${seedLine}: seed: must be an integer; was 1.5\n`],
      [['backtest', '--config', fee], `error: ${fee}:${feeLine}: fee: must be a fraction in [0, 1) (0.003 = 0.30 %); was 2\n`],
      [['backtest', '--config', typo], `error: ${typo}:${typoLine}: capitol: unknown key; did you mean "capital"?\n`],
      [['sweep', '--config', typo, '--fee', '0.001,0.003', '--workers', '1'], `error: ${typo}:${typoLine}: capitol: unknown key; did you mean "capital"?\n`],
      [['backtest', '--config', twice], `error: ${twice}:${twiceLine}: fee: is given twice (also on line ${lineOf(body, '"fee": 0.003')}); give each key once\n`],
      // csv: true (the backtest's --csv) asks a sweep for a file it never writes
      [['sweep', '--config', join(bt, 'summary.json'), '--fee', '0.001,0.003', '--workers', '1'], `error: ${join(bt, 'summary.json')}:${lineOf(body, '"csv": true')}: csv: writes a backtest's timeseries.csv (compare's values.csv); a sweep writes sweep.csv and sweep.arrow whatever it says: set it to false in the summary's config\n`],
    ];
    let n = 0;
    for (const [args, stderr] of cases) {
      const out = join(tmp, `err-${n++}`);
      const r = ammsim(...args, '--out', out);
      expect([r.status, r.stderr], args.join(' ')).toEqual([1, stderr]);
      expect(existsSync(out), args.join(' ')).toBe(false);
    }
  });

  it('error: a comparison\'s nested settings in its summary are named at their line in the file (staking.compounding, whatIf.pathz)', () => {
    const body = text(cmp);
    const weekly = file('weekly.json', editLine(body, '"compounding": "continuous"', '"compounding": "weekly"'));
    const pathz = file('pathz.json', editLine(body, '"paths": 3', '"pathz": 3', 2));
    // the summary has a top-level whatIf too: the error is the config's
    const whatIfLine = lineOf(body, '"whatIf": {', 2);
    expect(whatIfLine).toBeGreaterThan(lineOf(body, '"config": {'));
    const cases: Array<[string, string]> = [
      [weekly, `error: ${weekly}:${lineOf(readFileSync(weekly, 'utf8'), '"weekly"')}: staking.compounding: must be one of none, daily, continuous; was "weekly"\n`],
      [pathz, `error: ${pathz}:${whatIfLine}: whatIf: unknown key "pathz"; did you mean "paths"?\n`],
    ];
    for (const [cfg, stderr] of cases) {
      const r = ammsim('compare', '--config', cfg, '--out', join(tmp, 'nested-err'));
      expect([r.status, r.stderr], cfg).toEqual([1, stderr]);
    }
  });
});
