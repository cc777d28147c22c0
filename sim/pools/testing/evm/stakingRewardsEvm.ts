/**
 * The real StakingRewards bytecode in an in-process EVM, for the StakingRewards differential:
 * `StakingRewards` and `TestERC20` (staking and reward tokens) from `@uniswap/liquidity-staker@1.0.2`'s
 * build/, in `@ethereumjs/evm` (Cancun). It takes the `staking-rewards` event vocabulary of
 * ../shared/oracle/README.md and returns the oracle's result objects, reverts included.
 *
 * The deployer is the `rewardsDistribution` and holds both tokens' whole supply. Each event runs in a block
 * whose timestamp is the event's `time`. before an account's first `stake` it is given ample tokens and approves the
 * contract without limit (own transactions), `notifyRewardAmount` first transfers `fund` (default `reward`) reward tokens to the contract
 * (own transaction, kept if the notify reverts). Accounts are plain addresses (`caller` is set directly).
 * Paid and withdrawn amounts are read as the account's token-balance changes. Everything is deployed once;
 * each scenario runs in a state checkpoint that {@link StakingRewardsEvmHarness.reset} reverts.
 */
import { createRequire } from 'node:module';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, type EVM } from '@ethereumjs/evm';
import { Address, createAddressFromString, createZeroAddress } from '@ethereumjs/util';
import { encodeAbiParameters, encodeFunctionData, hexToBytes, keccak256, toHex, type Abi, type Hex } from 'viem';
import { decodeRevertReason, word } from './v3Evm.ts';

const require = createRequire(import.meta.url);

function loadArtifact(name: string): { abi: Abi; bytecode: Hex } {
  const json = require(`@uniswap/liquidity-staker/build/${name}.json`) as { abi: Abi; bytecode: string };
  return { abi: json.abi, bytecode: (json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}`) as Hex };
}

const MAX_UINT256 = (1n << 256n) - 1n;
const CALL_GAS = 30_000_000n;
/** Staking tokens each account is given before its first stake of a scenario (far above any stake). */
const STAKER_FUNDING = 1n << 240n;
const DISTRIBUTOR = createAddressFromString('0x00000000000000000000000000000000000d1570');

export type StakingRewardsEvmEvent = Readonly<Record<string, unknown>>;
export type StakingRewardsEvmResult = Record<string, unknown>;

export interface StakingRewardsEvmHarness {
  /** Forgets the current scenario: a freshly deployed StakingRewards again. */
  reset(): Promise<void>;
  /** Applies one event of the oracle vocabulary; returns the oracle result. */
  apply(event: StakingRewardsEvmEvent): Promise<StakingRewardsEvmResult>;
  /** `reset()`, then every event in order. */
  runScenario(events: readonly StakingRewardsEvmEvent[]): Promise<StakingRewardsEvmResult[]>;
}

function uintField(event: StakingRewardsEvmEvent, field: string): bigint {
  const v = event[field];
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new Error(`staking-rewards EVM harness: event field ${field} must be a non-negative integer; was ${JSON.stringify(v)}`);
}

function stringField(event: StakingRewardsEvmEvent, field: string): string {
  const v = event[field];
  if (typeof v !== 'string') throw new Error(`staking-rewards EVM harness: event field ${field} must be a string; was ${JSON.stringify(v)}`);
  return v;
}

/** The address standing for account `name`. */
export function stakingAccountAddress(name: string): Address {
  return createAddressFromString(`0x${keccak256(toHex(`ammsim.stakingRewardsEvm.account:${name}`)).slice(-40)}`);
}

function blockAt(timestamp: bigint) {
  return {
    header: {
      number: 1n,
      coinbase: createZeroAddress(),
      timestamp,
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: CALL_GAS,
      baseFeePerGas: undefined,
      slotNumber: 0n,
      getBlobGasPrice: () => undefined,
    },
  };
}

/** Deploys the tokens and StakingRewards once and returns a harness; call once per test file. */
export async function createStakingRewardsEvm(): Promise<StakingRewardsEvmHarness> {
  const tokenArt = loadArtifact('TestERC20');
  const srArt = loadArtifact('StakingRewards');
  const evm: EVM = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }) });
  const state = evm.stateManager;
  let now = 0n;

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
      block: blockAt(now),
    });
    evm.journal.cleanJournal();
    const err = res.execResult.exceptionError;
    if (err !== undefined && err.error !== 'revert' && err.error !== 'invalid opcode') {
      throw new Error(`staking-rewards EVM harness: call failed with "${err.error}", not a contract revert`);
    }
    return { ok: err === undefined, data: res.execResult.returnValue, created: res.createdAddress };
  }
  async function mustCall(caller: Address, to: Address | undefined, data: Hex, what: string): Promise<CallResult> {
    const r = await call(caller, to, data);
    if (!r.ok) throw new Error(`staking-rewards EVM harness: ${what} reverted: ${JSON.stringify(decodeRevertReason(r.data))}`);
    return r;
  }

  const tokenCreate = `${tokenArt.bytecode}${encodeAbiParameters([{ type: 'uint256' }], [MAX_UINT256]).slice(2)}` as Hex;
  const rewardsToken = (await mustCall(DISTRIBUTOR, undefined, tokenCreate, 'reward token deploy')).created;
  const stakingToken = (await mustCall(DISTRIBUTOR, undefined, tokenCreate, 'staking token deploy')).created;
  if (rewardsToken === undefined || stakingToken === undefined) throw new Error('staking-rewards EVM harness: token deploy gave no address');
  const srCreate = `${srArt.bytecode}${encodeAbiParameters(
    [{ type: 'address' }, { type: 'address' }, { type: 'address' }],
    [DISTRIBUTOR.toString(), rewardsToken.toString(), stakingToken.toString()],
  ).slice(2)}` as Hex;
  const sr = (await mustCall(DISTRIBUTOR, undefined, srCreate, 'StakingRewards deploy')).created;
  if (sr === undefined) throw new Error('staking-rewards EVM harness: StakingRewards deploy gave no address');
  await state.checkpoint();

  const tokenCall = (functionName: string, args: readonly unknown[]): Hex =>
    encodeFunctionData({ abi: tokenArt.abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
  const srCall = (functionName: string, args: readonly unknown[] = []): Hex =>
    encodeFunctionData({ abi: srArt.abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);

  async function view(to: Address, data: Hex): Promise<bigint> {
    return word((await mustCall(DISTRIBUTOR, to, data, 'view')).data, 0);
  }

  // State is read from storage directly (a view call per field made the differential several times
  // slower). The slots follow the contracts' declaration order — StakingRewards: rewardsDistribution,
  // ReentrancyGuard's counter, rewardsToken, stakingToken, periodFinish, rewardRate, rewardsDuration,
  // lastUpdateTime, rewardPerTokenStored, userRewardPerTokenPaid, rewards, _totalSupply, _balances;
  // the ERC20's `_balances` slot is found below (TestERC20's base contracts come first). checkLayout proves
  // all of them against the getters.
  const SLOT = { periodFinish: 4n, rewardRate: 5n, lastUpdateTime: 7n, rewardPerTokenStored: 8n, userRewardPerTokenPaid: 9n, rewards: 10n, totalSupply: 11n, balances: 12n };
  let ERC20_BALANCES_SLOT = -1n;
  const slotKey = (slot: bigint): Uint8Array => hexToBytes(toHex(slot, { size: 32 }));
  const mappingKey = (who: Address, slot: bigint): Uint8Array =>
    hexToBytes(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [who.toString(), slot])));
  async function load(at: Address, key: Uint8Array): Promise<bigint> {
    const v = await state.getStorage(at, key);
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    return n;
  }
  const tokenBalance = (token: Address, who: Address): Promise<bigint> => load(token, mappingKey(who, ERC20_BALANCES_SLOT));
  for (let slot = 0n; slot < 16n && ERC20_BALANCES_SLOT < 0n; slot++) {
    if ((await load(rewardsToken, mappingKey(DISTRIBUTOR, slot))) === MAX_UINT256) ERC20_BALANCES_SLOT = slot;
  }
  if (ERC20_BALANCES_SLOT < 0n) throw new Error("staking-rewards EVM harness: TestERC20's balance slot not found");

  async function readState(): Promise<Record<string, string>> {
    const at = sr as Address;
    return {
      rewardRate: (await load(at, slotKey(SLOT.rewardRate))).toString(),
      rewardPerTokenStored: (await load(at, slotKey(SLOT.rewardPerTokenStored))).toString(),
      lastUpdateTime: (await load(at, slotKey(SLOT.lastUpdateTime))).toString(),
      periodFinish: (await load(at, slotKey(SLOT.periodFinish))).toString(),
      totalSupply: (await load(at, slotKey(SLOT.totalSupply))).toString(),
      rewardBalance: (await tokenBalance(rewardsToken as Address, at)).toString(),
    };
  }
  async function readAccount(who: Address): Promise<Record<string, string>> {
    const at = sr as Address;
    return {
      balance: (await load(at, mappingKey(who, SLOT.balances))).toString(),
      rewards: (await load(at, mappingKey(who, SLOT.rewards))).toString(),
      userRewardPerTokenPaid: (await load(at, mappingKey(who, SLOT.userRewardPerTokenPaid))).toString(),
    };
  }
  /** The storage reads above against the contracts' own getters, in the current state. */
  async function checkLayout(who: Address): Promise<void> {
    const at = sr as Address;
    const a = who.toString();
    const viaGetters = {
      state: {
        rewardRate: (await view(at, srCall('rewardRate'))).toString(),
        rewardPerTokenStored: (await view(at, srCall('rewardPerTokenStored'))).toString(),
        lastUpdateTime: (await view(at, srCall('lastUpdateTime'))).toString(),
        periodFinish: (await view(at, srCall('periodFinish'))).toString(),
        totalSupply: (await view(at, srCall('totalSupply'))).toString(),
        rewardBalance: (await view(rewardsToken as Address, tokenCall('balanceOf', [at.toString()]))).toString(),
      },
      account: {
        balance: (await view(at, srCall('balanceOf', [a]))).toString(),
        rewards: (await view(at, srCall('rewards', [a]))).toString(),
        userRewardPerTokenPaid: (await view(at, srCall('userRewardPerTokenPaid', [a]))).toString(),
      },
      stakingBalance: (await view(stakingToken as Address, tokenCall('balanceOf', [at.toString()]))).toString(),
    };
    const viaStorage = { state: await readState(), account: await readAccount(who), stakingBalance: (await tokenBalance(stakingToken as Address, at)).toString() };
    if (JSON.stringify(viaGetters) !== JSON.stringify(viaStorage)) {
      throw new Error(`staking-rewards EVM harness: storage layout assumption is wrong: getters ${JSON.stringify(viaGetters)} vs storage ${JSON.stringify(viaStorage)}`);
    }
  }

  let prepared = new Set<string>();

  async function apply(event: StakingRewardsEvmEvent): Promise<StakingRewardsEvmResult> {
    now = uintField(event, 'time');
    const contract = sr as Address;
    if (event.type === 'notifyRewardAmount') {
      const reward = uintField(event, 'reward');
      const fund = event.fund === undefined ? reward : uintField(event, 'fund');
      const caller = event.caller === undefined ? DISTRIBUTOR : stakingAccountAddress(stringField(event, 'caller'));
      await call(DISTRIBUTOR, rewardsToken, tokenCall('transfer', [contract.toString(), fund]));
      const r = await call(caller, contract, srCall('notifyRewardAmount', [reward]));
      if (!r.ok) return { revert: decodeRevertReason(r.data), state: await readState() };
      return { state: await readState() };
    }
    const who = stakingAccountAddress(stringField(event, 'account'));
    let fields: Record<string, string>;
    let r: CallResult;
    switch (event.type) {
      case 'stake':
      case 'withdraw': {
        const amount = uintField(event, 'amount');
        if (event.type === 'stake' && !prepared.has(who.toString())) {
          // Once per account and scenario: plenty of staking tokens, and an unlimited approval.
          await mustCall(DISTRIBUTOR, stakingToken, tokenCall('transfer', [who.toString(), STAKER_FUNDING]), 'staking-token funding');
          await mustCall(who, stakingToken, tokenCall('approve', [contract.toString(), MAX_UINT256]), 'approve');
          prepared.add(who.toString());
        }
        r = await call(who, contract, srCall(event.type, [amount]));
        fields = {};
        break;
      }
      case 'getReward':
      case 'exit': {
        const rewardBefore = await tokenBalance(rewardsToken as Address, who);
        const stakeBefore = await tokenBalance(stakingToken as Address, who);
        r = await call(who, contract, srCall(event.type));
        const paid = (await tokenBalance(rewardsToken as Address, who)) - rewardBefore;
        const withdrawn = (await tokenBalance(stakingToken as Address, who)) - stakeBefore;
        fields = event.type === 'exit' ? { withdrawn: withdrawn.toString(), paid: paid.toString() } : { paid: paid.toString() };
        break;
      }
      case 'earned': {
        r = await call(DISTRIBUTOR, contract, srCall('earned', [who.toString()]));
        fields = {};
        if (r.ok) {
          const rpt = await call(DISTRIBUTOR, contract, srCall('rewardPerToken'));
          if (!rpt.ok) r = rpt;
          else fields = { earned: word(r.data, 0).toString(), rewardPerToken: word(rpt.data, 0).toString() };
        }
        break;
      }
      default:
        throw new Error(`staking-rewards EVM harness: unknown event type ${JSON.stringify(event.type)}`);
    }
    if (!r.ok) return { revert: decodeRevertReason(r.data), account: await readAccount(who), state: await readState() };
    return { ...fields, account: await readAccount(who), state: await readState() };
  }

  // Prove the storage layout once on a small live scenario (every field non-zero), then forget it.
  {
    const probe = stakingAccountAddress('__layout-probe');
    await apply({ type: 'stake', time: 1_000_000, account: '__layout-probe', amount: '3000' });
    await apply({ type: 'notifyRewardAmount', time: 1_000_001, reward: String(7 * 5_184_000 + 5) });
    await apply({ type: 'getReward', time: 1_000_100, account: '__layout-probe' });
    await apply({ type: 'stake', time: 1_000_200, account: '__layout-probe', amount: '1' });
    await checkLayout(probe);
    await state.revert();
    await state.checkpoint();
    prepared = new Set();
  }

  async function reset(): Promise<void> {
    await state.revert();
    await state.checkpoint();
    prepared = new Set();
  }

  return {
    reset,
    apply,
    async runScenario(events) {
      await reset();
      const out: StakingRewardsEvmResult[] = [];
      for (const e of events) out.push(await apply(e));
      return out;
    },
  };
}
