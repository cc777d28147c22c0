#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AmmsimError } from '../sim/core/errors.ts';
import { COMMANDS } from './commands/index.ts';
import { VERSION } from './version.ts';

/**
 * The `ammsim` command line. Thin: each command module parses its flags, calls one library function and
 * writes outputs atomically. Any AmmsimError becomes one `error: …` line on stderr and exit status 1.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const invoked = argv.find((a) => !a.startsWith('-'));
  let cli = yargs(argv)
    .scriptName('ammsim')
    .usage('$0 <command> [flags]\n\nDeterministic AMM simulator and backtester (Uniswap v2/v3, exact pool maths).')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, `error: a command is required: ${COMMANDS.map((c) => c.name).join(', ')} (ammsim --help describes them)`)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      // yargs' recommendation alone ("Did you mean backtest?") does not say what was wrong
      if (/^Did you mean /.test(msg) && invoked !== undefined) throw new UsageError(`unknown command ${JSON.stringify(invoked)}; did you mean ${msg.slice('Did you mean '.length)}`);
      const known = COMMANDS.some((c) => c.name === invoked);
      if (!known && invoked !== undefined && msg === `Unknown argument: ${invoked}`) throw new UsageError(`unknown command ${JSON.stringify(invoked)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
      throw new UsageError(msg);
    });
  skipHelpCache(cli);
  // Load only the command being run; the others are listed by name and description.
  for (const c of COMMANDS) {
    cli = c.name === invoked ? cli.command(await c.load()) : cli.command(c.name, c.describe, () => {}, () => {});
  }
  await cli.help().alias('help', 'h').parseAsync();
}

class UsageError extends Error {}

/**
 * yargs renders the running command's full help text right after starting its handler, to print it should the
 * handler fail. ammsim never prints help on a failure (see `.fail` above: one `error:` line), and rendering the
 * backtest help costs ~45 ms of every run, so that cache is switched off; `--help` renders as usual.
 */
function skipHelpCache(cli: unknown): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = (cli as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage !== undefined && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

function describeError(err: unknown): string | undefined {
  if (err instanceof AmmsimError) return err.message + (err.details.length ? '\n' + err.details.join('\n') : '');
  if (err instanceof UsageError) return err.message.startsWith('error: ') ? err.message.slice(7) : err.message;
  return undefined;
}

/** Runs the CLI, mapping ammsim and usage errors to one `error:` line and exit status 1. */
export async function run(argv: readonly string[]): Promise<void> {
  try {
    await main(argv);
  } catch (err: unknown) {
    const msg = describeError(err);
    if (msg === undefined) throw err;
    process.stderr.write(`error: ${msg}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && /[\\/]scripts[\\/]cli\.ts$/.test(process.argv[1])) {
  await run(hideBin(process.argv));
}
