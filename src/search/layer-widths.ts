import type { LayerSpec } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { createPrecisionQuantizers, fixedWidth } from '../precision/precision-quantizers.js';
import { type SearchedWidthOptions, weightQuantizerOf } from '../strategy/shared-options.js';

/** QAT quantizers for the widths a search chose: one weight width per layer, and the options' activation width. */
export function layerWidthQuantizers(layers: LayerSpec[], weightBits: number[], o: SearchedWidthOptions): QuantizerSet {
  return createPrecisionQuantizers(layers, {
    weight: weightBits.map((b) => fixedWidth(b)),
    weightQuantizer: weightQuantizerOf(o),
    activation: o.activationBits === 0 ? null : fixedWidth(o.activationBits),
    clipPercentile: o.clipPercentile,
    bitPenalty: 0,
  });
}
