/**
 * The worker threads of a sweep, through piscina. The worker is `sweep-worker.js` beside the bundle chunk when
 * running from dist/ (scripts/build.mjs builds it as an entry point), or `worker.ts` under tsx's loader when
 * running from the sources (tsx, vitest).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { FinishedRow, WorkerData, WorkerTask } from './worker.ts';

export interface WorkerPool {
  run(task: WorkerTask): Promise<FinishedRow[]>;
  close(): Promise<void>;
}

/** The default worker count: the cores this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Where the worker module is and how a thread must be started to load it. */
export function workerEntry(here: string = import.meta.url): { filename: string; execArgv: string[] | undefined } {
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return { filename: new URL('./worker.ts', here).href, execArgv: ['--import', tsx] };
  }
  return { filename: new URL('./sweep-worker.js', here).href, execArgv: undefined };
}

export function createWorkerPool(workers: number, data: WorkerData): WorkerPool {
  const { filename, execArgv } = workerEntry();
  const pool = new Piscina({
    filename,
    ...(execArgv === undefined ? {} : { execArgv }),
    workerData: data,
    minThreads: workers,
    maxThreads: workers,
    // a task queued behind a busy worker is fine; the sweep keeps only a few tasks per worker in flight
    maxQueue: 'auto',
    idleTimeout: 60_000,
  });
  return {
    run: (task) => pool.run(task) as Promise<FinishedRow[]>,
    close: () => pool.destroy(),
  };
}
