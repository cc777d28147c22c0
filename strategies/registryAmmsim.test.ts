import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdStrategy } from './lp/hold.ts';
import { BUILTIN_STRATEGIES, loadStrategy, loadStrategyFactory } from './registry.ts';

const root = resolve('.');

/** A user strategy that imports from 'ammsim', as the README says a module outside the checkout does. */
const TS = `import { defineStrategy, NO_ACTIONS, type LpAction } from 'ammsim';
export default defineStrategy({
  name: 'outside',
  description: 'full range, from a folder without ammsim installed',
  defaults: { k: 1 },
  create: () => ({ onStart: (): readonly LpAction[] => [{ kind: 'mint', range: null }], onStep: () => NO_ACTIONS }),
});
`;
const MJS = TS.replace(', type LpAction', '').replace('(): readonly LpAction[] =>', '() =>');

// compiled modules are cached here, not in the user's ~/.cache
process.env.AMMSIM_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'ammsim-cache-'));

describe("a user strategy importing 'ammsim' from a folder where Node finds no ammsim (ammsim installed globally, or a checkout)", () => {
  // the temporary folder has no node_modules up its path: 'ammsim' resolves from nowhere but the running ammsim
  const dir = mkdtempSync(join(tmpdir(), 'ammsim-outside-'));

  it.each(['s.ts', 's.mts', 's.mjs', 's.js'])('behavior: %s loads, with defineStrategy and NO_ACTIONS from this ammsim', async (file) => {
    writeFileSync(join(dir, file), file.endsWith('ts') ? TS : MJS);
    const f = await loadStrategyFactory(join(dir, file));
    expect(f.name).toBe('outside');
    expect(f.defaults).toEqual({ k: 1 });
    expect(f.create({ k: 1 }).onStart({} as never)).toEqual([{ kind: 'mint', range: null }]);
  });

  it("behavior: an ammsim that the module's folder does resolve is still the one it gets", async () => {
    const d = mkdtempSync(join(tmpdir(), 'ammsim-outside-'));
    mkdirSync(join(d, 'node_modules', 'ammsim'), { recursive: true });
    writeFileSync(join(d, 'node_modules', 'ammsim', 'package.json'), JSON.stringify({ name: 'ammsim', type: 'module', exports: { '.': { import: './own.js' } } }));
    writeFileSync(join(d, 'node_modules', 'ammsim', 'own.js'), "export const NO_ACTIONS = []; export const defineStrategy = (d) => ({ ...d, name: `local-${d.name}` });\n");
    for (const file of ['s.ts', 's.mjs']) {
      writeFileSync(join(d, file), file.endsWith('ts') ? TS : MJS);
      expect((await loadStrategyFactory(join(d, file))).name).toBe('local-outside');
    }
  });

  it('error: another missing package is still reported as Node or esbuild reports it', async () => {
    writeFileSync(join(dir, 'missing.mjs'), "import { x } from 'no-such-package-ammsim';\nexport default x;\n");
    await expect(loadStrategy(join(dir, 'missing.mjs'))).rejects.toThrow(/could not load .*missing\.mjs: Cannot find package 'no-such-package-ammsim'/);
    writeFileSync(join(dir, 'missing.ts'), "import { x } from 'no-such-package-ammsim';\nexport default x;\n");
    await expect(loadStrategy(join(dir, 'missing.ts'))).rejects.toThrow(/could not load .*missing\.ts: .*no-such-package-ammsim/);
  });

  it('behavior: the CLI (the bundle in dist/) runs such a module', () => {
    writeFileSync(join(dir, 'cli.ts'), TS);
    const out = join(dir, 'out');
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'ammsim.mjs'), 'backtest', '--strategy', join(dir, 'cli.ts'), '--out', out], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { strategyName: string }).strategyName).toBe('outside');
  });
});

describe('BUILTIN_STRATEGIES', () => {
  it('behavior: lists the built-ins in --help order', () => {
    expect([...BUILTIN_STRATEGIES.keys()]).toEqual(['hold', 'full-range', 'range', 'rebalance', 'adaptive']);
    expect(BUILTIN_STRATEGIES.size).toBe(5);
    expect(BUILTIN_STRATEGIES.get('hold')).toBe(BUILTIN_STRATEGIES.get('hold'));
    expect([...BUILTIN_STRATEGIES].map(([k]) => k)).toEqual([...BUILTIN_STRATEGIES.keys()]);
    const seen: string[] = [];
    BUILTIN_STRATEGIES.forEach((f, k, m) => {
      expect(m).toBe(BUILTIN_STRATEGIES);
      seen.push(`${k}=${f.name}`);
    });
    expect(seen).toEqual(['hold=hold', 'full-range=full-range', 'range=range', 'rebalance=rebalance', 'adaptive=adaptive']);
  });

  it('behavior: a library caller cannot change what --strategy <name> loads (no set, delete or clear; factories frozen)', async () => {
    const m = BUILTIN_STRATEGIES as unknown as Map<string, unknown>;
    expect(() => m.set('full-range', holdStrategy)).toThrow(TypeError);
    expect(() => m.delete('full-range')).toThrow(TypeError);
    expect(() => m.clear()).toThrow(TypeError);
    expect(() => Map.prototype.set.call(m, 'full-range', holdStrategy)).toThrow(TypeError);
    expect(() => Object.assign(BUILTIN_STRATEGIES.get('full-range')!, { create: holdStrategy.create })).toThrow(TypeError);
    expect(() => Object.assign(m, { get: () => holdStrategy })).toThrow(TypeError);
    expect((await loadStrategyFactory('full-range')).name).toBe('full-range');
    expect(BUILTIN_STRATEGIES.size).toBe(5);
  });
});
