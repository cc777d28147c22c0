/**
 * Phase timings for people tuning a run: with `AMMSIM_TIMING=1` in the environment, a command prints one
 * line to stderr at the end, e.g. `timing: load 281 ms · run 143 ms · arrow 6 ms · report 88 ms · write 31 ms
 * (handler 549 ms, process 655 ms)`. Off by default; it never touches stdout or the output files, so results
 * stay byte-identical.
 */
export interface PhaseTimer {
  /** Ends the current phase under `label` (the first phase starts when the timer is made). */
  readonly mark: (label: string) => void;
  /** Prints the line (when enabled). */
  readonly report: () => void;
}

const OFF: PhaseTimer = { mark: () => {}, report: () => {} };

export function phaseTimer(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WritableStream = process.stderr): PhaseTimer {
  if (env.AMMSIM_TIMING === undefined || env.AMMSIM_TIMING === '' || env.AMMSIM_TIMING === '0') return OFF;
  const start = performance.now();
  let last = start;
  const phases: string[] = [];
  return {
    mark(label) {
      const now = performance.now();
      phases.push(`${label} ${Math.round(now - last)} ms`);
      last = now;
    },
    report() {
      const now = performance.now();
      stream.write(`timing: ${phases.join(' · ')} (handler ${Math.round(now - start)} ms, process ${Math.round(now)} ms)\n`);
    },
  };
}
