#!/usr/bin/env node
// Entry point, for `npm run -s ammsim -- …` in a checkout and for an installed `ammsim`. Runs the prebuilt
// bundle (dist/bin.js, made by `npm run build`, which `npm ci` and every test run perform): start-up is ~0.1 s
// instead of compiling the TypeScript sources through tsx on every call. In a checkout (a .git folder beside
// package.json) the bundle is rebuilt first when a source file is newer than it, so an edit is never run stale.
// tsx is loaded only when there is no bundle at all (user .ts strategy modules are compiled by esbuild; see
// strategies/registry.ts). The library (dist/index.js), which a user strategy module gets for `import 'ammsim'`, is
// not checked here: strategies/registry.ts makes it current (scripts/buildLib.mjs --js) when a module imports it, so
// a run without one stats none of its sources.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'bin.js');

/**
 * Whether the bundle is older than its sources, in a checkout. The build records in dist/.cli-build.json the
 * source files it read (esbuild's metafile) and the time it started; a source saved since then, a source gone,
 * or a dependency installed since (node_modules/.package-lock.json) makes it stale. One small read and a stat
 * per source of the bundle (~180 files, ~2 ms), instead of walking the source folders. A new file matters only
 * once a source imports it, and that source is then newer.
 */
function bundleIsStale() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, 'dist', '.cli-build.json'), 'utf8'));
  } catch {
    return true; // no manifest, or a torn one: build
  }
  const since = manifest.startedAtMs;
  if (typeof since !== 'number' || !Array.isArray(manifest.inputs) || !existsSync(bundle)) return true;
  for (const f of manifest.inputs) {
    const st = statSync(join(root, f), { throwIfNoEntry: false });
    if (st === undefined || st.mtimeMs > since) return true;
  }
  const lock = statSync(join(root, 'node_modules', '.package-lock.json'), { throwIfNoEntry: false });
  return lock !== undefined && lock.mtimeMs > since;
}

if (existsSync(join(root, '.git')) && existsSync(join(root, 'node_modules', 'esbuild')) && bundleIsStale()) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
if (existsSync(bundle)) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  const { hideBin } = await import('yargs/helpers');
  register();
  const { run } = await import('./cli.ts');
  await run(hideBin(process.argv));
}
