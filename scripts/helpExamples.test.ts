/**
 * The examples of every command's --help that read the shared data (../shared/…) run as shown (from the checkout, where
 * ../shared is): a user copies them first. `backtest --prices …/binance_spot_ETHUSDT_1h.csv --fee 0.003` failed on the
 * file's gaps. The examples are read from each command module's yargs builder (subcommands included), as --help shows
 * them; their output goes to a temporary folder instead of out/. Examples naming files of the user's (uni.json,
 * grid.json, FILE.csv…), the outputs of another example (report, sweep merge) or the network (data fetch) are not run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ammsim-examples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every `.example(…)` of the command modules: [command path, the example's words after `ammsim`]. */
async function helpExamples(): Promise<Array<[string, string[]]>> {
  const out: Array<[string, string[]]> = [];
  const visit = (name: string, builder: unknown): void => {
    const y = yargs([]) as unknown as { example: (cmd: string, d?: string) => unknown; options: (o: unknown) => unknown; getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, { builder: unknown }> } } };
    const example = y.example.bind(y);
    y.example = (cmd: string, d?: string) => {
      out.push([name, cmd.replace(/^\$0 /, '').split(' ')]);
      return example(cmd, d);
    };
    if (typeof builder === 'function') (builder as (y: unknown) => unknown)(y);
    else if (builder !== undefined) y.options(builder);
    for (const [sub, h] of Object.entries(y.getInternalMethods().getCommandInstance().getCommandHandlers())) visit(`${name} ${sub}`, h.builder);
  };
  for (const c of COMMANDS) visit(c.name, (await c.load()).builder);
  return out;
}

const examples = await helpExamples();
const shared = examples.filter(([cmd, words]) => !cmd.startsWith('data') && words.some((w) => w.startsWith('../shared/')));

describe('--help examples that read the shared data run as shown', () => {
  it('behavior: the walk finds them (backtest, compare, replay, replay-real, validate)', () => {
    expect(new Set(shared.map(([cmd]) => cmd))).toEqual(new Set(['backtest', 'compare', 'replay', 'replay-real', 'validate']));
  });

  const haveShared = shared.every(([, words]) => words.filter((w) => w.startsWith('../shared/')).every((w) => existsSync(resolve(w))));
  it.skipIf(!haveShared).each(shared.map(([cmd, words], i) => [words.join(' '), cmd, words, i] as const))('ammsim %s', (_text, cmd, words, i) => {
    const args = [...words];
    // the output to a temporary place, not the checkout's out/ (a folder for backtest and compare, a file otherwise)
    const out = join(tmp, `ex-${i}${cmd === 'backtest' || cmd === 'compare' ? '' : '.json'}`);
    const at = args.indexOf('--out');
    if (at >= 0) args[at + 1] = out;
    else if (cmd === 'backtest' || cmd === 'compare') args.push('--out', out);
    const r = spawnSync(process.execPath, ['scripts/ammsim.mjs', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([]);
    expect(r.status).toBe(0);
  });
});
