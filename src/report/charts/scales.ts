/** Colour scales shared by the charts: bit-widths, and strategies (the same colour for a strategy in every chart of a panel). */
import { FLOAT_BITS } from '../../layers/layer.js';

/** A fractional width is a column average of per-input-row widths (channel-wise): shown to 2 decimals. */
export const widthLabel = (bits: number): string => (bits === FLOAT_BITS ? '32 (float)' : String(Number(bits.toFixed(2))));

/** Viridis at log2(bits) = 0, 1, ..., 5: a width has the same colour in every chart, fewer bits darker. */
const VIRIDIS = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'];

function colourOf(bits: number): string {
  const t = Math.min(Math.max(Math.log2(bits), 0), VIRIDIS.length - 1);
  const k = Math.min(Math.floor(t), VIRIDIS.length - 2);
  const [a, b] = [VIRIDIS[k], VIRIDIS[k + 1]].map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * (t - k))).join(',')})`;
}

/** An ordinal colour scale over the widths present, in increasing order. */
export function widthScale(widths: Iterable<number>): { domain: string[]; range: string[] } {
  const sorted = [...new Set(widths)].sort((a, b) => a - b);
  return { domain: sorted.map(widthLabel), range: sorted.map(colourOf) };
}

export type BitKind = 'weight' | 'activation';
export const KIND_TITLE: Record<BitKind, string> = { weight: 'weight bits', activation: 'activation bits' };

/** Strategies in summary order; Dark2 stays legible as text on white. */
export function strategyColour(strategies: string[]) {
  return { field: 'strategy', type: 'nominal', title: 'strategy', sort: strategies, scale: { domain: strategies, scheme: 'dark2' } } as const;
}
