import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../sim/core/errors.ts';
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

/**
 * Imports a user's module. Under tsx or vitest a `.ts` file imports directly; from the prebuilt CLI bundle
 * (plain Node) it goes through tsx's scoped `tsImport`, which compiles it without registering a global loader.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
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
    throw new ConfigError('--strategy', `could not load ${nameOrPath}: ${(err as Error).message}`, { cause: err });
  }
  const f = mod.default ?? mod.strategy;
  if (!isFactory(f)) throw new ConfigError('--strategy', `${nameOrPath} must export default defineStrategy({ name, description, defaults, create })`);
  return f;
}
