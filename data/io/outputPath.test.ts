import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../sim/core/errors.ts';
import { checkOutputPath } from './outputPath.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ammsim-outpath-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** The ConfigError message of checkOutputPath, or 'ok'. */
function check(path: string, kind: 'dir' | 'file', flag = '--out'): string {
  try {
    checkOutputPath(path, { kind, flag });
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

describe('checkOutputPath: accepted', () => {
  it('behavior: a new folder (missing parents too), an existing folder, a new or existing file; the probe file leaves nothing', () => {
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'old.json'), '{}');
    expect(check(join(dir, 'new'), 'dir')).toBe('ok');
    expect(check(join(dir, 'a', 'b', 'c'), 'dir')).toBe('ok');
    expect(check(join(dir, 'run'), 'dir')).toBe('ok');
    expect(check(join(dir, 'x.json'), 'file')).toBe('ok');
    expect(check(join(dir, 'sub', 'x.json'), 'file')).toBe('ok');
    expect(check(join(dir, 'old.json'), 'file')).toBe('ok');
    // nothing was created: folders are made when the output is written
    expect(readdirSync(dir).sort()).toEqual(['old.json', 'run']);
    expect(readdirSync(join(dir, 'run'))).toEqual([]);
  });

  it('behavior: a relative path is taken from the working folder', () => {
    const prev = process.cwd();
    process.chdir(dir);
    try {
      expect(check('out/backtest', 'dir')).toBe('ok');
      writeFileSync('out', '');
      expect(check('out/backtest', 'dir')).toBe(`--out: cannot be created: ${JSON.stringify(join(dir, 'out'))} is a file, not a folder`);
    } finally {
      process.chdir(prev);
    }
  });
});

describe('checkOutputPath: refused with one line naming the flag', () => {
  it('error: an existing file where a folder is expected, and a folder where a file is', () => {
    writeFileSync(join(dir, 'f.txt'), 'x');
    mkdirSync(join(dir, 'd'));
    expect(check(join(dir, 'f.txt'), 'dir')).toBe(`--out: must be a folder (the output is several files); ${JSON.stringify(join(dir, 'f.txt'))} is an existing file`);
    expect(check(join(dir, 'd'), 'file', '--svg')).toBe(`--svg: must be a file; ${JSON.stringify(join(dir, 'd'))} is an existing folder`);
    expect(check('', 'dir')).toBe('--out: must name a folder; was empty');
  });

  it('error: a path through a file', () => {
    writeFileSync(join(dir, 'f.txt'), 'x');
    expect(check(join(dir, 'f.txt', 'run'), 'dir')).toBe(`--out: cannot be created: ${JSON.stringify(join(dir, 'f.txt'))} is a file, not a folder`);
    expect(check(join(dir, 'f.txt', 'a', 'r.json'), 'file')).toBe(`--out: cannot be created: ${JSON.stringify(join(dir, 'f.txt'))} is a file, not a folder`);
  });

  it('error: a symlink loop', () => {
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    expect(check(join(dir, 'loop', 'x'), 'dir')).toBe(`--out: cannot use ${JSON.stringify(join(dir, 'loop', 'x'))}: too many symbolic links`);
  });

  it.skipIf(!existsSync('/proc/self'))('error: /proc and /sys (virtual filesystems), however deep', () => {
    expect(check('/proc/x', 'dir')).toBe('--out: must be on a normal filesystem; "/proc" is on proc (a virtual filesystem), which holds no files');
    expect(check('/proc/x/y/z.json', 'file')).toBe('--out: must be on a normal filesystem; "/proc" is on proc (a virtual filesystem), which holds no files');
    expect(check('/proc/self', 'dir')).toMatch(/^--out: must be on a normal filesystem; "\/proc\/self" is on proc/);
    if (existsSync('/sys/kernel')) expect(check('/sys/kernel/x', 'dir')).toMatch(/^--out: must be on a normal filesystem; "\/sys\/kernel" is on (sysfs|\/sys) \(a virtual filesystem\)/);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(root)('error: a folder without write permission (skipped as root, who may write anywhere)', () => {
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o555);
    try {
      expect(check(join(dir, 'ro', 'run'), 'dir')).toBe(`--out: cannot write in ${JSON.stringify(join(dir, 'ro'))}: permission denied`);
      expect(check(join(dir, 'ro', 'r.json'), 'file')).toBe(`--out: cannot write in ${JSON.stringify(join(dir, 'ro'))}: permission denied`);
    } finally {
      chmodSync(join(dir, 'ro'), 0o755);
    }
  });
});
