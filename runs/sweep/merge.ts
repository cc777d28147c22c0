/**
 * `ammsim sweep merge`: joins the shards of one sweep (each written by `ammsim sweep --shard i/n`) into the rows
 * of the whole grid, after checking that they are of one grid (same hash), that every shard 0..n-1 is there
 * exactly once, and that each is complete. The result is what the unsharded sweep gives, row for row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InputError } from '../../sim/core/errors.ts';
import { Grid, gridHash, type Axis } from './grid.ts';
import { readJournal, type JournalRow } from './journal.ts';
import { inShard, JOURNAL_FILE, makeHeader, type SweepOutcome } from './sweep.ts';
import type { SweepReportSettings } from './outputs.ts';

interface ShardMeta {
  readonly gridHash: string;
  readonly grid: { readonly axes: Axis[]; readonly samples: number | null; readonly sampleSeed: number | null; readonly configurations: number };
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly metrics: readonly string[];
  readonly report: SweepReportSettings;
  readonly base: Record<string, unknown>;
  readonly data: Record<string, unknown>;
}

function readShardMeta(dir: string): ShardMeta {
  const file = join(dir, 'sweep.json');
  if (!existsSync(file)) {
    const partial = existsSync(join(dir, JOURNAL_FILE)) ? ' (it has a results journal: the shard did not finish; run it again to resume)' : '';
    throw new InputError(file, undefined, undefined, `is missing: ${dir} is not a finished sweep shard${partial}`);
  }
  let meta: ShardMeta;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as ShardMeta;
  } catch (err) {
    throw new InputError(file, undefined, undefined, `must be JSON; ${(err as Error).message}`);
  }
  if (typeof meta.gridHash !== 'string' || meta.grid === undefined) throw new InputError(file, undefined, undefined, 'is not the sweep.json of `ammsim sweep`');
  return meta;
}

export interface MergedSweep extends SweepOutcome {
  /** The report settings of the first shard. */
  readonly report: SweepReportSettings;
}

/** Reads and checks the shards in `dirs`; returns the rows of the whole grid in grid order. */
export function mergeShards(dirs: readonly string[]): MergedSweep {
  if (dirs.length === 0) throw new ConfigError('merge', 'give the shard folders to merge');
  const metas = dirs.map((d) => readShardMeta(d));
  const first = metas[0]!;
  metas.forEach((m, i) => {
    if (m.shard === null) throw new ConfigError('merge', `${dirs[i]} holds a whole sweep, not a shard (written without --shard)`);
    if (m.gridHash !== first.gridHash) {
      throw new ConfigError('merge', `${dirs[i]} is a shard of another sweep than ${dirs[0]} (grid hash ${m.gridHash.slice(0, 12)}… vs ${first.gridHash.slice(0, 12)}…: other axes, base config or series)`);
    }
    if (m.shard.count !== first.shard!.count) throw new ConfigError('merge', `${dirs[i]} is shard ${m.shard.index}/${m.shard.count} but ${dirs[0]} is shard ${first.shard!.index}/${first.shard!.count}: the shard counts differ`);
  });
  const count = first.shard!.count;
  const byIndex = new Map<number, string>();
  metas.forEach((m, i) => {
    const seen = byIndex.get(m.shard!.index);
    if (seen !== undefined) throw new ConfigError('merge', `shard ${m.shard!.index}/${count} is given twice: ${seen} and ${dirs[i]}`);
    byIndex.set(m.shard!.index, dirs[i]!);
  });
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw new ConfigError('merge', `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (got ${dirs.length} of ${count})`);

  const grid = new Grid(first.grid.axes, first.grid.samples ?? undefined, first.grid.sampleSeed ?? undefined);
  const hash = gridHash(grid, first.base, first.data);
  if (hash !== first.gridHash || grid.size !== first.grid.configurations) throw new InputError(join(dirs[0]!, 'sweep.json'), undefined, 'gridHash', 'does not match its grid, base config and data (was the file edited?)');

  const rows: JournalRow[] = [];
  metas.forEach((m, i) => {
    const file = join(dirs[i]!, JOURNAL_FILE);
    const j = readJournal(file);
    if (j === undefined) throw new InputError(file, undefined, undefined, 'is missing: the shard has no results');
    if (j.header.gridHash !== hash || JSON.stringify(j.header.shard) !== JSON.stringify(m.shard) || JSON.stringify(j.header.metrics) !== JSON.stringify(m.metrics)) {
      throw new InputError(file, 1, undefined, `belongs to another sweep or shard than ${join(dirs[i]!, 'sweep.json')}`);
    }
    let expected = 0;
    for (let k = 0; k < grid.size; k++) {
      if (!inShard(k, m.shard!)) continue;
      expected++;
      const r = j.rows.get(k);
      if (r !== undefined) rows.push(r);
    }
    if (j.rows.size !== expected) throw new ConfigError('merge', `shard ${m.shard!.index}/${count} in ${dirs[i]} is incomplete: ${j.rows.size} of ${expected} configurations (run it again to resume)`);
  });
  rows.sort((a, b) => a.k - b.k);
  return {
    grid,
    base: first.base,
    data: first.data,
    hash,
    header: makeHeader(hash, grid, undefined, first.metrics),
    rows,
    resumed: 0,
    failed: rows.filter((r) => r.error !== undefined).length,
    report: first.report,
  };
}
