/** Per layer, the share of neurons at each learned width (all seeds of a strategy pooled): stacked bars, one panel per strategy. */
import type { TopLevelSpec } from 'vega-lite';
import { FLOAT_BITS } from '../../layers/layer.js';
import { type Panel, panelTitle, strategyOf } from '../data.js';
import { type BitKind, KIND_TITLE, widthClass, widthLabel, widthScale } from './scales.js';

interface Share {
  strategy: string;
  layer: string;
  bits: number;
  width: string;
  share: number;
}

/** Strategies whose widths of this kind are all float are left out: there is nothing to distribute. */
export function layerShares(panel: Panel, kind: BitKind): Share[] {
  const strategy = strategyOf(panel);
  const counts = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const row of panel.neurons) {
    const raw = kind === 'weight' ? row.weight_bits : row.activation_bits;
    if (raw === null) continue;
    const bits = widthClass(raw);
    const cell = JSON.stringify([strategy.get(row.run_id), row.layer]);
    const key = JSON.stringify([strategy.get(row.run_id), row.layer, bits]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    totals.set(cell, (totals.get(cell) ?? 0) + 1);
  }
  const shares = [...counts].map(([key, n]) => {
    const [s, layer, bits] = JSON.parse(key) as [string, string, number];
    return { strategy: s, layer, bits, width: widthLabel(bits), share: n / totals.get(JSON.stringify([s, layer]))! };
  });
  const quantized = new Set(shares.filter((s) => s.bits !== FLOAT_BITS).map((s) => s.strategy));
  return shares.filter((s) => quantized.has(s.strategy));
}

const MAX_ROW_PX = 1200;
const panelWidth = (layers: number) => Math.max(90, 28 * layers);

export function bitDistributionChart(panel: Panel, kind: BitKind): TopLevelSpec | null {
  const values = layerShares(panel, kind);
  if (values.length === 0) return null;
  const layers = [...new Set(panel.neurons.map((row) => row.layer))];
  const strategies = panel.summary.map((row) => row.strategy).filter((s) => values.some((v) => v.strategy === s));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${panelTitle(panel)}: ${KIND_TITLE[kind]} per layer`,
      subtitle: [
        'share of neurons at each width, all seeds pooled; strategies that keep them in float are left out',
        'fractional widths (column averages of per-input-row widths, channel-wise) are grouped by the powers of two they lie between',
      ],
    },
    data: { values },
    // Panels wrap at about 1200 px: a transformer's 14 layers times eleven strategies in one row were 4000 px wide.
    facet: { field: 'strategy', type: 'nominal', title: null, sort: strategies },
    columns: Math.max(1, Math.floor(MAX_ROW_PX / (panelWidth(layers.length) + 20))),
    spec: {
      width: panelWidth(layers.length),
      height: 200,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'layer', type: 'nominal', sort: layers, title: 'layer', axis: { labelAngle: 0 } },
        y: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of neurons', axis: { format: '%' }, scale: { domain: [0, 1] } },
        color: { field: 'width', type: 'ordinal', title: KIND_TITLE[kind], scale: widthScale(values.map((v) => v.bits)) },
        order: { field: 'bits', type: 'quantitative' },
      },
    },
  } as TopLevelSpec;
}
