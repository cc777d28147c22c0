// Builds the library entry (package.json `exports` "."): dist/index.js (ESM, npm packages external) and its
// type declarations in dist/types (tsc, declarations only). Run after scripts/build.mjs by `npm run build`.
//
// `--js`: dist/index.js alone, no declarations (~0.4 s instead of tsc's seconds). strategies/registry.ts runs this in
// a checkout when a user strategy module imports 'ammsim' and dist/index.js is older than its sources, so the module
// never links to a library older than the CLI running it.
//
// dist/index.js is built into a temporary folder in dist/ and renamed into place, so a process that imports it
// meanwhile (another terminal, a parallel test, a concurrent rebuild) gets the old file or the new one, never part of
// one. dist/.lib-build.json, written the same way after it, records what the build read (esbuild's metafile), when it
// started, and which file it wrote (inode, size, modification time): strategies/registry.ts stats those to tell
// whether dist/index.js is current, and a dist/index.js that is not the one recorded (another build's, or written by
// hand) is not.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const jsOnly = process.argv.includes('--js');

let build;
try {
  ({ build } = await import('esbuild'));
} catch (err) {
  // esbuild is a devDependency: a package installed from a tarball or git can run `prepare` without it (as
  // scripts/build.mjs says); the shipped dist/index.js, if any, is used as it is.
  if (process.env.npm_lifecycle_event === 'prepare') {
    console.error(`ammsim library build skipped: esbuild is not installed (${existsSync(join(root, 'dist', 'index.js')) ? 'using the shipped dist/index.js' : "a strategy module importing 'ammsim' will not find the library"})`);
    process.exit(0);
  }
  throw err;
}

const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
const staging = join(dist, `.lib-build-${process.pid}-${randomBytes(4).toString('hex')}`);
// read before esbuild reads the sources: a file saved during the build is newer than the build, and triggers the next
const startedAtMs = Date.now();
try {
  let metafile;
  try {
    ({ metafile } = await build({
      absWorkingDir: root,
      entryPoints: { index: 'index.ts' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: staging,
      packages: 'external',
      metafile: true,
      logLevel: jsOnly ? 'silent' : 'warning',
    }));
  } catch (err) {
    // --js is run by strategies/registry.ts, which shows what this prints: the errors alone, `file:line:column: text`,
    // the file's path absolute (the user's run is in a folder of theirs, not the checkout)
    if (!jsOnly || !Array.isArray(err?.errors)) throw err;
    for (const e of err.errors) process.stderr.write(`${e.location === null ? '' : `${join(root, e.location.file)}:${e.location.line}:${e.location.column + 1}: `}${e.text}\n`);
    rmSync(staging, { recursive: true, force: true });
    process.exit(1);
  }
  const built = join(staging, 'index.js');
  const st = statSync(built, { bigint: true });
  renameSync(built, join(dist, 'index.js'));
  const inputs = Object.keys(metafile.inputs).filter((f) => !f.startsWith('node_modules/') && !f.includes('/node_modules/')).sort();
  const output = { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) };
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify({ startedAtMs, output, inputs }) + '\n');
  renameSync(join(staging, 'manifest.json'), join(dist, '.lib-build.json'));
} finally {
  rmSync(staging, { recursive: true, force: true });
}

if (!jsOnly) {
  const req = createRequire(import.meta.url);
  const tsc = join(dirname(req.resolve('typescript/package.json')), req('typescript/package.json').bin.tsc);
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // tsc writes the declarations even when the project has a type error; `npm run typecheck` is where type errors
    // fail the build. The test set-up (AMMSIM_BUILD_LENIENT=1) keeps going so one error does not hide every test result.
    if (process.env.AMMSIM_BUILD_LENIENT !== '1') {
      process.stderr.write(String(err.stdout ?? '') + String(err.stderr ?? ''));
      throw err;
    }
  }
}
