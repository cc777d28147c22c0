/**
 * Writes the sample price files in this folder. Run explicitly: `npx tsx data/sample/generate.ts`.
 * The files are synthetic (seeded GBM, see data/synthetic/gbm.ts), so they can ship with the project;
 * `sample.noreg.test.ts` checks that they still equal what this script would write.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generateGbm, type GbmParams } from '../synthetic/gbm.ts';
import { writeSeriesCsv } from '../synthetic/writeSeriesCsv.ts';

/** name → GBM parameter overrides (over GBM_DEFAULTS). */
export const SAMPLES: Readonly<Record<string, Partial<GbmParams>>> = {
  // one week of hourly ETH-like prices (168 rows), the defaults otherwise
  'eth_gbm_1h_1w.csv': { steps: 168 },
};

export function writeSamples(dir: string): string[] {
  return Object.keys(SAMPLES)
    .sort()
    .map((name) => {
      const p = path.join(dir, name);
      writeSeriesCsv(generateGbm(SAMPLES[name]), p);
      return p;
    });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const p of writeSamples(path.dirname(fileURLToPath(import.meta.url)))) console.log(`wrote ${p}`);
}
