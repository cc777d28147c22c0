#!/usr/bin/env node
import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AmmsimError, ConfigError } from '../sim/core/errors.ts';
import { guardTempFiles, removeOutputFiles } from '../data/io/atomicWrite.ts';
import { checkOutputPath, OUTPUT_FLAGS } from '../data/io/outputPath.ts';
import { COMMANDS } from './commands/index.ts';
import { VERSION } from './version.ts';

/**
 * The `ammsim` command line. Thin: each command module parses its flags, calls one library function and
 * writes outputs atomically. Any AmmsimError becomes one `error: …` line on stderr and exit status 1.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const invoked = argv.find((a) => !a.startsWith('-'));
  // yargs re-reads this array when it parses a command's flags: joinDashValues edits it in place before that
  const args = [...argv];
  let cli = yargs(args)
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
  // A flag given twice is refused before anything else looks at it; output paths are checked before any work:
  // a bad --out costs one line at once, not a trace after the run.
  const root = cli;
  // Load only the command being run; the others are listed by name and description.
  const entry = COMMANDS.find((c) => c.name === invoked);
  const command = entry === undefined ? undefined : await entry.load();
  // a flag refused here fails the run as the handler's own checks do: the command's earlier outputs are removed
  const refusing = (argv: Record<string, unknown>, check: () => void): void => {
    try {
      check();
    } catch (err) {
      removeOutputFiles(command?.outputsOnFailure?.(argv) ?? []);
      throw err;
    }
  };
  cli = cli
    .middleware((argv) => refusing(argv, () => refuseRepeatedFlags(argv, root)))
    .middleware((parsed) => refusing(parsed, () => refuseNumberFlagsWithoutNumber(args, root)))
    .middleware(checkOutputFlags)
    .middleware((parsed) => markCommandFlags(parsed, root));
  for (const c of COMMANDS) {
    cli = c === entry ? cli.command(joiningDashValues(command!, args)) : cli.command(c.name, c.describe, () => {}, () => {});
  }
  await cli.help().alias('help', 'h').parseAsync();
}

class UsageError extends Error {}

/**
 * yargs middleware: a flag given twice arrives as an array (yargs' duplicate-arguments-array). Unless the flag
 * is declared to take several values (`array: true`: --param, --incentive, report's --run …), that is refused by
 * name, in every command, rather than read as "a,b", cut to one of the values or failing on the array.
 */
function refuseRepeatedFlags(argv: { [flag: string]: unknown }, y: Argv): void {
  const options = (y as unknown as { getOptions(): { key: Record<string, unknown>; array: string[] } }).getOptions();
  for (const flag of Object.keys(options.key)) {
    const v = argv[flag];
    if (Array.isArray(v) && !options.array.includes(flag)) {
      throw new ConfigError(`--${flag}`, `given ${v.length} times (${v.map((x) => JSON.stringify(String(x))).join(', ')}); give it once`);
    }
  }
}

/**
 * yargs middleware: a number flag given without a number is refused by name, quoting what was typed. yargs reads
 * `--seed=` as 0 (the default is 42), a bare `--capital` (the next word another flag, or none) as not given, so the
 * default ran, and `--top abc` as NaN, which a range check then reported as "was NaN". A value that starts with
 * `-` is taken as a negative number when it reads as one (as yargs does), else as the next flag.
 */
function refuseNumberFlagsWithoutNumber(args: readonly string[], y: Argv): void {
  const options = (y as unknown as { getOptions(): { number: string[]; string: string[] } }).getOptions();
  // a flag a command declares again as a string (compare's --width list over backtest's number) is in both lists
  const numeric = new Set(options.number.filter((f) => !options.string.includes(f)));
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') break;
    const m = /^--([^=]+)(?:=([\s\S]*))?$/.exec(token);
    if (m === null || !(numeric.has(m[1]!) || numeric.has(kebab(m[1]!)))) continue;
    const flag = `--${m[1]}`;
    const next = args[i + 1];
    const text = m[2] ?? (next !== undefined && (!next.startsWith('-') || NEGATIVE_VALUE.test(next)) ? next : undefined);
    if (text === undefined) throw new ConfigError(flag, 'needs a value (a number)');
    if (text.trim() === '' || Number.isNaN(Number(text))) throw new ConfigError(flag, `must be a number; was ${JSON.stringify(text)}`);
  }
}

/**
 * yargs reads the word after `--flag` as the flag's value only when it does not start with `-`, or is a plain negative
 * number: `--seed -1,1`, `--seed -3:3:1`, `--fee -0.1:0.1:0.1` or `--shard -1/2` were read as short options
 * ("Unknown argument: 1"), though `--seed=-1,1` worked. So a `--flag` that the command declares to take a value (not
 * a boolean or a count) followed by a word that starts with `-` and a digit or `.` is joined into `--flag=word` in
 * `args`, in place. Words after `--` are left alone.
 */
/** A flag's kebab-case name (`gasPrice` → `gas-price`), as the commands declare them. */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

/** A word after a flag that is its value although it starts with `-`: a negative number (or list, range) or -Infinity. */
const NEGATIVE_VALUE = /^-(\.?\d|Infinity\b)/;

export function joinDashValues(args: string[], options: { key: Readonly<Record<string, unknown>>; boolean: readonly string[]; count?: readonly string[]; alias?: Readonly<Record<string, readonly string[]>> }): void {
  const declared = new Set(Object.keys(options.key));
  const noValue = new Set([...options.boolean, ...(options.count ?? [])]);
  for (const [k, aliases] of Object.entries(options.alias ?? {})) {
    for (const a of aliases) {
      if (declared.has(k)) declared.add(a);
      if (noValue.has(k)) noValue.add(a);
    }
  }
  for (let i = 0; i + 1 < args.length; i++) {
    const token = args[i]!;
    if (token === '--') return;
    const m = /^--([^=]+)$/.exec(token);
    if (m === null || !NEGATIVE_VALUE.test(args[i + 1]!)) continue;
    const name = [m[1]!, kebab(m[1]!)].find((n) => declared.has(n));
    if (name === undefined || noValue.has(name)) continue;
    args.splice(i, 2, `${token}=${args[i + 1]!}`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/**
 * The command module with a builder that, once the command has declared its flags, joins their values that start
 * with `-` ({@link joinDashValues}) before yargs parses them; a subcommand it declares (`sweep merge`, `data fetch
 * binance`) gets the same treatment.
 */
function joiningDashValues<T extends AnyCommand>(mod: T, args: string[]): T {
  const builder = mod.builder;
  return {
    ...mod,
    builder: (y: Argv) => {
      type Commands = { command: (...a: unknown[]) => Argv };
      const own = Object.hasOwn(y, 'command');
      const command = (y as unknown as Commands).command.bind(y);
      (y as unknown as Commands).command = (...a: unknown[]) => command(...(a.length === 1 && isCommandModule(a[0]) ? [joiningDashValues(a[0], args)] : a));
      let out: unknown;
      try {
        out = typeof builder === 'function' ? builder(y) : y.options(builder ?? {});
      } finally {
        if (!own) delete (y as unknown as Partial<Commands>).command;
      }
      joinDashValues(args, (y as unknown as { getOptions(): Parameters<typeof joinDashValues>[1] }).getOptions());
      return out as Argv;
    },
  };
}

function isCommandModule(x: unknown): x is AnyCommand {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'command' in x && 'handler' in x;
}

/**
 * yargs middleware: the flags the command declares, on argv under `Symbol.for('ammsim.commandFlags')` (COMMAND_FLAGS
 * of scripts/commands/backtestFlags.ts), so that a --config key that is one of them is named as a flag.
 */
function markCommandFlags(argv: Record<string | symbol, unknown>, y: Argv): void {
  const options = (y as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
  argv[Symbol.for('ammsim.commandFlags')] = Object.keys(options.key);
}

/** yargs middleware: {@link checkOutputPath} on each output flag of the command being run (OUTPUT_FLAGS). */
function checkOutputFlags(argv: { _: ReadonlyArray<string | number>; [flag: string]: unknown }): void {
  const flags = OUTPUT_FLAGS[String(argv._[0])];
  if (flags === undefined) return;
  for (const [flag, kind] of Object.entries(flags)) {
    const value = argv[flag]; // one value: refuseRepeatedFlags ran first
    if (value === undefined || value === null || typeof value === 'boolean' || Array.isArray(value)) continue;
    checkOutputPath(String(value), { kind, flag: `--${flag}` });
  }
}

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

/** The one line printed for an error, or undefined for an unexpected one (a bug: re-thrown with its stack). */
export function describeError(err: unknown): string | undefined {
  if (err instanceof AmmsimError) return err.message + (err.details.length ? '\n' + err.details.join('\n') : '');
  if (err instanceof UsageError) return err.message.startsWith('error: ') ? err.message.slice(7) : err.message;
  // a file-system failure while reading or writing (a full disk, a folder removed mid-run): Node's own one-line
  // message ("ENOSPC: no space left on device, write") says it; a stack trace would add nothing
  if (err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string' && typeof (err as NodeJS.ErrnoException).code === 'string') return err.message;
  return undefined;
}

/**
 * Runs the CLI, mapping ammsim and usage errors to one `error:` line and exit status 1. Temporary output files
 * never outlive the process: Ctrl-C / SIGTERM / SIGHUP while writing remove them and end it with that signal
 * (exit status 130 / 143 / 129), and an uncaught error removes them at exit (data/io/atomicWrite.ts).
 */
export async function run(argv: readonly string[]): Promise<void> {
  guardTempFiles();
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
