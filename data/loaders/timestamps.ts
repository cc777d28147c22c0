/**
 * Timestamp and number parsing shared by the price loaders. Pure functions, no Date parsing heuristics:
 * V8's `Date.parse('2024-01-01 00:00')` reads local time, so text dates are parsed here by hand.
 */
import { daysInMonth } from '../../sim/core/time.ts';

/** Unix time units a numeric timestamp column can hold. */
export type UnixUnit = 's' | 'ms';

/**
 * Values below this magnitude are unix seconds, values from it up to {@link UNIX_MS_LIMIT} are unix
 * milliseconds. 1e11 s is the year 5138; 1e11 ms is 1973-03-03T09:46:40Z. So seconds are read correctly
 * for any date up to 5138, and milliseconds for any date from 1973-03-03 on.
 */
export const UNIX_SECONDS_LIMIT = 1e11;
/** Values at or above this (1e14 ms is the year 5138) look like micro- or nanoseconds and are refused. */
export const UNIX_MS_LIMIT = 1e14;

/** The unit of a numeric unix timestamp by the magnitude rule above; undefined when out of range. */
export function unixUnitOf(v: number): UnixUnit | undefined {
  const a = Math.abs(v);
  if (a < UNIX_SECONDS_LIMIT) return 's';
  if (a < UNIX_MS_LIMIT) return 'ms';
  return undefined;
}

/** Unix time in `unit` to integer unix milliseconds (rounded to the nearest ms). */
export function unixToMs(v: number, unit: UnixUnit): number {
  return unit === 's' ? Math.round(v * 1000) : Math.round(v);
}

/**
 * Parses a plain decimal number (`12`, `-1.5`, `.5`, `1e-3`, `1.`): NaN for anything else, including
 * the empty string, surrounding spaces, `Infinity`, `NaN` and hex/binary/octal forms that `Number()` accepts.
 */
export function parseDecimal(s: string): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  // first: digit, '+', '-', '.'; last: digit or '.'
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return Number.NaN;
  if (!((last >= 48 && last <= 57) || last === 46)) return Number.NaN;
  if (n > 1 && first === 48) {
    const second = s.charCodeAt(1) | 0x20; // lower-case
    if (second === 120 || second === 98 || second === 111) return Number.NaN; // 0x 0b 0o
  }
  return Number(s);
}

/** Reads `len` ASCII digits at `at`; -1 if any is not a digit or the string is too short. */
function digits(s: string, at: number, len: number): number {
  if (at + len > s.length) return -1;
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses an ISO-8601-style UTC date-time to unix milliseconds; NaN when the text is not one.
 * Accepted: `YYYY-MM-DD`, then optionally `T` or a space and `HH:MM`, optionally `:SS`, optionally a
 * fraction `.f…` (1–9 digits, truncated to the millisecond), then optionally a zone: `Z`, `+HH`, `+HH:MM`,
 * `+HHMM` (or `-`), or `UTC`, optionally after one space. **No zone means UTC.** Field ranges are checked
 * (month 1–12, the month's days, hour 0–23, minute and second 0–59), so `2023-02-29` is refused.
 */
export function parseIsoUtcMs(s: string): number {
  const n = s.length;
  const y = digits(s, 0, 4);
  if (y < 1000 || s.charCodeAt(4) !== 45) return Number.NaN;
  const mo = digits(s, 5, 2);
  if (mo < 1 || mo > 12 || s.charCodeAt(7) !== 45) return Number.NaN;
  const d = digits(s, 8, 2);
  const dim = daysInMonth(y, mo);
  if (d < 1 || d > dim) return Number.NaN;
  let hh = 0;
  let mm = 0;
  let ss = 0;
  let ms = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep === 84 || sep === 116 || sep === 32) {
      // 'T', 't', ' ' followed by a time; a space followed by a zone (e.g. "2024-01-01 UTC") is handled below
      const h = digits(s, i + 1, 2);
      if (h >= 0 && s.charCodeAt(i + 3) === 58) {
        hh = h;
        mm = digits(s, i + 4, 2);
        if (hh > 23 || mm < 0 || mm > 59) return Number.NaN;
        i += 6;
        if (i < n && s.charCodeAt(i) === 58) {
          ss = digits(s, i + 1, 2);
          if (ss < 0 || ss > 59) return Number.NaN;
          i += 3;
          if (i < n && s.charCodeAt(i) === 46) {
            let j = i + 1;
            let scale = 100;
            while (j < n) {
              const c = s.charCodeAt(j) - 48;
              if (c < 0 || c > 9) break;
              ms += c * scale;
              scale /= 10;
              j++;
            }
            if (j === i + 1 || j - i - 1 > 9) return Number.NaN;
            ms = Math.floor(ms);
            i = j;
          }
        }
      } else if (sep !== 32) {
        return Number.NaN;
      }
    } else if (!(sep === 90 || sep === 122 || sep === 43 || sep === 45)) {
      return Number.NaN;
    }
  }
  let offsetMin = 0;
  if (i < n) {
    if (s.charCodeAt(i) === 32) i++;
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === n) {
      // Z
    } else if (s.slice(i) === 'UTC') {
      // UTC
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      if (oh < 0 || oh > 23) return Number.NaN;
      let om = 0;
      let j = i + 3;
      if (j < n && s.charCodeAt(j) === 58) j++;
      if (j < n) {
        om = digits(s, j, 2);
        if (om < 0 || om > 59 || j + 2 !== n) return Number.NaN;
      } else if (j !== n) {
        return Number.NaN;
      }
      offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return Number.NaN;
    }
  }
  return daysFromCivil(y, mo, d) * 86_400_000 + hh * 3_600_000 + mm * 60_000 + ss * 1000 + ms - offsetMin * 60_000;
}

/** {@link isoBytesToMs}'s answer for text it leaves to {@link parseIsoUtcMs}. */
export const ISO_DECLINED = Number.NEGATIVE_INFINITY;

/** `len` ASCII digits of `b` at `at` as a number; -1 if any is not a digit. */
function byteDigits(b: Uint8Array, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * {@link parseIsoUtcMs} of the ASCII text in `b[start, end)`, read from the bytes, for the shapes data files use:
 * `YYYY-MM-DD` then `T`, `t` or a space, `HH:MM`, optionally `:SS` and a fraction of 1–9 digits, optionally `Z`
 * (or `z`). Any other text, or one of these that is not a valid date-time, is {@link ISO_DECLINED}: the caller
 * asks parseIsoUtcMs, whose answer (a time or NaN) is the rule. Where it answers, the answer is parseIsoUtcMs's,
 * by the same arithmetic.
 */
export function isoBytesToMs(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n < 16 || b[start + 4] !== 45 || b[start + 7] !== 45 || b[start + 13] !== 58) return ISO_DECLINED;
  const sep = b[start + 10];
  if (sep !== 84 && sep !== 116 && sep !== 32) return ISO_DECLINED;
  const y = byteDigits(b, start, 4);
  const mo = byteDigits(b, start + 5, 2);
  const d = byteDigits(b, start + 8, 2);
  const hh = byteDigits(b, start + 11, 2);
  const mm = byteDigits(b, start + 14, 2);
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || hh < 0 || hh > 23 || mm < 0 || mm > 59) return ISO_DECLINED;
  if (d > daysInMonth(y, mo)) return ISO_DECLINED;
  let i = start + 16;
  let ss = 0;
  let ms = 0;
  if (i < end && b[i] === 58) {
    if (i + 3 > end) return ISO_DECLINED;
    ss = byteDigits(b, i + 1, 2);
    if (ss < 0 || ss > 59) return ISO_DECLINED;
    i += 3;
    if (i < end && b[i] === 46) {
      let j = i + 1;
      let scale = 100;
      while (j < end) {
        const c = b[j]! - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        j++;
      }
      if (j === i + 1 || j - i - 1 > 9) return ISO_DECLINED;
      ms = Math.floor(ms);
      i = j;
    }
  }
  if (i < end && (b[i] === 90 || b[i] === 122)) i++;
  if (i !== end) return ISO_DECLINED;
  return daysFromCivil(y, mo, d) * 86_400_000 + hh * 3_600_000 + mm * 60_000 + ss * 1000 + ms - 0;
}

/**
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1–12), by integer arithmetic (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil): the same as Date.UTC(y, m − 1, d) / 86 400 000
 * for the years 1000–9999 read here, several times faster.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400; // 0..399
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1; // 0..365, from March 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // 0..146096
  return era * 146_097 + doe - 719_468;
}

/** `2024-01-01T00:00:00.000Z` for messages; falls back to the number when out of Date's range. */
export function isoForMessage(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** A raw field for an error message: JSON-quoted, cut to 60 characters. */
export function quoteForMessage(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
