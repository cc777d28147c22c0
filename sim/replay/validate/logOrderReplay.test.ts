import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePoolEventsCsv, type PoolEventRow } from '../real/poolEvents.ts';
import { LogOrderReplay, replayLogOrder, type TrackedPositionInput } from './logOrderReplay.ts';
import { findAllPositions, type PositionLife } from './positions.ts';
import { feesOfOneInRangeSwap } from './testing/handCheck.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'usdc_weth_005_0x88e6_2024-01-05_lives_subset.pool_events.csv');
const SHARED = path.resolve(process.cwd(), '../shared/data/uniswap_v3/ethereum_usdc_weth_005_0x88e6_2024-01-05.pool_events.csv');
const haveShared = existsSync(SHARED);
if (!haveShared) console.warn(`skipping the full-day validate tests: ${SHARED} not found (it lives beside the checkout in ../shared)`);

const load = (f: string): PoolEventRow[] => parsePoolEventsCsv(readFileSync(f, 'utf8'), f);
const track = (ps: readonly PositionLife[]): TrackedPositionInput[] => ps.map((p) => ({ id: p.id, tickLower: p.tickLower, tickUpper: p.tickUpper, liquidity: p.liquidity, mintIndex: p.mintIndex, burnIndex: p.burnIndex }));

/** JIT lives whose only swap between mint and burn starts and ends inside the range, with the hand formula's fees. */
function jitHandChecks(rows: readonly PoolEventRow[], lives: readonly PositionLife[]): Array<{ life: PositionLife; hand: { fees0: bigint; fees1: bigint } }> {
  const out: Array<{ life: PositionLife; hand: { fees0: bigint; fees1: bigint } }> = [];
  for (const p of lives) {
    const swaps = rows.slice(p.mintIndex + 1, p.burnIndex).filter((r) => r.kind === 'SWAP');
    if (swaps.length !== 1) continue;
    const sw = swaps[0]!;
    const prev = rows.slice(0, rows.indexOf(sw)).filter((r) => r.kind === 'SWAP').at(-1);
    if (prev === undefined) continue;
    const inside = (t: number): boolean => p.tickLower <= t && t < p.tickUpper;
    if (!inside(prev.tick) || !inside(sw.tick) || p.tickUpper - p.tickLower !== 10) continue;
    out.push({ life: p, hand: feesOfOneInRangeSwap(prev.sqrtPriceX96, sw, p.liquidity) });
  }
  return out;
}

describe('replayLogOrder on the committed fixture (three real lives of 0x88e6, 2024-01-05)', () => {
  const rows = load(FIXTURE);
  const lives = findAllPositions(rows);
  const r = replayLogOrder(rows, { fee: 500, positions: track(lives) });

  it('behavior: the JIT positions earn exactly the contract formula and exactly what the chain paid (collect − principal)', () => {
    const checks = jitHandChecks(rows, lives);
    expect(checks.map((c) => c.life.tickLower)).toEqual([199060, 199100]);
    for (const { life, hand } of checks) {
      const sim = r.positions.find((x) => x.id === life.id)!;
      // Hand formula vs chain: the formula is right and the log is read right.
      expect(hand).toEqual({ fees0: life.actual0, fees1: life.actual1 });
      expect({ fees0: sim.fees0, fees1: sim.fees1 }).toEqual(hand);
      expect(sim.swapsInRange).toBe(1);
      expect(sim.mapUncertainSwaps).toBe(0);
    }
    // Hand-computed from the CSV text: collect 757530440077489724884 − burn 757521129258455969288 (token1).
    expect(r.positions[0]!.fees1).toBe(9310819033755596n);
  });

  it('behavior: a position whose range the price never enters earns exactly 0', () => {
    const p = r.positions.find((x) => x.id.includes(':199070:199080@'))!;
    expect(p.fees0).toBe(0n);
    expect(p.fees1).toBe(0n);
    expect(p.swapsInRange).toBe(0);
  });

  it('behavior: the simulated mint and burn take and return exactly the logged principal', () => {
    for (let i = 0; i < lives.length; i++) {
      const m = rows[lives[i]!.mintIndex]!;
      const b = rows[lives[i]!.burnIndex]!;
      const s = r.positions[i]!;
      expect([s.mintAmount0, s.mintAmount1, s.burnAmount0, s.burnAmount1]).toEqual([m.amount0, m.amount1, b.amount0, b.amount1]);
    }
  });

  it('invariant: tracking positions changes nothing in the pool (their liquidity is the logged one, never a second copy)', () => {
    const plain = new LogOrderReplay(rows, { fee: 500 });
    const tracked = new LogOrderReplay(rows, { fee: 500, positions: track(lives) });
    while (!plain.done) {
      plain.step();
      tracked.step();
      expect([tracked.pool.sqrtPriceX96, tracked.pool.tick, tracked.pool.liquidity]).toEqual([plain.pool.sqrtPriceX96, plain.pool.tick, plain.pool.liquidity]);
      expect([tracked.pool.feeGrowthGlobal0X128, tracked.pool.feeGrowthGlobal1X128]).toEqual([plain.pool.feeGrowthGlobal0X128, plain.pool.feeGrowthGlobal1X128]);
    }
  });

  it('invariant: after every swap the pool is on the logged price and in-range L', () => {
    const rep = new LogOrderReplay(rows, { fee: 500 });
    while (!rep.done) {
      const row = rows[rep.nextIndex]!;
      rep.step();
      if (row.kind === 'SWAP') expect([rep.pool.sqrtPriceX96, rep.pool.tick, rep.pool.liquidity]).toEqual([row.sqrtPriceX96, row.tick, row.totalLiquidity]);
    }
  });

  it('behavior: the JIT victim swaps are reproduced by an exact reading; the gaps between the kept segments are price-driven', () => {
    expect(r.stats.swaps).toBe(rows.filter((x) => x.kind === 'SWAP').length - 1);
    expect(r.stats.exactSwaps + r.stats.priceDrivenSwaps).toBe(r.stats.swaps);
    expect(r.stats.priceDrivenSwaps).toBeGreaterThan(0);
    expect(r.positions.every((p) => p.priceDrivenSwaps === 0)).toBe(true);
  });

  it('error: a tracked position minted before the anchor swap is reported, not replayed', () => {
    const shifted = rows.slice(rows.findIndex((x) => x.kind === 'MINT'));
    const again = findAllPositions(shifted);
    const res = replayLogOrder(shifted, { fee: 500, positions: track(again) });
    expect(res.positions[0]!.fees1).toBeUndefined();
    expect(res.positions[0]!.notes.join()).toMatch(/minted before the first swap/);
  });
});

describe.skipIf(!haveShared)('replayLogOrder on the whole 0x88e6 2024-01-05 day — skipped when ../shared/data is absent', () => {
  it('acceptance: all 36 lives within 0.1 %, every one-swap in-range JIT bit-exact and equal to the hand formula', () => {
    const rows = load(SHARED);
    const lives = findAllPositions(rows);
    expect(lives.length).toBe(36);
    const r = replayLogOrder(rows, { fee: 500, positions: track(lives) });
    const checks = jitHandChecks(rows, lives);
    expect(checks.length).toBeGreaterThan(20);
    for (const { life, hand } of checks) {
      const sim = r.positions.find((x) => x.id === life.id)!;
      expect(hand, life.id).toEqual({ fees0: life.actual0, fees1: life.actual1 });
      expect({ fees0: sim.fees0, fees1: sim.fees1 }, life.id).toEqual(hand);
    }
    for (let i = 0; i < lives.length; i++) {
      const p = lives[i]!;
      const s = r.positions[i]!;
      for (const [sim, act] of [[s.fees0!, p.actual0!], [s.fees1!, p.actual1!]] as const) {
        const err = Number(sim > act ? sim - act : act - sim) / Number(act > 0n ? act : 1n);
        expect(err, p.id).toBeLessThanOrEqual(1e-3);
      }
      if (s.swapsInRange === 0) expect([s.fees0, s.fees1]).toEqual([0n, 0n]);
    }
    expect(r.stats.tickMismatches).toBe(0);
    expect(r.stats.liquidityShortfalls).toBe(0);
  });
});

describe('LogOrderReplay.insert/remove: positions that are not rows of the file (a backtest strategy)', () => {
  const rows = load(FIXTURE);
  const lives = findAllPositions(rows);
  const jit = lives.find((p) => p.tickLower === 199060)!;

  it('invariant: with inserted liquidity live, every swap still ends on the logged price, and the in-range L is the logged L plus the inserted L in range', () => {
    const rep = new LogOrderReplay(rows, { fee: 500 });
    const L = 10n ** 18n;
    rep.insert('wide', 198000, 200000, L);
    while (!rep.done) {
      const row = rows[rep.nextIndex]!;
      rep.step();
      if (row.kind === 'SWAP') expect([rep.pool.sqrtPriceX96, rep.pool.liquidity]).toEqual([row.sqrtPriceX96, row.totalLiquidity + L]);
    }
    expect(rep.amountDrivenSwaps).toBeGreaterThan(0);
    const f = rep.feesOf('wide');
    expect(f.fees0 > 0n && f.fees1 > 0n).toBe(true);
  });

  it('behavior: a claimed JIT removed at its burn row earns what the tracked reading gives; removed early, the log keeps its liquidity until the burn row (pool = plain replay)', () => {
    const tracked = replayLogOrder(rows, { fee: 500, positions: track([jit]) });
    const rep = new LogOrderReplay(rows, { fee: 500 });
    while (rep.nextIndex <= jit.mintIndex) rep.step();
    expect(rep.insert('me', jit.tickLower, jit.tickUpper, jit.liquidity, true).claimedRow).toBe(jit.mintIndex);
    while (rep.nextIndex <= jit.burnIndex) rep.step();
    const out = rep.remove('me');
    expect([out.fees0, out.fees1]).toEqual([tracked.positions[0]!.fees0, tracked.positions[0]!.fees1]);
    expect(rep.feesOf('me')).toEqual({ fees0: out.fees0, fees1: out.fees1 });

    const plain = new LogOrderReplay(rows, { fee: 500 });
    const early = new LogOrderReplay(rows, { fee: 500 });
    while (early.nextIndex <= jit.mintIndex) {
      early.step();
      plain.step();
    }
    early.insert('me', jit.tickLower, jit.tickUpper, jit.liquidity, true);
    early.remove('me'); // before the victim swap: earns nothing, and the pool keeps the logged JIT
    expect(early.feesOf('me')).toEqual({ fees0: 0n, fees1: 0n });
    while (!plain.done) {
      plain.step();
      early.step();
      expect([early.pool.sqrtPriceX96, early.pool.liquidity, early.pool.feeGrowthGlobal1X128]).toEqual([plain.pool.sqrtPriceX96, plain.pool.liquidity, plain.pool.feeGrowthGlobal1X128]);
    }
  });

  it('behavior: without claim (or with other liquidity) nothing is claimed: the position is extra to the log', () => {
    const rep = new LogOrderReplay(rows, { fee: 500 });
    while (rep.nextIndex <= jit.mintIndex) rep.step();
    expect(rep.insert('copy', jit.tickLower, jit.tickUpper, jit.liquidity).claimedRow).toBeUndefined();
    expect(rep.insert('other', jit.tickLower, jit.tickUpper, jit.liquidity + 1n, true).claimedRow).toBeUndefined();
    expect(rep.pool.liquidity).toBe(rows[jit.mintIndex]!.totalLiquidity + 2n * jit.liquidity + 1n);
  });
});
