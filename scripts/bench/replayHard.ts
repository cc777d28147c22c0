import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createV3Replayer } from '../../sim/replay/v3Replay.ts';
import type { Replayer } from '../../sim/replay/types.ts';

/**
 * The "hard mix" of the exact v3 replay benchmark: every scenario of ../shared/oracle/v3 (20 files, 1,013
 * events: extreme prices, swaps crossing up to 59 initialised ticks and thousands of empty bitmap words,
 * reverts). Events are parsed once; a run replays every file on a fresh replayer and serialises each
 * result as `ammsim replay` writes it (one JSON line). The JSON of the expectations is kept so a run can
 * be checked, so a faster replayer cannot be a wrong one.
 */
export const ORACLE_V3_DIR = path.resolve(process.cwd(), '../shared/oracle/v3');

export interface HardMix {
  readonly files: ReadonlyArray<{ readonly name: string; readonly events: ReadonlyArray<Record<string, unknown>>; readonly expected: readonly string[] }>;
  readonly events: number;
}

/** Loads the hard mix, or undefined when ../shared/oracle/v3 is absent. */
export function loadHardMix(dir: string = ORACLE_V3_DIR): HardMix | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((name) => {
      const lines = readFileSync(path.join(dir, name), 'utf8').split('\n').filter((l) => l.trim() !== '');
      const cases = lines.map((l) => JSON.parse(l) as { event: Record<string, unknown>; expect: Record<string, unknown> });
      return { name, events: cases.map((c) => c.event), expected: cases.map((c) => JSON.stringify(c.expect)) };
    });
  return { files, events: files.reduce((n, f) => n + f.events.length, 0) };
}

/**
 * Replays the whole mix once; returns the number of results differing from the oracle (0 expected)
 * when `check`, else 0. `make` builds a replayer per file (default: the one `ammsim replay` uses).
 */
export function runHardMix(mix: HardMix, check = false, make: (file: string) => Replayer = (file) => createV3Replayer({ file })): number {
  let bad = 0;
  let sink = 0;
  for (const f of mix.files) {
    const r = make(f.name);
    const { events, expected } = f;
    for (let i = 0; i < events.length; i++) {
      const json = JSON.stringify(r.apply(events[i] as Record<string, unknown>, i + 1));
      if (check) {
        if (json !== expected[i]) bad++;
      } else sink += json.length;
    }
  }
  return sink < 0 ? -1 : bad;
}
