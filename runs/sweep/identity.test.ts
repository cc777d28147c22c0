import { describe, expect, it } from 'vitest';
import { seriesOf } from '../../sim/engine/testing/engineTesting.ts';
import { resolveBacktestConfig } from '../config.ts';
import { Grid } from './grid.ts';
import { sweepJson } from './outputs.ts';
import { sweepHash, sweepIdentity } from './sweep.ts';
import type { SweepBase } from './worker.ts';

const series = seriesOf([2000, 2010, 1990, 2005]);
const base = resolveBacktestConfig({});
const grid = new Grid([{ name: 'noiseRate', values: [0, 2] }]);
const report = { metric: 'vsHold', heatmap: null, top: 5 } as const;
const marked: SweepBase = { ...base, noiseSizeGiven: true };

describe('sweepIdentity: the mark noiseSizeGiven (--noise-size beside a --noise-rate axis) is part of what resume compares', () => {
  it('regression: a sweep without the mark keeps the hash it had before the mark was hashed (pinned: existing folders resume)', () => {
    const plain = sweepIdentity(base, grid, series);
    // the hash this grid, base and series had before the mark was in it
    expect(plain.hash).toBe('6177d44be3bcd685e99134f5a779926099560b43aef79daf334de5ee58a42618');
    expect(sweepIdentity({ ...base, noiseSizeGiven: false }, grid, series).hash).toBe(plain.hash);
    expect(plain.noiseSizeGiven).toBeUndefined();
    expect(Object.keys(JSON.parse(sweepJson(plain, [], undefined, [], report)) as object)).not.toContain('noiseSizeGiven');
  });

  it('regression: with the mark the hash differs (resume refused a sweep that differed by it alone), and sweep.json says so beside base', () => {
    const plain = sweepIdentity(base, grid, series);
    const id = sweepIdentity(marked, grid, series);
    expect(id.hash).not.toBe(plain.hash);
    expect(id.base).toEqual(plain.base); // not a config key: base as before
    expect(id.noiseSizeGiven).toBe(true);
    const keys = Object.keys(JSON.parse(sweepJson(id, [], undefined, [], report)) as object);
    expect(keys.slice(keys.indexOf('base'), keys.indexOf('base') + 3)).toEqual(['base', 'noiseSizeGiven', 'data']);
    // what `sweep merge` recomputes from sweep.json
    expect(sweepHash(grid, id.base, id.data, { noiseSizeGiven: true })).toBe(id.hash);
    expect(sweepHash(grid, id.base, id.data)).toBe(plain.hash);
  });
});
