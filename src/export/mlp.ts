/** The MLP's exporter: a chain of dense layers, ReLU then the activation quantizer between them. */
import * as tf from '@tensorflow/tfjs';
import { float32Bytes, section, WEIGHT_CODES, type QnnLayer } from '../infer/format.js';
import { BitWriter, bitCode, writeColumn, writeFloatColumn } from '../quant/packing.js';
import { weightCodes, type WeightQuantizer } from '../quant/quantizers.js';
import { FLOAT_BITS, type LayerBits } from '../strategy/types.js';
import type { ModelExporter } from './types.js';

/** 'float' or 'quantized' for a layer's widths; a layer mixing both has no place in the format. */
function kindOf(layer: string, what: string, widths: number[]): 'float' | 'quantized' {
  const float = widths.filter((b) => b === FLOAT_BITS).length;
  if (float > 0 && float < widths.length) throw new Error(`layer ${layer} mixes float and quantized ${what} widths; the export format needs one or the other per layer`);
  return float > 0 ? 'float' : 'quantized';
}

/** Column j of a row-major [rows, cols] array. */
function column(values: Float32Array, rows: number, cols: number, j: number): Float32Array {
  return Float32Array.from({ length: rows }, (_, i) => values[i * cols + j]);
}

/** Per neuron: its integer codes and scale at its own width, from the same quantizer the model trained with. */
function neuronCodes(kernel: tf.Tensor2D, widths: number[], quantizer: WeightQuantizer): { codes: Float32Array[]; scales: number[] } {
  const [rows, cols] = kernel.shape;
  const codes: Float32Array[] = new Array(cols);
  const scales: number[] = new Array(cols);
  for (const b of new Set(widths)) {
    const q = weightCodes(kernel, b, quantizer);
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
      if (b.weightRows !== undefined) {
        throw new Error(`layer ${spec.name} has per-input-row weight widths (channel-wise); the export format stores widths per neuron (column) only`);
      }
      const weights = kindOf(spec.name, 'weight', b.weight);
      const activations = b.activation ? kindOf(spec.name, 'activation', b.activation) : null;
      const kernel = kernels[l];
      const quantizer = weights === 'quantized' ? b.weightQuantizer : null;
      if (weights === 'float') {
        const values = kernel.dataSync() as Float32Array;
        for (let j = 0; j < spec.fanOut; j++) writeFloatColumn(stream, column(values, spec.fanIn, spec.fanOut, j));
      } else {
        if (!quantizer) throw new Error(`layer ${spec.name}: quantized weights without their weight quantizer`);
        const { codes, scales } = neuronCodes(kernel, b.weight, quantizer);
        b.weight.forEach((w, j) => writeColumn(stream, w, quantizer.family, codes[j]));
        sections[section(spec.name, 'weight_bits')] = Uint8Array.from(b.weight.map(bitCode));
        sections[section(spec.name, 'weight_scales')] = float32Bytes(scales);
      }
      if (activations === 'quantized') {
        if (!b.clip) throw new Error(`layer ${spec.name}: quantized activations without clip levels`);
        sections[section(spec.name, 'activation_bits')] = Uint8Array.from(b.activation!);
        sections[section(spec.name, 'activation_clips')] = float32Bytes(b.clip);
      }
      sections[section(spec.name, 'bias')] = float32Bytes(biases[l].dataSync());
      return { name: spec.name, fanIn: spec.fanIn, fanOut: spec.fanOut, weights, weightFamily: quantizer?.family ?? null, activations };
    });
    return { layers, sections: { [WEIGHT_CODES]: stream.finish(), ...sections } };
  },
};
