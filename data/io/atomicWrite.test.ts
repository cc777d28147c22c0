import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StagedOutput, writeFileAtomic, writeFilesAtomic } from './atomicWrite.ts';

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
    mkdirSync(join(dir, 'run', 'sub', `.b.txt.${process.pid}.tmp`)); // the temporary path is taken by a folder
    out.add('sub/b.txt', 'b');
    out.add('summary.json', '{}');
    await expect(out.commit()).rejects.toThrow(/EISDIR/);
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
