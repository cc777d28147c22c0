/**
 * Validates the EVM harness itself: every line of the shared oracle scenarios (produced by the real
 * v3-core 1.0.1 bytecode, see ../shared/oracle/README.md) must come out of {@link createV3Evm} equal to
 * its `expect`. This proves the harness drives the real contract the same way the oracle did, before it
 * is trusted as ground truth for the random differential.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { calleeRuntimeCode, assemble } from './assemble.ts';
import { createV3Evm, decodeRevertReason, ownerAddress, type V3EvmHarness } from './v3Evm.ts';

const ORACLE_V3 = path.resolve(process.cwd(), '../shared/oracle/v3');

describe('assemble', () => {
  it('behavior: pushes the minimal width, resolves labels to PUSH2 offsets', () => {
    expect(Array.from(assemble([{ push: 0n }, { pushLabel: 'x' }, 'JUMP', { label: 'x' }, 'STOP']))).toEqual([
      0x60, 0x00, 0x61, 0x00, 0x06, 0x56, 0x5b, 0x00,
    ]);
    expect(Array.from(assemble([{ push: 0x1234n, bytes: 3 }]))).toEqual([0x62, 0x00, 0x12, 0x34]);
  });
  it('error: rejects an unknown opcode and an undefined label', () => {
    expect(() => assemble(['NOPE'])).toThrowErrorMatchingInlineSnapshot(`[Error: unknown opcode NOPE]`);
    expect(() => assemble([{ pushLabel: 'y' }])).toThrowErrorMatchingInlineSnapshot(`[Error: undefined label y]`);
  });
  it('behavior: the callee embeds both token addresses', () => {
    const code = Buffer.from(calleeRuntimeCode(0x1111n, 0x2222n)).toString('hex');
    expect(code).toContain(`73${'1111'.padStart(40, '0')}`);
    expect(code).toContain(`73${'2222'.padStart(40, '0')}`);
  });
});

describe('decodeRevertReason', () => {
  it('behavior: Error(string) text, empty data is a bare require', () => {
    const spl =
      '08c379a0' +
      '0000000000000000000000000000000000000000000000000000000000000020' +
      '0000000000000000000000000000000000000000000000000000000000000003' +
      '53504c0000000000000000000000000000000000000000000000000000000000';
    expect(decodeRevertReason(Buffer.from(spl, 'hex'))).toBe('SPL');
    expect(decodeRevertReason(new Uint8Array(0))).toBe('');
    expect(decodeRevertReason(Uint8Array.from([0xde, 0xad]))).toBe('0xdead');
  });
  it('behavior: owner addresses are fixed per name', () => {
    expect(ownerAddress('a')).toMatch(/^0x[0-9a-f]{40}$/);
    expect(ownerAddress('a')).toBe(ownerAddress('a'));
    expect(ownerAddress('a')).not.toBe(ownerAddress('b'));
  });
});

describe.skipIf(!existsSync(ORACLE_V3))(`v3 EVM harness reproduces the oracle (skipped: ${ORACLE_V3} not found)`, () => {
  let harness: V3EvmHarness;
  beforeAll(async () => {
    harness = await createV3Evm();
  });
  const files = existsSync(ORACLE_V3) ? readdirSync(ORACLE_V3).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('behavior: the oracle directory holds scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    it(`behavior: ${file}: every line equals expect`, async () => {
      const cases = readFileSync(path.join(ORACLE_V3, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { event: Record<string, unknown>; expect: Record<string, unknown> });
      const results = await harness.runScenario(cases.map((c) => c.event));
      for (let i = 0; i < cases.length; i++) {
        expect({ line: i + 1, result: results[i] }).toEqual({ line: i + 1, result: cases[i]?.expect });
      }
    });
  }
  it('behavior: reset forgets the previous scenario (a second initialize succeeds again)', async () => {
    const init = { type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: (1n << 96n).toString() };
    const first = await harness.runScenario([init, init]);
    expect(first[1]).toMatchObject({ revert: 'AI' });
    const second = await harness.runScenario([init]);
    expect(second[0]).toEqual(first[0]);
  });
  it('error: a later initialize of another fee or spacing is refused, as the replayer does (one pool per scenario)', async () => {
    const init = { type: 'initialize', fee: 3000, tickSpacing: 60, sqrtPriceX96: (1n << 96n).toString() };
    // the reverted (R) first initialize picked the 500/10 pool; the second one only set that pool's price
    await expect(harness.runScenario([{ ...init, fee: 500, tickSpacing: 10, sqrtPriceX96: '5' }, init])).rejects.toThrow(
      'v3 EVM harness: initialize of fee/spacing 3000/60, but the scenario\'s pool is 500/10; one pool per scenario',
    );
  });
});
