import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BENCH_GROUPS, BENCH_USAGE, BenchArgsError, parseBenchArgs } from './args.ts';

describe('bench runner arguments', () => {
  it('runs everything by default', () => {
    expect(parseBenchArgs([])).toEqual({ quick: false, only: undefined, help: false });
  });
  it('takes --quick, --only and --help', () => {
    const a = parseBenchArgs(['--quick', '--only', 'sweep,real-backtest']);
    expect(a.quick).toBe(true);
    expect([...a.only!]).toEqual(['sweep', 'real-backtest']);
    expect(parseBenchArgs(['--only=engine-v3']).only).toEqual(new Set(['engine-v3']));
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });
  it('refuses an unknown --only name instead of leaving its row out', () => {
    expect(() => parseBenchArgs(['--only', 'sweep,node-start'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--only', 'sweep,node-start'])).toThrow(/unknown benchmark 'node-start'; the names are engine-v2, /);
    expect(() => parseBenchArgs(['--only', ','])).toThrow(/at least one name/);
    expect(() => parseBenchArgs(['--only'])).toThrow(BenchArgsError);
  });
  it('refuses unknown flags and positionals instead of running the whole bench', () => {
    expect(() => parseBenchArgs(['--qiuck'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['sweep'])).toThrow(BenchArgsError);
  });
  it('lists every name the runner and its parts ask for, and the usage lists them all', () => {
    const asked = new Set<string>();
    for (const f of ['run.ts', 'cli.ts', 'extra.ts', 'sweep.ts', 'mining.ts']) {
      const text = readFileSync(new URL(f, import.meta.url), 'utf8');
      for (const m of text.matchAll(/want\('([a-z0-9-]+)'\)/g)) asked.add(m[1]!);
    }
    expect([...asked].sort()).toEqual(BENCH_GROUPS.map(([n]) => n).sort());
    for (const [n] of BENCH_GROUPS) expect(BENCH_USAGE).toContain(n);
  });
});
