import { describe, expect, it } from 'vitest';
import { summaryKindOf, withoutFedParams } from './config.ts';

describe('summaryKindOf: a --config file that is a summary.json', () => {
  it('behavior: a backtest\'s and a comparison\'s summary.json are recognised by their own keys beside a config object', () => {
    expect(summaryKindOf({ initialValue: 10_000, finalValue: 10_500, steps: 24, config: { fee: 0.003 } })).toBe('backtest');
    expect(summaryKindOf({ alternatives: ['lp', 'hold', 'staking', 'hold-staked'], initialValue: 10_000, steps: 24, config: { strategies: ['full-range'] } })).toBe('compare');
  });

  it('behavior: a config file is never one: not without the summary\'s keys, nor with a config that is no object', () => {
    for (const file of [
      { fee: 0.003, capital: 5000 },
      { config: { fee: 0.003 } }, // (refused later: config is a command-line flag)
      { config: { fee: 0.003 }, initialValue: 1 }, // no steps
      { config: { fee: 0.003 }, initialValue: 1, steps: 2 }, // neither finalValue nor alternatives
      { config: [1], initialValue: 1, steps: 2, finalValue: 3 },
      { config: null, initialValue: 1, steps: 2, finalValue: 3 },
      { config: { fee: 0.003 }, initialValue: '1', steps: 2, finalValue: 3 },
    ]) expect(summaryKindOf(file), JSON.stringify(file)).toBeUndefined();
  });
});

describe('withoutFedParams: params.width / params.delay beside the key that feeds them', () => {
  const none = (): boolean => false;
  it('behavior: a parameter the file\'s own key fed (the same value, as a summary writes it) is dropped; another value is kept', () => {
    expect(withoutFedParams({ width: 0.05, rebalanceDelay: 0, params: { width: 0.05, delay: 0, threshold: 0.01 } }, none)).toEqual({ width: 0.05, rebalanceDelay: 0, params: { threshold: 0.01 } });
    expect(withoutFedParams({ width: 0.05, params: { width: 0.2 } }, none)).toEqual({ width: 0.05, params: { width: 0.2 } });
    expect(withoutFedParams({ params: { width: 0.1 } }, none)).toEqual({ params: { width: 0.1 } });
  });

  it('behavior: a flag (or axis) setting the key replaces the file\'s parameter, whatever its value', () => {
    expect(withoutFedParams({ params: { width: 0.1, delay: 4 } }, (k) => k === 'width')).toEqual({ params: { delay: 4 } });
    expect(withoutFedParams({ params: { width: 0.1, delay: 4 } }, (k) => k === 'rebalanceDelay')).toEqual({ params: { width: 0.1 } });
  });

  it('behavior: params that are not an object are left for the config check to refuse', () => {
    expect(withoutFedParams({ width: 0.1, params: 'width=0.1' }, () => true)).toEqual({ width: 0.1, params: 'width=0.1' });
  });
});
