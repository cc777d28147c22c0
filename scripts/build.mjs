// Bundles the CLI into dist/ (ESM, code-split so each command loads only when run; npm packages stay
// external). Run by `npm run build`, by npm's `prepare` (so `npm ci` builds it) and before every test run.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['scripts/bin.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  packages: 'external',
  logLevel: 'warning',
});
