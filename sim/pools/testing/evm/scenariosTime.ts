/**
 * Seeded random Uniswap v3 scenarios **with time** (the `v3-time` vocabulary of ../shared/oracle/README.md)
 * for the differential test (EVM vs. ammsim).
 *
 * Each one is a plain v3 scenario of scenarios.ts (same seed and index), decorated: every event gets a block
 * timestamp (non-decreasing; gaps of 0 — several transactions in one block — to months; some scenarios start
 * just below 2^32 and cross the uint32 wrap), and queries are interleaved: `increaseObservationCardinalityNext`
 * (right after initialize and now and then), `snapshotCumulativesInside` (mostly on ranges the scenario mints,
 * sometimes inverted, beyond ±887272 or off the initialised ticks), `observe` (at 0, at exact earlier event
 * times, between them, and beyond the oldest observation for `OLD`). Like the base generator it never looks
 * at pool maths: queries are drawn from what the scenario *requested*.
 */
import { Rng } from '../../../core/rng.ts';
import { scenarioSeed, v3ScenarioAt, MAX_TICK, MIN_TICK, type V3Scenario, type V3ScenarioEvent, type V3ScenarioOptions } from './scenarios.ts';

const UINT32 = 2 ** 32;

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(0, xs.length - 1)] as T;
}

/** A time gap: mostly seconds to minutes, often 0 (same block), sometimes days or months. */
function gap(rng: Rng): number {
  const u = rng.uniform();
  if (u < 0.3) return 0;
  if (u < 0.8) return rng.int(1, 600);
  if (u < 0.95) return rng.int(600, 200_000);
  return rng.int(200_000, 50_000_000);
}

/** Scenario number `index` of run `seed` with time (deterministic, independent of every other index). */
export function v3TimeScenarioAt(seed: number, index: number, options: V3ScenarioOptions = {}): V3Scenario {
  const base = v3ScenarioAt(seed, index, options);
  const rng = new Rng(scenarioSeed(seed, index)).fork('v3-time');
  let time = rng.uniform() < 0.25 ? UINT32 - rng.int(1, 20_000) : rng.int(1_600_000_000, 1_800_000_000);
  const times: number[] = [];
  const ranges: (readonly [number, number])[] = [];
  const events: V3ScenarioEvent[] = [];
  const push = (e: V3ScenarioEvent): void => {
    events.push({ ...e, time });
    times.push(time);
  };

  const query = (): void => {
    const u = rng.uniform();
    if (u < 0.45 && ranges.length > 0) {
      const [lo, hi] = pick(rng, ranges);
      const v = rng.uniform();
      let r: readonly [number, number] = [lo, hi];
      if (v < 0.05) r = [hi, lo]; // TLU (or equal)
      else if (v < 0.08) r = [MIN_TICK - 1, hi]; // TLM
      else if (v < 0.11) r = [lo, MAX_TICK + 1]; // TUM
      else if (v < 0.16) r = [lo + 1, hi]; // a tick nobody initialised: ""
      else if (v < 0.3) r = [lo, pick(rng, ranges)[1]]; // mixed bounds of two ranges
      events.push({ type: 'snapshotCumulativesInside', time, tickLower: r[0], tickUpper: r[1] });
      times.push(time);
    } else if (u < 0.85) {
      const elapsed = time - (times[0] ?? time);
      const n = rng.int(1, 3);
      const secondsAgos: number[] = [];
      for (let i = 0; i < n; i++) {
        const w = rng.uniform();
        if (w < 0.2) secondsAgos.push(0);
        else if (w < 0.5) secondsAgos.push(time - pick(rng, times)); // exactly an earlier event's time
        else if (w < 0.9) secondsAgos.push(rng.int(0, elapsed)); // between observations
        else secondsAgos.push(Math.min(UINT32 - 1, elapsed + rng.int(1, 1000))); // before the first: OLD
      }
      events.push({ type: 'observe', time, secondsAgos });
      times.push(time);
    } else {
      events.push({ type: 'increaseObservationCardinalityNext', time, observationCardinalityNext: rng.int(0, 24) });
      times.push(time);
    }
  };

  base.events.forEach((e, i) => {
    if (i > 0) time += gap(rng);
    push(e);
    if (e['type'] === 'mint') ranges.push([e['tickLower'] as number, e['tickUpper'] as number]);
    if (e['type'] === 'initialize' && i === 0) {
      events.push({ type: 'increaseObservationCardinalityNext', time, observationCardinalityNext: pick(rng, [1, 2, 3, 5, 8, 16]) });
      times.push(time);
    }
    if (i > 0 && rng.uniform() < 0.45) {
      if (rng.uniform() < 0.5) time += gap(rng);
      query();
    }
  });
  time += gap(rng) + 1;
  query();
  return { ...base, events };
}
