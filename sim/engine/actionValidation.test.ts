import { describe, expect, it } from 'vitest';
import { StrategyError } from '../core/errors.ts';
import { runBacktest } from '../../runs/backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from '../../runs/config.ts';
import { NO_ACTIONS } from './strategy.ts';
import { seriesOf } from './testing/engineTesting.ts';

const cfg = (over: Partial<BacktestConfig>): BacktestConfig => resolveBacktestConfig(over as Record<string, unknown>);

/**
 * A plain JavaScript strategy (no types bind it) that opens full range at the start and, at step 2, returns
 * `actions(firstPositionId)`: what the engine makes of it.
 */
const runWith = (actions: (id: number) => unknown[], pool: 'v2' | 'v3' = 'v3'): Promise<unknown> =>
  runBacktest(cfg({ pool }), seriesOf([2000, 2010, 2020, 2030]), {
    strategy: {
      name: 'bad',
      description: '',
      defaults: {},
      create: () => ({
        onStart: () => [{ kind: 'mint', range: null }],
        onStep: (ctx: { step: number; positions: readonly { positionId: number }[] }) => (ctx.step === 2 ? actions(ctx.positions[0]!.positionId) : NO_ACTIONS),
      }),
    } as never,
  });

const at2 = (problem: string): RegExp => new RegExp(`^strategy bad: step 2 \\(2024-01-01T02:00:00\\.000Z\\): ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

describe('error: found by an audit: an action with a key its kind does not take, two forms, or a value of the wrong type is the strategy\'s error, naming it, the step and its time (it was ignored or coerced)', () => {
  it('error: a misspelt key is refused with a "did you mean" (a burn with fractoin: 0.5 burned 100 %)', async () => {
    const err = await runWith((id) => [{ kind: 'burn', positionId: id, fractoin: 0.5 }]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StrategyError);
    expect((err as Error).message).toMatch(at2('{"kind":"burn","positionId":2,"fractoin":0.5}: a burn has no key "fractoin"; did you mean "fraction"? (its keys: kind, positionId, fraction)'));
    await expect(runWith(() => [{ kind: 'useFees', all: true }])).rejects.toThrowError('a useFees has no key "all" (its keys: kind)');
    await expect(runWith((id) => [{ kind: 'collect', positionId: id, fraction: 1 }])).rejects.toThrowError('a collect has no key "fraction" (its keys: kind, positionId)');
    await expect(runWith(() => [{ kind: 'mint', range: null, swapToRaito: false }])).rejects.toThrowError('a mint by range has no key "swapToRaito"; did you mean "swapToRatio"?');
  });

  it('error: an unknown kind gets a "did you mean"', async () => {
    await expect(runWith((id) => [{ kind: 'brun', positionId: id }])).rejects.toThrowError(at2('unknown action {"kind":"brun","positionId":2}; did you mean "burn"? (kinds: mint, burn, collect, useFees, swap, stake, unstake, claim)'));
  });

  it('error: a mint giving both a range and ticks is refused (it was taken as a mint by ticks); keys of the other form are named', async () => {
    await expect(runWith(() => [{ kind: 'mint', range: null, ticks: { lower: -600, upper: 600 }, liquidity: '1000' }])).rejects.toThrowError(
      'a mint is either by range ({ kind: \'mint\', range, base?, quote?, swapToRatio? }) or by ticks ({ kind: \'mint\', ticks, liquidity, swapToRatio? }), not both',
    );
    await expect(runWith(() => [{ kind: 'mint', ticks: { lower: -600, upper: 600 }, liquidity: '1000', base: 1 }])).rejects.toThrowError('a mint by ticks has no key "base" (base goes with a mint by range) (its keys: kind, ticks, liquidity, swapToRatio)');
    await expect(runWith(() => [{ kind: 'mint', liquidity: '1000' }])).rejects.toThrowError('a mint by ticks needs ticks: { lower, upper } with its liquidity');
    await expect(runWith(() => [{ kind: 'mint', range: null, swapToRatio: true, rebalance: true }])).rejects.toThrowError('give swapToRatio or rebalance (its older name), not both');
  });

  it('error: values of the wrong type are refused, not coerced (fraction: \'0.5\' burned half, swapToRatio: \'no\' was true)', async () => {
    await expect(runWith((id) => [{ kind: 'burn', positionId: id, fraction: '0.5' }])).rejects.toThrowError(at2('{"kind":"burn","positionId":2,"fraction":"0.5"}: fraction must be a number; was "0.5" (a string)'));
    await expect(runWith((id) => [{ kind: 'burn', positionId: String(id) }])).rejects.toThrowError('positionId must be an integer (a number); was "2" (a string)');
    await expect(runWith(() => [{ kind: 'mint', range: null, swapToRatio: 'no' }])).rejects.toThrowError('swapToRatio must be true or false; was "no"');
    await expect(runWith(() => [{ kind: 'mint', range: null, base: '1', swapToRatio: false }])).rejects.toThrowError('base must be a number; was "1" (a string)');
    await expect(runWith(() => [{ kind: 'mint', ticks: { lower: -600, upper: 600 }, liquidity: 1000 }])).rejects.toThrowError("liquidity must be a decimal string or a bigint (a uint128); was 1000 (a number: give it as a string, '1000')");
    await expect(runWith(() => [{ kind: 'claim', program: '0' }])).rejects.toThrowError('program must be an integer (a number); was "0" (a string)');
  });

  it('behavior: the declared forms still run, and a key set to undefined counts as absent', async () => {
    await expect(runWith((id) => [{ kind: 'burn', positionId: id, fraction: 0.5 }, { kind: 'collect', positionId: id }, { kind: 'useFees' }])).resolves.toBeDefined();
    await expect(runWith((id) => [{ kind: 'burn', positionId: id, fraction: undefined }, { kind: 'mint', range: { lower: 1900, upper: 2200 }, ticks: undefined, swapToRatio: true }])).resolves.toBeDefined();
  });
});
