import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { axisName, canonicalJson, configOverrides, decimalRange, Grid, gridHash, parseAxisText, readGridFile } from './grid.ts';
import { parseRewardPrice } from '../../data/synthetic/rewardPrice.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-grid-'));

/** The decimal text of n / 10^scale built with string operations only (the reference for exact stepping). */
function decimalText(n: number, scale: number): string {
  const neg = n < 0;
  const digits = String(Math.abs(n)).padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return (neg ? '-' : '') + text;
}

describe('decimal ranges', () => {
  it('behavior: 0.1:0.3:0.1 is 0.1, 0.2, 0.3 exactly (no float drift), stop inclusive', () => {
    expect(decimalRange('0.1:0.3:0.1', '--width')).toEqual([0.1, 0.2, 0.3]);
    // repeated float addition drifts: the reason for decimal stepping
    expect(0.1 + 0.1 + 0.1).not.toBe(0.3);
  });

  it('behavior: 0.01:0.5:0.01 has 50 values, each the double of its decimal text', () => {
    const vs = decimalRange('0.01:0.5:0.01', '--width');
    expect(vs).toHaveLength(50);
    vs.forEach((v, k) => expect(v).toBe(Number(decimalText(k + 1, 2))));
    expect(vs[6]).toBe(0.07);
  });

  it('behavior: a stop between steps is not reached; mixed scales and exponents align', () => {
    expect(decimalRange('1:2:0.3', 'x')).toEqual([1, 1.3, 1.6, 1.9]);
    expect(decimalRange('1e-3:3e-3:1e-3', 'x')).toEqual([0.001, 0.002, 0.003]);
    expect(decimalRange('-0.2:0.1:0.1', 'x')).toEqual([-0.2, -0.1, 0, 0.1]);
    expect(decimalRange('5:5:1', 'x')).toEqual([5]);
  });

  it('property: value k of start:stop:step is the double of the decimal text of start + k·step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 997 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 6 }), (a, step, n, scale) => {
        const stop = a + step * n + (n % 3 === 0 ? 0 : Math.floor(step / 2)); // sometimes between steps
        const spec = `${decimalText(a, scale)}:${decimalText(stop, scale)}:${decimalText(step, scale)}`;
        const vs = decimalRange(spec, 'x');
        expect(vs).toHaveLength(n + 1);
        vs.forEach((v, k) => expect(v).toBe(Number(decimalText(a + k * step, scale))));
      }),
      { numRuns: 300 },
    );
  });

  it('error: zero or negative steps, stop below start, non-numbers', () => {
    expect(() => decimalRange('0.1:0.3:0', '--width')).toThrowError('--width: the step of a range must be > 0; was "0.1:0.3:0"');
    expect(() => decimalRange('0.3:0.1:0.1', '--width')).toThrowError("--width: a range's stop must be ≥ its start");
    expect(() => decimalRange('a:1:1', '--width')).toThrowError('--width: a range is start:stop:step with decimal numbers; was "a:1:1"');
    expect(() => decimalRange('0:1e9:1e-9', '--width')).toThrowError(/has 1000000000000000001 values; at most 10,000,000/);
  });
});

describe('axis values', () => {
  it('behavior: lists, ranges inside lists, kinds by flag', () => {
    expect(parseAxisText('width', '0.01:0.03:0.01,0.1,0.2')).toEqual([0.01, 0.02, 0.03, 0.1, 0.2]);
    expect(parseAxisText('strategy', 'range,rebalance')).toEqual(['range', 'rebalance']);
    expect(parseAxisText('arbitrage', 'true,false')).toEqual([true, false]);
    expect(parseAxisText('params.stop', '0.1,0.2')).toEqual([0.1, 0.2]);
    expect(parseAxisText('params.stop', '0.1:0.3:0.1')).toEqual([0.1, 0.2, 0.3]);
    expect(parseAxisText('params.mode', 'a,b')).toEqual(['a', 'b']);
    expect(parseAxisText('params.on', 'true,false')).toEqual([true, false]);
    expect(parseAxisText('rewardPrice', 'gbm:sigma=0.9,rho=0.6')).toEqual(['gbm:sigma=0.9,rho=0.6']);
    expect(parseAxisText('rewardPrice', '0.5,1,2')).toEqual([0.5, 1, 2]);
    expect(parseAxisText('harvestParams.every', '1d,7d')).toEqual(['1d', '7d']);
  });

  it('error: empty items, duplicates, bad numbers and booleans name the flag', () => {
    expect(() => parseAxisText('fee', '0.003,,0.01')).toThrowError('--fee: empty value in "0.003,,0.01"');
    expect(() => parseAxisText('fee', '0.003,0.0030')).toThrowError('--fee: value 0.003 appears twice');
    expect(() => parseAxisText('fee', '0.003,abc')).toThrowError('--fee: must be a number, a list a,b,c or a range start:stop:step; was "abc"');
    expect(() => parseAxisText('exact', 'yes')).toThrowError('--exact: must be true or false (a list: true,false); was "yes"');
  });

  it('behavior: axis names from flags, keys and params; data flags and typos refused', () => {
    expect(axisName('pool-liquidity', 'g')).toBe('poolLiquidity');
    expect(axisName('poolLiquidity', 'g')).toBe('poolLiquidity');
    expect(axisName('param.stop', 'g')).toBe('params.stop');
    expect(axisName('params.stop', 'g')).toBe('params.stop');
    expect(axisName('harvest-param.every', 'g')).toBe('harvestParams.every');
    expect(axisName('caller-fee', 'g')).toBe('callerFee');
    expect(() => axisName('incentive', 'g')).toThrowError('g: --incentive takes several values at once (all of them apply to every run); it cannot be an axis');
    expect(() => axisName('prices', 'g')).toThrowError('g: --prices describes the data, which is loaded once per sweep; it cannot be an axis');
    expect(() => axisName('widht', 'g')).toThrowError(/is not a sweepable flag; did you mean "width"\?/);
  });

  it('behavior: a JSON grid file keeps its key order; arrays, single values and range text', () => {
    const file = join(tmp, 'grid.json');
    writeFileSync(file, JSON.stringify({ 'pool-liquidity': [1e6, 1e8], width: '0.1:0.3:0.1', 'params.stop': [0.1, 0.2], strategy: 'range' }));
    expect(readGridFile(file)).toEqual([
      { name: 'poolLiquidity', values: [1e6, 1e8] },
      { name: 'width', values: [0.1, 0.2, 0.3] },
      { name: 'params.stop', values: [0.1, 0.2] },
      { name: 'strategy', values: ['range'] },
    ]);
    writeFileSync(file, JSON.stringify({ fee: ['x'] }));
    expect(() => readGridFile(file)).toThrowError(`${file}:1: fee: must be a number, a list a,b,c or a range start:stop:step; was "x"`);
    writeFileSync(file, '[1]');
    expect(() => readGridFile(file)).toThrowError(/must be a JSON object of axes/);
  });

  it('error: an axis given twice in a grid file is refused at its second line (JSON.parse would drop the first without a word)', () => {
    const file = join(tmp, 'twice.json');
    writeFileSync(file, '{\n  "fee": [0.001],\n  "width": [0.1],\n  "fee": [0.003, 0.005]\n}');
    expect(() => readGridFile(file)).toThrowError(`${file}:4: fee: is given twice (also on line 2); give each axis once, with all its values`);
  });

  it('behavior: a UTF-8 byte-order mark is ignored; a syntax error names its line', () => {
    const file = join(tmp, 'bom.json');
    writeFileSync(file, '\uFEFF{"fee": [0.001, 0.003]}');
    expect(readGridFile(file)).toEqual([{ name: 'fee', values: [0.001, 0.003] }]);
    writeFileSync(file, '{\n  "width": [0.1, 0.2],\n  "fee": [0.003,]\n}');
    expect(() => readGridFile(file)).toThrowError(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not valid JSON: `));
  });
});

describe('grid', () => {
  const axes = [
    { name: 'fee', values: [0.0005, 0.003] },
    { name: 'width', values: [0.1, 0.2, 0.3] },
  ];

  it('behavior: nested-loop order, the first axis slowest', () => {
    const g = new Grid(axes);
    expect(g.size).toBe(6);
    expect(Array.from({ length: 6 }, (_, k) => g.values(k))).toEqual([
      [0.0005, 0.1], [0.0005, 0.2], [0.0005, 0.3], [0.003, 0.1], [0.003, 0.2], [0.003, 0.3],
    ]);
    expect(g.describe(4)).toBe('fee=0.003 width=0.2');
  });

  it('behavior: samples are distinct grid members in grid order, the same for a seed, different across seeds', () => {
    const big = [
      { name: 'width', values: decimalRange('0.01:0.5:0.01', 'w') },
      { name: 'fee', values: [0.0001, 0.0005, 0.003, 0.01] },
      { name: 'rebalanceDelay', values: decimalRange('0:24:1', 'd') },
    ];
    const full = new Grid(big);
    const a = new Grid(big, 200, 7);
    const b = new Grid(big, 200, 7);
    const c = new Grid(big, 200, 8);
    const rows = (g: Grid): string[] => Array.from({ length: g.size }, (_, k) => JSON.stringify(g.values(k)));
    expect(a.size).toBe(200);
    expect(rows(a)).toEqual(rows(b));
    expect(rows(a)).not.toEqual(rows(c));
    expect(new Set(rows(a)).size).toBe(200);
    const order = new Map(rows(full).map((r, i) => [r, i]));
    const idx = rows(a).map((r) => order.get(r)!);
    expect(idx.every((i) => i !== undefined)).toBe(true);
    expect([...idx].sort((x, y) => x - y)).toEqual(idx);
    expect(() => new Grid(axes, 6, 1)).toThrowError('--samples: 6 samples of a grid of 6 configurations: drop --samples to run the whole grid');
  });

  it('behavior: the hash changes with the axes, values, samples, base config and data', () => {
    const base = { fee: 0.003 };
    const data = { sha256: 'ab' };
    const h = gridHash(new Grid(axes), base, data);
    expect(gridHash(new Grid(axes), { fee: 0.003 }, { sha256: 'ab' })).toBe(h);
    expect(gridHash(new Grid([axes[1]!, axes[0]!]), base, data)).not.toBe(h);
    expect(gridHash(new Grid([axes[0]!, { name: 'width', values: [0.1, 0.2] }]), base, data)).not.toBe(h);
    expect(gridHash(new Grid(axes, 3, 1), base, data)).not.toBe(h);
    expect(gridHash(new Grid(axes), { fee: 0.01 }, data)).not.toBe(h);
    expect(gridHash(new Grid(axes), base, { sha256: 'cd' })).not.toBe(h);
  });

  it('behavior: strategy parameter axes merge into the base params', () => {
    const axes = [{ name: 'width', values: [] }, { name: 'params.stop', values: [] }, { name: 'harvestParams.every', values: [] }];
    const o = configOverrides(axes, [0.2, 0.1, '1d'], { params: { keep: 1 }, harvestParams: { then: 'sell' } });
    expect(o).toEqual({ width: 0.2, params: { keep: 1, stop: 0.1 }, harvestParams: { then: 'sell', every: '1d' } });
  });

  it('error: an axis given twice', () => {
    expect(() => new Grid([axes[0]!, axes[0]!])).toThrowError('--fee: is given as an axis twice (flag and grid file?)');
  });
});

describe('long ranges (up to the 10,000,000-value cap)', () => {
  it('behavior: a range of 125,001 values, in a list, in --param and in a grid file (it overflowed the stack: RangeError)', () => {
    const vs = parseAxisText('width', '0:1:0.000008');
    expect(vs).toHaveLength(125_001);
    expect([vs[0], vs[1], vs[62_500], vs[125_000]]).toEqual([0, 0.000008, 0.5, 1]);
    expect(parseAxisText('width', '2,0:1:0.000008,3')).toHaveLength(125_003);
    expect(parseAxisText('params.k', '0:1:0.000008')).toHaveLength(125_001);
    const file = join(tmp, 'long.json');
    writeFileSync(file, JSON.stringify({ 'param.k': '0:1:0.000008' }));
    expect(readGridFile(file)[0]!.values).toHaveLength(125_001);
  });

  it('behavior: a range of 10,000,000 values parses in seconds, each value the double of its decimal text', () => {
    const t0 = performance.now();
    const vs = parseAxisText('width', '0.0000001:1:0.0000001');
    const ms = performance.now() - t0;
    expect(vs).toHaveLength(10_000_000);
    for (const k of [0, 1, 6, 1_234_566, 4_999_999, 9_999_998, 9_999_999]) expect(vs[k]).toBe(Number(decimalText(k + 1, 7)));
    expect(ms).toBeLessThan(20_000); // ~0.5 s alone; a bigint per value took ~3 s, a Set for duplicates ~12 s more
  }, 60_000);

  it('property: past the fast path (mantissas beyond 2^52, more than 22 decimals) values are still the doubles of their text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.bigInt({ min: 1n, max: 2n ** 58n }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: -30, max: 30 }), (a, step, n, exp) => {
        const text = (m: bigint): string => `${m}e${exp}`;
        const vs = decimalRange(`${text(a)}:${text(a + step * BigInt(n))}:${text(step)}`, 'x');
        expect(vs).toHaveLength(n + 1);
        vs.forEach((v, k) => expect(v).toBe(Number(text(a + step * BigInt(k)))));
      }),
      { numRuns: 500 },
    );
  });

  it('error: a repeated value in a long list is found and named as before (the first repeat in list order)', () => {
    expect(() => parseAxisText('fee', '0:0.2:0.00001,0.1')).toThrowError('--fee: value 0.1 appears twice');
    expect(() => parseAxisText('fee', '0.5,0:0.2:0.00001,0.3,0.1,0.5')).toThrowError('--fee: value 0.1 appears twice');
    // steps finer than the doubles near 1e17 (16 apart) give equal doubles: refused, not run twice
    expect(() => parseAxisText('poolLiquidity', '100000000000000000:100000000000002000:1')).toThrowError('--pool-liquidity: value 100000000000000000 appears twice');
  });

  it('behavior: the grid hash is sha256 of the canonical JSON of the grid, base and data, fed in pieces', () => {
    const axes = [
      { name: 'width', values: parseAxisText('width', '0.00001:2:0.00001') },
      { name: 'strategy', values: ['range', 'rebalance'] },
    ];
    // integer-like keys (a module's parameters may be named so) sort as an object holds them: numerically, first
    const base = { fee: 0.003, params: { b: 1, a: [1, 2], '10': 2, '9': 3 }, nothing: undefined };
    const data = { sha256: 'ab', rows: 3 };
    for (const grid of [new Grid(axes), new Grid(axes, 5, 3)]) {
      const { axes: a, samples, sampleSeed } = grid.toJson();
      const whole = createHash('sha256').update(canonicalJson({ version: 1, axes: a, samples, sampleSeed, base, data })).digest('hex');
      expect(gridHash(grid, base, data)).toBe(whole);
    }
  });
});

describe('decimal ranges: a step beyond the span', () => {
  it('behavior: gives the start alone, even beyond the doubles (0:0.5:1e309); the fast path took it to NaN', () => {
    expect(decimalRange('0:0.5:1e309', '--fee')).toEqual([0]);
    expect(decimalRange('0.1:0.5:99999999999999999999', '--fee')).toEqual([0.1]);
  });
});

describe('--reward-price lists keep the commas of a gbm spec', () => {
  it('behavior: a gbm spec keeps its key=value parts; numbers, files, decay and crash specs are items of their own', () => {
    expect(parseAxisText('rewardPrice', '1,gbm:sigma=0.9,rho=0.6')).toEqual(['1', 'gbm:sigma=0.9,rho=0.6']);
    expect(parseAxisText('rewardPrice', 'gbm:sigma=0.5,gbm:sigma=0.9')).toEqual(['gbm:sigma=0.5', 'gbm:sigma=0.9']);
    expect(parseAxisText('rewardPrice', 'gbm:sigma=0.9, rho=0.6 ,mu=0.1,decay:linear:0.2,crash:0.5@2021-05-19,uni.csv,gbm')).toEqual(['gbm:sigma=0.9, rho=0.6 ,mu=0.1', 'decay:linear:0.2', 'crash:0.5@2021-05-19', 'uni.csv', 'gbm']);
    // each item reads as the single --reward-price it is
    expect(parseAxisText('rewardPrice', '1,gbm:sigma=0.9,rho=0.6').map((v) => parseRewardPrice(v as string))).toEqual([
      { kind: 'constant', price: 1 },
      { kind: 'gbm', sigma: 0.9, rho: 0.6, mu: 0 },
    ]);
  });

  it('behavior: one gbm spec is one value as before, its empty parts and a typo kept for its own parser to judge', () => {
    expect(parseAxisText('rewardPrice', 'gbm:sigma=0.9,rho=0.6')).toEqual(['gbm:sigma=0.9,rho=0.6']);
    expect(parseAxisText('rewardPrice', 'gbm:sigma=0.9,,rho=0.6,')).toEqual(['gbm:sigma=0.9,,rho=0.6,']);
    expect(parseAxisText('rewardPrice', '2,gbm:sigma=0.9,rhoo=0.6')).toEqual(['2', 'gbm:sigma=0.9,rhoo=0.6']);
    expect(() => parseRewardPrice('gbm:sigma=0.9,rhoo=0.6')).toThrowError('--reward-price: gbm takes sigma, rho and mu (gbm:sigma=0.9,rho=0.6,mu=0); got "rhoo"');
  });

  it('error: an empty item between two values, and a spec given twice', () => {
    expect(() => parseAxisText('rewardPrice', 'gbm:sigma=0.5,,gbm:sigma=0.9')).toThrowError('--reward-price: empty value in "gbm:sigma=0.5,,gbm:sigma=0.9"');
    expect(() => parseAxisText('rewardPrice', 'gbm:sigma=0.5,1,gbm:sigma=0.5')).toThrowError('--reward-price: value "gbm:sigma=0.5" appears twice');
  });
});

describe('grid file values JSON cannot hold', () => {
  it('error: a number beyond the doubles (1e999, read as Infinity) is quoted as written, not as null', () => {
    const file = join(tmp, 'inf.json');
    writeFileSync(file, '{\n  "fee": [0.003],\n  "seed": [1, -1E+999 ]\n}');
    expect(() => readGridFile(file)).toThrowError(`${file}:3: seed: values must be numbers; was -1E+999, beyond the range of doubles (±1.8e308)`);
    writeFileSync(file, '{"width": 1e999}');
    expect(() => readGridFile(file)).toThrowError(`${file}:1: width: values must be numbers; was 1e999, beyond the range of doubles (±1.8e308)`);
    writeFileSync(file, '{"params.k": [1e999]}');
    expect(() => readGridFile(file)).toThrowError(`${file}:1: params.k: values must be numbers, strings or booleans; was 1e999, beyond the range of doubles (±1.8e308)`);
    writeFileSync(file, '{"fee": [null]}');
    expect(() => readGridFile(file)).toThrowError(`${file}:1: fee: values must be numbers; was null`);
  });
});
