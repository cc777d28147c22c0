import { describe, expect, it } from 'vitest';
import { createV3Replayer } from './v3Replay.ts';

const init = { type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: '79228162514264337593543950336' };

describe('error: found by an audit: a type or event name that starts with a vowel takes "an" ("must be a int256", "a field of a initialize event")', () => {
  it('error: an int24 tick and an int256 amount out of range, a uint128 kept as "a"', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    r.apply(init, 1);
    expect(() => r.apply({ type: 'burn', owner: 'a', tickLower: 8388608, tickUpper: 60, amount: '1' }, 2)).toThrowError('ev.jsonl:2: tickLower: must be an int24 in [-8388608, 8388607]; was 8388608');
    expect(() => r.apply({ type: 'swap', zeroForOne: true, amountSpecified: (1n << 255n).toString(), sqrtPriceLimitX96: '4295128740' }, 3)).toThrowError(/^ev\.jsonl:3: amountSpecified: must be an int256 in \[/);
    expect(() => r.apply({ type: 'mint', owner: 'a', tickLower: -60, tickUpper: 60, amount: '-1' }, 4)).toThrowError('amount: must be a uint128 in [0, ');
  });
  it('error: an unknown field of an initialize event', () => {
    const r = createV3Replayer({ file: 'ev.jsonl' });
    expect(() => r.apply({ ...init, pool: 'v3' }, 1)).toThrowError(/^ev\.jsonl:1: pool: is not a field of an initialize event \(fields: /);
  });
});
