import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revertReason } from '../../core/revertReason.ts';
import { DEFAULT_DEV_ADDRESS, MasterChef, MASTERCHEF_HOLDER } from './MasterChef.ts';

const DEV = DEFAULT_DEV_ADDRESS;

// Published figures: SushiSwap's own tests, sushi-labs/sushiswap (formerly sushiswap/sushiswap)
// `test/MasterChef.test.js`, context 'With ERC/LP token added to the field'. Each `it` below replays one of its
// scenarios at the same block numbers (the `advanceBlockTo(n − 1)` then a transaction = block n).
describe('MasterChef V1: SushiSwap test/MasterChef.test.js', () => {
  it('behavior: should give out SUSHIs only after farming time (100/block from block 100, bonus until 1000)', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 100, bonusEndBlock: 1000 });
    chef.add(100n, 20);
    chef.deposit(0, 'bob', 100n, 21);
    for (const b of [90, 95, 100]) {
      chef.deposit(0, 'bob', 0n, b);
      expect(chef.sushiBalanceOf('bob')).toBe(0n);
    }
    chef.deposit(0, 'bob', 0n, 101);
    expect(chef.sushiBalanceOf('bob')).toBe(1000n);
    chef.deposit(0, 'bob', 0n, 105);
    expect(chef.sushiBalanceOf('bob')).toBe(5000n);
    expect(chef.sushiBalanceOf(DEV)).toBe(500n);
    expect(chef.sushiTotalSupply).toBe(5500n);
  });

  it('behavior: should not distribute SUSHIs if no one deposit (start 200; deposit at 210, withdraw at 220)', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 200, bonusEndBlock: 1000 });
    chef.add(100n, 30);
    expect(chef.sushiTotalSupply).toBe(0n);
    chef.deposit(0, 'bob', 10n, 210);
    expect(chef.sushiTotalSupply).toBe(0n);
    expect(chef.sushiBalanceOf('bob')).toBe(0n);
    expect(chef.sushiBalanceOf(DEV)).toBe(0n);
    chef.withdraw(0, 'bob', 10n, 220);
    expect(chef.sushiTotalSupply).toBe(11000n);
    expect(chef.sushiBalanceOf('bob')).toBe(10000n);
    expect(chef.sushiBalanceOf(DEV)).toBe(1000n);
    expect(chef.userInfo(0, 'bob').amount).toBe(0n);
  });

  it('behavior: should distribute SUSHIs properly for each staker (5666 / 6190 / 11600 / 11831 / 26568)', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 300, bonusEndBlock: 1000 });
    chef.add(100n, 40);
    chef.deposit(0, 'alice', 10n, 310);
    chef.deposit(0, 'bob', 20n, 314);
    chef.deposit(0, 'carol', 30n, 318);
    // Alice: 4·1000 + 4·1/3·1000 + 2·1/6·1000 = 5666
    chef.deposit(0, 'alice', 10n, 320);
    expect(chef.sushiTotalSupply).toBe(11000n);
    expect(chef.sushiBalanceOf('alice')).toBe(5666n);
    expect(chef.sushiBalanceOf('bob')).toBe(0n);
    expect(chef.sushiBalanceOf('carol')).toBe(0n);
    expect(chef.sushiBalanceOf(MASTERCHEF_HOLDER)).toBe(4334n);
    expect(chef.sushiBalanceOf(DEV)).toBe(1000n);
    // Bob: 4·2/3·1000 + 2·2/6·1000 + 10·2/7·1000 = 6190
    chef.withdraw(0, 'bob', 5n, 330);
    expect(chef.sushiTotalSupply).toBe(22000n);
    expect(chef.sushiBalanceOf('alice')).toBe(5666n);
    expect(chef.sushiBalanceOf('bob')).toBe(6190n);
    expect(chef.sushiBalanceOf('carol')).toBe(0n);
    expect(chef.sushiBalanceOf(MASTERCHEF_HOLDER)).toBe(8144n);
    expect(chef.sushiBalanceOf(DEV)).toBe(2000n);
    chef.withdraw(0, 'alice', 20n, 340);
    chef.withdraw(0, 'bob', 15n, 350);
    chef.withdraw(0, 'carol', 30n, 360);
    expect(chef.sushiTotalSupply).toBe(55000n);
    expect(chef.sushiBalanceOf(DEV)).toBe(5000n);
    expect(chef.sushiBalanceOf('alice')).toBe(11600n);
    expect(chef.sushiBalanceOf('bob')).toBe(11831n);
    expect(chef.sushiBalanceOf('carol')).toBe(26568n);
    expect(chef.poolInfo(0).lpSupply).toBe(0n);
  });

  it('behavior: should give proper SUSHIs allocation to each pool (10000, 11666, 13333, 3333)', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 400, bonusEndBlock: 1000 });
    chef.add(1n, 50);
    chef.deposit(0, 'alice', 10n, 410);
    chef.add(2n, 420);
    expect(chef.pendingSushi(0, 'alice', 420)).toBe(10000n);
    chef.deposit(1, 'bob', 5n, 425);
    expect(chef.pendingSushi(0, 'alice', 425)).toBe(11666n);
    expect(chef.pendingSushi(0, 'alice', 430)).toBe(13333n);
    expect(chef.pendingSushi(1, 'bob', 430)).toBe(3333n);
  });

  it('behavior: should stop giving bonus SUSHIs after the bonus period ends (10500 pending, 10600 paid)', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 500, bonusEndBlock: 600 });
    chef.add(1n, 60);
    chef.deposit(0, 'alice', 10n, 590);
    expect(chef.pendingSushi(0, 'alice', 605)).toBe(10500n);
    chef.deposit(0, 'alice', 0n, 606);
    expect(chef.pendingSushi(0, 'alice', 606)).toBe(0n);
    expect(chef.sushiBalanceOf('alice')).toBe(10600n);
  });
});

describe('MasterChef V1: contract details', () => {
  it('behavior: getMultiplier splits at bonusEndBlock', () => {
    const chef = new MasterChef({ sushiPerBlock: 1n, startBlock: 0, bonusEndBlock: 100 });
    expect(chef.getMultiplier(90, 100)).toBe(100n);
    expect(chef.getMultiplier(100, 110)).toBe(10n);
    expect(chef.getMultiplier(95, 105)).toBe(55n);
    expect(revertReason(() => chef.getMultiplier(5, 4))).toBe('SafeMath: subtraction overflow');
  });

  it('error: withdraw: not good, an unknown pid, zero total allocation — all leave the state unchanged', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 0, bonusEndBlock: 0 });
    chef.add(0n, 1);
    chef.deposit(0, 'a', 5n, 2);
    expect(revertReason(() => chef.withdraw(0, 'a', 6n, 3))).toBe('withdraw: not good');
    expect(revertReason(() => chef.deposit(3, 'a', 1n, 3))).toBe('');
    expect(revertReason(() => chef.deposit(0, 'a', 1n, 4))).toBe('SafeMath: division by zero');
    expect(chef.userInfo(0, 'a')).toEqual({ amount: 5n, rewardDebt: 0n });
    expect(chef.poolInfo(0).lastRewardBlock).toBe(2n);
    expect(revertReason(() => chef.add(1n, 5))).toBe('SafeMath: division by zero'); // massUpdatePools first
    expect(chef.poolLength).toBe(1);
  });

  it('behavior: emergencyWithdraw returns the LP and forfeits pending SUSHI; set re-weights pools', () => {
    const chef = new MasterChef({ sushiPerBlock: 100n, startBlock: 0, bonusEndBlock: 0 });
    chef.add(1n, 0);
    chef.add(1n, 0);
    chef.deposit(0, 'a', 10n, 1);
    chef.deposit(1, 'b', 10n, 1);
    chef.set(1, 3n, 11); // blocks 1–11: 500 each
    expect(chef.pendingSushi(0, 'a', 21)).toBe(500n + 250n);
    expect(chef.pendingSushi(1, 'b', 21)).toBe(500n + 750n);
    expect(chef.emergencyWithdraw(0, 'a')).toBe(10n);
    expect(chef.userInfo(0, 'a')).toEqual({ amount: 0n, rewardDebt: 0n });
    expect(chef.sushiBalanceOf('a')).toBe(0n);
  });
});

const arbOps = fc.array(
  fc.record({
    kind: fc.constantFrom('deposit', 'withdraw', 'emergency', 'update', 'set', 'donate'),
    pid: fc.integer({ min: 0, max: 1 }),
    who: fc.constantFrom('a', 'b', 'c'),
    amount: fc.bigInt({ min: 0n, max: 10n ** 21n }),
    alloc: fc.bigInt({ min: 1n, max: 1000n }),
    dBlocks: fc.integer({ min: 0, max: 50 }),
  }),
  { minLength: 1, maxLength: 40 },
);

describe('MasterChef V1: properties', () => {
  it('property: per pool, SUSHI paid + pending never exceed what was minted to the chef for that pool', () => {
    fc.assert(
      fc.property(arbOps, fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: 0, max: 200 }), (ops, perBlock, bonusEnd) => {
        const chef = new MasterChef({ sushiPerBlock: perBlock, startBlock: 10, bonusEndBlock: bonusEnd });
        let block = 0;
        chef.add(100n, block);
        chef.add(50n, block);
        const paid = [0n, 0n];
        for (const op of ops) {
          block += op.dBlocks;
          const bal = chef.userInfo(op.pid, op.who).amount;
          if (op.kind === 'deposit') paid[op.pid]! += chef.deposit(op.pid, op.who, op.amount, block);
          else if (op.kind === 'withdraw') paid[op.pid]! += chef.withdraw(op.pid, op.who, op.amount % (bal + 1n), block);
          else if (op.kind === 'emergency') chef.emergencyWithdraw(op.pid, op.who);
          else if (op.kind === 'set') chef.set(op.pid, op.alloc, block);
          else if (op.kind === 'donate') chef.donateLp(op.pid, op.amount);
          else chef.updatePool(op.pid, block);
          chef.massUpdatePools(block);
          for (const pid of [0, 1]) {
            const pending = ['a', 'b', 'c'].reduce((s, w) => s + chef.pendingSushi(pid, w, block), 0n);
            expect(paid[pid]! + pending).toBeLessThanOrEqual(chef.emittedToPool(pid));
          }
          // The chef never pays out more than it was minted, and dev gets ⌊reward/10⌋ per update.
          expect(chef.sushiBalanceOf(MASTERCHEF_HOLDER)).toBe(chef.emittedToPool(0) + chef.emittedToPool(1) - paid[0]! - paid[1]!);
          expect(chef.sushiBalanceOf(DEV) * 10n).toBeLessThanOrEqual(chef.emittedToPool(0) + chef.emittedToPool(1));
        }
      }),
      { numRuns: 200, seed: 1208 },
    );
  });
});
