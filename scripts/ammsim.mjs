#!/usr/bin/env node
// Installed entry point: loads the TypeScript CLI through tsx's ESM loader.
import { register } from 'tsx/esm/api';
import { hideBin } from 'yargs/helpers';

register();
const { run } = await import('./cli.ts');
await run(hideBin(process.argv));
