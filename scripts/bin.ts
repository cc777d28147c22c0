/**
 * Entry point of the prebuilt CLI (`npm run build` bundles it into dist/ with esbuild; `scripts/ammsim.mjs`
 * runs dist/bin.js when it exists). Commands stay in separate chunks, loaded only when run.
 */
import { hideBin } from 'yargs/helpers';
import { run } from './cli.ts';

await run(hideBin(process.argv));
