/**
 * A tiny EVM assembler, enough to hand-write the callee contract the differential harness needs
 * (v3-core 1.0.1's npm package ships no test contracts, and nothing may be compiled here).
 *
 * An item is an opcode name (`'CALLER'`), a push (`{ push: 0x20n }` or `{ push: 0x20n, bytes: 20 }`),
 * a jump target (`{ label: 'x' }`, emits JUMPDEST) or a reference to one (`{ pushLabel: 'x' }`, PUSH2).
 */

const OPCODES: Readonly<Record<string, number>> = {
  STOP: 0x00,
  ADD: 0x01,
  SUB: 0x03,
  LT: 0x10,
  GT: 0x11,
  SLT: 0x12,
  SGT: 0x13,
  EQ: 0x14,
  ISZERO: 0x15,
  AND: 0x16,
  SHL: 0x1b,
  SHR: 0x1c,
  CALLER: 0x33,
  CALLDATALOAD: 0x35,
  CALLDATASIZE: 0x36,
  CALLDATACOPY: 0x37,
  RETURNDATASIZE: 0x3d,
  RETURNDATACOPY: 0x3e,
  POP: 0x50,
  MLOAD: 0x51,
  MSTORE: 0x52,
  JUMP: 0x56,
  JUMPI: 0x57,
  GAS: 0x5a,
  JUMPDEST: 0x5b,
  DUP1: 0x80,
  DUP2: 0x81,
  SWAP1: 0x90,
  CALL: 0xf1,
  RETURN: 0xf3,
  REVERT: 0xfd,
};

export type AsmItem =
  | string
  | { readonly push: bigint; readonly bytes?: number }
  | { readonly label: string }
  | { readonly pushLabel: string };

function pushBytes(value: bigint, width: number | undefined): number[] {
  if (value < 0n) throw new RangeError(`push value must be non-negative; was ${value}`);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let size = Math.max(1, hex.length / 2);
  if (width !== undefined) {
    if (width < size) throw new RangeError(`push value ${value} does not fit in ${width} bytes`);
    size = width;
  }
  if (size > 32) throw new RangeError(`push value ${value} exceeds 32 bytes`);
  hex = hex.padStart(size * 2, '0');
  const out = [0x5f + size];
  for (let i = 0; i < size; i++) out.push(Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  return out;
}

/** Assembles `items` into runtime bytecode. Labels resolve to PUSH2 offsets (two passes). */
export function assemble(items: readonly AsmItem[]): Uint8Array {
  const labels = new Map<string, number>();
  let offset = 0;
  for (const item of items) {
    if (typeof item === 'string') offset += 1;
    else if ('push' in item) offset += pushBytes(item.push, item.bytes).length;
    else if ('label' in item) {
      if (labels.has(item.label)) throw new Error(`duplicate label ${item.label}`);
      labels.set(item.label, offset);
      offset += 1;
    } else offset += 3;
  }
  const out: number[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const op = OPCODES[item];
      if (op === undefined) throw new Error(`unknown opcode ${item}`);
      out.push(op);
    } else if ('push' in item) out.push(...pushBytes(item.push, item.bytes));
    else if ('label' in item) out.push(OPCODES.JUMPDEST as number);
    else {
      const target = labels.get(item.pushLabel);
      if (target === undefined) throw new Error(`undefined label ${item.pushLabel}`);
      out.push(...pushBytes(BigInt(target), 2));
    }
  }
  return Uint8Array.from(out);
}

/**
 * Runtime code of the payer used as position owner and swapper. Any call to it is treated as a
 * Uniswap v3 callback (`uniswapV3MintCallback(uint256,uint256,bytes)` and
 * `uniswapV3SwapCallback(int256,int256,bytes)` share the layout: two words at calldata 4 and 36):
 * for each word that is > 0 as a signed integer it calls `token.transfer(msg.sender, word)` — exactly
 * what the pool asks — and reverts with the token's revert data if that call fails.
 */
export function calleeRuntimeCode(token0: bigint, token1: bigint): Uint8Array {
  const pay = (token: bigint, argOffset: bigint, skip: string): AsmItem[] => [
    { push: 0n },
    { push: argOffset },
    'CALLDATALOAD',
    'SGT', // argument > 0 (signed)
    'ISZERO',
    { pushLabel: skip },
    'JUMPI',
    { push: 0xa9059cbbn }, // transfer(address,uint256)
    { push: 0xe0n },
    'SHL',
    { push: 0n },
    'MSTORE',
    'CALLER',
    { push: 4n },
    'MSTORE',
    { push: argOffset },
    'CALLDATALOAD',
    { push: 36n },
    'MSTORE',
    { push: 0n }, // retSize
    { push: 0n }, // retOffset
    { push: 68n }, // argsSize
    { push: 0n }, // argsOffset
    { push: 0n }, // value
    { push: token, bytes: 20 },
    'GAS',
    'CALL',
    'ISZERO',
    { pushLabel: 'fail' },
    'JUMPI',
    { label: skip },
  ];
  return assemble([
    ...pay(token0, 4n, 'skip0'),
    ...pay(token1, 36n, 'skip1'),
    'STOP',
    { label: 'fail' },
    'RETURNDATASIZE',
    { push: 0n },
    { push: 0n },
    'RETURNDATACOPY',
    'RETURNDATASIZE',
    { push: 0n },
    'REVERT',
  ]);
}
