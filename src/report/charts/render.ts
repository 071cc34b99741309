import type { TopLevelSpec } from 'vega-lite';

/** Shared look of every chart: readable axes, no frame, the same fonts. */
export const CHART_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' },
  view: { stroke: null },
} as const;

/**
 * Vega-Lite compiled to Vega, rendered headless to SVG (no browser, no network). Vega is
 * imported on first use: it adds a third of a second to every command that never draws.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile({ ...spec, config: { ...CHART_CONFIG, ...spec.config } } as TopLevelSpec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
