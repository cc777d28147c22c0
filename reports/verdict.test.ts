import { describe, expect, it } from 'vitest';
import { findGaps, gasText, runContext, runVerdict, runWarnings, sentencePercent, shortUtc } from './verdict.ts';

const H = 3_600_000;
const T0 = Date.UTC(2017, 7, 17, 4);

describe('runVerdict', () => {
  it('behavior: the LP behind holding, IL and gas not covered (the issue’s example figures)', () => {
    const s = { initialValue: 10_000, holdValue: 33_367, vsHold: -11_545.2, feesEarned: 2_695.4, impermanentLoss: -0.6981, gasCost: 1_157.49 };
    expect(runVerdict(s)).toBe('LP trailed holding by 11,545 (−34.6 %): fees 2,695 did not cover IL −69.8 % and gas 1,157');
  });
  it('behavior: the LP ahead of holding; no gas paid leaves gas out', () => {
    const s = { initialValue: 10_000, holdValue: 10_000, vsHold: 512.5, feesEarned: 800, impermanentLoss: -0.0287, gasCost: 0 };
    expect(runVerdict(s)).toBe('LP beat holding by 513 (+5.1 %): fees 800 covered IL −2.9 %');
  });
  it('behavior: rewards are named only when the summary has rewardsEarned', () => {
    const s = { initialValue: 10_000, holdValue: 10_000, vsHold: -100, feesEarned: 50, impermanentLoss: -0.02, gasCost: 30, rewardsEarned: 80 };
    expect(runVerdict(s)).toBe('LP trailed holding by 100 (−1.0 %): fees 50 and rewards 80 did not cover IL −2.0 % and gas 30');
    const { rewardsEarned: _r, ...without } = s;
    expect(runVerdict(without)).not.toContain('rewards');
  });
  it('behavior: behind with no IL is the gas’s doing; small runs keep cents; a run label replaces "LP"', () => {
    expect(runVerdict({ initialValue: 100, holdValue: 100, vsHold: -2.5, feesEarned: 0.5, impermanentLoss: 0, gasCost: 3 }, 'lp:width=0.1')).toBe(
      'lp:width=0.1 trailed holding by 2.50 (−2.5 %): fees 0.50 did not cover gas 3.00 (IL 0.0 %)',
    );
  });
  it('edge: a difference that rounds to 0 keeps cents', () => {
    expect(runVerdict({ initialValue: 10_000, holdValue: 9_779, vsHold: -0.4687, feesEarned: 5.8, impermanentLoss: -0.00013, gasCost: 5 })).toBe(
      'LP trailed holding by 0.47 (−0.005 %): fees 6 did not cover IL −0.01 % and gas 5',
    );
  });
  it('edge: a summary without the figures has no verdict', () => {
    expect(runVerdict({ finalValue: 1 })).toBeUndefined();
  });
  it('behavior: percentages carry a real sign and one decimal', () => {
    expect(sentencePercent(-0.3461)).toBe('−34.6 %');
    expect(sentencePercent(0.0004)).toBe('+0.04 %');
    expect(sentencePercent(-0.0000479)).toBe('−0.005 %');
    expect(sentencePercent(0)).toBe('0.0 %');
    // float noise of a sum that is 0 (IL at an unchanged price, gas added back) read −2e-14 %
    expect(sentencePercent(-1.8e-16)).toBe('0.0 %');
    expect(sentencePercent(12.345)).toBe('+1,234.5 %');
  });
});

describe('runContext', () => {
  const ts = [T0, T0 + H, T0 + 2 * H, T0 + 10 * H, T0 + 11 * H, T0 + 14 * H, T0 + 15 * H];
  const data = { kind: 'csv', file: 'eth_1h.csv', rows: ts.length, firstTimestampMs: ts[0], lastTimestampMs: ts[ts.length - 1], sha256: 'x' };
  it('behavior: file, window, constant gas, and the skipped gaps counted from the timestamps', () => {
    const text = runContext({ config: { gaps: 'skip', gasPrice: 30 }, data }, ts);
    expect(text).toBe(
      'data eth_1h.csv · 2017-08-17 04:00 UTC – 2017-08-17 19:00 UTC (0.6 days) · gas 30 gwei (constant) · 2 gaps in the 1 h steps skipped (--gaps skip; longest 8 h from 2017-08-17 06:00 UTC)',
    );
  });
  it('behavior: a gas series names its file; forward-filled rows are stated; no gas is said', () => {
    expect(gasText({ gasPriceSeries: 'gas.csv', gasPrice: 0 })).toBe('price series gas.csv');
    expect(gasText({ gasPrice: 0 })).toBe('none (0 gwei)');
    const text = runContext({ config: { gaps: 'ffill', gasPrice: 0 }, data: { ...data, params: { gaps: 'ffill', filledRows: 1234 } } }, ts);
    expect(text).toContain('1,234 missing rows forward-filled (--gaps ffill)');
    expect(text).not.toContain('skipped');
  });
  it('behavior: the synthetic series says so', () => {
    expect(runContext({ config: { gasPrice: 0 }, data: { kind: 'synthetic', firstTimestampMs: T0, lastTimestampMs: T0 + 24 * H } })).toMatch(/^data: built-in synthetic series · 2017-08-17 04:00 UTC – 2017-08-18 04:00 UTC \(1\.0 days\)/);
  });
  it('behavior: findGaps takes the most common step and the longest gap', () => {
    expect(findGaps(ts)).toEqual({ stepMs: H, gaps: 2, longestMs: 8 * H, longestFromMs: T0 + 2 * H });
    expect(shortUtc(T0 + 1500)).toBe('2017-08-17 04:00:01.500 UTC');
  });
});

describe('runWarnings', () => {
  it('behavior: strings only; absent is none', () => {
    expect(runWarnings({ warnings: ['the strategy stopped at step 3,088', 7, ''] })).toEqual(['the strategy stopped at step 3,088']);
    expect(runWarnings({})).toEqual([]);
  });
});
