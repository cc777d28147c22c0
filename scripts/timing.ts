/**
 * Phase timings for people tuning a run: with `AMMSIM_TIMING=1` in the environment, a command prints one
 * line to stderr at the end, e.g. `timing: load 150 ms [cpu 190, 4.1k faults] · run 133 ms [cpu 160, 2.0k faults]
 * · … (handler 426 ms, process 637 ms [cpu 870, 19.5k faults])`: each phase's wall time, then the process's CPU
 * time in it (all threads: V8's compiler and GC threads count) and the minor page faults it took (first touches
 * of new memory; on some virtual machines each costs several microseconds). Off by default; it never touches
 * stdout or the output files, so results stay byte-identical.
 */
export interface PhaseTimer {
  /** Ends the current phase under `label` (the first phase starts when the timer is made). */
  readonly mark: (label: string) => void;
  /** Prints the line (when enabled). */
  readonly report: () => void;
}

const OFF: PhaseTimer = { mark: () => {}, report: () => {} };

interface Reading {
  readonly wall: number;
  /** CPU ms of the whole process (user + system) since it started. */
  readonly cpu: number;
  readonly faults: number;
}

function read(): Reading {
  const r = process.resourceUsage();
  return { wall: performance.now(), cpu: (r.userCPUTime + r.systemCPUTime) / 1000, faults: r.minorPageFault };
}

const usage = (from: Reading, to: Reading): string =>
  `[cpu ${Math.round(to.cpu - from.cpu)}, ${((to.faults - from.faults) / 1000).toFixed(1)}k faults]`;

export function phaseTimer(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WritableStream = process.stderr): PhaseTimer {
  if (env.AMMSIM_TIMING === undefined || env.AMMSIM_TIMING === '' || env.AMMSIM_TIMING === '0') return OFF;
  const start = read();
  let last = start;
  const phases: string[] = [];
  return {
    mark(label) {
      const now = read();
      phases.push(`${label} ${Math.round(now.wall - last.wall)} ms ${usage(last, now)}`);
      last = now;
    },
    report() {
      const now = read();
      const zero: Reading = { wall: 0, cpu: 0, faults: 0 };
      stream.write(`timing: ${phases.join(' · ')} (handler ${Math.round(now.wall - start.wall)} ms, process ${Math.round(now.wall)} ms ${usage(zero, now)})\n`);
    },
  };
}
