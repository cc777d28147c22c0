import { describe, expect, it } from 'vitest';
import { resolveCompareOptions, unfoldResolvedCompareConfig } from './config.ts';

/** Names a key path as the CLI does, with a made-up line. */
const place = (path: readonly string[]): string => `cfg.json:9: ${path.join('.')}`;
const unfold = (file: Record<string, unknown>): ReturnType<typeof unfoldResolvedCompareConfig> => unfoldResolvedCompareConfig(file, place);

// summary.json's `config` of `compare --pool v3 --strategy range --width 0.05,0.1 --staking-series apr.csv
// --commission 0.1 --lst-series lst.csv --lst-entry market --paths 3 --paths-method bootstrap --block-steps 5`
const resolved = {
  pool: 'v3',
  capital: 10_000,
  params: {},
  strategies: ['range'],
  widths: [0.05, 0.1],
  staking: {
    apr: null,
    aprSeries: { file: 'apr.csv', kind: 'csv', rows: 2 },
    compounding: 'daily',
    commission: 0.1,
    unbondingDays: 0,
    lstSeries: { file: 'lst.csv', pair: 'STETH/ETH', rows: 72 },
    lstEntry: 'market',
  },
  whatIf: { paths: 3, method: 'bootstrap', volatility: null, drift: 0, blockSteps: 5 },
};

describe('unfoldResolvedCompareConfig: summary.json\'s config read as the flags it came from', () => {
  it('behavior: strategies, widths, staking and whatIf become the flags\' keys; the other keys pass as they are', () => {
    const { values, places } = unfold(resolved);
    expect(values).toEqual({
      pool: 'v3',
      capital: 10_000,
      params: {},
      strategy: ['range'],
      width: [0.05, 0.1],
      stakingSeries: 'apr.csv',
      compounding: 'daily',
      commission: 0.1,
      unbondingDays: 0,
      lstSeries: 'lst.csv',
      lstPair: 'STETH/ETH',
      lstEntry: 'market',
      // what-if settings at their defaults (drift 0 under bootstrap) are not given
      paths: 3,
      pathsMethod: 'bootstrap',
      blockSteps: 5,
    });
    expect(places.get('commission')).toBe('cfg.json:9: staking.commission');
    expect(places.get('lstPair')).toBe('cfg.json:9: staking.lstSeries.pair');
    expect(places.get('width')).toBe('cfg.json:9: widths');
    // and the compare options resolve from them, a bad value named where the file gives it
    expect(resolveCompareOptions({}, values)).toMatchObject({ stakingSeries: 'apr.csv', commission: 0.1, paths: 3, pathsMethod: 'bootstrap', blockSteps: 5, lstPair: 'STETH/ETH' });
    expect(() => resolveCompareOptions({}, { ...values, commission: 1 }, places)).toThrow('cfg.json:9: staking.commission: must be a fraction in [0, 1)');
    expect(() => resolveCompareOptions({ commission: 1 }, values, places)).toThrow(/^--commission: must be a fraction/);
  });

  it('behavior: null is not given; what-if settings at their defaults are not given; an empty widths is not given', () => {
    expect(unfold({ strategies: null, widths: [], staking: null, whatIf: { paths: 0, method: 'gbm', volatility: null, drift: 0, blockSteps: 24 } }).values).toEqual({});
    expect(unfold({ staking: { apr: 0.04, aprSeries: null, lstSeries: null, lstEntry: null } }).values).toEqual({ stakingApr: 0.04 });
    // a null flat key beside its nested one is not given twice
    expect(unfold({ compounding: null, staking: { compounding: 'none' } }).values).toEqual({ compounding: 'none' });
  });

  it('behavior: widths that a numeric params.width gave are not a --width (which would conflict with it)', () => {
    expect(unfold({ params: { width: 0.03 }, widths: [0.03] }).values).toEqual({ params: { width: 0.03 } });
    expect(unfold({ params: { width: '0.03' }, widths: [0.03] }).values).toEqual({ params: { width: '0.03' } });
    expect(unfold({ params: { width: 0.03 }, widths: [0.05] }).values).toEqual({ params: { width: 0.03 }, width: [0.05] });
  });

  it('behavior: a series given as a path alone is read too; dashed keys are read as camelCase', () => {
    expect(unfold({ staking: { 'unbonding-days': 2, aprSeries: 'apr.csv' }, 'what-if': { paths: 2 } }).values).toEqual({ unbondingDays: 2, stakingSeries: 'apr.csv', paths: 2 });
  });

  it('error: a key given both ways, an unknown key inside, or a value of the wrong shape is refused, naming the file\'s key path', () => {
    expect(() => unfold({ strategy: 'range', strategies: ['range'] })).toThrow('cfg.json:9: strategies: sets what "strategy" sets; give one of them');
    expect(() => unfold({ width: 0.1, widths: [0.2] })).toThrow('cfg.json:9: widths: sets what "width" sets; give one of them');
    expect(() => unfold({ paths: 2, whatIf: { paths: 3 } })).toThrow('cfg.json:9: whatIf.paths: sets what "paths" sets; give one of them');
    expect(() => unfold({ staking: { aprr: 0.04 } })).toThrow('cfg.json:9: staking: unknown key "aprr"; did you mean "apr"?');
    expect(() => unfold({ whatIf: { steps: 3 } })).toThrow('cfg.json:9: whatIf: unknown key "steps"');
    expect(() => unfold({ staking: { lstSeries: { file: 'x.csv', pairs: 'A' } } })).toThrow('cfg.json:9: staking.lstSeries: unknown key "pairs"; did you mean "pair"?');
    expect(() => unfold({ staking: { aprSeries: { file: 5 } } })).toThrow('cfg.json:9: staking.aprSeries: must be a file path, or an object with its "file"; was {"file":5}');
    expect(() => unfold({ staking: { unbondingDays: 1, 'unbonding-days': 2 } })).toThrow('cfg.json:9: staking.unbonding-days: "unbondingDays" and "unbonding-days" are the same key; give it once');
    expect(() => unfold({ staking: 0.04 })).toThrow('cfg.json:9: staking: must be an object of staking settings');
    expect(() => unfold({ strategies: 'range' })).toThrow('cfg.json:9: strategies: must be a list of strategy names or module paths (["full-range", "range"]); was "range"');
    expect(() => unfold({ strategies: [] })).toThrow('cfg.json:9: strategies: must be a list');
    expect(() => unfold({ widths: [0.1, 0] })).toThrow('cfg.json:9: widths: must be a list of range widths > 0 ([0.05, 0.1]; [] for none); was [0.1,0]');
  });
});
