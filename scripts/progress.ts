import { groupThousands } from '../sim/core/format.ts';

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI logs or
 * tests), at most ~10 times a second of work. Returns the callback and a `done` that clears the line.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, unit = 'steps', options: { rate?: boolean } = {}): { onProgress?: (done: number, total: number) => void; done: () => void } {
  if (!stream.isTTY) return { done: () => {} };
  let lastPct = -1;
  let start: { t: number; done: number } | undefined; // with `rate`: the first report, for units/s and the ETA
  const width = 30;
  return {
    onProgress(done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (pct === lastPct) return;
      lastPct = pct;
      const fill = Math.round((pct / 100) * width);
      let rate = '';
      if (options.rate === true) {
        start ??= { t: performance.now(), done };
        const perSec = (done - start.done) / ((performance.now() - start.t) / 1000);
        if (done > start.done && Number.isFinite(perSec) && perSec > 0) {
          const eta = Math.round((total - done) / perSec);
          rate = ` · ${perSec >= 100 ? perSec.toFixed(0) : perSec.toFixed(1)} ${unit}/s · ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, '0')}s`;
        }
      }
      stream.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${groupThousands(String(done))}/${groupThousands(String(total))} ${unit}${rate}${options.rate === true ? '\x1b[K' : ''}`);
    },
    done() {
      if (lastPct >= 0) stream.write('\r\x1b[2K');
    },
  };
}
