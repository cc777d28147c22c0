import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadStrategy } from './registry.ts';

const body = (name: string): string =>
  `const s = { name: '${name}', description: 'full range', defaults: { k: 1 }, create: (p) => ({ id: '${name}', params: p, onStart: () => [{ kind: 'mint', range: null }], onStep: () => [] }) };\nexport default s;\n`;

// compiled .ts modules are cached here, not in the user's ~/.cache
process.env.AMMSIM_CACHE_DIR = mkdtempSync(join(tmpdir(), 'ammsim-cache-'));

describe('user strategies anywhere', () => {
  // A folder with no package.json: a .ts file there would be CommonJS by Node's rules; it must still load as ESM.
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
  it.each(['a.ts', 'b.mts', 'c.js', 'd.mjs'])('behavior: %s in a folder without package.json, a plain default-export object, loads', async (file) => {
    const name = `user-${file.replace('.', '-')}`;
    writeFileSync(join(dir, file), body(name));
    const { factory, label } = await loadStrategy(join(dir, file));
    expect(factory.name).toBe(name);
    expect(factory.defaults).toEqual({ k: 1 });
    expect(label).toBe(`${name} (${join(dir, file)})`);
  });
  it('error: a module without a strategy says what to export', async () => {
    writeFileSync(join(dir, 'bad.mjs'), 'export const x = 1;\n');
    await expect(loadStrategy(join(dir, 'bad.mjs'))).rejects.toThrow(/must export default a strategy: defineStrategy\(\{ name, description, defaults, create \}\) or a plain object/);
  });

  // .ts modules are compiled by esbuild into one temporary ESM file (not through tsx's loader): what a module may
  // do under tsx it must still do.
  it('behavior: a .ts module importing relative .ts/.js files, a package (Node\'s import condition) and a built-in loads', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    mkdirSync(join(d, 'lib'));
    mkdirSync(join(d, 'node_modules', 'dual'), { recursive: true });
    writeFileSync(join(d, 'node_modules', 'dual', 'package.json'), JSON.stringify({ name: 'dual', main: 'main.cjs', module: 'mod.mjs', exports: { '.': { module: './mod.mjs', import: './imp.mjs', require: './main.cjs' } } }));
    writeFileSync(join(d, 'node_modules', 'dual', 'imp.mjs'), "export const which = 'import';\n");
    writeFileSync(join(d, 'node_modules', 'dual', 'mod.mjs'), "export const which = 'module';\n");
    writeFileSync(join(d, 'node_modules', 'dual', 'main.cjs'), "exports.which = 'require';\n");
    writeFileSync(join(d, 'lib', 'half.ts'), 'export const half = (x: number): number => x / 2;\n');
    writeFileSync(join(d, 'lib', 'twice.js'), 'export const twice = (x) => 2 * x;\n');
    writeFileSync(
      join(d, 's.ts'),
      "import { which } from 'dual';\nimport { half } from './lib/half.ts';\nimport { twice } from './lib/twice.js';\nimport { posix } from 'node:path';\n" +
        "import type { Nothing } from 'no-such-package';\nconst n: number = twice(half(3));\n" +
        "export default { name: `${which}-${n}-${posix.join('a', 'b')}`, description: '', defaults: {}, create: (p: Nothing) => ({ id: 's', params: p, onStart: () => [], onStep: () => [] }) };\n",
    );
    const { factory } = await loadStrategy(join(d, 's.ts'));
    expect(factory.name).toBe('import-3-a/b');
  });
  it('behavior: a module reading import.meta sees its own file (it goes through tsx)', async () => {
    writeFileSync(join(dir, 'meta.ts'), "const url: string = import.meta.url;\nexport default { name: url.split('?')[0], description: '', defaults: {}, create: (p: unknown) => ({ id: 'm', params: p, onStart: () => [], onStep: () => [] }) };\n");
    const { factory } = await loadStrategy(join(dir, 'meta.ts'));
    expect(factory.name).toBe(pathToFileURL(join(dir, 'meta.ts')).href);
  });
  it('error: a syntax error names the file, line and column', async () => {
    writeFileSync(join(dir, 'syntax.ts'), "export default {\n  name: 'x',,\n};\n");
    await expect(loadStrategy(join(dir, 'syntax.ts'))).rejects.toThrow(`--strategy: could not load ${join(dir, 'syntax.ts')}: ${join(dir, 'syntax.ts')}:2:13: Expected identifier but found ","`);
  });
  it('error: a syntax error in a .js/.mjs module names the file, line and column too', async () => {
    writeFileSync(join(dir, 'syntax.mjs'), "export default {\n  name: 'x',\n  x: = 5,\n};\n");
    // through the CLI: Node itself imports a .mjs module there (under vitest, vite would parse it instead)
    const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts', 'ammsim.mjs'), 'backtest', '--strategy', 'syntax.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr.trim()).toBe('error: --strategy: could not load syntax.mjs: syntax.mjs:3:6: Unexpected "="');
  });
  it('error: a missing relative import or package is named', async () => {
    writeFileSync(join(dir, 'missing.ts'), "import { x } from './nowhere.ts';\nexport default x;\n");
    await expect(loadStrategy(join(dir, 'missing.ts'))).rejects.toThrow(/could not load .*missing\.ts: .*missing\.ts:1:19: Could not resolve "\.\/nowhere\.ts"/);
    writeFileSync(join(dir, 'nopkg.ts'), "import { x } from 'no-such-package-ammsim';\nexport default x;\n");
    await expect(loadStrategy(join(dir, 'nopkg.ts'))).rejects.toThrow(/could not load .*nopkg\.ts: .*nopkg\.ts:1:19: Could not resolve "no-such-package-ammsim"/);
  });
  it('error: an error thrown while the module loads keeps its message, and its stack points at the user\'s line', async () => {
    writeFileSync(join(dir, 'throws.ts'), "const n: number = 1;\nif (n === 1) throw new Error('kaput at load');\nexport default n;\n");
    const err = await loadStrategy(join(dir, 'throws.ts')).then(() => undefined, (e: Error) => e);
    expect(err?.message).toBe(`--strategy: could not load ${join(dir, 'throws.ts')}: kaput at load`);
    expect(String((err?.cause as Error).stack)).toContain(`${join(dir, 'throws.ts')}:2:`);
  });

  it('behavior: a compiled module is kept and reused by the next run until one of its files changes; in a process, an unchanged module is one instance', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const past = (f: string, secondsAgo: number): void => utimesSync(f, new Date(Date.now() - secondsAgo * 1000), new Date(Date.now() - secondsAgo * 1000));
    const strategy = (suffix: string): string =>
      "import { part } from './part.ts';\nconst g = globalThis as { loads?: number };\ng.loads = (g.loads ?? 0) + 1;\n" +
      `export default { name: \`\${part}${suffix}-\${g.loads}\`, description: '', defaults: {}, create: (p: unknown) => ({ id: 'c', params: p, onStart: () => [], onStep: () => [] }) };\n`;
    writeFileSync(join(d, 'part.ts'), "export const part: string = 'a';\n");
    writeFileSync(join(d, 'c.ts'), strategy(''));
    past(join(d, 'part.ts'), 60);
    past(join(d, 'c.ts'), 60);
    // another run: a fresh process loading the module through this registry
    const nextRun = (): string =>
      execFileSync(process.execPath, ['--import', 'tsx', '-e', `import('./strategies/registry.ts').then((m) => m.loadStrategy(${JSON.stringify(join(d, 'c.ts'))})).then((r) => process.stdout.write(r.factory.name))`], {
        encoding: 'utf8',
        env: { ...process.env },
      });
    expect(nextRun()).toBe('a-1');
    const cache = join(process.env.AMMSIM_CACHE_DIR!, 'strategies');
    const compiled = readdirSync(cache).filter((f) => f.startsWith('c-') && f.endsWith('.mjs'));
    expect(compiled).toHaveLength(1);
    // the next run imports the kept file: a marker planted in it (and its hash in the entry, which checks it) shows
    const marked = readFileSync(join(cache, compiled[0]!), 'utf8').replace('-${g.loads}', '-kept-${g.loads}');
    writeFileSync(join(cache, compiled[0]!), marked);
    const entryFile = readdirSync(cache).find((f) => f.endsWith('.json') && (JSON.parse(readFileSync(join(cache, f), 'utf8')) as { code: string }).code === compiled[0])!;
    const entry = JSON.parse(readFileSync(join(cache, entryFile), 'utf8')) as { codeHash: string };
    writeFileSync(join(cache, entryFile), JSON.stringify({ ...entry, codeHash: createHash('sha256').update(marked).digest('hex') }));
    expect(nextRun()).toBe('a-kept-1');
    // an edit of an imported file, then of the module itself, compiles again
    writeFileSync(join(d, 'part.ts'), "export const part: string = 'b';\n");
    past(join(d, 'part.ts'), 30);
    expect(nextRun()).toBe('b-1');
    writeFileSync(join(d, 'c.ts'), strategy('x'));
    past(join(d, 'c.ts'), 30);
    expect(nextRun()).toBe('bx-1');
    // replaced compiles are removed: one file per module
    expect(readdirSync(cache).filter((f) => f.startsWith('c-') && f.endsWith('.mjs'))).toHaveLength(1);
    // in one process: loaded twice, evaluated once; edited, a new instance
    const g = globalThis as { loads?: number };
    g.loads = 0;
    expect((await loadStrategy(join(d, 'c.ts'))).factory.name).toBe('bx-1');
    expect((await loadStrategy(join(d, 'c.ts'))).factory.name).toBe('bx-1');
    writeFileSync(join(d, 'c.ts'), strategy('y'));
    past(join(d, 'c.ts'), 30);
    expect((await loadStrategy(join(d, 'c.ts'))).factory.name).toBe('by-2');
  });
  it('behavior: a module saved just now is compiled but not kept (a coarse mtime could hide a second edit)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    writeFileSync(join(d, 'fresh.ts'), body('fresh'));
    expect((await loadStrategy(join(d, 'fresh.ts'))).factory.name).toBe('fresh');
    expect(readdirSync(join(process.env.AMMSIM_CACHE_DIR!, 'strategies')).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(process.env.AMMSIM_CACHE_DIR!, 'strategies', f), 'utf8')) as { code: string }).some((e) => e.code.startsWith('fresh-'))).toBe(false);
  });
});
