import { ConfigError } from '../errors.ts';
import type { Replayer } from './types.ts';

// Placeholder so `ammsim replay --pool v3` compiles and fails cleanly; the v3 engineer replaces this file
// with the real exact-pool replayer (same Replayer interface).
export function createV3Replayer(): Replayer {
  throw new ConfigError('--pool', 'v3 replay is not yet supported');
}
