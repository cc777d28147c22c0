import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../sim/core/errors.ts';
import { cacheFolder } from '../sim/core/cacheRoot.ts';
import { adaptiveStrategy } from './lp/adaptive.ts';
import { fullRangeStrategy } from './lp/fullRange.ts';
import { holdStrategy } from './lp/hold.ts';
import { rangeStrategy } from './lp/range.ts';
import { rebalanceStrategy } from './lp/rebalance.ts';
import type { LpStrategyFactory } from '../sim/engine/strategy.ts';

/** The built-in LP strategies, by CLI name, in `--help` order. */
export const BUILTIN_STRATEGIES: ReadonlyMap<string, LpStrategyFactory<Record<string, unknown>>> = new Map(
  [holdStrategy, fullRangeStrategy, rangeStrategy, rebalanceStrategy, adaptiveStrategy].map((f) => [f.name, f as LpStrategyFactory<Record<string, unknown>>]),
);

function isFactory(x: unknown): x is LpStrategyFactory<Record<string, unknown>> {
  return typeof x === 'object' && x !== null && typeof (x as { create?: unknown }).create === 'function' && typeof (x as { name?: unknown }).name === 'string';
}

/** The module, and the one of its files that reads `import.meta` (which the fast path cannot keep). */
interface CompiledModule {
  readonly code: Uint8Array;
  readonly importMetaIn: string | undefined;
  /** The files compiled in (absolute paths): the cache entry is valid while none of them changes. */
  readonly inputs: readonly string[];
}

/** A build error as `file:line:column: message`, the way editors link it. */
function buildErrorText(err: unknown): string {
  const errors = (err as { errors?: Array<{ text: string; location: { file: string; line: number; column: number } | null }> }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return (err as Error).message;
  const where = (f: string): string => {
    const rel = relative(process.cwd(), resolve(f)); // esbuild names files relative to the working folder
    return rel.startsWith('..') || isAbsolute(rel) ? resolve(f) : rel;
  };
  return errors.map((e) => (e.location === null ? e.text : `${where(e.location.file)}:${e.location.line}:${e.location.column + 1}: ${e.text}`)).join('; ');
}

const RESOLVING = { ammsimResolving: true };

/**
 * Compiles a user's TypeScript module with esbuild (already installed: the build uses it, and tsx depends on it)
 * into one ESM file: the module and the files it imports by relative path (TypeScript or JavaScript) are bundled;
 * packages and Node built-ins stay imports, each package resolved from the importing file's folder (Node's
 * conditions: `import`, `node`, `default`; `main`, never `module`) to an absolute URL, so the compiled file can
 * live anywhere. ESM semantics: the module is ESM whatever package.json says, as under tsx. `undefined` when
 * esbuild is not installed.
 */
async function compileTypeScript(file: string): Promise<CompiledModule | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  let importMetaIn: string | undefined;
  const builtins = new Set(builtinModules);
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    conditions: [],
    mainFields: ['main'],
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'ammsim-user-module',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async (args) => {
            const spec = args.path;
            if (args.kind === 'entry-point' || args.pluginData === RESOLVING || spec.startsWith('.') || isAbsolute(spec)) return undefined;
            if (spec.startsWith('node:') || builtins.has(spec) || /^[a-z][a-z0-9+.-]+:/i.test(spec)) return { path: spec, external: true };
            const r = await b.resolve(spec, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
            if (r.errors.length > 0) return { errors: r.errors };
            return { path: pathToFileURL(r.path).href, external: true };
          });
          b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
            if (importMetaIn === undefined && readFileSync(args.path, 'utf8').includes('import.meta')) importMetaIn = args.path;
            return undefined;
          });
        },
      },
    ],
  }).catch((err: unknown) => {
    throw new Error(buildErrorText(err), { cause: err });
  });
  return { code: withAbsoluteSources(result.outputFiles[0]!.contents), importMetaIn, inputs: Object.keys(result.metafile.inputs).map((f) => resolve(f)) };
}

/**
 * esbuild writes the inline source map's `sources` relative to the working directory; the compiled module is
 * imported from elsewhere (the cache folder, a data: URL), where relative paths would resolve wrongly and stack
 * traces would name a file that does not exist. Made absolute, they name the user's file wherever it is loaded from.
 */
function withAbsoluteSources(code: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(code);
  const marker = '//# sourceMappingURL=data:application/json;base64,';
  const at = text.lastIndexOf(marker);
  if (at < 0) return code;
  const map = JSON.parse(Buffer.from(text.slice(at + marker.length).trim(), 'base64').toString('utf8')) as { sources?: string[]; sourceRoot?: string };
  map.sources = (map.sources ?? []).map((src) => pathToFileURL(resolve(process.cwd(), map.sourceRoot ?? '', src)).href);
  delete map.sourceRoot;
  return new TextEncoder().encode(text.slice(0, at) + marker + Buffer.from(JSON.stringify(map)).toString('base64') + '\n');
}

/**
 * Where compiled modules are kept between runs: `strategies/` in ammsim's cache folder (sim/core/cacheRoot.ts).
 * `undefined` when the cache is off or the folder cannot be made: the module is then compiled on every run.
 */
const cacheDir = (): string | undefined => cacheFolder('strategies');

/** A cache entry: the compiled file, and each input's identity when it was compiled. */
interface CacheEntry {
  readonly code: string;
  readonly inputs: ReadonlyArray<readonly [path: string, mtimeMs: number, size: number]>;
}

/** What makes a compiled file differ besides its sources: this loader, esbuild's version, Node's major. */
const CACHE_FORMAT = 1;

function fileIdentity(path: string): readonly [string, number, number] | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? undefined : [path, st.mtimeMs, st.size];
}

/** The cached compile of `file` when none of its inputs changed since (one stat each), else `undefined`. */
function cachedCompile(dir: string, key: string): string | undefined {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as CacheEntry;
  } catch {
    return undefined; // none yet, or torn
  }
  for (const [path, mtimeMs, size] of entry.inputs) {
    const now = fileIdentity(path);
    if (now === undefined || now[1] !== mtimeMs || now[2] !== size) return undefined;
  }
  const code = join(dir, entry.code);
  return existsSync(code) ? code : undefined;
}

/** Writes `data` to `path` whole or not at all (a temporary name, then a rename). */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Imports a user's TypeScript module through {@link compileTypeScript}. The compiled file (its inline source map
 * keeps stack traces pointing at the user's lines) is kept in {@link cacheDir} with the identity (mtime, size) of
 * every file compiled into it: the next run that finds them unchanged imports it without loading esbuild at all.
 * Within a process an unchanged module is evaluated once and shared, as Node does for a `.js` module (a sweep's
 * runs do not each add a module instance); an edited one is a new compiled file, so a new instance. `undefined` when this path
 * does not apply (no esbuild, or a file reads `import.meta`, whose URL would be the compiled file's): the caller
 * then uses tsx.
 */
async function importTypeScript(file: string): Promise<Record<string, unknown> | undefined> {
  const esbuildVersion = (() => {
    try {
      return JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('esbuild')), '..', 'package.json'), 'utf8')).version as string;
    } catch {
      return undefined;
    }
  })();
  if (esbuildVersion === undefined) return undefined;
  const dir = cacheDir();
  const key = createHash('sha256').update(JSON.stringify([CACHE_FORMAT, esbuildVersion, process.versions.node.split('.')[0], file])).digest('hex').slice(0, 32);
  let code = dir === undefined ? undefined : cachedCompile(dir, key);
  let scratch: string | undefined;
  if (code === undefined) {
    const startedAtMs = Date.now();
    const compiled = await compileTypeScript(file);
    if (compiled === undefined || compiled.importMetaIn !== undefined) return undefined;
    const name = `${basename(file).replace(/\.[^.]*$/, '')}-${createHash('sha256').update(compiled.code).digest('hex').slice(0, 16)}.mjs`;
    const inputs = compiled.inputs.map(fileIdentity);
    // A file saved while (or just before) esbuild read it may hold other text than was compiled, with an mtime
    // that a coarse clock (1–2 s on some file systems) does not tell apart: such a compile is used, not kept.
    const settled = inputs.every((x) => x !== undefined && x[1] < startedAtMs - 2000);
    try {
      if (dir === undefined) throw new Error('no cache folder');
      code = join(dir, name);
      if (!existsSync(code)) writeAtomic(code, compiled.code);
      if (settled) {
        const entryFile = join(dir, `${key}.json`);
        const before = existsSync(entryFile) ? (JSON.parse(readFileSync(entryFile, 'utf8')) as Partial<CacheEntry>).code : undefined;
        writeAtomic(entryFile, JSON.stringify({ code: name, inputs: inputs as CacheEntry['inputs'] } satisfies CacheEntry));
        if (typeof before === 'string' && before !== name && !before.includes('/')) rmSync(join(dir, before), { force: true }); // the compile it replaces
      }
    } catch {
      scratch = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
      code = join(scratch, name);
      writeFileSync(code, compiled.code);
    }
  }
  process.setSourceMapsEnabled(true);
  try {
    return (await import(pathToFileURL(code).href)) as Record<string, unknown>;
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Imports a user's module. A `.ts`/`.mts` file is compiled by esbuild ({@link importTypeScript}: ~60 ms the first
 * time, a few stats once cached) or, where that does not apply, through tsx's scoped `tsImport` (no global loader;
 * ~150 ms, mostly its loader thread).
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(url)) {
    const fast = await importTypeScript(fileURLToPath(url));
    if (fast !== undefined) return fast;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/**
 * An error's message; for Node's SyntaxError in a JavaScript module (whose message names no file or line), esbuild's
 * `file:line:column: message` when esbuild finds the error too, as a .ts module's syntax error reads.
 */
async function locatedSyntaxError(file: string, err: unknown): Promise<string> {
  const message = (err as Error).message;
  if (!(err instanceof SyntaxError) || /\.m?ts$/.test(file)) return message;
  try {
    await compileTypeScript(file);
  } catch (located) {
    return (located as Error).message;
  }
  return message;
}

/** A strategy factory and how messages name it: its name, and its file for a user module. */
export interface LoadedStrategy {
  readonly factory: LpStrategyFactory<Record<string, unknown>>;
  readonly label: string;
}

/**
 * A strategy module's export: `export default defineStrategy({...})`, a plain object `{ name, description, defaults,
 * create }` (no import needed: defineStrategy only adds types and validation), or `export const strategy = …`.
 * A module compiled as CommonJS (a .ts file in a folder without package.json) nests it under `default` once more.
 */
function factoryOf(mod: Record<string, unknown>, file: string): LpStrategyFactory<Record<string, unknown>> {
  let f: unknown = mod.default ?? mod.strategy;
  if (!isFactory(f) && typeof f === 'object' && f !== null) {
    const inner = (f as Record<string, unknown>).default ?? (f as Record<string, unknown>).strategy;
    if (isFactory(inner)) f = inner;
  }
  if (!isFactory(f)) throw new ConfigError('--strategy', `${file} must export default a strategy: defineStrategy({ name, description, defaults, create }) or a plain object with those keys`);
  const o = f as LpStrategyFactory<Record<string, unknown>>;
  const defaults = (o as { defaults?: unknown }).defaults ?? {};
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) throw new ConfigError('--strategy', `${file}: defaults must be an object of parameter defaults; was ${JSON.stringify(defaults)}`);
  return { ...o, name: o.name, description: typeof o.description === 'string' ? o.description : '', defaults, create: o.create.bind(o) } as LpStrategyFactory<Record<string, unknown>>;
}

/** {@link loadStrategyFactory} with the label messages use (`name (file)` for a module). */
export async function loadStrategy(nameOrPath: string): Promise<LoadedStrategy> {
  const factory = await loadStrategyFactory(nameOrPath);
  return { factory, label: BUILTIN_STRATEGIES.has(nameOrPath) ? nameOrPath : `${factory.name} (${nameOrPath})` };
}

/**
 * A built-in strategy by name, or a user's module by path (anything containing `/` or ending in .ts/.js/.mjs).
 * A module must `export default defineStrategy({...})` (see README "Writing a strategy").
 */
export async function loadStrategyFactory(nameOrPath: string): Promise<LpStrategyFactory<Record<string, unknown>>> {
  const builtin = BUILTIN_STRATEGIES.get(nameOrPath);
  if (builtin !== undefined) return builtin;
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.(m?[jt]s)$/.test(nameOrPath);
  if (!looksLikePath) {
    throw new ConfigError('--strategy', `unknown strategy "${nameOrPath}"; built-ins are ${[...BUILTIN_STRATEGIES.keys()].join(', ')}, or give a path to a module`);
  }
  const abs = resolve(nameOrPath);
  if (!existsSync(abs)) throw new ConfigError('--strategy', `no such strategy module: ${nameOrPath}`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(pathToFileURL(abs).href);
  } catch (err) {
    throw new ConfigError('--strategy', `could not load ${nameOrPath}: ${await locatedSyntaxError(abs, err)}`, { cause: err });
  }
  return factoryOf(mod, nameOrPath);
}
