import type { PriceRange } from '../pools/enginePool.ts';

/**
 * The engine's port for fees that come from outside the simulated pool (`--fee-model volume`, `replay`): the LP's
 * positions earn what the model says instead of what ammsim's simulated traders pay. The engine tells the model
 * about every position the strategy opens, resizes and closes, and asks it once per step for each open position's
 * fees in that step; it credits them to the position (owed until collected or burned) and drops the simulated
 * pool's fees for the LP. Implementations live in runs/feeModels/.
 */
export interface ExternalFees {
  /** 'volume' | 'replay', for messages and summary.json. */
  readonly model: string;
  /**
   * A position the LP minted at `step`: the range the pool used, its principal and the pool price then. `raw` is
   * set for a mint by ticks and liquidity: the ticks and uint128 liquidity as the strategy gave them, in the
   * model's (real) pool's coordinates, for the model to use as they are.
   */
  open(positionId: number, range: PriceRange | null, base: number, quote: number, price: number, step: number, raw?: RawPosition): void;
  /** A partial burn left `remaining` (0 < remaining < 1) of the position's liquidity. */
  resize(positionId: number, remaining: number): void;
  close(positionId: number): void;
  /** Adds the fees (human base and quote tokens) position `positionId` earned during step `step` to `out`. */
  accrue(positionId: number, step: number, out: FeeTokens): void;
  /**
   * The engine pool's ticks and liquidity for a position given in the model's pool coordinates (a mint by ticks
   * and liquidity); absent when the two coincide. The engine pool mints this; the model gets the original.
   */
  enginePosition?(raw: RawPosition): RawPosition;
}

/** A v3 position by integer ticks and raw uint128 liquidity. */
export interface RawPosition {
  readonly tickLower: number;
  readonly tickUpper: number;
  readonly liquidity: bigint;
}

export interface FeeTokens {
  base: number;
  quote: number;
}
