import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TIMESERIES_COLUMNS } from '../sim/metrics/record.ts';
import { runBacktest } from '../runs/backtest.ts';
import { resolveBacktestConfig } from '../runs/config.ts';
import { seriesOf } from '../sim/engine/testing/engineTesting.ts';
import { COMMANDS } from './commands/index.ts';

const readme = readFileSync('README.md', 'utf8');

describe('docs: the README stays true', () => {
  it('behavior: lists every summary.json key a backtest writes', async () => {
    const { summary } = await runBacktest(resolveBacktestConfig({}), seriesOf([100, 101, 99]));
    for (const key of Object.keys(summary)) expect(readme, key).toContain(`\`${key}\``);
  });
  it('behavior: lists every timeseries column', () => {
    for (const c of TIMESERIES_COLUMNS) expect(readme, c).toContain(`\`${c}\``);
  });
  it('behavior: names every command in the command table', () => {
    for (const c of COMMANDS) expect(readme, c.name).toMatch(new RegExp(`\\| \`${c.name}( fetch)?\` \\|`));
  });
  it('behavior: opens with the two commands for a fresh machine', () => {
    const top = readme.slice(0, 1500);
    expect(top).toContain('npm ci && npm start');
    expect(top).toContain('npm ci && npm test');
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm ci && npm test');
  });
});

describe('version', () => {
  it('behavior: ammsim --version matches package.json', async () => {
    const { VERSION } = await import('./version.ts');
    expect(VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });
});
