/** Colour scales shared by the charts: bit-widths, and strategies (the same colour for a strategy in every chart of a panel). */
import { FLOAT_BITS } from '../../layers/layer.js';

/**
 * The width a legend shows: a whole width as it is, and a fractional one (a column average of
 * per-input-row widths, channel-wise) as the power-of-two span it falls in, so that a strategy with
 * dozens of averages adds a few legend entries rather than dozens of near-identical shades.
 */
export function widthClass(bits: number): number {
  if (Number.isInteger(Number(bits.toFixed(2)))) return Math.round(bits);
  // The geometric middle of the span: its colour lies between its ends', and it sorts between them.
  return 2 ** Math.floor(Math.log2(bits)) * Math.SQRT2;
}

/** The legend text of a width class: "4", "32 (float)", or "2–4" for the fractional widths between 2 and 4. */
export function widthLabel(bits: number): string {
  if (bits === FLOAT_BITS) return '32 (float)';
  if (Number.isInteger(bits)) return String(bits);
  const low = 2 ** Math.floor(Math.log2(bits));
  return `${low}–${2 * low} (fractional)`;
}

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

/**
 * Twelve colours, each dark enough to read as text on white and apart from the others in hue or
 * lightness: the standard comparison has eleven strategies, and Dark2's eight repeated.
 */
export const STRATEGY_PALETTE = [
  '#1f77b4',
  '#d95f02',
  '#1b9e77',
  '#e7298a',
  '#66a61e',
  '#7570b3',
  '#a6761d',
  '#d62728',
  '#17becf',
  '#000000',
  '#8c564b',
  '#999999',
] as const;

/** Strategies in summary order (the suite's), so a strategy keeps its colour across reruns; the palette repeats only past twelve. */
export function strategyColour(strategies: string[]) {
  const range = strategies.map((_, i) => STRATEGY_PALETTE[i % STRATEGY_PALETTE.length]);
  return { field: 'strategy', type: 'nominal', title: 'strategy', sort: strategies, scale: { domain: strategies, range } } as const;
}
