import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Writes `data` to `path` atomically: to a temporary file beside it, fsync'd, then renamed over the target,
 * so a reader (or a crash) never sees a half-written file. Creates the parent folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes a set of output files so that either all appear or none do: every file goes to a temporary
 * sibling first; only when all are written are they renamed into place. `summary.json` (or the first
 * file named in `last`) is renamed last, so its presence means the run completed.
 */
export function writeFilesAtomic(dir: string, files: ReadonlyArray<readonly [name: string, data: string | Uint8Array]>, last = 'summary.json'): void {
  mkdirSync(dir, { recursive: true });
  const staged: Array<[tmp: string, final: string]> = [];
  try {
    for (const [name, data] of files) {
      const final = join(dir, name);
      mkdirSync(dirname(final), { recursive: true });
      const tmp = join(dirname(final), `.${basename(name)}.${process.pid}.tmp`);
      writeFileSync(tmp, data);
      staged.push([tmp, final]);
    }
  } catch (err) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw err;
  }
  staged.sort((a, b) => (basename(a[1]) === last ? 1 : 0) - (basename(b[1]) === last ? 1 : 0));
  for (const [tmp, final] of staged) renameSync(tmp, final);
}
