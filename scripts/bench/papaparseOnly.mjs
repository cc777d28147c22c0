// The bench's reference (scripts/bench/cli.ts): papaparse alone stream-parsing a CSV file in a fresh process, so
// its JIT is as cold as the CLI's. With --typed, to typed rows (`header: true, dynamicTyping: true`: an object
// per row, numbers as numbers), the comparison the end-to-end target is set against; without, papaparse's
// default config (string arrays). Node's default 64 KiB read stream. Prints the milliseconds from the start of
// the parse to its end, and the row count.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const file = process.argv[2];
const typed = process.argv.includes('--typed');
const t0 = performance.now();
let rows = 0;
Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
  ...(typed ? { header: true, dynamicTyping: true } : {}),
  chunk: (r) => void (rows += r.data.length),
  complete: () => process.stdout.write(`${(performance.now() - t0).toFixed(3)} ${rows}\n`),
  error: (e) => {
    process.stderr.write(`papaparse: ${e.message}\n`);
    process.exitCode = 1;
  },
});
