import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Resume and merge of a sweep whose base has the mark noiseSizeGiven (scripts/commands/sweep.ts, runs/sweep/worker.ts SweepBase). */

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-sweep-noise-size-'));
const ammsim = (...args: string[]) => spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8' });
const SAMPLE = 'data/sample/eth_gbm_1h_1w.csv';
const PLAIN = ['sweep', '--prices', SAMPLE, '--noise-rate', '0,2', '--workers', '1'];
/** --noise-size at its default: the row of rate 0 is refused, as backtest --noise-rate 0 --noise-size 1000 is. */
const MARKED = [...PLAIN, '--noise-size', '1000'];
const OUTPUTS = ['results.jsonl', 'sweep.csv', 'sweep.arrow', 'sweep.json', 'report.html'];
const hashOf = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { gridHash: string }).gridHash;

describe('sweep: --noise-size beside a --noise-rate axis is part of the sweep resume compares', () => {
  const marked = join(tmp, 'marked');
  const plain = join(tmp, 'plain');
  const first = ammsim(...MARKED, '--out', marked);
  const second = ammsim(...PLAIN, '--out', plain);

  it('behavior: with --noise-size the row of rate 0 is an error row; without it, it runs', () => {
    expect([first.status, first.stdout]).toEqual([2, expect.stringContaining('1 of 2 configurations failed (their rows hold the error); first: noiseRate=0: --noise-size: sizes noise trades; it needs --noise-rate > 0')]);
    expect([second.status, second.stderr]).toEqual([0, '']);
    expect(hashOf(marked)).not.toBe(hashOf(plain));
    expect((JSON.parse(readFileSync(join(marked, 'sweep.json'), 'utf8')) as { noiseSizeGiven?: boolean }).noiseSizeGiven).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(plain, 'sweep.json'), 'utf8')) as object)).not.toContain('noiseSizeGiven');
  });

  it('regression: a rerun that differs only by --noise-size (at its default) is refused as a changed grid, not resumed with the other rows', () => {
    const h = (dir: string): string => hashOf(dir).slice(0, 12);
    const dropped = ammsim(...PLAIN, '--out', marked);
    expect([dropped.status, dropped.stderr]).toEqual([1, `error: --out: ${join(marked, 'results.jsonl')} holds results of another sweep (grid hash ${h(marked)}…, this one ${h(plain)}…): the axes, the base config, the series or another input file changed (only in --noise-size: that sweep gave it beside its --noise-rate axis, which refused the rows of rate 0, and this one does not). Use another --out, or --restart to discard them\n`]);
    const added = ammsim(...MARKED, '--out', plain);
    expect([added.status, added.stderr]).toEqual([1, `error: --out: ${join(plain, 'results.jsonl')} holds results of another sweep (grid hash ${h(plain)}…, this one ${h(marked)}…): the axes, the base config, the series or another input file changed (only in --noise-size: this sweep gives it beside its --noise-rate axis, which refuses the rows of rate 0; that one did not, or was run by an ammsim that did not record it). Use another --out, or --restart to discard them\n`]);
    // the same commands resume
    expect(ammsim(...MARKED, '--out', marked).stdout).toContain('2 runs (2 resumed)');
    expect(ammsim(...PLAIN, '--out', plain).stdout).toContain('2 runs (2 resumed)');
  });

  it('behavior: the shards of a sweep with the mark merge into the unsharded run, byte for byte; a shard\'s sweep.json without it is refused', () => {
    const s0 = join(tmp, 's0');
    const s1 = join(tmp, 's1');
    const merged = join(tmp, 'merged');
    expect(ammsim(...MARKED, '--shard', '0/2', '--out', s0).status).toBe(2);
    expect(ammsim(...MARKED, '--shard', '1/2', '--out', s1).stderr).toBe('');
    expect(ammsim('sweep', 'merge', s0, s1, '--out', merged).status).toBe(2);
    for (const f of OUTPUTS) expect([f, readFileSync(join(merged, f)).equals(readFileSync(join(marked, f)))]).toEqual([f, true]);
    const json = join(s0, 'sweep.json');
    const meta = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    delete meta.noiseSizeGiven;
    writeFileSync(json, JSON.stringify(meta, null, 2) + '\n');
    const r = ammsim('sweep', 'merge', s0, s1, '--out', join(tmp, 'merged-edited'));
    expect([r.status, r.stderr]).toEqual([1, `error: ${json}: gridHash: does not match its grid, base config, data and input files (was the file edited? running its shard's command again rewrites it)\n`]);
  });
});
