// The bench's reference (scripts/bench/run.ts): papaparse alone stream-parsing a CSV file with default
// settings (Node's default 64 KiB read stream, papaparse's default config), in a fresh process, so its JIT is
// as cold as the CLI's. Prints the milliseconds from the start of the parse to its end, and the row count.
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';

const file = process.argv[2];
const t0 = performance.now();
let rows = 0;
Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
  chunk: (r) => void (rows += r.data.length),
  complete: () => process.stdout.write(`${(performance.now() - t0).toFixed(3)} ${rows}\n`),
  error: (e) => {
    process.stderr.write(`papaparse: ${e.message}\n`);
    process.exitCode = 1;
  },
});
