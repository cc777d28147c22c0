import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadStrategy, writeAtomic } from './registry.ts';

// The temporary names writeAtomic draws, when a test fixes them (to plant a file under the name it will pick).
const forced = vi.hoisted(() => ({ bytes: undefined as Buffer | undefined }));
vi.mock('node:crypto', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:crypto')>();
  return { ...orig, randomBytes: (n: number) => forced.bytes ?? orig.randomBytes(n) };
});

// compiled .ts modules are cached here, not in the user's ~/.cache
process.env.AMMSIM_CACHE_DIR = mkdtempSync(join(tmpdir(), 'ammsim-cache-'));
const cache = join(process.env.AMMSIM_CACHE_DIR, 'strategies');

const body = (name: string): string =>
  `const s = { name: '${name}', description: 'full range', defaults: { k: 1 }, create: (p: unknown) => ({ id: '${name}', params: p, onStart: () => [{ kind: 'mint', range: null }], onStep: () => [] }) };\nexport default s;\n`;

/** Sets a file's access and modification times `secondsAgo` back (a file saved in the last 2 s is not kept). */
const past = (f: string, secondsAgo: number): void => utimesSync(f, new Date(Date.now() - secondsAgo * 1000), new Date(Date.now() - secondsAgo * 1000));

/** Another run: a fresh process loading the module through this registry (Node's own import, not vite's). */
const nextRun = (file: string): { out: string; err: string } => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', `import('./strategies/registry.ts').then((m) => m.loadStrategy(${JSON.stringify(file)})).then((r) => process.stdout.write(r.factory.name), (e) => process.stdout.write('error: ' + e.message))`],
    { encoding: 'utf8', env: { ...process.env } },
  );
  return { out: r.stdout, err: r.stderr };
};

/** The compiled files kept for modules named `stem`. */
const compiledOf = (stem: string): string[] => readdirSync(cache).filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.mjs'));

/** The cache entry (its file name) that names a compiled file of `stem`. */
const entryOf = (stem: string): string => {
  const found = readdirSync(cache)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => (JSON.parse(readFileSync(join(cache, f), 'utf8')) as { code: string }).code.startsWith(`${stem}-`));
  expect(found).toHaveLength(1);
  return found[0]!;
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('compiled strategy cache', () => {
  it('behavior: a symlinked module is keyed on its real path: retargeting the link runs the new target', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    writeFileSync(join(d, 'syma.ts'), body('sym-a'));
    writeFileSync(join(d, 'symb.ts'), body('sym-b'));
    past(join(d, 'syma.ts'), 60);
    past(join(d, 'symb.ts'), 60);
    const cur = join(d, 'cur.ts');
    symlinkSync('syma.ts', cur);
    expect((await loadStrategy(cur)).factory.name).toBe('sym-a');
    expect(readdirSync(cache).some((f) => f.endsWith('.json') && readFileSync(join(cache, f), 'utf8').includes(join(d, 'syma.ts')))).toBe(true); // kept
    // ln -sfn symb.ts cur.ts
    rmSync(cur);
    symlinkSync('symb.ts', cur);
    const loaded = await loadStrategy(cur);
    expect(loaded.factory.name).toBe('sym-b');
    expect(loaded.label).toBe(`sym-b (${cur})`);
    expect(nextRun(cur).out).toBe('sym-b');
    // and back: the first target's kept compile, which its own path shares
    rmSync(cur);
    symlinkSync('syma.ts', cur);
    expect(nextRun(cur).out).toBe('sym-a');
    expect(nextRun(join(d, 'syma.ts')).out).toBe('sym-a');
  });

  it('behavior: an edit of the same size with the modification time set back compiles again (module and imported file)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const file = join(d, 'same.ts');
    const helper = join(d, 'samepart.ts');
    const strategy = (tag: string): string =>
      `import { part } from './samepart.ts';\nexport default { name: \`same-${tag}-\${part}\`, description: '', defaults: {}, create: (p: unknown) => ({ id: 's', params: p, onStart: () => [], onStep: () => [] }) };\n`;
    writeFileSync(helper, "export const part: string = 'p';\n");
    writeFileSync(file, strategy('1'));
    const whole = Math.floor(Date.now() / 1000) - 60; // whole seconds: set back exactly (a Date's float seconds may round)
    utimesSync(helper, whole, whole);
    utimesSync(file, whole, whole);
    expect((await loadStrategy(file)).factory.name).toBe('same-1-p');
    entryOf('same'); // kept
    // `touch -d` back after a same-size edit: size and mtime as before, only the change time (and the text) differ
    const restore = (f: string, text: string): void => {
      const before = statSync(f, { bigint: true });
      writeFileSync(f, text);
      utimesSync(f, whole, whole);
      const after = statSync(f, { bigint: true });
      expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    };
    await sleep(50); // past the file system clock's tick: a change time of its own
    restore(file, strategy('2'));
    expect((await loadStrategy(file)).factory.name).toBe('same-2-p');
    expect(nextRun(file).out).toBe('same-2-p');
    await sleep(50);
    restore(helper, "export const part: string = 'q';\n");
    expect((await loadStrategy(file)).factory.name).toBe('same-2-q');
    expect(nextRun(file).out).toBe('same-2-q');
  });

  it('behavior: a truncated compiled file is compiled again from the source (and repaired), not blamed on the module', () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const file = join(d, 'trunc.ts');
    writeFileSync(file, body('trunc'));
    past(file, 60);
    expect(nextRun(file).out).toBe('trunc');
    const [compiled] = compiledOf('trunc');
    const whole = readFileSync(join(cache, compiled!));
    writeFileSync(join(cache, compiled!), whole.subarray(0, whole.indexOf('create'))); // within the code, not its source map
    expect(nextRun(file)).toEqual({ out: 'trunc', err: '' });
    expect(readFileSync(join(cache, compiled!)).equals(whole)).toBe(true);
    expect(nextRun(file)).toEqual({ out: 'trunc', err: '' });
  });

  it("behavior: another module's entry copied over a module's entry is a miss: the module runs its own code", async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    writeFileSync(join(d, 'entx.ts'), body('ent-x'));
    writeFileSync(join(d, 'enty.ts'), body('ent-y'));
    past(join(d, 'entx.ts'), 60);
    past(join(d, 'enty.ts'), 60);
    expect((await loadStrategy(join(d, 'entx.ts'))).factory.name).toBe('ent-x');
    expect((await loadStrategy(join(d, 'enty.ts'))).factory.name).toBe('ent-y');
    const x = entryOf('entx');
    const y = entryOf('enty');
    copyFileSync(join(cache, x), join(cache, y));
    expect(nextRun(join(d, 'enty.ts')).out).toBe('ent-y');
    expect((await loadStrategy(join(d, 'enty.ts'))).factory.name).toBe('ent-y');
    // the entry is rewritten for enty, and entx's compiled file is left alone
    expect(entryOf('enty')).toBe(y);
    expect(compiledOf('entx')).toHaveLength(1);
    expect(nextRun(join(d, 'entx.ts')).out).toBe('ent-x');
  });

  it('behavior: a kept compile that no longer imports (a package it imports moved its files) is compiled again', () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const pkg = join(d, 'node_modules', 'movingdep');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'movingdep', main: 'one.mjs' }));
    writeFileSync(join(pkg, 'one.mjs'), "export const v = 'dep';\n");
    const file = join(d, 'pkguser.ts');
    writeFileSync(file, "import { v } from 'movingdep';\nexport default { name: `pkg-${v}`, description: '', defaults: {}, create: (p: unknown) => ({ id: 'p', params: p, onStart: () => [], onStep: () => [] }) };\n");
    past(file, 60);
    expect(nextRun(file).out).toBe('pkg-dep');
    entryOf('pkguser'); // kept
    // the package's next version has its entry point elsewhere
    renameSync(join(pkg, 'one.mjs'), join(pkg, 'two.mjs'));
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'movingdep', main: 'two.mjs' }));
    expect(nextRun(file)).toEqual({ out: 'pkg-dep', err: '' });
    expect(nextRun(file)).toEqual({ out: 'pkg-dep', err: '' });
  });

  it("error: a kept module that throws while it loads reports its own error, evaluated once", () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const file = join(d, 'thrower.ts');
    writeFileSync(file, "process.stderr.write('evaluated\\n');\nconst n: number = 1;\nif (n === 1) throw new Error('kaput at load');\nexport default n;\n");
    past(file, 60);
    const first = nextRun(file);
    expect(first.out).toBe(`error: --strategy: could not load ${file}: kaput at load`);
    entryOf('thrower'); // kept
    const second = nextRun(file);
    expect(second.out).toBe(`error: --strategy: could not load ${file}: kaput at load`);
    expect(second.err.match(/evaluated/g)).toHaveLength(1);
  });

  it('behavior: the marker of a kept compile: a compiled file whose hash the entry records is imported as it is', () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const file = join(d, 'marked.ts');
    writeFileSync(file, body('marked'));
    past(file, 60);
    expect(nextRun(file).out).toBe('marked');
    const [compiled] = compiledOf('marked');
    const original = readFileSync(join(cache, compiled!), 'utf8');
    const text = original.replace(/name: (["'])marked\1/, 'name: "marked-kept"');
    expect(text).not.toBe(original);
    writeFileSync(join(cache, compiled!), text);
    expect(nextRun(file).out).toBe('marked'); // altered: a miss
    const entry = join(cache, entryOf('marked'));
    writeFileSync(join(cache, compiled!), text);
    const e = JSON.parse(readFileSync(entry, 'utf8')) as { codeHash: string };
    writeFileSync(entry, JSON.stringify({ ...e, codeHash: createHash('sha256').update(text).digest('hex') }));
    expect(nextRun(file).out).toBe('marked-kept');
  });
});

describe('writeAtomic', () => {
  it("behavior: another process's temporary file with this PID (another PID namespace) is left alone", () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-atomic-'));
    const target = join(d, 'entry.json');
    const theirs = `${target}.${process.pid}.tmp`;
    writeFileSync(theirs, 'another process, same pid');
    writeAtomic(target, 'mine');
    writeAtomic(target, 'mine again');
    expect(readFileSync(target, 'utf8')).toBe('mine again');
    expect(readFileSync(theirs, 'utf8')).toBe('another process, same pid');
    expect(readdirSync(d).sort()).toEqual(['entry.json', `entry.json.${process.pid}.tmp`]); // none of its own left
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
  it('behavior: a temporary name already taken is never written through (created exclusively)', () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-atomic-'));
    const target = join(d, 'entry.json');
    forced.bytes = Buffer.alloc(16, 7);
    try {
      writeAtomic(target, 'first');
      expect(readFileSync(target, 'utf8')).toBe('first');
      expect(readdirSync(d)).toEqual(['entry.json']);
      writeFileSync(join(d, 'elsewhere'), 'untouched');
      // a link planted under the name the next write picks with these bytes
      symlinkSync(join(d, 'elsewhere'), `${target}.${process.pid}.${forced.bytes.toString('hex')}.tmp`);
      expect(() => writeAtomic(target, 'second')).toThrow(/EEXIST/);
      expect(readFileSync(join(d, 'elsewhere'), 'utf8')).toBe('untouched');
      expect(readFileSync(target, 'utf8')).toBe('first');
    } finally {
      forced.bytes = undefined;
    }
  });
});
