import type { Argv, CommandModule } from 'yargs';
import { inputsNamedBy, type AmmsimCommand } from './index.ts';
import { outputsNotInputs, removingOutputsOnError, writeFileAtomic } from '../../data/io/atomicWrite.ts';
import { ilCurveChart } from '../../reports/charts/ilCurveChart.ts';
import { escapeHtml, renderPage } from '../../reports/html.ts';
import type { PriceRange } from '../../reports/ilCurve.ts';
import { formatIlTable, ilTableRows } from '../../reports/ilTable.ts';
import { renderChartSvg } from '../../reports/svg.ts';
import { ConfigError } from '../../sim/core/errors.ts';

export interface IlArgs {
  readonly price: string;
  readonly range?: string;
  readonly ratios?: string;
  readonly out?: string;
}

export interface ParsedIlArgs {
  readonly price: number;
  readonly range?: PriceRange;
  readonly ratios?: number[];
  readonly out?: { readonly file: string; readonly kind: 'html' | 'svg' };
}

/** A positive finite decimal number, or a ConfigError naming the flag and the text given. */
function positive(flag: string, text: string, what: string): number {
  const t = text.trim();
  const v = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (!(Number.isFinite(v) && v > 0)) throw new ConfigError(flag, `${what} must be a finite number > 0; was ${JSON.stringify(text)}`);
  return v;
}

/**
 * Validates `ammsim il` flags. Rules: --price is a number > 0 (the entry price P0, quote per base);
 * --range is LOW:HIGH with 0 < LOW < HIGH (prices, not ratios; P0 may lie outside: the position is then one
 * token only and has no IL until the price enters the range); --ratios is a comma list of numbers > 0, at most
 * 200; --out ends in .html or .svg.
 */
export function parseIlArgs(a: IlArgs): ParsedIlArgs {
  const price = positive('--price', String(a.price), 'the entry price');
  let range: PriceRange | undefined;
  if (a.range !== undefined) {
    const parts = String(a.range).split(':');
    if (parts.length !== 2) throw new ConfigError('--range', `must be LOW:HIGH (prices, e.g. 1800:2200); was ${JSON.stringify(a.range)}`);
    const lower = positive('--range', parts[0]!, 'LOW');
    const upper = positive('--range', parts[1]!, 'HIGH');
    if (!(lower < upper)) throw new ConfigError('--range', `LOW must be below HIGH; was ${JSON.stringify(a.range)}`);
    range = { lower, upper };
  }
  let ratios: number[] | undefined;
  if (a.ratios !== undefined) {
    const items = String(a.ratios).split(',').filter((s) => s.trim() !== '');
    if (items.length === 0 || items.length > 200) throw new ConfigError('--ratios', `must list 1 to 200 ratios, e.g. 0.5,2; was ${JSON.stringify(a.ratios)}`);
    ratios = items.map((s) => positive('--ratios', s, 'each ratio'));
    // a price past the double range would print as Infinity
    for (const r of ratios) if (!Number.isFinite(price * r)) throw new ConfigError('--ratios', `${r} × --price ${price} is past the largest number a price can be; was ${JSON.stringify(a.ratios)}`);
  }
  let out: ParsedIlArgs['out'];
  if (a.out !== undefined) {
    const m = /\.(html?|svg)$/i.exec(String(a.out));
    if (m === null) throw new ConfigError('--out', `must end in .html or .svg; was ${JSON.stringify(a.out)}`);
    out = { file: String(a.out), kind: m[1]!.toLowerCase() === 'svg' ? 'svg' : 'html' };
  }
  return { price, ...(range === undefined ? {} : { range }), ...(ratios === undefined ? {} : { ratios }), ...(out === undefined ? {} : { out }) };
}

/** Runs `ammsim il`: returns the table text; writes the chart when --out is given. */
export async function runIl(a: IlArgs): Promise<string> {
  const p = parseIlArgs(a);
  const text = formatIlTable(p.price, p.range, ilTableRows(p.price, p.range, p.ratios));
  if (p.out !== undefined) {
    const spec = ilCurveChart([{ label: '', entryPrice: p.price, ...(p.range === undefined ? {} : { range: p.range }) }]);
    if (p.out.kind === 'svg') writeFileAtomic(p.out.file, await renderChartSvg(spec));
    else {
      const title = 'ammsim il: impermanent loss vs price ratio';
      const body = `<h1>${escapeHtml(title)}</h1>\n<figure class="chart" id="chart-il-curve" data-chart="il-curve"></figure>\n<pre>${escapeHtml(text)}</pre>`;
      writeFileAtomic(p.out.file, renderPage(title, body, [{ id: 'il-curve', spec }]));
    }
  }
  return text;
}

/** Only a file il could have written (.html or .svg): a mistyped --out (prices.csv) is refused, not deleted. */
function ilOutputsOnFailure(argv: Readonly<Record<string, unknown>>): Array<string | undefined> {
  return outputsNotInputs([typeof argv.out === 'string' && /\.(html|svg)$/i.test(argv.out) ? argv.out : undefined], inputsNamedBy(argv));
}

export const ilCommand: AmmsimCommand<object, Record<string, unknown>> = {
  outputsOnFailure: ilOutputsOnFailure,
  command: 'il',
  describe: 'impermanent loss of a position vs price ratio (full range or a price range), as a table or chart',
  builder: (y: Argv) =>
    y
      .options({
        price: { type: 'string', describe: 'entry price P0 (quote per base), > 0', demandOption: true },
        range: { type: 'string', describe: 'price range LOW:HIGH of a concentrated position (0 < LOW < HIGH)', defaultDescription: 'full range' },
        ratios: { type: 'string', describe: 'comma-separated price ratios P/P0 for the table', defaultDescription: '0.1 … 10 and the range edges' },
        out: { type: 'string', describe: 'also write the curve as a chart: FILE.html (self-contained) or FILE.svg' },
      })
      .example('$0 il --price 2000', 'full range: 2√r/(1+r) − 1 (−5.72 % at 2×)')
      .example('$0 il --price 2000 --range 1800:2200 --out il.html', 'a ±10 % range: IL amplified about 20× near P0')
      .epilog('IL is LP value / hold value − 1 before fees. P0 may lie outside --range: the position then holds one token and has no IL until the price enters the range.'),
  handler: async (argv) => {
    const text = await removingOutputsOnError(ilOutputsOnFailure(argv), () =>
      runIl({
        price: String(argv.price),
        ...(argv.range === undefined ? {} : { range: String(argv.range) }),
        ...(argv.ratios === undefined ? {} : { ratios: String(argv.ratios) }),
        ...(argv.out === undefined ? {} : { out: String(argv.out) }),
      }),
    );
    process.stdout.write(text);
    if (argv.out !== undefined) process.stdout.write(`wrote ${String(argv.out)}\n`);
  },
};
