import { floatQuantizers } from '../src/precision/precision-quantizers.js';
import type { Strategy } from '../src/strategy/types.js';

/** The reference row: nothing is quantized. */
export const fp32: Strategy = {
  name: 'fp32',
  summary: 'no quantization (32-bit float weights and activations)',
  mixedPrecision: false,
  options: {},
  create: (_options, { layers }) => floatQuantizers(layers),
};
