/**
 * The LP's reward rate at the run's start (`lpRatePerSecondAtStart`, the spot APR's): a program live during the run
 * counts its rate now or when it starts; one not live during the run counts 0, whichever side of the run it is on.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.ts';
import { V2FloatPool } from '../pools/v2/v2FloatPool.ts';
import { V3FloatPool } from '../pools/v3/v3FloatPool.ts';
import { fullRangeStrategy } from '../../strategies/lp/fullRange.ts';
import { rangeStrategy } from '../../strategies/lp/range.ts';
import { neverHarvest } from '../../strategies/harvest/builtins.ts';
import { runEngine } from './engine.ts';
import { constantGas } from './gas.ts';
import { createProgram, type ProgramSpec } from './incentives.ts';
import { seriesOf } from './testing/engineTesting.ts';

const T0 = Date.UTC(2024, 0, 1) / 1000;
const HOUR = 3600;
const STEPS = 73; // hourly: the run is T0 … T0 + 72 h
const LAST = T0 + (STEPS - 1) * HOUR;

function spec(over: Partial<ProgramSpec>): ProgramSpec {
  return { kind: 'staking-rewards', token: 'R', source: 'test', startSec: T0 + 12 * HOUR, endSec: T0 + 36 * HOUR, amountRaw: 86_400n * 10n ** 18n, topUps: [], otherStake: 0n, ...over };
}

/** A flat run with one program; the LP's spot rate at the start and the tokens it earned. */
function spot(s: ProgramSpec, pool: 'v2' | 'v3' = s.kind === 'v3-staker' ? 'v3' : 'v2'): { rate: number; earned: number } {
  const prices = new Array<number>(STEPS).fill(2000);
  const series = seriesOf(prices);
  const p = pool === 'v3' ? new V3FloatPool(0.003, 60, 2000) : new V2FloatPool(0.003, 500, 1_000_000);
  if (p instanceof V3FloatPool) p.mintLiquidity('bg', -887220, 887220, 1_000_000 / (2 * Math.sqrt(2000)), true);
  const out = runEngine({
    series,
    pool: p,
    lp: pool === 'v3' ? rangeStrategy.create({ width: 0.05 }) : fullRangeStrategy.create({}),
    traders: [],
    capital: 10_000,
    gas: constantGas(pool, 0),
    rng: new Rng(1),
    incentives: { programs: [createProgram(s)], policy: neverHarvest.create({}), rewardPrice: new Float64Array(STEPS).fill(1), rewardPoolLiquidity: 1_000_000, performanceFee: 0, callerFee: 0 },
  });
  return { rate: out.rewards!.lpRatePerSecondAtStart, earned: out.rewards!.rewardTokensEarned };
}

const KINDS = [
  (o: Partial<ProgramSpec>) => spec(o),
  (o: Partial<ProgramSpec>) => spec({ kind: 'masterchef', blockTimeSec: 12, allocPoint: 1n, totalAllocPoint: 1n, ...o }),
  (o: Partial<ProgramSpec>) => spec({ kind: 'v3-staker', amountRaw: 10n ** 22n, ...o }),
];

describe('the spot reward rate at the start of a run', () => {
  it('regression: a program entirely after the run counts 0 (it was its rate at its own start: rewardAprSpot 0.1177 for a run that pays 0)', () => {
    for (const make of KINDS) {
      const s = make({ startSec: Date.UTC(2030, 0, 1) / 1000, endSec: Date.UTC(2030, 1, 1) / 1000 });
      expect(spot(s), s.kind).toEqual({ rate: 0, earned: 0 });
    }
  });

  it('behavior: one starting at the run’s last step pays nothing in it and counts 0; one starting an hour before counts its rate', () => {
    for (const make of KINDS) {
      const atLast = make({ startSec: LAST, endSec: LAST + 24 * HOUR });
      expect(spot(atLast), atLast.kind).toEqual({ rate: 0, earned: 0 });
      const before = make({ startSec: LAST - HOUR, endSec: LAST + 23 * HOUR });
      const b = spot(before);
      expect(b.rate, before.kind).toBeGreaterThan(0);
      expect(b.earned, before.kind).toBeGreaterThan(0);
    }
  });

  it('behavior: one that ended before the run counts 0, as before; one running or starting during it counts its rate', () => {
    for (const make of KINDS) {
      const ended = make({ startSec: T0 - 48 * HOUR, endSec: T0 - 24 * HOUR });
      expect(spot(ended).rate, ended.kind).toBe(0);
      expect(spot(make({})).rate, make({}).kind).toBeGreaterThan(0);
    }
    // staking-rewards alone in its pool: the whole emission, 1 token a second
    expect(spot(spec({})).rate).toBeCloseTo(1, 9);
  });

  it('behavior: a staking-rewards program whose start is after the run but a top-up funds it during the run is live: counted', () => {
    const s = spec({ startSec: LAST + 10 * HOUR, endSec: LAST + 34 * HOUR, topUps: [{ atSec: T0 + 12 * HOUR, amountRaw: 86_400n * 10n ** 18n }] });
    const r = spot(s);
    expect(r.earned).toBeGreaterThan(0);
    expect(r.rate).toBeGreaterThan(0);
  });
});
