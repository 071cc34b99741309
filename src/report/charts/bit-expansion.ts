/** How widths grow during training: average bits per epoch, and the share of neurons at each width per epoch. */
import type { TopLevelSpec } from 'vega-lite';
import { FLOAT_BITS } from '../../layers/layer.js';
import { type Panel, panelTitle, strategyOf } from '../data.js';
import { type BitKind, KIND_TITLE, widthClass, widthLabel, widthScale } from './scales.js';

const KINDS: BitKind[] = ['weight', 'activation'];

/** Strategies with quantized widths of some kind: float-only runs have no expansion to show. */
function quantizedStrategies(panel: Panel): string[] {
  const strategy = strategyOf(panel);
  const quantized = new Set(
    panel.curves.filter((c) => c.avg_weight_bits < FLOAT_BITS || (c.avg_activation_bits ?? FLOAT_BITS) < FLOAT_BITS).map((c) => strategy.get(c.run_id)),
  );
  return panel.summary.map((row) => row.strategy).filter((s) => quantized.has(s));
}

/** Average weight and activation bits of every run and epoch (seeds averaged by the chart). */
function averageRows(panel: Panel, strategies: string[]) {
  const strategy = strategyOf(panel);
  return panel.curves
    .filter((c) => strategies.includes(strategy.get(c.run_id)!))
    .flatMap((c) => [
      { strategy: strategy.get(c.run_id), run: c.run_id, epoch: c.epoch, kind: KIND_TITLE.weight, bits: c.avg_weight_bits },
      // Float activations (weights-only strategies) have no width to grow.
      ...(c.avg_activation_bits === null || c.avg_activation_bits >= FLOAT_BITS
        ? []
        : [{ strategy: strategy.get(c.run_id), run: c.run_id, epoch: c.epoch, kind: KIND_TITLE.activation, bits: c.avg_activation_bits }]),
    ]);
}

/** Share of neurons at each width per (strategy, epoch), pooled over the seeds that reached that epoch. */
export function widthShares(
  panel: Panel,
  strategies: string[],
): { strategy: string; kind: string; epoch: number; bits: number; width: string; share: number }[] {
  const strategy = strategyOf(panel);
  const counts = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const c of panel.curves) {
    const s = strategy.get(c.run_id)!;
    if (!strategies.includes(s)) continue;
    for (const kind of KINDS) {
      const json = kind === 'weight' ? c.weight_bits_counts : c.activation_bits_counts;
      if (json === null) continue;
      const widths = Object.entries(JSON.parse(json) as Record<string, number>);
      // As in the average-bits chart: activations that stay float have no width to grow.
      if (kind === 'activation' && widths.every(([bits]) => Number(bits) >= FLOAT_BITS)) continue;
      for (const [raw, n] of widths) {
        const bits = widthClass(Number(raw));
        const cell = JSON.stringify([s, kind, c.epoch]);
        const key = JSON.stringify([s, kind, c.epoch, bits]);
        counts.set(key, (counts.get(key) ?? 0) + n);
        totals.set(cell, (totals.get(cell) ?? 0) + n);
      }
    }
  }
  return [...counts].map(([key, n]) => {
    const [s, kind, epoch, bits] = JSON.parse(key) as [string, BitKind, number, number];
    return { strategy: s, kind: KIND_TITLE[kind], epoch, bits, width: widthLabel(bits), share: n / totals.get(JSON.stringify([s, kind, epoch]))! };
  });
}

const epochAxis = { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } } as const;

/** Small multiples over epochs: a row per kind of bits, a column per strategy. */
function kindByStrategyGrid(title: { text: string; subtitle: string | string[] }, values: object[], strategies: string[], cell: object): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    facet: {
      row: { field: 'kind', type: 'nominal', title: null, sort: [KIND_TITLE.weight, KIND_TITLE.activation] },
      column: { field: 'strategy', type: 'nominal', title: null, sort: strategies },
    },
    spec: { width: 130, height: 110, ...cell },
  } as TopLevelSpec;
}

export function bitExpansionAverageChart(panel: Panel): TopLevelSpec | null {
  const strategies = quantizedStrategies(panel);
  const values = averageRows(panel, strategies);
  if (values.length === 0) return null;
  const title = {
    text: `${panelTitle(panel)}: average weight and activation bits per epoch`,
    subtitle: ['mean over seeds; each panel has its own y scale, so small growth shows', 'float activations are left out'],
  };
  return {
    ...kindByStrategyGrid(title, values, strategies, {
      mark: { type: 'line', point: true, color: '#3b528b' },
      encoding: {
        x: epochAxis,
        // The row header names the kind; '~' drops trailing zeros, so a fixed width reads "4", not "4.000000".
        y: { aggregate: 'mean', field: 'bits', type: 'quantitative', title: null, scale: { zero: false, padding: 8 }, axis: { format: '.3~f' } },
      },
    }),
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

export function bitExpansionSharesChart(panel: Panel): TopLevelSpec | null {
  const strategies = quantizedStrategies(panel);
  const values = widthShares(panel, strategies);
  if (values.length === 0) return null;
  return kindByStrategyGrid(
    {
      text: `${panelTitle(panel)}: share of neurons at each width per epoch`,
      subtitle: 'all seeds that reached the epoch pooled; fractional widths grouped by the powers of two they lie between',
    },
    values,
    strategies,
    {
      mark: { type: 'area', interpolate: 'step-after', line: false },
      encoding: {
        x: epochAxis,
        y: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of neurons', axis: { format: '%' }, scale: { domain: [0, 1] } },
        color: { field: 'width', type: 'ordinal', title: 'width (bits)', scale: widthScale(values.map((v) => v.bits)) },
        order: { field: 'bits', type: 'quantitative' },
      },
    },
  );
}
