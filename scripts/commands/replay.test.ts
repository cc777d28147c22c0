import { spawnSync } from 'node:child_process';
import { interruptWhenRemoved } from '../testing/interruptWhenRemoved.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../testing/runCliInProcess.ts';

// The contract's own results (../shared/oracle/README.md); read in place, never copied into the repo.
const ORACLE = path.resolve(process.cwd(), '../shared/oracle');
const V2_FILE = path.join(ORACLE, 'v2', '00-feeoff.jsonl');
const haveOracle = existsSync(V2_FILE);
if (!haveOracle) console.warn(`skipping the replay CLI oracle tests: ${V2_FILE} not found (it lives beside the checkout in ../shared)`);

const dir = mkdtempSync(path.join(tmpdir(), 'ammsim-replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCliInProcess;

function expectedLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.stringify((JSON.parse(l) as { expect: unknown }).expect));
}

describe.skipIf(!haveOracle)('ammsim replay on the contract oracle', () => {
  it('behavior: --pool v2 --check on an oracle file passes and writes exactly the expected lines', async () => {
    const outFile = path.join(dir, 'v2-out.jsonl');
    const r = await cli(['replay', '--pool', 'v2', '--events', V2_FILE, '--out', outFile, '--check']);
    expect(r.stderr).toBe(`check: all 22 case lines of ${V2_FILE} match (--pool v2)\n`);
    expect(r.code).toBe(0);
    expect(readFileSync(outFile, 'utf8')).toBe(expectedLines(V2_FILE).join('\n') + '\n');
  });

  it('behavior: without --out the results go to stdout', async () => {
    const r = await cli(['replay', '--pool', 'v2', '--events', V2_FILE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expectedLines(V2_FILE).join('\n') + '\n');
  });

  it('error: --check names the first mismatching line and key, exits 1, and still writes the results', async () => {
    const text = readFileSync(V2_FILE, 'utf8').split('\n');
    // Line 3 of 00-feeoff.jsonl leaves reserve0 = 272646; claim 272647 instead, and also break line 5.
    text[2] = text[2]!.replace('"reserve0":"272646"', '"reserve0":"272647"');
    text[4] = text[4]!.replace('"amountOut":"140891531158"', '"amountOut":"1"');
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, text.join('\n'));
    const outFile = path.join(dir, 'bad-out.jsonl');
    const r = await cli(['replay', '--pool', 'v2', '--events', bad, '--out', outFile, '--check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${bad}:3: state.reserve0: expected "272647"; replay gave "272646"\n2 of 22 case lines differ; the results were written to ${outFile}\n`,
    );
    expect(readFileSync(outFile, 'utf8')).toBe(expectedLines(V2_FILE).join('\n') + '\n');
  });

  const v3Files = existsSync(path.join(ORACLE, 'v3')) ? readdirSync(path.join(ORACLE, 'v3')).filter((f) => f.endsWith('.jsonl')).sort() : [];
  it('error: v2 events without --pool are read as v3; the error says how to fix it', async () => {
    const r = await cli(['replay', '--events', V2_FILE]);
    expect(r.code).toBe(1);
    const [first, hint] = r.stderr.split('\n');
    expect(first).toMatch(new RegExp(`^error: ${V2_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: `));
    expect(hint).toBe('hint: --pool defaults to v3; for v2 events pass --pool v2');
  });

  it.skipIf(v3Files.length === 0)('behavior: --pool defaults to v3', async () => {
    const v3File = path.join(ORACLE, 'v3', v3Files[0]!);
    const r = await cli(['replay', '--events', v3File, '--check']);
    expect(r.stderr).toMatch(/^check: all \d+ case lines of .* match \(--pool v3\)\n$/);
    expect(r.code).toBe(0);
  });
});

describe('ammsim replay errors', () => {
  it('error: a malformed line fails with file:line: field, and leaves no output file behind', async () => {
    const bad = path.join(dir, 'malformed.jsonl');
    writeFileSync(bad, '{"type":"initialize"}\n\n{"type":"mint","owner":"a","amount0":"1e6","amount1":"5"}\n');
    const outFile = path.join(dir, 'malformed-out.jsonl');
    writeFileSync(outFile, 'stale output of an earlier run\n');
    const r = await cli(['replay', '--pool', 'v2', '--events', bad, '--out', outFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${bad}:3: amount0: must be a non-negative integer (a decimal string, e.g. "1000000"); was "1e6"\n`);
    expect(existsSync(outFile)).toBe(false);
  });

  it('error: invalid JSON names the line', async () => {
    const bad = path.join(dir, 'json.jsonl');
    writeFileSync(bad, '{"type":"initialize"}\n{"type":\n');
    const r = await cli(['replay', '--pool', 'v2', '--events', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: event: not valid JSON \\(`));
  });

  it('error: a line that is not JSON gets no --pool hint (it is not a v2-vs-v3 mix-up)', async () => {
    const bad = path.join(dir, 'json-v3.jsonl');
    writeFileSync(bad, '{"type":"initialize","fee":3000,"tickSpacing":60,"sqrtPriceX96":"79228162514264337593543950336"}\n{bad\n');
    const r = await cli(['replay', '--events', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*json-v3\.jsonl:2: event: not valid JSON \(/);
  });

  it('error: a bad value in a v3 event gets no --pool v2 hint; a v2 type, v2-only field or bare v2 initialize does', async () => {
    const init = '{"type":"initialize","fee":3000,"tickSpacing":60,"sqrtPriceX96":"79228162514264337593543950336"}';
    const errorLines = async (name: string, text: string): Promise<string[]> => {
      const f = path.join(dir, name);
      writeFileSync(f, text);
      const r = await cli(['replay', '--events', f]);
      expect(r.code).toBe(1);
      return r.stderr.split('\n').filter((l) => l !== '');
    };
    const hint = 'hint: --pool defaults to v3; for v2 events pass --pool v2';
    // before, any field error without --pool blamed v2 events
    const amount = await errorLines('v3-amount.jsonl', `${init}\n{"type":"mint","owner":"a","tickLower":-60,"tickUpper":60,"amount":"1e18"}\n`);
    expect(amount).toEqual([expect.stringMatching(/v3-amount\.jsonl:2: amount: must be an integer \(a decimal string\); was "1e18"$/)]);
    const tick = await errorLines('v3-tick.jsonl', `${init}\n{"type":"mint","owner":"a","tickLower":-60.5,"tickUpper":60,"amount":"1"}\n`);
    expect(tick).toEqual([expect.stringMatching(/v3-tick\.jsonl:2: tickLower: must be an integer; was -60\.5$/)]);
    expect(await errorLines('v2-type.jsonl', `${init}\n{"type":"swapRaw","amount0In":"1"}\n`)).toEqual([expect.stringMatching(/:2: type: /), hint]);
    expect(await errorLines('v2-field.jsonl', `${init}\n{"type":"mint","owner":"a","amount0":"5","amount1":"5"}\n`)).toEqual([expect.stringMatching(/:2: amount0: /), hint]);
    // v2's initialize takes no field; v3 rejects it for its missing fee
    expect(await errorLines('v2-init.jsonl', '{"type":"initialize"}\n')).toEqual([expect.stringMatching(/:1: fee: /), hint]);
  });

  it('error: --check without case lines fails before writing: no OUT, not even a previous run\'s', async () => {
    const bare = path.join(dir, 'bare-check.jsonl');
    writeFileSync(bare, '{"type":"initialize"}\n');
    const outFile = path.join(dir, 'bare-check-out.jsonl');
    writeFileSync(outFile, 'stale output of an earlier run\n');
    const r = await cli(['replay', '--pool', 'v2', '--events', bare, '--out', outFile, '--check']);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `error: --check: ${bare} has no case lines ({"event": …, "expect": …}) to compare against\n`]);
    expect(existsSync(outFile)).toBe(false);
    const noOut = await cli(['replay', '--pool', 'v2', '--events', bare, '--check']);
    expect([noOut.code, noOut.stdout]).toEqual([1, '']);
  });

  it('error: flags — a missing events file, --out equal to --events, --check without case lines, an unknown pool', async () => {
    const missing = path.join(dir, 'nope.jsonl');
    expect((await cli(['replay', '--pool', 'v2', '--events', missing])).stderr).toBe(`error: --events: cannot read ${missing}: no such file\n`);
    const bare = path.join(dir, 'bare.jsonl');
    writeFileSync(bare, '{"type":"initialize"}\n');
    expect((await cli(['replay', '--pool', 'v2', '--events', bare, '--out', bare])).stderr).toBe(`error: --out: must differ from --events (both are ${bare})\n`);
    const noCases = await cli(['replay', '--pool', 'v2', '--events', bare, '--check']);
    expect(noCases.code).toBe(1);
    expect(noCases.stderr).toBe(`error: --check: ${bare} has no case lines ({"event": …, "expect": …}) to compare against\n`);
    const badPool = await cli(['replay', '--pool', 'v4', '--events', bare]);
    expect(badPool.code).toBe(1);
    expect(badPool.stderr).toBe('error: --pool: must be one of v3, v2, v3-time, v3-staker, staking-rewards; was "v4"\n');
  });
});

describe('ammsim replay: a flag given twice', () => {
  it('error: --out or --events twice is refused naming the flag (no file named "a,b", no stack trace)', async () => {
    const bare = path.join(dir, 'twice.jsonl');
    writeFileSync(bare, '{"type":"initialize"}\n');
    const a = path.join(dir, 'twice-a.jsonl');
    const b = path.join(dir, 'twice-b.jsonl');
    const outs = await cli(['replay', '--pool', 'v2', '--events', bare, '--out', a, '--out', b]);
    expect(outs.code).toBe(1);
    expect(outs.stderr).toBe(`error: --out: given 2 times (${JSON.stringify(a)}, ${JSON.stringify(b)}); give it once\n`);
    const events = await cli(['replay', '--pool', 'v2', '--events', bare, '--events', bare]);
    expect(events.code).toBe(1);
    expect(events.stderr).toBe(`error: --events: given 2 times (${JSON.stringify(bare)}, ${JSON.stringify(bare)}); give it once\n`);
    expect(readdirSync(dir).filter((f) => f.startsWith('twice-'))).toEqual([]);
  });
});

describe('ammsim replay interrupted', () => {
  it('behavior: a previous run\'s OUT is removed before the replay starts, so Ctrl-C leaves none (status 130)', async () => {
    // enough swaps to run for a while; the signal is sent once the old OUT is gone
    const events = path.join(dir, 'long.jsonl');
    const lines = ['{"type":"initialize"}', '{"type":"mint","owner":"a","amount0":"1000000000000","amount1":"1000000000000"}'];
    for (let i = 0; i < 150_000; i++) lines.push(`{"type":"swap","zeroForOne":${i % 2 === 0},"amountIn":"1000"}`);
    writeFileSync(events, lines.join('\n') + '\n');
    const outFile = path.join(dir, 'long-out.jsonl');
    writeFileSync(outFile, 'stale output of an earlier run\n');
    const { sawRemoved, signal } = await interruptWhenRemoved(['replay', '--pool', 'v2', '--events', events, '--out', outFile], outFile);
    expect(sawRemoved, 'the previous OUT stayed while the replay ran').toBe(true);
    expect(signal).toBe('SIGINT');
    expect(existsSync(outFile)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});

describe('ammsim replay --help', () => {
  it('behavior: documents every flag, the default pool and an example', () => {
    // Spawned: yargs exits the process after printing help.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'replay', '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
    expect(r.status).toBe(0);
    for (const s of ['ammsim replay --pool KIND --events IN.jsonl [--out OUT.jsonl] [--check]', 'KIND: v3 (default), v2, v3-time, v3-staker, staking-rewards', '--pool', '[default: v3]', '--events', '--out', '--check', 'Examples:', '--pool v2 --events', '--pool staking-rewards --events', '--pool v3-staker --events']) {
      expect(r.stdout).toContain(s);
    }
  });
});
