/**
 * JSONL input for `ammsim replay`: a streaming reader (1-based line numbers, blank lines skipped), the
 * comparison of a replay result with a case line's `expect`, and the driver that runs a file through a
 * {@link Replayer}. Input lines are either a bare event object or a case line `{"event": {...}, "expect": {...}}`.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AmmsimError, InputError } from '../core/errors.ts';
import type { Replayer } from './types.ts';

/** Defaults of `ammsim replay` (flags override). */
export const REPLAY_DEFAULTS = {
  /** Pool kind when `--pool` is not given. */
  pool: 'v3',
} as const;

/** One non-blank input line. */
export interface JsonlCase {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly event: Readonly<Record<string, unknown>>;
  /** Present on case lines `{event, expect}`. */
  readonly expect?: Readonly<Record<string, unknown>>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJson(v: unknown): string {
  if (v === undefined) return 'missing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Parses one line. Returns undefined for a blank line. Throws InputError(file, line, 'event', …) for
 * malformed JSON, a non-object, or a case line whose `event`/`expect` is not an object.
 */
export function parseJsonlLine(text: string, file: string, line: number): JsonlCase | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError(file, line, 'event', `not valid JSON (${why})`, { cause: err });
  }
  if (!isPlainObject(value)) throw new InputError(file, line, 'event', `each line must be a JSON object (an event, or {"event": …, "expect": …}); was ${describeJson(value)}`);
  if (!('event' in value)) return { line, event: value };
  // a case line is {event, expect} and nothing else: a stray key (a misplaced field, a typo of "expect") is refused,
  // as unknown keys inside an event are, rather than silently ignored
  for (const key in value) {
    if (key !== 'event' && key !== 'expect') throw new InputError(file, line, key, `unknown key; a case line has "event" and "expect"; was ${describeJson(value[key])}`);
  }
  const event = value['event'];
  if (!isPlainObject(event)) throw new InputError(file, line, 'event', `must be an object with a "type"; was ${describeJson(event)}`);
  const expect = value['expect'];
  if (expect === undefined) return { line, event };
  if (!isPlainObject(expect)) throw new InputError(file, line, 'expect', `must be an object; was ${describeJson(expect)}`);
  return { line, event, expect };
}

/**
 * Streams the cases of a JSONL file in order, without loading it whole. `file` names it in errors
 * (default: the path). A UTF-8 byte-order mark is ignored; `\r\n` line ends are accepted.
 */
export async function* readJsonlCases(path: string, file: string = path, onLine?: (lineNo: number) => void): AsyncGenerator<JsonlCase> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      onLine?.(lineNo);
      const text = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const c = parseJsonlLine(text, file, lineNo);
      if (c !== undefined) yield c;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Where a result first differs from the expectation. `path` is a dotted key path (`state.reserve0`). */
export interface ValueMismatch {
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** A mismatch on an input line. */
export interface Mismatch extends ValueMismatch {
  readonly line: number;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/**
 * The first difference between `expected` and `actual` (JSON values), depth first in `expected`'s key
 * order, then keys only `actual` has (sorted). Key sets must match exactly; strings compare exactly.
 * Returns undefined when they are equal.
 */
export function firstMismatch(expected: unknown, actual: unknown, path = ''): ValueMismatch | undefined {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    for (const key of Object.keys(expected)) {
      const sub = joinPath(path, key);
      if (!(key in actual)) return { path: sub, expected: expected[key], actual: undefined };
      const m = firstMismatch(expected[key], actual[key], sub);
      if (m) return m;
    }
    for (const key of Object.keys(actual).sort()) {
      if (!(key in expected)) return { path: joinPath(path, key), expected: undefined, actual: actual[key] };
    }
    return undefined;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const m = firstMismatch(expected[i], actual[i], joinPath(path, i));
      if (m) return m;
    }
    return undefined;
  }
  if (expected === actual) return undefined;
  return { path: path === '' ? '(result)' : path, expected, actual };
}

/** `expected "1"; replay gave "2"` (with `no such key` for an absent side). */
export function describeMismatch(m: ValueMismatch): string {
  const exp = m.expected === undefined ? 'no such key' : describeJson(m.expected);
  const act = m.actual === undefined ? 'no such key' : describeJson(m.actual);
  return `expected ${exp}; replay gave ${act}`;
}

/** `--check` found a result that differs from a case line's `expect`. */
export class ReplayMismatchError extends AmmsimError {
  readonly file: string;
  readonly mismatch: Mismatch;
  constructor(file: string, mismatch: Mismatch, details: readonly string[] = []) {
    super('MISMATCH', `${file}:${mismatch.line}: ${mismatch.path}: ${describeMismatch(mismatch)}`, { details });
    this.name = 'ReplayMismatchError';
    this.file = file;
    this.mismatch = mismatch;
  }
}

export interface ReplayJsonlOptions {
  /** Name for messages (default: the path). */
  readonly file?: string;
  /** Called with each result, serialised as one JSON line (no newline), in input order. */
  readonly onResult?: (json: string, line: number) => void;
}

export interface ReplayJsonlSummary {
  /** Non-blank input lines replayed. */
  readonly events: number;
  /** Case lines (with `expect`) among them. */
  readonly cases: number;
  /** Case lines whose result differs from `expect`. */
  readonly mismatches: number;
  /** The first of them, if any. */
  readonly firstMismatch: Mismatch | undefined;
}

/**
 * Replays every line of `path` through `replayer`, in order, comparing each result with the line's
 * `expect` when there is one. Malformed lines throw InputError naming `file` and the line; a replayer's
 * InputError is re-labelled with this file's name.
 */
export async function replayJsonl(replayer: Replayer, path: string, options: ReplayJsonlOptions = {}): Promise<ReplayJsonlSummary> {
  const file = options.file ?? path;
  let events = 0;
  let cases = 0;
  let mismatches = 0;
  let first: Mismatch | undefined;
  let lines = 0;
  for await (const c of readJsonlCases(path, file, (n) => (lines = n))) {
    events++;
    let result: Record<string, unknown>;
    try {
      result = replayer.apply(c.event, c.line);
    } catch (err) {
      if (err instanceof InputError && err.file !== file) {
        throw new InputError(file, err.line ?? c.line, err.field, err.problem, { cause: err });
      }
      throw err;
    }
    options.onResult?.(JSON.stringify(result), c.line);
    if (c.expect !== undefined) {
      cases++;
      const m = firstMismatch(c.expect, result);
      if (m) {
        mismatches++;
        first ??= { line: c.line, ...m };
      }
    }
  }
  // an empty file is no replay (nothing ran, nothing compared): refused like an events CSV without rows
  const blank = lines;
  if (events === 0) throw new InputError(file, undefined, undefined, `must hold at least one event line; was ${blank === 0 ? 'empty' : `${blank} blank line${blank === 1 ? '' : 's'}`}`);
  return { events, cases, mismatches, firstMismatch: first };
}
