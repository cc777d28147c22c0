import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AmmsimError, StrategyError } from '../sim/core/errors.ts';
import { NO_ACTIONS } from '../sim/engine/strategy.ts';
import { seriesOf } from '../sim/engine/testing/engineTesting.ts';
import { backtest, runBacktest } from '../runs/backtest.ts';
import { resolveBacktestConfig, type BacktestConfig } from '../runs/config.ts';
import { defineStrategy } from './define.ts';
import { loadStrategy } from './registry.ts';

process.env.AMMSIM_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'ammsim-cache-'));

const cfg = (over: Partial<BacktestConfig>): BacktestConfig => resolveBacktestConfig(over as Record<string, unknown>);
const ok = { onStart: () => [{ kind: 'mint' as const, range: null }], onStep: () => NO_ACTIONS };
const def = (over: Record<string, unknown>): unknown => defineStrategy({ name: 'x', description: 'd', defaults: {}, create: () => ok, ...over } as never);
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('error: found by an audit: a strategy whose create() throws, returns a non-object or is not a function is the strategy\'s error (it crashed with a stack trace, or a TypeError)', () => {
  it('error: create throwing rejects with a StrategyError naming the strategy at step 0, not the user\'s plain Error', async () => {
    const s = defineStrategy({ name: 'ct', description: 'd', defaults: {}, create: () => { throw new Error('create failed'); } });
    const err = await runBacktest(cfg({}), seriesOf([1, 2]), { strategy: s }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StrategyError);
    expect((err as Error).message).toBe('strategy ct: step 0: create(params) threw: create failed');
    expect(((err as Error).cause as Error).message).toBe('create failed');
  });
  it('error: a defineStrategy create returning null is the engine\'s step-0 StrategyError (it was "Cannot read properties of null")', async () => {
    const s = defineStrategy({ name: 'cn', description: 'd', defaults: {}, create: () => null as never });
    await expect(runBacktest(cfg({}), seriesOf([1, 2]), { strategy: s })).rejects.toThrowError('strategy cn: step 0 (2024-01-01T00:00:00.000Z): create() returned null; it must return { onStart(ctx), onStep(ctx) } (onEnd optional)');
  });
  it('error: create that is not a function is refused by defineStrategy (the library rejected with "def.create is not a function")', async () => {
    const err = thrown(() => def({ create: 5 }));
    expect(err).toBeInstanceOf(AmmsimError);
    expect((err as Error).message).toBe('defineStrategy "x": create must be a function create(params) returning { onStart(ctx), onStep(ctx) }; was 5');
  });
  it('error: a plain module whose create throws, run by the CLI, is one line (it was a Node crash at strategyOf)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    writeFileSync(join(dir, 'ct.mjs'), "export default { name: 'ct', description: 'd', defaults: {}, create: () => { throw new Error('create failed'); } };\n");
    const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts', 'ammsim.mjs'), 'backtest', '--strategy', 'ct.mjs', '--out', join(dir, 'out')], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr.trim()).toBe('error: strategy ct (ct.mjs): step 0: create(params) threw: create failed');
    expect(r.status).toBe(1);
  });
});

describe('error: found by an audit: a strategy definition is checked (defaults that are not parameters, a misspelt key, an empty name all ran)', () => {
  it.each([
    [{ defaults: 5 }, 'defaults must be an object of parameter defaults (finite numbers, booleans or strings), e.g. { width: 0.1 }; was 5'],
    [{ defaults: null }, 'defaults must be an object of parameter defaults (finite numbers, booleans or strings), e.g. { width: 0.1 }; was null'],
    [{ defaults: [1] }, 'defaults must be an object of parameter defaults (finite numbers, booleans or strings), e.g. { width: 0.1 }; was [1]'],
    [{ defaults: { a: { b: 1 } } }, 'defaults.a must be a finite number, a boolean or a string; was {"b":1}'],
    [{ defaults: { w: [1, 2] } }, 'defaults.w must be a finite number, a boolean or a string; was [1,2]'],
    [{ defaults: { a: NaN } }, 'defaults.a must be finite; was NaN'],
    [{ crate: 1 }, 'unknown key "crate"; did you mean "create"? (a strategy has name, description, defaults, create)'],
  ])('error: defineStrategy refuses %j', (over, problem) => {
    const err = thrown(() => def(over));
    expect(err).toBeInstanceOf(AmmsimError);
    expect((err as Error).message).toBe(`defineStrategy "x": ${problem}`);
  });
  it('error: an empty name is refused as that (it read "--strategy: must be a strategy name or a path")', () => {
    expect((thrown(() => def({ name: '' })) as Error).message).toBe('defineStrategy: name must be a non-empty string; was ""');
  });
  it('error: a plain module\'s object is checked the same way when loaded, naming its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ammsim-strategy-'));
    const write = (file: string, extra: string): string => {
      writeFileSync(join(dir, file), `export default { name: 'p', description: 'd', create: () => ({ onStart: () => [], onStep: () => [] }), ${extra} };\n`);
      return join(dir, file);
    };
    const crate = write('crate.mjs', 'defaults: {}, crate: 1');
    await expect(loadStrategy(crate)).rejects.toThrowError(`--strategy: ${crate}: unknown key "crate"; did you mean "create"?`);
    const arr = write('arr.mjs', 'defaults: { w: [1, 2] }');
    await expect(loadStrategy(arr)).rejects.toThrowError(`--strategy: ${arr}: defaults.w must be a finite number, a boolean or a string; was [1,2]`);
    const nul = write('nul.mjs', 'defaults: null');
    await expect(loadStrategy(nul)).rejects.toThrowError(`--strategy: ${nul}: defaults must be an object of parameter defaults`);
  });
  it('error: a library strategy object is checked too, and its parameters must be finite (params: { stop: NaN } ran and recorded "stop": null)', async () => {
    const plain = { name: 'p', description: 'd', defaults: { stop: 0.2 }, create: () => ok } as never;
    await expect(backtest({ strategy: { ...(plain as object), crate: 1 } as never })).rejects.toThrowError('strategy: p: unknown key "crate"; did you mean "create"?');
    await expect(backtest({ strategy: plain, params: { stop: NaN } })).rejects.toThrowError('--param: stop must be a finite number; was NaN');
    await expect(backtest({ strategy: plain, params: { stop: Infinity } })).rejects.toThrowError('--param: stop must be a finite number; was Infinity');
  });
  it('error: a parameter name inherited from Object.prototype is not a parameter', async () => {
    const plain = { name: 'p', description: 'd', defaults: { stop: 0.2 }, create: () => ok } as never;
    await expect(backtest({ strategy: plain, params: { toString: 'x' } })).rejects.toThrowError('strategy "p" has no parameter "toString"');
  });
});

describe('error: found by an audit: wording of strategy errors', () => {
  it('error: an async onStep is said to return a Promise (it read "onStep returned {}")', async () => {
    const s = defineStrategy({ name: 'as', description: 'd', defaults: {}, create: () => ({ onStart: () => NO_ACTIONS, onStep: (async () => NO_ACTIONS) as never }) });
    await expect(runBacktest(cfg({}), seriesOf([1, 2, 3]), { strategy: s })).rejects.toThrowError(
      /^strategy as: step 1 \(.*\): onStep returned a Promise \(an async function\?\); strategies are synchronous: onStep must return an array of actions \(NO_ACTIONS when idle\), not a Promise of one$/,
    );
  });
  it('error: a history index past the step names the strategy once', async () => {
    const s = defineStrategy({ name: 'bad', description: 'd', defaults: {}, create: () => ({ onStart: () => NO_ACTIONS, onStep: (ctx) => (ctx.history.price(ctx.step + 1), NO_ACTIONS) }) });
    const err = await runBacktest(cfg({}), seriesOf([1, 2, 3]), { strategy: s }).then(() => undefined, (e: Error) => e);
    expect(err?.message.match(/strategy bad/g)).toHaveLength(1);
  });
  it('error: a .cjs module is said to be unsupported, with the extensions that are (it read "unknown strategy")', async () => {
    // refused by its name, before the file is looked for
    await expect(loadStrategy('y.cjs')).rejects.toThrowError('--strategy: y.cjs: a CommonJS module (.cjs, .cts) is not supported; a strategy module is an ES module: .ts, .mts, .js or .mjs');
  });
});
