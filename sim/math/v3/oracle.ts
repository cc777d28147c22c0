import { PoolError } from '../../core/errors.ts';

// Defined here rather than imported: a module-local constant is read directly on the hot path, where an
// import compiled to CommonJS (tsx, vitest) is read through a getter on every use.
const MAX_UINT160 = (1n << 160n) - 1n;

/**
 * The pool's time-weighted price and liquidity oracle, mirroring v3-core `Oracle.sol` (1.0.1) bit for bit.
 *
 * Widths as in the contract, all wrapping the way Solidity 0.7 (unchecked) arithmetic wraps:
 * - block timestamps are uint32 `number`s (`time mod 2^32`); differences are taken mod 2^32;
 * - `tickCumulative` is an int56 `bigint` (sum of tick · seconds);
 * - `secondsPerLiquidityCumulativeX128` is a uint160 `bigint` (sum of seconds · 2^128 / max(1, liquidity)).
 *
 * The ring buffer is a plain array indexed 0..65534; an `undefined` slot is the all-zero storage slot the
 * contract would read there (timestamp 0, not initialised). Slots hold immutable {@link Observation}s and are
 * only ever replaced, so a shallow copy of the array is a full snapshot.
 */
export interface Observation {
  /** uint32 block timestamp of the observation. */
  readonly blockTimestamp: number;
  /** int56: tick × seconds elapsed since the pool was initialised. */
  readonly tickCumulative: bigint;
  /** uint160: seconds / max(1, in-range liquidity), Q128, since the pool was initialised. */
  readonly secondsPerLiquidityCumulativeX128: bigint;
  /** False for a slot `grow` only pre-paid (its timestamp is 1, its values meaningless). */
  readonly initialized: boolean;
}

/** The observation array (`Observation[65535]` in storage): `undefined` reads as all zeros. */
export type Observations = (Observation | undefined)[];

/** Most observations the pool can store (the storage array's length; cardinality is a uint16 ≤ this). */
export const MAX_OBSERVATION_CARDINALITY = 65535;

const EMPTY: Observation = Object.freeze({
  blockTimestamp: 0,
  tickCumulative: 0n,
  secondsPerLiquidityCumulativeX128: 0n,
  initialized: false,
});

/** A slot as storage holds it (`undefined` → zeros). */
export function observationAt(self: Observations, i: number): Observation {
  return self[i] ?? EMPTY;
}

/** int56 wrap-around of a signed bigint. */
export function toInt56(x: bigint): bigint {
  return BigInt.asIntN(56, x);
}

/** The cumulatives of a point in time (`observeSingle`'s two return values). */
export interface Cumulatives {
  /** int56. */
  tickCumulative: bigint;
  /** uint160. */
  secondsPerLiquidityCumulativeX128: bigint;
}

/**
 * `transform`: the observation `last` carried forward to `blockTimestamp` with `tick` and `liquidity` in
 * force over the gap (the gap is taken mod 2^32). Seconds per liquidity is floored; liquidity 0 counts as 1.
 */
export function transform(last: Observation, blockTimestamp: number, tick: number, liquidity: bigint): Observation {
  const delta = (blockTimestamp - last.blockTimestamp) >>> 0;
  const d = BigInt(delta);
  return {
    blockTimestamp,
    tickCumulative: toInt56(last.tickCumulative + BigInt(tick) * d),
    secondsPerLiquidityCumulativeX128:
      (last.secondsPerLiquidityCumulativeX128 + (d << 128n) / (liquidity > 0n ? liquidity : 1n)) & MAX_UINT160,
    initialized: true,
  };
}

/** `initialize`: the first observation at `time` (slot 0); cardinality and cardinalityNext become 1. */
export function initialize(self: Observations, time: number): { cardinality: number; cardinalityNext: number } {
  self[0] = { blockTimestamp: time >>> 0, tickCumulative: 0n, secondsPerLiquidityCumulativeX128: 0n, initialized: true };
  return { cardinality: 1, cardinalityNext: 1 };
}

/** What {@link write} returns: the new observation index and cardinality. */
export interface WriteResult {
  index: number;
  cardinality: number;
}

/**
 * `write`: records an observation at `blockTimestamp` from the state in force until then (`tick`,
 * `liquidity`), at most one per timestamp (a second write in the same second changes nothing). The buffer
 * grows to `cardinalityNext` only when the write would otherwise wrap from the last slot to slot 0.
 * Writes the result into `out` (reused by callers on hot paths) and returns it.
 */
export function write(
  self: Observations,
  index: number,
  blockTimestamp: number,
  tick: number,
  liquidity: bigint,
  cardinality: number,
  cardinalityNext: number,
  out: WriteResult = { index: 0, cardinality: 0 },
): WriteResult {
  const last = observationAt(self, index);
  if (last.blockTimestamp === blockTimestamp) {
    out.index = index;
    out.cardinality = cardinality;
    return out;
  }
  const cardinalityUpdated = cardinalityNext > cardinality && index === cardinality - 1 ? cardinalityNext : cardinality;
  const indexUpdated = (index + 1) % cardinalityUpdated;
  self[indexUpdated] = transform(last, blockTimestamp, tick, liquidity);
  out.index = indexUpdated;
  out.cardinality = cardinalityUpdated;
  return out;
}

/**
 * `grow`: prepares slots [current, next) (timestamp 1, not initialised, as the contract pre-pays their
 * storage) and returns the new cardinalityNext; `next ≤ current` changes nothing. Reverts 'I' when
 * `current` is 0 (never initialised).
 */
export function grow(self: Observations, current: number, next: number): number {
  if (!(current > 0)) throw new PoolError('I', 'reverted: I (the oracle is not initialized)');
  if (next <= current) return current;
  for (let i = current; i < next; i++) {
    const o = observationAt(self, i);
    self[i] = { ...o, blockTimestamp: 1 };
  }
  return next;
}

/**
 * `lte`: a ≤ b chronologically, for uint32 timestamps at or before `time`, where either may have wrapped
 * past 2^32 (a value above `time` is from before the wrap).
 */
export function lte(time: number, a: number, b: number): boolean {
  if (a <= time && b <= time) return a <= b;
  const aAdjusted = a > time ? a : a + 2 ** 32;
  const bAdjusted = b > time ? b : b + 2 ** 32;
  return aAdjusted <= bAdjusted;
}

/** Two observations around a target time: `atOrAfter` is undefined when `beforeOrAt` is exactly at it. */
export interface Surrounding {
  beforeOrAt: Observation;
  atOrAfter: Observation;
}

// The contract's loop has no bound (a broken buffer would run out of gas, a revert without reason); ours
// stops far beyond what a valid buffer needs (log2(65535) < 17 halvings).
const SEARCH_LIMIT = 256;

/**
 * `binarySearch`: the observations at or around `target`, which must lie between the oldest and the newest
 * observation (the caller checks). Uninitialised slots are skipped towards newer ones, as the contract does.
 */
export function binarySearch(self: Observations, time: number, target: number, index: number, cardinality: number): Surrounding {
  let l = (index + 1) % cardinality; // oldest
  let r = l + cardinality - 1; // newest
  for (let n = 0; n < SEARCH_LIMIT; n++) {
    const i = Math.floor((l + r) / 2);
    const beforeOrAt = observationAt(self, i % cardinality);
    if (!beforeOrAt.initialized) {
      l = i + 1;
      continue;
    }
    const atOrAfter = observationAt(self, (i + 1) % cardinality);
    const targetAtOrAfter = lte(time, beforeOrAt.blockTimestamp, target);
    if (targetAtOrAfter && lte(time, target, atOrAfter.blockTimestamp)) return { beforeOrAt, atOrAfter };
    if (!targetAtOrAfter) r = i - 1;
    else l = i + 1;
  }
  throw new PoolError('', 'reverted (out of gas): the observation binary search does not end');
}

/**
 * `getSurroundingObservations`: at or after the newest observation, the newest and (unless exactly at it)
 * the newest carried forward to `target`; otherwise, after checking the target is not before the oldest
 * observation ('OLD'; an uninitialised oldest slot means slot 0 is the oldest), a binary search.
 */
export function getSurroundingObservations(
  self: Observations,
  time: number,
  target: number,
  tick: number,
  index: number,
  liquidity: bigint,
  cardinality: number,
): Surrounding {
  let beforeOrAt = observationAt(self, index);
  if (lte(time, beforeOrAt.blockTimestamp, target)) {
    if (beforeOrAt.blockTimestamp === target) return { beforeOrAt, atOrAfter: EMPTY };
    return { beforeOrAt, atOrAfter: transform(beforeOrAt, target, tick, liquidity) };
  }
  beforeOrAt = observationAt(self, (index + 1) % cardinality);
  if (!beforeOrAt.initialized) beforeOrAt = observationAt(self, 0);
  if (!lte(time, beforeOrAt.blockTimestamp, target)) {
    throw new PoolError('OLD', `reverted: OLD (target time ${target} is before the oldest observation at ${beforeOrAt.blockTimestamp})`);
  }
  return binarySearch(self, time, target, index, cardinality);
}

/**
 * `observeSingle`: the cumulatives `secondsAgo` seconds before `time` (uint32 `time − secondsAgo`).
 * `tick`, `index`, `liquidity`, `cardinality` are the pool's current ones. Between two observations it
 * interpolates as the contract does: the tick cumulative divides the difference by the gap first (rounding
 * toward zero) then multiplies; seconds per liquidity multiplies first. Writes into `out` and returns it.
 */
export function observeSingle(
  self: Observations,
  time: number,
  secondsAgo: number,
  tick: number,
  index: number,
  liquidity: bigint,
  cardinality: number,
  out: Cumulatives = { tickCumulative: 0n, secondsPerLiquidityCumulativeX128: 0n },
): Cumulatives {
  if (secondsAgo === 0) {
    let last = observationAt(self, index);
    if (last.blockTimestamp !== time) last = transform(last, time, tick, liquidity);
    out.tickCumulative = last.tickCumulative;
    out.secondsPerLiquidityCumulativeX128 = last.secondsPerLiquidityCumulativeX128;
    return out;
  }
  const target = (time - secondsAgo) >>> 0;
  const { beforeOrAt, atOrAfter } = getSurroundingObservations(self, time, target, tick, index, liquidity, cardinality);
  if (target === beforeOrAt.blockTimestamp) {
    out.tickCumulative = beforeOrAt.tickCumulative;
    out.secondsPerLiquidityCumulativeX128 = beforeOrAt.secondsPerLiquidityCumulativeX128;
  } else if (target === atOrAfter.blockTimestamp) {
    out.tickCumulative = atOrAfter.tickCumulative;
    out.secondsPerLiquidityCumulativeX128 = atOrAfter.secondsPerLiquidityCumulativeX128;
  } else {
    const observationTimeDelta = BigInt((atOrAfter.blockTimestamp - beforeOrAt.blockTimestamp) >>> 0);
    const targetDelta = BigInt((target - beforeOrAt.blockTimestamp) >>> 0);
    // Solidity 0.7 division by zero hits the invalid opcode: a revert without reason.
    if (observationTimeDelta === 0n) throw new PoolError('', 'reverted (invalid opcode): division by zero interpolating observations');
    const tickDiff = toInt56(atOrAfter.tickCumulative - beforeOrAt.tickCumulative);
    out.tickCumulative = toInt56(beforeOrAt.tickCumulative + toInt56((tickDiff / observationTimeDelta) * targetDelta));
    const splDiff = (atOrAfter.secondsPerLiquidityCumulativeX128 - beforeOrAt.secondsPerLiquidityCumulativeX128) & MAX_UINT160;
    out.secondsPerLiquidityCumulativeX128 =
      (beforeOrAt.secondsPerLiquidityCumulativeX128 + (((splDiff * targetDelta) / observationTimeDelta) & MAX_UINT160)) & MAX_UINT160;
  }
  return out;
}

/** `observe`'s two arrays. */
export interface ObserveResult {
  /** int56 each. */
  readonly tickCumulatives: bigint[];
  /** uint160 each. */
  readonly secondsPerLiquidityCumulativeX128s: bigint[];
}

/** `observe`: {@link observeSingle} for each of `secondsAgos`. Reverts 'I' before initialisation, 'OLD'. */
export function observe(
  self: Observations,
  time: number,
  secondsAgos: readonly number[],
  tick: number,
  index: number,
  liquidity: bigint,
  cardinality: number,
): ObserveResult {
  if (!(cardinality > 0)) throw new PoolError('I', 'reverted: I (the oracle is not initialized)');
  const tickCumulatives: bigint[] = [];
  const secondsPerLiquidityCumulativeX128s: bigint[] = [];
  for (const secondsAgo of secondsAgos) {
    const c = observeSingle(self, time, secondsAgo, tick, index, liquidity, cardinality);
    tickCumulatives.push(c.tickCumulative);
    secondsPerLiquidityCumulativeX128s.push(c.secondsPerLiquidityCumulativeX128);
  }
  return { tickCumulatives, secondsPerLiquidityCumulativeX128s };
}
