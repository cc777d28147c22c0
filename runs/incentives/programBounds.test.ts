/**
 * Program input that the exact contracts cannot hold, and where its errors point (fixes from an audit): amounts past
 * what the contract's uint256 arithmetic holds were a RangeError stack trace (BigInt of Infinity), a mid-run
 * `reverted: SafeMath: multiplication overflow` naming no file (only with a harvest policy that claims: never claiming,
 * the same program ran and reported 1e42 tokens), or an internal field (`totalRewardUnclaimed`); nested fields and
 * masterchef's blocks named no line; a --config file's programs and reward price named no file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topLevelKeyLines } from '../../data/loaders/jsonText.ts';
import { backtest } from '../backtest.ts';
import { resolveBacktestConfig } from '../config.ts';
import { programSpec, readProgramFile } from './programFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'ammsim-lm-bounds-'));
const write = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
/** A program file, one field per line (line 2 is `kind`, then the fields in order). */
const program = (name: string, fields: Record<string, unknown>): string =>
  write(name, `{\n${Object.entries(fields).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`);
/** 2024-01-01 12:00 … 2024-01-02 12:00 (a day), within {@link prices}. */
const DAY = { start: 1704110400, end: 1704196800 };
const SR = { kind: 'staking-rewards', token: 'R' };
/** 73 hourly rows from 2024-01-01, flat at 2000. */
const prices = write('flat.csv', ['timestamp,price', ...Array.from({ length: 73 }, (_, h) => `${1704067200 + h * 3600},2000`)].join('\n') + '\n');
const claiming = { harvest: 'interval', harvestParams: { every: '1h' } } as const;

describe('program amounts the exact contract cannot hold are refused as the file is read, naming its line and field', () => {
  it('error: staking-rewards: total 1e300 (it was a RangeError stack trace) and 1e42 (a mid-run SafeMath overflow) name the file, line and field', () => {
    for (const total of [1e300, 1e42]) {
      const f = program(`sr-${total}.json`, { ...SR, ...DAY, total });
      expect(() => readProgramFile(f)).toThrowError(`${f}:6: total: must be at most 1.157e+41 tokens: StakingRewards multiplies its reward rate by 10^18 in uint256 arithmetic (rewardPerToken), which a larger program overflows (SafeMath: multiplication overflow); was ${total}`);
    }
    const rate = program('sr-rate.json', { ...SR, ...DAY, ratePerSecond: 1e300 });
    expect(() => readProgramFile(rate)).toThrowError(`${rate}:6: ratePerSecond: pays 8.64e+304 tokens over the program (ratePerSecond 1e+300 × its 86400 s), more than the 1.157e+41 tokens it can`);
    const topped = program('sr-topups.json', { ...SR, ...DAY, total: 1e41, topUps: [{ at: DAY.start + 60, amount: 1e40 }, { at: DAY.start + 120, amount: 1e40 }] });
    expect(() => readProgramFile(topped)).toThrowError(`${topped}:7: topUps[1].amount: brings the program's funding to 1.2e+41 tokens, more than the 1.157e+41 it can hold with its top-ups`);
  });

  it('error: v3-staker total 1e60 names the file\'s total (it named the contract\'s totalRewardUnclaimed); masterchef past allocPoint · 10^12', () => {
    const v3 = program('v3.json', { kind: 'v3-staker', token: 'R', ...DAY, total: 1e60 });
    expect(() => readProgramFile(v3)).toThrowError(`${v3}:6: total: must be at most 1.157e+59 tokens: UniswapV3Staker keeps an incentive's reward (totalRewardUnclaimed) in a uint256 of raw units (18 decimals); was 1e+60`);
    const chef = program('mc.json', { kind: 'masterchef', token: 'R', ...DAY, total: 1.16e47 });
    expect(() => readProgramFile(chef)).toThrowError(`${chef}:6: total: must be at most 1.157e+47 tokens: MasterChef multiplies each reward by allocPoint (1) and by 10^12`);
  });

  it('error: a program that would pay nothing (a rate floored to 0 raw units) is refused, not run at 0', () => {
    const tiny = program('tiny.json', { ...SR, ...DAY, total: 1e-14 });
    expect(() => readProgramFile(tiny)).toThrowError(`${tiny}:6: total: 1e-14 tokens over the program's 86400 s is less than one raw unit (10^-18 token) a second`);
    const none = program('none.json', { kind: 'v3-staker', token: 'R', ...DAY, total: 1e-19 });
    expect(() => readProgramFile(none)).toThrowError(`${none}:6: total: 1e-19 tokens over the program's whole run is less than one raw unit (10^-18 token) in all`);
  });

  it('error: a masterchef program shorter than a block names the line of end, or of blockTime when given (it named no line: thrown by the contract\'s constructor)', () => {
    const short = program('mc-short.json', { kind: 'masterchef', token: 'R', total: 5, start: DAY.start, end: DAY.start + 5 });
    expect(() => readProgramFile(short)).toThrowError(`${short}:6: end: is 5 s after start, less than one block (12 s, the default blockTime)`);
    const slow = program('mc-slow.json', { kind: 'masterchef', token: 'R', total: 5, start: DAY.start, end: DAY.start + 50, blockTime: 60 });
    expect(() => readProgramFile(slow)).toThrowError(`${slow}:7: blockTime: 60 s leaves no block between start and end (50 s apart); give a blockTime ≤ 50`);
    const perBlock = program('sr-block.json', { ...SR, ratePerBlock: 1, start: DAY.start, end: DAY.start + 5 });
    expect(() => readProgramFile(perBlock)).toThrowError(`${perBlock}:6: end: is 5 s after start, less than one block (12 s, the default blockTime): ratePerBlock pays nothing`);
  });

  it('error: a nested field names its own line: topUps[1].at (the line lookup took "topUps[1]" for a key), boost.veShare', () => {
    const f = write('topups.json', `{\n  "kind": "staking-rewards",\n  "token": "R",\n  "total": 5,\n  "start": ${DAY.start},\n  "end": ${DAY.end},\n  "topUps": [\n    {"at": ${DAY.start}, "amount": 1},\n    {"at": "bogus", "amount": 1}\n  ]\n}\n`);
    expect(() => readProgramFile(f)).toThrowError(`${f}:9: topUps[1].at: must be ISO-8601 (2020-09-18T00:00:00Z) or unix seconds; was "bogus"`);
    const b = write('boost.json', `{\n  "kind": "staking-rewards", "token": "R", "total": 5, "start": ${DAY.start}, "end": ${DAY.end},\n  "boost": {\n    "veShare": 2\n  }\n}\n`);
    expect(() => readProgramFile(b)).toThrowError(`${b}:4: boost.veShare: must be a fraction in [0, 1]; was 2`);
  });

  it('error: otherStakedValue the contract cannot count at the run\'s first price names its line (it was a RangeError stack trace)', () => {
    const f = program('others.json', { ...SR, ...DAY, total: 86400, otherStakedValue: 1e300 });
    const p = readProgramFile(f);
    expect(() => programSpec(p, 2000)).toThrowError(`${f}:7: otherStakedValue: must be at most 5.178e+60 at this run's first price 2000: other stakers' stake is the full-range liquidity of that value, V / (2·√P) × 10^18 units, which must fit the contract's uint256 balances beside the LP's; was 1e+300`);
    expect(programSpec(readProgramFile(program('others-ok.json', { ...SR, ...DAY, total: 86400, otherStakedValue: 5e60 })), 2000).otherStake).toBeGreaterThan(0n);
  });

  it('behavior: whatever the harvest: 1e42 tokens is refused claiming or not (never claiming it ran, reporting 1.0000000000000002e42 tokens); the largest total runs both ways', async () => {
    const big = program('big.json', { ...SR, ...DAY, total: 1e42 });
    for (const h of [{}, claiming]) await expect(backtest({ prices, incentives: [big], ...h })).rejects.toThrowError(`${big}:6: total: must be at most 1.157e+41 tokens`);
    const top = program('top.json', { ...SR, ...DAY, total: 1.157e41 });
    const never = await backtest({ prices, incentives: [top] });
    const hourly = await backtest({ prices, incentives: [top], ...claiming });
    expect(never.summary.rewardTokensEarned).toBeCloseTo(1.157e41, -30);
    expect(hourly.summary.rewardTokensEarned).toBeCloseTo(1.157e41, -30);
    expect(hourly.summary.harvests).toBeGreaterThan(20);
  });
});

describe('a --config file\'s programs and mining keys are named at their line (they named --config or the flag)', () => {
  /** Resolves a config file as the CLI does (its keys' lines); the message of the error. */
  const refusal = (name: string, text: string): string => {
    const f = write(name, text);
    try {
      resolveBacktestConfig({}, JSON.parse(text) as Record<string, unknown>, f, topLevelKeyLines(text));
    } catch (err) {
      return (err as Error).message;
    }
    return 'resolved';
  };
  const programs = `"incentives": [\n    {"kind": "staking-rewards", "token": "R", "total": 5, "start": ${DAY.start}, "end": ${DAY.end}},\n    {"kind": "staking-rewards", "token": "R",\n     "total": -5, "start": ${DAY.start}, "end": ${DAY.end}}\n  ]`;
  const one = `"incentives": [{"kind": "staking-rewards", "token": "R", "total": 5, "start": ${DAY.start}, "end": ${DAY.end}}]`;

  it('error: incentives[1].total at its own line', () => {
    expect(refusal('c1.json', `{\n  "prices": "flat.csv",\n  ${programs}\n}\n`)).toBe(`${join(dir, 'c1.json')}:6: incentives[1].total: must be a number > 0; was -5`);
  });

  it('error: rewardPrice, rewardPriceStart, harvestParams.every and rewardPoolLiquidity at their lines, as "fee": 2 is', () => {
    expect(refusal('c2.json', `{\n  ${one},\n  "rewardPrice": -2\n}\n`)).toMatch(new RegExp(`^${join(dir, 'c2.json')}:3: rewardPrice: a constant price must be .*> 0; was -2$`));
    expect(refusal('c3.json', `{\n  ${one},\n  "rewardPrice": 2,\n  "rewardPriceStart": 3\n}\n`)).toBe(`${join(dir, 'c3.json')}:4: rewardPriceStart: starts a gbm, decay or crash path; --reward-price is a constant`);
    expect(refusal('c4.json', `{\n  ${one},\n  "harvest": "interval",\n  "harvestParams": {\n    "every": "0"\n  }\n}\n`)).toBe(`${join(dir, 'c4.json')}:5: harvestParams.every: must be a duration > 0: seconds, or a number with s, m, h, d or w (1d, 12h); was "0"`);
    expect(refusal('c5.json', `{\n  ${one},\n  "rewardPoolLiquidity": 5000\n}\n`)).toMatch(new RegExp(`^${join(dir, 'c5.json')}:3: rewardPoolLiquidity: sizes the pool claimed rewards are sold through, and this run sells none: --harvest never does not claim`));
    // a flag given instead is named as the flag
    expect(() => resolveBacktestConfig({ rewardPrice: -2 }, { incentives: ['x.json'] }, 'c6.json', new Map([['incentives', 2]]))).toThrowError(/^--reward-price: a constant price must be/);
  });

  it('error: otherStakedValue of a config\'s program, found at the run\'s first price, at its line too', async () => {
    const text = `{\n  "prices": ${JSON.stringify(prices)},\n  "incentives": [\n    {"kind": "staking-rewards", "token": "R", "total": 5, "start": ${DAY.start}, "end": ${DAY.end},\n     "otherStakedValue": 1e300}\n  ]\n}\n`;
    const f = write('c7.json', text);
    const c = resolveBacktestConfig({}, JSON.parse(text) as Record<string, unknown>, f, topLevelKeyLines(text));
    const { runBacktest, loadConfiguredSeries } = await import('../backtest.ts');
    await expect(runBacktest(c, await loadConfiguredSeries(c))).rejects.toThrowError(`${f}:5: incentives[0].otherStakedValue: must be at most 5.178e+60 at this run's first price 2000`);
  });
});
