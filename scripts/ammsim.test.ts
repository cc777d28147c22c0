import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';

/**
 * scripts/ammsim.mjs in a checkout rebuilds dist/ when the bundle is stale, judged from the build's manifest
 * (the sources it read and when it started). A scratch checkout: ammsim.mjs, a stand-in build.mjs that records
 * that it ran, a stand-in bundle that prints "ran", and two sources.
 */
describe('ammsim.mjs: rebuild when stale', () => {
  let root = '';
  const startedAtMs = Date.UTC(2030, 0, 1);
  const at = (ms: number): Date => new Date(ms);
  const manifest = (m: Record<string, unknown>): void => writeFileSync(join(root, 'dist', '.cli-build.json'), JSON.stringify(m));
  const run = (): { rebuilt: boolean; stdout: string } => {
    rmSync(join(root, 'rebuilt'), { force: true });
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'ammsim.mjs')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return { rebuilt: existsSync(join(root, 'rebuilt')), stdout: r.stdout };
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ammsim-checkout-'));
    for (const d of ['.git', 'scripts', 'dist', 'sim', 'node_modules']) mkdirSync(join(root, d));
    copyFileSync(join('scripts', 'ammsim.mjs'), join(root, 'scripts', 'ammsim.mjs'));
    symlinkSync(join(process.cwd(), 'node_modules', 'esbuild'), join(root, 'node_modules', 'esbuild'));
    writeFileSync(join(root, 'scripts', 'build.mjs'), "import { writeFileSync } from 'node:fs';\nwriteFileSync('rebuilt', '');\n");
    writeFileSync(join(root, 'dist', 'bin.js'), "console.log('ran');\n");
    for (const f of ['sim/a.ts', 'scripts/bin.ts']) {
      writeFileSync(join(root, f), '');
      utimesSync(join(root, f), at(startedAtMs - 1000), at(startedAtMs - 1000));
    }
    manifest({ current: ['bin.js'], previous: [], startedAtMs, inputs: ['scripts/bin.ts', 'sim/a.ts'] });
  });

  it('behavior: sources older than the build: runs the bundle, no rebuild', () => {
    expect(run()).toEqual({ rebuilt: false, stdout: 'ran\n' });
  });
  it('behavior: a source saved after the build started: rebuilds, then runs', () => {
    utimesSync(join(root, 'sim', 'a.ts'), at(startedAtMs + 1), at(startedAtMs + 1));
    expect(run()).toEqual({ rebuilt: true, stdout: 'ran\n' });
  });
  it('behavior: a source of the bundle gone, a manifest without inputs, or none: rebuilds', () => {
    rmSync(join(root, 'sim', 'a.ts'));
    expect(run().rebuilt).toBe(true);
    manifest({ current: ['bin.js'], previous: [] });
    expect(run().rebuilt).toBe(true);
    rmSync(join(root, 'dist', '.cli-build.json'));
    expect(run().rebuilt).toBe(true);
  });
  it('behavior: dependencies installed after the build (node_modules/.package-lock.json newer): rebuilds', () => {
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
    utimesSync(join(root, 'node_modules', '.package-lock.json'), at(startedAtMs - 1), at(startedAtMs - 1));
    expect(run().rebuilt).toBe(false);
    utimesSync(join(root, 'node_modules', '.package-lock.json'), at(startedAtMs + 1000), at(startedAtMs + 1000));
    expect(run().rebuilt).toBe(true);
  });
  it('behavior: not a checkout (no .git): never rebuilds, even when stale', () => {
    rmSync(join(root, '.git'), { recursive: true });
    utimesSync(join(root, 'sim', 'a.ts'), at(startedAtMs + 1), at(startedAtMs + 1));
    expect(run()).toEqual({ rebuilt: false, stdout: 'ran\n' });
  });
});

describe('the bundle starts cheaply', () => {
  // scripts/build.mjs: the Intl.Segmenter and the RGI_Emoji regex of yargs' string-width copies are made on first use (help, errors), not at import
  it('behavior: no Intl.Segmenter or emoji regex is made at import; help and errors still measure text', () => {
    for (const f of readdirSync('dist').filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join('dist', f), 'utf8'), f).not.toMatch(/^(var|let|const) \w+ = (new Intl\.Segmenter\(\)|\/\^\\p\{RGI_Emoji\}\$\/v|new RegExp\("\^\\\\p\{RGI_Emoji\}\$", "v"\));$/m);
    }
    const help = spawnSync(process.execPath, ['scripts/ammsim.mjs', 'backtest', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--prices/);
    const bad = spawnSync(process.execPath, ['scripts/ammsim.mjs', 'backtest', '--no-such-flag'], { encoding: 'utf8' });
    expect(bad.stderr).toMatch(/^error: --no-such-flag: unknown flag/);
  });
});
