import type { LayerBits } from '../layers/layer.js';

/** Neurons at each width, keys in increasing width: {"1": 120, "2": 8}. */
export function widthCounts(widths: readonly number[]): Record<string, number> {
  const counts = new Map<number, number>();
  for (const b of widths) counts.set(b, (counts.get(b) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]).map(([b, n]) => [String(b), n]));
}

/** Over the whole model: weight widths of every neuron, activation widths of every hidden neuron (null without any). */
export function bitCounts(bits: readonly LayerBits[]): { weight: Record<string, number>; activation: Record<string, number> | null } {
  const activations = bits.flatMap((b) => b.activation ?? []);
  return { weight: widthCounts(bits.flatMap((b) => b.weight)), activation: activations.length ? widthCounts(activations) : null };
}
