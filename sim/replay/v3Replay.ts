import { ConfigError, InputError, PoolError } from '../errors.ts';
import { MAX_UINT128 } from '../math/v3/fixedPoint.ts';
import { V3Pool, type V3PositionView } from '../pools/v3Pool.ts';
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
 * type or field, missing field, wrong type, value outside its Solidity type, no initialize first) throws
 * {@link InputError} naming the 1-based line and the field.
 */
export interface V3ReplayerOptions {
  /** File name used in InputError messages (default `<events>`). */
  readonly file?: string;
}

type Event = Readonly<Record<string, unknown>>;

const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  initialize: ['type', 'fee', 'tickSpacing', 'sqrtPriceX96'],
  mint: ['type', 'owner', 'tickLower', 'tickUpper', 'amount'],
  burn: ['type', 'owner', 'tickLower', 'tickUpper', 'amount'],
  collect: ['type', 'owner', 'tickLower', 'tickUpper', 'amount0Requested', 'amount1Requested'],
  swap: ['type', 'zeroForOne', 'amountSpecified', 'sqrtPriceLimitX96'],
  setFeeProtocol: ['type', 'feeProtocol0', 'feeProtocol1'],
  collectProtocol: ['type', 'amount0Requested', 'amount1Requested'],
};
const EVENT_TYPES = Object.keys(ALLOWED_FIELDS).sort();

const INTEGER_RE = /^-?(0|[1-9][0-9]*)$/;
const INT24_MIN = -(2 ** 23);
const INT24_MAX = 2 ** 23 - 1;
const MAX_UINT160 = (1n << 160n) - 1n;
const MIN_INT256 = -(1n << 255n);
const MAX_INT256 = (1n << 255n) - 1n;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

function stateOf(pool: V3Pool | undefined): Record<string, string> {
  if (pool === undefined) {
    return { sqrtPriceX96: '0', tick: '0', liquidity: '0', feeGrowthGlobal0X128: '0', feeGrowthGlobal1X128: '0', protocolFees0: '0', protocolFees1: '0' };
  }
  return {
    sqrtPriceX96: pool.sqrtPriceX96.toString(),
    tick: String(pool.tick),
    liquidity: pool.liquidity.toString(),
    feeGrowthGlobal0X128: pool.feeGrowthGlobal0X128.toString(),
    feeGrowthGlobal1X128: pool.feeGrowthGlobal1X128.toString(),
    protocolFees0: pool.protocolFees0.toString(),
    protocolFees1: pool.protocolFees1.toString(),
  };
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

/** Creates a replayer holding one v3 pool, created by the first (`initialize`) event. */
export function createV3Replayer(options: V3ReplayerOptions = {}): Replayer {
  const file = options.file ?? '<events>';
  let pool: V3Pool | undefined;

  return {
    apply(event: Event, line: number): Record<string, unknown> {
      const fail = (field: string | undefined, problem: string): never => {
        throw new InputError(file, line, field, problem);
      };
      if (event === null || typeof event !== 'object' || Array.isArray(event)) {
        return fail(undefined, `an event must be a JSON object; was ${describe(event)}`);
      }
      const type = event['type'];
      if (typeof type !== 'string' || !Object.hasOwn(ALLOWED_FIELDS, type)) {
        return fail('type', `must be one of ${EVENT_TYPES.join(', ')}; was ${describe(type)}`);
      }
      const allowed = ALLOWED_FIELDS[type] as readonly string[];
      for (const key of Object.keys(event).sort()) {
        if (!allowed.includes(key)) fail(key, `is not a field of a ${type} event (fields: ${allowed.join(', ')})`);
      }

      const bigintField = (name: string, min: bigint, max: bigint, typeName: string, optional?: bigint): bigint => {
        const v = event[name];
        if (v === undefined && optional !== undefined) return optional;
        let x: bigint | undefined;
        if (typeof v === 'string' && INTEGER_RE.test(v)) x = BigInt(v);
        else if (typeof v === 'number' && Number.isSafeInteger(v)) x = BigInt(v);
        if (x === undefined) return fail(name, `must be an integer (a decimal string); was ${describe(v)}`);
        if (x < min || x > max) return fail(name, `must be a ${typeName} in [${min}, ${max}]; was ${x}`);
        return x;
      };
      const intField = (name: string, min: number, max: number, typeName: string): number => {
        const v = event[name];
        let x: number | undefined;
        if (typeof v === 'number' && Number.isSafeInteger(v)) x = v;
        else if (typeof v === 'string' && INTEGER_RE.test(v) && Number.isSafeInteger(Number(v))) x = Number(v);
        if (x === undefined) return fail(name, `must be an integer; was ${describe(v)}`);
        if (x < min || x > max) return fail(name, `must be a ${typeName} in [${min}, ${max}]; was ${x}`);
        return x;
      };
      const ownerField = (): string => {
        const v = event['owner'];
        if (typeof v !== 'string' || v.length === 0) return fail('owner', `must be a non-empty string; was ${describe(v)}`);
        return v;
      };
      const tickField = (name: string): number => intField(name, INT24_MIN, INT24_MAX, 'int24');
      const uint128 = (name: string, optional?: bigint): bigint => bigintField(name, 0n, MAX_UINT128, 'uint128', optional);

      // Validate every field before touching the pool, so a malformed event never half-applies.
      let run: (p: V3Pool) => Record<string, unknown>;
      switch (type) {
        case 'initialize': {
          const fee = intField('fee', 0, 999_999, 'fee in hundredths of a bip (uint24 below 1,000,000)');
          const tickSpacing = intField('tickSpacing', 1, 16_383, 'tick spacing');
          const sqrtPriceX96 = bigintField('sqrtPriceX96', 0n, MAX_UINT160, 'uint160');
          if (pool === undefined) {
            try {
              pool = new V3Pool({ fee, tickSpacing });
            } catch (e) {
              if (e instanceof ConfigError) return fail(e.flag, e.message);
              throw e;
            }
          }
          run = (p) => {
            p.initialize(sqrtPriceX96);
            return {};
          };
          break;
        }
        case 'mint':
        case 'burn': {
          const owner = ownerField();
          const tickLower = tickField('tickLower');
          const tickUpper = tickField('tickUpper');
          const amount = uint128('amount');
          run = (p) => {
            const r = type === 'mint' ? p.mint(owner, tickLower, tickUpper, amount) : p.burn(owner, tickLower, tickUpper, amount);
            return {
              amount0: r.amount0.toString(),
              amount1: r.amount1.toString(),
              position: positionOf(p.position(owner, tickLower, tickUpper)),
            };
          };
          break;
        }
        case 'collect': {
          const owner = ownerField();
          const tickLower = tickField('tickLower');
          const tickUpper = tickField('tickUpper');
          const amount0Requested = uint128('amount0Requested', MAX_UINT128);
          const amount1Requested = uint128('amount1Requested', MAX_UINT128);
          run = (p) => {
            const r = p.collect(owner, tickLower, tickUpper, amount0Requested, amount1Requested);
            return {
              amount0: r.amount0.toString(),
              amount1: r.amount1.toString(),
              position: positionOf(p.position(owner, tickLower, tickUpper)),
            };
          };
          break;
        }
        case 'swap': {
          const zeroForOne = event['zeroForOne'];
          if (typeof zeroForOne !== 'boolean') return fail('zeroForOne', `must be true or false; was ${describe(zeroForOne)}`);
          const amountSpecified = bigintField('amountSpecified', MIN_INT256, MAX_INT256, 'int256');
          const sqrtPriceLimitX96 = bigintField('sqrtPriceLimitX96', 0n, MAX_UINT160, 'uint160');
          run = (p) => {
            const r = p.swap(zeroForOne, amountSpecified, sqrtPriceLimitX96);
            return { amount0: r.amount0.toString(), amount1: r.amount1.toString() };
          };
          break;
        }
        case 'setFeeProtocol': {
          const feeProtocol0 = intField('feeProtocol0', 0, 255, 'uint8');
          const feeProtocol1 = intField('feeProtocol1', 0, 255, 'uint8');
          run = (p) => {
            p.setFeeProtocol(feeProtocol0, feeProtocol1);
            return {};
          };
          break;
        }
        default: {
          // collectProtocol
          const amount0Requested = uint128('amount0Requested', MAX_UINT128);
          const amount1Requested = uint128('amount1Requested', MAX_UINT128);
          run = (p) => {
            const r = p.collectProtocol(amount0Requested, amount1Requested);
            return { amount0: r.amount0.toString(), amount1: r.amount1.toString() };
          };
        }
      }

      if (pool === undefined) return fail('type', `the first event must be initialize (it creates the pool); was ${type}`);
      try {
        const result = run(pool);
        result['state'] = stateOf(pool);
        return result;
      } catch (e) {
        if (e instanceof PoolError) return { revert: e.reason, state: stateOf(pool) };
        if (e instanceof ConfigError) return fail(e.flag, e.message);
        throw e;
      }
    },
  };
}
