import * as tf from '@tensorflow/tfjs';
import { createPrecisionQuantizers, fixedWidth, frozenChoices } from '../src/precision/precision-quantizers.js';
import { allocateGreedy } from '../src/search/allocation.js';
import { columnQuantizationErrors } from '../src/search/quantization-error.js';
import { requireBudget } from '../src/strategy/context.js';
import { calibrationRows, SEARCHED_WIDTH_OPTIONS, weightQuantizerOf } from '../src/strategy/shared-options.js';
import type { Strategy } from '../src/strategy/types.js';

const options = {
  ...SEARCHED_WIDTH_OPTIONS,
  /** Training rows whose layer inputs give the activation statistics. */
  calibrationRows: calibrationRows(1024),
};

/**
 * Per input channel (row W[i, :]): sensitivity E[x_i^2] x ||Q_b(W[i, :]) - W[i, :]||^2 with a
 * scale per row, allocated greedily under the budget before QAT, then fixed.
 */
export const channelWise: Strategy<typeof options> = {
  name: 'channel-wise',
  summary: 'per-input-channel widths from activation-aware sensitivity, greedy under the budget, fixed during QAT',
  mixedPrecision: true,
  requiresPretrained: true,
  budget: 'match:nmp-qat',
  options,
  create(o, { layers, budget, probe }) {
    const target = requireBudget('channel-wise', budget);
    const quantizer = weightQuantizerOf(o);
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
