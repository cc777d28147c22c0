import { MS_PER_YEAR } from '../../sim/core/time.ts';
import { NO_HARVEST, type HarvestAction, type HarvestPolicyFactory } from '../../sim/engine/incentives.ts';
import { ConfigError } from '../../sim/core/errors.ts';
import { defineHarvestPolicy, parseDuration, parseThen } from './define.ts';

const YEAR_SECONDS = MS_PER_YEAR / 1000;

/** Never claims during the run: the rewards stay pending and are valued at the last reward price (no harvest gas). */
export const neverHarvest = defineHarvestPolicy({
  name: 'never',
  description: 'never claim during the run: rewards stay pending, valued at the end at the last reward price (no harvest gas)',
  defaults: {},
  create: () => ({ onStep: () => NO_HARVEST, compoundsPerYear: 0, wakeAtMs: () => Infinity }),
});

/** Claims every `every` (seconds or 1d/12h/…) when something is pending, then holds, sells or compounds. */
export const intervalHarvest = defineHarvestPolicy({
  name: 'interval',
  description: 'claim every `every` (seconds, or 1d, 12h, 1w) when rewards are pending, then hold, sell or compound',
  defaults: { every: '1d', then: 'hold' },
  create: (p) => {
    const everyMs = parseDuration(p.every, '--harvest-param every') * 1000;
    const then = parseThen(p.then, '--harvest-param then');
    const act: readonly HarvestAction[] = Object.freeze([{ kind: 'claim', then }]);
    return {
      onStep: (ctx) => (ctx.timestampMs - ctx.lastHarvestMs >= everyMs && ctx.pending > 0 ? act : NO_HARVEST),
      wakeAtMs: (last) => last + everyMs,
      compoundsPerYear: then === 'compound' ? (YEAR_SECONDS * 1000) / everyMs : 0,
    };
  },
});

/**
 * Claims when the pending rewards are worth at least `value` quote, or at least `gasMultiple` × the gas of a
 * claim (whichever is set; both: either), then holds, sells or compounds.
 */
export const thresholdHarvest = defineHarvestPolicy({
  name: 'threshold',
  description: 'claim when pending rewards are worth ≥ `value` quote or ≥ `gasMultiple` × the claim gas, then hold, sell or compound',
  defaults: { value: 0, gasMultiple: 0, then: 'hold' },
  create: (p) => {
    const then = parseThen(p.then, '--harvest-param then');
    if (!(p.value >= 0) || !(p.gasMultiple >= 0)) throw new ConfigError('--harvest-param', `value and gasMultiple must be ≥ 0; were ${p.value} and ${p.gasMultiple}`);
    if (p.value === 0 && p.gasMultiple === 0) throw new ConfigError('--harvest-param', 'threshold needs value=<quote> or gasMultiple=<k> (> 0)');
    const act: readonly HarvestAction[] = Object.freeze([{ kind: 'claim', then }]);
    return {
      onStep(ctx) {
        if (!(ctx.pending > 0)) return NO_HARVEST;
        const worth = ctx.pending * ctx.rewardPrice;
        if (p.value > 0 && worth >= p.value) return act;
        if (p.gasMultiple > 0 && worth >= p.gasMultiple * ctx.gasCost('claim')) return act;
        return NO_HARVEST;
      },
    };
  },
});

/** The built-in harvest policies, by CLI name. */
export const BUILTIN_HARVEST_POLICIES: ReadonlyMap<string, HarvestPolicyFactory<Record<string, unknown>>> = new Map(
  [neverHarvest, intervalHarvest, thresholdHarvest].map((f) => [f.name, f as unknown as HarvestPolicyFactory<Record<string, unknown>>]),
);
