import { PoolError } from './errors.ts';

/**
 * Test helper: the contract revert reason `fn` throws (a PoolError's `reason`, '' for a bare require), or
 * undefined when it does not revert. Any other error is re-thrown.
 */
export function revertReason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof PoolError) return err.reason;
    throw err;
  }
  return undefined;
}
