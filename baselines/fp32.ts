import { createPrecisionQuantizers } from '../src/quant/precision-quantizers.js';
import type { Strategy } from '../src/strategy/types.js';

/** The reference row: nothing is quantized. */
export const fp32: Strategy<Record<string, never>> = {
  name: 'fp32',
  summary: 'no quantization (32-bit float weights and activations)',
  defaults: {},
  create: (_options, { layers }) =>
    createPrecisionQuantizers(layers, { weight: null, activation: null, grain: 'layer', clipPercentile: 100, bitPenalty: 0 }),
};
