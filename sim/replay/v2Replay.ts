/**
 * Replays the v2 event vocabulary of ../shared/oracle/README.md through {@link V2Pair} and returns, per event,
 * the object the deployed UniswapV2Pair produced (`expect` in the oracle files): every integer a decimal
 * string, keys in the oracle's order. A contract revert is a result (`{ revert, state }`), not an error; a
 * malformed event throws InputError naming the line and field.
 *
 * Events (amounts are decimal strings or safe integers; `zeroForOne`/`feeOn` booleans):
 * - `initialize` {feeOn?, fee?}: a fresh pair (`fee` in pips, default 3000; an ammsim extension). First, once.
 * - `mint` {owner, amount0, amount1} → {liquidity, amount0, amount1, balance, state}
 * - `burn` {owner, liquidity} → {amount0, amount1, balance, state}
 * - `swap` {zeroForOne, amountIn | amountOut} → {amountIn, amountOut, state}; the other side comes from
 *   UniswapV2Library on the current reserves, 0 where the library reverts (the pair then rejects the swap);
 *   as the oracle's harness does, an exact-output swap of 0 reports amountIn = 1 (see below).
 * - `swapRaw` {amount0In, amount1In, amount0Out, amount1Out} → {state}
 */
import { InputError, PoolError } from '../core/errors.ts';
import { MAX_UINT256 } from '../math/v2/constantProduct.ts';
import { V2Pair } from '../pools/v2/v2Pair.ts';
import type { Replayer } from './types.ts';

export interface V2ReplayerOptions {
  /** File name used in InputError messages (default `<events>`). */
  readonly file?: string;
}

type Event = Readonly<Record<string, unknown>>;

const ALLOWED_KEYS: Readonly<Record<string, readonly string[]>> = {
  initialize: ['type', 'feeOn', 'fee'],
  mint: ['type', 'owner', 'amount0', 'amount1'],
  burn: ['type', 'owner', 'liquidity'],
  swap: ['type', 'zeroForOne', 'amountIn', 'amountOut'],
  swapRaw: ['type', 'amount0In', 'amount1In', 'amount0Out', 'amount1Out'],
};
const EVENT_TYPES = Object.keys(ALLOWED_KEYS).sort();
/** Types and fields that only v3 events have: a hint that the file wants `--pool v3`. */
const V3_ONLY = new Set(['collect', 'setFeeProtocol', 'collectProtocol', 'tickSpacing', 'sqrtPriceX96', 'tickLower', 'tickUpper', 'amount', 'amountSpecified', 'sqrtPriceLimitX96']);
const V3_HINT = ' (a v3 event: replay it with --pool v3)';
/** Fields that only v2 events have: a v3 event rejected for one of them is likely a v2 event (`ammsim replay`'s hint). */
export const V2_ONLY_FIELDS: ReadonlySet<string> = new Set(['feeOn', 'amount0', 'amount1', 'liquidity', 'amountIn', 'amountOut', 'amount0In', 'amount1In', 'amount0Out', 'amount1Out']);

/** Whether the event's type and every field are a v2 event's: `{"type": "initialize"}` is one (v3 rejects it for its missing fee). */
export function hasV2Shape(event: Event): boolean {
  const type = event['type'];
  if (typeof type !== 'string' || !Object.hasOwn(ALLOWED_KEYS, type)) return false;
  const allowed = ALLOWED_KEYS[type] as readonly string[];
  return Object.keys(event).every((k) => allowed.includes(k));
}

/** The pair's state in the oracle's `state` shape. */
export function v2StateObject(pair: V2Pair): Record<string, string> {
  return {
    reserve0: pair.reserve0.toString(),
    reserve1: pair.reserve1.toString(),
    totalSupply: pair.totalSupply.toString(),
    kLast: pair.kLast.toString(),
    feeToBalance: pair.feeToBalance.toString(),
  };
}

class V2Replayer implements Replayer {
  private pair: V2Pair | undefined;
  private readonly file: string;

  constructor(options: V2ReplayerOptions) {
    this.file = options.file ?? '<events>';
  }

  private fail(line: number, field: string, problem: string): never {
    throw new InputError(this.file, line, field, problem);
  }

  private uint(event: Event, key: string, line: number): bigint {
    const v = event[key];
    let n: bigint | undefined;
    if (typeof v === 'string' && /^[0-9]+$/.test(v)) n = BigInt(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) n = BigInt(v);
    if (n === undefined) {
      this.fail(line, key, `must be a non-negative integer (a decimal string, e.g. "1000000"); was ${v === undefined ? 'missing' : JSON.stringify(v)}`);
    }
    if (n > MAX_UINT256) this.fail(line, key, `must fit in uint256 (≤ 2^256 − 1); was ${v as string}`);
    return n;
  }

  private bool(event: Event, key: string, line: number): boolean {
    const v = event[key];
    if (typeof v !== 'boolean') this.fail(line, key, `must be true or false; was ${v === undefined ? 'missing' : JSON.stringify(v)}`);
    return v;
  }

  private owner(event: Event, line: number): string {
    const v = event['owner'];
    if (typeof v !== 'string' || v.length === 0) this.fail(line, 'owner', `must be a non-empty string (a name); was ${v === undefined ? 'missing' : JSON.stringify(v)}`);
    return v;
  }

  apply(event: Event, line: number): Record<string, unknown> {
    const type = event['type'];
    if (typeof type !== 'string' || !(type in ALLOWED_KEYS)) {
      const hint = typeof type === 'string' && V3_ONLY.has(type) ? V3_HINT : '';
      this.fail(line, 'type', `must be one of ${EVENT_TYPES.join(', ')} for --pool v2; was ${type === undefined ? 'missing' : JSON.stringify(type)}${hint}`);
    }
    const allowed = ALLOWED_KEYS[type] ?? [];
    for (const key of Object.keys(event).sort()) {
      if (!allowed.includes(key)) this.fail(line, key, `is not a field of a v2 ${type} event (fields: ${allowed.join(', ')})${V3_ONLY.has(key) ? V3_HINT : ''}`);
    }

    if (type === 'initialize') {
      if (this.pair !== undefined) this.fail(line, 'type', 'initialize must come once, as the first event; a v2 pair is created only once');
      const feeOn = event['feeOn'] === undefined ? false : this.bool(event, 'feeOn', line);
      let feePips = 3000;
      if (event['fee'] !== undefined) {
        const fee = event['fee'];
        if (typeof fee !== 'number' || !Number.isInteger(fee) || fee < 0 || fee >= 1_000_000) {
          this.fail(line, 'fee', `must be an integer number of pips in [0, 1000000) (3000 = 0.30 %); was ${JSON.stringify(fee)}`);
        }
        feePips = fee;
      }
      this.pair = new V2Pair({ feePips, feeOn });
      return { state: v2StateObject(this.pair) };
    }

    const pair = this.pair;
    if (pair === undefined) this.fail(line, 'type', `the first event must be initialize; was ${type}`);

    switch (type) {
      case 'mint': {
        const owner = this.owner(event, line);
        const amount0 = this.uint(event, 'amount0', line);
        const amount1 = this.uint(event, 'amount1', line);
        return attempt(pair, () => {
          const r = pair.mint(owner, amount0, amount1);
          return {
            liquidity: r.liquidity.toString(),
            amount0: r.amount0.toString(),
            amount1: r.amount1.toString(),
            balance: r.balance.toString(),
          };
        });
      }
      case 'burn': {
        const owner = this.owner(event, line);
        const liquidity = this.uint(event, 'liquidity', line);
        return attempt(pair, () => {
          const r = pair.burn(owner, liquidity);
          return { amount0: r.amount0.toString(), amount1: r.amount1.toString(), balance: r.balance.toString() };
        });
      }
      case 'swap': {
        const zeroForOne = this.bool(event, 'zeroForOne', line);
        const hasIn = event['amountIn'] !== undefined;
        const hasOut = event['amountOut'] !== undefined;
        if (hasIn === hasOut) this.fail(line, hasIn ? 'amountOut' : 'amountIn', 'a v2 swap takes exactly one of amountIn (exact input) or amountOut (exact output)');
        let amountIn: bigint;
        let amountOut: bigint;
        // The harness computes the other side with UniswapV2Library, using 0 where the library reverts.
        if (hasIn) {
          amountIn = this.uint(event, 'amountIn', line);
          amountOut = orZero(() => pair.quoteExactIn(zeroForOne, amountIn));
        } else {
          amountOut = this.uint(event, 'amountOut', line);
          // For amountOut = 0 the oracle's harness reports amountIn = 1: it evaluates getAmountIn's formula,
          // ⌊reserveIn·0·1000 / (reserveOut·997)⌋ + 1, without the library's `amountOut > 0` require
          // (observed in oracle v2/04-feeon.jsonl line 13 and 16-feeoff.jsonl line 22). The pair then reverts
          // INSUFFICIENT_OUTPUT_AMOUNT either way; only the reported amountIn differs.
          const reservesNonEmpty = pair.reserve0 > 0n && pair.reserve1 > 0n;
          amountIn = amountOut === 0n ? (reservesNonEmpty ? 1n : 0n) : orZero(() => pair.quoteExactOut(zeroForOne, amountOut));
        }
        const amounts = { amountIn: amountIn.toString(), amountOut: amountOut.toString() };
        try {
          if (zeroForOne) pair.swapRaw(amountIn, 0n, 0n, amountOut);
          else pair.swapRaw(0n, amountIn, amountOut, 0n);
        } catch (err) {
          if (err instanceof PoolError) return { ...amounts, revert: err.reason, state: v2StateObject(pair) };
          throw err;
        }
        return { ...amounts, state: v2StateObject(pair) };
      }
      case 'swapRaw': {
        const a0In = this.uint(event, 'amount0In', line);
        const a1In = this.uint(event, 'amount1In', line);
        const a0Out = this.uint(event, 'amount0Out', line);
        const a1Out = this.uint(event, 'amount1Out', line);
        return attempt(pair, () => {
          pair.swapRaw(a0In, a1In, a0Out, a1Out);
          return {};
        });
      }
      default:
        return this.fail(line, 'type', `unhandled v2 event type ${type}`);
    }
  }
}

/** Runs `fn`; on a PoolError returns `{ revert, state }`, else its fields then `state`. */
function attempt(pair: V2Pair, fn: () => Record<string, string>): Record<string, unknown> {
  try {
    const fields = fn();
    return { ...fields, state: v2StateObject(pair) };
  } catch (err) {
    if (err instanceof PoolError) return { revert: err.reason, state: v2StateObject(pair) };
    throw err;
  }
}

function orZero(fn: () => bigint): bigint {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PoolError) return 0n;
    throw err;
  }
}

/** A fresh v2 replayer: the first event must be `initialize`. */
export function createV2Replayer(options: V2ReplayerOptions = {}): Replayer {
  return new V2Replayer(options);
}
