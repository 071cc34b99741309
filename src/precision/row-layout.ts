import type { LayerBits } from '../layers/layer.js';

/**
 * A layer with per-row weight widths (LayerBits.weightRows), by how its rows are scaled: rows
 * with a width and scale of their own, and rows quantized together with one scale per output
 * neuron at one shared width (LayerBits.neuronScaledRows). The budget, the export and the fixed
 * quantizers all read a layer's rows through this.
 */
export interface RowLayout {
  /** Rows with their own scale, in increasing order, and their widths. */
  ownRows: number[];
  ownBits: number[];
  /** Rows sharing per-neuron scales, in increasing order; empty when every row has its own. */
  neuronRows: number[];
  /** The width of every neuron-scaled row; null when there are none. */
  neuronBits: number | null;
}

/** The row layout of a layer with per-row widths; null for a layer with per-neuron widths. */
export function rowLayout(bits: Pick<LayerBits, 'weightRows' | 'neuronScaledRows'>): RowLayout | null {
  const { weightRows, neuronScaledRows = [] } = bits;
  if (!weightRows) return null;
  const shared = new Set(neuronScaledRows);
  const ownRows = weightRows.map((_, i) => i).filter((i) => !shared.has(i));
  const widths = new Set(neuronScaledRows.map((i) => weightRows[i]));
  if (widths.size > 1) throw new Error(`neuron-scaled rows must share one width, got ${[...widths].join(', ')}`);
  return { ownRows, ownBits: ownRows.map((i) => weightRows[i]), neuronRows: [...neuronScaledRows], neuronBits: widths.size === 1 ? [...widths][0] : null };
}
