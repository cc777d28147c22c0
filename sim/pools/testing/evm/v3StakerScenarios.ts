/**
 * Seeded random scenarios in the `v3-staker` event vocabulary (../shared/oracle/README.md), for the EVM
 * differential test and the staker's property tests: one pool, 2–4 actors minting, adding, removing and
 * collecting through the position manager; a trader swapping across their ranges; short incentives
 * (so scenarios run past their end) created, staked, unstaked by the owner or by others, queried,
 * claimed, ended and withdrawn — and, mixed in, the calls the contracts refuse (every staker check,
 * `Not approved`, zero and excess amounts, missing tokens). Times advance by 0–400 s per event, with
 * runs of equal times (several transactions in one block).
 */
import { Rng } from '../../../core/rng.ts';
import { getSqrtRatioAtTick } from '../../../math/v3/tickMath.ts';

export type StakerEvent = Record<string, unknown>;

export interface StakerScenario {
  readonly events: StakerEvent[];
}

const TIERS: readonly (readonly [number, number])[] = [
  [100, 1],
  [500, 10],
  [3000, 60],
  [10000, 200],
];
const ACTORS = ['a', 'b', 'c', 'd'];
const REWARD_TOKENS = ['r0', 'r1'];
const REFUNDEES = ['z0', 'z1'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(0, xs.length - 1)] as T;
}

/** A random integer with a log-uniform order of magnitude: 10^lo … 10^hi. */
function magnitude(rng: Rng, lo: number, hi: number): bigint {
  const digits = rng.int(lo, hi);
  return BigInt(rng.int(1, 9)) * 10n ** BigInt(digits) + BigInt(rng.int(0, 999_999));
}

interface IncentiveInfo {
  readonly name: string;
  readonly rewardToken: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly refundee: string;
}

/** Scenario `index` of `seed`: `actions` events after the initialize (default 24). */
export function v3StakerScenarioAt(seed: number, index: number, actions = 24): StakerScenario {
  const rng = new Rng(seed).fork(`v3-staker:${index}`);
  const [fee, spacing] = pick(rng, TIERS) as readonly [number, number];
  const startTick = rng.int(-3000, 3000);
  let time = 1_700_000_000 + rng.int(0, 10_000_000);
  const events: StakerEvent[] = [];
  const push = (e: StakerEvent): void => {
    events.push({ ...e, time });
  };
  push({ type: 'initialize', fee, tickSpacing: spacing, sqrtPriceX96: (getSqrtRatioAtTick(startTick) + BigInt(rng.int(0, 1_000_000))).toString() });

  let minted = 0;
  const incentives: IncentiveInfo[] = [];
  const actors = ACTORS.slice(0, rng.int(2, 4));
  const tokenId = (): number => rng.int(1, minted + (rng.uniform() < 0.05 ? 1 : 0)) || 1;
  // Mostly the newest incentive (the one most likely running), sometimes any.
  const incentive = (): IncentiveInfo | undefined =>
    incentives.length === 0 ? undefined : rng.uniform() < 0.6 ? incentives[incentives.length - 1] : pick(rng, incentives);
  const range = (): [number, number] => {
    const centre = Math.round(startTick / spacing) * spacing;
    const lo = centre + spacing * rng.int(-40, 20);
    return [lo, lo + spacing * rng.int(1, 40)];
  };
  const mint = (): void => {
    const [tickLower, tickUpper] = range();
    push({
      type: 'mint',
      owner: pick(rng, actors),
      tickLower,
      tickUpper,
      amount0Desired: magnitude(rng, 15, 20).toString(),
      amount1Desired: magnitude(rng, 15, 20).toString(),
    });
    // Even if it reverts (it rarely does), a later reference to the id is just a missing token.
    minted++;
  };
  mint();
  mint();
  // Stakes tried so far: unstake, rewardInfo and withdraw mostly pick one of them (else they would mostly miss).
  const tried: { tokenId: number; incentive: string }[] = [];
  const triedOr = (): { tokenId: number; incentive: string } | undefined => {
    if (tried.length > 0 && rng.uniform() < 0.75) return pick(rng, tried);
    const k = incentive();
    return k === undefined ? undefined : { tokenId: tokenId(), incentive: k.name };
  };

  for (let n = 0; n < actions; n++) {
    if (rng.uniform() < 0.7) time += rng.int(0, 400);
    // The first action creates an incentive, so that most scenarios stake something.
    const roll = n === 0 ? 0.1 : rng.uniform();
    if (roll < 0.08) {
      mint();
    } else if (roll < 0.17) {
      const inc = { rewardToken: pick(rng, REWARD_TOKENS), refundee: pick(rng, REFUNDEES) };
      let startTime = time + rng.int(0, 300);
      let endTime = startTime + rng.int(300, 4000);
      let reward = magnitude(rng, 3, 21);
      const bad = n === 0 ? 1 : rng.uniform();
      if (bad < 0.04) reward = 0n;
      else if (bad < 0.08) startTime = time - rng.int(1, 100);
      else if (bad < 0.12) startTime = time + 2_592_000 + rng.int(0, 1);
      else if (bad < 0.16) endTime = startTime - rng.int(0, 10);
      else if (bad < 0.2) endTime = startTime + 63_072_000 + rng.int(0, 1);
      const again = incentives.length > 0 && rng.uniform() < 0.2 ? pick(rng, incentives) : undefined;
      if (again !== undefined) {
        push({ type: 'createIncentive', incentive: again.name, rewardToken: again.rewardToken, reward: reward.toString(), startTime: again.startTime, endTime: again.endTime, refundee: again.refundee });
      } else {
        const name = `k${incentives.length}`;
        incentives.push({ name, ...inc, startTime, endTime });
        push({ type: 'createIncentive', incentive: name, ...inc, reward: reward.toString(), startTime, endTime });
      }
    } else if (roll < 0.38) {
      const k = incentive();
      if (k === undefined) continue;
      const e: StakerEvent = { type: 'stake', tokenId: tokenId(), incentive: k.name };
      if (rng.uniform() < 0.1) e.caller = pick(rng, actors);
      tried.push({ tokenId: e.tokenId as number, incentive: k.name });
      push(e);
    } else if (roll < 0.5) {
      const t = triedOr();
      if (t === undefined) continue;
      const e: StakerEvent = { type: 'unstake', ...t };
      if (rng.uniform() < 0.15) e.caller = pick(rng, actors);
      push(e);
    } else if (roll < 0.6) {
      const t = triedOr();
      if (t === undefined) continue;
      push({ type: 'rewardInfo', ...t });
    } else if (roll < 0.72) {
      const zeroForOne = rng.uniform() < 0.5;
      const amount = magnitude(rng, 14, 19);
      push({
        type: 'swap',
        zeroForOne,
        amountSpecified: (rng.uniform() < 0.8 ? amount : -amount).toString(),
        // Limits a few thousand ticks from the start keep swaps from walking the whole tick range.
        sqrtPriceLimitX96: getSqrtRatioAtTick(startTick + (zeroForOne ? -1 : 1) * rng.int(500, 4000)).toString(),
      });
    } else if (roll < 0.76) {
      push({ type: 'increaseLiquidity', tokenId: tokenId(), caller: pick(rng, actors), amount0Desired: magnitude(rng, 14, 19).toString(), amount1Desired: magnitude(rng, 14, 19).toString() });
    } else if (roll < 0.8) {
      const r = rng.uniform();
      const liquidity = r < 0.1 ? 0n : r < 0.2 ? 10n ** 30n : magnitude(rng, 10, 19);
      push({ type: 'decreaseLiquidity', tokenId: tokenId(), liquidity: liquidity.toString() });
    } else if (roll < 0.84) {
      const e: StakerEvent = { type: 'collect', tokenId: tokenId() };
      if (rng.uniform() < 0.3) {
        e.amount0Max = String(rng.int(0, 3) === 0 ? 0 : rng.int(0, 1_000_000_000));
        e.amount1Max = String(rng.int(0, 3) === 0 ? 0 : rng.int(0, 1_000_000_000));
      }
      push(e);
    } else if (roll < 0.9) {
      const r = rng.uniform();
      push({ type: 'claimReward', owner: pick(rng, actors), rewardToken: pick(rng, REWARD_TOKENS), amountRequested: (r < 0.4 ? 0n : r < 0.7 ? magnitude(rng, 0, 18) : 10n ** 30n).toString() });
    } else if (roll < 0.95) {
      const k = incentive();
      if (k === undefined) continue;
      push({ type: 'endIncentive', incentive: k.name });
    } else {
      const e: StakerEvent = { type: 'withdraw', tokenId: tried.length > 0 && rng.uniform() < 0.7 ? pick(rng, tried).tokenId : tokenId() };
      if (rng.uniform() < 0.2) e.caller = pick(rng, actors);
      push(e);
    }
  }
  return { events };
}
