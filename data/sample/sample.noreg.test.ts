// Non-regression: the committed sample files equal what data/sample/generate.ts writes now.
// A missing file fails; regenerate explicitly with `npx tsx data/sample/generate.ts`.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLES } from './generate.ts';
import { generateGbm } from '../synthetic/gbm.ts';
import { seriesToCsv } from '../synthetic/writeSeriesCsv.ts';
import { loadCsvPrices } from '../loaders/csvPrices.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('data/sample (non-regression)', () => {
  it.each(Object.keys(SAMPLES).sort())('behavior: %s equals the generator output and loads back', async (name) => {
    const file = path.join(here, name);
    const expected = seriesToCsv(generateGbm(SAMPLES[name]));
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const s = await loadCsvPrices(file);
    expect(s.price).toEqual(generateGbm(SAMPLES[name]).price);
  });
});
