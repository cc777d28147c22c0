// Bundles the CLI into dist/ (ESM, code-split so each command loads only when run; npm packages stay
// external). Run by `npm run build`, by npm's `prepare` (so `npm ci` builds it), by `prepack` (so `npm pack`
// and `npm publish` ship dist/, listed in package.json `files`), before every test run, and by
// scripts/ammsim.mjs when a source is newer than the bundle.
//
// dist/ is never emptied: the bundle is built into a temporary folder, then each file is renamed into dist/
// (entries last), so a CLI started meanwhile, by another terminal or a parallel test, never finds its chunks
// gone; files of the build before last are removed (a process still running loads its chunks well within one
// build's time). Other files in dist/ (the library build: dist/index.js, its record dist/.lib-build.json and
// dist/types, scripts/buildLib.mjs) are left alone.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let build;
try {
  ({ build } = await import('esbuild'));
} catch (err) {
  // esbuild is a devDependency: a package installed from a tarball or git runs `prepare` without it. The
  // shipped dist/ is then used as it is (or, without one, scripts/ammsim.mjs runs the sources through tsx).
  if (process.env.npm_lifecycle_event === 'prepare') {
    console.error(`ammsim build skipped: esbuild is not installed (${existsSync('dist/bin.js') ? 'using the shipped dist/' : 'the CLI will run from its sources through tsx'})`);
    process.exit(0);
  }
  throw err;
}

const ENTRIES = { bin: 'scripts/bin.ts', 'sweep-worker': 'runs/sweep/worker.ts' };

// yargs' dependencies (cliui, wrap-ansi, string-width) each make an Intl.Segmenter when imported; the first one loads
// ICU's segmentation data, ~20 ms of every run, and string-width's /^\p{RGI_Emoji}$/v builds the emoji set, ~8 ms,
// though only help and error output measure text. Made on first use instead (the regex only where the file uses it
// through .test alone; a file that no longer matches is bundled unchanged).
const lazySegmenter = {
  name: 'lazy-intl-segmenter',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/](.*[\\/])?string-width[\\/]index\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8').replace(
        /^const (\w+) = new Intl\.Segmenter\(\);$/m,
        (_, name) => `let ${name}Made;\nconst ${name} = { segment: (text) => (${name}Made ??= new Intl.Segmenter()).segment(text) };`,
      );
      text = text.replace(/^const (\w+) = (\/\^\\p\{RGI_Emoji\}\$\/v);$/m, (line, name, literal) => {
        const uses = text.split(name).length - 1;
        const tests = text.split(`${name}.test(`).length - 1;
        return uses === tests + 1 ? `let ${name}Made;\nconst ${name} = { test: (s) => (${name}Made ??= ${literal}).test(s) };` : line;
      });
      return { contents: text, loader: 'js' };
    });
  },
};
const MANIFEST = join('dist', '.cli-build.json');
mkdirSync('dist', { recursive: true });
const staging = join('dist', `.build-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
// scripts/ammsim.mjs decides whether dist/ is stale from the manifest: the sources read (esbuild's metafile) and
// when, so it stats those files only. The clock is read before esbuild reads them: a file saved during the build
// is newer than the build and triggers the next one.
const startedAtMs = Date.now();
const { metafile } = await build({
  metafile: true,
  plugins: [lazySegmenter],
  // the sweep's worker-thread module is an entry of its own: piscina loads dist/sweep-worker.js by path
  entryPoints: ENTRIES,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: staging,
  // Small runtime libraries are bundled in: loading apache-arrow as ~300 separate ES modules took ~90 ms and
  // yargs ~50 ms of every run; bundled (and tree-shaken) they load in a fraction of that. Heavy libraries that
  // only some commands use, and tsx (which loads user strategy files), stay in node_modules.
  external: ['vega', 'vega-lite', 'vega-embed', 'viem', '@ethereumjs/*', 'tsx', 'tsx/*', 'playwright-core', 'vitest', 'fast-check', 'ajv', 'piscina', 'esbuild'],
  // jsonc-parser's "main" is a UMD build whose inner require()s a bundle cannot follow; its ES build (the
  // package's "module", which Node itself does not read) bundles and tree-shakes like any ES module
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
});

// into place: chunks first, then the entries that import them
const built = readdirSync(staging);
const entryFiles = new Set(Object.keys(ENTRIES).map((e) => `${e}.js`));
for (const f of [...built.filter((f) => !entryFiles.has(f)), ...built.filter((f) => entryFiles.has(f))]) renameSync(join(staging, f), join('dist', f));
rmSync(staging, { recursive: true, force: true });

// keep this build's files and the previous build's; remove older ones
let previous;
try {
  previous = JSON.parse(readFileSync(MANIFEST, 'utf8'));
} catch {
  previous = undefined; // no manifest: a dist/ from before manifests, or none
}
// `npm run build` (also run by prepack) and npm ci's prepare keep nothing stale: the package ships what was built
const packaging = ['build', 'prepack', 'prepare'].includes(process.env.npm_lifecycle_event ?? '');
const keep = new Set(packaging ? built : [...built, ...(previous?.current ?? [])]);
const stale = previous === undefined || packaging
  ? readdirSync('dist').filter((f) => /-[A-Z0-9]{8}\.js$/.test(f)) // esbuild's hashed chunk names; the library's index.js is not one
  : [...(previous.previous ?? []), ...(previous.current ?? [])];
for (const f of stale) if (!keep.has(f)) rmSync(join('dist', f), { force: true });
const inputs = Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes('/node_modules/')).sort();
writeFileSync(MANIFEST, JSON.stringify({ current: built.sort(), previous: previous?.current ?? [], startedAtMs, inputs }) + '\n');
