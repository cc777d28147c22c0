/**
 * The architecture as rules (README "Layout"): data → runs → engine (pools ← strategies' intents) → record → metrics
 * → reports. Every relative import and node built-in of every production file is checked (type-only imports too).
 * Test files (*.test.ts) and test helpers in testing/ folders may reach anything; production code never reaches them.
 *
 * dependency-cruiser was tried first: it scans and parses .ts files only with a TypeScript it recognises, and with this
 * project's TypeScript 7 it extracted no dependencies from .ts files, so the rules passed vacuously. The import graph is
 * read here instead, with the same rule vocabulary (from-folder → forbidden-folder).
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Rule {
  readonly name: string;
  /** Files the rule applies to: a path prefix (relative to the root, with /). */
  readonly from: string;
  readonly except?: readonly string[];
  /** Forbidden targets: path prefixes of ours, or node built-ins (`node:fs` …). */
  readonly to: readonly string[];
}

const IO = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process', 'node:net', 'net', 'node:http', 'http', 'node:https', 'https', 'node:worker_threads', 'worker_threads'];
const TOP = ['sim/', 'runs/', 'strategies/', 'data/', 'reports/', 'scripts/', 'index.ts'];

export const RULES: readonly Rule[] = [
  { name: 'core-is-a-leaf', from: 'sim/core/', to: TOP.filter((t) => t !== 'sim/').concat(['sim/math/', 'sim/pools/', 'sim/engine/', 'sim/metrics/', 'sim/replay/']) },
  { name: 'math-imports-only-core', from: 'sim/math/', to: TOP.filter((t) => t !== 'sim/').concat(['sim/pools/', 'sim/engine/', 'sim/metrics/', 'sim/replay/']) },
  { name: 'pools-know-no-loop', from: 'sim/pools/', to: ['sim/engine/', 'strategies/', 'runs/', 'data/', 'scripts/', 'reports/', 'index.ts'] },
  { name: 'engine-only-loops', from: 'sim/engine/', to: ['scripts/', 'reports/', 'runs/', 'data/', 'strategies/', 'index.ts'] },
  { name: 'metrics-are-pure', from: 'sim/metrics/', to: ['sim/engine/', 'runs/', 'scripts/', 'reports/', 'index.ts'] },
  { name: 'sim-below-runs', from: 'sim/', to: ['runs/', 'reports/', 'scripts/', 'index.ts'] },
  { name: 'reports-never-rerun', from: 'reports/', to: ['sim/engine/', 'runs/', 'scripts/', 'index.ts'] },
  { name: 'strategies-return-intents', from: 'strategies/', to: ['data/', 'runs/', 'reports/', 'scripts/', 'index.ts'] },
  // The registry loads user modules by path (it resolves and imports files): the one I/O strategies/ may do.
  { name: 'strategies-do-no-io', from: 'strategies/', except: ['strategies/registry.ts'], to: IO },
  { name: 'data-knows-no-simulation', from: 'data/', to: ['sim/engine/', 'runs/', 'sim/pools/', 'strategies/', 'scripts/', 'reports/', 'index.ts'] },
];

const isTestFile = (f: string): boolean => f.endsWith('.test.ts') || f.includes('/testing/') || f.endsWith('.test-setup.ts');
/** Developer tools that drive the test harnesses (not shipped: package.json `files` leaves them out). */
const DEV_TOOLS = ['scripts/fuzz-v3.ts', 'scripts/screenshot.ts', 'scripts/bench/'];
const isDevTool = (f: string): boolean => DEV_TOOLS.some((d) => (d.endsWith('/') ? f.startsWith(d) : f === d));

/** Every source file under `root`'s top-level parts (posix paths relative to root). */
function sources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const p = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures' && !e.name.startsWith('.')) walk(p);
      } else if (/\.(ts|mts|mjs)$/.test(e.name)) out.push(p);
    }
  };
  for (const d of ['sim', 'runs', 'strategies', 'data', 'reports', 'scripts']) {
    try {
      walk(d);
    } catch {
      // a part that does not exist has no imports
    }
  }
  try {
    readFileSync(join(root, 'index.ts'));
    out.push('index.ts');
  } catch {
    // no root entry
  }
  return out.sort();
}

/** Import specifiers of a TypeScript/JS source: static, type-only, re-exports, dynamic `import('…')`, `new URL('…')` is not an import. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  for (const m of code.matchAll(/(?:^|[;\s}])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  return specs;
}

interface Edge {
  readonly from: string;
  /** A path relative to the root for our files, else the bare specifier. */
  readonly to: string;
}

function edges(root: string): Edge[] {
  const out: Edge[] = [];
  for (const f of sources(root)) {
    for (const spec of importsOf(readFileSync(join(root, f), 'utf8'))) {
      const to = spec.startsWith('.') ? relative(root, normalize(join(root, dirname(f), spec))).split('\\').join('/') : spec;
      out.push({ from: f, to });
    }
  }
  return out;
}

export function violations(root: string): string[] {
  const found: string[] = [];
  for (const e of edges(root)) {
    if (isTestFile(e.from) || isDevTool(e.from)) continue;
    if (isTestFile(e.to) && e.to.includes('/')) found.push(`no-test-helpers-in-production: ${e.from} → ${e.to}`);
    for (const r of RULES) {
      if (!e.from.startsWith(r.from) || r.except?.includes(e.from)) continue;
      if (r.to.some((t) => (t.endsWith('/') ? e.to.startsWith(t) : e.to === t))) found.push(`${r.name}: ${e.from} → ${e.to}`);
    }
  }
  return found;
}

describe('the architecture (README "Layout")', () => {
  it('behavior: every import of the project follows the rules', () => {
    const all = edges('.');
    expect(all.length).toBeGreaterThan(1000);
    expect(violations('.')).toEqual([]);
  });

  it('behavior: reads static, type-only, re-export and dynamic imports, not comments', () => {
    expect(
      importsOf(`import a from './a.ts';\nimport type { B } from "../b.ts";\nexport { c } from './c.ts';\nexport * from './d.ts';\nconst e = await import('./e.ts');\n// import x from './no.ts'\n/* import y from './no2.ts' */\nimport './side.ts';\nimport {\n  f,\n  g,\n} from './fg.ts';`),
    ).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './side.ts', './fg.ts', './e.ts']);
  });

  it('behavior: the rules catch each kind of violation in a tree of the same shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ammsim-arch-'));
    const file = (path: string, text: string): void => {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    file('runs/backtest.ts', 'export const x = 1;\n');
    file('sim/core/errors.ts', "import { x } from '../math/a.ts';\nexport const e = x;\n");
    file('sim/math/a.ts', "import { p } from '../pools/p.ts';\nexport const x = p;\n");
    file('sim/pools/p.ts', "import type { L } from '../engine/loop.ts';\nexport const p = 1;\n");
    file('sim/engine/loop.ts', "import { x } from '../../runs/backtest.ts';\nexport const l = x;\n");
    file('strategies/s.ts', "import { readFileSync } from 'node:fs';\nexport const s = readFileSync;\n");
    file('strategies/t.ts', "import { d } from '../data/d.ts';\nexport const t = d;\n");
    file('reports/r.ts', "export { l } from '../sim/engine/loop.ts';\n");
    file('data/d.ts', "const p = await import('../sim/pools/p.ts');\nexport const d = p;\n");
    file('sim/metrics/m.ts', "import { h } from '../engine/testing/h.ts';\nexport const m = h;\n");
    file('sim/engine/testing/h.ts', "import { x } from '../../../runs/backtest.ts';\nexport const h = x;\n");
    file('sim/engine/loop.test.ts', "import { x } from '../../runs/backtest.ts';\n");
    const rules = new Set(violations(dir).map((v) => v.split(':')[0]));
    expect([...rules].sort()).toEqual(
      [
        'core-is-a-leaf', 'math-imports-only-core', 'pools-know-no-loop', 'engine-only-loops', 'sim-below-runs', 'strategies-do-no-io',
        'strategies-return-intents', 'reports-never-rerun', 'data-knows-no-simulation', 'metrics-are-pure', 'no-test-helpers-in-production',
      ].sort(),
    );
    // Test files and testing/ helpers are exempt.
    expect(violations(dir).some((v) => v.includes('loop.test.ts') || v.includes('→ runs/backtest.ts') && v.includes('testing/h.ts →'))).toBe(false);
  });
});

/**
 * `Math.pow` and `**` on numbers are "implementation-approximated" in ECMAScript, and Node 20 and Node 24 return
 * different last bits for them (sim/core/pow.ts), so results would depend on the Node that ran them. Production
 * code uses pow10, getPriceAtTickFloat or exp/log1p instead. `**` stays allowed on bigints (exact) and with the
 * literal base 2 (powers of two are exact doubles).
 */
export function powViolations(file: string, text: string): string[] {
  // comments and strings out, left to right (whichever starts first wins), keeping line breaks for line numbers
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (t) =>
    t.startsWith('/') ? t.replace(/[^\n]/g, '') : "''",
  );
  const found: string[] = [];
  const line = (i: number): number => code.slice(0, i).split('\n').length;
  for (const m of code.matchAll(/\bMath\.pow\s*\(/g)) found.push(`${file}:${line(m.index)}: Math.pow`);
  for (const m of code.matchAll(/\*\*=?/g)) {
    const before = code.slice(Math.max(0, m.index - 40), m.index);
    const after = code.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const bigint = /\b\d+n\s*$/.test(before) || /^\s*(\d+n\b|BigInt\()/.test(after);
    const baseTwo = /(^|[^\w.])2\s*$/.test(before);
    if (!bigint && !baseTwo) found.push(`${file}:${line(m.index)}: ** on a number`);
  }
  return found;
}

describe('numbers the same on every Node (README "Determinism")', () => {
  it('behavior: no production file calls Math.pow or raises a number to a power with **', () => {
    const found = sources('.')
      .filter((f) => !isTestFile(f) && !isDevTool(f))
      .flatMap((f) => powViolations(f, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('behavior: the check catches Math.pow and number powers, not bigints, powers of two, comments or strings', () => {
    const src = [
      'const a = Math.pow(1.0001, tick);',
      'const b = x ** 2;',
      'let c = 3; c **= y;',
      'const d = 10n ** BigInt(k) + 2n ** 96n;',
      'const e = -(2 ** 23) + 2 ** (retry - 1);',
      '// Math.pow(10, k) in a comment',
      "const f = '**/*';",
      '/** a doc comment with x ** y */',
    ].join('\n');
    expect(powViolations('x.ts', src)).toEqual(['x.ts:1: Math.pow', 'x.ts:2: ** on a number', 'x.ts:3: ** on a number']);
  });
});
