import { UsageError } from '../src/errors.js';
import { isSupportedWeightBits } from '../src/quant/quantizers.js';
import { createPrecisionQuantizers, fixedWidth } from '../src/precision/precision-quantizers.js';
import { checkActivationBits } from '../src/search/fixed-widths.js';
import type { Strategy } from '../src/strategy/types.js';
import { WEIGHT_QUANTIZER_DEFAULTS, weightQuantizerOf, type WeightQuantizerOptions } from '../src/strategy/weight-quantizer-option.js';

interface UniformOptions extends WeightQuantizerOptions {
  [key: string]: string | number;
  /** 1, 1.58 (ternary), 2..16. */
  weightBits: number;
  /** Fixed activation width after every hidden ReLU; 0 keeps activations in float. */
  activationBits: number;
  /** Initial clip level: this percentile of a calibration batch, per neuron. */
  clipPercentile: number;
}

/** Uniform QAT: every weight at one width, activations at one width (or float). */
export const uniform: Strategy<UniformOptions> = {
  name: 'uniform',
  summary: 'one fixed bit-width for all weights (1, 1.58, 2..16) and optionally for all activations',
  mixedPrecision: false,
  defaults: { weightBits: 4, activationBits: 8, clipPercentile: 99.9, ...WEIGHT_QUANTIZER_DEFAULTS },
  validate(o) {
    weightQuantizerOf('uniform', o);
    if (!isSupportedWeightBits(o.weightBits)) throw new UsageError(`uniform: weightBits must be 1, 1.58 or an integer 2..16, got ${o.weightBits}`);
    checkActivationBits('uniform', o.activationBits);
  },
  create: (o, { layers }) =>
    createPrecisionQuantizers(layers, {
      weight: fixedWidth(o.weightBits),
      weightQuantizer: weightQuantizerOf('uniform', o),
      activation: o.activationBits === 0 ? null : fixedWidth(o.activationBits),
      clipPercentile: o.clipPercentile,
      bitPenalty: 0,
    }),
};
