/**
 * The real liquidity-mining bytecode in an in-process EVM, for the v3-staker differential test:
 * `UniswapV3Factory`/`UniswapV3Pool` of `@uniswap/v3-core@1.0.1`, `NonfungiblePositionManager` of
 * `@uniswap/v3-periphery@1.0.1` (its WETH9 and descriptor are unused addresses) and `UniswapV3Staker` of
 * `@uniswap/v3-staker@1.0.2` (30-day lead time, 2 × 365-day duration), with `ERC20` of
 * `@uniswap/v2-core@1.0.1` as the pool's two tokens and the reward tokens. It takes the `v3-staker` event
 * vocabulary of ../shared/oracle/README.md and returns results in exactly the oracle's format, reverts
 * included, each event run as its own block at its `time`.
 *
 * Actors (owners, callers, refundees) are plain accounts at keccak256("ammsim.v3staker.actor:" + name)
 * (no code, so the NFT can be sent back to them); each is funded with every token and has approved the
 * manager (pool tokens) and the staker (reward tokens). Swaps come from a payer contract
 * ({@link calleeRuntimeCode}) that pays what the swap callback asks. Reward tokens are named `r`, `r0`,
 * `r1`. Speed: everything is deployed once; each scenario runs in a state checkpoint that `reset` reverts.
 */
import { createRequire } from 'node:module';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, type EVM } from '@ethereumjs/evm';
import { Address, createAddressFromString } from '@ethereumjs/util';
import { decodeFunctionResult, encodeAbiParameters, encodeFunctionData, hexToBytes, keccak256, toHex, type Abi, type Hex } from 'viem';
import { calleeRuntimeCode } from './assemble.ts';
import { bytesToBigInt, decodeRevertReason } from './v3Evm.ts';

const require = createRequire(import.meta.url);

interface Artifact {
  readonly abi: Abi;
  readonly bytecode: Hex;
}

function load(specifier: string): Artifact {
  const json = require(specifier) as { abi: Abi; bytecode: string };
  return { abi: json.abi, bytecode: (json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}`) as Hex };
}

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;
const FUNDING = 1n << 240n;
const CALL_GAS = 4_000_000_000n;
const DEPLOYER = createAddressFromString('0x00000000000000000000000000000000000a11ce');
const UNUSED_WETH9 = '0x000000000000000000000000000000000000beef';
const UNUSED_DESCRIPTOR = '0x000000000000000000000000000000000000d35c';
const REWARD_TOKENS = ['r', 'r0', 'r1'] as const;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const TRADER = '__trader';
const NOBODY = '__nobody';
const CREATOR = '__creator';
const FEE_TIERS: readonly (readonly [number, number])[] = [
  [100, 1],
  [500, 10],
  [3000, 60],
  [10000, 200],
];

export type StakerEvmEvent = Readonly<Record<string, unknown>>;
export type StakerEvmResult = Record<string, unknown>;

export interface V3StakerEvmHarness {
  /** Forgets the current scenario: back to "everything deployed, pools uninitialised". */
  reset(): Promise<void>;
  /** Applies one event of the v3-staker vocabulary; returns the oracle-format result. */
  apply(event: StakerEvmEvent): Promise<StakerEvmResult>;
  /** `reset()`, then every event in order. */
  runScenario(events: readonly StakerEvmEvent[]): Promise<StakerEvmResult[]>;
}

/** The account standing for actor `name`. */
export function actorAddress(name: string): Hex {
  return `0x${keccak256(toHex(`ammsim.v3staker.actor:${name}`)).slice(-40)}` as Hex;
}

function big(event: StakerEvmEvent, field: string, fallback?: bigint): bigint {
  const v = event[field];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new Error(`v3-staker EVM harness: event field ${field} must be an integer; was ${JSON.stringify(v)}`);
}

function str(event: StakerEvmEvent, field: string, fallback?: string): string {
  const v = event[field];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'string') throw new Error(`v3-staker EVM harness: event field ${field} must be a string; was ${JSON.stringify(v)}`);
  return v;
}

/** Deploys everything and returns a harness; call once per test file. */
export async function createV3StakerEvm(): Promise<V3StakerEvmHarness> {
  const factoryArt = load('@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json');
  const poolArt = load('@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json');
  const erc20Art = load('@uniswap/v2-core/build/ERC20.json');
  const npmArt = load('@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json');
  const stakerArt = load('@uniswap/v3-staker/artifacts/contracts/UniswapV3Staker.sol/UniswapV3Staker.json');

  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const evm: EVM = await createEVM({ common });
  const state = evm.stateManager;
  let timestamp = 0n;

  const block = () => ({
    header: {
      number: 1n,
      coinbase: DEPLOYER,
      timestamp,
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: CALL_GAS,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => undefined,
    },
  });

  interface CallResult {
    readonly ok: boolean;
    readonly data: Uint8Array;
    readonly created: Address | undefined;
  }

  async function call(caller: Address, to: Address | undefined, data: Hex): Promise<CallResult> {
    const res = await evm.runCall({
      caller,
      origin: caller,
      to,
      data: hexToBytes(data),
      gasLimit: CALL_GAS,
      skipNonceIncrement: to !== undefined,
      block: block(),
    });
    evm.journal.cleanJournal();
    const err = res.execResult.exceptionError;
    if (err !== undefined && err.error !== 'revert' && err.error !== 'invalid opcode') {
      throw new Error(`v3-staker EVM harness: call failed with "${err.error}" (harness bug or gas), not a contract revert`);
    }
    return { ok: err === undefined, data: res.execResult.returnValue, created: res.createdAddress };
  }

  async function must(caller: Address, to: Address | undefined, data: Hex, what: string): Promise<CallResult> {
    const r = await call(caller, to, data);
    if (!r.ok) throw new Error(`v3-staker EVM harness setup: ${what} reverted: ${JSON.stringify(decodeRevertReason(r.data))}`);
    return r;
  }

  async function deploy(art: Artifact, args: Hex, what: string): Promise<Address> {
    const r = await must(DEPLOYER, undefined, `${art.bytecode}${args.slice(2)}` as Hex, what);
    if (r.created === undefined) throw new Error(`v3-staker EVM harness setup: ${what} gave no address`);
    return r.created;
  }

  const enc = (abi: Abi, functionName: string, args: readonly unknown[]): Hex => encodeFunctionData({ abi, functionName, args } as never);
  const dec = (abi: Abi, functionName: string, data: Uint8Array): unknown =>
    decodeFunctionResult({ abi, functionName, data: toHex(data) } as never);

  // --- one-time setup -----------------------------------------------------------------------------
  const supply = encodeAbiParameters([{ type: 'uint256' }], [MAX_UINT256]);
  const tokA = await deploy(erc20Art, supply, 'token A');
  const tokB = await deploy(erc20Art, supply, 'token B');
  const [token0, token1] = bytesToBigInt(tokA.bytes) < bytesToBigInt(tokB.bytes) ? [tokA, tokB] : [tokB, tokA];
  const rewardTokens = new Map<string, Address>();
  for (const name of REWARD_TOKENS) rewardTokens.set(name, await deploy(erc20Art, supply, `reward token ${name}`));
  const factory = await deploy(factoryArt, '0x', 'factory');
  await must(DEPLOYER, factory, enc(factoryArt.abi, 'enableFeeAmount', [100, 1]), 'enableFeeAmount(100, 1)');
  const npm = await deploy(
    npmArt,
    encodeAbiParameters([{ type: 'address' }, { type: 'address' }, { type: 'address' }], [factory.toString() as Hex, UNUSED_WETH9, UNUSED_DESCRIPTOR]),
    'NonfungiblePositionManager',
  );
  const staker = await deploy(
    stakerArt,
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }],
      [factory.toString() as Hex, npm.toString() as Hex, 2_592_000n, 63_072_000n],
    ),
    'UniswapV3Staker',
  );
  const pools = new Map<number, Address>();
  for (const [fee] of FEE_TIERS) {
    const r = await must(DEPLOYER, factory, enc(factoryArt.abi, 'createPool', [token0.toString(), token1.toString(), fee]), `createPool(${fee})`);
    pools.set(fee, new Address(r.data.subarray(12, 32)));
  }
  const erc20 = erc20Art.abi;
  const names = new Map<string, string>([[ZERO_ADDRESS, '']]); // lower-case address → actor name
  names.set(staker.toString().toLowerCase(), '__staker');

  async function provision(name: string, contract: boolean): Promise<Address> {
    const addr = createAddressFromString(actorAddress(name));
    names.set(addr.toString().toLowerCase(), name);
    if (contract) await state.putCode(addr, calleeRuntimeCode(bytesToBigInt(token0.bytes), bytesToBigInt(token1.bytes)));
    for (const t of [token0, token1, ...rewardTokens.values()]) {
      await must(DEPLOYER, t, enc(erc20, 'transfer', [addr.toString(), FUNDING]), `funding ${name}`);
    }
    if (!contract) {
      for (const t of [token0, token1]) await must(addr, t, enc(erc20, 'approve', [npm.toString(), MAX_UINT256]), `${name} approves the manager`);
      for (const t of rewardTokens.values()) await must(addr, t, enc(erc20, 'approve', [staker.toString(), MAX_UINT256]), `${name} approves the staker`);
    }
    return addr;
  }

  const baseActors = new Map<string, Address>();
  baseActors.set(TRADER, await provision(TRADER, true));
  for (const n of [CREATOR, NOBODY, 'a', 'b', 'c', 'd', 'e', 'z', 'z0', 'z1']) baseActors.set(n, await provision(n, false));
  await state.checkpoint();

  // --- per scenario ------------------------------------------------------------------------------
  let pool: Address | undefined;
  let fee = 0;
  let scenarioActors = new Map<string, Address>();
  let keys = new Map<string, Record<string, unknown>>();

  async function actor(name: string): Promise<Address> {
    const known = baseActors.get(name) ?? scenarioActors.get(name);
    if (known !== undefined) return known;
    const a = await provision(name, false);
    scenarioActors.set(name, a);
    return a;
  }

  const nameOf = (addr: string): string => {
    const n = names.get(addr.toLowerCase());
    if (n === undefined) throw new Error(`v3-staker EVM harness: unknown address ${addr}`);
    return n;
  };

  async function view(to: Address, abi: Abi, fn: string, args: readonly unknown[]): Promise<unknown> {
    const r = await call(DEPLOYER, to, enc(abi, fn, args));
    if (!r.ok) throw new Error(`v3-staker EVM harness: view ${fn} reverted: ${JSON.stringify(decodeRevertReason(r.data))}`);
    return dec(abi, fn, r.data);
  }

  async function storage(addr: Address, slot: bigint): Promise<bigint> {
    return bytesToBigInt(await state.getStorage(addr, hexToBytes(toHex(slot, { size: 32 }))));
  }

  /** The pool's state, read from its storage (UniswapV3Pool 1.0.1 layout: slot0, fee growths, protocol fees, liquidity). */
  async function readState(): Promise<Record<string, string>> {
    if (pool === undefined) throw new Error('v3-staker EVM harness: no pool yet');
    const slot0 = await storage(pool, 0n);
    const protocolFees = await storage(pool, 3n);
    const tick = Number((slot0 >> 160n) & 0xffffffn);
    return {
      sqrtPriceX96: (slot0 & ((1n << 160n) - 1n)).toString(),
      tick: String(tick >= 2 ** 23 ? tick - 2 ** 24 : tick),
      liquidity: ((await storage(pool, 4n)) & MAX_UINT128).toString(),
      feeGrowthGlobal0X128: (await storage(pool, 1n)).toString(),
      feeGrowthGlobal1X128: (await storage(pool, 2n)).toString(),
      protocolFees0: (protocolFees & MAX_UINT128).toString(),
      protocolFees1: (protocolFees >> 128n).toString(),
      observationIndex: ((slot0 >> 184n) & 0xffffn).toString(),
      observationCardinality: ((slot0 >> 200n) & 0xffffn).toString(),
      observationCardinalityNext: ((slot0 >> 216n) & 0xffffn).toString(),
    };
  }

  function incentiveIdOf(k: Record<string, unknown>): Hex {
    return keccak256(
      encodeAbiParameters(
        [{ type: 'address' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'address' }],
        [k.rewardToken as Hex, k.pool as Hex, k.startTime as bigint, k.endTime as bigint, k.refundee as Hex],
      ),
    );
  }

  /** Every named incentive, from the staker's storage (`incentives` is its mapping at slot 0). */
  async function readIncentives(): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [name, k] of keys) {
      const base = BigInt(keccak256(`${incentiveIdOf(k)}${toHex(0n, { size: 32 }).slice(2)}` as Hex));
      const packed = await storage(staker, base + 1n);
      out[name] = {
        totalRewardUnclaimed: (await storage(staker, base)).toString(),
        totalSecondsClaimedX128: (packed & ((1n << 160n) - 1n)).toString(),
        numberOfStakes: (packed >> 160n).toString(),
      };
    }
    return out;
  }

  async function readPosition(tokenId: bigint): Promise<Record<string, string>> {
    const p = (await view(npm, npmArt.abi, 'positions', [tokenId])) as readonly unknown[];
    return {
      liquidity: String(p[7]),
      feeGrowthInside0LastX128: String(p[8]),
      feeGrowthInside1LastX128: String(p[9]),
      tokensOwed0: String(p[10]),
      tokensOwed1: String(p[11]),
    };
  }

  async function readDeposit(tokenId: bigint): Promise<{ owner: string; numberOfStakes: string }> {
    const d = (await view(staker, stakerArt.abi, 'deposits', [tokenId])) as readonly [string, number, number, number];
    return { owner: nameOf(d[0]), numberOfStakes: String(d[1]) };
  }

  /** The token's owner: its holder, or the deposit's owner while the staker holds it. */
  async function tokenOwner(tokenId: bigint): Promise<string> {
    const r = await call(DEPLOYER, npm, enc(npmArt.abi, 'ownerOf', [tokenId]));
    if (!r.ok) return NOBODY;
    const holder = nameOf(dec(npmArt.abi, 'ownerOf', r.data) as string);
    return holder === '__staker' ? (await readDeposit(tokenId)).owner : holder;
  }

  async function rewardsOf(token: string, owner: string): Promise<string> {
    const t = rewardTokens.get(token) as Address;
    if (owner === '') return '0';
    return ((await view(staker, stakerArt.abi, 'rewards', [t.toString(), (await actor(owner)).toString()])) as bigint).toString();
  }

  function rewardTokenName(k: Record<string, unknown>): string {
    for (const [name, a] of rewardTokens) if (a.toString() === k.rewardToken) return name;
    throw new Error('v3-staker EVM harness: unknown reward token');
  }

  function keyOf(event: StakerEvmEvent): Record<string, unknown> {
    const k = keys.get(str(event, 'incentive'));
    if (k === undefined) throw new Error(`v3-staker EVM harness: incentive ${String(event['incentive'])} never created`);
    return k;
  }

  async function apply(event: StakerEvmEvent): Promise<StakerEvmResult> {
    const type = str(event, 'type');
    timestamp = big(event, 'time');
    if (type === 'initialize' && pool === undefined) {
      fee = Number(big(event, 'fee'));
      pool = pools.get(fee);
      if (pool === undefined) throw new Error(`v3-staker EVM harness: no pool for fee ${fee}`);
    }
    if (pool === undefined) throw new Error(`v3-staker EVM harness: ${type} before initialize`);
    if (type === 'createIncentive' && !keys.has(str(event, 'incentive'))) {
      const rt = rewardTokens.get(str(event, 'rewardToken'));
      if (rt === undefined) throw new Error(`v3-staker EVM harness: reward tokens are ${REWARD_TOKENS.join(', ')}`);
      keys.set(str(event, 'incentive'), {
        rewardToken: rt.toString(),
        pool: pool.toString(),
        startTime: big(event, 'startTime'),
        endTime: big(event, 'endTime'),
        refundee: (await actor(str(event, 'refundee'))).toString(),
      });
    }
    const p = pool;
    let r: CallResult;
    const out: StakerEvmResult = {};
    const tokenId = event['tokenId'] === undefined ? 0n : big(event, 'tokenId');
    switch (type) {
      case 'initialize':
        r = await call(DEPLOYER, p, enc(poolArt.abi, 'initialize', [big(event, 'sqrtPriceX96')]));
        break;
      case 'swap': {
        const trader = await actor(TRADER);
        r = await call(
          trader,
          p,
          enc(poolArt.abi, 'swap', [trader.toString(), event['zeroForOne'], big(event, 'amountSpecified'), big(event, 'sqrtPriceLimitX96'), '0x']),
        );
        if (r.ok) {
          const [a0, a1] = dec(poolArt.abi, 'swap', r.data) as readonly [bigint, bigint];
          out.amount0 = a0.toString();
          out.amount1 = a1.toString();
        }
        break;
      }
      case 'mint': {
        const owner = await actor(str(event, 'owner'));
        const params = {
          token0: token0.toString(),
          token1: token1.toString(),
          fee,
          tickLower: Number(big(event, 'tickLower')),
          tickUpper: Number(big(event, 'tickUpper')),
          amount0Desired: big(event, 'amount0Desired'),
          amount1Desired: big(event, 'amount1Desired'),
          amount0Min: 0n,
          amount1Min: 0n,
          recipient: owner.toString(),
          deadline: MAX_UINT256,
        };
        r = await call(owner, npm, enc(npmArt.abi, 'mint', [params]));
        if (r.ok) {
          const [id, liq, a0, a1] = dec(npmArt.abi, 'mint', r.data) as readonly [bigint, bigint, bigint, bigint];
          Object.assign(out, { tokenId: id.toString(), liquidity: liq.toString(), amount0: a0.toString(), amount1: a1.toString(), position: await readPosition(id) });
        }
        break;
      }
      case 'increaseLiquidity': {
        const caller = await actor(str(event, 'caller', await tokenOwner(tokenId)));
        const params = { tokenId, amount0Desired: big(event, 'amount0Desired'), amount1Desired: big(event, 'amount1Desired'), amount0Min: 0n, amount1Min: 0n, deadline: MAX_UINT256 };
        r = await call(caller, npm, enc(npmArt.abi, 'increaseLiquidity', [params]));
        if (r.ok) {
          const [liq, a0, a1] = dec(npmArt.abi, 'increaseLiquidity', r.data) as readonly [bigint, bigint, bigint];
          Object.assign(out, { liquidity: liq.toString(), amount0: a0.toString(), amount1: a1.toString(), position: await readPosition(tokenId) });
        }
        break;
      }
      case 'decreaseLiquidity': {
        const caller = await actor(str(event, 'caller', await tokenOwner(tokenId)));
        const params = { tokenId, liquidity: big(event, 'liquidity'), amount0Min: 0n, amount1Min: 0n, deadline: MAX_UINT256 };
        r = await call(caller, npm, enc(npmArt.abi, 'decreaseLiquidity', [params]));
        if (r.ok) {
          const [a0, a1] = dec(npmArt.abi, 'decreaseLiquidity', r.data) as readonly [bigint, bigint];
          Object.assign(out, { amount0: a0.toString(), amount1: a1.toString(), position: await readPosition(tokenId) });
        }
        break;
      }
      case 'collect': {
        const caller = await actor(str(event, 'caller', await tokenOwner(tokenId)));
        const params = { tokenId, recipient: caller.toString(), amount0Max: big(event, 'amount0Max', MAX_UINT128), amount1Max: big(event, 'amount1Max', MAX_UINT128) };
        r = await call(caller, npm, enc(npmArt.abi, 'collect', [params]));
        if (r.ok) {
          const [a0, a1] = dec(npmArt.abi, 'collect', r.data) as readonly [bigint, bigint];
          Object.assign(out, { amount0: a0.toString(), amount1: a1.toString(), position: await readPosition(tokenId) });
        }
        break;
      }
      case 'createIncentive':
        r = await call(await actor(CREATOR), staker, enc(stakerArt.abi, 'createIncentive', [keyOf(event), big(event, 'reward')]));
        break;
      case 'stake': {
        const k = keyOf(event);
        const owner = await tokenOwner(tokenId);
        const holderR = await call(DEPLOYER, npm, enc(npmArt.abi, 'ownerOf', [tokenId]));
        const deposited = holderR.ok && nameOf(dec(npmArt.abi, 'ownerOf', holderR.data) as string) === '__staker';
        const caller = await actor(str(event, 'caller', owner === '' ? NOBODY : owner));
        if (deposited) {
          r = await call(caller, staker, enc(stakerArt.abi, 'stakeToken', [k, tokenId]));
        } else {
          const from = await actor(owner);
          const data = encodeAbiParameters(
            [{ type: 'tuple', components: [{ name: 'rewardToken', type: 'address' }, { name: 'pool', type: 'address' }, { name: 'startTime', type: 'uint256' }, { name: 'endTime', type: 'uint256' }, { name: 'refundee', type: 'address' }] }],
            [k as never],
          );
          r = await call(caller, npm, enc(npmArt.abi, 'safeTransferFrom', [from.toString(), staker.toString(), tokenId, data]));
        }
        if (r.ok) {
          const [spl, liq] = (await view(staker, stakerArt.abi, 'stakes', [tokenId, incentiveIdOf(k)])) as readonly [bigint, bigint];
          Object.assign(out, { stake: { secondsPerLiquidityInsideInitialX128: spl.toString(), liquidity: liq.toString() }, deposit: await readDeposit(tokenId) });
        }
        break;
      }
      case 'unstake': {
        const k = keyOf(event);
        const caller = await actor(str(event, 'caller', await tokenOwner(tokenId)));
        r = await call(caller, staker, enc(stakerArt.abi, 'unstakeToken', [k, tokenId]));
        if (r.ok) {
          // The reward is the growth of the owner's unclaimed balance (unstakeToken returns nothing).
          const deposit = await readDeposit(tokenId);
          const owed = await rewardsOf(rewardTokenName(k), deposit.owner);
          Object.assign(out, { reward: (BigInt(owed) - pendingOwed).toString(), owed, deposit });
        }
        break;
      }
      case 'rewardInfo': {
        r = await call(DEPLOYER, staker, enc(stakerArt.abi, 'getRewardInfo', [keyOf(event), tokenId]));
        if (r.ok) {
          const [reward, secs] = dec(stakerArt.abi, 'getRewardInfo', r.data) as readonly [bigint, bigint];
          Object.assign(out, { reward: reward.toString(), secondsInsideX128: secs.toString() });
        }
        break;
      }
      case 'claimReward': {
        const owner = str(event, 'owner');
        const token = str(event, 'rewardToken');
        const who = await actor(owner);
        r = await call(who, staker, enc(stakerArt.abi, 'claimReward', [(rewardTokens.get(token) as Address).toString(), who.toString(), big(event, 'amountRequested')]));
        if (r.ok) Object.assign(out, { amount: (dec(stakerArt.abi, 'claimReward', r.data) as bigint).toString(), owed: await rewardsOf(token, owner) });
        break;
      }
      case 'endIncentive':
        r = await call(DEPLOYER, staker, enc(stakerArt.abi, 'endIncentive', [keyOf(event)]));
        if (r.ok) out.refund = (dec(stakerArt.abi, 'endIncentive', r.data) as bigint).toString();
        break;
      case 'withdraw': {
        const caller = await actor(str(event, 'caller', await tokenOwner(tokenId)));
        r = await call(caller, staker, enc(stakerArt.abi, 'withdrawToken', [tokenId, caller.toString(), '0x']));
        if (r.ok) out.deposit = await readDeposit(tokenId);
        break;
      }
      default:
        throw new Error(`v3-staker EVM harness: unknown event type ${JSON.stringify(type)}`);
    }
    if (!r.ok) return { revert: decodeRevertReason(r.data), state: await readState(), incentives: await readIncentives() };
    out.state = await readState();
    out.incentives = await readIncentives();
    return out;
  }

  // unstakeToken returns nothing: the reward is read as the owner's balance growth; this holds the balance before.
  let pendingOwed = 0n;

  async function applyWithReward(event: StakerEvmEvent): Promise<StakerEvmResult> {
    pendingOwed = 0n;
    if (event['type'] === 'unstake' && pool !== undefined && keys.has(String(event['incentive']))) {
      const k = keyOf(event);
      const owner = (await readDeposit(big(event, 'tokenId'))).owner;
      pendingOwed = BigInt(await rewardsOf(rewardTokenName(k), owner));
    }
    return apply(event);
  }

  async function reset(): Promise<void> {
    await state.revert();
    await state.checkpoint();
    pool = undefined;
    fee = 0;
    scenarioActors = new Map();
    keys = new Map();
  }

  return {
    reset,
    apply: applyWithReward,
    async runScenario(events) {
      await reset();
      const results: StakerEvmResult[] = [];
      for (const e of events) results.push(await applyWithReward(e));
      return results;
    },
  };
}
