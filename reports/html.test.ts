import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runVerdict } from './verdict.ts';
import type { LpEvent } from '../sim/metrics/record.ts';
import { EVENT_ROWS, buildReportBytesFromRun, buildReportFromRun, escapeHtml, escapeInlineScript, escapeInlineScriptBytes, jsonForScript, loadBrowserLibraries, normalizeRunForReport, renderReportHtml, sortedJson } from './html.ts';
import { syntheticRun } from './testing/syntheticRun.ts';
import { NON_METRIC_KEYS } from './metrics.ts';

const run = syntheticRun({ steps: 5000, width: 0.1, rebalanceAt: 2500 });

describe('renderReportHtml', () => {
  const html = buildReportFromRun(run);

  it('behavior: same input gives byte-identical HTML', () => {
    expect(buildReportFromRun(syntheticRun({ steps: 5000, width: 0.1, rebalanceAt: 2500 }))).toBe(html);
  });

  it('behavior: is self-contained: inlines vega, vega-lite and vega-embed and references no URL to load', () => {
    for (const lib of ['vega', 'vega-lite', 'vega-embed']) expect(html).toContain(`<script data-lib="${lib}"`);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/"url"\s*:/);
    expect(html).not.toContain('cdn.jsdelivr');
  });

  it('behavior: closes every inlined script exactly where intended', () => {
    const opens = html.match(/<script\b/gi)!.length;
    const closes = html.match(/<\/script>/gi)!.length;
    expect(opens).toBe(closes);
    expect(opens).toBe(5); // 3 libraries, chart data, render script
  });

  it('behavior: lists every summary key with the exact summary.json number', () => {
    const s = JSON.parse(JSON.stringify(run.summary)) as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (NON_METRIC_KEYS.includes(key)) continue; // strategyName heads the run; config and data have sections
      const m = new RegExp(`<tr data-key="${key}">.*?data-exact="([^"]*)"`).exec(html);
      expect(m, key).not.toBeNull();
      expect(m![1]!.replace(/&quot;/g, '"')).toBe(JSON.stringify(s[key]));
    }
  });

  it('behavior: shows the resolved config (sorted keys) and the provenance sha256', () => {
    expect(html).toContain('&quot;strategy&quot;: &quot;range&quot;');
    expect(html).toContain('0'.repeat(64));
    expect(html).toContain('2024-01-01T00:00:00Z');
  });

  it('behavior: several runs share the charts and get a column each', () => {
    const two = renderReportHtml([
      { label: 'narrow', result: normalizeRunForReport(run) },
      { label: 'full', result: normalizeRunForReport(syntheticRun({ steps: 5000 })) },
    ]);
    expect(two).toContain('<th>narrow</th><th>full</th>');
    expect(two).toContain('narrow: LP value');
    expect(two).toContain('full: LP value');
  });

  it('behavior: the lead line shows the fee in % and the capital with separators, as the terminal does', () => {
    const page = renderReportHtml([{ label: 'a', result: normalizeRunForReport(run) }]);
    expect(page).toMatch(/<b>a<\/b> \(pool v3, fee 0\.30 %, width [0-9.]+, capital [0-9]{1,3}(,[0-9]{3})*\)/);
  });

  it('behavior: puts extra sections between the charts and the config', () => {
    const page = renderReportHtml([{ label: 'a', result: normalizeRunForReport(run) }], { extraSectionsHtml: '<h2 id="extra">Extra</h2>' });
    expect(page.indexOf('<h2 id="extra">')).toBeGreaterThan(page.indexOf('id="chart-time-in-range"'));
    expect(page.indexOf('<h2 id="extra">')).toBeLessThan(page.indexOf('<h2 id="config">'));
  });

  it('behavior: opens with the verdict (words and numbers) right under the title, then the data window and gas', () => {
    const verdict = runVerdict(normalizeRunForReport(run).summary)!;
    expect(verdict).toMatch(/^LP (trailed|beat) holding by [\d,]+ \([−+][\d.]+ %\): fees [\d,]+ /);
    const h1 = html.indexOf('</h1>');
    expect(html.slice(h1, h1 + 200)).toContain(`</h1>\n<p class="verdict" id="verdict">${escapeHtml(verdict)}.</p>`);
    expect(html).toMatch(/id="context">[^<]*2024-01-01 00:00 UTC – 2024-01-04 11:19 UTC[^<]*gas /);
  });

  it('behavior: shows the summary’s warnings prominently (before the metrics), and nothing when there are none', () => {
    const r = normalizeRunForReport(run);
    const warned = buildReportFromRun({ ...r, summary: { ...r.summary, warnings: ['the strategy stopped acting at step 3,088 (2017-12-24): its principal went to gas'] } as typeof r.summary });
    const at = warned.indexOf('<div class="warnings" id="warnings"');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(warned.indexOf('<h2 id="metrics">'));
    expect(warned).toContain('<li>the strategy stopped acting at step 3,088 (2017-12-24): its principal went to gas</li>');
    expect(html).not.toContain('id="warnings"');
    expect(warned).not.toContain('data-key="warnings"');
  });

  it('behavior: an object-valued summary key (feeModels) gets its own section as JSON, not an "n/a" metric row', () => {
    const r = normalizeRunForReport(run);
    const feeModels = { selected: 'replay', replay: { model: 'replay', feesEarned: 94.6, steps: 6045, stepsInRange: 3304 } };
    const page = buildReportFromRun({ ...r, summary: { ...r.summary, feeModels } as typeof r.summary });
    expect(page).not.toContain('data-key="feeModels"');
    const at = page.indexOf('<h3 id="summary-feeModels">feeModels</h3>');
    expect(at).toBeGreaterThan(page.indexOf('<h2 id="metrics">'));
    expect(at).toBeLessThan(page.indexOf('<h2 id="charts">'));
    expect(page.slice(at)).toContain(`<pre class="summary-object">${escapeHtml(sortedJson(feeModels))}</pre>`);
    expect(html).not.toContain('summary-object');
  });

  it('error: rejects duplicate run labels', () => {
    expect(() => renderReportHtml([{ label: 'a', result: run }, { label: 'a', result: run }])).toThrowErrorMatchingInlineSnapshot(
      `[InvariantError: invariant broken (a bug in ammsim, please report): run labels must be unique; were a, a]`,
    );
  });

  it('behavior: stays under 2.5 MB for a year of minute data (525,600 rows)', () => {
    const year = buildReportFromRun(syntheticRun({ steps: 525_600, width: 0.1, rebalanceAt: 300_000 }));
    const bytes = Buffer.byteLength(year);
    expect(bytes).toBeLessThan(2_500_000);
    const libs = loadBrowserLibraries().reduce((s, l) => s + l.code.length, 0);
    expect(bytes - libs).toBeLessThan(1_500_000);
  });
});

describe('LP events table', () => {
  const at = (page: string): string => page.slice(page.indexOf('<h2 id="events">'), page.indexOf('<h2 id="config">'));
  const ev = (over: Partial<LpEvent>): LpEvent => ({ step: 3, timestampMs: Date.UTC(2024, 0, 1, 3), kind: 'mint', price: 2000, rangeLower: 1900, rangeUpper: 2100, ...over });
  const withEvents = (events: LpEvent[]) => buildReportFromRun({ ...run, events });
  const html = buildReportFromRun(run);

  it('behavior: a collapsed section after the charts counts the events by kind; an older events.json (no amounts) still lists them', () => {
    const section = at(html);
    expect(html.indexOf('<h2 id="events">')).toBeGreaterThan(html.indexOf('id="chart-time-in-range"'));
    expect(section).toContain('<details class="events"><summary>2 events (1 mint, 1 rebalance)</summary>');
    expect(section.match(/<tr data-kind=/g)).toHaveLength(2);
    expect(section).toContain('<tr data-kind="mint"><td class="num">0</td><td class="num">2024-01-01T00:00:00Z</td><td>mint</td><td class="num">2,000.00</td><td></td><td class="num"></td></tr>');
  });

  it('behavior: shows what each event moved in one line: amounts, fees, a swap\'s direction, fee and prices, gas', () => {
    const page = at(
      withEvents([
        ev({ kind: 'split', baseIn: false, amountIn: 5063.7, amountOut: 2.524128, fee: 15.19, priceBefore: 2000, priceAfter: 2000.2, gas: 4.6, walletBase: 2.524128, walletQuote: 4931.7 }),
        ev({ kind: 'mint', positionId: 2, base: 2.521776, quote: 4931.7, liquidity: 4186.85, gas: 14.8, walletBase: 0.002, walletQuote: -14.8 }),
        ev({ kind: 'burn', positionId: 2, fraction: 0.5, base: 5.05407, quote: 0, feesBase: 0.00762, feesQuote: 1.5, liquidity: 2093.4, gas: 5.98 }),
        ev({ kind: 'swap', baseIn: true, amountIn: 2.558174, amountOut: 4781.6, fee: 0.007675, priceBefore: 1874.86, priceAfter: 1874.68, gas: 4.3, rangeLower: NaN, rangeUpper: NaN }),
        ev({ kind: 'rebalance', positionId: 3, base: 2.485144, quote: 4756.52, liquidity: 4081.8, outBase: 5.05407, outQuote: 0, feesBase: 0.00762, feesQuote: 0, swapBase: -2.558174, swapQuote: 4781.6, gas: 24.11 }),
        ev({ kind: 'harvest', then: 'sell', rewardTokens: 12.5, rewardFeeTokens: 1.25, soldTokens: 11.25, soldQuote: 22.4, rewardPrice: 2, gas: 1.2, rangeLower: NaN, rangeUpper: NaN }),
      ]),
    );
    expect(page).toContain('<td>buy: 5,063.70 quote → 2.524128 base, fee 15.190000 quote; pool 2,000.00 → 2,000.20</td><td class="num">4.60</td>');
    expect(page).toContain('<td>in 2.521776 base, 4,931.70 quote → #2; L 4,186.85</td><td class="num">14.80</td>');
    expect(page).toContain('<td>out 5.054070 base, 0 quote ← #2 (50.00 %); fees 0.007620 base, 1.500000 quote</td>');
    expect(page).toContain('<td>sell: 2.558174 base → 4,781.60 quote, fee 0.007675 base; pool 1,874.86 → 1,874.68</td>');
    expect(page).toContain('<td>out 5.054070 base, 0 quote; swaps -2.558174 base, 4,781.60 quote; in 2.485144 base, 4,756.52 quote; fees 0.007620 base, 0 quote</td><td class="num">24.11</td>');
    expect(page).toContain('<td>claimed 12.500000 reward (fees 1.250000) at 2.000000; sold 11.250000 for 22.400000 quote</td>');
  });

  it(`behavior: at most ${EVENT_ROWS} rows per run, the first and last halves, the rest said to be in events.json`, () => {
    const many = Array.from({ length: 1000 }, (_, i) => ev({ step: i, kind: i % 2 === 0 ? 'split' : 'mint' }));
    const page = at(withEvents(many));
    expect(page).toContain(`1,000 events (500 split, 500 mint); the first and last ${EVENT_ROWS / 2} below</summary>`);
    expect(page.match(/<tr data-kind=/g)).toHaveLength(EVENT_ROWS);
    expect(page).toContain('<tr><td colspan="6" class="note">… 800 more in events.json …</td></tr>');
    expect(page).toContain('<td class="num">999</td>');
  });

  it('behavior: no section when no run has events', () => {
    expect(withEvents([])).not.toContain('id="events"');
  });
});

describe('normalizeRunForReport', () => {
  it('behavior: turns NaN in summary and events into null, as summary.json/events.json read back', () => {
    const r = syntheticRun({ steps: 100 });
    const odd = { ...r, summary: { ...r.summary, sharpe: NaN }, events: [{ ...r.events[0]!, rangeLower: NaN }] };
    const n = normalizeRunForReport(odd);
    expect(n.summary.sharpe).toBeNull();
    expect(n.events[0]!.rangeLower).toBeNull();
    expect(buildReportFromRun(odd)).toBe(buildReportFromRun(n));
  });
});

describe('escaping', () => {
  it('behavior: escapes </script in inlined code and < in JSON', () => {
    expect(escapeInlineScript('var s = "</script>"; var t = "</SCRIPT>";')).toBe('var s = "<\\/script>"; var t = "<\\/SCRIPT>";');
    expect(jsonForScript({ a: '</script><!--' })).toBe('{"a":"\\u003c/script>\\u003c!--"}');
    expect(JSON.parse(jsonForScript({ a: '</script>' }))).toEqual({ a: '</script>' });
  });
  it('error: refuses code containing <!--', () => {
    expect(() => escapeInlineScript('a <!-- b')).toThrow(/unsafe inside <script>/);
    expect(() => escapeInlineScriptBytes(Buffer.from('a <!-- b'))).toThrow(/unsafe inside <script>/);
  });
  it('property: the bytes version is the UTF-8 of escapeInlineScript of the decoded text (escapes, any case, non-ASCII, invalid UTF-8)', () => {
    const expected = (b: Uint8Array): Buffer | 'throws' => {
      try {
        return Buffer.from(escapeInlineScript(Buffer.from(b).toString('utf8')), 'utf8');
      } catch {
        return 'throws';
      }
    };
    const actual = (b: Uint8Array): Buffer | 'throws' => {
      try {
        return Buffer.from(escapeInlineScriptBytes(b));
      } catch {
        return 'throws';
      }
    };
    const piece = fc.oneof(
      fc.constantFrom('</script', '</SCRIPT>', '</ScRiPt', '</scrip', '</', '<!--', '<!-', 'x', ' ', 'ſcript', '</ſcript', 'é', '≤', '\u{1F600}'),
      fc.string({ maxLength: 4 }),
    );
    const text = fc.array(piece, { maxLength: 12 }).map((ps) => Buffer.from(ps.join(''), 'utf8'));
    const bytes = fc.oneof(text, fc.uint8Array({ maxLength: 24 }), fc.tuple(text, fc.constantFrom(0x80, 0xc3, 0xe2, 0xff)).map(([t, b]) => Buffer.concat([t, Buffer.from([b])])));
    fc.assert(
      fc.property(bytes, (b) => {
        expect(actual(b)).toEqual(expected(b));
      }),
      { numRuns: 3000, seed: 515 },
    );
  });
  it('behavior: report bytes are the UTF-8 of the report text', () => {
    expect(Buffer.concat(buildReportBytesFromRun(run)).equals(Buffer.from(buildReportFromRun(run), 'utf8'))).toBe(true);
    const two = syntheticRun({ steps: 300, width: 0.05 });
    expect(Buffer.concat(buildReportBytesFromRun(two, { title: 'Ünïcode ≤ title', maxPoints: 50 })).toString('utf8')).toBe(buildReportFromRun(two, { title: 'Ünïcode ≤ title', maxPoints: 50 }));
  });
  it('behavior: sortedJson sorts keys at every level', () => {
    expect(sortedJson({ b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } })).toBe(JSON.stringify({ a: { c: [{ e: 2, f: 1 }], d: 2 }, b: 1 }, null, 2));
  });
});
