/**
 * Fixes from an audit, through the CLI: a sweep grid in which no configuration can run because of a liquidity-mining
 * rule is refused up front (exit 1, one error line, nothing written) as a single value is (every row failed: exit 2 and
 * a folder of error rows); mining with the hold strategy is refused by backtest, run without the programs for compare's
 * hold alternative, and failed row by row in a sweep's strategy axis; bad program input is one located error line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-sweep-mining-'));
const ammsim = (...args: string[]) => spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const write = (name: string, text: string): string => {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
};
/** 73 hourly rows from 2024-01-01, flat at 2000. */
const FLAT = write('flat.csv', ['timestamp,price', ...Array.from({ length: 73 }, (_, h) => `${1704067200 + h * 3600},2000`)].join('\n') + '\n');
const DAY = { start: 1704110400, end: 1704196800 };
const SR1 = write('sr1.json', JSON.stringify({ kind: 'staking-rewards', token: 'R', total: 86400, ...DAY }));
const V31 = write('v31.json', JSON.stringify({ kind: 'v3-staker', token: 'R', total: 86400, ...DAY }));
const HOLD = 'error: --incentive: the hold strategy holds no LP position: no liquidity-mining program can pay it, so the programs and the mining flags (--harvest, --reward-price, …) could not act; give an LP strategy (full-range, range, rebalance) or leave the liquidity-mining flags out';

/** A sweep over the flat series with a program: exit 1, nothing on stdout, no folder; its one stderr line. */
function refused(name: string, ...args: string[]): string {
  const out = join(tmp, name);
  const r = ammsim('sweep', '--prices', FLAT, ...args, '--workers', '1', '--out', out);
  expect([r.status, r.stdout, existsSync(out)]).toEqual([1, '', false]);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

/** A sweep that runs with some rows failing: exit 2; the error column of each row ('' for a row that ran). */
function errorRows(name: string, ...args: string[]): string[] {
  const out = join(tmp, name);
  const r = ammsim('sweep', '--prices', FLAT, ...args, '--workers', '1', '--out', out);
  expect([r.status, r.stderr]).toEqual([2, '']);
  // the last CSV field (quoted when it holds a comma)
  const last = (line: string): string => {
    const m = /,("(?:[^"]|"")*"|[^,"]*)$/.exec(line)![1]!;
    return m.startsWith('"') ? m.slice(1, -1).replace(/""/g, '"') : m;
  };
  return readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n').slice(1).map(last);
}

const POOL_IDLE = (why: string): string => `--reward-pool-liquidity: sizes the pool claimed rewards are sold through, and this run sells none: ${why}; give --harvest interval or threshold with --harvest-param then=sell (or compound), or leave it out`;
const EVERY = (was: string): string => `--harvest-param every: must be a duration > 0: seconds, or a number with s, m, h, d or w (1d, 12h); was "${was}"`;
const THEN = (was: string): string => `--harvest-param then: must be hold, sell, compound; was "${was}"`;

describe('ammsim sweep: a grid that every configuration fails on a mining rule is refused up front', () => {
  it('regression: the audit\'s five grids (each was exit 2 with a folder of error rows; a single value was refused)', () => {
    expect(refused('idle-never', '--incentive', SR1, '--harvest', 'never', '--reward-pool-liquidity', '1000,2000')).toBe(`error: ${POOL_IDLE('--harvest never does not claim')}`);
    expect(refused('idle-interval', '--incentive', SR1, '--harvest', 'interval', '--reward-pool-liquidity', '1000,2000')).toBe(`error: ${POOL_IDLE('--harvest interval holds what it claims (then=hold)')}`);
    expect(refused('start-const', '--incentive', SR1, '--reward-price', '1,2', '--reward-price-start', '3')).toBe('error: --reward-price-start: starts a gbm, decay or crash path; --reward-price is a constant');
    expect(refused('every-bad', '--incentive', SR1, '--harvest', 'interval', '--harvest-param', 'every=0,-1d')).toBe(`error: ${EVERY('0')} (harvestParams.every=0); no configuration of the sweep runs (all 2 tried), 1 of them on another error, first harvestParams.every=-1d: ${EVERY('-1d')}`);
    expect(refused('then-bad', '--incentive', SR1, '--harvest', 'interval', '--harvest-param', 'then=bogus,foo')).toBe(`error: ${THEN('bogus')} (harvestParams.then=bogus); no configuration of the sweep runs (all 2 tried), 1 of them on another error, first harvestParams.then=foo: ${THEN('foo')}`);
  });

  it('regression: what the whole grid shares is refused before any run: a fixed hold strategy, a v3-staker on a v2 pool, other stakers beyond the contract, a policy module whose create() throws (each beside a --reward-price axis)', () => {
    const axis = ['--reward-price', '1,2'];
    expect(refused('hold-fixed', '--incentive', SR1, '--strategy', 'hold', ...axis)).toBe(HOLD);
    expect(refused('v3-on-v2', '--incentive', V31, ...axis)).toBe(`error: --incentive: ${V31}: a v3-staker program pays by in-range seconds per liquidity of a v3 pool; it needs --pool v3`);
    const others = write('others.json', `{"kind": "staking-rewards", "token": "R", "total": 86400, "start": ${DAY.start}, "end": ${DAY.end},\n "otherStakedValue": 1e300}`);
    expect(refused('others', '--incentive', others, ...axis)).toMatch(new RegExp(`^error: ${others}:2: otherStakedValue: must be at most 5\\.178e\\+60 at this run's first price 2000`));
    const creator = write('creator.mjs', "export default { name: 'creator', description: '', defaults: {}, create: () => { throw new Error('nope'); } };\n");
    expect(refused('creator', '--incentive', SR1, '--harvest', creator, ...axis)).toBe(`error: harvest policy creator (${creator}): create(params) threw: nope`);
  });

  it('behavior: a grid where some configurations can run still runs, the others error rows (then=hold,sell; a strategy axis with hold; a constant beside gbm)', () => {
    const then = errorRows('then-hold-sell', '--incentive', SR1, '--harvest', 'interval', '--harvest-param', 'then=hold,sell', '--reward-pool-liquidity', '5000');
    expect(then).toEqual([`harvestParams.then=hold: ${POOL_IDLE('--harvest interval holds what it claims (then=hold)')}`, '']);
    const strategies = errorRows('hold-axis', '--incentive', SR1, '--strategy', 'hold,full-range');
    expect(strategies).toEqual([`strategy=hold: ${HOLD.slice('error: '.length)}`, '']);
    const start = errorRows('start-gbm', '--incentive', SR1, '--reward-price', '1,gbm', '--reward-price-start', '3');
    expect(start).toEqual(['rewardPrice=1: --reward-price-start: starts a gbm, decay or crash path; --reward-price is a constant', '']);
  });
});

describe('ammsim backtest and compare: mining with the hold strategy, and bad program input', () => {
  it('error: backtest --strategy hold with a program and mining flags is one error line, exit 1, nothing written (it exited 0 with rewards 0)', () => {
    const out = join(tmp, 'bt-hold');
    const r = ammsim('backtest', '--prices', FLAT, '--strategy', 'hold', '--incentive', SR1, '--harvest', 'interval', '--harvest-param', 'then=sell', '--reward-pool-liquidity', '5000', '--performance-fee', '0.2', '--reward-price', '3', '--out', out);
    expect([r.status, r.stderr, existsSync(join(out, 'summary.json'))]).toEqual([1, `${HOLD}\n`, false]);
  });

  it('behavior: compare --strategy hold,full-range gives the programs to full-range only; --strategy hold alone is refused', () => {
    const out = join(tmp, 'cmp-hold');
    const r = ammsim('compare', '--prices', FLAT, '--strategy', 'hold,full-range', '--incentive', SR1, '--harvest', 'interval', '--harvest-param', 'then=sell', '--out', out);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(['lp:hold', 'lp:full-range'].map((id) => s[id]!.rewardsEarned)).toEqual([undefined, 86400]);
    const alone = ammsim('compare', '--prices', FLAT, '--strategy', 'hold', '--incentive', SR1, '--out', join(tmp, 'cmp-hold-alone'));
    expect([alone.status, alone.stderr]).toEqual([1, `${HOLD}\n`]);
  });

  it('error: amounts past the contract\'s uint256 are one located line, not a stack trace; a --config file\'s program and reward price are named at their lines', () => {
    const run = (...args: string[]): [number | null, string] => {
      const r = ammsim('backtest', '--prices', FLAT, ...args, '--out', join(tmp, 'bt-bad'));
      return [r.status, r.stderr];
    };
    const big = write('big.json', `{"kind": "staking-rewards", "token": "R", "start": ${DAY.start}, "end": ${DAY.end},\n "total": 1e300}`);
    expect(run('--incentive', big)).toEqual([1, `error: ${big}:2: total: must be at most 1.157e+41 tokens: StakingRewards multiplies its reward rate by 10^18 in uint256 arithmetic (rewardPerToken), which a larger program overflows (SafeMath: multiplication overflow); was 1e+300\n`]);
    const cfg = write('cfg.json', `{\n  "incentives": [\n    {"kind": "staking-rewards", "token": "R", "total": 5, "start": ${DAY.start}, "end": ${DAY.end}},\n    {"kind": "staking-rewards", "token": "R",\n     "total": -5, "start": ${DAY.start}, "end": ${DAY.end}}\n  ]\n}\n`);
    expect(run('--config', cfg)).toEqual([1, `error: ${cfg}:5: incentives[1].total: must be a number > 0; was -5\n`]);
  });
});
