import type { BenchResult } from './run.ts';

/** Benchmarks of the v3 paths, added as those land. */
export async function extraBenches(_opts: { reps: number; want: (name: string) => boolean; log: (s: string) => void }): Promise<BenchResult[]> {
  return [];
}
