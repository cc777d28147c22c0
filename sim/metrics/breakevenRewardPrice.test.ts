import { describe, expect, it } from 'vitest';
import { breakevenRewardPrice, rewardBreakevenInputOf } from './breakevenRewardPrice.ts';

describe('breakevenRewardPrice (hand-computed)', () => {
  it('behavior: all rewards held: LP without rewards 9,000, hold 10,000, 500 tokens → 2 quote per token', () => {
    expect(breakevenRewardPrice({ lpValueWithoutRewards: 9000, benchmarkValue: 10_000, tokensHeld: 500, tokensSold: 0 })).toEqual({ price: 2 });
  });

  it('behavior: some sold with 2 % lost: 300 held, 200 sold → 1,000 / (300 + 0.98·200) = 2.0161290…', () => {
    // The run: 200 tokens sold at 1.5 with 2 % lost (proceeds 294, slippage 6); 300 held, last price 1.2;
    // position and fees worth 9,000 → final value 9,000 + 360 + 294 = 9,654.
    const x = rewardBreakevenInputOf({ finalValue: 9654, rewardPriceAtEnd: 1.2, tokensHeld: 300, tokensSold: 200, saleProceeds: 294, saleSlippage: 6 }, 10_000);
    expect(x.lpValueWithoutRewards).toBeCloseTo(9000, 10);
    expect(x.saleLoss).toBeCloseTo(0.02, 15);
    const p = breakevenRewardPrice(x).price!;
    expect(p).toBeCloseTo(1000 / 496, 12);
    // at that constant price the LP ends level: 9,000 + 300·p + 200·p·0.98 = 10,000
    expect(9000 + 300 * p + 200 * p * 0.98).toBeCloseTo(10_000, 9);
  });

  it('behavior: against staking the benchmark is staking’s final value; an LP already ahead gives a negative price', () => {
    expect(breakevenRewardPrice({ lpValueWithoutRewards: 9000, benchmarkValue: 9500, tokensHeld: 100, tokensSold: 100, saleLoss: 0.5 }).price).toBeCloseTo(500 / 150, 14);
    expect(breakevenRewardPrice({ lpValueWithoutRewards: 10_500, benchmarkValue: 10_000, tokensHeld: 250, tokensSold: 0 }).price).toBe(-2);
  });

  it('behavior: undefined, with a reason, when there is nothing to price or the inputs are not numbers', () => {
    expect(breakevenRewardPrice({ lpValueWithoutRewards: 9000, benchmarkValue: 10_000, tokensHeld: 0, tokensSold: 0 })).toEqual({
      price: undefined,
      reason: 'the LP earned no reward tokens: no reward price changes its value',
    });
    expect(breakevenRewardPrice({ lpValueWithoutRewards: NaN, benchmarkValue: 10_000, tokensHeld: 1, tokensSold: 0 }).reason).toMatch(/lpValueWithoutRewards is not a finite number/);
    expect(breakevenRewardPrice({ lpValueWithoutRewards: 1, benchmarkValue: 2, tokensHeld: 0, tokensSold: 5, saleLoss: 1 }).reason).toMatch(/sale loss must be in \[0, 1\)/);
    expect(breakevenRewardPrice({ lpValueWithoutRewards: 1, benchmarkValue: 2, tokensHeld: -1, tokensSold: 5 }).reason).toMatch(/≥ 0/);
  });
});
