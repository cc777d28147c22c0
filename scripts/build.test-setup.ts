import { execFileSync } from 'node:child_process';

/**
 * vitest global setup: rebuild the CLI bundle (dist/, ~0.1 s) so tests that spawn `scripts/ammsim.mjs`
 * always run the current sources, never a stale bundle.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/buildLib.mjs'], { stdio: 'inherit', env: { ...process.env, AMMSIM_BUILD_LENIENT: '1' } });
}
