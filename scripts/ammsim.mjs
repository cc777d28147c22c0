#!/usr/bin/env node
// Entry point, for `npm run -s ammsim -- …` in a checkout and for an installed `ammsim`. Runs the prebuilt
// bundle (dist/bin.js, made by `npm run build`, which `npm ci` and every test run perform): start-up is ~0.1 s
// instead of compiling the TypeScript sources through tsx on every call. In a checkout (a .git folder beside
// package.json) the bundle is rebuilt first when a source file is newer than it, so an edit is never run stale.
// tsx is loaded only to import a user's .ts strategy module (or when there is no bundle at all).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'bin.js');

/** The newest modification time of the sources the bundle is built from (ms), in a checkout. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures' && !e.name.startsWith('.')) walk(join(dir, e.name));
      } else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.test.ts')) {
        const t = statSync(join(dir, e.name)).mtimeMs;
        if (t > newest) newest = t;
      }
    }
  };
  for (const d of ['sim', 'runs', 'strategies', 'data', 'reports', 'scripts']) if (existsSync(join(root, d))) walk(join(root, d));
  return newest;
}

if (existsSync(join(root, '.git')) && existsSync(join(root, 'node_modules', 'esbuild'))) {
  if (!existsSync(bundle) || newestSource() > statSync(bundle).mtimeMs) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
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
