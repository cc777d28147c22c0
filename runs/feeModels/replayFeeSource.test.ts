import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LpAction, LpStrategyFactory, StrategyContext } from '../../sim/engine/strategy.ts';
import { parsePoolEventsCsv, type PoolEventRow } from '../../sim/replay/real/poolEvents.ts';
import { replayLogOrder } from '../../sim/replay/validate/logOrderReplay.ts';
import { findAllPositions, type PositionLife } from '../../sim/replay/validate/positions.ts';
import { backtest } from '../backtest.ts';
import { checkSeriesPricesPool, enginePositionOf, type ReplayFeeReport } from './replayFeeSource.ts';
import { makeSeries } from '../../sim/core/series.ts';
import { USDC_WETH_TOKENS } from './position.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../sim/replay/validate/fixtures/usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
const SHARED = path.resolve(process.cwd(), '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
const haveShared = existsSync(SHARED);
if (!haveShared) console.warn(`skipping the full-day replay-as-strategy tests: ${SHARED} not found (it lives beside the checkout in ../shared)`);

const load = (f: string): PoolEventRow[] => parsePoolEventsCsv(readFileSync(f, 'utf8'), f);

/** A position by ticks and liquidity, minted at the step of row (block, logIndex) `mint` and burned at `burn`. */
interface Planned {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: bigint;
  readonly mint: readonly [number, number];
  readonly burn: readonly [number, number];
}

/** A strategy that opens and closes the planned positions at their rows (per-event steps carry block and logIndex). */
function planStrategy(plan: readonly Planned[]): LpStrategyFactory<Record<string, unknown>> {
  return {
    name: 'planned',
    description: 'positions by ticks and liquidity at given log rows',
    defaults: {},
    create: () => {
      /** Plan entry → engine position id (known from the step after its mint: ids are new positions, in order). */
      const ids = new Map<number, number>();
      const pending: number[] = [];
      const at = (ctx: StrategyContext, r: readonly [number, number]): boolean => ctx.history.extra('block', ctx.step) === r[0] && ctx.history.extra('logIndex', ctx.step) === r[1];
      const act = (ctx: StrategyContext): LpAction[] => {
        const known = new Set(ids.values());
        for (const v of ctx.positions) if (!known.has(v.positionId) && pending.length > 0) ids.set(pending.shift()!, v.positionId);
        const acts: LpAction[] = [];
        plan.forEach((p, k) => {
          if (at(ctx, p.burn) && ids.has(k)) acts.push({ kind: 'burn', positionId: ids.get(k)! });
        });
        plan.forEach((p, k) => {
          if (!at(ctx, p.mint)) return;
          acts.push({ kind: 'mint', ticks: { lower: p.tickLower, upper: p.tickUpper }, liquidity: String(p.liquidity) });
          pending.push(k);
        });
        return acts;
      };
      return { id: 'planned', params: {}, onStart: act, onStep: act };
    },
  };
}

async function runPlan(prices: string, plan: readonly Planned[]): Promise<ReplayFeeReport> {
  const r = await backtest({ prices, pool: 'v3', fee: 0.0005, feeModel: 'replay', capital: 5e7, poolLiquidity: 1e11, strategy: planStrategy(plan) });
  return (r.summary as unknown as { feeModels: ReplayFeeReport }).feeModels;
}

function lifePlan(rows: readonly PoolEventRow[], p: PositionLife): Planned {
  const m = rows[p.mintIndex]!;
  const b = rows[p.burnIndex]!;
  return { tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity, mint: [m.blockNumber, m.logIndex], burn: [b.blockNumber, b.logIndex] };
}

describe('replay fee model: a real JIT position replayed as a strategy (committed fixture, 0x88e6 2024-01-05)', () => {
  const rows = load(FIXTURE);
  const lives = findAllPositions(rows);
  const jit = lives.find((p) => p.tickLower === 199060)!;

  it('behavior: minted and burned by ticks and liquidity at its own rows, it claims its MINT row and earns exactly what validate computes and the chain paid', async () => {
    const tracked = replayLogOrder(rows, { fee: 500, positions: [{ id: 'jit', tickLower: jit.tickLower, tickUpper: jit.tickUpper, liquidity: jit.liquidity, mintIndex: jit.mintIndex, burnIndex: jit.burnIndex }] });
    const rep = await runPlan(FIXTURE, [lifePlan(rows, jit)]);
    expect(rep.steps).toBe('one per event row, in log order');
    expect(rep.positions).toHaveLength(1);
    const p = rep.positions[0]!;
    expect(p.claimedLine).toBe(rows[jit.mintIndex]!.line);
    expect([BigInt(p.fees0Raw), BigInt(p.fees1Raw)]).toEqual([tracked.positions[0]!.fees0, tracked.positions[0]!.fees1]);
    expect([BigInt(p.fees0Raw), BigInt(p.fees1Raw)]).toEqual([jit.actual0, jit.actual1]);
    expect(p.swapsInRange).toBe(1);
  });

  it('behavior: a hypothetical copy beside the real JIT (half its liquidity, so no claim) takes its share L/2 / (L_logged + L/2) of the victim swap fee', async () => {
    const half = { ...lifePlan(rows, jit), liquidity: jit.liquidity / 2n };
    const rep = await runPlan(FIXTURE, [half]);
    const p = rep.positions[0]!;
    expect(p.claimedLine).toBeNull();
    expect(p.amountDrivenSwaps).toBe(1);
    // The victim swap (token1 in) paid fee ≈ amountIn · 0.0005 over logged in-range L (the real JIT included).
    const victim = rows.slice(jit.mintIndex + 1, jit.burnIndex).find((r) => r.kind === 'SWAP')!;
    const L = Number(victim.totalLiquidity);
    const Lh = Number(jit.liquidity / 2n);
    const expected = Number(victim.amount1) * 0.0005 * (Lh / (L + Lh));
    expect(BigInt(p.fees0Raw)).toBe(0n);
    expect(Math.abs(Number(BigInt(p.fees1Raw)) / expected - 1)).toBeLessThan(1e-6);
  });

  it('behavior: a position whose range the price never enters earns exactly 0', async () => {
    const far = { ...lifePlan(rows, jit), tickLower: 190000, tickUpper: 190010 };
    const rep = await runPlan(FIXTURE, [far]);
    expect([rep.positions[0]!.fees0Raw, rep.positions[0]!.fees1Raw]).toEqual(['0', '0']);
    expect(rep.positions[0]!.swapsInRange).toBe(0);
  });

  it('error: a position off the pool\'s tick spacing is refused with the real pool\'s reason', async () => {
    const odd = { ...lifePlan(rows, jit), tickLower: 199061, tickUpper: 199071, liquidity: 12345n };
    await expect(runPlan(FIXTURE, [odd])).rejects.toThrow(/multiples of 10|real pool rejects/);
  });
});

describe('a price series beside the pool\'s events (--fee-events)', () => {
  it('error: a series quoted the other way round (ETH per USDC beside a USDC-per-ETH pool) is refused, naming the row; the same pair passes', () => {
    const rows = load(FIXTURE);
    const swap = rows.find((r) => r.kind === 'SWAP')!;
    const t = swap.timestampSec * 1000;
    const poolPrice = 1e12 / (Number(swap.sqrtPriceX96) / 2 ** 96) ** 2; // USDC per WETH, decimals 6/18
    const series = (p: number) => makeSeries(Float64Array.from([t - 60_000, t + 3_600_000]), Float64Array.from([p, p]), new Map(), { kind: 'test', sha256: 'x' });
    expect(() => checkSeriesPricesPool(rows, series(poolPrice * 1.01), USDC_WETH_TOKENS, 'ev.csv')).not.toThrow();
    expect(() => checkSeriesPricesPool(rows, series(1 / poolPrice), USDC_WETH_TOKENS, 'ev.csv')).toThrow(new RegExp(`^--fee-events: ev\\.csv:${swap.line}: the pool's price there is [\\d.]+ \\(token1 in token0, decimals 6/18\\) but the price series has [\\d.e-]+ at that time`));
  });
});

describe('enginePositionOf: real-pool ticks and liquidity in the engine pool\'s coordinates', () => {
  it('behavior: 18/18 decimals with the price of token1 negate the ticks exactly and keep the liquidity', () => {
    expect(enginePositionOf({ tickLower: -60, tickUpper: 120, liquidity: 10n ** 20n }, { decimals0: 18, decimals1: 18, priceOf: 'token1' }, 60)).toEqual({ tickLower: -120, tickUpper: 60, liquidity: 10n ** 20n });
  });
  it('behavior: USDC/WETH (6/18, price of token1) shifts by 12·log_1.0001(10) = 276324.03 and snaps outward; L scales by 10^6 (same principal in human units)', () => {
    const e = enginePositionOf({ tickLower: 199060, tickUpper: 199070, liquidity: 389297572651811471360n }, { decimals0: 6, decimals1: 18, priceOf: 'token1' }, 10);
    expect(e).toEqual({ tickLower: 77250, tickUpper: 77270, liquidity: 389297572651811471360n * 10n ** 6n });
    // The engine range covers the real one in price: 1e12/1.0001^199070 ≥ 1.0001^77250 and 1e12/1.0001^199060 ≤ 1.0001^77270.
    expect(1e12 / Math.pow(1.0001, 199070)).toBeGreaterThanOrEqual(Math.pow(1.0001, 77250));
    expect(1e12 / Math.pow(1.0001, 199060)).toBeLessThanOrEqual(Math.pow(1.0001, 77270));
  });
});

describe.skipIf(!haveShared)('replay fee model on the whole 0x88e6 2024-01-05 day — skipped when ../shared/data is absent', () => {
  const rows = haveShared ? load(SHARED) : [];

  it('acceptance: every one-swap in-range JIT life replayed as a strategy earns bit-exactly what validate says the chain paid', async () => {
    const lives = findAllPositions(rows).filter((p) => {
      const swaps = rows.slice(p.mintIndex + 1, p.burnIndex).filter((r) => r.kind === 'SWAP');
      return swaps.length === 1 && swaps[0]!.tick >= p.tickLower && swaps[0]!.tick < p.tickUpper && p.actual0 !== undefined;
    });
    expect(lives.length).toBeGreaterThan(5);
    const pick = lives.slice(0, 4);
    const rep = await runPlan(SHARED, pick.map((p) => lifePlan(rows, p)));
    const tracked = replayLogOrder(rows, { fee: 500, positions: pick.map((p, k) => ({ id: String(k), tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity, mintIndex: p.mintIndex, burnIndex: p.burnIndex })) });
    expect(rep.positions).toHaveLength(pick.length);
    pick.forEach((p, k) => {
      const got = rep.positions[k]!;
      expect(got.claimedLine, p.id).toBe(rows[p.mintIndex]!.line);
      expect([BigInt(got.fees0Raw), BigInt(got.fees1Raw)], p.id).toEqual([tracked.positions[k]!.fees0, tracked.positions[k]!.fees1]);
      expect([BigInt(got.fees0Raw), BigInt(got.fees1Raw)], p.id).toEqual([p.actual0, p.actual1]);
    });
  });

  it('invariant: a re-centring strategy\'s replay fees are the sum, position by position, of replays of each position alone', async () => {
    // Three successive hypothetical ±40-tick positions around the price at their mint, each held ~1,500 rows.
    const swaps = rows.map((r, i) => [r, i] as const).filter(([r]) => r.kind === 'SWAP');
    const plan: Planned[] = [];
    for (let k = 0; k < 3; k++) {
      const [m] = swaps[100 + k * 1500]!;
      const [b] = swaps[100 + (k + 1) * 1500 - 1]!;
      const c = Math.floor(m.tick / 10) * 10;
      plan.push({ tickLower: c - 40, tickUpper: c + 40, liquidity: 3n * 10n ** 17n + BigInt(k), mint: [m.blockNumber, m.logIndex], burn: [b.blockNumber, b.logIndex] });
    }
    const together = await runPlan(SHARED, plan);
    expect(together.positions).toHaveLength(3);
    let sum0 = 0n;
    let sum1 = 0n;
    for (let k = 0; k < 3; k++) {
      const alone = await runPlan(SHARED, [plan[k]!]);
      expect([alone.positions[0]!.fees0Raw, alone.positions[0]!.fees1Raw], `position ${k}`).toEqual([together.positions[k]!.fees0Raw, together.positions[k]!.fees1Raw]);
      expect(together.positions[k]!.swapsInRange).toBeGreaterThan(0);
      sum0 += BigInt(alone.positions[0]!.fees0Raw);
      sum1 += BigInt(alone.positions[0]!.fees1Raw);
    }
    expect([together.fees0Raw, together.fees1Raw]).toEqual([String(sum0), String(sum1)]);
  }, 60_000);
});

describe('mint intent by ticks and raw liquidity (no external fee model: the simulated pool\'s own coordinates)', () => {
  const csv = path.join(mkdtempSync(path.join(tmpdir(), 'ammsim-rawmint-')), 'p.csv');
  writeFileSync(csv, 'timestamp,price\n1704067200,1\n1704070800,1.01\n1704074400,0.99\n');
  const once = (mint: LpAction, seen: number[]): LpStrategyFactory<Record<string, unknown>> => ({
    name: 'raw-mint',
    description: 'one mint by ticks',
    defaults: {},
    create: () => ({
      id: 'raw-mint',
      params: {},
      onStart: () => [mint],
      onStep: (ctx) => {
        seen.push(...ctx.positions.map((p) => p.liquidity));
        return [];
      },
    }),
  });
  for (const exact of [true, false]) {
    it(`behavior: ${exact ? 'the exact pool mints exactly the raw liquidity' : 'the float pool mints the nearest float'} (10^18 raw = 1 human L, ticks ±600 around price 1)`, async () => {
      const seen: number[] = [];
      await backtest({ prices: csv, pool: 'v3', fee: 0.003, exact, capital: 1000, poolLiquidity: 1e6, strategy: once({ kind: 'mint', ticks: { lower: -600, upper: 600 }, liquidity: 10n ** 18n }, seen) });
      expect(seen).toEqual([1, 1]);
    });
  }
  it('error: a liquidity that is not a uint128 decimal, and ticks on a v2 pool, are the strategy\'s errors', async () => {
    const run = (pool: 'v2' | 'v3', liquidity: string) => backtest({ prices: csv, pool, fee: 0.003, capital: 1000, poolLiquidity: 1e6, strategy: once({ kind: 'mint', ticks: { lower: -600, upper: 600 }, liquidity }, []) });
    await expect(run('v3', '-5')).rejects.toThrow(/mint liquidity must be a uint128 > 0/);
    await expect(run('v3', '1e18')).rejects.toThrow(/mint liquidity must be a uint128 > 0/);
    await expect(run('v2', '1000')).rejects.toThrow(/needs a v3 pool/);
    await expect(run('v3', String(10n ** 30n))).rejects.toThrow(/the wallet holds/);
  });
});
