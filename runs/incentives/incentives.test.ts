import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRewardPrice, rewardPricePath } from '../../data/synthetic/rewardPrice.ts';
import { gbmPath, seriesOf } from '../../sim/engine/testing/engineTesting.ts';
import { backtest } from '../backtest.ts';
import { resolveBacktestConfig } from '../config.ts';
import { readProgramFile } from './programFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'ammsim-lm-'));
const file = (name: string, body: unknown): string => {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};

describe('program files', () => {
  it("the issue's shape parses: total over [start, end], ISO times", () => {
    const p = readProgramFile(file('uni.json', { kind: 'staking-rewards', token: 'UNI', total: 5000000, start: '2020-09-18T00:00:00Z', end: '2020-11-17T00:00:00Z', otherStakedValue: 0 }));
    expect(p).toMatchObject({ kind: 'staking-rewards', token: 'UNI', total: 5_000_000, startSec: 1_600_387_200, endSec: 1_605_571_200, otherStakedValue: 0 });
    expect(p.endSec - p.startSec).toBe(60 * 86_400);
  });

  it('error: bad files name the file and the field', () => {
    const bad = (name: string, body: unknown, msg: string) => expect(() => readProgramFile(file(name, body))).toThrow(msg);
    bad('a.json', { kind: 'staking-reward', token: 'UNI', total: 1, start: 0, end: 10 }, 'a.json:1: kind: must be staking-rewards, v3-staker, masterchef');
    bad('b.json', { kind: 'staking-rewards', token: 'UNI', totl: 1, start: 0, end: 10 }, 'b.json:1: totl: unknown field; did you mean "total"?');
    bad('c.json', { kind: 'staking-rewards', token: 'UNI', total: 1, start: 10, end: 5 }, 'c.json:1: end: must be after start');
    bad('d.json', { kind: 'staking-rewards', token: 'UNI', total: 1, ratePerSecond: 2, start: 0, end: 5 }, 'd.json:1: ratePerSecond: give one of total, ratePerSecond, ratePerBlock');
    bad('e.json', { kind: 'v3-staker', token: 'UNI', total: 1, start: 0, end: 5, otherStakedValue: 5 }, 'e.json:1: otherStakedValue: v3-staker pays by in-range liquidity-seconds');
    bad('f.json', '{"kind": ', 'f.json:1: not valid JSON');
    bad('h.json', { kind: 'staking-rewards', token: 'UNI', total: 1, start: 1_600_387_200_000, end: 1_605_571_200_000 }, 'h.json:1: start: must be unix seconds (or ISO-8601); 1600387200000 reads as a time after the year 5000: milliseconds? (1600387200 in seconds)');
    bad('g.json', '{\n  "kind": "staking-rewards",\n  "token": "UNI",\n  "total": -1,\n  "start": 0,\n  "end": 10\n}', 'g.json:4: total: must be a number > 0; was -1');
  });

  it('error: a field given twice is refused at its second line (JSON.parse would keep the last without a word)', () => {
    const body = '{\n  "kind": "staking-rewards",\n  "token": "UNI",\n  "total": 5000000,\n  "start": "2020-09-18T00:00:00Z",\n  "end": "2020-11-17T00:00:00Z",\n  "total": 5\n}';
    expect(() => readProgramFile(file('twice.json', body))).toThrow(`${join(dir, 'twice.json')}:7: total: is given twice (also on line 4); give each field once`);
  });

  it('error: a date past the end of its month is refused (Date.parse would roll 2023-02-30 over to March 2)', () => {
    expect(() => readProgramFile(file('feb30.json', { kind: 'staking-rewards', token: 'UNI', total: 1, start: '2023-02-30', end: '2023-04-01' }))).toThrow('feb30.json:1: start: must be a real date; was "2023-02-30"');
    expect(() => readProgramFile(file('apr31.json', { kind: 'staking-rewards', token: 'UNI', total: 1, start: '2023-02-01', end: '2023-04-31T00:00:00Z' }))).toThrow('apr31.json:1: end: must be a real date; was "2023-04-31T00:00:00Z"');
    expect(readProgramFile(file('leap.json', { kind: 'staking-rewards', token: 'UNI', total: 1, start: '2024-02-29', end: '2024-03-01' })).startSec).toBe(Date.UTC(2024, 1, 29) / 1000);
  });

  it('behavior: a UTF-8 byte-order mark is ignored; a syntax error names its line', () => {
    const body = JSON.stringify({ kind: 'staking-rewards', token: 'UNI', total: 1, start: 0, end: 10 });
    expect(readProgramFile(file('bom.json', '\uFEFF' + body)).total).toBe(1);
    expect(() => readProgramFile(file('comma.json', '{\n"kind": "staking-rewards",\n"total": 1,\n}'))).toThrow(`${join(dir, 'comma.json')}:4: not valid JSON`);
  });
});

describe('config: flags that cannot act are refused', () => {
  it('error: --harvest, --reward-price, --performance-fee without --incentive', () => {
    expect(() => resolveBacktestConfig({ harvest: 'interval' })).toThrow('--harvest: decides when to claim rewards; it needs a liquidity-mining program (--incentive FILE.json)');
    expect(() => resolveBacktestConfig({ rewardPrice: 2 })).toThrow('--reward-price: prices the reward token; it needs a liquidity-mining program');
    expect(() => resolveBacktestConfig({ performanceFee: 0.1 })).toThrow('--performance-fee');
    expect(() => resolveBacktestConfig({ incentives: ['x.json'], performanceFee: 0.6, callerFee: 0.5 })).toThrow('--caller-fee');
  });
});

describe('reward price paths', () => {
  const s = seriesOf(gbmPath(4001, 0.8, 1 / 8760, 2000, 5));
  it('gbm: correlated with the base log returns at rho (sample correlation within 0.05), seeded', () => {
    const { price } = rewardPricePath(parseRewardPrice('gbm:sigma=0.9,rho=0.6,mu=0'), s, { seed: 7, start: 3 });
    expect(price[0]).toBe(3);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 1; i < s.length; i++) {
      a.push(Math.log(s.price[i]! / s.price[i - 1]!));
      b.push(Math.log(price[i]! / price[i - 1]!));
    }
    const mean = (x: number[]) => x.reduce((p, q) => p + q, 0) / x.length;
    const ma = mean(a);
    const mb = mean(b);
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < a.length; i++) {
      sab += (a[i]! - ma) * (b[i]! - mb);
      saa += (a[i]! - ma) ** 2;
      sbb += (b[i]! - mb) ** 2;
    }
    expect(sab / Math.sqrt(saa * sbb)).toBeGreaterThan(0.55);
    expect(sab / Math.sqrt(saa * sbb)).toBeLessThan(0.65);
    expect(rewardPricePath(parseRewardPrice('gbm:sigma=0.9,rho=0.6,mu=0'), s, { seed: 7, start: 3 }).price).toEqual(price);
  });
  it('decay, crash, constant and errors', () => {
    const lin = rewardPricePath(parseRewardPrice('decay:linear:0.2'), s, { start: 5 }).price;
    expect(lin[0]).toBe(5);
    expect(lin[s.length - 1]).toBeCloseTo(1, 12);
    const ex = rewardPricePath(parseRewardPrice('decay:exp:2'), s, { start: 1 }).price;
    expect(ex[4000]).toBeCloseTo(Math.exp((-2 * 4000) / 8760), 12);
    const at = new Date(s.timestampMs[100]!).toISOString();
    const cr = rewardPricePath(parseRewardPrice(`crash:0.5@${at}`), s, { start: 4 }).price;
    expect([cr[99], cr[100]]).toEqual([4, 2]);
    expect(rewardPricePath(parseRewardPrice('2.5'), s).price[77]).toBe(2.5);
    expect(() => parseRewardPrice('gbm:sigma=0.9,rho=2')).toThrow('rho must be in [-1, 1]');
    expect(() => parseRewardPrice('crash:0.5')).toThrow('crash:<drop fraction>@<time>');
  });
});

describe('backtest with a program', () => {
  it('summary carries the reward keys between entryPriceImpact and seed; timeseries the reward columns', async () => {
    const prog = file('syn.json', { kind: 'staking-rewards', token: 'UNI', total: 100000, start: '2024-02-01T00:00:00Z', end: '2024-04-01T00:00:00Z', otherStakedValue: 1000000 });
    const r = await backtest({ incentives: [prog], harvest: 'interval', harvestParams: { every: '1d', then: 'sell' }, rewardPrice: 2 });
    const keys = Object.keys(r.summary);
    const i = keys.indexOf('entryPriceImpact');
    expect(keys.slice(i + 1, keys.indexOf('seed'))).toEqual(['rewardTokensEarned', 'rewardsEarned', 'rewardsValueAtEnd', 'rewardAprSpot', 'rewardApr', 'totalApr', 'apy', 'apyCompoundsPerYear', 'harvests', 'harvestGas', 'rewardSlippage', 'performanceFees', 'callerFees', 'breakevenRewardPriceHold']);
    expect(r.summary.harvests).toBe(61);
    expect(r.timeseries.rewardPrice![0]).toBe(2);
    expect(r.summary.warnings).toEqual([]);
    const plain = await backtest({});
    expect(Object.keys(plain.summary).some((k) => k.startsWith('reward'))).toBe(false);
    expect(Object.keys(plain.summary.config)).not.toContain('incentives');
  });
});

describe('rewards compounded into the position', () => {
  it('are left out of IL at their current value: IL stays the classic full-range IL after a ×4 jump and a ×0.1 crash (it read +58 % and −287 %)', async () => {
    // 30,000 reward tokens at 1 (three times the capital) compounded daily while the price is flat, then a move
    const prog = file('big.json', { kind: 'staking-rewards', token: 'R', total: 30000, start: '2024-01-01T00:00:00Z', end: '2024-01-04T00:00:00Z', otherStakedValue: 0 });
    for (const end of [4000, 100]) {
      const rows = ['timestamp,price'];
      for (let h = 0; h < 80; h++) rows.push(`${new Date(Date.UTC(2024, 0, 1, h)).toISOString()},${h < 76 ? 1000 : end}`);
      const prices = file(`move-${end}.csv`, rows.join('\n') + '\n');
      const run = (then: string) => backtest({ prices, pool: 'v2', fee: 0.003, capital: 10000, incentives: [prog], harvest: 'interval', harvestParams: { every: '1d', then }, rewardPrice: 1 });
      const [sold, compounded] = [await run('sell'), await run('compound')];
      const r = end / 1000;
      const classic = (2 * Math.sqrt(r)) / (1 + r) - 1;
      expect(compounded.summary.harvests).toBeGreaterThan(2);
      expect(sold.summary.impermanentLoss).toBeCloseTo(classic, 3);
      // the compounds' re-mints swap to the pool's ratio (fee and impact): within 0.2 points of it
      expect(Math.abs(compounded.summary.impermanentLoss - classic), `×${r}: ${compounded.summary.impermanentLoss}`).toBeLessThan(0.002);
    }
  });
});

describe('harvest policies (fixes from an audit)', () => {
  const prog = () => file('day.json', { kind: 'staking-rewards', token: 'RWD', total: 2400, start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z', otherStakedValue: 0 });
  const prices = () => file('flat25.csv', ['timestamp,price', ...Array.from({ length: 25 }, (_, h) => `${new Date(Date.UTC(2024, 0, 1, h)).toISOString()},100`)].join('\n') + '\n');
  it('behavior: interval\'s compounding rate is what the steps allow: every 30 min on hourly steps compounds hourly (8,760 a year, it said 17,520), 1.5 h every 2 h', async () => {
    for (const [every, harvests, n] of [['30m', 24, 8760], ['1h', 24, 8760], ['1.5h', 12, 4380], ['1d', 1, 365]] as const) {
      const r = await backtest({ prices: prices(), incentives: [prog()], harvest: 'interval', harvestParams: { every, then: 'compound' } });
      expect([every, r.summary.harvests, r.summary.apyCompoundsPerYear]).toEqual([every, harvests, n]);
    }
  });
  it('error: threshold gasMultiple=k on a run that pays no gas is refused (it claimed at every step)', async () => {
    await expect(backtest({ prices: prices(), incentives: [prog()], harvest: 'threshold', harvestParams: { gasMultiple: 3000 } })).rejects.toThrow(/^--harvest-param gasMultiple: compares the pending rewards with the claim's gas, and this run pays no gas/);
    const r = await backtest({ prices: prices(), incentives: [prog()], harvest: 'threshold', harvestParams: { gasMultiple: 3000 }, gasPrice: 20 });
    expect(r.summary.harvests).toBeLessThan(24);
  });
});

describe('a program outside the run', () => {
  it('warning: a program that ends before the run starts (or starts after it ends) pays nothing, and says so', async () => {
    const early = file('early.json', { kind: 'staking-rewards', token: 'UNI', total: 5000000, start: '2020-09-18T00:00:00Z', end: '2020-11-17T00:00:00Z', otherStakedValue: 0 });
    const r = await backtest({ incentives: [early], rewardPrice: 2, to: '2024-01-20' });
    expect(r.summary.rewardTokensEarned).toBe(0);
    expect(r.summary.warnings).toEqual([`${early}: the program runs 2020-09-18T00:00:00Z … 2020-11-17T00:00:00Z, before the run 2024-01-01T00:00:00Z … 2024-01-20T23:00:00Z: it pays nothing`]);
    const late = file('late.json', { kind: 'staking-rewards', token: 'UNI', total: 1, start: '2024-02-01T00:00:00Z', end: '2024-03-01T00:00:00Z' });
    const r2 = await backtest({ incentives: [late], rewardPrice: 2, to: '2024-01-20' });
    expect(r2.summary.warnings).toEqual([expect.stringContaining('late.json: the program runs 2024-02-01T00:00:00Z … 2024-03-01T00:00:00Z, after the run')]);
  });

  it('regression: a program ended before the run but extended into it by a top-up pays, without the warning', async () => {
    // Dec 1 … Dec 31; a top-up on Dec 30 starts a new 30-day period to Jan 29
    const topped = file('topped.json', { kind: 'staking-rewards', token: 'UNI', total: 1000, start: '2023-12-01T00:00:00Z', end: '2023-12-31T00:00:00Z', topUps: [{ at: '2023-12-30T00:00:00Z', amount: 1000 }] });
    const r = await backtest({ incentives: [topped], rewardPrice: 2, to: '2024-01-20' });
    expect(r.summary.rewardTokensEarned).toBeGreaterThan(0);
    expect(r.summary.warnings).toEqual([]);
    // ending before the run even with its top-up: said, with the extended end
    const gone = file('gone.json', { kind: 'staking-rewards', token: 'UNI', total: 1000, start: '2023-10-01T00:00:00Z', end: '2023-10-31T00:00:00Z', topUps: [{ at: '2023-11-10T00:00:00Z', amount: 1000 }] });
    const r2 = await backtest({ incentives: [gone], rewardPrice: 2, to: '2024-01-20' });
    expect(r2.summary.warnings).toEqual([expect.stringContaining('gone.json: the program runs 2023-10-01T00:00:00Z … 2023-12-10T00:00:00Z (with its top-ups), before the run')]);
  });
});

describe('--reward-pool-liquidity where nothing is sold', () => {
  const prog = () => file('rpl.json', { kind: 'staking-rewards', token: 'RWD', total: 2400, start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z', otherStakedValue: 0 });
  const prices = () => file('rpl.csv', ['timestamp,price', ...Array.from({ length: 25 }, (_, h) => `${new Date(Date.UTC(2024, 0, 1, h)).toISOString()},100`)].join('\n') + '\n');
  it('error: with a built-in policy that sells nothing (never; interval or threshold holding) the run is refused', async () => {
    const run = (over: Record<string, unknown>) => backtest({ prices: prices(), incentives: [prog()], rewardPoolLiquidity: 5000, ...over });
    await expect(run({})).rejects.toThrow('--reward-pool-liquidity: sizes the pool claimed rewards are sold through, and this run sells none: --harvest never does not claim;');
    await expect(run({ harvest: 'interval' })).rejects.toThrow('this run sells none: --harvest interval holds what it claims (then=hold)');
    await expect(run({ harvest: 'threshold', harvestParams: { value: 5, then: 'hold' } })).rejects.toThrow('this run sells none: --harvest threshold holds what it claims (then=hold)');
  });
  it('behavior: a policy that sells or compounds takes it; the vault fees work with never', async () => {
    for (const then of ['sell', 'compound']) expect((await backtest({ prices: prices(), incentives: [prog()], rewardPoolLiquidity: 5000, harvest: 'interval', harvestParams: { then } })).summary.config.rewardPoolLiquidity).toBe(5000);
    expect((await backtest({ prices: prices(), incentives: [prog()], performanceFee: 0.1 })).summary.performanceFees).toBeGreaterThan(0);
  });
});
