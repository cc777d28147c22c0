/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI logs or
 * tests), at most ~10 times a second of work. Returns the callback and a `done` that clears the line.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, unit = 'steps'): { onProgress?: (done: number, total: number) => void; done: () => void } {
  if (!stream.isTTY) return { done: () => {} };
  let lastPct = -1;
  const width = 30;
  return {
    onProgress(done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (pct === lastPct) return;
      lastPct = pct;
      const fill = Math.round((pct / 100) * width);
      stream.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}`);
    },
    done() {
      if (lastPct >= 0) stream.write('\r\x1b[2K');
    },
  };
}
