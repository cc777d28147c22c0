/**
 * The README's command examples are real: every `$ npm run -s ammsim -- …` (and `$ npm start`) line in its plain code
 * blocks is run, and what it prints, stdout and stderr in the order written, must equal the lines under it. The
 * files the examples name come from the README itself where it shows them (uni.json, uni-farm.json, my-jit.mjs),
 * else as its text describes them (bad.csv, bad.jsonl). Commands run in a temporary folder beside a link to
 * ../shared, so `../shared/…` paths resolve and `out/…` lands in the temporary folder; examples that read ../shared
 * are skipped with a message where it is absent.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const CLI = join(ROOT, 'scripts', 'ammsim.mjs');
const SHARED = resolve(ROOT, '..', 'shared');
const haveShared = existsSync(SHARED);
if (!haveShared) console.warn(`skipping the README examples that read ../shared: ${SHARED} is absent`);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: { start: string } };

export interface Example {
  /** README line of the command. */
  readonly line: number;
  /** The command as a user types it (continuation lines joined). */
  readonly command: string;
  /** Shell variables set by earlier `$ X=…` lines of the block. */
  readonly env: Readonly<Record<string, string>>;
  readonly expected: string;
}

/** The `$ …` commands of the README's plain (untagged) code blocks, with the lines printed under each. */
export function readmeExamples(text: string): Example[] {
  const lines = text.split('\n');
  const out: Example[] = [];
  let inBlock = false;
  let plain = false;
  let env: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('```')) {
      inBlock = !inBlock;
      plain = inBlock && l === '```';
      env = {};
      continue;
    }
    if (!inBlock || !plain || !l.startsWith('$ ')) continue;
    const assign = /^\$ ([A-Z_]+)=(\S+)$/.exec(l);
    if (assign !== null) {
      env = { ...env, [assign[1]!]: assign[2]! };
      continue;
    }
    let command = l.slice(2);
    const line = i + 1;
    while (command.endsWith('\\')) command = `${command.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
    const expected: string[] = [];
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('$ ') && !lines[i + 1]!.startsWith('```')) expected.push(lines[++i]!);
    if (command.startsWith('npm run -s ammsim -- ') || command === 'npm start') out.push({ line, command, env, expected: expected.join('\n').trimEnd() });
  }
  return out;
}

/** The first code block of `lang` after `marker` in the README. */
function blockAfter(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README: "${marker}" not found`);
  const open = README.indexOf('```' + lang + '\n', at);
  const close = README.indexOf('\n```', open + 4 + lang.length);
  return README.slice(open + 4 + lang.length, close + 1);
}

const examples = readmeExamples(README);
const tmp = mkdtempSync(join(tmpdir(), 'ammsim-readme-'));
const work = join(tmp, 'work');
mkdirSync(work);
if (haveShared) symlinkSync(SHARED, join(tmp, 'shared'));
writeFileSync(join(work, 'uni.json'), blockAfter('`--incentive FILE.json` (repeatable;', 'json'));
writeFileSync(join(work, 'uni-farm.json'), blockAfter('Save the program as `uni-farm.json`', 'json'));
writeFileSync(join(work, 'my-jit.mjs'), blockAfter('of the fee-models section is:', 'js'));
// "bad.csv:3: price: … "abc"": a price file whose second data row has a word for a price
writeFileSync(join(work, 'bad.csv'), 'timestamp,price\n2024-01-01T00:00:00Z,2000\n2024-01-01T01:00:00Z,abc\n');
// "With line 3's `reserve0` changed to 272647 and line 5's `kLast` to 1" (of the v2 oracle case the block before checks)
const FEEOFF = join(SHARED, 'oracle', 'v2', '00-feeoff.jsonl');
if (existsSync(FEEOFF)) {
  const cases = readFileSync(FEEOFF, 'utf8').split('\n');
  cases[2] = cases[2]!.replace(/"reserve0":"\d+"/, '"reserve0":"272647"');
  cases[4] = cases[4]!.replace(/"kLast":"\d+"/, '"kLast":"1"');
  writeFileSync(join(work, 'bad.jsonl'), cases.join('\n'));
}

/**
 * Whether `printed` is what `expected` shows: line for line, where a README line that starts with `…` stands for
 * any number of lines (the README shortens long listings that way).
 */
export function matchesShown(printed: string, expected: string): boolean {
  const escape = (l: string): string => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = expected
    .split('\n')
    .map((l) => (l.trimStart().startsWith('…') ? '(?:[^\\n]*\\n)*?' : `${escape(l)}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(`${printed}\n`);
}

/** Runs a command line as a shell would in `work`, stdout and stderr into one stream (the order a terminal shows). */
function run(command: string, env: Readonly<Record<string, string>>): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', `${command} 2>&1`], { cwd: work, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (text += s));
    child.on('error', fail);
    child.on('close', () => done(text.trimEnd()));
  });
}

describe('the README examples print what the README shows', () => {
  it('behavior: finds the examples (a command per code block line, continuations joined)', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
    expect(examples.map((e) => e.command.split(' ').slice(0, 7).join(' '))).toContain('npm run -s ammsim -- backtest --prices');
    expect(readmeExamples('```\n$ X=1\n$ npm run -s ammsim -- a \\\n    b\nout 1\n\n$ npm start\n```\n```sh\n$ npm run -s ammsim -- no\n```')).toEqual([
      { line: 3, command: 'npm run -s ammsim -- a b', env: { X: '1' }, expected: 'out 1' },
      { line: 7, command: 'npm start', env: { X: '1' }, expected: '' },
    ]);
    expect(matchesShown('a\nb\nc\nd', 'a\n…\nd')).toBe(true);
    expect(matchesShown('a\nd', 'a\n…   (a note)\nd')).toBe(true);
    expect(matchesShown('a\nb (x)\nd', 'a\nb (y)\nd')).toBe(false);
    expect(matchesShown('a\nb', 'a')).toBe(false);
  });

  it.concurrent.for(examples.map((e) => [`line ${e.line}: ${e.command.slice(0, 110)}`, e] as const))('behavior: %s', async ([, e], ctx) => {
    const needsShared = /\.\.\/shared|\$D\b|bad\.jsonl/.test(e.command) || Object.values(e.env).some((v) => v.includes('../shared'));
    if (needsShared && !haveShared) {
      ctx.skip();
      return;
    }
    if (e.command === 'npm start') {
      // npm's own two lines name the package and its start script; the rest is that script's output
      const banner = `\n> ammsim@${pkg.version} start\n> ${pkg.scripts.start}\n\n`;
      expect(e.expected.startsWith(banner), `README line ${e.line}: npm's banner for ${pkg.scripts.start}`).toBe(true);
      const printed = await run(pkg.scripts.start.replace(/^node scripts\/ammsim\.mjs /, `node ${JSON.stringify(CLI)} `), e.env);
      if (!matchesShown(printed, e.expected.slice(banner.length))) expect(printed, `README line ${e.line}`).toBe(e.expected.slice(banner.length));
      return;
    }
    const printed = await run(e.command.replace(/^npm run -s ammsim -- /, `node ${JSON.stringify(CLI)} `), e.env);
    if (!matchesShown(printed, e.expected)) expect(printed, `README line ${e.line}: ${e.command}`).toBe(e.expected);
  });
});
