import { describe, expect, it } from 'vitest';
import { configFileKeys, resolveBacktestConfig } from './config.ts';

const KEYS = ['capital', 'csv', 'fee', 'from', 'to', 'width', 'seed', 'prices', 'pair'];

describe('config values of the wrong type', () => {
  it.each([
    [{ prices: 5 }, '--prices: must be a file path; was 5'],
    [{ divideBy: 5, prices: 'x.csv' }, '--divide-by: must be a file path; was 5'],
    [{ pool: 'v3', poolLiquidityFile: 5 }, '--pool-liquidity-file: must be a file path; was 5'],
    [{ pool: 'v3', poolLiquidityFile: 0 }, '--pool-liquidity-file: must be a file path; was 0'],
    [{ resample: true }, '--resample: must be an interval such as 1h or 1d; was true'],
    [{ resample: 3600 }, '--resample: must be an interval such as 1h or 1d; was 3600'],
    [{ pair: 5 }, '--pair: must be a pair name such as ETH/USD; was 5'],
    [{ prices: 'x.csv', format: 5 }, '--format: must be a format name (auto, csv, arrow, freqtrade, cryptocompare, uniswap-minute, uniswap-events); was 5'],
    [{ prices: 'x.csv', gaps: true }, '--gaps: must be error, skip or ffill; was true'],
    [{ priceOf: 1 }, '--price-of: must be token0 or token1; was 1'],
    [{ prices: '' }, '--prices: must be a file path; was ""'],
    [{ from: true }, '--from: must be an ISO-8601 date or time (2022-01-01, 2022-01-01T12:00:00Z) or unix seconds; was true'],
  ])('error: found by an audit: %j from a config file is one clear error naming the key (it crashed, or was read as something else)', (file, message) => {
    expect(() => resolveBacktestConfig({}, file, 'cfg.json')).toThrowError(message);
  });

  it('behavior: unix seconds are still a window bound', () => {
    expect(resolveBacktestConfig({}, { from: 1704067200 }, 'cfg.json').from).toBe('1704067200');
  });

  it("error: with the file's key lines, a file value that fails its rule names the file, line and key as written; a flag that replaces it wins", () => {
    const lines = new Map([['capital', 2], ['seed', 3], ['noise-rate', 4], ['prices', 5]]);
    expect(() => resolveBacktestConfig({}, { capital: 1, seed: 1.5 }, 'cfg.json', lines)).toThrowError(/^cfg\.json:3: seed: must be an integer; was 1\.5$/);
    expect(() => resolveBacktestConfig({}, { 'noise-rate': -1 }, 'cfg.json', lines)).toThrowError(/^cfg\.json:4: noise-rate: must be in \[0, 1000\] trades per step; was -1$/);
    expect(() => resolveBacktestConfig({}, { prices: 5 }, 'cfg.json', lines)).toThrowError(/^cfg\.json:5: prices: must be a file path; was 5$/);
    expect(resolveBacktestConfig({ seed: 3 }, { seed: 1.5 }, 'cfg.json', lines).seed).toBe(3);
    // a flag's own value is named by its flag
    expect(() => resolveBacktestConfig({ seed: 1.5 }, { capital: 1 }, 'cfg.json', lines)).toThrowError(/^--seed: must be an integer; was 1\.5$/);
  });
});

describe('config file keys', () => {
  it('error: out and json are command-line flags, said so (it was "did you mean to"/"from")', () => {
    expect(() => configFileKeys({ out: 'x' }, KEYS, 'cfg.json')).toThrowError(/^cfg\.json: "out" is a command-line flag only; give --out DIR$/);
    expect(() => configFileKeys({ json: true }, KEYS, 'cfg.json')).toThrowError(/^cfg\.json: "json" is a command-line flag only; give --json \(backtest, compare\)$/);
  });

  it('behavior: the did-you-mean hint is kept for a close key, dropped for a short key three edits away', () => {
    expect(() => configFileKeys({ capitol: 1 }, KEYS, 'cfg.json')).toThrowError('cfg.json: unknown key "capitol"; did you mean "capital"?');
    expect(() => configFileKeys({ wdith: 1 }, KEYS, 'cfg.json')).toThrowError('cfg.json: unknown key "wdith"; did you mean "width"?');
    expect(() => configFileKeys({ csvv: true }, KEYS, 'cfg.json')).toThrowError('cfg.json: unknown key "csvv"; did you mean "csv"?');
    expect(() => configFileKeys({ foo: 1 }, KEYS, 'cfg.json')).toThrowError(/^cfg\.json: unknown key "foo"$/);
    expect(() => configFileKeys({ bar: 1 }, KEYS, 'cfg.json')).toThrowError(/^cfg\.json: unknown key "bar"$/);
  });
});

describe('--fee-model volume / replay and the simulated traders', () => {
  const v3 = { pool: 'v3', strategy: 'range' };
  it.each(['volume', 'replay'])('error: found by an audit: under %s the noise flags and --no-arbitrage are refused (noise left finalValue unchanged)', (feeModel) => {
    const why = `under --fee-model ${feeModel} the LP's fees come from ${feeModel === 'volume' ? "the series' observed pool volume" : "the pool's replayed swaps"}, not from simulated traders`;
    expect(() => resolveBacktestConfig({ ...v3, feeModel, noiseRate: 2 })).toThrowError(`--noise-rate: ${why}: noise trades`);
    expect(() => resolveBacktestConfig({ ...v3, feeModel, noiseRate: 2, noiseSize: 5000 })).toThrowError(`--noise-rate: ${why}`);
    expect(() => resolveBacktestConfig({ ...v3, feeModel, noiseSize: 5000 })).toThrowError(`--noise-size: ${why}`);
    expect(() => resolveBacktestConfig({ ...v3, feeModel, noiseVolumeShare: 0.1 })).toThrowError(`--noise-volume-share: ${why}`);
    expect(() => resolveBacktestConfig({ ...v3, feeModel, arbitrage: false })).toThrowError(`--no-arbitrage: ${why}; the arbitrageur only keeps the simulated pool at the series' price`);
    expect(resolveBacktestConfig({ ...v3, feeModel }).feeModel).toBe(feeModel);
  });

  it('behavior: all keeps the simulated traders (its run is the arbitrage model), so they act there', () => {
    expect(resolveBacktestConfig({ ...v3, feeModel: 'all', noiseRate: 2, noiseSize: 5000, arbitrage: false })).toMatchObject({ noiseRate: 2, noiseSize: 5000, arbitrage: false });
  });
});

describe('--tick-spacing', () => {
  it("error: found by an audit: 16384 is refused as the pools refuse it ([1, 16383]); 16383 is accepted", () => {
    expect(() => resolveBacktestConfig({ pool: 'v3', tickSpacing: 16384 })).toThrowError('--tick-spacing: must be an integer in [1, 16383]; was 16384');
    expect(resolveBacktestConfig({ pool: 'v3', tickSpacing: 16383 }).tickSpacing).toBe(16383);
  });
});

describe('--divide-by-pair', () => {
  it('error: without --divide-by it selects nothing, and is refused', () => {
    expect(() => resolveBacktestConfig({ divideByPair: 'ETH/USD' })).toThrow('--divide-by-pair: selects the pair of the --divide-by file; give --divide-by FILE');
    expect(() => resolveBacktestConfig({ divideByPair: 5, divideBy: 'x.csv', prices: 'y.csv' })).toThrow('--divide-by-pair: must be a pair name such as ETH/USD; was 5');
  });
});

describe('config file keys: an unknown key at its line, and a flag of the command said to be one', () => {
  const lines = new Map([['capital', 2], ['samples', 3], ['capitol', 4], ['param', 5], ['out', 6]]);
  const ctx = { lines, commandLineFlags: ['samples', 'sample-seed', 'workers', 'param', 'out', 'prices'] };

  it('error: with the lines, the key is named at its line as the field (as other config errors are)', () => {
    expect(() => configFileKeys({ capital: 1, capitol: 1 }, KEYS, 'cfg.json', { lines })).toThrowError(/^cfg\.json:4: capitol: unknown key; did you mean "capital"\?$/);
    expect(() => configFileKeys({ out: 'x' }, KEYS, 'cfg.json', { lines })).toThrowError(/^cfg\.json:6: out: is a command-line flag only, not a config key; give --out DIR$/);
    // a key the lines do not hold (a library caller's object): as before, in the sentence
    expect(() => configFileKeys({ foo: 1 }, KEYS, 'cfg.json', { lines })).toThrowError(/^cfg\.json: unknown key "foo"$/);
  });

  it('error: a flag of the command that is no config key is said to be one, not matched to a look-alike key (samples → resample)', () => {
    const known = [...KEYS, 'resample'];
    expect(() => configFileKeys({ samples: 3 }, known, 'cfg.json', ctx)).toThrowError(/^cfg\.json:3: samples: is a command-line flag only, not a config key; give --samples on the command line$/);
    expect(() => configFileKeys({ sampleSeed: 3 }, known, 'cfg.json', ctx)).toThrowError(/^cfg\.json: "sampleSeed" is a command-line flag only; give --sample-seed on the command line$/);
    // not a flag of this command (backtest has no --samples): the hint as before
    expect(() => configFileKeys({ samples: 3 }, known, 'cfg.json', { lines })).toThrowError(/^cfg\.json:3: samples: unknown key; did you mean "resample"\?$/);
    // a flag whose config key is another word points at that key
    expect(() => configFileKeys({ param: ['a=1'] }, [...known, 'params'], 'cfg.json', ctx)).toThrowError(/^cfg\.json:5: param: unknown key; --param's config key is "params"$/);
  });
});
