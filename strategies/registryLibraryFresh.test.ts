import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * In a checkout (a .git folder beside package.json, esbuild installed), a user strategy that imports 'ammsim' gets a
 * library built from the current sources: dist/index.js older than a source is rebuilt before the module is linked to
 * it (the CLI bundle and the library are separate builds; scripts/ammsim.mjs rebuilds only the CLI). The checkout is
 * a temporary copy of the sources (its node_modules a link to this one's) whose index.ts also exports LIBRARY_MARK
 * from a file of its own, mark.ts; the user module names its strategy after the mark it gets, and the backtest prints
 * that name.
 */
const root = resolve('.');
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'ammsim-libfresh-')));
const copy = join(tmp, 'checkout');
const cache = join(tmp, 'cache');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TS = `import { defineStrategy, NO_ACTIONS, LIBRARY_MARK } from 'ammsim';
const mark: string = LIBRARY_MARK;
export default defineStrategy({
  name: \`mark-\${mark}\`,
  description: 'full range',
  defaults: {},
  create: () => ({ onStart: () => [{ kind: 'mint', range: null }], onStep: () => NO_ACTIONS }),
});
`;
const MJS = TS.replace('const mark: string', 'const mark');

const past = (file: string, secondsAgo: number): void => utimesSync(file, new Date(Date.now() - secondsAgo * 1000), new Date(Date.now() - secondsAgo * 1000));
/** mark.ts says `mark`, saved now (after any library build). */
const setMark = (mark: string): void => writeFileSync(join(copy, 'mark.ts'), `export const LIBRARY_MARK: string = '${mark}';\n`);
const write = (dir: string, name: string, text: string): string => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  past(join(dir, name), 60); // settled: its compile is kept, so the next run takes the cached path
  return join(dir, name);
};
const library = join(copy, 'dist', 'index.js');
const inode = (): bigint => statSync(library, { bigint: true }).ino;

const args = (module: string): string[] => [join(copy, 'scripts', 'ammsim.mjs'), 'backtest', '--strategy', module, '--out', join(tmp, 'out', String(Math.random()).slice(2))];
const env = { ...process.env, AMMSIM_CACHE_DIR: cache, NO_COLOR: '1' };

/** The strategy name the copy's CLI prints for a backtest with `module`. */
function markOf(module: string): string {
  const r = spawnSync(process.execPath, args(module), { cwd: resolve(module, '..'), encoding: 'utf8', env });
  expect(r.status, r.stderr).toBe(0);
  return /^(mark-\S+) \(/m.exec(r.stdout)?.[1] ?? `no strategy name in: ${r.stdout}`;
}

beforeAll(async () => {
  mkdirSync(copy);
  for (const f of ['package.json', 'tsconfig.json', 'index.ts', 'scripts', 'sim', 'runs', 'strategies', 'data', 'reports']) {
    cpSync(join(root, f), join(copy, f), { recursive: true, filter: (src) => !/[\\/](node_modules|dist|out|\.ammsim-cache)([\\/]|$)/.test(src.slice(root.length)) });
  }
  mkdirSync(join(copy, '.git'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  writeFileSync(join(copy, 'index.ts'), `export { LIBRARY_MARK } from './mark.ts';\n`, { flag: 'a' });
  setMark('one');
  past(join(copy, 'mark.ts'), 120);
  const b = spawnSync(process.execPath, [join(copy, 'scripts', 'build.mjs')], { cwd: copy, encoding: 'utf8' });
  expect(b.status, b.stderr).toBe(0);
  // the library as an earlier build left it: the JavaScript of dist/index.js alone, no record of what it was built from
  await build({ absWorkingDir: copy, entryPoints: { index: 'index.ts' }, bundle: true, format: 'esm', platform: 'node', target: 'node20', outdir: 'dist', packages: 'external', logLevel: 'silent' });
  past(library, 90);
}, 60_000);

describe("a checkout: a user module importing 'ammsim' gets a library built from the current sources", () => {
  it('behavior: a source newer than dist/index.js: a .ts module outside any project gets the fresh library, the cached compile too; a fresh library is not rebuilt', () => {
    const s = write(join(tmp, 'outside'), 's.ts', TS);
    setMark('two');
    expect(markOf(s)).toBe('mark-two');
    // the compile of s.ts is kept now; the next run imports it without esbuild, and must still rebuild the library
    setMark('three');
    expect(markOf(s)).toBe('mark-three');
    const before = inode();
    expect(markOf(s)).toBe('mark-three');
    expect(inode()).toBe(before);
  });

  it('behavior: a .mjs module that Node links to the checkout (a project linking it, or inside the checkout) gets the fresh library', () => {
    const project = join(tmp, 'project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    symlinkSync(copy, join(project, 'node_modules', 'ammsim'), 'dir');
    const linked = write(project, 's.mjs', MJS);
    setMark('four');
    expect(markOf(linked)).toBe('mark-four');
    const inside = write(join(copy, 'mine'), 's.mjs', MJS);
    setMark('five');
    expect(markOf(inside)).toBe('mark-five');
    // outside any project Node finds no 'ammsim': compiled by esbuild, the running checkout's library
    const outside = write(join(tmp, 'outside'), 's.mjs', MJS);
    setMark('six');
    expect(markOf(outside)).toBe('mark-six');
  });

  it('behavior: concurrent runs after an edit all get the fresh library, none a torn one; no staging files are left', async () => {
    const s = write(join(tmp, 'outside'), 'c.ts', TS);
    setMark('seven');
    const runs = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
            const child = spawn(process.execPath, args(s), { cwd: join(tmp, 'outside'), env });
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
            child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
            child.on('close', (status) => done({ status, stdout, stderr }));
          }),
      ),
    );
    for (const r of runs) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^mark-seven \(/m);
    }
    expect(readdirSync(join(copy, 'dist')).filter((f) => /^\.lib-build-|\.tmp$/.test(f))).toEqual([]);
  });

  it('behavior: a run that loads no module importing this ammsim leaves a stale library alone (nothing stats its sources)', () => {
    const s = write(join(tmp, 'outside'), 'plain.mjs', "export default { name: 'mark-plain', description: '', defaults: {}, create: (p) => ({ id: 'p', params: p, onStart: () => [], onStep: () => [] }) };\n");
    setMark('stale');
    const before = inode();
    expect(markOf(s)).toBe('mark-plain');
    const builtin = spawnSync(process.execPath, [join(copy, 'scripts', 'ammsim.mjs'), 'backtest', '--strategy', 'hold', '--out', join(tmp, 'out', 'builtin')], { encoding: 'utf8', env });
    expect(builtin.status, builtin.stderr).toBe(0);
    expect(inode()).toBe(before);
  });

  it('behavior: no library at all is built; error: a source that does not compile says so, and where', () => {
    const s = write(join(tmp, 'outside'), 'b.ts', TS);
    rmSync(library);
    rmSync(join(copy, 'dist', '.lib-build.json'), { force: true });
    setMark('built');
    expect(markOf(s)).toBe('mark-built');
    writeFileSync(join(copy, 'mark.ts'), 'export const LIBRARY_MARK: string = ;\n');
    for (const module of [s, write(join(copy, 'mine'), 'b.mjs', MJS)]) {
      const r = spawnSync(process.execPath, args(module), { cwd: resolve(module, '..'), encoding: 'utf8', env });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`ammsim's library, ${library}, could not be rebuilt from its sources: ${join(copy, 'mark.ts')}:1:37: Unexpected ";"`);
    }
    expect(readdirSync(join(copy, 'dist')).filter((f) => /^\.lib-build-/.test(f))).toEqual([]);
  });

  it('behavior: not a checkout (no .git, an installed package): the library is never rebuilt', () => {
    const s = write(join(tmp, 'outside'), 'n.ts', TS);
    setMark('eight');
    const built = markOf(s); // a checkout still: rebuilt
    expect(built).toBe('mark-eight');
    rmSync(join(copy, '.git'), { recursive: true });
    try {
      setMark('nine');
      const before = inode();
      expect(markOf(s)).toBe('mark-eight');
      expect(inode()).toBe(before);
      expect(existsSync(library)).toBe(true);
    } finally {
      mkdirSync(join(copy, '.git'));
    }
  });

  it("error: a checkout without esbuild: nothing is built, and a missing library still says to run npm run build", () => {
    // node_modules: links to this one's packages, esbuild's left out
    rmSync(join(copy, 'node_modules'));
    mkdirSync(join(copy, 'node_modules'));
    for (const p of readdirSync(join(root, 'node_modules'))) if (p !== 'esbuild' && p !== '.bin') symlinkSync(join(root, 'node_modules', p), join(copy, 'node_modules', p), 'dir');
    try {
      rmSync(library, { force: true });
      const module = write(join(copy, 'mine'), 'h.mjs', MJS);
      const r = spawnSync(process.execPath, args(module), { cwd: join(copy, 'mine'), encoding: 'utf8', env });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`(this ammsim's library, dist/index.js, is not built: run npm run build in ${copy})`);
      expect(existsSync(library)).toBe(false);
    } finally {
      rmSync(join(copy, 'node_modules'), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    }
  });
});
