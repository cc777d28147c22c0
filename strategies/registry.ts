import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { STRATEGY_KEYS, strategyDefinitionProblem } from './define.ts';

/** The registry's own table of the built-in LP strategies (frozen factories), by CLI name, in `--help` order. */
const BUILTINS: ReadonlyMap<string, LpStrategyFactory<Record<string, unknown>>> = new Map(
  [holdStrategy, fullRangeStrategy, rangeStrategy, rebalanceStrategy, adaptiveStrategy].map((f) => [f.name, Object.freeze(f) as LpStrategyFactory<Record<string, unknown>>]),
);

/**
 * A read-only view of a map: the ReadonlyMap methods only (no `set`, `delete`, `clear`), frozen, so a caller holding
 * it cannot change what the owner of the map looks up.
 */
class ReadonlyMapView<K, V> implements ReadonlyMap<K, V> {
  readonly #map: ReadonlyMap<K, V>;
  constructor(map: ReadonlyMap<K, V>) {
    this.#map = map;
    Object.freeze(this);
  }
  get size(): number {
    return this.#map.size;
  }
  get(key: K): V | undefined {
    return this.#map.get(key);
  }
  has(key: K): boolean {
    return this.#map.has(key);
  }
  forEach(callbackfn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.#map.forEach((value, key) => callbackfn.call(thisArg, value, key, this));
  }
  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }
  keys(): MapIterator<K> {
    return this.#map.keys();
  }
  values(): MapIterator<V> {
    return this.#map.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map[Symbol.iterator]();
  }
  get [Symbol.toStringTag](): string {
    return 'ReadonlyMap';
  }
}
Object.freeze(ReadonlyMapView.prototype);

/**
 * The built-in LP strategies, by CLI name, in `--help` order: a read-only view of the registry's table (its
 * factories frozen), so library code cannot re-route or remove what `--strategy <name>` loads.
 */
export const BUILTIN_STRATEGIES: ReadonlyMap<string, LpStrategyFactory<Record<string, unknown>>> = new ReadonlyMapView(BUILTINS);

function isFactory(x: unknown): x is LpStrategyFactory<Record<string, unknown>> {
  return typeof x === 'object' && x !== null && typeof (x as { create?: unknown }).create === 'function' && typeof (x as { name?: unknown }).name === 'string';
}

/** The module, and the one of its files that reads `import.meta` (which the fast path cannot keep). */
interface CompiledModule {
  readonly code: Uint8Array;
  readonly importMetaIn: string | undefined;
  /** Whether it imports the running ammsim's library ({@link ammsimIsOwn}), which {@link makeLibraryCurrent} keeps current. */
  readonly ownLibrary: boolean;
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

let ownEntry: { readonly root: string | undefined; readonly path: string | undefined } | undefined;

/** A folder's package.json, `undefined` when it has none (or not one that parses). */
function packageJsonIn(dir: string): { name?: unknown; exports?: { '.'?: { import?: unknown } } } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as ReturnType<typeof packageJsonIn>;
  } catch {
    return undefined;
  }
}

/** The library entry of the ammsim package in `root` (its package.json `exports` "." `import`, dist/index.js), built or not. */
function libraryEntryIn(root: string): string {
  const rel = packageJsonIn(root)?.exports?.['.']?.import;
  return resolve(root, typeof rel === 'string' ? rel : join('dist', 'index.js'));
}

/**
 * The running ammsim's package folder and its library entry (package.json `exports` "." `import`, dist/index.js),
 * found by walking up from this file to the folder whose package.json is ammsim's: this file is
 * strategies/registry.ts in a checkout, a chunk of the CLI bundle (dist/chunk-….js) or the library bundle
 * (dist/index.js), in a checkout or an installed package alike. `path` is `undefined` when that file is not there (a
 * checkout where the library was never built: `node scripts/build.mjs` builds the CLI alone).
 */
function ownPackage(): { readonly root: string | undefined; readonly path: string | undefined } {
  if (ownEntry !== undefined) return ownEntry;
  let root: string | undefined;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (packageJsonIn(dir)?.name === 'ammsim') {
      root = dir;
      break;
    }
    if (dirname(dir) === dir) break;
  }
  const file = root === undefined ? undefined : libraryEntryIn(root);
  ownEntry = { root, path: file !== undefined && existsSync(file) ? file : undefined };
  return ownEntry;
}

/** The library entry of the ammsim that is running ({@link ownPackage}), `undefined` when it is not built. */
function ownLibraryEntry(): string | undefined {
  return ownPackage().path;
}

/**
 * The ammsim package folder that `import 'ammsim'` from `dir` reaches as Node looks: the package `dir` is in, when it
 * is ammsim (a module inside a checkout), else `node_modules/ammsim` up the folders (`npm install <checkout>` links
 * one). `undefined` when there is none.
 */
function ammsimBeside(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const pkg = packageJsonIn(d);
    if (pkg !== undefined) {
      if (pkg.name === 'ammsim') return d;
      break; // the module's own package is another: its name is not ammsim's
    }
    if (dirname(d) === d) break;
  }
  for (let d = dir; ; d = dirname(d)) {
    if (basename(d) !== 'node_modules' && existsSync(join(d, 'node_modules', 'ammsim', 'package.json'))) return join(d, 'node_modules', 'ammsim');
    if (dirname(d) === d) return undefined;
  }
}


/**
 * Why `import 'ammsim'` from a module in `dir` finds no library, and what to run, when that is because a library is
 * not built (the running ammsim's, when no ammsim is beside the module, or the one beside it): `undefined` otherwise.
 * Only called when the running ammsim's own library is not built either (else the module gets that one).
 */
function unbuiltAmmsimHint(dir: string): string | undefined {
  const own = ownPackage().root;
  const ownEntryText = own === undefined ? 'dist/index.js' : relative(own, libraryEntryIn(own));
  const runIn = (root: string | undefined): string => `run npm run build${root === undefined ? '' : ` in ${root}`}`;
  const beside = ammsimBeside(dir);
  if (beside === undefined) return `no ammsim installed beside the module, and this ammsim's library, ${ownEntryText}, is not built: ${runIn(own)}`;
  const entry = libraryEntryIn(beside);
  if (existsSync(entry)) return undefined; // built: some other reason
  const real = realSource(beside);
  if (own !== undefined && real === realSource(own)) return `this ammsim's library, ${ownEntryText}, is not built: ${runIn(real)}`;
  return `the ammsim beside the module, ${beside}${real === beside ? '' : ` (${real})`}, is not built: its library, ${relative(beside, entry)}, is missing, as is this ammsim's: ${runIn(real)}`;
}

/**
 * Whether `import 'ammsim'` from a module in `dir` is the running ammsim's library: the ammsim beside the module (the
 * module inside the checkout, or in a project linking it) is this one, or, with `orNone`, there is none (the fallback
 * of a compiled module, {@link ownLibraryEntry}; Node itself then finds no 'ammsim' at all).
 */
function ammsimIsOwn(dir: string, orNone: boolean): boolean {
  const own = ownPackage().root;
  if (own === undefined) return false;
  const beside = ammsimBeside(dir);
  return beside === undefined ? orNone : realSource(beside) === realSource(own);
}

let rebuildable: { readonly root: string | undefined } | undefined;

/**
 * The running ammsim's package folder when its library may be rebuilt here: a checkout (a .git folder beside
 * package.json) with esbuild installed, as scripts/ammsim.mjs judges for the CLI bundle, and this code not the
 * library bundle itself (a program running dist/index.js shares that one instance with the modules it loads, which a
 * rebuild would not change). `undefined` otherwise: an installed package is never rebuilt.
 */
function rebuildableRoot(): string | undefined {
  if (rebuildable === undefined) {
    const root = ownPackage().root;
    const ok = root !== undefined && existsSync(join(root, '.git')) && existsSync(join(root, 'node_modules', 'esbuild')) && fileURLToPath(import.meta.url) !== join(root, 'dist', 'index.js');
    rebuildable = { root: ok ? root : undefined };
  }
  return rebuildable.root;
}

/**
 * Whether `root`'s library, dist/index.js, is older than its sources, judged from the record its build left
 * (dist/.lib-build.json, scripts/buildLib.mjs): a source saved after the build started, or gone; a dist/index.js that
 * is not the file the build wrote (inode, size, modification time: another build's, or one written by hand); no
 * record, or a torn one. One small read and a stat per source (~125 files, ~2 ms).
 */
function libraryIsStale(root: string): boolean {
  let record: { startedAtMs?: unknown; output?: { ino?: unknown; size?: unknown; mtimeNs?: unknown } | null; inputs?: unknown } | null;
  try {
    record = JSON.parse(readFileSync(join(root, 'dist', '.lib-build.json'), 'utf8')) as typeof record;
  } catch {
    return true;
  }
  if (typeof record !== 'object' || record === null) return true;
  const { startedAtMs, output, inputs } = record;
  if (typeof startedAtMs !== 'number' || typeof output !== 'object' || output === null || !Array.isArray(inputs) || inputs.length === 0) return true;
  const st = statSync(join(root, 'dist', 'index.js'), { bigint: true, throwIfNoEntry: false });
  if (st === undefined || String(st.ino) !== output.ino || String(st.size) !== output.size || String(st.mtimeNs) !== output.mtimeNs) return true;
  for (const f of inputs) {
    if (typeof f !== 'string') return true;
    const source = statSync(join(root, f), { throwIfNoEntry: false });
    if (source === undefined || source.mtimeMs > startedAtMs) return true;
  }
  return false;
}

let libraryCurrent: Promise<void> | undefined;

/**
 * Makes the running ammsim's library current before a user module links to it. In a checkout ({@link rebuildableRoot})
 * a library older than its sources ({@link libraryIsStale}), or none, is rebuilt: `scripts/buildLib.mjs --js`, the
 * JavaScript alone (~0.4 s; the declarations in dist/types are `npm run build`'s), built aside and renamed into place,
 * so a run importing it meanwhile never sees part of a file. scripts/ammsim.mjs rebuilds only the CLI bundle, and
 * without this a module's `import 'ammsim'` would get the library as the last `npm run build` left it while the CLI
 * runs the edited sources. Called only where a module imports this ammsim's library, so a run without one pays
 * nothing; once a process. Rejects, saying why, when the build fails (a source that does not compile, say).
 */
function makeLibraryCurrent(): Promise<void> {
  libraryCurrent ??= (async () => {
    const root = rebuildableRoot();
    if (root === undefined || !libraryIsStale(root)) return;
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    try {
      await promisify(execFile)(process.execPath, [join(root, 'scripts', 'buildLib.mjs'), '--js'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const said = String((err as { stderr?: unknown }).stderr ?? '').trim().replace(/\n/g, '; ');
      throw new Error(`ammsim's library, ${join(root, 'dist', 'index.js')}, could not be rebuilt from its sources: ${said === '' ? (err as Error).message : said}`, { cause: err });
    }
    ownEntry = undefined; // found again: it may not have been built before
  })();
  return libraryCurrent;
}

/**
 * Compiles a user's TypeScript module with esbuild (already installed: the build uses it, and tsx depends on it)
 * into one ESM file: the module and the files it imports by relative path (TypeScript or JavaScript) are bundled;
 * packages and Node built-ins stay imports, each package resolved from the importing file's folder (Node's
 * conditions: `import`, `node`, `default`; `main`, never `module`) to an absolute URL, so the compiled file can
 * live anywhere; `'ammsim'` where that folder has none is the running ammsim's library ({@link ownLibraryEntry}). ESM semantics: the module is ESM whatever package.json says, as under tsx. `undefined` when
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
  let ownLibrary = false;
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
            if (spec === 'ammsim' && ammsimIsOwn(args.resolveDir, true)) {
              // this ammsim's library: rebuilt first when older than its sources (in a checkout), or not built
              ownLibrary = true;
              try {
                await makeLibraryCurrent();
              } catch (err) {
                return { errors: [{ text: (err as Error).message }] };
              }
            }
            const r = await b.resolve(spec, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: RESOLVING });
            if (r.errors.length > 0) {
              // `import … from 'ammsim'` in a module outside any project that installs ammsim (ammsim installed
              // globally, or run from a checkout): this ammsim's own library, as the module's folder would give
              const own = spec === 'ammsim' ? ownLibraryEntry() : undefined;
              if (own !== undefined) return { path: pathToFileURL(own).href, external: true };
              // a library never built (dist/index.js: `node scripts/build.mjs` builds the CLI alone), this ammsim's or
              // the one beside the module: say which, and how to build it
              const hint = spec === 'ammsim' ? unbuiltAmmsimHint(args.resolveDir) : undefined;
              if (hint !== undefined) return { errors: r.errors.map((e) => ({ ...e, text: `${e.text} (${hint})` })) };
              return { errors: r.errors };
            }
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
  return { code: withAbsoluteSources(result.outputFiles[0]!.contents), importMetaIn, ownLibrary, inputs: Object.keys(result.metafile.inputs).map((f) => resolve(f)) };
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

/**
 * A file's identity: device, inode, size, modification and change times (to the nanosecond, as decimal strings), as
 * data/io/seriesCache.ts keeps it. An edit that keeps the size and sets the modification time back (`touch -d`) still
 * changes the change time, which no tool sets back; a file replaced by another (a rename over it) changes the inode.
 */
type FileIdentity = readonly [path: string, dev: string, ino: string, size: string, mtimeNs: string, ctimeNs: string];

/** A cache entry: whose compile it is, the compiled file and its hash, and each input's identity when it was compiled. */
interface CacheEntry {
  /** The module's real path (symlinks resolved), which the entry's key is made from: any other module's entry is a miss. */
  readonly source: string;
  /** The compiled file's name in the cache folder. */
  readonly code: string;
  /** sha256 (hex) of the compiled file: a torn or altered file is a miss. */
  readonly codeHash: string;
  readonly inputs: readonly FileIdentity[];
  /** Whether the module imports the running ammsim's library: a run that imports the kept file makes it current first. */
  readonly ownLibrary: boolean;
}

/**
 * What makes a compiled file differ besides its sources: this loader, esbuild's version, Node's major, and which
 * ammsim compiled it (an `import 'ammsim'` that the module's folder does not resolve is that ammsim's library).
 */
const CACHE_FORMAT = 3;

function fileIdentity(path: string): FileIdentity | undefined {
  const st = statSync(path, { bigint: true, throwIfNoEntry: false });
  return st === undefined ? undefined : [path, String(st.dev), String(st.ino), String(st.size), String(st.mtimeNs), String(st.ctimeNs)];
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** sha256 (hex) of a file's bytes, `undefined` when it cannot be read. */
function fileHash(path: string): string | undefined {
  try {
    return sha256(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** A compiled module, where it is, and its hash (which names it: the same code is the same file). */
interface CompiledFile {
  readonly path: string;
  readonly hash: string;
}

/**
 * The cached compile of the module whose real path is `source`, when the entry is that module's, none of its inputs
 * changed since (one stat each) and the compiled file is whole (its hash), else `undefined`: a torn, stale or foreign
 * entry is a miss, never an error.
 */
function cachedCompile(dir: string, key: string, source: string): (CompiledFile & { readonly ownLibrary: boolean }) | undefined {
  let entry: Partial<CacheEntry> | null;
  try {
    entry = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Partial<CacheEntry> | null;
  } catch {
    return undefined; // none yet, or torn
  }
  if (typeof entry !== 'object' || entry === null || entry.source !== source) return undefined;
  const { code, codeHash, inputs, ownLibrary } = entry;
  if (typeof code !== 'string' || !/^[^/\\]+\.mjs$/.test(code) || typeof codeHash !== 'string' || !Array.isArray(inputs) || typeof ownLibrary !== 'boolean') return undefined;
  if (!inputs.some((input) => Array.isArray(input) && input[0] === source)) return undefined;
  for (const input of inputs) {
    if (!Array.isArray(input) || typeof input[0] !== 'string') return undefined;
    const now = fileIdentity(input[0]);
    if (now === undefined || now.length !== input.length || now.some((x, i) => x !== input[i])) return undefined;
  }
  const path = join(dir, code);
  return fileHash(path) === codeHash ? { path, hash: codeHash, ownLibrary } : undefined;
}

/**
 * Writes `data` to `path` whole or not at all (a temporary name, then a rename). The temporary name has a random part
 * besides the PID (processes in other PID namespaces, containers sharing the folder, can have this one's) and is
 * created exclusively: a name already taken fails the write, never writes through what is there. Exported for its tests.
 */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The module's real path, symlinks resolved (the cache's key: a link retargeted is another module). */
function realSource(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
}

/**
 * Compiles `file` ({@link compileTypeScript}) and keeps the compile in `dir` under `key` for the module whose real
 * path is `source`, when its files had settled and it is that module's compile (a link retargeted while esbuild read
 * it is not). `undefined` when the fast path does not apply (see {@link importTypeScript}).
 */
async function compileAndKeep(file: string, source: string, dir: string | undefined, keyOf: () => string): Promise<(CompiledFile & { readonly scratch?: string }) | undefined> {
  const startedAtMs = Date.now();
  const compiled = await compileTypeScript(file);
  if (compiled === undefined || compiled.importMetaIn !== undefined) return undefined;
  const hash = sha256(compiled.code);
  const name = `${basename(source).replace(/\.[^.]*$/, '')}-${hash.slice(0, 16)}.mjs`;
  const inputs = compiled.inputs.map(fileIdentity);
  // A file saved while (or just before) esbuild read it may hold other text than was compiled, with an mtime
  // that a coarse clock (1–2 s on some file systems) does not tell apart: such a compile is used, not kept.
  const settledBeforeNs = BigInt(startedAtMs - 2000) * 1_000_000n;
  const settled = inputs.every((x) => x !== undefined && BigInt(x[4]) < settledBeforeNs);
  try {
    if (dir === undefined) throw new Error('no cache folder');
    const path = join(dir, name);
    if (fileHash(path) !== hash) writeAtomic(path, compiled.code); // none yet, or torn
    if (settled && compiled.inputs.includes(source)) {
      // the key after the compile: one that built the library (none before) is found under the key of the next run
      const entryFile = join(dir, `${keyOf()}.json`);
      const before = (() => {
        try {
          return JSON.parse(readFileSync(entryFile, 'utf8')) as Partial<CacheEntry> | null;
        } catch {
          return undefined;
        }
      })();
      writeAtomic(entryFile, JSON.stringify({ source, code: name, codeHash: hash, inputs: inputs as FileIdentity[], ownLibrary: compiled.ownLibrary } satisfies CacheEntry));
      // the compile it replaces (this module's only: a foreign entry names another module's file)
      const old = typeof before === 'object' && before !== null && before.source === source ? before.code : undefined;
      if (typeof old === 'string' && old !== name && /^[^/\\]+\.mjs$/.test(old)) rmSync(join(dir, old), { force: true });
    }
    return { path, hash };
  } catch {
    const scratch = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const path = join(scratch, name);
    writeFileSync(path, compiled.code);
    return { path, hash, scratch };
  }
}

/** Imports a compiled module (its scratch folder, if any, removed after). */
async function importCompiled(compiled: CompiledFile & { readonly scratch?: string }): Promise<Record<string, unknown>> {
  process.setSourceMapsEnabled(true);
  try {
    return (await import(pathToFileURL(compiled.path).href)) as Record<string, unknown>;
  } finally {
    if (compiled.scratch !== undefined) rmSync(compiled.scratch, { recursive: true, force: true });
  }
}

/**
 * Imports a user's TypeScript module through {@link compileTypeScript}. The compiled file (its inline source map
 * keeps stack traces pointing at the user's lines) is kept in {@link cacheDir}, under the module's real path, with
 * its hash and the identity (device, inode, size, modification and change times) of every file compiled into it: the
 * next run that finds them unchanged, and the compiled file whole, imports it without loading esbuild at all; any
 * mismatch compiles again, as does a kept compile that fails to import (a package it imports moved, say) unless the
 * fresh compile is the same code (the module's own error, reported as it is, the module evaluated once).
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
  const source = realSource(file);
  const keyOf = (): string => sha256(JSON.stringify([CACHE_FORMAT, esbuildVersion, process.versions.node.split('.')[0], source, ownLibraryEntry() ?? null])).slice(0, 32);
  const cached = dir === undefined ? undefined : cachedCompile(dir, keyOf(), source);
  if (cached !== undefined) {
    // imported without esbuild, so without its resolving 'ammsim': the library is made current here
    if (cached.ownLibrary) await makeLibraryCurrent();
    try {
      return await importCompiled(cached);
    } catch (err) {
      const fresh = await compileAndKeep(file, source, dir, keyOf);
      if (fresh === undefined) return undefined;
      if (fresh.hash === cached.hash) {
        if (fresh.scratch !== undefined) rmSync(fresh.scratch, { recursive: true, force: true });
        throw err;
      }
      return await importCompiled(fresh);
    }
  }
  const fresh = await compileAndKeep(file, source, dir, keyOf);
  return fresh === undefined ? undefined : await importCompiled(fresh);
}

/**
 * Imports a user's module. A `.ts`/`.mts` file is compiled by esbuild ({@link importTypeScript}: ~60 ms the first
 * time, a few stats once cached) or, where that does not apply, through tsx's scoped `tsImport` (no global loader;
 * ~150 ms, mostly its loader thread). A `.js`/`.mjs` file is imported by Node, or compiled by esbuild as well when
 * it imports `'ammsim'` and Node finds no ammsim from its folder. Either way, a module importing the running ammsim's
 * library gets one built from the current sources in a checkout ({@link makeLibraryCurrent}).
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(url)) {
    const fast = await importTypeScript(fileURLToPath(url));
    if (fast !== undefined) return fast;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  // Node links the module's `import 'ammsim'` to the ammsim beside it: when that is this one, in a checkout, its library
  // is made current first. Only for a module that can reach it (inside the checkout, or in a project linking it); one
  // that Node finds no 'ammsim' for is compiled below, which does the same.
  if (rebuildableRoot() !== undefined && ammsimIsOwn(dirname(fileURLToPath(url)), false)) await makeLibraryCurrent();
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    // An ES module importing 'ammsim' where Node finds no ammsim (beside the module, or up its folders), or one whose
    // library is not built (a checkout where `node scripts/build.mjs` alone ran, the module inside it or in a project
    // linking it): the import fails while linking, before any of the module runs; compiled by esbuild instead,
    // 'ammsim' is this ammsim, or the error says what to build.
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && (/^Cannot find package 'ammsim' /.test((err as Error).message) || isUnbuiltAmmsimEntry(err as Error))) {
      const compiled = await importTypeScript(fileURLToPath(url));
      if (compiled !== undefined) return compiled;
      const hint = isUnbuiltAmmsimEntry(err as Error) ? unbuiltAmmsimHint(dirname(fileURLToPath(url))) : undefined;
      if (hint !== undefined) throw new Error(`${(err as Error).message} (${hint})`, { cause: err });
      throw err;
    }
    if ((err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/**
 * Node's "Cannot find module '<ammsim>/dist/index.js'": the module's `import 'ammsim'` reached an ammsim package (its
 * package.json's name) whose library entry is not there.
 */
function isUnbuiltAmmsimEntry(err: Error): boolean {
  const m = /^Cannot find module '(.+)' imported from /.exec(err.message);
  if (m === null) return false;
  const missing = resolve(m[1]!);
  for (let d = dirname(missing); ; d = dirname(d)) {
    const pkg = packageJsonIn(d);
    if (pkg !== undefined) return pkg.name === 'ammsim' && libraryEntryIn(d) === missing;
    if (dirname(d) === d) return false;
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
  // an object with a strategy's keys but something wrong with them (`crate:`, `defaults: 5`, `name: ''`) is named
  // as that, not as a module without a strategy
  const looksLikeOne = typeof f === 'object' && f !== null && STRATEGY_KEYS.some((k) => Object.hasOwn(f as object, k));
  if (!isFactory(f) && !looksLikeOne) throw new ConfigError('--strategy', `${file} must export default a strategy: defineStrategy({ name, description, defaults, create }) or a plain object with those keys`);
  const problem = strategyDefinitionProblem(f);
  if (problem !== undefined) throw new ConfigError('--strategy', `${file}: ${problem}`);
  const o = f as LpStrategyFactory<Record<string, unknown>>;
  const defaults = (o as { defaults?: unknown }).defaults ?? {};
  return { name: o.name, description: typeof o.description === 'string' ? o.description : '', defaults, create: o.create.bind(o) } as LpStrategyFactory<Record<string, unknown>>;
}

/** {@link loadStrategyFactory} with the label messages use (`name (file)` for a module). */
export async function loadStrategy(nameOrPath: string): Promise<LoadedStrategy> {
  const factory = await loadStrategyFactory(nameOrPath);
  return { factory, label: BUILTINS.has(nameOrPath) ? nameOrPath : `${factory.name} (${nameOrPath})` };
}

/**
 * A built-in strategy by name, or a user's module by path (anything containing `/` or ending in .ts/.js/.mjs).
 * A module must `export default defineStrategy({...})` (see README "Writing a strategy").
 */
export async function loadStrategyFactory(nameOrPath: string): Promise<LpStrategyFactory<Record<string, unknown>>> {
  const builtin = BUILTINS.get(nameOrPath);
  if (builtin !== undefined) return builtin;
  if (/\.c[jt]s$/.test(nameOrPath)) {
    throw new ConfigError('--strategy', `${nameOrPath}: a CommonJS module (.cjs, .cts) is not supported; a strategy module is an ES module: .ts, .mts, .js or .mjs`);
  }
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.(m?[jt]s)$/.test(nameOrPath);
  if (!looksLikePath) {
    throw new ConfigError('--strategy', `unknown strategy "${nameOrPath}"; built-ins are ${[...BUILTINS.keys()].join(', ')}, or give a path to a module`);
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
