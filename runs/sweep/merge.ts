/**
 * `ammsim sweep merge`: joins the shards of one sweep (each written by `ammsim sweep --shard i/n`) into the rows
 * of the whole grid, after checking that they are of one grid (same hash), that every shard 0..n-1 is there
 * exactly once, and that each is complete. The result is what the unsharded sweep gives, row for row.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { AmmsimError, ConfigError, InputError } from '../../sim/core/errors.ts';
import { refuseOtherCommandsFolder } from '../../data/io/atomicWrite.ts';
import { Grid, type Axis } from './grid.ts';
import { readJournal, type JournalRow } from './journal.ts';
import { inShard, JOURNAL_FILE, makeHeader, sweepHash, type SweepOutcome } from './sweep.ts';
import type { SweepReportSettings } from './outputs.ts';

interface ShardMeta {
  readonly gridHash: string;
  readonly grid: { readonly axes: Axis[]; readonly samples: number | null; readonly sampleSeed: number | null; readonly configurations: number };
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly metrics: readonly string[];
  readonly report: SweepReportSettings;
  readonly base: Record<string, unknown>;
  readonly data: Record<string, unknown>;
  /** Absent when the sweep names no input file besides its series (see SweepIdentity.inputFiles). */
  readonly inputFiles?: unknown;
  /** `true`, or absent when the base has not the mark (see SweepIdentity.noiseSizeGiven). */
  readonly noiseSizeGiven?: unknown;
}

/** sweep.json's `inputFiles` ([{path, sha256}]) as the [path, sha256] pairs of the hash; refuses another shape. */
function inputFilesOf(meta: ShardMeta, file: string): Array<[string, string]> {
  if (meta.inputFiles === undefined) return [];
  const list = meta.inputFiles;
  if (!Array.isArray(list) || !list.every((f: unknown) => typeof f === 'object' && f !== null && typeof (f as { path?: unknown }).path === 'string' && typeof (f as { sha256?: unknown }).sha256 === 'string')) {
    throw new InputError(file, undefined, 'inputFiles', 'must be a list of {"path", "sha256"} (was the file edited?)');
  }
  return (list as Array<{ path: string; sha256: string }>).map((f) => [f.path, f.sha256]);
}

/** sweep.json's `noiseSizeGiven` (true, or absent); refuses another value. */
function noiseSizeGivenOf(meta: ShardMeta, file: string): boolean {
  if (meta.noiseSizeGiven === undefined) return false;
  if (meta.noiseSizeGiven !== true) throw new InputError(file, undefined, 'noiseSizeGiven', `must be true when present; was ${JSON.stringify(meta.noiseSizeGiven)} (was the file edited?)`);
  return true;
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
  const firstFile = join(dirs[0]!, 'sweep.json');
  // the hash covers the digests of the input files the config names (a gas series, a strategy module…), which
  // sweep.json records: the merge checks them as recorded (the files need not be on this machine)
  const inputFiles = inputFilesOf(first, firstFile);
  const noiseSizeGiven = noiseSizeGivenOf(first, firstFile);
  const hash = sweepHash(grid, first.base, first.data, { inputFiles, noiseSizeGiven });
  if (hash !== first.gridHash || grid.size !== first.grid.configurations) throw new InputError(firstFile, undefined, 'gridHash', 'does not match its grid, base config, data and input files (was the file edited? running its shard\'s command again rewrites it)');

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
    ...(inputFiles.length === 0 ? {} : { inputFiles }),
    ...(noiseSizeGiven ? { noiseSizeGiven: true as const } : {}),
    hash,
    header: makeHeader(hash, grid, undefined, first.metrics),
    rows,
    resumed: 0,
    failed: rows.filter((r) => r.error !== undefined).length,
    report: first.report,
  };
}

/** A folder's real path (symlinks and `..` resolved), or undefined when it does not exist. */
function realDir(dir: string): string | undefined {
  try {
    return realpathSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a merge's `--out` that would destroy results (as `sweep` refuses a folder of another grid): one of the
 * shard folders being merged (`dirs`), a shard folder of any sharding, or a folder holding another sweep, finished
 * (sweep.json) or in progress (results.jsonl), than the one of grid hash `hash`. A folder holding this very sweep,
 * whole (an earlier merge, or the unsharded run), is fine: the merge writes the same rows. A folder of a backtest's or a
 * comparison's outputs (summary.json) is refused too: the sweep's files would be mixed with them.
 */
export function checkMergeOut(out: string, dirs: readonly string[], hash: string): void {
  const real = realDir(out);
  if (real === undefined) return;
  refuseOtherCommandsFolder(out, 'sweep');
  const merged = dirs.findIndex((d) => realDir(d) === real);
  const refuse = (what: string): never => {
    throw new ConfigError('--out', `${out} ${what}`);
  };
  if (merged >= 0) {
    const s = readShardMeta(dirs[merged]!).shard!; // mergeShards took it as a shard
    refuse(`is the folder of shard ${s.index}/${s.count} given to merge: merging into it would replace that shard's results; use another --out`);
  }
  const holding = (file: string, h: { gridHash: string; shard: { index: number; count: number } | null }, state: string): void => {
    if (h.gridHash !== hash) refuse(`holds another sweep (${file}: grid hash ${h.gridHash.slice(0, 12)}…; this merge's ${hash.slice(0, 12)}…)${state}: use another --out`);
    if (h.shard !== null) refuse(`holds shard ${h.shard.index}/${h.shard.count} of this sweep (${file}): merging into it would replace that shard's results; use another --out`);
  };
  const json = join(out, 'sweep.json');
  if (existsSync(json)) {
    let meta: { gridHash?: unknown; shard?: unknown };
    try {
      meta = JSON.parse(readFileSync(json, 'utf8')) as typeof meta;
    } catch {
      meta = {};
    }
    const shard = meta?.shard;
    const shardOk = shard === null || (typeof shard === 'object' && shard !== undefined && typeof (shard as { index?: unknown }).index === 'number' && typeof (shard as { count?: unknown }).count === 'number');
    if (typeof meta?.gridHash !== 'string' || !shardOk) refuse(`holds a sweep.json that is not the one of a sweep (${json}): use another --out`);
    holding(json, meta as { gridHash: string; shard: { index: number; count: number } | null }, '');
  }
  const journalFile = join(out, JOURNAL_FILE);
  let journal: ReturnType<typeof readJournal>;
  try {
    journal = readJournal(journalFile);
  } catch (err) {
    if (!(err instanceof AmmsimError)) throw err;
    refuse(`holds a ${JOURNAL_FILE} that is not a readable sweep results journal (${(err as Error).message}): use another --out`);
  }
  if (journal !== undefined) holding(journalFile, journal.header, ', finished or in progress');
}
