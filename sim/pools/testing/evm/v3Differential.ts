/**
 * The v3 differential: one scenario through the real bytecode ({@link V3EvmHarness}) and through an
 * ammsim {@link Replayer}, compared event by event (every result and every revert, exactly); plus the
 * shrinker that turns a failing scenario into a short case file for regressions/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Replayer } from '../../../replay/types.ts';
import type { V3EvmHarness } from './v3Evm.ts';

export type ScenarioEvent = Readonly<Record<string, unknown>>;

export interface Mismatch {
  /** 0-based index of the first event whose results differ. */
  readonly index: number;
  readonly event: ScenarioEvent;
  readonly evm: Record<string, unknown>;
  /** The replayer's result, or `{ thrown: message }` when it threw. */
  readonly sim: Record<string, unknown>;
}

export interface DifferentialResult {
  /** EVM result of every event that was run (up to and including the first mismatch). */
  readonly evmResults: readonly Record<string, unknown>[];
  readonly mismatch: Mismatch | undefined;
}

function simApply(replayer: Replayer, event: ScenarioEvent, line: number): Record<string, unknown> {
  try {
    return replayer.apply(event, line);
  } catch (err) {
    return { thrown: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** Runs `events` through both; stops at the first event whose results differ. */
export async function runV3Differential(
  harness: V3EvmHarness,
  createReplayer: () => Replayer,
  events: readonly ScenarioEvent[],
): Promise<DifferentialResult> {
  await harness.reset();
  const replayer = createReplayer();
  const evmResults: Record<string, unknown>[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as ScenarioEvent;
    const evm = await harness.apply(event);
    evmResults.push(evm);
    const sim = simApply(replayer, event, i + 1);
    if (!isDeepStrictEqual(evm, sim)) return { evmResults, mismatch: { index: i, event, evm, sim } };
  }
  return { evmResults, mismatch: undefined };
}

/**
 * Shrinks a failing scenario: cuts it after the first mismatch, then drops events one at a time (last
 * first, the leading initialize kept) while some mismatch remains. `budget` bounds the re-runs.
 */
export async function minimiseV3Mismatch(
  harness: V3EvmHarness,
  createReplayer: () => Replayer,
  events: readonly ScenarioEvent[],
  budget = 400,
): Promise<readonly ScenarioEvent[]> {
  const first = await runV3Differential(harness, createReplayer, events);
  if (first.mismatch === undefined) return events;
  let current = events.slice(0, first.mismatch.index + 1);
  let runs = 0;
  let changed = true;
  while (changed && runs < budget) {
    changed = false;
    for (let i = current.length - 2; i >= 1 && runs < budget; i--) {
      const candidate = [...current.slice(0, i), ...current.slice(i + 1)];
      runs++;
      const r = await runV3Differential(harness, createReplayer, candidate);
      if (r.mismatch !== undefined) {
        current = candidate.slice(0, r.mismatch.index + 1);
        changed = true;
        i = Math.min(i, current.length - 1);
      }
    }
  }
  return current;
}

/** Case lines (`{"event", "expect"}` with the EVM's result), the oracle's own format. */
export function toCaseLines(events: readonly ScenarioEvent[], evmResults: readonly Record<string, unknown>[]): string {
  return events.map((event, i) => JSON.stringify({ event, expect: evmResults[i] })).join('\n') + '\n';
}

export type ReplayerAvailability =
  | { readonly ok: true; readonly createReplayer: () => Replayer }
  | { readonly ok: false; readonly reason: string };

/**
 * Loads `createV3Replayer` from sim/replay/v3Replay.ts if it exists and replays a trivial initialize;
 * otherwise says why not (so the differential can skip with that message).
 */
export async function loadV3Replayer(repoRoot: string = process.cwd()): Promise<ReplayerAvailability> {
  const file = path.join(repoRoot, 'sim/replay/v3Replay.ts');
  if (!existsSync(file)) return { ok: false, reason: 'sim/replay/v3Replay.ts does not exist yet' };
  let mod: { createV3Replayer?: () => Replayer };
  try {
    mod = (await import('../../../replay/v3Replay.ts')) as { createV3Replayer?: () => Replayer };
  } catch (err) {
    return { ok: false, reason: `sim/replay/v3Replay.ts does not load: ${err instanceof Error ? err.message : String(err)}` };
  }
  const create = mod.createV3Replayer;
  if (typeof create !== 'function') return { ok: false, reason: 'sim/replay/v3Replay.ts exports no createV3Replayer' };
  try {
    create().apply({ type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: (1n << 96n).toString() }, 1);
  } catch (err) {
    return { ok: false, reason: `createV3Replayer is not usable yet: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ok: true, createReplayer: () => create() };
}
