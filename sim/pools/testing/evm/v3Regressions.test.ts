/**
 * Replays every case file in regressions/ (see regressions/README.md): the EVM must still produce each
 * `expect` (the files stay true to the real bytecode), and `createV3Replayer()` must reproduce each one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadV3Replayer } from './v3Differential.ts';
import { createV2Evm } from './v2Evm.ts';
import { createV3Evm, type V3EvmHarness } from './v3Evm.ts';
import type { Replayer } from '../../../replay/types.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');
const ALL = readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort();
/** `v2-…` files hold v2 events (scripts/fuzz-v3.ts --pool v2); every other file is v3. */
const FILES = ALL.filter((f) => !f.startsWith('v2-'));
const V2_FILES = ALL.filter((f) => f.startsWith('v2-'));

interface CaseLine {
  readonly event: Record<string, unknown>;
  readonly expect: Record<string, unknown>;
}

function readCases(file: string): CaseLine[] {
  return readFileSync(path.join(DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CaseLine);
}

const availability = await loadV3Replayer();

describe('v3 regression case files', () => {
  it('behavior: regressions/ holds case files', () => {
    expect(FILES.length).toBeGreaterThan(0);
  });

  describe('the EVM still produces every expect', () => {
    let harness: V3EvmHarness;
    beforeAll(async () => {
      harness = await createV3Evm();
    });
    for (const file of FILES) {
      it(`behavior: ${file}`, async () => {
        const cases = readCases(file);
        const results = await harness.runScenario(cases.map((c) => c.event));
        cases.forEach((c, i) => expect({ line: i + 1, result: results[i] }).toEqual({ line: i + 1, result: c.expect }));
      });
    }
  });

  describe.skipIf(!availability.ok)(
    `createV3Replayer reproduces every line${availability.ok ? '' : ` (skipped: ${availability.reason})`}`,
    () => {
      for (const file of FILES) {
        it(`behavior: ${file}`, () => {
          if (!availability.ok) return;
          const replayer = availability.createReplayer();
          readCases(file).forEach((c, i) => {
            expect({ line: i + 1, result: replayer.apply(c.event, i + 1) }).toEqual({ line: i + 1, result: c.expect });
          });
        });
      }
    },
  );

  describe.skipIf(V2_FILES.length === 0)('v2 case files (none yet)', () => {
    let harness: Pick<V3EvmHarness, 'runScenario'>;
    beforeAll(async () => {
      harness = await createV2Evm();
    });
    for (const file of V2_FILES) {
      it(`behavior: ${file}: the EVM still produces every expect and createV2Replayer reproduces it`, async () => {
        const cases = readCases(file);
        const results = await harness.runScenario(cases.map((c) => c.event));
        const { createV2Replayer } = (await import('../../../replay/v2Replay.ts')) as { createV2Replayer: () => Replayer };
        const replayer = createV2Replayer();
        cases.forEach((c, i) => {
          expect({ line: i + 1, result: results[i] }).toEqual({ line: i + 1, result: c.expect });
          expect({ line: i + 1, result: replayer.apply(c.event, i + 1) }).toEqual({ line: i + 1, result: c.expect });
        });
      });
    }
  });
});
