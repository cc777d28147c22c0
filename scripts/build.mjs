// Bundles the CLI into dist/ (ESM, code-split so each command loads only when run; npm packages stay
// external). Run by `npm run build`, by npm's `prepare` (so `npm ci` builds it), by `prepack` (so `npm pack`
// and `npm publish` ship dist/, listed in package.json `files`) and before every test run.
import { existsSync, rmSync } from 'node:fs';

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

rmSync('dist', { recursive: true, force: true });
await build({
  // the sweep's worker-thread module is an entry of its own: piscina loads dist/sweep-worker.js by path
  entryPoints: { bin: 'scripts/bin.ts', 'sweep-worker': 'runs/sweep/worker.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  // Small runtime libraries are bundled in: loading apache-arrow as ~300 separate ES modules took ~90 ms and
  // yargs ~50 ms of every run; bundled (and tree-shaken) they load in a fraction of that. Heavy libraries that
  // only some commands use, and tsx (which loads user strategy files), stay in node_modules.
  external: ['vega', 'vega-lite', 'vega-embed', 'viem', '@ethereumjs/*', 'tsx', 'tsx/*', 'playwright-core', 'vitest', 'fast-check', 'ajv', 'piscina'],
  logLevel: 'warning',
});
