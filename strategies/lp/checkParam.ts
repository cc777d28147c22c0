import { ConfigError } from '../../sim/core/errors.ts';

/**
 * Refuses a built-in strategy's parameter outside its domain before the run, naming it as the user gives it
 * (`--param delay: must be an integer ≥ 0; was -1`): a value the strategy cannot use would otherwise be accepted
 * and do nothing, or fail mid-run under another name.
 */
export function checkParam(key: string, value: number, ok: (v: number) => boolean, rule: string): void {
  if (!(typeof value === 'number' && ok(value))) throw new ConfigError(`--param ${key}`, `${rule}; was ${String(value)}`);
}

export const positiveFinite = (v: number): boolean => Number.isFinite(v) && v > 0;
export const nonNegativeInteger = (v: number): boolean => Number.isInteger(v) && v >= 0;
