import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revertReason } from '../../core/revertReason.ts';
import {
  boostFactor,
  emissionShare,
  gaugeClaimable,
  MAX_BOOST,
  veShareForMaxBoost,
  workingBalance,
  workingBalanceNumber,
  workingBalances,
} from './gaugeBoost.ts';

const E18 = 10n ** 18n;
const wb = (l: bigint, L: bigint, v: bigint, V: bigint) => workingBalance({ balance: l, totalSupply: L, veBalance: v, veTotalSupply: V });

describe('gauge working balance (LiquidityGauge.vy _update_liquidity_limit)', () => {
  it('behavior: hand-worked values — no veCRV counts 40 %, a veCRV share equal to the pool share counts 100 %', () => {
    expect(wb(100n, 1000n, 0n, 1000n)).toBe(40n); // 100·40/100
    expect(wb(100n, 1000n, 50n, 1000n)).toBe(70n); // 40 + 1000·50/1000·60/100 = 40 + 30
    expect(wb(100n, 1000n, 100n, 1000n)).toBe(100n); // 40 + 60, = l
    expect(wb(100n, 1000n, 1000n, 1000n)).toBe(100n); // capped at l
    expect(wb(100n, 1000n, 0n, 0n)).toBe(40n); // no veCRV at all: no boost term
  });

  it('behavior: the integer form floors left to right (l·40/100, then L·v/V, then ·60/100)', () => {
    // l = 7, L = 10, v = 1, V = 3: 280/100 = 2; 10·1/3 = 3; 3·60/100 = 1 → 3 (the real-number formula gives 4.8).
    expect(wb(7n, 10n, 1n, 3n)).toBe(3n);
    expect(workingBalanceNumber(7, 10, 1, 3)).toBeCloseTo(4.8, 12);
  });

  it('behavior: gauge v1 before BOOST_WARMUP gives no boost', () => {
    expect(workingBalance({ balance: 100n, totalSupply: 1000n, veBalance: 100n, veTotalSupply: 1000n, boostActive: false })).toBe(40n);
    expect(boostFactor(100, 1000, 100, 1000, false)).toBe(1);
  });

  it('behavior: the maximum boost is 2.5×, reached at v/V = l/L', () => {
    expect(MAX_BOOST).toBe(2.5);
    expect(boostFactor(100, 1000, 100, 1000)).toBeCloseTo(2.5, 12);
    expect(boostFactor(100, 1000, 1000, 1000)).toBeCloseTo(2.5, 12);
    expect(boostFactor(100, 1000, 0, 1000)).toBe(1);
    expect(veShareForMaxBoost(100, 1000)).toBeCloseTo(0.1, 12);
    const l = 1234n * E18;
    const L = 98765n * E18;
    const V = 5_000_000n * E18;
    const v = (V * l) / L + 1n; // just past the share needed
    expect(wb(l, L, v, V)).toBe(l);
  });

  it('error: overflow reverts bare, as Vyper does', () => {
    expect(revertReason(() => wb(1n, 1n << 200n, 1n << 100n, 1n))).toBe('');
  });

  it('property: exact and float forms agree to rounding; 0.4·l ≤ working ≤ l; boost in [1, 2.5]', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 27n }),
        fc.bigInt({ min: 0n, max: 10n ** 27n }),
        fc.bigInt({ min: 0n, max: 10n ** 27n }),
        fc.bigInt({ min: 0n, max: 10n ** 27n }),
        (l, others, v, extraV) => {
          const L = l + others;
          const V = v + extraV;
          const exact = wb(l, L, v, V);
          expect(exact).toBeLessThanOrEqual(l);
          expect(exact).toBeGreaterThanOrEqual((l * 40n) / 100n);
          const approx = workingBalanceNumber(Number(l), Number(L), Number(v), Number(V));
          expect(Math.abs(Number(exact) - approx)).toBeLessThanOrEqual(3 + approx * 1e-12);
          const b = boostFactor(Number(l), Number(L), Number(v), Number(V));
          expect(b).toBeGreaterThanOrEqual(1 - 1e-12);
          expect(b).toBeLessThanOrEqual(MAX_BOOST + 1e-12);
        },
      ),
      { numRuns: 300, seed: 1206 },
    );
  });
});

describe('emission shares with working balances', () => {
  it('behavior: two equal stakers, one with all veCRV: 100 vs 40 working, emissions 100/140 and 40/140', () => {
    const { balances, workingSupply } = workingBalances(
      [
        { balance: 100n, veBalance: 500n },
        { balance: 100n, veBalance: 0n },
      ],
      500n,
    );
    expect(balances).toEqual([100n, 40n]);
    expect(workingSupply).toBe(140n);
    // rate 1e18/s, the whole inflation (weight 1e18), 140 s: Δintegral = 1e36, credited wb·1e36/1e18.
    expect(gaugeClaimable(100n, 140n, E18, E18, 140n)).toBe(100n * E18);
    expect(gaugeClaimable(40n, 140n, E18, E18, 140n)).toBe(40n * E18);
    expect(emissionShare(100, 140)).toBeCloseTo(100 / 140, 12);
    expect(gaugeClaimable(5n, 0n, E18, E18, 10n)).toBe(0n);
  });

  it('behavior: the integral floors once per interval, then per staker', () => {
    // Δintegral = ⌊3·1·7 / 4⌋ = 5; staker with 3: ⌊3·5/1e18⌋ = 0 — tiny emissions vanish as in the gauge.
    expect(gaugeClaimable(3n, 4n, 3n, 1n, 7n)).toBe(0n);
    // With 1e18-scaled weight: Δintegral = ⌊3·1e18·7/4⌋ = 5.25e18, staker 3 gets ⌊15.75⌋ = 15.
    expect(gaugeClaimable(3n, 4n, 3n, E18, 7n)).toBe(15n);
  });

  it('property: credited amounts over all stakers never exceed what the gauge emitted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ balance: fc.bigInt({ min: 0n, max: 10n ** 24n }), veBalance: fc.bigInt({ min: 0n, max: 10n ** 24n }) }), { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 1n, max: 10n ** 19n }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (stakers, extraVe, rate, dt) => {
          const veTotal = stakers.reduce((s, x) => s + x.veBalance, 0n) + extraVe;
          const { balances, workingSupply } = workingBalances(stakers, veTotal);
          const credited = balances.reduce((s, w) => s + gaugeClaimable(w, workingSupply, rate, E18, BigInt(dt)), 0n);
          expect(credited).toBeLessThanOrEqual(workingSupply === 0n ? 0n : rate * BigInt(dt));
        },
      ),
      { numRuns: 200, seed: 1207 },
    );
  });
});
