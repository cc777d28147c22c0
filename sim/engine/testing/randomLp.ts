import fc from 'fast-check';
import { StrategyError } from '../../core/errors.ts';
import type { PositionView, PriceRange } from '../../pools/enginePool.ts';
import { NO_ACTIONS, type LpAction, type LpStrategy, type StrategyContext } from '../strategy.ts';

/**
 * Test helper: a random but well-formed LP strategy for property tests (fuzzing the engine's books).
 *
 * A plan is drawn by fast-check as abstract "recipes" (a mint over a range given relative to the price, a burn of
 * the k-th open position, a swap of a fraction of the wallet…); the strategy resolves each recipe against what its
 * context shows (ctx.positions, ctx.wallet, ctx.poolPrice, ctx.gasCost) into a concrete action, so the actions are
 * valid as far as a strategy can know: position ids are open ones, swaps never ask for more than the wallet holds
 * (a lower bound of it, tracked through the list: gas and earlier actions of the same list), a burn of a whole
 * position is the last action to name it. What a strategy cannot know exactly (what a mint by ticks takes after its
 * split swap, what named amounts buy) may still be refused by the engine; the caller checks the refusal.
 */

/** A range for a price mint, relative to the pool price at the step. */
export type RangeShape =
  | { readonly kind: 'full' }
  /** [P·e^(c−w), P·e^(c+w)], w = 10^logHalfWidth: narrow (1e-7), wide (30), far out of range (c = ±20). */
  | { readonly kind: 'rel'; readonly center: number; readonly logHalfWidth: number }
  /** Absolute extremes (beyond the v3 price range: the pool clamps). */
  | { readonly kind: 'abs'; readonly lower: number; readonly upper: number };

export type Recipe =
  | { readonly k: 'mint'; readonly mode: 'auto' | 'noSwap' | 'named' | 'namedSwap'; readonly shape: RangeShape; readonly fb: number; readonly fq: number }
  /** v3: ticks `offset` spacings from the current tick's, `width` spacings wide, liquidity `frac` of what the wallet's value buys. */
  | { readonly k: 'mintTicks'; readonly offset: number; readonly width: number; readonly frac: number; readonly swap: boolean }
  | { readonly k: 'burn'; readonly pick: number; readonly fraction: number }
  | { readonly k: 'collect'; readonly pick: number }
  | { readonly k: 'useFees' }
  | { readonly k: 'swap'; readonly baseIn: boolean; readonly frac: number };

export interface LpPlan {
  readonly start: readonly Recipe[];
  /** Recipes by step (a step may appear several times; its lists apply in order, as one list). */
  readonly steps: readonly { readonly step: number; readonly recipes: readonly Recipe[] }[];
}

const fraction01 = fc.oneof(
  { weight: 3, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.constantFrom(1e-12, 1e-6, 0.5, 1 - 1e-12) },
  { weight: 4, arbitrary: fc.double({ min: 1e-9, max: 1, noNaN: true }) },
);

const rangeShape: fc.Arbitrary<RangeShape> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'full' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('rel' as const),
      center: fc.oneof(fc.constant(0), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true })),
      logHalfWidth: fc.oneof(fc.constantFrom(-7, -4, 1.5), fc.double({ min: -7, max: 1.5, noNaN: true })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('abs' as const), lower: fc.constantFrom(1e-300, 1e-40, 1e-12), upper: fc.constantFrom(1e12, 1e40, 1e300) }),
  },
);

export function recipeArb(pool: 'v2' | 'v3'): fc.Arbitrary<Recipe> {
  const mint = fc.record({
    k: fc.constant('mint' as const),
    mode: fc.constantFrom('auto' as const, 'auto' as const, 'auto' as const, 'auto' as const, 'noSwap' as const, 'noSwap' as const, 'named' as const, 'namedSwap' as const),
    shape: pool === 'v2' ? fc.constant({ kind: 'full' as const }) : rangeShape,
    fb: fraction01,
    fq: fraction01,
  });
  const mintTicks = fc.record({
    k: fc.constant('mintTicks' as const),
    offset: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -3000, max: 3000 })),
    width: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5000 })),
    frac: fc.oneof(fc.constant(0.3), fc.double({ min: 1e-9, max: 0.6, noNaN: true })),
    swap: fc.boolean(),
  });
  const pick = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
  const other = [
    { weight: 3, arbitrary: fc.record({ k: fc.constant('burn' as const), pick, fraction: fraction01 }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('collect' as const), pick }) },
    { weight: 1, arbitrary: fc.constant({ k: 'useFees' as const }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('swap' as const), baseIn: fc.boolean(), frac: fraction01 }) },
  ];
  return pool === 'v2' ? fc.oneof({ weight: 3, arbitrary: mint }, ...other) : fc.oneof({ weight: 3, arbitrary: mint }, { weight: 2, arbitrary: mintTicks }, ...other);
}

export function lpPlanArb(pool: 'v2' | 'v3', maxStep: number): fc.Arbitrary<LpPlan> {
  const r = recipeArb(pool);
  return fc.record({
    start: fc.array(r, { minLength: 0, maxLength: 4 }),
    steps: fc.array(fc.record({ step: fc.integer({ min: 1, max: maxStep }), recipes: fc.array(r, { minLength: 1, maxLength: 4 }) }), { minLength: 0, maxLength: 20 }),
  });
}

const LN_TICK = Math.log(1.0001);
const MAX_TICK = 887272;

function rangeOf(shape: RangeShape, price: number): PriceRange | null {
  if (shape.kind === 'full') return null;
  if (shape.kind === 'abs') return { lower: shape.lower, upper: shape.upper };
  const w = 10 ** shape.logHalfWidth;
  return { lower: price * Math.exp(shape.center - w), upper: price * Math.exp(shape.center + w) };
}

/** Tokens one unit of (human) liquidity holds over [pa, pb] at price p (whitepaper 6.29–6.30). */
function perLiquidity(p: number, pa: number, pb: number): { x: number; y: number } {
  const s = Math.sqrt(p);
  const sa = Math.sqrt(pa);
  const sb = Math.sqrt(pb);
  if (s <= sa) return { x: 1 / sa - 1 / sb, y: 0 };
  if (s >= sb) return { x: 0, y: sb - sa };
  return { x: 1 / s - 1 / sb, y: s - sa };
}

/** What the strategy observed at each hook (for the caller's invariant checks after the run). */
export interface Observation {
  readonly step: number;
  readonly wallet: { base: number; quote: number };
  readonly collected: { base: number; quote: number };
  readonly positions: readonly PositionView[];
}

export interface RandomLp {
  readonly strategy: LpStrategy;
  readonly observed: Observation[];
  /** The actions last returned, with their step (to judge a refusal). */
  last: { step: number; actions: readonly LpAction[] } | undefined;
  /** Open position ids the strategy saw at its end (onEnd). */
  endPositions: readonly PositionView[];
}

/** Resolves a list of recipes against the context into concrete, valid-as-far-as-known actions. */
export function resolveRecipes(recipes: readonly Recipe[], ctx: StrategyContext, tickSpacing: number): LpAction[] {
  const out: LpAction[] = [];
  const avail = { base: Math.max(0, ctx.wallet.base), quote: Math.max(0, ctx.wallet.quote) };
  const open: number[] = ctx.positions.map((p) => p.positionId);
  const p = ctx.poolPrice;
  const gas = (kind: 'mint' | 'burn' | 'collect' | 'swap'): void => {
    avail.quote = Math.max(0, avail.quote - ctx.gasCost(kind) * (1 + 1e-9));
  };
  for (const r of recipes) {
    switch (r.k) {
      case 'mint': {
        const range = rangeOf(r.shape, p);
        if (r.mode === 'auto') out.push({ kind: 'mint', range });
        else if (r.mode === 'noSwap') out.push({ kind: 'mint', range, swapToRatio: false });
        else {
          // with a split swap first, ask for at most a third of each side (the swap moves tokens across)
          const k = r.mode === 'namedSwap' ? 0.3 : 1;
          const base = k * r.fb * avail.base;
          const quote = k * r.fq * avail.quote;
          if (!(base > 0 && quote > 0)) continue;
          out.push({ kind: 'mint', range, base, quote, ...(r.mode === 'namedSwap' ? { swapToRatio: true } : {}) });
        }
        avail.base = 0;
        avail.quote = 0;
        break;
      }
      case 'mintTicks': {
        const sp = tickSpacing;
        const minT = Math.ceil(-MAX_TICK / sp) * sp;
        const maxT = Math.floor(MAX_TICK / sp) * sp;
        const tick = Math.floor(Math.log(p) / LN_TICK);
        let lower = (Math.floor(tick / sp) + r.offset) * sp;
        lower = Math.min(Math.max(lower, minT), maxT - sp);
        const upper = Math.min(lower + r.width * sp, maxT);
        const per = perLiquidity(p, 1.0001 ** lower, 1.0001 ** upper);
        const value = avail.base * p + avail.quote - (r.swap ? ctx.gasCost('swap') : 0);
        const L = (r.frac * value) / (per.x * p + per.y);
        const raw = Number.isFinite(L) && L > 0 ? BigInt(Math.floor(Math.min(L * 1e18, 2 ** 127))) : 0n;
        if (raw <= 0n) continue;
        out.push({ kind: 'mint', ticks: { lower, upper }, liquidity: raw, ...(r.swap ? {} : { swapToRatio: false }) });
        avail.base = 0;
        avail.quote = 0;
        break;
      }
      case 'burn': {
        if (open.length === 0) continue;
        const i = Math.floor(r.pick * open.length);
        out.push({ kind: 'burn', positionId: open[i]!, fraction: r.fraction });
        if (r.fraction === 1) open.splice(i, 1);
        gas('burn');
        break;
      }
      case 'collect': {
        if (open.length === 0) continue;
        out.push({ kind: 'collect', positionId: open[Math.floor(r.pick * open.length)]! });
        gas('collect');
        break;
      }
      case 'useFees':
        out.push({ kind: 'useFees' });
        break;
      case 'swap': {
        const have = r.baseIn ? avail.base : avail.quote;
        const amountIn = r.frac * have;
        if (!(amountIn > 0 && Number.isFinite(amountIn))) continue;
        out.push({ kind: 'swap', baseIn: r.baseIn, amountIn });
        if (r.baseIn) avail.base -= amountIn;
        else avail.quote -= amountIn;
        gas('swap');
        break;
      }
    }
  }
  return out;
}

/** The strategy of a plan. `tickSpacing` is the v3 pool's (the config's, as a strategy knows it). */
export function randomLp(plan: LpPlan, tickSpacing: number): RandomLp {
  const byStep = new Map<number, Recipe[]>();
  for (const e of plan.steps) byStep.set(e.step, [...(byStep.get(e.step) ?? []), ...e.recipes]);
  const self: RandomLp = {
    observed: [],
    last: undefined,
    endPositions: [],
    strategy: {
      id: 'fuzz',
      params: {},
      onStart: (ctx) => act(plan.start, ctx),
      onStep: (ctx) => act(byStep.get(ctx.step) ?? [], ctx),
      onEnd: (ctx) => {
        observe(ctx);
        self.endPositions = ctx.positions;
        return NO_ACTIONS;
      },
    },
  };
  const observe = (ctx: StrategyContext): void => {
    self.observed.push({
      step: ctx.step,
      wallet: { base: ctx.wallet.base, quote: ctx.wallet.quote },
      collected: { base: ctx.collectedFees.base, quote: ctx.collectedFees.quote },
      positions: ctx.positions,
    });
  };
  const act = (recipes: readonly Recipe[], ctx: StrategyContext): readonly LpAction[] => {
    observe(ctx);
    if (recipes.length === 0) return NO_ACTIONS;
    const actions = resolveRecipes(recipes, ctx, tickSpacing);
    self.last = { step: ctx.step, actions };
    return actions;
  };
  return self;
}

/**
 * The engine's refusals a random strategy may run into that are genuinely invalid actions, as far as the strategy
 * could not know: a mint by ticks whose amounts (after its split swap) exceed the wallet, and named mint amounts
 * exceeding the wallet after a requested split swap. Returns the refusal's kind, or undefined when the error is not one.
 */
export function refusalKind(err: unknown): string | undefined {
  if (!(err instanceof StrategyError)) return undefined;
  const m = err.message;
  const ticks = /mint of liquidity \d+ on ticks \[-?\d+, -?\d+\) takes (\S+) base and (\S+) quote; the wallet holds (\S+) and (\S+) \(raise --capital\)$/.exec(m);
  if (ticks !== null) {
    const [nb, nq, wb, wq] = ticks.slice(1).map(Number) as [number, number, number, number];
    const tol = (x: number): number => Math.max(0, x) * (1 + 1e-9) + 1e-12;
    return nb > tol(wb) || nq > tol(wq) ? 'mintTicks exceeds wallet' : undefined;
  }
  const named = /mint asks for (\S+) base and (\S+) quote; the wallet holds (\S+) and (\S+)$/.exec(m);
  if (named !== null) {
    const [b, q, wb, wq] = named.slice(1).map(Number) as [number, number, number, number];
    return b > Math.max(0, wb) * (1 + 1e-12) + 1e-18 || q > Math.max(0, wq) * (1 + 1e-12) + 1e-18 ? 'named mint exceeds wallet' : undefined;
  }
  return undefined;
}
