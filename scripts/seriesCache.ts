import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { seriesCacheBytes, seriesCacheDir, type SeriesCache } from '../data/io/seriesCache.ts';

/** The cache in `--help` of every command that reads price files through it (backtest, compare, sweep). */
export const CACHE_HELP =
  "Cache: the --prices file's parsed columns (and a --divide-by file's) are kept in ~/.cache/ammsim/series for the next run on it (AMMSIM_CACHE_DIR moves the cache, AMMSIM_NO_CACHE=1 turns it off, AMMSIM_CACHE_MAX_MB sizes it; default 2048).";

let memo: { value: SeriesCache | undefined } | undefined;

/**
 * The CLI's parsed-series cache (data/io/seriesCache.ts): entries are tied to the bundle that runs (dist/, whose
 * manifest scripts/build.mjs writes on every build: its start time and chunk names), so a rebuild, after any
 * source change, makes every entry a miss. Run from the sources (tsx, tests in-process) there is no bundle and no
 * cache; `AMMSIM_NO_CACHE=1` turns it off, `AMMSIM_CACHE_DIR` moves it, `AMMSIM_CACHE_MAX_MB` sizes it.
 */
export function cliSeriesCache(): SeriesCache | undefined {
  if (memo !== undefined) return memo.value;
  const maxBytes = seriesCacheBytes(); // refused when malformed, with or without a bundle
  let value: SeriesCache | undefined;
  try {
    const manifest = readFileSync(new URL('./.cli-build.json', import.meta.url), 'utf8');
    const { startedAtMs, current } = JSON.parse(manifest) as { startedAtMs?: unknown; current?: unknown };
    const dir = typeof startedAtMs === 'number' && Array.isArray(current) ? seriesCacheDir() : undefined;
    if (dir !== undefined) value = { dir, codeId: createHash('sha256').update(JSON.stringify([startedAtMs, current])).digest('hex').slice(0, 32), maxBytes };
  } catch {
    value = undefined; // not the bundle
  }
  memo = { value };
  return value;
}
