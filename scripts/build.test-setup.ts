import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest global setup: rebuild the CLI bundle (dist/, ~0.1 s) so tests that spawn `scripts/ammsim.mjs`
 * always run the current sources, never a stale bundle; and give the run a cache folder of its own
 * (`AMMSIM_CACHE_DIR`, inherited by the test workers and the CLIs they spawn), removed at the end, so tests never
 * read or fill the user's ~/.cache/ammsim.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/buildLib.mjs'], { stdio: 'inherit', env: { ...process.env, AMMSIM_BUILD_LENIENT: '1' } });
  const cache = mkdtempSync(join(tmpdir(), 'ammsim-test-cache-'));
  process.env.AMMSIM_CACHE_DIR = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
