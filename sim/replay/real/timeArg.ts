import { parseIsoUtcMs } from '../../../data/loaders/timestamps.ts';
import { ConfigError } from '../../core/errors.ts';

/** A `--from`/`--to` time: ISO-8601 (no zone = UTC) or unix seconds. Returns unix seconds. */
export function parseTimestampArg(flag: string, v: string): number {
  if (/^\d+$/.test(v)) return Number(v);
  const ms = parseIsoUtcMs(v);
  if (!Number.isFinite(ms)) throw new ConfigError(flag, `must be an ISO-8601 time (2024-01-05 12:00, UTC when no zone) or unix seconds; was ${JSON.stringify(v)}`);
  return Math.floor(ms / 1000);
}
