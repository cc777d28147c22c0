/**
 * Replays pool events (the vocabulary of ../shared/oracle/README.md) through an exact pool, one result per
 * event. `apply` never throws for a contract revert: it returns `{ revert, state }` like the contract would.
 * It throws InputError for a malformed event (`line` is the 1-based input line, for the message).
 */
export interface Replayer {
  apply(event: Readonly<Record<string, unknown>>, line: number): Record<string, unknown>;
}
