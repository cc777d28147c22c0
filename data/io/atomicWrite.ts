import { close, mkdirSync, open, rename, renameSync, rmSync, writev, writeFileSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Writes `data` to `path` atomically: to a temporary file beside it, fsync'd, then renamed over the target,
 * so a reader (or a crash) never sees a half-written file. Creates the parent folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = stagingPath(path);
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
  const staged: Array<{ tmp: string; final: string }> = [];
  try {
    for (const [name, data] of files) {
      const final = join(dir, name);
      const tmp = stagingPath(final);
      writeFileSync(tmp, data);
      staged.push({ tmp, final });
    }
  } catch (err) {
    removeStaged(staged);
    throw err;
  }
  for (const s of lastOneLast(staged, last)) renameSync(s.tmp, s.final);
}

/** The temporary sibling a file is written to before it is renamed into place (creates the folder). */
function stagingPath(final: string): string {
  mkdirSync(dirname(final), { recursive: true });
  return join(dirname(final), `.${basename(final)}.${process.pid}.tmp`);
}

/** The staged files in rename order: the ones named `last` after all the others. */
function lastOneLast<T extends { final: string }>(staged: readonly T[], last: string): T[] {
  return [...staged.filter((s) => basename(s.final) !== last), ...staged.filter((s) => basename(s.final) === last)];
}

/** Removes staged temporary files; one that cannot be removed (e.g. a folder in the way) is left. */
function removeStaged(staged: ReadonlyArray<{ tmp: string }>): void {
  for (const s of staged) {
    try {
      rmSync(s.tmp, { force: true });
    } catch {
      // not a file we made (a folder in the way is what made the write fail); leave it
    }
  }
}

/** The bytes of an output: text (UTF-8), bytes, or pieces of bytes written one after another. */
export type OutputData = string | Uint8Array | readonly Uint8Array[];

/**
 * Writes all of `data` to a new file `path` in the background: one vectored write per call (libuv's thread
 * pool), so the file goes to disk while this thread works, without waiting for it between pieces.
 */
function writeInBackground(path: string, data: OutputData): Promise<void> {
  const pieces: Uint8Array[] = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : [...data];
  return new Promise<void>((resolve, reject) => {
    open(path, 'w', 0o666, (err, fd) => {
      if (err !== null) return reject(err);
      const finish = (e: Error | null): void => close(fd, (ce) => (e ?? ce ? reject(e ?? ce) : resolve()));
      // writes up to 1024 pieces per call (IOV_MAX) and continues after a partial write
      const next = (rest: Uint8Array[]): void => {
        while (rest.length > 0 && rest[0]!.byteLength === 0) rest.shift();
        if (rest.length === 0) return finish(null);
        const batch = rest.slice(0, 1024);
        writev(fd, batch as NodeJS.ArrayBufferView[], (we, written) => {
          if (we !== null) return finish(we);
          if (written === 0) return finish(new Error(`could not write ${path}: the disk accepted no bytes`));
          let left = written;
          const remaining = rest.slice();
          while (left > 0) {
            const head = remaining[0]!;
            if (left >= head.byteLength) {
              left -= head.byteLength;
              remaining.shift();
            } else {
              remaining[0] = head.subarray(left);
              left = 0;
            }
          }
          next(remaining);
        });
      };
      next(pieces);
    });
  });
}

const renameAsync = (from: string, to: string): Promise<void> => new Promise((resolve, reject) => rename(from, to, (e) => (e === null ? resolve() : reject(e))));

/**
 * An all-or-nothing set of output files, written while the caller computes the next one: {@link add} starts
 * writing a file to a temporary sibling in the background (one write per file, in libuv's thread pool, so a
 * 60 MB Arrow file goes to disk while the report is being built); {@link commit} waits for every write and
 * only then renames them into place, `last` (e.g. `summary.json`) after all others, so its presence means the
 * run completed. If any write fails, or {@link abort} is called, every temporary file is removed and no
 * output appears.
 */
export class StagedOutput {
  private readonly dir: string;
  private readonly staged: Array<{ tmp: string; final: string; done: Promise<void> }> = [];
  private closed = false;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  /** Starts writing `name` (relative to the folder); returns at once. */
  add(name: string, data: OutputData): void {
    if (this.closed) throw new Error(`StagedOutput(${this.dir}) is already committed or aborted`);
    const final = join(this.dir, name);
    const tmp = stagingPath(final);
    const done = writeInBackground(tmp, data);
    done.catch(() => {}); // reported by commit()
    this.staged.push({ tmp, final, done });
  }

  /** Waits for every write, then renames the files into place (`last` after the others). */
  async commit(last = 'summary.json'): Promise<void> {
    this.closed = true;
    const results = await Promise.allSettled(this.staged.map((s) => s.done));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      removeStaged(this.staged);
      throw failed.reason;
    }
    for (const s of lastOneLast(this.staged, last)) await renameAsync(s.tmp, s.final);
  }

  /** Waits for the writes in flight and removes every temporary file; nothing appears in the folder. */
  async abort(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.staged.map((s) => s.done));
    removeStaged(this.staged);
  }
}
