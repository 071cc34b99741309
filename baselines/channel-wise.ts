import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../src/errors.js';
import { createPrecisionQuantizers, fixedWidth, frozenChoices } from '../src/precision/precision-quantizers.js';
import { allocateGreedy } from '../src/search/allocation.js';
import { checkSearchedWidths, requireBudget, SEARCHED_WIDTH_DEFAULTS, type SearchedWidthOptions } from '../src/search/fixed-widths.js';
import { columnQuantizationErrors } from '../src/search/quantization-error.js';
import type { Strategy } from '../src/strategy/types.js';
import { weightQuantizerOf } from '../src/strategy/weight-quantizer-option.js';

interface ChannelWiseOptions extends SearchedWidthOptions {
  /** Training rows whose layer inputs give the activation statistics. */
  calibrationRows: number;
}

/**
 * Per input channel (row W[i, :]): sensitivity E[x_i^2] x ||Q_b(W[i, :]) - W[i, :]||^2 with a
 * scale per row, allocated greedily under the budget before QAT, then fixed.
 */
export const channelWise: Strategy<ChannelWiseOptions> = {
  name: 'channel-wise',
  summary: 'per-input-channel widths from activation-aware sensitivity, greedy under the budget, fixed during QAT',
  mixedPrecision: true,
  requiresPretrained: true,
  defaults: { ...SEARCHED_WIDTH_DEFAULTS, calibrationRows: 1024 },
  validate(o) {
    checkSearchedWidths('channel-wise', o);
    if (!(Number.isInteger(o.calibrationRows) && o.calibrationRows >= 1)) throw new UsageError('channel-wise: calibrationRows must be a positive integer');
  },
  create(o, { layers, budget, probe }) {
    const target = requireBudget('channel-wise', budget);
    const quantizer = weightQuantizerOf('channel-wise', o);
    const moments = probe.inputSecondMoments(o.calibrationRows);
    const groups = layers.flatMap((layer, l) => {
      const rows = tf.tidy(() => tf.transpose(probe.kernel(l)) as tf.Tensor2D);
      const errors = o.bits.map((b) => columnQuantizationErrors(rows, b, quantizer));
      rows.dispose();
      return Array.from({ length: layer.fanIn }, (_, i) => ({ count: layer.fanOut, cost: errors.map((e) => moments[l][i] * e[i]) }));
    });
    const allocation = allocateGreedy(groups, o.bits, target);
    let offset = 0;
    const rowBits = layers.map((layer) => allocation.bits.slice(offset, (offset += layer.fanIn)));
    const quantizers = createPrecisionQuantizers(layers, {
      weight: rowBits.map((bits) => frozenChoices(o.bits, bits, 'row')),
      weightQuantizer: quantizer,
      activation: o.activationBits === 0 ? null : fixedWidth(o.activationBits),
      clipPercentile: o.clipPercentile,
      bitPenalty: 0,
    });
    const share = (bits: number[]) => Object.fromEntries(o.bits.map((b) => [b, bits.filter((x) => x === b).length / bits.length]));
    return { ...quantizers, searchReport: { rowShareByLayer: rowBits.map(share), budget: target, averageBits: allocation.averageBits } };
  },
};
