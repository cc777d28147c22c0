import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, didYouMean } from '../../sim/core/errors.ts';
import type { HarvestPolicyFactory } from '../../sim/engine/incentives.ts';
import { BUILTIN_HARVEST_POLICIES } from '../../strategies/harvest/builtins.ts';

export interface LoadedHarvestPolicy {
  readonly factory: HarvestPolicyFactory<Record<string, unknown>>;
  /** How messages name it: its name, and its file for a user module. */
  readonly label: string;
}

function isFactory(x: unknown): x is HarvestPolicyFactory<Record<string, unknown>> {
  return typeof x === 'object' && x !== null && typeof (x as { create?: unknown }).create === 'function' && typeof (x as { name?: unknown }).name === 'string';
}

/** A built-in harvest policy by name, or a user module (`export default defineHarvestPolicy({...})`) by path. */
export async function loadHarvestPolicy(nameOrPath: string): Promise<LoadedHarvestPolicy> {
  const b = BUILTIN_HARVEST_POLICIES.get(nameOrPath);
  if (b !== undefined) return { factory: b, label: b.name };
  const looksLikePath = /[\\/]|\.m?[jt]s$/.test(nameOrPath);
  if (!looksLikePath) throw new ConfigError('--harvest', `unknown harvest policy "${nameOrPath}"${didYouMean(nameOrPath, [...BUILTIN_HARVEST_POLICIES.keys()])} (built-ins: ${[...BUILTIN_HARVEST_POLICIES.keys()].join(', ')}, or a path to a module)`);
  const file = resolve(nameOrPath);
  if (!existsSync(file)) throw new ConfigError('--harvest', `${nameOrPath}: no such file`);
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  let f: unknown = mod.default ?? mod.policy;
  if (!isFactory(f) && typeof f === 'object' && f !== null) f = (f as Record<string, unknown>).default ?? (f as Record<string, unknown>).policy;
  if (!isFactory(f)) throw new ConfigError('--harvest', `${nameOrPath} must export default a harvest policy: defineHarvestPolicy({ name, description, defaults, create })`);
  const o = f;
  const defaults = (o as { defaults?: unknown }).defaults ?? {};
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) throw new ConfigError('--harvest', `${nameOrPath}: defaults must be an object; was ${JSON.stringify(defaults)}`);
  return { factory: { ...o, description: typeof o.description === 'string' ? o.description : '', defaults, create: o.create.bind(o) } as HarvestPolicyFactory<Record<string, unknown>>, label: `${o.name} (${nameOrPath})` };
}
