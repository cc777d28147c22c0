import { describe, expect, it } from 'vitest';
import { PoolError } from '../../core/errors.ts';
import { MAX_UINT128, MAX_UINT256 } from './fixedPoint.ts';
import { cross, getFeeGrowthInside, tickSpacingToMaxLiquidityPerTick, update, type TickInfo } from './tick.ts';

// Cases: Uniswap/v3-core test/Tick.spec.ts.
const tick = (p: Partial<TickInfo>): TickInfo => ({
  liquidityGross: 0n,
  liquidityNet: 0n,
  feeGrowthOutside0X128: 0n,
  feeGrowthOutside1X128: 0n,
  tickCumulativeOutside: 0n,
  secondsPerLiquidityOutsideX128: 0n,
  secondsOutside: 0,
  initialized: false,
  ...p,
});

describe('tickSpacingToMaxLiquidityPerTick', () => {
  it('behavior: spec values for the fee tiers, the entire range and 2302', () => {
    expect(tickSpacingToMaxLiquidityPerTick(10)).toBe(1917569901783203986719870431555990n);
    expect(tickSpacingToMaxLiquidityPerTick(60)).toBe(11505743598341114571880798222544994n);
    expect(tickSpacingToMaxLiquidityPerTick(200)).toBe(38350317471085141830651933667504588n);
    expect(tickSpacingToMaxLiquidityPerTick(887272)).toBe(MAX_UINT128 / 3n);
    expect(tickSpacingToMaxLiquidityPerTick(2302)).toBe(441351967472034323558203122479595605n);
  });
});

describe('getFeeGrowthInside', () => {
  it('behavior: uninitialised ticks, price inside / above / below', () => {
    expect(getFeeGrowthInside(undefined, undefined, -2, 2, 0, 15n, 15n)).toEqual({ feeGrowthInside0X128: 15n, feeGrowthInside1X128: 15n });
    expect(getFeeGrowthInside(undefined, undefined, -2, 2, 4, 15n, 15n)).toEqual({ feeGrowthInside0X128: 0n, feeGrowthInside1X128: 0n });
    expect(getFeeGrowthInside(undefined, undefined, -2, 2, -4, 15n, 15n)).toEqual({ feeGrowthInside0X128: 0n, feeGrowthInside1X128: 0n });
  });
  it('behavior: subtracts upper and lower outside values', () => {
    const up = tick({ feeGrowthOutside0X128: 2n, feeGrowthOutside1X128: 3n });
    expect(getFeeGrowthInside(undefined, up, -2, 2, 0, 15n, 15n)).toEqual({ feeGrowthInside0X128: 13n, feeGrowthInside1X128: 12n });
    const lo = tick({ feeGrowthOutside0X128: 2n, feeGrowthOutside1X128: 3n });
    expect(getFeeGrowthInside(lo, undefined, -2, 2, 0, 15n, 15n)).toEqual({ feeGrowthInside0X128: 13n, feeGrowthInside1X128: 12n });
  });
  it('behavior: works correctly with overflow on the inside tick (mod 2^256)', () => {
    const lo = tick({ feeGrowthOutside0X128: MAX_UINT256 - 3n, feeGrowthOutside1X128: MAX_UINT256 - 2n });
    const up = tick({ feeGrowthOutside0X128: 3n, feeGrowthOutside1X128: 5n });
    expect(getFeeGrowthInside(lo, up, -2, 2, 0, 15n, 15n)).toEqual({ feeGrowthInside0X128: 16n, feeGrowthInside1X128: 13n });
  });
});

describe('update', () => {
  it('behavior: flips from zero to nonzero and back, not on nonzero to nonzero', () => {
    const a = update(undefined, 0, 0, 1n, 0n, 0n, false, 3n);
    expect(a.flipped).toBe(true);
    expect(update(a.info, 0, 0, 1n, 0n, 0n, false, 3n).flipped).toBe(false);
    expect(update(a.info, 0, 0, -1n, 0n, 0n, false, 3n).flipped).toBe(true);
    const b = update(update(a.info, 0, 0, 2n, 0n, 0n, false, 3n).info, 0, 0, -1n, 0n, 0n, false, 3n);
    expect(b.flipped).toBe(false);
  });
  it('error: reverts LO when gross liquidity exceeds the max', () => {
    let info = update(undefined, 0, 0, 2n, 0n, 0n, false, 3n).info;
    info = update(info, 0, 0, 1n, 0n, 0n, true, 3n).info;
    try {
      update(info, 0, 0, 1n, 0n, 0n, false, 3n);
      expect.unreachable();
    } catch (e) {
      expect((e as PoolError).reason).toBe('LO');
    }
  });
  it('behavior: nets liquidity (lower adds, upper subtracts) and sums gross', () => {
    let info = update(undefined, 0, 0, 2n, 0n, 0n, false, 10n).info;
    info = update(info, 0, 0, 1n, 0n, 0n, true, 10n).info;
    info = update(info, 0, 0, 3n, 0n, 0n, true, 10n).info;
    info = update(info, 0, 0, 1n, 0n, 0n, false, 10n).info;
    expect([info.liquidityGross, info.liquidityNet]).toEqual([7n, -1n]);
    info = update(info, 0, 0, -2n, 0n, 0n, false, 10n).info;
    info = update(info, 0, 0, -1n, 0n, 0n, true, 10n).info;
    expect([info.liquidityGross, info.liquidityNet]).toEqual([4n, -2n]);
  });
  it('behavior: a new tick at or below the current tick starts with outside = global; above: 0', () => {
    expect(update(undefined, 1, 1, 1n, 1n, 2n, false, 10n).info).toMatchObject({ feeGrowthOutside0X128: 1n, feeGrowthOutside1X128: 2n, initialized: true });
    expect(update(undefined, 2, 1, 1n, 1n, 2n, false, 10n).info).toMatchObject({ feeGrowthOutside0X128: 0n, feeGrowthOutside1X128: 0n, initialized: true });
  });
  it('behavior: does not mutate its input', () => {
    const before = tick({ liquidityGross: 1n, liquidityNet: 1n, initialized: true });
    const copy = { ...before };
    update(before, 0, 0, 1n, 5n, 5n, false, 10n);
    expect(before).toEqual(copy);
  });
});

describe('cross', () => {
  it('behavior: flips outside values (mod 2^256) and returns liquidityNet; crossing twice restores', () => {
    const info = tick({ liquidityGross: 3n, liquidityNet: 4n, feeGrowthOutside0X128: 100n, feeGrowthOutside1X128: 200n, initialized: true });
    expect(cross(info, 1000n, 2000n)).toBe(4n);
    expect([info.feeGrowthOutside0X128, info.feeGrowthOutside1X128]).toEqual([900n, 1800n]);
    cross(info, 1000n, 2000n);
    expect([info.feeGrowthOutside0X128, info.feeGrowthOutside1X128]).toEqual([100n, 200n]);
    cross(info, 50n, 2000n);
    expect(info.feeGrowthOutside0X128).toBe((50n - 100n) & MAX_UINT256);
  });
});

describe('oracle outside accumulators (Tick.spec.ts #update, #cross with the oracle fields)', () => {
  it('behavior: a new tick at or below the current tick takes the oracle globals; above: zeros', () => {
    expect(update(undefined, 1, 1, 1n, 1n, 2n, false, 10n, 5n, 6n, 7).info).toMatchObject({
      secondsPerLiquidityOutsideX128: 5n,
      tickCumulativeOutside: 6n,
      secondsOutside: 7,
    });
    expect(update(undefined, 2, 1, 1n, 1n, 2n, false, 10n, 5n, 6n, 7).info).toMatchObject({
      secondsPerLiquidityOutsideX128: 0n,
      tickCumulativeOutside: 0n,
      secondsOutside: 0,
    });
  });
  it('behavior: an already initialised tick keeps its outside values', () => {
    const first = update(undefined, 1, 1, 1n, 1n, 2n, false, 10n, 5n, 6n, 7).info;
    expect(update(first, 1, 1, 1n, 9n, 9n, false, 10n, 9n, 9n, 9).info).toMatchObject({
      secondsPerLiquidityOutsideX128: 5n,
      tickCumulativeOutside: 6n,
      secondsOutside: 7,
    });
  });
  it('behavior: cross flips them in their widths (uint160, int56, uint32); twice restores; omitted globals leave them', () => {
    const info = tick({ liquidityGross: 3n, liquidityNet: 4n, initialized: true, secondsPerLiquidityOutsideX128: 100n, tickCumulativeOutside: 10n, secondsOutside: 20 });
    cross(info, 0n, 0n, 50n, -(2n ** 55n), 5);
    expect(info).toMatchObject({
      secondsPerLiquidityOutsideX128: (1n << 160n) - 50n,
      tickCumulativeOutside: 2n ** 55n - 10n, // int56: −2^55 − 10 wraps to +2^55 − 10
      secondsOutside: 2 ** 32 - 15,
    });
    cross(info, 0n, 0n, 50n, -(2n ** 55n), 5);
    expect(info).toMatchObject({ secondsPerLiquidityOutsideX128: 100n, tickCumulativeOutside: 10n, secondsOutside: 20 });
    cross(info, 0n, 0n);
    expect(info).toMatchObject({ secondsPerLiquidityOutsideX128: 100n, tickCumulativeOutside: 10n, secondsOutside: 20 });
  });
});
