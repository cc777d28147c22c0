import { parseIsoUtcMs } from '../../../data/loaders/timestamps.ts';
import { secondsLookLikeMilliseconds } from '../../../data/loaders/window.ts';
import { ConfigError } from '../../core/errors.ts';

/**
 * A `--from`/`--to` time: ISO-8601 (no zone = UTC) or unix seconds. Returns unix seconds. A bare date is the
 * whole day, as in backtest's --from/--to (data/loaders/window.ts): `--to 2024-01-05` keeps that day's events.
 * A number past the year 5000 in seconds is refused as milliseconds, as there.
 */
export function parseTimestampArg(flag: string, v: string): number {
  if (/^\d+$/.test(v)) {
    const problem = secondsLookLikeMilliseconds(v);
    if (problem !== undefined) throw new ConfigError(flag, problem);
    return Number(v);
  }
  const ms = parseIsoUtcMs(v);
  if (!Number.isFinite(ms)) throw new ConfigError(flag, `must be an ISO-8601 time (2024-01-05 12:00, UTC when no zone) or unix seconds; was ${JSON.stringify(v)}`);
  const sec = Math.floor(ms / 1000);
  return flag === '--to' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? sec + 86_399 : sec;
}
