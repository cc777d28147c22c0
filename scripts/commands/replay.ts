import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../../data/io/atomicWrite.ts';
import { AmmsimError, ConfigError, InputError } from '../../sim/core/errors.ts';
import { REPLAY_DEFAULTS, ReplayMismatchError, replayJsonl } from '../../sim/replay/jsonl.ts';
import type { Replayer } from '../../sim/replay/types.ts';
import { createV2Replayer, hasV2Shape, V2_ONLY_FIELDS } from '../../sim/replay/v2Replay.ts';
import { createV3Replayer } from '../../sim/replay/v3Replay.ts';
import { createV3TimeReplayer } from '../../sim/replay/v3TimeReplay.ts';
import { createV3StakerReplayer } from '../../sim/replay/v3StakerReplay.ts';
import { createStakingRewardsReplayer } from '../../sim/replay/stakingRewardsReplay.ts';

export interface ReplayArgs {
  pool?: string;
  events?: string;
  out?: string;
  check?: boolean;
}

const POOLS = ['v3', 'v2', 'v3-time', 'v3-staker', 'staking-rewards'] as const;
type PoolKind = (typeof POOLS)[number];

function createReplayer(pool: PoolKind, file: string): Replayer {
  switch (pool) {
    case 'v2':
      return createV2Replayer({ file });
    case 'v3-time':
      return createV3TimeReplayer({ file });
    case 'v3-staker':
      return createV3StakerReplayer({ file });
    case 'staking-rewards':
      return createStakingRewardsReplayer({ file });
    default:
      return createV3Replayer({ file });
  }
}

/**
 * Whether an event rejected by the default v3 replayer (no --pool) looks like a v2 one, so that the error says
 * `pass --pool v2`: an unknown type, a field only v2 events have, or an event that is v2's in type and every field.
 * Not for a v3 event with a bad value (a mint's `"amount": "1e18"`), where that hint would mislead.
 */
function looksLikeV2(err: InputError, event: Readonly<Record<string, unknown>> | undefined): boolean {
  if (err.field === 'type' || (err.field !== undefined && V2_ONLY_FIELDS.has(err.field))) return true;
  return event !== undefined && hasV2Shape(event);
}

/**
 * `ammsim replay`: runs pool events (JSONL, the vocabulary of the oracle README) through the exact bigint
 * pool and writes one result line per input line, in order (CONTRACT.md). With `--check`, compares against
 * the `expect` of case lines and fails on the first mismatch, naming its line.
 */
export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'Replay events (JSONL) through an exact contract mirror (v3, v2, v3-time, v3-staker, staking-rewards), one result line per event',
  builder: (y: Argv<object>) =>
    y
      .usage(
        '$0 replay --pool KIND --events IN.jsonl [--out OUT.jsonl] [--check]\n\n' +
          'KIND: v3 (default), v2, v3-time, v3-staker, staking-rewards. ' +
          'Runs each event of IN.jsonl through the exact (bigint) pool and writes one JSON result per input line, in order: ' +
          'the amounts, position and state the Uniswap contract produces, every integer a decimal string; a reverting event ' +
          'gives {"revert": "<reason>", "state": {...}}. An input line is a bare event or a case line ' +
          '{"event": {...}, "expect": {...}}; blank lines are skipped. The event vocabulary is that of the oracle README ' +
          '(v2: initialize, mint, burn, swap, swapRaw; v3-time: the v3 events with time, observe, snapshotCumulativesInside, ' +
          'increaseObservationCardinalityNext; v3-staker: UniswapV3Staker with the position manager; staking-rewards: StakingRewards).',
      )
      // Validated in the handler (not with yargs `choices`) so a bad value gives one `error: --pool: …` line.
      .option('pool', { type: 'string', describe: `Pool kind: ${POOLS.join(' or ')} [default: ${REPLAY_DEFAULTS.pool}]` })
      .option('events', { type: 'string', describe: 'Input events, one JSON object per line', demandOption: 'give the input file: --events IN.jsonl' })
      .option('out', { type: 'string', describe: 'Write the results here (atomically); without it, to stdout' })
      .option('check', {
        type: 'boolean',
        describe: "Compare each result with its case line's expect; report the first mismatch with its line, exit 1 on any",
      })
      .example('$0 replay --pool v2 --events ../shared/oracle/v2/00-feeoff.jsonl --check', 'verify the v2 pool against the contract')
      .example('$0 replay --events swaps.jsonl --out results.jsonl', 'replay v3 events, results to results.jsonl')
      .example('$0 replay --pool staking-rewards --events ../shared/oracle/staking-rewards/02-topup.jsonl --check', 'verify StakingRewards against the contract')
      .example('$0 replay --pool v3-staker --events ../shared/oracle/v3-staker/vec-rewardmath.jsonl --check', 'verify UniswapV3Staker against the contract'),
  handler: async (argv) => {
    const pool = (argv.pool ?? REPLAY_DEFAULTS.pool) as PoolKind;
    if (!POOLS.includes(pool)) throw new ConfigError('--pool', `must be one of ${POOLS.join(', ')}; was ${JSON.stringify(argv.pool)}`);
    const events = argv.events;
    if (events === undefined || events === '') throw new ConfigError('--events', 'give the input file: --events IN.jsonl');
    try {
      if (!statSync(events).isFile()) throw new ConfigError('--events', `${events} is not a file`);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError('--events', `cannot read ${events}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
    }
    const out = argv.out;
    if (out !== undefined) {
      if (out === '') throw new ConfigError('--out', 'must be a file path');
      if (resolve(out) === resolve(events)) throw new ConfigError('--out', `must differ from --events (both are ${events})`);
      // No stale output: a previous run's OUT must not pass for this run's result should this one fail or be
      // interrupted (Ctrl-C kills it outright while no temporary file is open). The new OUT is renamed into place.
      rmSync(out, { force: true });
    }

    const lines: string[] = [];
    let summary;
    // the event being replayed, and its line: what the --pool hint below looks at
    let event: Readonly<Record<string, unknown>> | undefined;
    let eventLine = 0;
    // whether the error came from the replayer (an event it refused), not from reading the JSONL line itself
    let refusedByReplayer = false;
    try {
      const replayer = createReplayer(pool, events);
      const watched: Replayer = {
        apply: (e, line) => {
          event = e;
          eventLine = line;
          try {
            return replayer.apply(e, line);
          } catch (err) {
            refusedByReplayer = true;
            throw err;
          }
        },
      };
      summary = await replayJsonl(watched, events, { file: events, onResult: (json) => lines.push(json) });
    } catch (err) {
      // (errors about the JSONL line itself, a bad "event"/"expect" or a stray key, are not the replayer's: no --pool fixes them)
      if (err instanceof InputError && argv.pool === undefined && refusedByReplayer && looksLikeV2(err, err.line === eventLine ? event : undefined)) {
        // The likeliest cause of such a rejected event without --pool: v2 events replayed as v3 (the default).
        throw new AmmsimError(err.code, err.message, { cause: err, details: [`hint: --pool defaults to ${REPLAY_DEFAULTS.pool}; for v2 events pass --pool v2`] });
      }
      throw err;
    }
    // before writing: a run that fails for want of cases writes nothing
    if (argv.check && summary.cases === 0) {
      throw new ConfigError('--check', `${events} has no case lines ({"event": …, "expect": …}) to compare against`);
    }
    const text = lines.length === 0 ? '' : lines.join('\n') + '\n';
    if (out !== undefined) writeFileAtomic(out, text);
    else process.stdout.write(text);

    if (argv.check) {
      const m = summary.firstMismatch;
      if (m !== undefined) {
        const where = out !== undefined ? `; the results were written to ${out}` : '';
        throw new ReplayMismatchError(events, m, [`${summary.mismatches} of ${summary.cases} case lines differ${where}`]);
      }
      process.stderr.write(`check: all ${summary.cases} case lines of ${events} match (--pool ${pool})\n`);
    }
  },
};
