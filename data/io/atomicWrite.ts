import { randomBytes } from 'node:crypto';
import { close, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writev, writeFileSync, openSync, closeSync, fsyncSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { ConfigError } from '../../sim/core/errors.ts';

/**
 * Every temporary file this process has created and not yet renamed or removed (absolute paths). On Ctrl-C,
 * SIGTERM, an uncaught error or `process.exit`, {@link removeTempFiles} deletes them (see {@link guardTempFiles}).
 */
const tempFiles = new Set<string>();

/** Records a temporary file as ours until {@link untrack}. */
function track(tmp: string): void {
  tempFiles.add(resolve(tmp));
  if (tempFiles.size === 1) onFirstTempFile();
}

function untrack(tmp: string): void {
  tempFiles.delete(resolve(tmp));
  if (tempFiles.size === 0) onNoTempFiles();
}

/** The temporary files this process holds now (absolute paths, in creation order). */
export function liveTempFiles(): string[] {
  return [...tempFiles];
}

/**
 * Removes every temporary file this process holds (synchronously: safe in a signal or `exit` handler) and
 * returns how many were removed. One that cannot be removed (gone already, or a folder in the way) is skipped.
 */
export function removeTempFiles(): number {
  let n = 0;
  for (const tmp of [...tempFiles]) {
    try {
      rmSync(tmp, { force: true });
      n++;
    } catch {
      // not a file (a folder in the way): not ours to remove
    }
    untrack(tmp);
  }
  return n;
}

/** Signals that end the process after the temporary files are removed; the shell then reports 128 + number. */
const GUARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let guarded = false;
let handlersOn = false;
let offPending: NodeJS.Immediate | undefined;

function onSignal(signal: NodeJS.Signals): void {
  removeTempFiles();
  setHandlers(false);
  // die of the same signal (exit status 130 for SIGINT, 143 for SIGTERM as the shell shows it), so a calling
  // script sees an interrupted run, not a failed one; exit with 128 + number should the signal not end us
  process.kill(process.pid, signal);
  process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function setHandlers(on: boolean): void {
  if (offPending !== undefined) {
    clearImmediate(offPending);
    offPending = undefined;
  }
  if (on === handlersOn) return;
  handlersOn = on;
  for (const sig of GUARDED_SIGNALS) {
    if (on) process.on(sig, onSignal);
    else process.off(sig, onSignal);
  }
}

function onFirstTempFile(): void {
  if (guarded) setHandlers(true);
}

function onNoTempFiles(): void {
  if (!guarded || !handlersOn || offPending !== undefined) return;
  // Off on the next turn of the event loop, not now: a signal that arrived during synchronous work is read in
  // that turn, and with no listener by then it would be dropped (the run would go on as if never interrupted).
  offPending = setImmediate(() => {
    offPending = undefined;
    if (tempFiles.size === 0) setHandlers(false);
  });
  offPending.unref();
}

/**
 * Makes the process clean up after itself (called once by the CLI): while it holds temporary files, SIGINT,
 * SIGTERM and SIGHUP remove them and end the process by that signal (exit status 130, 143, 129); at exit (an
 * uncaught error, `process.exit`) they are removed too. While it holds none, signals keep their default
 * action, so Ctrl-C during a long synchronous computation stops it at once instead of after it.
 */
export function guardTempFiles(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', () => {
    removeTempFiles();
  });
  if (tempFiles.size > 0) setHandlers(true);
}

/**
 * Creates folder `dir` and its missing parents, one level at a time. (Node's `mkdirSync(dir, { recursive: true })`
 * loops forever at 100 % CPU on a path it can never create, such as `/proc/x`: mkdir gives ENOENT while the
 * parent exists. Here every error ends the call.) An existing file in the way is an ENOTDIR error.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      const up = dirname(p);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || up === p) throw err;
      missing.push(p);
      p = up;
      continue;
    }
    if (!isDir) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}' (${p} is a file)`), { code: 'ENOTDIR', path: p, syscall: 'mkdir' });
    break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (err) {
      // made meanwhile by someone else: fine if it is a folder
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(missing[i]!).isDirectory()) throw err;
    }
  }
}

/**
 * Writes `data` to `path` atomically: to a temporary file beside it, fsync'd, then renamed over the target,
 * so a reader (or a crash) never sees a half-written file. Creates the parent folder.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = stagingPath(path);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    removeStaged([{ tmp }]);
    throw err;
  }
  untrack(tmp);
}

/**
 * Writes a set of output files so that either all appear or none do: every file goes to a temporary
 * sibling first; only when all are written are they renamed into place. `summary.json` (or the first
 * file named in `last`) is renamed last, so its presence means the run completed (see renameAll; `obsolete`: outputs
 * this run does not write, removed so that an earlier run's do not stay beside it).
 */
export function writeFilesAtomic(dir: string, files: ReadonlyArray<readonly [name: string, data: string | Uint8Array]>, last = 'summary.json', obsolete: readonly string[] = []): void {
  ensureDir(dir);
  const staged: Array<{ tmp: string; final: string }> = [];
  try {
    for (const [name, data] of files) {
      const final = join(dir, name);
      const tmp = stagingPath(final);
      writeFileSync(tmp, data, { flag: 'wx' });
      staged.push({ tmp, final });
    }
  } catch (err) {
    removeStaged(staged);
    throw err;
  }
  renameAll(dir, staged, last, obsolete.filter((n) => !staged.some((s) => basename(s.final) === n)));
}

/** The commands whose --out is a folder of their own outputs, each recognised by its marker file ({@link outputFolderOwner}). */
export type FolderCommand = 'backtest' | 'compare' | 'sweep';

/** Which command's outputs a folder holds: the command, the marker file that says so, and what to call them. */
export interface FolderOwner {
  readonly command: FolderCommand;
  readonly marker: string;
  readonly what: string;
}

/**
 * Which command's outputs `dir` holds, by its marker: sweep.json (a finished sweep or shard), else results.jsonl (a
 * sweep's journal: one in progress, or interrupted), else summary.json, a comparison's (an `alternatives` list) or a
 * backtest's (a `finalValue`), told apart by the shapes runs/config.ts summaryKindOf reads. undefined when it holds none
 * of them (no folder, an empty one, or a summary.json of neither shape: not JSON, or someone else's).
 */
export function outputFolderOwner(dir: string): FolderOwner | undefined {
  if (existsSync(join(dir, 'sweep.json'))) return { command: 'sweep', marker: 'sweep.json', what: 'a sweep' };
  if (existsSync(join(dir, 'results.jsonl'))) return { command: 'sweep', marker: 'results.jsonl', what: 'a sweep in progress' };
  let summary: unknown;
  try {
    summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined; // none, a folder of that name, or not JSON: no run's marker
  }
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) return undefined;
  const s = summary as Record<string, unknown>;
  if (typeof s.config !== 'object' || s.config === null || Array.isArray(s.config) || typeof s.initialValue !== 'number' || typeof s.steps !== 'number') return undefined;
  if (Array.isArray(s.alternatives)) return { command: 'compare', marker: 'summary.json', what: 'a comparison' };
  if (typeof s.finalValue === 'number') return { command: 'backtest', marker: 'summary.json', what: 'a backtest' };
  return undefined;
}

/**
 * A folder another command's run owns ({@link outputFolderOwner}: a sweep's sweep.json or results.jsonl, a backtest's or
 * a comparison's summary.json) is refused as the --out of `own`: this run's files beside its would read as one folder of
 * neither (and `ammsim report` would take it for the other kind), and a failure would remove some of its files.
 */
export function refuseOtherCommandsFolder(dir: string, own: FolderCommand): void {
  const owner = outputFolderOwner(dir);
  if (owner !== undefined && owner.command !== own) throw new ConfigError('--out', `${dir} holds ${owner.what} (${owner.marker}); give another folder`);
}

/** A file a run reads, named for an error: the flag or config key it came from (`--prices`, `prices in cfg.json`), and its path. */
export type NamedInput = readonly [label: string, path: string];

/**
 * Refuses an --out folder `dir` in which the run would write over (`writes`) or remove (`removes`: earlier outputs this
 * run does not write) one of the files it reads (`inputs`; symlinks resolved), naming that file: the run would destroy
 * its own input, and a failure could not clear the folder without removing it.
 */
export function refuseInputsAmongOutputs(dir: string, writes: readonly string[], removes: readonly string[], inputs: ReadonlyArray<NamedInput>): void {
  const outputs = [...writes.map((n) => [n, 'replace it'] as const), ...removes.map((n) => [n, 'remove it (an earlier output this run does not write)'] as const)].map(([n, verb]) => ({ path: join(dir, n), real: realPathOrResolved(join(dir, n)), verb }));
  for (const [label, p] of inputs) {
    if (p === '') continue;
    const real = realPathOrResolved(p);
    const hit = outputs.find((o) => o.real === real);
    if (hit !== undefined) throw new ConfigError('--out', `${hit.path} is a file this run reads (${label}), and writing into ${dir} would ${hit.verb}; give another --out`);
  }
}

/**
 * The files a failed run of `own` removes from its --out folder `dir`, of its outputs `names`: none when the folder
 * holds another command's outputs (refused as --out, never cleared), nor when one of them is a file the run reads
 * (`inputs`: a run never removes what it reads, and removing the others would leave a broken folder, e.g. a
 * summary.json without its report); else all of them.
 */
export function outputsOnFailureIn(dir: string, own: FolderCommand, names: readonly string[], inputs: ReadonlyArray<string | undefined>): string[] {
  const owner = outputFolderOwner(dir);
  if (owner !== undefined && owner.command !== own) return [];
  const paths = names.map((n) => join(dir, n));
  const reals = new Set(paths.map(realPathOrResolved));
  if (inputs.some((i) => i !== undefined && i !== '' && reals.has(realPathOrResolved(i)))) return [];
  return paths;
}

/**
 * Runs a command's work; should it fail, its output files (`paths`; undefined entries skipped) are removed, so an
 * earlier run's files do not pass for this failed run's result. The error is rethrown.
 */
export async function removingOutputsOnError<T>(paths: ReadonlyArray<string | undefined>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    removeOutputFiles(paths);
    throw err;
  }
}

/** A path with its symlinks resolved; one that cannot be resolved (not there yet) as given, made absolute. */
export function realPathOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Whether two paths name the same file (after symlinks; a path that cannot be resolved is compared as given). */
export function sameFile(a: string, b: string): boolean {
  return realPathOrResolved(a) === realPathOrResolved(b);
}

/**
 * The outputs a failed run may remove: `paths` less any that is one of `inputs` (a run never deletes what it reads,
 * whatever its --out says) or that lies in a sweep's folder (sweep.json beside it: that sweep's files).
 */
export function outputsNotInputs(paths: ReadonlyArray<string | undefined>, inputs: ReadonlyArray<string | undefined>): Array<string | undefined> {
  return paths.map((p) => (p === undefined || inputs.some((i) => i !== undefined && i !== '' && sameFile(p, i)) || existsSync(join(dirname(p), 'sweep.json')) ? undefined : p));
}

/** Removes each of `paths` that is a file (undefined and empty entries skipped; folders left as they are). */
export function removeOutputFiles(paths: ReadonlyArray<string | undefined>): void {
  for (const p of paths) if (p !== undefined && p !== '') removeFile(p);
}

/** Removes `path` when it is a file (a folder of that name, or nothing there, is left as it is). */
function removeFile(path: string): void {
  if (statSync(path, { throwIfNoEntry: false })?.isFile() === true) rmSync(path, { force: true });
}

/**
 * Renames the staged files into place, `last` after all the others, synchronously: a signal is handled only after
 * the last rename, so Ctrl-C never leaves part of a new set beside part of an old one. An earlier run's `last` file
 * (when this set has one) and the `obsolete` names (outputs this run does not write) are removed first: should a rename fail, or the process
 * be killed, the folder holds no `last` file, i.e. no completed run, rather than new files beside an old summary.
 */
function renameAll(dir: string, staged: ReadonlyArray<{ tmp: string; final: string }>, last: string, obsolete: readonly string[]): void {
  try {
    for (const s of staged) if (basename(s.final) === last) rmSync(s.final, { force: true });
    for (const name of obsolete) rmSync(join(dir, name), { force: true });
    for (const s of lastOneLast(staged, last)) {
      renameSync(s.tmp, s.final);
      untrack(s.tmp);
    }
  } catch (err) {
    removeStaged(staged);
    throw err;
  }
}

/**
 * This process's tag in temporary file names: its PID and a random part, so processes of other PID namespaces
 * (containers sharing an output volume) never pick the same name. Never in a result.
 */
const TEMP_TAG = `${process.pid}.${randomBytes(4).toString('hex')}`;

/** The temporary sibling of `final` this process writes before renaming it into place. */
export function tempPathOf(final: string): string {
  return join(dirname(final), `.${basename(final)}.${TEMP_TAG}.tmp`);
}

/** A temporary output file left by a process that was killed (no handler runs on kill -9): removed after this long. */
const STALE_TEMP_MS = 3_600_000;
const TEMP_NAME = /^\..+\.\d+(\.[0-9a-f]+)?\.tmp$/;

/**
 * Removes the temporary files of {@link writeFileAtomic}/{@link StagedOutput} in `dir` older than
 * {@link STALE_TEMP_MS}: their writer is long gone (killed with -9, no handler ran). Used by the output folders and
 * the series cache.
 */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const before = Date.now() - STALE_TEMP_MS; // wall clock for a clean-up decision only, never in a result
  for (const name of names) {
    if (!TEMP_NAME.test(name)) continue;
    try {
      const st = statSync(join(dir, name));
      if (st.isFile() && st.mtimeMs < before) rmSync(join(dir, name), { force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

/**
 * The temporary sibling a file is written to before it is renamed into place (creates the folder), recorded
 * as this process's until it is renamed or removed. It is created exclusively ('wx'): an existing file of that
 * name is never written through.
 */
function stagingPath(final: string): string {
  ensureDir(dirname(final));
  const tmp = tempPathOf(final);
  track(tmp);
  return tmp;
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
    untrack(s.tmp);
  }
}

/** The bytes of an output: text (UTF-8), bytes, or pieces of bytes written one after another. */
export type OutputData = string | Uint8Array | readonly Uint8Array[];

/**
 * Writes all of `data` to the new file `path`, opened here (synchronously), in the background: one vectored write
 * per call (libuv's thread pool), so the file goes to disk while this thread works, without waiting for it between
 * pieces. The file exists when this returns: a signal handler that removes it then leaves nothing behind (opened
 * in the thread pool, it could be created just after the handler had removed the name, and outlive the process).
 */
function writeInBackground(path: string, data: OutputData): Promise<void> {
  const pieces: Uint8Array[] = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : [...data];
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o666);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<void>((resolve, reject) => {
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
}

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
    ensureDir(dir);
    removeStaleTemps(dir);
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

  /**
   * Waits for every write, then renames the files into place (`last` after the others; see renameAll). `obsolete`:
   * outputs of the command this run does not write (e.g. `timeseries.csv` without --csv), removed so that none of
   * an earlier run's stays beside this one's.
   */
  async commit(last = 'summary.json', obsolete: readonly string[] = []): Promise<void> {
    this.closed = true;
    const results = await Promise.allSettled(this.staged.map((s) => s.done));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      removeStaged(this.staged);
      throw failed.reason;
    }
    renameAll(this.dir, this.staged, last, obsolete.filter((n) => !this.staged.some((s) => basename(s.final) === n)));
  }

  /** Waits for the writes in flight and removes every temporary file; nothing appears in the folder. */
  async abort(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.staged.map((s) => s.done));
    removeStaged(this.staged);
  }
}
