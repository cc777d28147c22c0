import { ConfigError, InputError, PoolError } from '../core/errors.ts';
import { MAX_UINT128 } from '../math/v3/fixedPoint.ts';
import { V3Pool, type V3PositionView } from '../pools/v3/v3Pool.ts';
import type { Replayer } from './types.ts';

/**
 * Replays Uniswap v3 pool events through the exact {@link V3Pool}, producing for each event the result
 * object the real contract produced (the vocabulary of ../shared/oracle/README.md):
 *
 * | event             | fields                                                                              |
 * |-------------------|-------------------------------------------------------------------------------------|
 * | `initialize`      | `fee`, `tickSpacing`, `sqrtPriceX96` — the first event; creates the pool            |
 * | `mint`            | `owner`, `tickLower`, `tickUpper`, `amount`                                          |
 * | `burn`            | `owner`, `tickLower`, `tickUpper`, `amount` (`"0"` pokes)                            |
 * | `collect`         | `owner`, `tickLower`, `tickUpper`, optional `amount0Requested`, `amount1Requested`   |
 * | `swap`            | `zeroForOne`, `amountSpecified` (> 0 exact in, < 0 exact out), `sqrtPriceLimitX96`   |
 * | `setFeeProtocol`  | `feeProtocol0`, `feeProtocol1`                                                       |
 * | `collectProtocol` | optional `amount0Requested`, `amount1Requested`                                      |
 *
 * Results: `{ state }` for initialize/setFeeProtocol; `{ amount0, amount1, position, state }` for
 * mint/burn/collect; `{ amount0, amount1, state }` for swap/collectProtocol; `{ revert, state }` when the
 * contract reverts (state unchanged). Every integer in a result is a decimal string, `tick` included.
 *
 * Input integers are accepted as decimal strings or as JSON safe integers. A malformed event (unknown
 * type or field, missing field, wrong type, value outside its Solidity type, no initialize first, a later
 * initialize with another fee or tick spacing: one pool per file) throws {@link InputError} naming the 1-based
 * line and the field.
 */
export interface V3ReplayerOptions {
  /** File name used in InputError messages (default `<events>`). */
  readonly file?: string;
}

export type Event = Readonly<Record<string, unknown>>;

/** Fields of each event type (`type` included); the vocabulary of this replayer, extended by v3TimeReplay.ts. */
export type V3EventFields = Readonly<Record<string, readonly string[]>>;

export const V3_EVENT_FIELDS: V3EventFields = {
  initialize: ['type', 'fee', 'tickSpacing', 'sqrtPriceX96'],
  mint: ['type', 'owner', 'tickLower', 'tickUpper', 'amount'],
  burn: ['type', 'owner', 'tickLower', 'tickUpper', 'amount'],
  collect: ['type', 'owner', 'tickLower', 'tickUpper', 'amount0Requested', 'amount1Requested'],
  swap: ['type', 'zeroForOne', 'amountSpecified', 'sqrtPriceLimitX96'],
  setFeeProtocol: ['type', 'feeProtocol0', 'feeProtocol1'],
  collectProtocol: ['type', 'amount0Requested', 'amount1Requested'],
};

const INTEGER_RE = /^-?(0|[1-9][0-9]*)$/;
const INT24_MIN = -(2 ** 23);
const INT24_MAX = 2 ** 23 - 1;
const MAX_UINT160 = (1n << 160n) - 1n;
const MIN_INT256 = -(1n << 255n);
const MAX_INT256 = (1n << 255n) - 1n;

export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

const ZERO_STATE: Readonly<Record<string, string>> = Object.freeze({
  sqrtPriceX96: '0',
  tick: '0',
  liquidity: '0',
  feeGrowthGlobal0X128: '0',
  feeGrowthGlobal1X128: '0',
  protocolFees0: '0',
  protocolFees1: '0',
});

/**
 * Formats the pool's state, reusing the previous decimal string of a value that did not change (most
 * swaps leave half the state as it was; bigint → string is a large share of replay time).
 */
export class StateFormatter {
  private readonly values: bigint[] = [-1n, -1n, -1n, -1n, -1n, -1n];
  private readonly strings: string[] = ['', '', '', '', '', ''];

  private fmt(i: number, v: bigint): string {
    if (this.values[i] === v) return this.strings[i] as string;
    const s = v.toString();
    this.values[i] = v;
    this.strings[i] = s;
    return s;
  }

  format(pool: V3Pool | undefined): Record<string, string> {
    if (pool === undefined) return { ...ZERO_STATE };
    return {
      sqrtPriceX96: this.fmt(0, pool.sqrtPriceX96),
      tick: String(pool.tick),
      liquidity: this.fmt(1, pool.liquidity),
      feeGrowthGlobal0X128: this.fmt(2, pool.feeGrowthGlobal0X128),
      feeGrowthGlobal1X128: this.fmt(3, pool.feeGrowthGlobal1X128),
      protocolFees0: this.fmt(4, pool.protocolFees0),
      protocolFees1: this.fmt(5, pool.protocolFees1),
    };
  }
}

function positionOf(p: V3PositionView): Record<string, string> {
  return {
    liquidity: p.liquidity.toString(),
    feeGrowthInside0LastX128: p.feeGrowthInside0LastX128.toString(),
    feeGrowthInside1LastX128: p.feeGrowthInside1LastX128.toString(),
    tokensOwed0: p.tokensOwed0.toString(),
    tokensOwed1: p.tokensOwed1.toString(),
  };
}

/** Where an event came from, for InputError messages. */
export interface At {
  readonly file: string;
  readonly line: number;
}

export function fail(at: At, field: string | undefined, problem: string): never {
  throw new InputError(at.file, at.line, field, problem);
}

// Field parsers: plain module functions (no closures per event: the replay loop is hot).
function bigintField(at: At, event: Event, name: string, min: bigint, max: bigint, typeName: string, fallback?: bigint): bigint {
  const v = event[name];
  if (v === undefined && fallback !== undefined) return fallback;
  let x: bigint | undefined;
  if (typeof v === 'string' && INTEGER_RE.test(v)) x = BigInt(v);
  else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
  if (x === undefined) return fail(at, name, `must be an integer (a decimal string); was ${describe(v)}`);
  if (x < min || x > max) return fail(at, name, `must be ${/^[aeio]/.test(typeName) ? 'an' : 'a'} ${typeName} in [${min}, ${max}]; was ${x}`);
  return x;
}

export function intField(at: At, event: Event, name: string, min: number, max: number, typeName: string): number {
  const v = event[name];
  let x: number | undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) x = v;
  else if (typeof v === 'string' && INTEGER_RE.test(v) && Number.isSafeInteger(Number(v))) x = Number(v);
  if (x === undefined) return fail(at, name, `must be an integer; was ${describe(v)}`);
  if (x < min || x > max) return fail(at, name, `must be ${/^[aeio]/.test(typeName) ? 'an' : 'a'} ${typeName} in [${min}, ${max}]; was ${x}`);
  return x;
}

function ownerField(at: At, event: Event): string {
  const v = event['owner'];
  if (typeof v !== 'string' || v.length === 0) return fail(at, 'owner', `must be a non-empty string; was ${describe(v)}`);
  return v;
}

export function tickField(at: At, event: Event, name: string): number {
  return intField(at, event, name, INT24_MIN, INT24_MAX, 'int24');
}

function uint128Field(at: At, event: Event, name: string, fallback?: bigint): bigint {
  return bigintField(at, event, name, 0n, MAX_UINT128, 'uint128', fallback);
}

function checkFields(fields: V3EventFields, at: At, event: Event, type: string): void {
  const allowed = fields[type] as readonly string[];
  for (const key in event) {
    if (!allowed.includes(key)) {
      // Report the first unknown field in sorted order, so the message does not depend on key order.
      const unknown = Object.keys(event).filter((k) => !allowed.includes(k)).sort();
      fail(at, unknown[0], `is not a field of ${/^[aeio]/.test(type) ? 'an' : 'a'} ${type} event (fields: ${allowed.join(', ')})`);
    }
  }
}

/** The initialize that created a replay's pool: its fee, tick spacing and line. */
export interface PoolOrigin {
  readonly fee: number;
  readonly tickSpacing: number;
  readonly line: number;
}

/**
 * A later initialize must name the pool the first one created (even one that reverted `R`: the contract's pool
 * exists from then on). Another fee or spacing is another pool, which a file of one pool's events cannot hold;
 * applied to the first pool it would only set the price, and mints on the wrong spacing would succeed.
 */
export function checkSamePool(at: At, created: PoolOrigin, fee: number, tickSpacing: number): void {
  if (fee === created.fee && tickSpacing === created.tickSpacing) return;
  const field = fee !== created.fee ? 'fee' : 'tickSpacing';
  fail(at, field, `is ${field === 'fee' ? fee : tickSpacing} but line ${created.line} created the pool with fee ${created.fee} / tick spacing ${created.tickSpacing}; one pool per file`);
}

/** Runs one validated event on the pool; throws PoolError on a contract revert. */
export function runEvent(pool: V3Pool, at: At, event: Event, type: string): Record<string, unknown> {
  switch (type) {
    case 'swap': {
      const zeroForOne = event['zeroForOne'];
      if (typeof zeroForOne !== 'boolean') return fail(at, 'zeroForOne', `must be true or false; was ${describe(zeroForOne)}`);
      const amountSpecified = bigintField(at, event, 'amountSpecified', MIN_INT256, MAX_INT256, 'int256');
      const sqrtPriceLimitX96 = bigintField(at, event, 'sqrtPriceLimitX96', 0n, MAX_UINT160, 'uint160');
      const r = pool.swap(zeroForOne, amountSpecified, sqrtPriceLimitX96);
      return { amount0: r.amount0.toString(), amount1: r.amount1.toString() };
    }
    case 'mint':
    case 'burn': {
      const owner = ownerField(at, event);
      const tickLower = tickField(at, event, 'tickLower');
      const tickUpper = tickField(at, event, 'tickUpper');
      const amount = uint128Field(at, event, 'amount');
      const r = type === 'mint' ? pool.mint(owner, tickLower, tickUpper, amount) : pool.burn(owner, tickLower, tickUpper, amount);
      return {
        amount0: r.amount0.toString(),
        amount1: r.amount1.toString(),
        position: positionOf(pool.position(owner, tickLower, tickUpper)),
      };
    }
    case 'collect': {
      const owner = ownerField(at, event);
      const tickLower = tickField(at, event, 'tickLower');
      const tickUpper = tickField(at, event, 'tickUpper');
      const amount0Requested = uint128Field(at, event, 'amount0Requested', MAX_UINT128);
      const amount1Requested = uint128Field(at, event, 'amount1Requested', MAX_UINT128);
      const r = pool.collect(owner, tickLower, tickUpper, amount0Requested, amount1Requested);
      return {
        amount0: r.amount0.toString(),
        amount1: r.amount1.toString(),
        position: positionOf(pool.position(owner, tickLower, tickUpper)),
      };
    }
    case 'initialize': {
      pool.initialize(bigintField(at, event, 'sqrtPriceX96', 0n, MAX_UINT160, 'uint160'));
      return {};
    }
    case 'setFeeProtocol': {
      const feeProtocol0 = intField(at, event, 'feeProtocol0', 0, 255, 'uint8');
      const feeProtocol1 = intField(at, event, 'feeProtocol1', 0, 255, 'uint8');
      pool.setFeeProtocol(feeProtocol0, feeProtocol1);
      return {};
    }
    default: {
      // collectProtocol
      const amount0Requested = uint128Field(at, event, 'amount0Requested', MAX_UINT128);
      const amount1Requested = uint128Field(at, event, 'amount1Requested', MAX_UINT128);
      const r = pool.collectProtocol(amount0Requested, amount1Requested);
      return { amount0: r.amount0.toString(), amount1: r.amount1.toString() };
    }
  }
}

/**
 * The replayer. Subclasses extend the vocabulary (v3TimeReplay.ts): `fields` lists the event types,
 * `prepare` runs before each event once the pool exists, `run` executes an event, `formatState` writes
 * the `state` object.
 */
export class V3Replayer implements Replayer {
  private pool: V3Pool | undefined;
  /** The initialize that created the pool: a later one must name the same fee and spacing (one pool per file). */
  private created: PoolOrigin | undefined;
  private readonly file: string;
  private readonly fields: V3EventFields;
  private readonly eventTypes: readonly string[];
  protected readonly state = new StateFormatter();

  constructor(file: string, fields: V3EventFields = V3_EVENT_FIELDS) {
    this.file = file;
    this.fields = fields;
    this.eventTypes = Object.keys(fields).sort();
  }

  /** Hook: runs on every event before the pool method, after validation (default: nothing). */
  protected prepare(_pool: V3Pool, _at: At, _event: Event): void {}

  /** Hook: runs one validated event; throws PoolError on a contract revert. */
  protected run(pool: V3Pool, at: At, event: Event, type: string): Record<string, unknown> {
    return runEvent(pool, at, event, type);
  }

  /** Hook: the `state` object of every result. */
  protected formatState(pool: V3Pool | undefined): Record<string, string> {
    return this.state.format(pool);
  }

  apply(event: Event, line: number): Record<string, unknown> {
    const at: At = { file: this.file, line };
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      return fail(at, undefined, `an event must be a JSON object; was ${describe(event)}`);
    }
    const type = event['type'];
    if (typeof type !== 'string' || !Object.hasOwn(this.fields, type)) {
      return fail(at, 'type', `must be one of ${this.eventTypes.join(', ')}; was ${describe(type)}`);
    }
    checkFields(this.fields, at, event, type);
    if (type === 'initialize') {
      const fee = intField(at, event, 'fee', 0, 999_999, 'fee in hundredths of a bip (uint24 below 1,000,000)');
      const tickSpacing = intField(at, event, 'tickSpacing', 1, 16_383, 'tick spacing');
      bigintField(at, event, 'sqrtPriceX96', 0n, MAX_UINT160, 'uint160');
      if (this.created === undefined) {
        this.pool = new V3Pool({ fee, tickSpacing });
        this.created = { fee, tickSpacing, line };
      } else {
        checkSamePool(at, this.created, fee, tickSpacing);
      }
    }
    const pool = this.pool;
    if (pool === undefined) return fail(at, 'type', `the first event must be initialize (it creates the pool); was ${type}`);
    // Every field is parsed before the pool method runs, so a malformed event never half-applies.
    let result: Record<string, unknown>;
    try {
      this.prepare(pool, at, event);
      result = this.run(pool, at, event, type);
    } catch (e) {
      if (e instanceof PoolError) return { revert: e.reason, state: this.formatState(pool) };
      if (e instanceof ConfigError) return fail(at, e.flag, e.message);
      throw e;
    }
    result['state'] = this.formatState(pool);
    return result;
  }
}

/** Creates a replayer holding one v3 pool, created by the first (`initialize`) event. */
export function createV3Replayer(options: V3ReplayerOptions = {}): Replayer {
  return new V3Replayer(options.file ?? '<events>');
}
