#!/usr/bin/env node
import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AmmsimError, ConfigError, didYouMean } from '../sim/core/errors.ts';
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
    // yargs' messages, which describeYargsFailure rewrites, in English whatever LANG says (ammsim's own are English)
    .locale('en')
    .strict()
    .recommendCommands()
    .demandCommand(1, `error: a command is required: ${COMMANDS.map((c) => c.name).join(', ')} (ammsim --help describes them)`)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      const known = COMMANDS.some((c) => c.name === invoked);
      if (!known && invoked !== undefined && msg === `Unknown argument: ${invoked}`) throw new UsageError(`unknown command ${JSON.stringify(invoked)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`);
      throw new UsageError(describeYargsFailure(msg, args, optionsOf(cli)));
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
    .middleware((argv) => refusing(argv, () => refuseRepeatedSwitches(args, optionsOf(root))))
    .middleware((argv) => refusing(argv, () => refuseNegatedValueFlags(args, optionsOf(root), command?.negatable ?? [])))
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

/** What the flag scans below need of yargs' options for the command being parsed (its getOptions()). */
export interface ParsedOptions {
  readonly key: Readonly<Record<string, unknown>>;
  readonly boolean: readonly string[];
  readonly count?: readonly string[];
  readonly array: readonly string[];
  readonly alias?: Readonly<Record<string, readonly string[]>>;
}

function optionsOf(y: unknown): ParsedOptions {
  return (y as { getOptions(): ParsedOptions }).getOptions();
}

/** One word (or two: a switch and its `true`/`false`, a flag and its values) of the command line, as yargs reads it. */
export type ArgItem =
  | { readonly kind: 'flag'; readonly name: string; readonly key: string | undefined; readonly at: number; readonly text: string; readonly negated: boolean; readonly inline: string | undefined; readonly values: number }
  | { readonly kind: 'positional'; readonly text: string; readonly at: number };

/** yargs-parser's negative number: a word after a flag that is its value although it starts with `-`. */
const YARGS_NEGATIVE = /^-([0-9]+(\.[0-9]+)?|\.[0-9]+)$/;

/**
 * The command line cut into flags (each with the words yargs takes as its value) and positional words, the way
 * yargs-parser reads it: a switch (boolean or count) takes a following `true`/`false` only; a flag that takes one
 * value the next word unless it starts with `-` (a negative number aside); an array flag every word up to the next
 * that starts with `-`; `--flag=value` carries its value, whatever it looks like; `--no-x` is x negated; `-abc` is
 * -a -b -c; after `--` nothing is a flag. `key`: the declared flag (aliases and camelCase spellings resolved), or
 * undefined for one the command does not declare.
 */
export function scanArgs(args: readonly string[], options: ParsedOptions): ArgItem[] {
  const primary = new Map<string, string>();
  for (const k of Object.keys(options.key)) primary.set(k, k);
  for (const [k, aliases] of Object.entries(options.alias ?? {})) {
    const main = [k, ...aliases].find((n) => Object.hasOwn(options.key, n)) ?? k;
    for (const n of [k, ...aliases]) primary.set(n, main);
  }
  const keyOf = (name: string): string | undefined => primary.get(name) ?? primary.get(kebab(name));
  const switches = new Set([...options.boolean, ...(options.count ?? [])]);
  const arrays = new Set(options.array);
  const items: ArgItem[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      for (let j = i + 1; j < args.length; j++) items.push({ kind: 'positional', text: args[j]!, at: j });
      break;
    }
    if (!token.startsWith('-') || token === '-' || YARGS_NEGATIVE.test(token) || /^---+(=|$)/.test(token)) {
      items.push({ kind: 'positional', text: token, at: i });
      continue;
    }
    let names: string[];
    let inline: string | undefined;
    let negated = false;
    const long = /^--([^=]+)(?:=([\s\S]*))?$/.exec(token);
    if (long !== null) {
      inline = long[2];
      const neg = inline === undefined ? /^no-(.+)$/.exec(long[1]!) : null;
      negated = neg !== null && keyOf(long[1]!) === undefined;
      names = [negated ? neg![1]! : long[1]!];
    } else {
      // -abc: -a -b -c (the last may take a value); -a=1
      const eq = token.indexOf('=');
      names = [...(eq < 0 ? token.slice(1) : token.slice(1, eq))];
      inline = eq < 0 ? undefined : token.slice(eq + 1);
    }
    for (let n = 0; n < names.length; n++) {
      const name = names[n]!;
      const key = keyOf(name);
      const last = n === names.length - 1;
      let values = 0;
      if (last && inline === undefined && !negated) {
        const next = args[i + 1];
        const isValue = (w: string | undefined): boolean => w !== undefined && w !== '--' && (!w.startsWith('-') || YARGS_NEGATIVE.test(w));
        if (key !== undefined && switches.has(key)) values = next !== undefined && /^(true|false)$/.test(next) ? 1 : 0;
        else if (key !== undefined && arrays.has(key)) while (isValue(args[i + 1 + values])) values++;
        else values = isValue(next) ? 1 : 0;
      }
      const text = [n === 0 ? token : `-${name}`, ...args.slice(i + 1, i + 1 + values)].join(' ');
      items.push({ kind: 'flag', name, key, at: i, text, negated, inline: last ? inline : undefined, values });
      if (last) i += values;
    }
  }
  return items;
}

/**
 * yargs middleware: a switch (a boolean flag) given twice is refused by name, as {@link refuseRepeatedFlags}
 * refuses a flag given twice. yargs builds no array for them: the last one silently won (`--exact --no-exact` ran
 * without --exact, `--csv --csv` passed). Read from the command line as typed (`--x`, `--x=true`, `--x false`, `--no-x`,
 * an alias), up to `--`; a word that is another flag's value is none. A switch's value other than true or false
 * is refused too (yargs read `--exact=yes` as false).
 */
export function refuseRepeatedSwitches(args: readonly string[], options: ParsedOptions): void {
  // not --help, --version (they run nothing), nor a count (made to be repeated: -vv)
  const switches = new Set(options.boolean.filter((k) => k !== 'help' && k !== 'version'));
  const uses = new Map<string, string[]>();
  for (const item of scanArgs(args, options)) {
    if (item.kind !== 'flag' || item.key === undefined || !switches.has(item.key)) continue;
    if (item.inline !== undefined && !/^(true|false)$/.test(item.inline)) {
      throw new ConfigError(`--${item.key}`, `is on or off: give --${item.key} or --no-${item.key} (or --${item.key}=true, =false); was ${JSON.stringify(item.inline)}`);
    }
    const seen = uses.get(item.key) ?? [];
    seen.push(item.text);
    uses.set(item.key, seen);
  }
  for (const [key, texts] of uses) {
    if (texts.length > 1) throw new ConfigError(`--${key}`, `given ${texts.length} times (${texts.join(', ')}); give it once`);
  }
}

/**
 * yargs middleware: `--no-x` for a flag that takes a value is refused. yargs reads it as x = false, so `--no-out` wrote
 * into a folder named `false` and `--no-seed` ran seed 0. `negatable`: the command's value flags that have an off form
 * (a sweep's on/off axes, `--no-arbitrage`, declared as strings to take lists).
 */
export function refuseNegatedValueFlags(args: readonly string[], options: ParsedOptions, negatable: readonly string[]): void {
  const switches = new Set([...options.boolean, ...(options.count ?? [])]);
  for (const item of scanArgs(args, options)) {
    if (item.kind !== 'flag' || !item.negated || item.key === undefined || switches.has(item.key) || negatable.includes(item.key)) continue;
    throw new ConfigError(`--no-${item.name}`, `--${item.key} takes a value and has no off form; give --${item.key} VALUE, or leave it out for its default`);
  }
}

/**
 * One `error:` line for a failure yargs reports (`msg`, its own English text; several lines for some), in ammsim's form
 * `<flag>: <what is wrong>; <what was found>`: a value outside a flag's choices, an unknown flag (with a did-you-mean)
 * or a word that no flag takes, a missing required flag, too few or too many positional words. `args`: the command
 * line (to tell a flag from a positional word); `options`: the command's (yargs getOptions()).
 */
export function describeYargsFailure(msg: string, args: readonly string[], options: ParsedOptions): string {
  const lines = msg.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const first = lines[0] ?? '';
  const items = scanArgs(args, options);
  const path = commandPath(items);
  // yargs' recommendation alone ("Did you mean merge?") does not say what was wrong, nor of which command
  const mean = /^Did you mean (.+)\?$/.exec(first);
  if (mean !== null) {
    const known = path === 'ammsim' ? [] : path.split(' ');
    const typed = items.filter((it) => it.kind === 'positional')[known.length]?.text;
    if (typed !== undefined) return `unknown command ${JSON.stringify([...known, typed].join(' '))}; did you mean ${[...known, mean[1]!].join(' ')}?`;
  }
  const invalid = /^Argument: (.+?), Given: (.+), Choices: (.+)$/.exec(lines[1] ?? '');
  if (first === 'Invalid values:' && invalid !== null) {
    let choices: string;
    try {
      choices = (JSON.parse(`[${invalid[3]}]`) as unknown[]).map(String).join(', ');
    } catch {
      choices = invalid[3]!;
    }
    return `--${invalid[1]}: must be one of ${choices}; was ${invalid[2]}`;
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(first);
  if (unknown !== null) return describeUnknown(unknown[1]!.split(', '), items, options, path);
  const missing = /^Missing required arguments?: (.+)$/.exec(first);
  if (missing !== null) {
    const [flag, ...others] = missing[1]!.split(', ').map((n) => `--${n}`);
    // demandOption's own text (replay's "give the input file: --events IN.jsonl") says what to give
    if (lines.length > 1) return `${flag}: ${lines.slice(1).join('; ')}`;
    return `${flag}: is required; was not given${others.length > 0 ? ` (nor were ${others.join(', ')})` : ''}`;
  }
  const few = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(first);
  if (few !== null) return `${path}: needs at least ${few[2]} argument${few[2] === '1' ? '' : 's'} (ammsim ${path} --help); got ${few[1]}`;
  const many = /^Too many non-option arguments: got (\d+), maximum of (\d+)$/.exec(first);
  if (many !== null) return `${path}: takes at most ${many[2]} argument${many[2] === '1' ? '' : 's'} (ammsim ${path} --help); got ${many[1]}`;
  const following = /^Not enough arguments following: (.+)$/.exec(first);
  if (following !== null) return `--${following[1]}: needs a value`;
  const exclusive = /^Arguments (.+) and (.+) are mutually exclusive$/.exec(first);
  if (exclusive !== null) return `--${exclusive[1]}: cannot be given with --${exclusive[2]}`;
  const implied = first === 'Missing dependent arguments:' ? /^(.+?) -> (.+)$/.exec(lines[1] ?? '') : null;
  if (implied !== null) return `--${implied[1]}: needs --${implied[2]}`;
  return lines.join('; ');
}

/** The command and subcommands being run (`sweep merge`): the leading positional words that name them, as typed. */
function commandPath(items: readonly ArgItem[]): string {
  const words: string[] = [];
  for (const item of items) {
    if (item.kind !== 'positional') continue;
    const known = words.length === 0 ? COMMANDS.some((c) => c.name === item.text) : (SUBCOMMANDS[words.join(' ')] ?? []).includes(item.text);
    if (!known) break;
    words.push(item.text);
  }
  return words.join(' ') || 'ammsim';
}

/** The subcommands of each command that has some (scripts/commands/sweep.ts, data.ts), told apart from stray words. */
const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = { sweep: ['merge'], data: ['fetch'], 'data fetch': ['binance', 'pool-events'] };

/** Commands that print to standard output what a file flag would write: what to use instead of `--out -`. */
const STDOUT_INSTEAD: Readonly<Record<string, string>> = {
  replay: 'without --out, replay writes its results to standard output',
  validate: '--json prints the result JSON to standard output',
  backtest: '--json prints summary.json to standard output',
  compare: '--json prints summary.json to standard output',
};

/**
 * `Unknown argument(s): a, b` made one line about the first: a flag the command does not have (did you mean one it
 * has?), a lone `-` after a flag (read as standard input/output elsewhere, as no value here), or a positional word.
 */
function describeUnknown(names: readonly string[], items: readonly ArgItem[], options: ParsedOptions, path: string): string {
  // yargs names an unknown --bogus-flag twice: bogus-flag, bogusFlag
  const name = names.find((n) => !names.some((m) => m !== n && m.includes('-') && camel(m) === n)) ?? names[0]!;
  const flags = Object.keys(options.key).filter((k) => k !== 'version');
  const flag = items.find((it) => it.kind === 'flag' && it.key === undefined && (it.name === name || (it.negated && `no-${it.name}` === name) || camel(it.name) === name));
  const help = path === 'ammsim' ? 'ammsim --help' : `ammsim ${path} --help`;
  if (flag !== undefined && flag.kind === 'flag') {
    const dashes = flag.text.startsWith('--') ? '--' : '-';
    const bare = `${flag.negated ? 'no-' : ''}${flag.name}`;
    const hint = didYouMean(bare, flags).replace(/"(.*)"/, (_, k: string) => `"--${k}"`);
    return `${dashes}${bare}: unknown flag${hint} (${help} lists the flags)`;
  }
  const i = items.findIndex((it) => it.kind === 'positional' && it.text === name);
  const before = i > 0 ? items[i - 1] : undefined;
  if (name === '-' && before?.kind === 'flag' && before.values === 0 && before.inline === undefined && before.key !== undefined) {
    const kind = OUTPUT_FLAGS[path.split(' ')[0]!]?.[before.key];
    if (kind === undefined) return `--${before.key}: needs a value; was "-" (ammsim reads no standard input through "-")`;
    const instead = STDOUT_INSTEAD[path] === undefined ? '' : `; ${STDOUT_INSTEAD[path]}`;
    return `--${before.key}: needs a ${kind === 'dir' ? 'folder' : 'file'} name; was "-" (ammsim writes no standard output through "-")${instead}`;
  }
  const word = name === '' || /\s/.test(name) ? JSON.stringify(name) : name;
  // the word after a flag's value: a second value, or a value with spaces that the shell split
  if (before?.kind === 'flag' && before.values > 0 && before.key !== undefined && !options.array.includes(before.key)) {
    return `${word}: unknown argument; ammsim ${path} takes no positional arguments, and --${before.key} takes one value (${before.text}; quote a value that has spaces)`;
  }
  // the word after a switch: `--exact -1`, `--csv yes` (a switch takes true or false only)
  if (before?.kind === 'flag' && before.values === 0 && before.inline === undefined && before.key !== undefined && options.boolean.includes(before.key)) {
    return `${word}: unknown argument; ammsim ${path} takes no positional arguments, and --${before.key} is on or off, with no value (--${before.key}, --no-${before.key})`;
  }
  return `${word}: unknown argument; ammsim ${path} takes no positional arguments (${help} lists the flags)`;
}

/** A flag's camelCase name (`gas-price` → `gasPrice`), as yargs also knows it. */
const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

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
 * Exit status of a run stopped because the reader of its standard output or error went away: 128 + 13 (SIGPIPE), the
 * status a shell shows for `cat`, `grep` or `yes` stopped the same way in `… | head -1`. Not 0: the run did not finish
 * (its later output, and the files of a run still working, were not written), which a script with `set -o pipefail`
 * must be able to tell; a shell without pipefail reports the status of the pipeline's last command only.
 */
export const EXIT_CLOSED_PIPE = 141;
let pipesGuarded = false;

/**
 * Makes a closed pipe on stdout or stderr (`ammsim … | head -1`: EPIPE, which Node reports as an unhandled 'error'
 * event with a stack trace, since it ignores SIGPIPE) end the run quietly, as SIGPIPE ends a Unix tool: nothing more is
 * written, and the process exits with {@link EXIT_CLOSED_PIPE}. The exit handler of {@link guardTempFiles} removes the
 * temporary files of outputs still being written; those renamed into place are complete (renames are synchronous, and
 * the 'error' event runs between them, never amid a set). Any other stream error is thrown as before.
 */
export function stopOnClosedPipe(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(EXIT_CLOSED_PIPE);
    });
  }
}

/**
 * Runs the CLI, mapping ammsim and usage errors to one `error:` line and exit status 1. Temporary output files
 * never outlive the process: Ctrl-C / SIGTERM / SIGHUP while writing remove them and end it with that signal
 * (exit status 130 / 143 / 129), and an uncaught error removes them at exit (data/io/atomicWrite.ts). A closed pipe on
 * stdout or stderr ends the run quietly with status 141 ({@link stopOnClosedPipe}).
 */
export async function run(argv: readonly string[]): Promise<void> {
  guardTempFiles();
  stopOnClosedPipe();
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
