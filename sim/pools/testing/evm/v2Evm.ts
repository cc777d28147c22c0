/**
 * The real Uniswap v2 bytecode in an in-process EVM, for the v2 differential: `UniswapV2Factory` /
 * `UniswapV2Pair` and `ERC20` (both tokens) from `@uniswap/v2-core@1.0.1`'s build/, in
 * `@ethereumjs/evm` (Cancun). It takes the v2 event vocabulary of ../shared/oracle/README.md and returns
 * the oracle's result objects, reverts included.
 *
 * Each event is one transaction: the owner's transfers into the pair and the pair call happen inside
 * one state checkpoint that is rolled back when any of them reverts (the state is unchanged after a
 * revert, as in the oracle). Owners are plain addresses (`caller` is set directly; no code needed),
 * funded with both tokens; the trader receives swap output; the protocol fee goes to a fixed `feeTo`.
 * The factory, tokens and the pair are deployed once; each scenario runs in a checkpoint that
 * {@link V2EvmHarness.reset} reverts.
 */
import { createRequire } from 'node:module';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { Address, createAddressFromString } from '@ethereumjs/util';
import { encodeAbiParameters, encodeFunctionData, hexToBytes, type Abi, type Hex } from 'viem';
import { bytesToBigInt, decodeRevertReason, ownerAddress, word } from './v3Evm.ts';

const require = createRequire(import.meta.url);

function loadV2(name: string): { abi: Abi; bytecode: Hex } {
  const json = require(`@uniswap/v2-core/build/${name}.json`) as { abi: Abi; bytecode: string };
  return { abi: json.abi, bytecode: (json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}`) as Hex };
}

const MAX_UINT256 = (1n << 256n) - 1n;
const FUNDING = 1n << 248n;
const CALL_GAS = 100_000_000n;
const DEPLOYER = createAddressFromString('0x00000000000000000000000000000000000a11ce');
const FEE_TO = createAddressFromString('0x000000000000000000000000000000000000fee0');
const TRADER = '__trader';

export type V2EvmEvent = Readonly<Record<string, unknown>>;
export type V2EvmResult = Record<string, unknown>;

export interface V2EvmHarness {
  reset(): Promise<void>;
  apply(event: V2EvmEvent): Promise<V2EvmResult>;
  runScenario(events: readonly V2EvmEvent[]): Promise<V2EvmResult[]>;
}

function uintField(event: V2EvmEvent, field: string): bigint {
  const v = event[field];
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new Error(`v2 EVM harness: event field ${field} must be a non-negative integer; was ${JSON.stringify(v)}`);
}

/** UniswapV2Library.getAmountOut, 0 where the library would revert (zero input, empty reserve, overflow). */
export function libraryAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn === 0n || reserveIn === 0n || reserveOut === 0n) return 0n;
  const withFee = amountIn * 997n;
  const numerator = withFee * reserveOut;
  const denominator = reserveIn * 1000n + withFee;
  if (withFee > MAX_UINT256 || numerator > MAX_UINT256 || denominator > MAX_UINT256) return 0n;
  return numerator / denominator;
}

/**
 * UniswapV2Library.getAmountIn (rounded up), 0 where it would revert (empty reserve, output ≥ reserve,
 * overflow). Like the oracle's harness it does not reject an output of 0 (that gives 1).
 */
export function libraryAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (reserveIn === 0n || reserveOut === 0n || amountOut >= reserveOut) return 0n;
  const numerator = reserveIn * amountOut * 1000n;
  const denominator = (reserveOut - amountOut) * 997n;
  if (numerator > MAX_UINT256 || denominator > MAX_UINT256) return 0n;
  return numerator / denominator + 1n;
}

/** Deploys the v2 contracts once and returns a harness. */
export async function createV2Evm(): Promise<V2EvmHarness> {
  const erc20 = loadV2('ERC20');
  const factoryArt = loadV2('UniswapV2Factory');
  const pairArt = loadV2('UniswapV2Pair');
  const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }) });
  const state = evm.stateManager;

  interface CallResult {
    readonly ok: boolean;
    readonly data: Uint8Array;
    readonly created: Address | undefined;
  }
  async function call(caller: Address, to: Address | undefined, data: Hex): Promise<CallResult> {
    const res = await evm.runCall({ caller, origin: caller, to, data: hexToBytes(data), gasLimit: CALL_GAS, skipNonceIncrement: to !== undefined });
    evm.journal.cleanJournal();
    const err = res.execResult.exceptionError;
    if (err !== undefined && err.error !== 'revert' && err.error !== 'invalid opcode') {
      throw new Error(`v2 EVM harness: call failed with "${err.error}", not a contract revert`);
    }
    return { ok: err === undefined, data: res.execResult.returnValue, created: res.createdAddress };
  }
  async function mustCall(caller: Address, to: Address | undefined, data: Hex, what: string): Promise<CallResult> {
    const r = await call(caller, to, data);
    if (!r.ok) throw new Error(`v2 EVM harness setup: ${what} reverted: ${JSON.stringify(decodeRevertReason(r.data))}`);
    return r;
  }

  const create = `${erc20.bytecode}${encodeAbiParameters([{ type: 'uint256' }], [MAX_UINT256]).slice(2)}` as Hex;
  const tokenA = (await mustCall(DEPLOYER, undefined, create, 'token A')).created;
  const tokenB = (await mustCall(DEPLOYER, undefined, create, 'token B')).created;
  const factoryCreate = `${factoryArt.bytecode}${encodeAbiParameters([{ type: 'address' }], [DEPLOYER.toString()]).slice(2)}` as Hex;
  const factory = (await mustCall(DEPLOYER, undefined, factoryCreate, 'factory')).created;
  if (tokenA === undefined || tokenB === undefined || factory === undefined) throw new Error('v2 EVM harness setup: a deploy gave no address');
  const created = await mustCall(
    DEPLOYER,
    factory,
    encodeFunctionData({ abi: factoryArt.abi, functionName: 'createPair', args: [tokenA.toString(), tokenB.toString()] }),
    'createPair',
  );
  const pair = new Address(created.data.subarray(12, 32));
  const [token0, token1] = bytesToBigInt(tokenA.bytes) < bytesToBigInt(tokenB.bytes) ? [tokenA, tokenB] : [tokenB, tokenA];

  const transfer = (to: Address, amount: bigint): Hex =>
    encodeFunctionData({ abi: erc20.abi, functionName: 'transfer', args: [to.toString(), amount] });
  const pairCall = (functionName: string, args: readonly unknown[] = []): Hex =>
    encodeFunctionData({ abi: pairArt.abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);

  async function fund(name: string): Promise<Address> {
    const addr = createAddressFromString(ownerAddress(name));
    for (const t of [token0, token1]) await mustCall(DEPLOYER, t, transfer(addr, FUNDING), `funding ${name}`);
    return addr;
  }
  const baseOwners = new Map<string, Address>();
  for (const name of [TRADER, 'a', 'b', 'c', 'd', 'e', 'z']) baseOwners.set(name, await fund(name));
  await state.checkpoint();

  let scenarioOwners = new Map<string, Address>();
  async function owner(name: unknown): Promise<Address> {
    if (typeof name !== 'string') throw new Error(`v2 EVM harness: owner must be a string; was ${JSON.stringify(name)}`);
    const known = baseOwners.get(name) ?? scenarioOwners.get(name);
    if (known !== undefined) return known;
    const addr = await fund(name);
    scenarioOwners.set(name, addr);
    return addr;
  }

  async function view(data: Hex): Promise<Uint8Array> {
    return (await mustCall(DEPLOYER, pair, data, 'view')).data;
  }
  async function reserves(): Promise<[bigint, bigint]> {
    const d = await view(pairCall('getReserves'));
    return [word(d, 0), word(d, 1)];
  }
  async function lpBalance(addr: Address): Promise<bigint> {
    return word(await view(pairCall('balanceOf', [addr.toString()])), 0);
  }
  async function readState(): Promise<Record<string, string>> {
    const [r0, r1] = await reserves();
    return {
      reserve0: r0.toString(),
      reserve1: r1.toString(),
      totalSupply: word(await view(pairCall('totalSupply')), 0).toString(),
      kLast: word(await view(pairCall('kLast')), 0).toString(),
      feeToBalance: (await lpBalance(FEE_TO)).toString(),
    };
  }

  /** Runs `calls` as one transaction: all or nothing. Returns the last call's data, or the revert. */
  async function atomically(calls: readonly (readonly [Address, Address, Hex])[]): Promise<{ ok: true; data: Uint8Array } | { ok: false; reason: string }> {
    await state.checkpoint();
    let last: Uint8Array = new Uint8Array(0);
    for (const [from, to, data] of calls) {
      const r = await call(from, to, data);
      if (!r.ok) {
        await state.revert();
        return { ok: false, reason: decodeRevertReason(r.data) };
      }
      last = r.data;
    }
    await state.commit();
    return { ok: true, data: last };
  }

  async function apply(event: V2EvmEvent): Promise<V2EvmResult> {
    switch (event.type) {
      case 'initialize': {
        if (event.feeOn === true) {
          await mustCall(DEPLOYER, factory as Address, encodeFunctionData({ abi: factoryArt.abi, functionName: 'setFeeTo', args: [FEE_TO.toString()] }), 'setFeeTo');
        }
        return { state: await readState() };
      }
      case 'mint': {
        const who = await owner(event.owner);
        const amount0 = uintField(event, 'amount0');
        const amount1 = uintField(event, 'amount1');
        const r = await atomically([
          [who, token0, transfer(pair, amount0)],
          [who, token1, transfer(pair, amount1)],
          [who, pair, pairCall('mint', [who.toString()])],
        ]);
        if (!r.ok) return { revert: r.reason, state: await readState() };
        return {
          liquidity: word(r.data, 0).toString(),
          amount0: amount0.toString(),
          amount1: amount1.toString(),
          balance: (await lpBalance(who)).toString(),
          state: await readState(),
        };
      }
      case 'burn': {
        const who = await owner(event.owner);
        const liquidity = uintField(event, 'liquidity');
        const r = await atomically([
          [who, pair, pairCall('transfer', [pair.toString(), liquidity])],
          [who, pair, pairCall('burn', [who.toString()])],
        ]);
        if (!r.ok) return { revert: r.reason, state: await readState() };
        return {
          amount0: word(r.data, 0).toString(),
          amount1: word(r.data, 1).toString(),
          balance: (await lpBalance(who)).toString(),
          state: await readState(),
        };
      }
      case 'swap': {
        const trader = await owner(TRADER);
        const zeroForOne = event.zeroForOne;
        if (typeof zeroForOne !== 'boolean') throw new Error('v2 EVM harness: swap needs zeroForOne');
        const [r0, r1] = await reserves();
        const [reserveIn, reserveOut] = zeroForOne ? [r0, r1] : [r1, r0];
        let amountIn: bigint;
        let amountOut: bigint;
        if (event.amountIn !== undefined) {
          amountIn = uintField(event, 'amountIn');
          amountOut = libraryAmountOut(amountIn, reserveIn, reserveOut);
        } else {
          amountOut = uintField(event, 'amountOut');
          amountIn = libraryAmountIn(amountOut, reserveIn, reserveOut);
        }
        const r = await atomically([
          [trader, zeroForOne ? token0 : token1, transfer(pair, amountIn)],
          [trader, pair, pairCall('swap', [zeroForOne ? 0n : amountOut, zeroForOne ? amountOut : 0n, trader.toString(), '0x'])],
        ]);
        const amounts = { amountIn: amountIn.toString(), amountOut: amountOut.toString() };
        if (!r.ok) return { ...amounts, revert: r.reason, state: await readState() };
        return { ...amounts, state: await readState() };
      }
      case 'swapRaw': {
        const trader = await owner(TRADER);
        const r = await atomically([
          [trader, token0, transfer(pair, uintField(event, 'amount0In'))],
          [trader, token1, transfer(pair, uintField(event, 'amount1In'))],
          [trader, pair, pairCall('swap', [uintField(event, 'amount0Out'), uintField(event, 'amount1Out'), trader.toString(), '0x'])],
        ]);
        if (!r.ok) return { revert: r.reason, state: await readState() };
        return { state: await readState() };
      }
      default:
        throw new Error(`v2 EVM harness: unknown event type ${JSON.stringify(event.type)}`);
    }
  }

  async function reset(): Promise<void> {
    await state.revert();
    await state.checkpoint();
    scenarioOwners = new Map();
  }

  return {
    reset,
    apply,
    async runScenario(events) {
      await reset();
      const out: V2EvmResult[] = [];
      for (const e of events) out.push(await apply(e));
      return out;
    },
  };
}
