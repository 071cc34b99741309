/** The MLP's exporter: a chain of dense layers, ReLU then the activation quantizer between them. */
import * as tf from '@tensorflow/tfjs';
import { float32Bytes, NEURON_SCALED_ROW, section, WEIGHT_CODES, type QnnLayer } from '../infer/format.js';
import { BitWriter, bitCode, writeColumn, writeFloatColumn } from '../quant/packing.js';
import { candidateOps } from '../kernels/quant-ops.js';
import type { WeightQuantizer } from '../quant/quantizers.js';
import { rowLayout, type RowLayout } from '../precision/row-layout.js';
import { FLOAT_BITS, type LayerBits } from '../layers/layer.js';
import type { ModelExporter } from './types.js';

/** 'float' or 'quantized' for a layer's widths; a layer mixing both has no place in the format. */
function kindOf(layer: string, what: string, widths: number[]): 'float' | 'quantized' {
  const float = widths.filter((b) => b === FLOAT_BITS).length;
  if (float > 0 && float < widths.length)
    throw new Error(`layer ${layer} mixes float and quantized ${what} widths; the export format needs one or the other per layer`);
  return float > 0 ? 'float' : 'quantized';
}

/** Column j of a row-major [rows, cols] array. */
function column(values: Float32Array, rows: number, cols: number, j: number): Float32Array {
  return Float32Array.from({ length: rows }, (_, i) => values[i * cols + j]);
}

/** Per neuron: its integer codes and scale at its own width, through the ops the model trained with (fused kernels or the reference, by backend). */
function neuronCodes(kernel: tf.Tensor2D, widths: number[], quantizer: WeightQuantizer): { codes: Float32Array[]; scales: number[] } {
  const [rows, cols] = kernel.shape;
  const codes: Float32Array[] = new Array(cols);
  const scales: number[] = new Array(cols);
  for (const b of new Set(widths)) {
    const q = candidateOps().weightCodes(kernel, b, quantizer);
    const c = q.codes.dataSync() as Float32Array;
    const s = q.scale.dataSync();
    tf.dispose([q.codes, q.scale]);
    widths.forEach((w, j) => {
      if (w !== b) return;
      codes[j] = column(c, rows, cols, j);
      scales[j] = s[j];
    });
  }
  return { codes, scales };
}

/** Columns of `kernel` at their widths into the stream; returns each one's scale. */
function writeColumns(stream: BitWriter, kernel: tf.Tensor2D, widths: number[], quantizer: WeightQuantizer): number[] {
  const { codes, scales } = neuronCodes(kernel, widths, quantizer);
  widths.forEach((w, j) => writeColumn(stream, w, quantizer.family, codes[j]));
  return scales;
}

/** The given rows of a kernel [in, out], as a [rows, out] tensor (the caller disposes it). */
const gatherRows = (kernel: tf.Tensor2D, rows: number[]): tf.Tensor2D => tf.tidy(() => tf.gather(kernel, tf.tensor1d(rows, 'int32')));

/** A layer with per-neuron widths: neuron by neuron, a width code and scale each. */
function writeNeuronWeights(
  stream: BitWriter,
  sections: Record<string, Uint8Array>,
  name: string,
  kernel: tf.Tensor2D,
  widths: number[],
  quantizer: WeightQuantizer,
): void {
  sections[section(name, 'weight_bits')] = Uint8Array.from(widths.map(bitCode));
  sections[section(name, 'weight_scales')] = float32Bytes(writeColumns(stream, kernel, widths, quantizer));
}

/**
 * A layer with per-row widths: the rows with their own scale row by row (a row is a column of
 * the transposed kernel), a width code each and their scales; then, if some rows share
 * per-neuron scales, those rows neuron by neuron as a per-neuron layer of their own.
 */
function writeRowWeights(
  stream: BitWriter,
  sections: Record<string, Uint8Array>,
  name: string,
  kernel: tf.Tensor2D,
  widths: number[],
  rows: RowLayout,
  quantizer: WeightQuantizer,
): void {
  const shared = new Set(rows.neuronRows);
  sections[section(name, 'row_bits')] = Uint8Array.from(widths.map((b, i) => (shared.has(i) ? NEURON_SCALED_ROW : bitCode(b))));
  const own = tf.tidy(() => tf.transpose(gatherRows(kernel, rows.ownRows)) as tf.Tensor2D);
  sections[section(name, 'row_scales')] = float32Bytes(writeColumns(stream, own, rows.ownBits, quantizer));
  own.dispose();
  if (rows.neuronBits === null) return;
  const part = gatherRows(kernel, rows.neuronRows);
  writeNeuronWeights(stream, sections, name, part, new Array(kernel.shape[1]).fill(rows.neuronBits), quantizer);
  part.dispose();
}

export const mlpExporter: ModelExporter = {
  name: 'mlp',
  export(model, bits: LayerBits[]) {
    const depth = model.layers.length;
    // The MLP's variables are its kernels, then its biases, layer by layer.
    const kernels = model.variables.slice(0, depth) as tf.Variable[] as unknown as tf.Tensor2D[];
    const biases = model.variables.slice(depth);
    const stream = new BitWriter();
    const sections: Record<string, Uint8Array> = {};
    const layers = model.layers.map((spec, l): QnnLayer => {
      const b = bits[l];
      const rows = rowLayout(b);
      const weights = kindOf(spec.name, 'weight', b.weightRows ?? b.weight);
      const activations = b.activation ? kindOf(spec.name, 'activation', b.activation) : null;
      const kernel = kernels[l];
      const quantizer = weights === 'quantized' ? b.weightQuantizer : null;
      if (weights === 'float') {
        const values = kernel.dataSync() as Float32Array;
        for (let j = 0; j < spec.fanOut; j++) writeFloatColumn(stream, column(values, spec.fanIn, spec.fanOut, j));
      } else {
        if (!quantizer) throw new Error(`layer ${spec.name}: quantized weights without their weight quantizer`);
        if (rows) writeRowWeights(stream, sections, spec.name, kernel, b.weightRows!, rows, quantizer);
        else writeNeuronWeights(stream, sections, spec.name, kernel, b.weight, quantizer);
      }
      if (activations === 'quantized') {
        if (!b.clip) throw new Error(`layer ${spec.name}: quantized activations without clip levels`);
        sections[section(spec.name, 'activation_bits')] = Uint8Array.from(b.activation!);
        sections[section(spec.name, 'activation_clips')] = float32Bytes(b.clip);
      }
      sections[section(spec.name, 'bias')] = float32Bytes(biases[l].dataSync());
      return {
        name: spec.name,
        fanIn: spec.fanIn,
        fanOut: spec.fanOut,
        weights,
        weightFamily: quantizer?.family ?? null,
        weightRows: quantizer !== null && rows !== null,
        activations,
      };
    });
    return { layers, sections: { [WEIGHT_CODES]: stream.finish(), ...sections } };
  },
};
