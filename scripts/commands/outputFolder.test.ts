import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// CONTRACT (scripts/commands/outputFolder.ts): backtest, compare, sweep and sweep merge refuse, before any work and
// removing nothing, an --out folder that holds another command's outputs (summary.json of a backtest or a comparison,
// a sweep's sweep.json or results.jsonl), and one where the run would write over or remove a file it reads. A failed
// run never removes another command's outputs, nor a file it reads.

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-outdir-'));

function ammsim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AMMSIM_NO_CACHE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};
const good = file('good.csv', 'timestamp,price\n1704067200,2000\n1704070800,2010\n1704074400,1990\n1704078000,2005\n');

/** Every file of `dir` with its bytes: what a refused run must leave exactly as it was. */
const snapshot = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1')]));

function ok(...args: string[]): void {
  const r = ammsim(...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** `args` fails with exactly one `error: …` line matching `message`, and leaves `dir` byte for byte as it was. */
function refused(dir: string, args: string[], message: RegExp): void {
  const before = snapshot(dir);
  const r = ammsim(...args);
  expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(message)]);
  expect(r.status).toBe(1);
  expect(snapshot(dir)).toEqual(before);
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a run that would write over or remove a file it reads is refused, naming the file', () => {
  it('behavior: backtest --prices/--gas-price-series OUT/timeseries.csv (written with --csv, removed without)', () => {
    const d = join(tmp, 'bt-in');
    ok('backtest', '--prices', good, '--csv', '--out', d);
    const ts = join(d, 'timeseries.csv');
    refused(d, ['backtest', '--prices', ts, '--from', '2024-01-01T01:00:00Z', '--csv', '--out', d], new RegExp(`^error: --out: ${esc(ts)} is a file this run reads \\(--prices\\), and writing into ${esc(d)} would replace it; give another --out$`));
    refused(d, ['backtest', '--prices', ts, '--out', d], new RegExp(`^error: --out: ${esc(ts)} is a file this run reads \\(--prices\\), and writing into ${esc(d)} would remove it \\(an earlier output this run does not write\\); give another --out$`));
    refused(d, ['backtest', '--prices', good, '--gas-price-series', ts, '--csv', '--out', d], /^error: --out: .*timeseries\.csv is a file this run reads \(--gas-price-series\)/);
  });

  it('behavior: compare --prices OUT/values.csv, --staking-series OUT/values.csv', () => {
    const d = join(tmp, 'cmp-in');
    ok('compare', '--prices', good, '--csv', '--out', d);
    const values = join(d, 'values.csv');
    refused(d, ['compare', '--prices', values, '--csv', '--out', d], new RegExp(`^error: --out: ${esc(values)} is a file this run reads \\(--prices\\), and writing into ${esc(d)} would replace it`));
    refused(d, ['compare', '--prices', good, '--staking-series', values, '--out', d], /^error: --out: .*values\.csv is a file this run reads \(--staking-series\), and writing into .* would remove it/);
  });

  it('behavior: a file the --config file names, a strategy module, an incentive program, an input reached through a symlink', () => {
    const d = join(tmp, 'bt-cfg');
    ok('backtest', '--prices', good, '--csv', '--out', d);
    const cfg = file('cfg-in.json', JSON.stringify({ prices: join(d, 'timeseries.csv') }));
    refused(d, ['backtest', '--config', cfg, '--out', d], new RegExp(`^error: --out: .*timeseries\\.csv is a file this run reads \\(prices in ${esc(cfg)}\\)`));
    refused(d, ['backtest', '--prices', good, '--strategy', join(d, 'events.json'), '--out', d], /^error: --out: .*events\.json is a file this run reads \(--strategy\)/);
    refused(d, ['backtest', '--prices', good, '--incentive', join(d, 'summary.json'), '--out', d], /^error: --out: .*summary\.json is a file this run reads \(--incentive\)/);
    const link = join(tmp, 'bt-cfg-link');
    symlinkSync(d, link);
    refused(d, ['backtest', '--prices', join(link, 'timeseries.csv'), '--csv', '--out', d], /^error: --out: .*timeseries\.csv is a file this run reads \(--prices\)/);
  });

  it('behavior: sweep --prices OUT/sweep.csv', () => {
    const d = join(tmp, 'sw-in');
    ok('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--out', d);
    refused(d, ['sweep', '--prices', join(d, 'sweep.csv'), '--fee', '0.001,0.003', '--workers', '1', '--out', d], new RegExp(`^error: --out: ${esc(join(d, 'sweep.csv'))} is a file this run reads \\(--prices\\), and writing into ${esc(d)} would replace it`));
  });

  it('behavior: a run\'s own summary.json given back as --config reruns it in its folder; failing there, it leaves the folder whole', () => {
    const d = join(tmp, 'bt-self');
    ok('backtest', '--prices', good, '--out', d);
    const before = snapshot(d);
    ok('backtest', '--config', join(d, 'summary.json'), '--out', d);
    expect(snapshot(d)).toEqual(before);
    const r = ammsim('backtest', '--config', join(d, 'summary.json'), '--fee', '2', '--out', d);
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(/^error: --fee: /)]);
    expect(snapshot(d)).toEqual(before);
    // a config file of that name that is no summary of this command is an input like any other
    const e = join(tmp, 'cfg-named-summary');
    ok('backtest', '--prices', good, '--out', e);
    writeFileSync(join(e, 'summary.json'), JSON.stringify({ prices: good }));
    refused(e, ['backtest', '--config', join(e, 'summary.json'), '--out', e], /^error: --out: .*summary\.json is a file this run reads \(--config\)/);
  });
});

describe("a folder of another command's outputs is refused as --out, and a failed run leaves it whole", () => {
  const bt = join(tmp, 'other-bt');
  const cmp = join(tmp, 'other-cmp');
  ok('backtest', '--prices', good, '--csv', '--out', bt);
  ok('compare', '--prices', good, '--csv', '--out', cmp);

  it.each([
    ['would succeed', []],
    ['would fail (--fee 2)', ['--fee', '2']],
  ])('behavior: compare into a backtest\'s folder, backtest into a comparison\'s: refused when the run %s', (_, extra) => {
    refused(bt, ['compare', '--prices', good, ...extra, '--out', bt], new RegExp(`^error: --out: ${esc(bt)} holds a backtest \\(summary\\.json\\); give another folder$`));
    refused(cmp, ['backtest', '--prices', good, ...extra, '--out', cmp], new RegExp(`^error: --out: ${esc(cmp)} holds a comparison \\(summary\\.json\\); give another folder$`));
  });

  it('behavior: a flag refused before the command runs (given twice, a number without a number) removes nothing from another command\'s folder', () => {
    refused(bt, ['compare', '--prices', good, '--fee', '0.001', '--fee', '0.003', '--out', bt], /^error: --fee: given 2 times/);
    refused(cmp, ['backtest', '--prices', good, '--seed=', '--out', cmp], /^error: --seed: /);
  });

  it('behavior: sweep refuses a backtest\'s or a comparison\'s folder', () => {
    for (const d of [bt, cmp]) refused(d, ['sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--out', d], new RegExp(`^error: --out: ${esc(d)} holds a (backtest|comparison) \\(summary\\.json\\); give another folder$`));
  });

  it('behavior: sweep merge refuses a backtest\'s or a comparison\'s folder', () => {
    const s0 = join(tmp, 'shard-0');
    const s1 = join(tmp, 'shard-1');
    ok('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--shard', '0/2', '--out', s0);
    ok('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--shard', '1/2', '--out', s1);
    for (const d of [bt, cmp]) refused(d, ['sweep', 'merge', s0, s1, '--out', d], new RegExp(`^error: --out: ${esc(d)} holds a (backtest|comparison) \\(summary\\.json\\); give another folder$`));
  });

  it('behavior: backtest and compare refuse a sweep in progress (results.jsonl, no sweep.json yet)', () => {
    const progress = join(tmp, 'sw-progress');
    ok('sweep', '--prices', good, '--fee', '0.001,0.003', '--workers', '1', '--out', progress);
    // as an interrupted sweep leaves it: the journal, none of the finished outputs
    for (const f of ['sweep.json', 'sweep.csv', 'sweep.arrow', 'report.html']) rmSync(join(progress, f));
    for (const cmd of ['backtest', 'compare']) refused(progress, [cmd, '--prices', good, '--out', progress], /^error: --out: .* holds a sweep in progress \(results\.jsonl\); give another folder$/);
  });
});

describe('compare refuses a value given twice in a list, as sweep does', () => {
  it('behavior: --strategy full-range,full-range; --width 0.1,0.10; the list in a --config file', () => {
    const out = join(tmp, 'dup');
    for (const [args, message] of [
      [['--strategy', 'full-range,full-range'], 'error: --strategy: value "full-range" appears twice'],
      [['--pool', 'v3', '--strategy', 'range', '--width', '0.1,0.10'], 'error: --width: value 0.1 appears twice'],
      [['--config', file('dup.json', '{\n  "strategy": ["hold", "full-range", "hold"]\n}\n')], `error: ${join(tmp, 'dup.json')}:2: strategy: value "hold" appears twice`],
    ] as const) {
      const r = ammsim('compare', '--prices', good, ...args, '--out', out);
      expect([r.status, r.stderr]).toEqual([1, `${message}\n`]);
    }
    ok('compare', '--prices', good, '--pool', 'v3', '--strategy', 'range,full-range', '--width', '0.1,0.2', '--out', out);
  });
});
