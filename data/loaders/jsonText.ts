/**
 * Helpers for the JSON input files (freqtrade candles, the ETH.STORE APR file, sweep grids, incentive programs):
 * `JSON.parse` says what is wrong but, for most errors, not where, and it silently keeps the last of two equal
 * keys. {@link scanJson} walks the text once to give both: the offset of the first syntax error and the keys of
 * the top-level object with their lines.
 */
import { findNodeAtLocation, parseTree, visit } from 'jsonc-parser';
import { InputError, RowInputError } from '../../sim/core/errors.ts';

/** The text without a leading UTF-8 byte-order mark (RFC 8259 §8.1 lets a parser ignore one; JSON.parse does not). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The 1-based line of `offset` in `text` (LF, CRLF or CR line ends). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

export interface JsonScan {
  /** Offset of the first syntax error, or undefined when the text is valid JSON. */
  readonly errorAt: number | undefined;
  /** The keys of the top-level object in order (repeats included), each with its 1-based line; empty otherwise. */
  readonly keys: ReadonlyArray<{ readonly key: string; readonly line: number }>;
}

/**
 * Validates JSON text by its grammar (RFC 8259: no comments, no trailing commas) without building values, through
 * jsonc-parser's scanner (the one VS Code uses); see {@link JsonScan}.
 */
export function scanJson(text: string): JsonScan {
  let errorAt: number | undefined;
  let depth = 0;
  const keys: Array<{ key: string; line: number }> = [];
  const fail = (offset: number): void => {
    errorAt ??= offset;
  };
  visit(
    text,
    {
      onObjectBegin: () => void depth++,
      onObjectEnd: () => void depth--,
      onArrayBegin: () => void depth++,
      onArrayEnd: () => void depth--,
      onObjectProperty: (key, _offset, _length, startLine) => {
        if (depth === 1 && errorAt === undefined) keys.push({ key, line: startLine + 1 });
      },
      onError: (_code, offset) => fail(offset),
      onComment: (offset) => fail(offset),
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  return { errorAt, keys };
}

/** The 1-based line of the first syntax error of `text`; undefined when it has none. */
export function jsonErrorLine(text: string): number | undefined {
  const at = scanJson(text).errorAt;
  return at === undefined ? undefined : lineAt(text, at);
}

/** The first key of the top-level object that appears twice: its later line, and the line it first appeared on. */
export function repeatedTopLevelKey(text: string): { key: string; line: number; firstLine: number } | undefined {
  const seen = new Map<string, number>();
  for (const { key, line } of scanJson(text).keys) {
    const first = seen.get(key);
    if (first !== undefined) return { key, line, firstLine: first };
    seen.set(key, line);
  }
  return undefined;
}

/** The line of each key of the top-level object (its first occurrence), for errors about a field's value. */
export function topLevelKeyLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  for (const { key, line } of scanJson(text).keys) if (!lines.has(key)) lines.set(key, line);
  return lines;
}

/**
 * The 1-based line of the value a field path names in JSON text (`positions[2].upper`, `positions[0]`, `positions`):
 * the line of its key for an object member, of its first character for an array element. A path that is not in the
 * text (a key that is missing) falls back to the nearest enclosing value (`positions[2]` for a missing
 * `positions[2].upper`); undefined when the text is not JSON or the path is not a field path.
 */
export function jsonFieldLine(text: string, field: string): number | undefined {
  if (!/^[^.[\]]+(?:\.[^.[\]]+|\[\d+\])*$/.test(field)) return undefined;
  const path: Array<string | number> = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(m[2] === undefined ? m[1]! : Number(m[2]));
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  if (root === undefined) return undefined;
  for (let n = path.length; n > 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node !== undefined) return lineAt(text, node.parent?.type === 'property' ? node.parent.offset : node.offset);
  }
  return undefined;
}

/**
 * `err` with the line of its field in the JSON `text` it was raised about ({@link jsonFieldLine}), when it is an
 * InputError naming a field but no line (a validator of parsed JSON knows the path, not the line); else `err` itself.
 * For the error's path only: the text is parsed again for its positions.
 */
export function withJsonFieldLine(err: unknown, text: string): unknown {
  if (!(err instanceof InputError) || err instanceof RowInputError || err.line !== undefined || err.field === undefined) return err;
  const line = jsonFieldLine(text, err.field);
  return line === undefined ? err : new InputError(err.file, line, err.field, err.problem, err.cause === undefined ? {} : { cause: err.cause });
}
