import { ConfigError } from '../../sim/core/errors.ts';
import { HARVEST_THEN, type HarvestPolicy, type HarvestPolicyFactory, type HarvestThen } from '../../sim/engine/incentives.ts';

/**
 * Declares a harvest policy (when to claim liquidity-mining rewards and what to do with them): its name, a
 * description, its parameters with defaults, and `create`. Like an LP strategy's `defineStrategy`; this is what a
 * user's harvest module (`--harvest ./my.ts`) exports by default.
 */
export function defineHarvestPolicy<P extends Record<string, number | string | boolean>>(def: {
  name: string;
  description: string;
  defaults: P;
  create: (params: Readonly<P>) => Omit<HarvestPolicy<P>, 'params' | 'id'> & { id?: string };
}): HarvestPolicyFactory<P> {
  return {
    name: def.name,
    description: def.description,
    defaults: Object.freeze({ ...def.defaults }),
    create(params: Readonly<P>): HarvestPolicy<P> {
      const s = def.create(params);
      return { ...s, id: s.id ?? def.name, params } as HarvestPolicy<P>;
    },
  };
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** A duration: a number of seconds, or `<n><s|m|h|d|w>` (`1d`, `12h`, `90m`); returns seconds > 0. */
export function parseDuration(v: number | string | boolean, flag: string): number {
  let sec: number;
  if (typeof v === 'number') sec = v;
  else if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*[smhdw]?\s*$/.test(v)) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/.exec(v)!;
    sec = Number(m[1]) * UNIT_SECONDS[m[2] || 's']!;
  } else sec = NaN;
  if (!(sec > 0 && Number.isFinite(sec))) throw new ConfigError(flag, `must be a duration > 0: seconds, or a number with s, m, h, d or w (1d, 12h); was ${JSON.stringify(v)}`);
  return sec;
}

/** Validates a `then` parameter. */
export function parseThen(v: unknown, flag: string): HarvestThen {
  if (!(HARVEST_THEN as readonly unknown[]).includes(v)) throw new ConfigError(flag, `must be ${HARVEST_THEN.join(', ')}; was ${JSON.stringify(v)}`);
  return v as HarvestThen;
}
