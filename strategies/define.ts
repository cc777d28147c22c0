import { AmmsimError, ConfigError, didYouMean, StrategyError } from '../sim/core/errors.ts';
import type { LpStrategy, LpStrategyFactory } from '../sim/engine/strategy.ts';

/** The keys of a strategy definition (`defineStrategy({...})`, or a module's plain default-export object). */
export const STRATEGY_KEYS: readonly string[] = ['name', 'description', 'defaults', 'create'];

/** What a parameter's default (and so its value) may be: a finite number, a boolean or a string. */
function paramValueProblem(v: unknown): string | undefined {
  if (typeof v === 'boolean' || typeof v === 'string') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `must be finite; was ${String(v)}`;
  return `must be a finite number, a boolean or a string; was ${show(v)}`;
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint') return `${v}n`;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}

/**
 * What is wrong with a strategy definition, `undefined` when nothing: an object whose keys are `name` (a non-empty
 * string), `description` (a string), `defaults` (a plain object of finite numbers, booleans and strings; may be left
 * out) and `create` (a function), and no others (a misspelt key is named with a "did you mean" hint). Checked once,
 * when a strategy is defined or loaded, never per step.
 */
export function strategyDefinitionProblem(def: unknown): string | undefined {
  if (def === null || typeof def !== 'object' || Array.isArray(def)) return `a strategy is an object { name, description, defaults, create }; was ${show(def)}`;
  const d = def as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!STRATEGY_KEYS.includes(k)) return `unknown key "${k}"${didYouMean(k, STRATEGY_KEYS)} (a strategy has ${STRATEGY_KEYS.join(', ')})`;
  }
  if (typeof d.name !== 'string' || d.name.trim() === '') return `name must be a non-empty string; was ${show(d.name)}`;
  if (d.description !== undefined && typeof d.description !== 'string') return `description must be a string; was ${show(d.description)}`;
  if (d.defaults !== undefined) {
    const p = d.defaults;
    const proto = p === null || typeof p !== 'object' ? undefined : Object.getPrototypeOf(p);
    if (p === null || typeof p !== 'object' || (proto !== Object.prototype && proto !== null)) {
      return `defaults must be an object of parameter defaults (finite numbers, booleans or strings), e.g. { width: 0.1 }; was ${show(p)}`;
    }
    for (const [k, v] of Object.entries(p)) {
      const why = paramValueProblem(v);
      if (why !== undefined) return `defaults.${k} ${why}`;
    }
  }
  if (typeof d.create !== 'function') return `create must be a function create(params) returning { onStart(ctx), onStep(ctx) }; was ${show(d.create)}`;
  return undefined;
}

/**
 * Declares an LP strategy: its name, a description, its parameters with defaults, and `create`, which gets the
 * validated parameters. The definition is checked here ({@link strategyDefinitionProblem}: a ConfigError naming
 * the strategy); unknown parameter names and values of the wrong type are rejected before the run starts, with a
 * "did you mean" hint. This is what a user's strategy module exports by default.
 */
export function defineStrategy<P extends Record<string, number | string | boolean>>(def: {
  name: string;
  description: string;
  defaults: P;
  create: (params: Readonly<P>) => Omit<LpStrategy<P>, 'params' | 'id'> & { id?: string };
}): LpStrategyFactory<P> {
  const problem = strategyDefinitionProblem(def);
  if (problem !== undefined) {
    const name = def !== null && typeof def === 'object' && typeof def.name === 'string' && def.name !== '' ? ` "${def.name}"` : '';
    throw new ConfigError(`defineStrategy${name}`, problem);
  }
  const create = def.create;
  return {
    name: def.name,
    description: def.description ?? '',
    defaults: Object.freeze({ ...(def.defaults ?? {}) }) as P,
    create(params: Readonly<P>): LpStrategy<P> {
      const s = create(params);
      // Not an object: returned as it is, for the engine to refuse before the run (a StrategyError at step 0 naming
      // the strategy, its file and the first step's time), as it does a plain strategy object's create().
      if (s === null || typeof s !== 'object') return s as unknown as LpStrategy<P>;
      return { ...s, id: s.id ?? def.name, params } as LpStrategy<P>;
    },
  };
}

/**
 * Merges user-supplied params over a factory's defaults, rejecting unknown keys and mismatched types (a number
 * parameter takes a finite number, or a string that reads as one; a boolean `true`/`false` or "true"/"false").
 */
export function resolveParams<P extends Record<string, unknown>>(
  factory: LpStrategyFactory<P>,
  given: Readonly<Record<string, unknown>>,
): P {
  const defaults = factory.defaults as Record<string, unknown>;
  const out: Record<string, unknown> = { ...defaults };
  const names = Object.keys(defaults);
  for (const [k, v] of Object.entries(given)) {
    if (!Object.hasOwn(defaults, k)) {
      throw new ConfigError('--param', `strategy "${factory.name}" has no parameter "${k}"${didYouMean(k, names)} (parameters: ${names.join(', ') || 'none'})`);
    }
    const want = typeof defaults[k];
    let val = v;
    if (want === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) val = Number(v);
    if (want === 'boolean' && (v === 'true' || v === 'false')) val = v === 'true';
    if (typeof val !== want) throw new ConfigError('--param', `${k} must be ${/^[aeio]/.test(want) ? 'an' : 'a'} ${want}; was ${show(v)}`);
    if (typeof val === 'number' && !Number.isFinite(val)) throw new ConfigError('--param', `${k} must be a finite number; was ${String(val)}`);
    out[k] = val;
  }
  return out as P;
}

/**
 * A strategy object as a run gets it (a library caller's, a loaded module's, a built-in), checked as
 * {@link defineStrategy} checks one: a ConfigError naming the strategy (`label`) when its definition is wrong.
 */
export function checkStrategyFactory(factory: unknown, label: string): void {
  const problem = strategyDefinitionProblem(factory);
  if (problem !== undefined) throw new ConfigError('strategy', `${label}: ${problem}`);
}

/**
 * `factory.create(params)` for a run: what it throws is the strategy's error, a StrategyError at step 0 naming it
 * (`label`: its name, and its file for a module), not a stack trace; an AmmsimError it throws (a built-in refusing a
 * parameter) passes as it is. What it returns is checked by the engine before the run.
 */
export function createStrategy<P>(factory: LpStrategyFactory<P>, params: Readonly<P>, label: string): LpStrategy<P> {
  try {
    return factory.create(params);
  } catch (err) {
    if (err instanceof AmmsimError) throw err;
    throw new StrategyError(label, 0, NaN, `create(params) threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
