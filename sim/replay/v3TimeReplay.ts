/**
 * Replays the v3 pool **with time** (the `v3-time` vocabulary of ../shared/oracle/README.md) through the exact
 * {@link V3Pool}: every v3 event of {@link createV3Replayer}'s vocabulary plus a `time` field (the block
 * timestamp, unix seconds; the pool uses it mod 2^32; it never decreases), and three more events:
 *
 * | event                                | fields → result (besides `state`)                                              |
 * |--------------------------------------|--------------------------------------------------------------------------------|
 * | `increaseObservationCardinalityNext` | `observationCardinalityNext` (uint16) → `{}`                                   |
 * | `snapshotCumulativesInside`          | `tickLower`, `tickUpper` → `tickCumulativeInside`, `secondsPerLiquidityInsideX128`, `secondsInside` |
 * | `observe`                            | `secondsAgos` (array of uint32) → `tickCumulatives`, `secondsPerLiquidityCumulativeX128s` |
 *
 * `state` is the v3 state plus slot0's `observationIndex`, `observationCardinality`,
 * `observationCardinalityNext`. Reverts and malformed events as in the v3 replayer (`OLD` for an observe
 * before the oldest observation; `TLU`/`TLM`/`TUM`/`""` for a snapshot of a bad or uninitialised range).
 */
import type { V3Pool } from '../pools/v3/v3Pool.ts';
import type { Replayer } from './types.ts';
import {
  describe,
  fail,
  intField,
  tickField,
  V3_EVENT_FIELDS,
  V3Replayer,
  type At,
  type Event,
  type V3EventFields,
  type V3ReplayerOptions,
} from './v3Replay.ts';

const TIME_EVENT_FIELDS: V3EventFields = (() => {
  const out: Record<string, readonly string[]> = {};
  for (const [type, fields] of Object.entries(V3_EVENT_FIELDS)) out[type] = [...fields, 'time'];
  out['increaseObservationCardinalityNext'] = ['type', 'time', 'observationCardinalityNext'];
  out['snapshotCumulativesInside'] = ['type', 'time', 'tickLower', 'tickUpper'];
  out['observe'] = ['type', 'time', 'secondsAgos'];
  return out;
})();

const ZERO_ORACLE = { observationIndex: '0', observationCardinality: '0', observationCardinalityNext: '0' };

function secondsAgosField(at: At, event: Event): number[] {
  const v = event['secondsAgos'];
  if (!Array.isArray(v)) return fail(at, 'secondsAgos', `must be an array of uint32 integers; was ${describe(v)}`);
  return v.map((x: unknown, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
      return fail(at, 'secondsAgos', `entry ${i} must be a uint32 integer (a JSON number); was ${describe(x)}`);
    }
    return x;
  });
}

class V3TimeReplayer extends V3Replayer {
  /** The latest event's time and line: block times never decrease. */
  private last: { readonly time: number; readonly line: number } | undefined;

  constructor(file: string) {
    super(file, TIME_EVENT_FIELDS);
  }

  protected override prepare(pool: V3Pool, at: At, event: Event): void {
    const time = intField(at, event, 'time', 0, Number.MAX_SAFE_INTEGER, 'unix time in seconds');
    // The pool keeps uint32 time: one second back would read as 2^32 − 1 seconds elapsed.
    if (this.last !== undefined && time < this.last.time) fail(at, 'time', `must not decrease (line ${this.last.line} had ${this.last.time}); was ${time}`);
    this.last = { time, line: at.line };
    pool.setBlockTimestamp(time);
  }

  protected override run(pool: V3Pool, at: At, event: Event, type: string): Record<string, unknown> {
    switch (type) {
      case 'increaseObservationCardinalityNext':
        pool.increaseObservationCardinalityNext(intField(at, event, 'observationCardinalityNext', 0, 65535, 'uint16'));
        return {};
      case 'snapshotCumulativesInside': {
        const r = pool.snapshotCumulativesInside(tickField(at, event, 'tickLower'), tickField(at, event, 'tickUpper'));
        return {
          tickCumulativeInside: r.tickCumulativeInside.toString(),
          secondsPerLiquidityInsideX128: r.secondsPerLiquidityInsideX128.toString(),
          secondsInside: String(r.secondsInside),
        };
      }
      case 'observe': {
        const r = pool.observe(secondsAgosField(at, event));
        return {
          tickCumulatives: r.tickCumulatives.map(String),
          secondsPerLiquidityCumulativeX128s: r.secondsPerLiquidityCumulativeX128s.map(String),
        };
      }
      default:
        return super.run(pool, at, event, type);
    }
  }

  protected override formatState(pool: V3Pool | undefined): Record<string, string> {
    const state = this.state.format(pool);
    if (pool === undefined) return { ...state, ...ZERO_ORACLE };
    state['observationIndex'] = String(pool.observationIndex);
    state['observationCardinality'] = String(pool.observationCardinality);
    state['observationCardinalityNext'] = String(pool.observationCardinalityNext);
    return state;
  }
}

/**
 * Creates a replayer of the v3-time vocabulary holding one v3 pool, created by the first (`initialize`)
 * event. Same {@link Replayer} interface as `createV3Replayer`; `ammsim replay --pool v3-time`.
 */
export function createV3TimeReplayer(options: V3ReplayerOptions = {}): Replayer {
  return new V3TimeReplayer(options.file ?? '<events>');
}
