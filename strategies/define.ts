import { ConfigError, didYouMean } from '../sim/core/errors.ts';
import type { LpStrategy, LpStrategyFactory } from '../sim/engine/strategy.ts';

/**
 * Declares an LP strategy: its name, a description, its parameters with defaults, and `create`, which gets the
 * validated parameters. Unknown parameter names and values of the wrong type are rejected before the run
 * starts, with a "did you mean" hint. This is what a user's strategy module exports by default.
 */
export function defineStrategy<P extends Record<string, number | string | boolean>>(def: {
  name: string;
  description: string;
  defaults: P;
  create: (params: Readonly<P>) => Omit<LpStrategy<P>, 'params' | 'id'> & { id?: string };
}): LpStrategyFactory<P> {
  return {
    name: def.name,
    description: def.description,
    defaults: Object.freeze({ ...def.defaults }),
    create(params: Readonly<P>): LpStrategy<P> {
      const s = def.create(params);
      return { ...s, id: s.id ?? def.name, params } as LpStrategy<P>;
    },
  };
}

/** Merges user-supplied params over a factory's defaults, rejecting unknown keys and mismatched types. */
export function resolveParams<P extends Record<string, unknown>>(
  factory: LpStrategyFactory<P>,
  given: Readonly<Record<string, unknown>>,
): P {
  const defaults = factory.defaults as Record<string, unknown>;
  const out: Record<string, unknown> = { ...defaults };
  const names = Object.keys(defaults);
  for (const [k, v] of Object.entries(given)) {
    if (!(k in defaults)) {
      throw new ConfigError('--param', `strategy "${factory.name}" has no parameter "${k}"${didYouMean(k, names)} (parameters: ${names.join(', ') || 'none'})`);
    }
    const want = typeof defaults[k];
    let val = v;
    if (want === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) val = Number(v);
    if (want === 'boolean' && (v === 'true' || v === 'false')) val = v === 'true';
    if (typeof val !== want) throw new ConfigError('--param', `${k} must be a ${want}; was ${JSON.stringify(v)}`);
    out[k] = val;
  }
  return out as P;
}
