import * as tf from '@tensorflow/tfjs';
import { FLOAT_BITS, type LayerBits } from '../layers/layer.js';
import type { QuantizerSet } from '../layers/quantizer-set.js';
import { candidateOps } from '../kernels/quant-ops.js';
import { frozenChoices } from './precision-quantizers.js';
import { perRow, rowParts, rowPartsQuant } from './precision-ops.js';
import { quantizeActivations, type WeightQuantizer } from '../quant/quantizers.js';
import { rowLayout } from './row-layout.js';

/**
 * Sums quantize(b) over the distinct widths of a layer, each masked to the neurons at that width
 * (columns of a [rows, n] tensor); FLOAT_BITS neurons pass through. The masks are 0/1, so the
 * selection is exact.
 */
function perNeuron(x: tf.Tensor2D, widths: number[], quantize: (b: number) => tf.Tensor2D): tf.Tensor2D {
  const distinct = [...new Set(widths)];
  if (distinct.length === 1) return distinct[0] === FLOAT_BITS ? x : quantize(distinct[0]);
  return tf.tidy(() =>
    tf.addN(
      distinct.map((b) =>
        tf.mul(
          b === FLOAT_BITS ? x : quantize(b),
          tf.tensor2d(
            widths.map((w) => (w === b ? 1 : 0)),
            [1, widths.length],
          ),
        ),
      ),
    ),
  ) as tf.Tensor2D;
}

/**
 * Columns of w quantized each at its fixed width, through the ops training ran (fused kernels
 * or the reference, by backend): the same float32 scales to the last bit, which an argmax near
 * a tie can depend on.
 */
function frozenColumns(w: tf.Tensor2D, widths: number[], quantizer: WeightQuantizer): tf.Tensor2D {
  const choice = frozenChoices(
    [...new Set(widths)].sort((a, b) => a - b),
    widths,
    'neuron',
  );
  return candidateOps().weightForward(w, tf.tensor1d(choice.initialStrength as number[]), { ...choice, quantizer });
}

/**
 * The discrete model a run ends with, as a QuantizerSet with nothing left to learn: each
 * neuron's (or input row's) fixed weight width, activation width and clip level. With the
 * trained weights it reproduces the fake-quant model's forward pass without the strategy that
 * trained it.
 */
export function discreteQuantizers(bits: LayerBits[]): QuantizerSet {
  const clips = bits.map((b) => (b.clip ? tf.tensor1d(b.clip) : null));
  return {
    trainable: [],
    weights(layer, kernel) {
      const { weight, weightQuantizer: quantizer } = bits[layer];
      if (!quantizer) return kernel;
      const layout = rowLayout(bits[layer]);
      return tf.tidy(() => {
        if (!layout) return frozenColumns(kernel, weight, quantizer);
        const byRow = (rows: tf.Tensor2D) => perRow(rows, (columns) => frozenColumns(columns, layout.ownBits, quantizer));
        if (layout.neuronBits === null) return byRow(kernel);
        const byNeuron = (rows: tf.Tensor2D) => frozenColumns(rows, new Array(weight.length).fill(layout.neuronBits), quantizer);
        return rowPartsQuant(kernel, rowParts([layout.ownRows, layout.neuronRows]), (part, rows) => (part === 0 ? byRow(rows) : byNeuron(rows)));
      });
    },
    activations(layer, a) {
      const { activation } = bits[layer];
      const clip = clips[layer];
      if (!activation || activation.every((b) => b === FLOAT_BITS)) return a;
      if (!clip) throw new Error(`layer ${layer}: quantized activations without clip levels`);
      return perNeuron(a, activation, (b) => quantizeActivations(a, clip, b));
    },
    calibrate: () => {},
    afterStep: () => {},
    penalty: () => null,
    bits: () => bits,
    dispose: () => tf.dispose(clips.filter((c): c is tf.Tensor1D => c !== null)),
  };
}
