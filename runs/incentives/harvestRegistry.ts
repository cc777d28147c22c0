import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AmmsimError, ConfigError, didYouMean } from '../../sim/core/errors.ts';
import type { HarvestContext, HarvestPolicy, HarvestPolicyFactory } from '../../sim/engine/incentives.ts';
import { BUILTIN_HARVEST_POLICIES } from '../../strategies/harvest/builtins.ts';

export interface LoadedHarvestPolicy {
  readonly factory: HarvestPolicyFactory<Record<string, unknown>>;
  /** How messages name it: its name, and its file for a user module. */
  readonly label: string;
}

function isFactory(x: unknown): x is HarvestPolicyFactory<Record<string, unknown>> {
  return typeof x === 'object' && x !== null && typeof (x as { create?: unknown }).create === 'function' && typeof (x as { name?: unknown }).name === 'string';
}

/**
 * A built-in harvest policy by name; undefined for a path to a module (loaded by {@link loadHarvestPolicy}); an
 * unknown name is refused. Synchronous: for the checks of a config that load nothing.
 */
export function builtinHarvestPolicy(nameOrPath: string): HarvestPolicyFactory<Record<string, unknown>> | undefined {
  const b = BUILTIN_HARVEST_POLICIES.get(nameOrPath);
  if (b !== undefined) return b;
  const looksLikePath = /[\\/]|\.m?[jt]s$/.test(nameOrPath);
  if (!looksLikePath) throw new ConfigError('--harvest', `unknown harvest policy "${nameOrPath}"${didYouMean(nameOrPath, [...BUILTIN_HARVEST_POLICIES.keys()])} (built-ins: ${[...BUILTIN_HARVEST_POLICIES.keys()].join(', ')}, or a path to a module)`);
  return undefined;
}

/** A built-in harvest policy by name, or a user module (`export default defineHarvestPolicy({...})`) by path. */
export async function loadHarvestPolicy(nameOrPath: string): Promise<LoadedHarvestPolicy> {
  const b = builtinHarvestPolicy(nameOrPath);
  if (b !== undefined) return { factory: b, label: b.name };
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

import { HarvestPolicyError } from '../../sim/core/errors.ts';
export { HarvestPolicyError };

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A user module's policy for a run (`label`: its name and file): what its create() or onStep() throws is its own
 * {@link HarvestPolicyError} (an AmmsimError it throws, a refused parameter, passes as it is), and create() must
 * return an object with onStep(ctx). The actions onStep returns are checked by the engine.
 */
export function guardedHarvestPolicy(factory: HarvestPolicyFactory<Record<string, unknown>>, params: Readonly<Record<string, unknown>>, label: string): HarvestPolicy {
  let policy: HarvestPolicy;
  try {
    policy = factory.create(params);
  } catch (err) {
    if (err instanceof AmmsimError) throw err;
    throw new HarvestPolicyError(label, NaN, NaN, `create(params) threw: ${why(err)}`, { cause: err });
  }
  if (typeof policy !== 'object' || policy === null || typeof (policy as { onStep?: unknown }).onStep !== 'function') {
    throw new HarvestPolicyError(label, NaN, NaN, `create(params) returned ${policy === undefined ? 'undefined' : JSON.stringify(policy)}; it must return { onStep(ctx) } (wakeAtMs and compoundsPerYear optional)`);
  }
  const inner = policy;
  // the policy's own fields and methods (a class instance's too) through its prototype; onStep guarded
  const guarded = Object.create(inner) as HarvestPolicy & { onStep: (ctx: HarvestContext) => ReturnType<HarvestPolicy['onStep']> };
  guarded.onStep = (ctx) => {
    try {
      return inner.onStep(ctx);
    } catch (err) {
      if (err instanceof AmmsimError) throw err;
      throw new HarvestPolicyError(label, ctx.step, ctx.timestampMs, `onStep threw: ${why(err)}`, { cause: err });
    }
  };
  return guarded;
}
