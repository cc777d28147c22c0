import { closeSync, openSync, rmSync, statSync, statfsSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../sim/core/errors.ts';

/** What an output flag names: a folder the command writes several files into, or one file. */
export type OutputKind = 'dir' | 'file';

/**
 * Filesystems that hold no user files (statfs magic numbers, linux/magic.h): writing there fails, or worse
 * (Node's recursive mkdir spins forever under /proc).
 */
const VIRTUAL_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0xcafe4a11, 'bpf'],
  [0x42494e4d, 'binfmt_misc'],
  [0x6e736673, 'nsfs'],
  [0x50495045, 'pipefs'],
]);
/** The same by path, for systems without statfs types (first path component). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

const q = (s: string): string => JSON.stringify(s);

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'error';
}

function statOrUndefined(p: string, flag: string, shown: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (err) {
    const code = errCode(err);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined; // a file on the way: found when walking up
    if (code === 'EACCES') throw new ConfigError(flag, `cannot use ${q(shown)}: permission denied to look into ${q(dirname(p))}`, { cause: err });
    if (code === 'ELOOP') throw new ConfigError(flag, `cannot use ${q(shown)}: too many symbolic links`, { cause: err });
    if (code === 'ENAMETOOLONG') throw new ConfigError(flag, `cannot use ${q(shown)}: the name is too long`, { cause: err });
    throw new ConfigError(flag, `cannot use ${q(shown)}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Checks, before a run, that an output flag names a place ammsim can write, so a mistake costs a line at
 * once, not a stack trace after the whole run (issue #11 item 4). Folders that do not exist yet are fine
 * (they are created when the output is written); the nearest existing folder on the way must be a real,
 * writable folder, proved by creating and removing a probe file in it. Refused, each with a one-line
 * ConfigError naming `flag`: an empty path; a path on a virtual filesystem (/proc, /sys, …); a path through a
 * file (`a.txt/out`); an existing file where a folder is expected and an existing folder where a file is; a
 * folder without write permission (or on a read-only filesystem).
 */
export function checkOutputPath(path: string, opts: { readonly kind: OutputKind; readonly flag: string }): void {
  const { kind, flag } = opts;
  if (path.trim() === '') throw new ConfigError(flag, `must name ${kind === 'dir' ? 'a folder' : 'a file'}; was empty`);
  const abs = resolve(path);
  const self = statOrUndefined(abs, flag, path);
  if (self !== undefined) {
    if (kind === 'dir' && !self.isDirectory()) throw new ConfigError(flag, `must be a folder (the output is several files); ${q(path)} is an existing ${self.isFile() ? 'file' : 'non-folder'}`);
    if (kind === 'file' && self.isDirectory()) throw new ConfigError(flag, `must be a file; ${q(path)} is an existing folder`);
    if (kind === 'file' && !self.isFile()) throw new ConfigError(flag, `must be a regular file; ${q(path)} is a device, pipe or socket`);
  }
  // the folder the files go into (or that will hold the folders still to be made)
  let dir = kind === 'dir' && self !== undefined ? abs : dirname(abs);
  for (;;) {
    const st = statOrUndefined(dir, flag, path);
    if (st !== undefined) {
      if (!st.isDirectory()) throw new ConfigError(flag, `cannot be created: ${q(dir)} is a file, not a folder`);
      break;
    }
    const up = dirname(dir);
    if (up === dir) throw new ConfigError(flag, `cannot be created: no folder on the way to ${q(path)} exists`);
    dir = up;
  }
  const fs = virtualFilesystem(dir);
  if (fs !== undefined) throw new ConfigError(flag, `must be on a normal filesystem; ${q(dir)} is on ${fs}, which holds no files`);
  probeWritable(dir, flag);
}

/** The name of the virtual filesystem `dir` is on, or undefined for a normal one. */
function virtualFilesystem(dir: string): string | undefined {
  try {
    const type = VIRTUAL_FILESYSTEMS.get(Number(statfsSync(dir).type));
    if (type !== undefined) return `${type} (a virtual filesystem)`;
  } catch {
    // statfs unsupported here: fall back to the path
  }
  const root = VIRTUAL_ROOTS.find((r) => dir === r || dir.startsWith(r + '/'));
  return root === undefined ? undefined : `${root} (a virtual filesystem)`;
}

/** Proves `dir` is writable by creating (exclusively) and removing a probe file in it. */
function probeWritable(dir: string, flag: string): void {
  const probe = join(dir, `.ammsim-probe.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(probe, 'wx');
  } catch (err) {
    const code = errCode(err);
    const why =
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only filesystem' : code === 'ENOSPC' ? 'no space left on the device' : code === 'EDQUOT' ? 'disk quota exceeded' : `${code}`;
    throw new ConfigError(flag, `cannot write in ${q(dir)}: ${why}`, { cause: err });
  }
  closeSync(fd);
  rmSync(probe, { force: true });
}

/**
 * The output flags of each command and what they name, for {@link checkOutputPath} before the command runs
 * (scripts/cli.ts applies it to the command being run). A command or flag missing here is not checked.
 */
export const OUTPUT_FLAGS: Readonly<Record<string, Readonly<Record<string, OutputKind>>>> = {
  backtest: { out: 'dir' },
  compare: { out: 'dir' },
  sweep: { out: 'dir' },
  replay: { out: 'file' },
  'replay-real': { out: 'file' },
  report: { out: 'file', svg: 'dir' },
  il: { out: 'file' },
  validate: { out: 'file' },
  data: { out: 'file' },
};
