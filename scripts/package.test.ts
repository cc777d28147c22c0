import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What `npm pack` ships (package.json `files`, issue #11 item 16): the prebuilt CLI in dist/ (so an installed
 * `ammsim` starts from the bundle, not by compiling the sources through tsx), the sources user strategies and
 * types import, and no tests, test helpers, fixtures or benchmarks.
 */

const npm = spawnSync('npm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
const haveNpm = npm.status === 0;

function packedFiles(): string[] {
  // --ignore-scripts: dist/ is already built (vitest's global setup builds it), so no second build here
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', maxBuffer: 64 << 20, shell: process.platform === 'win32' });
  expect(r.status, r.stderr).toBe(0);
  const [info] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
  return info!.files.map((f) => f.path).sort();
}

describe.skipIf(!haveNpm)('npm pack contents (skipped: npm not on PATH)', () => {
  const files = haveNpm ? packedFiles() : [];

  it('behavior: ships the bundle (dist/bin.js, the sweep worker) and the bin script', () => {
    expect(existsSync('dist/bin.js'), 'dist/ is built by the global test setup').toBe(true);
    expect(files).toContain('dist/bin.js');
    expect(files).toContain('dist/sweep-worker.js');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    for (const bin of Object.values(pkg.bin)) expect(files).toContain(normalize(bin));
    // npm pack / publish build dist/ first
    expect(pkg.scripts['prepack']).toMatch(/\bbuild\b/);
  });

  it('behavior: ships the library entry each condition of exports "." names; `default` (last) serves require() and other loaders', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, Record<string, string>> };
    const root = pkg.exports['.']!;
    // `types` first (TypeScript takes the first condition that matches), `default` last (Node's rule)
    expect(Object.keys(root)).toEqual(['types', 'import', 'default']);
    expect(root['default']).toBe(root['import']);
    for (const target of Object.values(root)) expect(files).toContain(normalize(target));
  });

  it('behavior: no test files, test helpers, fixtures or benchmarks', () => {
    expect(files.filter((f) => /\.test\.(d\.)?ts$|\.test-setup\.(d\.)?ts$|(^|\/)(testing|fixtures)\/|^scripts\/bench\//.test(f))).toEqual([]);
    // and the sources are there
    for (const f of ['scripts/cli.ts', 'sim/engine/strategy.ts', 'strategies/define.ts', 'runs/backtest.ts', 'data/loaders/csvPrices.ts']) expect(files).toContain(f);
  });

  it('behavior: every relative import of a shipped source resolves to a shipped file (nothing needed is left out)', () => {
    const shipped = new Set(files);
    expect(files.filter((p) => p.endsWith('.ts')).length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const f of files.filter((p) => p.endsWith('.ts'))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = normalize(join(dirname(f), m[1]!));
        // TypeScript resolves `./x.ts` to x.ts or, from declaration files, x.d.ts
        if (!shipped.has(target) && !shipped.has(target.replace(/\.ts$/, '.d.ts'))) missing.push(`${f} → ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
