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
  if (/\.m?ts$/.test(url)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
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
  if (!isFactory(f)) throw new ConfigError('--strategy', `${file} must export default a strategy: defineStrategy({ name, description, defaults, create }) or a plain object with those keys`);
  const o = f as LpStrategyFactory<Record<string, unknown>>;
  const defaults = (o as { defaults?: unknown }).defaults ?? {};
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) throw new ConfigError('--strategy', `${file}: defaults must be an object of parameter defaults; was ${JSON.stringify(defaults)}`);
  return { ...o, name: o.name, description: typeof o.description === 'string' ? o.description : '', defaults, create: o.create.bind(o) } as LpStrategyFactory<Record<string, unknown>>;
}

/** {@link loadStrategyFactory} with the label messages use (`name (file)` for a module). */
export async function loadStrategy(nameOrPath: string): Promise<LoadedStrategy> {
  const factory = await loadStrategyFactory(nameOrPath);
  return { factory, label: BUILTIN_STRATEGIES.has(nameOrPath) ? nameOrPath : `${factory.name} (${nameOrPath})` };
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
  return factoryOf(mod, nameOrPath);
}
