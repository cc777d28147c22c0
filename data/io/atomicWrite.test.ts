import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ensureDir, liveTempFiles, removeTempFiles, StagedOutput, tempPathOf, writeFileAtomic, writeFilesAtomic } from './atomicWrite.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ammsim-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('StagedOutput', () => {
  it('behavior: commit writes every file with its exact bytes and leaves no temporary file', async () => {
    const big = new Uint8Array(3_000_000).map((_, i) => (i * 31) & 0xff);
    const out = new StagedOutput(join(dir, 'run'));
    out.add('timeseries.arrow', big);
    out.add('report.html', '<p>é</p>');
    out.add('sub/x.json', '{}\n');
    out.add('summary.json', '{"a":1}\n');
    await out.commit();
    expect(readdirSync(join(dir, 'run')).sort()).toEqual(['report.html', 'sub', 'summary.json', 'timeseries.arrow']);
    expect(Buffer.compare(readFileSync(join(dir, 'run', 'timeseries.arrow')), Buffer.from(big))).toBe(0);
    expect(readFileSync(join(dir, 'run', 'report.html'), 'utf8')).toBe('<p>é</p>');
    expect(readFileSync(join(dir, 'run', 'sub', 'x.json'), 'utf8')).toBe('{}\n');
  });

  it('behavior: pieces are written one after another (more than one vectored write, empty pieces too)', async () => {
    const pieces = Array.from({ length: 2500 }, (_, i) => new Uint8Array(i % 7 === 0 ? 0 : (i % 13) + 1).fill(i & 0xff));
    const out = new StagedOutput(join(dir, 'run'));
    out.add('p.bin', pieces);
    out.add('summary.json', '{}');
    await out.commit();
    expect(Buffer.compare(readFileSync(join(dir, 'run', 'p.bin')), Buffer.concat(pieces))).toBe(0);
  });

  it('behavior: nothing appears before commit, and commit replaces older files', async () => {
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'summary.json'), 'old');
    const out = new StagedOutput(join(dir, 'run'));
    out.add('summary.json', 'new');
    out.add('a.txt', 'a');
    expect(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')).toBe('old');
    expect(existsSync(join(dir, 'run', 'a.txt'))).toBe(false);
    await out.commit();
    expect(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'run')).sort()).toEqual(['a.txt', 'summary.json']);
  });

  it('error: a failed write removes every temporary file and nothing is renamed into place', async () => {
    const out = new StagedOutput(join(dir, 'run'));
    out.add('a.txt', 'a');
    mkdirSync(join(dir, 'run', 'sub'));
    mkdirSync(tempPathOf(join(dir, 'run', 'sub', 'b.txt'))); // the temporary path is taken by a folder
    out.add('sub/b.txt', 'b');
    out.add('summary.json', '{}');
    await expect(out.commit()).rejects.toThrow(/EEXIST|EISDIR/);
    expect(existsSync(join(dir, 'run', 'summary.json'))).toBe(false);
    expect(existsSync(join(dir, 'run', 'a.txt'))).toBe(false);
    expect(readdirSync(join(dir, 'run')).sort()).toEqual(['sub']);
  });

  it('error: abort removes what was written; the folder gets no files', async () => {
    const out = new StagedOutput(join(dir, 'run'));
    out.add('a.txt', 'a');
    out.add('summary.json', '{}');
    await out.abort();
    expect(readdirSync(join(dir, 'run'))).toEqual([]);
    expect(() => out.add('c.txt', 'c')).toThrow(/already committed or aborted/);
  });
});

describe('StagedOutput over an earlier run (fixes from an audit)', () => {
  it('error: a rename that fails leaves no summary.json: the earlier run\'s is removed before the first rename, so new files never sit beside an old summary', async () => {
    const run = join(dir, 'run');
    writeFilesAtomic(run, [['a.txt', 'old a'], ['summary.json', 'old']]);
    mkdirSync(join(run, 'b.txt', 'x'), { recursive: true }); // a non-empty folder where b.txt goes: its rename fails
    const out = new StagedOutput(run);
    out.add('a.txt', 'new a');
    out.add('b.txt', 'new b');
    out.add('summary.json', 'new');
    await expect(out.commit()).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(existsSync(join(run, 'summary.json'))).toBe(false);
    expect(readdirSync(run).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('behavior: the outputs this run does not write (obsolete) are removed, so an earlier run\'s CSV does not stay beside this run', async () => {
    const run = join(dir, 'run');
    writeFilesAtomic(run, [['timeseries.csv', 'old'], ['summary.json', 'old']]);
    const out = new StagedOutput(run);
    out.add('summary.json', 'new');
    await out.commit('summary.json', ['timeseries.csv']);
    expect(readdirSync(run)).toEqual(['summary.json']);
    writeFilesAtomic(run, [['values.csv', 'v'], ['summary.json', 's']], 'summary.json', ['values.csv']); // written: kept
    expect(readdirSync(run).sort()).toEqual(['summary.json', 'values.csv']);
  });

  it('behavior: temporary names carry the PID and a random tag; a killed run\'s temporary files older than an hour are removed by the next run into the folder', async () => {
    const run = join(dir, 'run');
    expect(basename(tempPathOf(join(run, 'a.bin')))).toMatch(new RegExp(`^\\.a\\.bin\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    mkdirSync(run);
    const old = join(run, '.timeseries.arrow.4242.tmp');
    const fresh = join(run, '.report.html.4243.0badc0de.tmp');
    writeFileSync(old, 'killed');
    writeFileSync(fresh, 'another process, writing now');
    utimesSync(old, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
    const out = new StagedOutput(run);
    out.add('summary.json', '{}');
    await out.commit();
    expect(readdirSync(run).sort()).toEqual(['.report.html.4243.0badc0de.tmp', 'summary.json']);
  });
});

describe('writeFilesAtomic / writeFileAtomic', () => {
  it('behavior: writes every file and renames the last-named one last; no temporary file is left', () => {
    writeFilesAtomic(join(dir, 'r'), [
      ['summary.json', 's'],
      ['b.txt', 'b'],
    ]);
    writeFileAtomic(join(dir, 'one', 'f.txt'), 'f');
    expect(readdirSync(join(dir, 'r')).sort()).toEqual(['b.txt', 'summary.json']);
    expect(readFileSync(join(dir, 'one', 'f.txt'), 'utf8')).toBe('f');
    expect(readdirSync(join(dir, 'one'))).toEqual(['f.txt']);
  });
});

describe('temporary-file registry (what Ctrl-C and exit clean up)', () => {
  it('behavior: a staged file is registered from add until commit; commit, abort and a failed write leave none', async () => {
    expect(liveTempFiles()).toEqual([]);
    const out = new StagedOutput(join(dir, 'run'));
    out.add('a.bin', new Uint8Array(1000));
    out.add('summary.json', '{}');
    expect(liveTempFiles()).toEqual([tempPathOf(join(dir, 'run', 'a.bin')), tempPathOf(join(dir, 'run', 'summary.json'))]);
    await out.commit();
    expect(liveTempFiles()).toEqual([]);

    const ab = new StagedOutput(join(dir, 'ab'));
    ab.add('x', 'x');
    expect(liveTempFiles()).toHaveLength(1);
    await ab.abort();
    expect(liveTempFiles()).toEqual([]);

    mkdirSync(tempPathOf(join(dir, 'bad', 'b.txt')), { recursive: true });
    expect(() => writeFilesAtomic(join(dir, 'bad'), [['a.txt', 'a'], ['b.txt', 'b']])).toThrow(/EEXIST|EISDIR/);
    expect(() => writeFileAtomic(join(dir, 'bad', 'b.txt'), 'b')).toThrow(/EEXIST|EISDIR/);
    expect(liveTempFiles()).toEqual([]);
    writeFileAtomic(join(dir, 'ok.txt'), 'ok');
    expect(liveTempFiles()).toEqual([]);
  });

  it('behavior: removeTempFiles deletes the files still staged (as a signal handler does) and only those', async () => {
    writeFileSync(join(dir, '.other.999999.tmp'), 'not ours');
    const out = new StagedOutput(join(dir, 'run'));
    out.add('big.bin', new Uint8Array(2_000_000));
    out.add('summary.json', '{}');
    expect(readdirSync(join(dir, 'run')).sort()).toEqual([basename(tempPathOf(join(dir, 'run', 'big.bin'))), basename(tempPathOf(join(dir, 'run', 'summary.json')))]);
    expect(removeTempFiles()).toBe(2);
    expect(readdirSync(join(dir, 'run'))).toEqual([]);
    expect(liveTempFiles()).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['.other.999999.tmp', 'run']);
    await out.abort();
  });

  it('behavior: a staged file exists as soon as add returns, so removing it at once (a signal just then) leaves nothing once the write ends', async () => {
    // the file used to be opened in libuv's thread pool: created after a handler had removed the name, it outlived
    // the process (seen once in CI: SIGTERM while report.html was being staged)
    const out = new StagedOutput(join(dir, 'run'));
    out.add('a.bin', new Uint8Array(1_000_000));
    expect(readdirSync(join(dir, 'run'))).toEqual([basename(tempPathOf(join(dir, 'run', 'a.bin')))]);
    expect(removeTempFiles()).toBe(1);
    await out.abort();
    expect(readdirSync(join(dir, 'run'))).toEqual([]);
  });
});

describe('guardTempFiles: temporary files do not outlive the process', () => {
  const child = (body: string, out: string, guard = true) => {
    const code = `import { guardTempFiles, StagedOutput } from ${JSON.stringify(join(import.meta.dirname, 'atomicWrite.ts'))};
      ${guard ? 'guardTempFiles();' : ''}
      const out = new StagedOutput(${JSON.stringify(out)});
      out.add('big.bin', new Uint8Array(4_000_000));
      out.add('summary.json', '{}');
      await new Promise((r) => setTimeout(r, 100));
      if ((await import('node:fs')).readdirSync(${JSON.stringify(out)}).length !== 2) throw new Error('the temp files were not written');
      ${body}`;
    return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
  };

  it('behavior: an uncaught error removes them (exit status 1, the error printed as usual)', () => {
    const r = child(`throw new TypeError('boom');`, join(dir, 'a'));
    expect(r.stderr).toContain('TypeError: boom');
    expect(r.status).toBe(1);
    expect(readdirSync(join(dir, 'a'))).toEqual([]);
  });

  it('behavior: process.exit removes them; an unguarded process would leave them (the reason for the guard)', () => {
    const r = child(`process.exit(3);`, join(dir, 'b'));
    expect(r.status).toBe(3);
    expect(readdirSync(join(dir, 'b'))).toEqual([]);
    const u = child(`process.exit(3);`, join(dir, 'c'), false);
    expect(u.status).toBe(3);
    expect(readdirSync(join(dir, 'c'))).toHaveLength(2);
  });

  it('behavior: SIGTERM while they exist removes them and ends the process by SIGTERM', () => {
    const r = child(`process.kill(process.pid, 'SIGTERM'); await new Promise((r) => setTimeout(r, 5000)); console.log('still alive');`, join(dir, 'd'));
    expect(r.signal).toBe('SIGTERM');
    expect(r.stdout).toBe('');
    expect(readdirSync(join(dir, 'd'))).toEqual([]);
  });
});

describe('ensureDir (no 100 % CPU spin on paths that cannot be made)', () => {
  it('behavior: makes missing parents one by one; an existing folder is fine', () => {
    ensureDir(join(dir, 'a', 'b', 'c'));
    ensureDir(join(dir, 'a', 'b', 'c'));
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['c']);
  });

  it('error: a file on the way is ENOTDIR; StagedOutput and writeFilesAtomic fail at once', () => {
    writeFileSync(join(dir, 'f'), 'x');
    expect(() => ensureDir(join(dir, 'f', 'sub'))).toThrow(/ENOTDIR/);
    expect(() => ensureDir(join(dir, 'f'))).toThrow(/ENOTDIR/);
    expect(() => new StagedOutput(join(dir, 'f'))).toThrow(/ENOTDIR/);
    expect(() => writeFilesAtomic(join(dir, 'f', 'x'), [['a', 'a']])).toThrow(/ENOTDIR/);
  });

  it.skipIf(!existsSync('/proc/self'))('error: /proc/x fails at once (Node\'s recursive mkdir spins there forever; run in a child with a timeout)', () => {
    // in a child process: a regression is an endless synchronous loop that no test timeout can interrupt
    const code = `import { ensureDir, StagedOutput, writeFileAtomic } from ${JSON.stringify(join(import.meta.dirname, 'atomicWrite.ts'))};
      const errs = [];
      for (const f of [() => ensureDir('/proc/x/y'), () => new StagedOutput('/proc/x'), () => writeFileAtomic('/proc/x/f.json', '{}')]) {
        try { f(); errs.push('no error'); } catch (e) { errs.push(e.code); }
      }
      console.log(errs.join(','));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'the child was killed by the timeout: the mkdir spin is back').toBeNull();
    expect(r.stdout.trim()).toBe('ENOENT,ENOENT,ENOENT');
  });
});
