/**
 * Headless SVG rendering of a vega-lite spec with vega's View API (renderer 'none': no DOM, no canvas).
 * Text widths are estimated by vega without a canvas, so the SVG is deterministic across machines.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders one vega-lite spec to an SVG document string. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
