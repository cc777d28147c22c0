import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A checkout where only `node scripts/build.mjs` ran: the CLI bundle (dist/bin.js) is there, the library
 * (dist/index.js, scripts/buildLib.mjs) is not. A user strategy that imports 'ammsim' cannot get a library then, and
 * the error must say to build it, wherever the module is: outside any project (the running ammsim's library), inside
 * the checkout (the package's own name), or in a project that links the checkout (`npm install <checkout>`), as a .ts
 * module (compiled by esbuild) or a .mjs one (linked by Node). The checkout is a temporary copy of the sources, its
 * node_modules a link to this one's, built there with scripts/build.mjs alone.
 */
const root = resolve('.');
const TS = `import { defineStrategy, NO_ACTIONS } from 'ammsim';
export default defineStrategy({
  name: 'outside',
  description: 'full range',
  defaults: {},
  create: () => ({ onStart: () => [{ kind: 'mint', range: null }], onStep: () => NO_ACTIONS }),
});
`;

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'ammsim-unbuilt-')));
const copy = join(tmp, 'checkout');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(copy);
  for (const f of ['package.json', 'tsconfig.json', 'index.ts', 'scripts', 'sim', 'runs', 'strategies', 'data', 'reports']) {
    cpSync(join(root, f), join(copy, f), { recursive: true, filter: (src) => !/[\\/](node_modules|dist|out|\.ammsim-cache)([\\/]|$)/.test(src.slice(root.length)) });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const b = spawnSync(process.execPath, [join(copy, 'scripts', 'build.mjs')], { cwd: copy, encoding: 'utf8' });
  expect(b.status, b.stderr).toBe(0);
  expect(existsSync(join(copy, 'dist', 'bin.js'))).toBe(true);
  expect(existsSync(join(copy, 'dist', 'index.js'))).toBe(false);
});

/** Runs the copy's CLI (no .git there: it is not rebuilt) with a strategy module, in the module's folder. */
function backtestWith(module: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [join(copy, 'scripts', 'ammsim.mjs'), 'backtest', '--strategy', module, '--out', join(tmp, 'out')], { cwd: resolve(module, '..'), encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

const write = (dir: string, name: string, text = TS): string => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe("a checkout with the CLI built but not the library: a strategy importing 'ammsim' is told to run npm run build", () => {
  it.each(['s.ts', 's.mjs'])('error: %s outside any project: the running ammsim\'s library is not built', (file) => {
    const r = backtestWith(write(join(tmp, 'outside'), file));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --strategy: could not load .*: Could not resolve "ammsim" \(no ammsim installed beside the module, and this ammsim's library, dist\/index\.js, is not built: run npm run build in (.*)\)\n$/);
    expect(r.stderr).toContain(`run npm run build in ${copy})`);
  });

  it.each(['s.ts', 's.mjs'])('error: %s inside the checkout (the package\'s own name): was Node\'s bare "Cannot find module …/dist/index.js" for .mjs', (file) => {
    const r = backtestWith(write(join(copy, 'mine'), file));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: --strategy: could not load .*: Could not resolve "ammsim" \(this ammsim's library, dist\/index\.js, is not built: run npm run build in .*\)\n$/);
    expect(r.stderr).toContain(`run npm run build in ${copy})`);
  });

  it.each(['s.ts', 's.mjs'])('error: %s in a project linking the checkout (npm install <checkout>): not "no ammsim installed beside the module"', (file) => {
    const project = join(tmp, 'project');
    if (!existsSync(join(project, 'node_modules', 'ammsim'))) {
      mkdirSync(join(project, 'node_modules'), { recursive: true });
      symlinkSync(copy, join(project, 'node_modules', 'ammsim'), 'dir');
    }
    const r = backtestWith(write(project, file));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Could not resolve "ammsim" \(this ammsim's library, dist\/index\.js, is not built: run npm run build in .*\)\n$/);
    expect(r.stderr).toContain(`run npm run build in ${copy})`);
    expect(r.stderr).not.toContain('no ammsim installed beside the module');
  });

  it.each(['s.ts', 's.mjs'])('error: %s beside another ammsim that is not built either: names that one', (file) => {
    const other = join(tmp, 'other');
    write(join(other, 'node_modules', 'ammsim'), 'package.json', JSON.stringify({ name: 'ammsim', type: 'module', exports: { '.': { import: './dist/index.js' } } }));
    const r = backtestWith(write(other, file));
    expect(r.status).toBe(1);
    const beside = join(other, 'node_modules', 'ammsim');
    expect(r.stderr).toContain(`Could not resolve "ammsim" (the ammsim beside the module, ${beside}, is not built: its library, dist/index.js, is missing, as is this ammsim's: run npm run build in ${beside})\n`);
  });

  it('error: another missing package gets no ammsim hint', () => {
    const r = backtestWith(write(join(tmp, 'outside'), 'missing.ts', "import { x } from 'no-such-package-ammsim';\nexport default x;\n"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no-such-package-ammsim/);
    expect(r.stderr).not.toContain('npm run build');
  });
});
