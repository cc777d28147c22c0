/**
 * The real Uniswap v3 bytecode in an in-process EVM: the ground truth that ammsim's exact v3 pool is
 * diffed against.
 *
 * It runs the compiled `UniswapV3Factory` / `UniswapV3Pool` of `@uniswap/v3-core@1.0.1` (the npm
 * artifacts; their creation code is mainnet's) in `@ethereumjs/evm` (Cancun, `SimpleStateManager`),
 * with `ERC20` of `@uniswap/v2-core@1.0.1` as both tokens and a hand-assembled payer contract
 * ({@link calleeRuntimeCode}) at each owner's address that pays exactly what the mint and swap callbacks
 * ask. It takes the event vocabulary of `../shared/oracle/README.md` and returns the result object in
 * exactly the oracle's format, reverts included.
 *
 * Speed: the factory, tokens and one pool per standard fee tier are deployed once; every scenario
 * then runs inside a state-manager checkpoint that {@link V3EvmHarness.reset} reverts.
 *
 * Name → address: owner `n` lives at the last 20 bytes of keccak256("ammsim.v3evm.owner:" + n); the
 * swapper is the owner named {@link TRADER_NAME}. Calls are made with `caller` set directly to that
 * address (the EVM lets a top-level call come from any address), so `msg.sender` of mint/burn/collect
 * is the position owner and the callbacks land on the payer code stored there.
 *
 * With `{ time: true }` it takes the `v3-time` vocabulary instead: every event carries `time`, run as that
 * block's timestamp, plus `increaseObservationCardinalityNext`, `observe`, `snapshotCumulativesInside`;
 * `state` adds slot0's observation fields.
 */
import { createRequire } from 'node:module';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, type EVM, type EVMRunCallOpts } from '@ethereumjs/evm';
import { Address, createAddressFromString, createZeroAddress } from '@ethereumjs/util';
import {
  decodeAbiParameters,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  encodePacked,
  bytesToHex,
  hexToBytes,
  keccak256,
  toHex,
  type Abi,
  type Hex,
} from 'viem';
import { calleeRuntimeCode } from './assemble.ts';

const require = createRequire(import.meta.url);

interface Artifact {
  readonly abi: Abi;
  readonly bytecode: string;
}

function loadArtifact(specifier: string): Artifact {
  const json = require(specifier) as { abi: Abi; bytecode: string };
  return { abi: json.abi, bytecode: json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}` };
}

/** The payer used for swaps (its address is derived like any owner's). */
export const TRADER_NAME = '__trader';

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;
/** Tokens handed to each payer (both tokens): far above anything a uint128-liquidity pool can ask. */
const FUNDING = 1n << 248n;
/** Gas for one top-level call: enough for a swap that walks every bitmap word at tick spacing 1. */
const CALL_GAS = 4_000_000_000n;
const DEPLOYER = createAddressFromString('0x00000000000000000000000000000000000a11ce');

/** Fee tiers created once at setup (v3-core 1.0.1 enables the last three; 100/1 is enabled at setup). */
export const STANDARD_FEE_TIERS: readonly (readonly [fee: number, tickSpacing: number])[] = [
  [100, 1],
  [500, 10],
  [3000, 60],
  [10000, 200],
];

/** Storage slots of UniswapV3Pool 1.0.1 (immutables live in code). */
const SLOT_SLOT0 = 0n;
const SLOT_FEE_GROWTH_GLOBAL0 = 1n;
const SLOT_FEE_GROWTH_GLOBAL1 = 2n;
const SLOT_PROTOCOL_FEES = 3n;
const SLOT_LIQUIDITY = 4n;
const SLOT_POSITIONS = 7n;

export type V3EvmEvent = Readonly<Record<string, unknown>>;
export type V3EvmResult = Record<string, unknown>;

export interface V3EvmHarness {
  /** Forgets the current scenario: state back to "factory, tokens and uninitialized standard pools". */
  reset(): Promise<void>;
  /** Applies one event of the oracle vocabulary to the current scenario's pool; returns the oracle result. */
  apply(event: V3EvmEvent): Promise<V3EvmResult>;
  /** `reset()`, then every event in order. */
  runScenario(events: readonly V3EvmEvent[]): Promise<V3EvmResult[]>;
}

type EvmBlock = NonNullable<EVMRunCallOpts['block']>;

export interface V3EvmOptions {
  /** The v3-time vocabulary (block timestamps and the oracle); default the plain v3 one. */
  readonly time?: boolean;
}

/** A block header at `timestamp` (everything else zero), as the EVM's stand-alone default block. */
function blockAt(timestamp: bigint): EvmBlock {
  return {
    header: {
      number: 0n,
      coinbase: createZeroAddress(),
      timestamp,
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: 0n,
      baseFeePerGas: undefined,
      slotNumber: 0n,
      getBlobGasPrice: () => undefined,
    },
  };
}

function wordKey(slot: bigint): Uint8Array {
  return hexToBytes(toHex(slot, { size: 32 }));
}

/** Big-endian bytes as an unsigned bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** The `index`-th 32-byte ABI word of `data`, unsigned. */
export function word(data: Uint8Array, index: number): bigint {
  return bytesToBigInt(data.subarray(index * 32, index * 32 + 32));
}

function signed256(v: bigint): bigint {
  return v >= 1n << 255n ? v - (1n << 256n) : v;
}

function signed24(v: bigint): bigint {
  return v >= 1n << 23n ? v - (1n << 24n) : v;
}

/** Address of the payer contract standing for owner `name`. */
export function ownerAddress(name: string): Hex {
  const hash = keccak256(toHex(`ammsim.v3evm.owner:${name}`));
  return `0x${hash.slice(-40)}` as Hex;
}

function bigField(event: V3EvmEvent, field: string, fallback?: bigint): bigint {
  const v = event[field];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  throw new Error(`v3 EVM harness: event field ${field} must be an integer; was ${JSON.stringify(v)}`);
}

function intField(event: V3EvmEvent, field: string): number {
  const v = bigField(event, field);
  return Number(v);
}

function stringField(event: V3EvmEvent, field: string): string {
  const v = event[field];
  if (typeof v !== 'string') throw new Error(`v3 EVM harness: event field ${field} must be a string; was ${JSON.stringify(v)}`);
  return v;
}

function boolField(event: V3EvmEvent, field: string): boolean {
  const v = event[field];
  if (typeof v !== 'boolean') throw new Error(`v3 EVM harness: event field ${field} must be a boolean; was ${JSON.stringify(v)}`);
  return v;
}

/** The revert reason of returned revert data: Error(string)'s text, '' when there is none. */
export function decodeRevertReason(data: Uint8Array): string {
  if (data.length === 0) return '';
  const hex = bytesToHex(data);
  if (hex.startsWith('0x08c379a0')) {
    const [reason] = decodeAbiParameters([{ type: 'string' }], `0x${hex.slice(10)}` as Hex);
    return reason;
  }
  // Not an Error(string): keep the raw data so a comparison shows it.
  return hex;
}

/** Deploys everything and returns a harness; call once per test file. */
export async function createV3Evm(options: V3EvmOptions = {}): Promise<V3EvmHarness> {
  const withTime = options.time === true;
  const factoryArtifact = loadArtifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json');
  const poolArtifact = loadArtifact('@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json');
  const erc20Artifact = loadArtifact('@uniswap/v2-core/build/ERC20.json');

  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const evm: EVM = await createEVM({ common });
  const state = evm.stateManager;

  interface CallResult {
    readonly ok: boolean;
    readonly data: Uint8Array;
    readonly created: Address | undefined;
  }

  // The current event's block (v3-time); undefined: the EVM's default block (timestamp 0).
  let block: EvmBlock | undefined;

  async function call(caller: Address, to: Address | undefined, data: Hex): Promise<CallResult> {
    const res = await evm.runCall({
      ...(block === undefined ? {} : { block }),
      caller,
      origin: caller,
      to,
      data: hexToBytes(data),
      gasLimit: CALL_GAS,
      skipNonceIncrement: to !== undefined,
    });
    // One top-level call is one "transaction": drop the journal so it does not grow without bound.
    evm.journal.cleanJournal();
    const err = res.execResult.exceptionError;
    if (err !== undefined && err.error !== 'revert' && err.error !== 'invalid opcode') {
      throw new Error(`v3 EVM harness: call failed with "${err.error}" (harness bug or gas limit), not a contract revert`);
    }
    return { ok: err === undefined, data: res.execResult.returnValue, created: res.createdAddress };
  }

  async function mustCall(caller: Address, to: Address | undefined, data: Hex, what: string): Promise<CallResult> {
    const r = await call(caller, to, data);
    if (!r.ok) throw new Error(`v3 EVM harness setup: ${what} reverted: ${JSON.stringify(decodeRevertReason(r.data))}`);
    return r;
  }

  // --- one-time setup -------------------------------------------------------------------------
  const erc20Create = (): Hex =>
    `${erc20Artifact.bytecode}${encodeAbiParameters([{ type: 'uint256' }], [MAX_UINT256]).slice(2)}` as Hex;
  const tokenA = (await mustCall(DEPLOYER, undefined, erc20Create(), 'token A deploy')).created;
  const tokenB = (await mustCall(DEPLOYER, undefined, erc20Create(), 'token B deploy')).created;
  if (tokenA === undefined || tokenB === undefined) throw new Error('v3 EVM harness setup: token deploy gave no address');
  const [token0, token1] = bytesToBigInt(tokenA.bytes) < bytesToBigInt(tokenB.bytes) ? [tokenA, tokenB] : [tokenB, tokenA];
  const factory = (await mustCall(DEPLOYER, undefined, factoryArtifact.bytecode as Hex, 'factory deploy')).created;
  if (factory === undefined) throw new Error('v3 EVM harness setup: factory deploy gave no address');

  const callee = calleeRuntimeCode(bytesToBigInt(token0.bytes), bytesToBigInt(token1.bytes));
  const erc20Abi = erc20Artifact.abi;

  async function provision(name: string): Promise<Address> {
    const addr = createAddressFromString(ownerAddress(name));
    await state.putCode(addr, callee);
    for (const token of [token0, token1]) {
      await mustCall(
        DEPLOYER,
        token,
        encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [addr.toString(), FUNDING] }),
        `funding ${name}`,
      );
    }
    return addr;
  }

  async function createPool(fee: number, tickSpacing: number): Promise<Address> {
    const factoryAbi = factoryArtifact.abi;
    const enabled = await mustCall(
      DEPLOYER,
      factory,
      encodeFunctionData({ abi: factoryAbi, functionName: 'feeAmountTickSpacing', args: [fee] }),
      'feeAmountTickSpacing',
    );
    const current = signed24(word(enabled.data, 0));
    if (current === 0n) {
      await mustCall(
        DEPLOYER,
        factory,
        encodeFunctionData({ abi: factoryAbi, functionName: 'enableFeeAmount', args: [fee, tickSpacing] }),
        `enableFeeAmount(${fee}, ${tickSpacing})`,
      );
    } else if (current !== BigInt(tickSpacing)) {
      throw new Error(`v3 EVM harness: fee ${fee} already has tick spacing ${current}; cannot make a pool with spacing ${tickSpacing}`);
    }
    const created = await mustCall(
      DEPLOYER,
      factory,
      encodeFunctionData({
        abi: factoryAbi,
        functionName: 'createPool',
        args: [token0.toString(), token1.toString(), fee],
      }),
      `createPool(${fee})`,
    );
    return new Address(created.data.subarray(12, 32));
  }

  const basePools = new Map<string, Address>();
  for (const [fee, spacing] of STANDARD_FEE_TIERS) basePools.set(`${fee}/${spacing}`, await createPool(fee, spacing));
  const baseOwners = new Map<string, Address>();
  for (const name of [TRADER_NAME, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'z']) baseOwners.set(name, await provision(name));

  // Everything above is the base state; each scenario runs in a checkpoint on top of it.
  await state.checkpoint();

  // --- per-scenario state -----------------------------------------------------------------------
  let pool: Address | undefined;
  /** `fee/spacing` of `pool`. */
  let poolTier: string | undefined;
  let scenarioPools = new Map<string, Address>();
  let scenarioOwners = new Map<string, Address>();

  async function owner(name: string): Promise<Address> {
    const known = baseOwners.get(name) ?? scenarioOwners.get(name);
    if (known !== undefined) return known;
    const addr = await provision(name);
    scenarioOwners.set(name, addr);
    return addr;
  }

  async function storage(addr: Address, slot: bigint): Promise<bigint> {
    return bytesToBigInt(await state.getStorage(addr, wordKey(slot)));
  }

  async function readState(p: Address | undefined): Promise<Record<string, string>> {
    const s = await readV3State(p);
    if (!withTime) return s;
    const slot0 = p === undefined ? 0n : await storage(p, SLOT_SLOT0);
    return {
      ...s,
      observationIndex: ((slot0 >> 184n) & 0xffffn).toString(),
      observationCardinality: ((slot0 >> 200n) & 0xffffn).toString(),
      observationCardinalityNext: ((slot0 >> 216n) & 0xffffn).toString(),
    };
  }

  async function readV3State(p: Address | undefined): Promise<Record<string, string>> {
    if (p === undefined) {
      return {
        sqrtPriceX96: '0',
        tick: '0',
        liquidity: '0',
        feeGrowthGlobal0X128: '0',
        feeGrowthGlobal1X128: '0',
        protocolFees0: '0',
        protocolFees1: '0',
      };
    }
    const slot0 = await storage(p, SLOT_SLOT0);
    const protocolFees = await storage(p, SLOT_PROTOCOL_FEES);
    return {
      sqrtPriceX96: (slot0 & ((1n << 160n) - 1n)).toString(),
      tick: signed24((slot0 >> 160n) & 0xffffffn).toString(),
      liquidity: ((await storage(p, SLOT_LIQUIDITY)) & MAX_UINT128).toString(),
      feeGrowthGlobal0X128: (await storage(p, SLOT_FEE_GROWTH_GLOBAL0)).toString(),
      feeGrowthGlobal1X128: (await storage(p, SLOT_FEE_GROWTH_GLOBAL1)).toString(),
      protocolFees0: (protocolFees & MAX_UINT128).toString(),
      protocolFees1: (protocolFees >> 128n).toString(),
    };
  }

  async function readPosition(p: Address, ownerAddr: Address, tickLower: number, tickUpper: number): Promise<Record<string, string>> {
    const key = keccak256(encodePacked(['address', 'int24', 'int24'], [ownerAddr.toString() as Hex, tickLower, tickUpper]));
    const base = BigInt(keccak256(`${key}${toHex(SLOT_POSITIONS, { size: 32 }).slice(2)}` as Hex));
    const owed = await storage(p, base + 3n);
    return {
      liquidity: ((await storage(p, base)) & MAX_UINT128).toString(),
      feeGrowthInside0LastX128: (await storage(p, base + 1n)).toString(),
      feeGrowthInside1LastX128: (await storage(p, base + 2n)).toString(),
      tokensOwed0: (owed & MAX_UINT128).toString(),
      tokensOwed1: (owed >> 128n).toString(),
    };
  }

  const poolAbi = poolArtifact.abi;

  async function reverted(r: CallResult): Promise<V3EvmResult> {
    return { revert: decodeRevertReason(r.data), state: await readState(pool) };
  }

  async function apply(event: V3EvmEvent): Promise<V3EvmResult> {
    const type = stringField(event, 'type');
    block = withTime ? blockAt(bigField(event, 'time')) : undefined;
    if (type === 'initialize') {
      const fee = intField(event, 'fee');
      const spacing = intField(event, 'tickSpacing');
      const tier = `${fee}/${spacing}`;
      if (pool === undefined) {
        pool = basePools.get(tier) ?? scenarioPools.get(tier);
        if (pool === undefined) {
          pool = await createPool(fee, spacing);
          scenarioPools.set(tier, pool);
        }
        poolTier = tier;
      } else if (tier !== poolTier) {
        // as the replayer (sim/replay/v3Replay.ts): another fee or spacing is another pool, not this one's price
        throw new Error(`v3 EVM harness: initialize of fee/spacing ${tier}, but the scenario's pool is ${poolTier}; one pool per scenario`);
      }
      const r = await call(
        DEPLOYER,
        pool,
        encodeFunctionData({ abi: poolAbi, functionName: 'initialize', args: [bigField(event, 'sqrtPriceX96')] }),
      );
      if (!r.ok) return reverted(r);
      return { state: await readState(pool) };
    }
    if (pool === undefined) throw new Error(`v3 EVM harness: event ${type} before any initialize`);
    const p = pool;
    switch (type) {
      case 'mint':
      case 'burn':
      case 'collect': {
        const who = await owner(stringField(event, 'owner'));
        const tickLower = intField(event, 'tickLower');
        const tickUpper = intField(event, 'tickUpper');
        let data: Hex;
        if (type === 'mint') {
          data = encodeFunctionData({
            abi: poolAbi,
            functionName: 'mint',
            args: [who.toString(), tickLower, tickUpper, bigField(event, 'amount'), '0x'],
          });
        } else if (type === 'burn') {
          data = encodeFunctionData({ abi: poolAbi, functionName: 'burn', args: [tickLower, tickUpper, bigField(event, 'amount')] });
        } else {
          data = encodeFunctionData({
            abi: poolAbi,
            functionName: 'collect',
            args: [
              who.toString(),
              tickLower,
              tickUpper,
              bigField(event, 'amount0Requested', MAX_UINT128),
              bigField(event, 'amount1Requested', MAX_UINT128),
            ],
          });
        }
        const r = await call(who, p, data);
        if (!r.ok) return reverted(r);
        return {
          amount0: word(r.data, 0).toString(),
          amount1: word(r.data, 1).toString(),
          position: await readPosition(p, who, tickLower, tickUpper),
          state: await readState(p),
        };
      }
      case 'swap': {
        const trader = await owner(TRADER_NAME);
        const r = await call(
          trader,
          p,
          encodeFunctionData({
            abi: poolAbi,
            functionName: 'swap',
            args: [
              trader.toString(),
              boolField(event, 'zeroForOne'),
              bigField(event, 'amountSpecified'),
              bigField(event, 'sqrtPriceLimitX96'),
              '0x',
            ],
          }),
        );
        if (!r.ok) return reverted(r);
        return {
          amount0: signed256(word(r.data, 0)).toString(),
          amount1: signed256(word(r.data, 1)).toString(),
          state: await readState(p),
        };
      }
      case 'setFeeProtocol': {
        const r = await call(
          DEPLOYER,
          p,
          encodeFunctionData({
            abi: poolAbi,
            functionName: 'setFeeProtocol',
            args: [intField(event, 'feeProtocol0'), intField(event, 'feeProtocol1')],
          }),
        );
        if (!r.ok) return reverted(r);
        return { state: await readState(p) };
      }
      case 'collectProtocol': {
        const r = await call(
          DEPLOYER,
          p,
          encodeFunctionData({
            abi: poolAbi,
            functionName: 'collectProtocol',
            args: [
              DEPLOYER.toString(),
              bigField(event, 'amount0Requested', MAX_UINT128),
              bigField(event, 'amount1Requested', MAX_UINT128),
            ],
          }),
        );
        if (!r.ok) return reverted(r);
        return { amount0: word(r.data, 0).toString(), amount1: word(r.data, 1).toString(), state: await readState(p) };
      }
      case 'increaseObservationCardinalityNext': {
        const r = await call(
          DEPLOYER,
          p,
          encodeFunctionData({ abi: poolAbi, functionName: 'increaseObservationCardinalityNext', args: [intField(event, 'observationCardinalityNext')] }),
        );
        if (!r.ok) return reverted(r);
        return { state: await readState(p) };
      }
      case 'snapshotCumulativesInside': {
        const data = encodeFunctionData({ abi: poolAbi, functionName: 'snapshotCumulativesInside', args: [intField(event, 'tickLower'), intField(event, 'tickUpper')] });
        const r = await call(DEPLOYER, p, data);
        if (!r.ok) return reverted(r);
        const [tickCumulativeInside, secondsPerLiquidityInsideX128, secondsInside] = decodeFunctionResult({
          abi: poolAbi,
          functionName: 'snapshotCumulativesInside',
          data: bytesToHex(r.data),
        }) as readonly [bigint, bigint, number];
        return {
          tickCumulativeInside: tickCumulativeInside.toString(),
          secondsPerLiquidityInsideX128: secondsPerLiquidityInsideX128.toString(),
          secondsInside: String(secondsInside),
          state: await readState(p),
        };
      }
      case 'observe': {
        const secondsAgos = event['secondsAgos'];
        if (!Array.isArray(secondsAgos)) throw new Error('v3 EVM harness: observe needs secondsAgos (an array)');
        const r = await call(DEPLOYER, p, encodeFunctionData({ abi: poolAbi, functionName: 'observe', args: [secondsAgos as number[]] }));
        if (!r.ok) return reverted(r);
        const [tickCumulatives, spls] = decodeFunctionResult({ abi: poolAbi, functionName: 'observe', data: bytesToHex(r.data) }) as readonly [
          readonly bigint[],
          readonly bigint[],
        ];
        return {
          tickCumulatives: tickCumulatives.map(String),
          secondsPerLiquidityCumulativeX128s: spls.map(String),
          state: await readState(p),
        };
      }
      default:
        throw new Error(`v3 EVM harness: unknown event type ${JSON.stringify(type)}`);
    }
  }

  async function reset(): Promise<void> {
    await state.revert();
    await state.checkpoint();
    pool = undefined;
    poolTier = undefined;
    scenarioPools = new Map();
    scenarioOwners = new Map();
  }

  return {
    reset,
    apply,
    async runScenario(events) {
      await reset();
      const out: V3EvmResult[] = [];
      for (const e of events) out.push(await apply(e));
      return out;
    },
  };
}
