/**
 * Curve gauge boost: the working balance a liquidity gauge credits a staker with, from the gauge's own integer
 * form (curve-dao-contracts `contracts/gauges/LiquidityGauge.vy`, `_update_liquidity_limit`, the same formula in
 * LiquidityGaugeV2–V5):
 *
 *     lim = l·TOKENLESS_PRODUCTION/100                       (TOKENLESS_PRODUCTION = 40)
 *     if V > 0 (and, gauge v1 only, past the 2-week BOOST_WARMUP):
 *         lim += L·v/V·(100 − TOKENLESS_PRODUCTION)/100      (evaluated left to right, each `/` flooring)
 *     working_balance = min(l, lim)
 *
 * i.e. min(0.4·l + 0.6·L·v/V, l), with l = the staker's gauge balance (LP tokens), L = the gauge's total
 * balance, v = the staker's veCRV, V = total veCRV. Without veCRV a staker counts for 40 % of its balance, so the
 * boost working/(0.4·l) lies in [1, 2.5]. Emissions follow working balances: over an interval the gauge adds
 * `rate·weight·dt / working_supply` to its integral and credits `working_balance·Δintegral / 1e18`.
 * Vyper's checked uint256 arithmetic reverts bare on overflow: PoolError('').
 */
import { InvariantError, PoolError } from '../../core/errors.ts';

/** The gauge's TOKENLESS_PRODUCTION: the percentage of a balance that counts with no veCRV. */
export const TOKENLESS_PRODUCTION = 40n;
/** The largest boost: 100 / TOKENLESS_PRODUCTION = 2.5. */
export const MAX_BOOST = 2.5;
const MAX_UINT256 = (1n << 256n) - 1n;
const E18 = 10n ** 18n;

function checked(v: bigint): bigint {
  if (v > MAX_UINT256) throw new PoolError('');
  return v;
}

function assertUint(what: string, v: bigint): void {
  if (typeof v !== 'bigint' || v < 0n || v > MAX_UINT256) throw new InvariantError(`gaugeBoost: ${what} must be a uint256 bigint; was ${String(v)}`);
}

export interface WorkingBalanceInput {
  /** The staker's gauge balance `l` (LP tokens). */
  readonly balance: bigint;
  /** The gauge's total balance `L`. */
  readonly totalSupply: bigint;
  /** The staker's veCRV balance `v`. */
  readonly veBalance: bigint;
  /** Total veCRV `V`. */
  readonly veTotalSupply: bigint;
  /** Gauge v1's BOOST_WARMUP: false while the gauge is younger than two weeks (no boost yet). Default true. */
  readonly boostActive?: boolean;
}

/** The working balance, exactly as `_update_liquidity_limit` computes it. */
export function workingBalance(input: WorkingBalanceInput): bigint {
  const { balance: l, totalSupply: L, veBalance: v, veTotalSupply: V } = input;
  assertUint('balance', l);
  assertUint('totalSupply', L);
  assertUint('veBalance', v);
  assertUint('veTotalSupply', V);
  let lim = checked(l * TOKENLESS_PRODUCTION) / 100n;
  if (V > 0n && (input.boostActive ?? true)) {
    lim = checked(lim + checked((checked(L * v) / V) * (100n - TOKENLESS_PRODUCTION)) / 100n);
  }
  return lim < l ? lim : l;
}

/** The same in floating point: min(0.4·l + 0.6·L·v/V, l). */
export function workingBalanceNumber(l: number, L: number, v: number, V: number, boostActive = true): number {
  let lim = 0.4 * l;
  if (V > 0 && boostActive) lim += (0.6 * L * v) / V;
  return Math.min(l, lim);
}

/** The boost: working balance over the unboosted 40 % (1 with no veCRV, at most 2.5); 0 for an empty balance. */
export function boostFactor(l: number, L: number, v: number, V: number, boostActive = true): number {
  if (l <= 0) return 0;
  return workingBalanceNumber(l, L, v, V, boostActive) / (0.4 * l);
}

/** The veCRV share v/V at which a staker reaches the full 2.5× boost: l/L (it then counts its whole balance). */
export function veShareForMaxBoost(l: number, L: number): number {
  return L > 0 ? l / L : 0;
}

export interface GaugeStaker {
  readonly balance: bigint;
  readonly veBalance: bigint;
}

/**
 * Working balances of every staker (each checkpointed against the current totals) and their sum, the gauge's
 * `working_supply`. `L` is the sum of the balances.
 */
export function workingBalances(stakers: readonly GaugeStaker[], veTotalSupply: bigint, boostActive = true): { balances: bigint[]; workingSupply: bigint } {
  const L = stakers.reduce((s, x) => s + x.balance, 0n);
  const balances = stakers.map((x) => workingBalance({ balance: x.balance, totalSupply: L, veBalance: x.veBalance, veTotalSupply, boostActive }));
  return { balances, workingSupply: balances.reduce((s, b) => s + b, 0n) };
}

/**
 * Tokens a staker is credited over one checkpoint interval, in the gauge's integer form:
 * `Δintegral = ⌊rate·weight·dt / workingSupply⌋` (weight 1e18-scaled, 1e18 = the whole inflation), then
 * `⌊workingBalance·Δintegral / 1e18⌋`. Nothing accrues while the working supply is 0.
 */
export function gaugeClaimable(workingBalance: bigint, workingSupply: bigint, rate: bigint, weight: bigint, dt: bigint): bigint {
  if (workingSupply === 0n) return 0n;
  const dIntegral = checked(checked(rate * weight) * dt) / workingSupply;
  return checked(workingBalance * dIntegral) / E18;
}

/** A staker's share of the gauge's emissions: working balance / working supply (0 when the supply is 0). */
export function emissionShare(workingBalance: number, workingSupply: number): number {
  return workingSupply > 0 ? workingBalance / workingSupply : 0;
}
