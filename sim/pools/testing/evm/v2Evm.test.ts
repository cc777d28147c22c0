/**
 * v2: the EVM harness reproduces every oracle line (../shared/oracle/v2), then a seeded differential of
 * random v2 scenarios: UniswapV2Pair bytecode vs createV2Replayer(), every result and revert equal.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Replayer } from '../../../replay/types.ts';
import { v2ScenarioAt } from './scenariosV2.ts';
import { runV3Differential as runDifferential, type Mismatch } from './v3Differential.ts';
import { createV2Evm, libraryAmountIn, libraryAmountOut, type V2EvmHarness } from './v2Evm.ts';

const ORACLE_V2 = path.resolve(process.cwd(), '../shared/oracle/v2');
const SEED = 8002;
const SCENARIOS = 200;

async function loadV2Replayer(): Promise<{ ok: true; create: () => Replayer } | { ok: false; reason: string }> {
  try {
    const mod = (await import('../../../replay/v2Replay.ts')) as { createV2Replayer?: () => Replayer };
    const create = mod.createV2Replayer;
    if (typeof create !== 'function') return { ok: false, reason: 'sim/replay/v2Replay.ts exports no createV2Replayer' };
    create().apply({ type: 'initialize' }, 1);
    return { ok: true, create: () => create() };
  } catch (err) {
    return { ok: false, reason: `createV2Replayer is not usable: ${err instanceof Error ? err.message : String(err)}` };
  }
}
const availability = await loadV2Replayer();

describe('UniswapV2Library mirrors used to turn amountIn/amountOut into a swap', () => {
  it('behavior: getAmountOut with the 0.3 % fee, 0 where the library reverts', () => {
    // 1000 in against 1e6/1e6: 997000·1e6 / (1e9 + 997000) = 996
    expect(libraryAmountOut(1000n, 1_000_000n, 1_000_000n)).toBe(996n);
    expect(libraryAmountOut(0n, 1n, 1n)).toBe(0n);
    expect(libraryAmountOut(5n, 0n, 10n)).toBe(0n);
  });
  it('behavior: getAmountIn rounds up, 0 at or past the reserve, 1 for an output of 0 (as the oracle)', () => {
    // 996 out of 1e6/1e6: floor(1e6·996·1000 / (999004·997)) + 1 = floor(999.99…) + 1 = 1000
    expect(libraryAmountIn(996n, 1_000_000n, 1_000_000n)).toBe(1000n);
    expect(libraryAmountIn(10n, 5n, 10n)).toBe(0n);
    expect(libraryAmountIn(0n, 5n, 10n)).toBe(1n);
  });
});

describe.skipIf(!existsSync(ORACLE_V2))(`v2 EVM harness reproduces the oracle (skipped: ${ORACLE_V2} not found)`, () => {
  let harness: V2EvmHarness;
  beforeAll(async () => {
    harness = await createV2Evm();
  });
  const files = existsSync(ORACLE_V2) ? readdirSync(ORACLE_V2).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('behavior: every line of every v2 oracle file equals expect', async () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const cases = readFileSync(path.join(ORACLE_V2, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { event: Record<string, unknown>; expect: Record<string, unknown> });
      const results = await harness.runScenario(cases.map((c) => c.event));
      cases.forEach((c, i) => expect({ file, line: i + 1, result: results[i] }).toEqual({ file, line: i + 1, result: c.expect }));
    }
  });
});

describe.skipIf(!availability.ok)(
  `v2 differential: UniswapV2Pair bytecode vs createV2Replayer${availability.ok ? '' : ` (skipped: ${availability.reason})`}`,
  () => {
    let harness: V2EvmHarness;
    beforeAll(async () => {
      harness = await createV2Evm();
      console.log(`v2 differential: seed ${SEED}, ${SCENARIOS} scenarios (v2ScenarioAt(${SEED}, i))`);
    });
    it(`behavior: ${SCENARIOS} scenarios of seed ${SEED}: 0 mismatches, and the run hits the pair's reverts`, async () => {
      if (!availability.ok) return;
      const mismatches: { scenario: number; mismatch: Mismatch }[] = [];
      const reasons = new Set<string>();
      let swaps = 0;
      for (let i = 0; i < SCENARIOS; i++) {
        const { events } = v2ScenarioAt(SEED, i);
        const r = await runDifferential(harness, availability.create, events);
        if (r.mismatch !== undefined) mismatches.push({ scenario: i, mismatch: r.mismatch });
        r.evmResults.forEach((res, k) => {
          if ('revert' in res) reasons.add(String(res.revert));
          else if (events[k]?.type === 'swap') swaps++;
        });
      }
      expect(mismatches.slice(0, 1)).toEqual([]);
      expect(swaps).toBeGreaterThan(300);
      for (const reason of [
        'UniswapV2: K',
        'UniswapV2: OVERFLOW',
        'UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT',
        'UniswapV2: INSUFFICIENT_INPUT_AMOUNT',
        'UniswapV2: INSUFFICIENT_LIQUIDITY',
        'UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED',
        'UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED',
        'ds-math-sub-underflow',
      ]) {
        expect([...reasons], reason).toContain(reason);
      }
    });
    it('behavior: a replayer off by one on one burn is caught', async () => {
      if (!availability.ok) return;
      let events: readonly Record<string, unknown>[] = [];
      let good: Awaited<ReturnType<typeof runDifferential>> | undefined;
      let target = -1;
      for (let i = 0; target < 0; i++) {
        events = v2ScenarioAt(SEED, i).events;
        good = await runDifferential(harness, availability.create, events);
        const evmResults = good.evmResults;
        target = evmResults.findIndex((r, k) => events[k]?.type === 'burn' && !('revert' in r));
      }
      const create = availability.create;
      const broken = (): Replayer => {
        const inner = create();
        return {
          apply: (e, line) => {
            const r = inner.apply(e, line);
            return e === events[target] ? { ...r, amount0: (BigInt(r.amount0 as string) + 1n).toString() } : r;
          },
        };
      };
      const bad = await runDifferential(harness, broken, events);
      expect(bad.mismatch?.index).toBe(target);
      expect(isDeepStrictEqual(bad.mismatch?.evm, good?.evmResults[target])).toBe(true);
    });
  },
);
