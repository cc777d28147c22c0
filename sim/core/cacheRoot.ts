import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * ammsim's cache folder in a process environment: `$AMMSIM_CACHE_DIR`, else `$XDG_CACHE_HOME/ammsim`, else
 * `~/.cache/ammsim` (compiled user strategies in `strategies/`, parsed price series in `series/`). `undefined` when
 * `AMMSIM_NO_CACHE` is set to anything but empty or `0`: nothing is kept or read back.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const off = env.AMMSIM_NO_CACHE;
  if (off !== undefined && off !== '' && off !== '0') return undefined;
  return env.AMMSIM_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ammsim');
}

/**
 * The cache's folder `name` (made if need be, mode 700: the user's own, never a shared temporary folder whose files
 * another user could plant), or `undefined` when the cache is off or the folder cannot be made: no cache then.
 */
export function cacheFolder(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = cacheRoot(env);
  if (root === undefined) return undefined;
  const dir = join(root, name);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return undefined;
  }
}
