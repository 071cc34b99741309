/**
 * The exported discrete model ("qnn"): a JSON header that describes structure and
 * preprocessing, and named binary sections whose bytes are the model itself. The sections
 * add up to exactly the run's model_bytes (metrics/budget.ts):
 *
 *   weight_codes              every layer's weights, one packed bit stream (quant/packing.ts),
 *                             layer by layer: first the rows with scales of their own, row by
 *                             row (output by output), then neuron (column) by neuron over the
 *                             other rows (input by input)
 *   <layer>.row_bits          uint8 per input row: its width code, or NEURON_SCALED_ROW for a   } layers with
 *                             row quantized with the per-neuron scales                         } per-row
 *   <layer>.row_scales        float32 per row with its own scale: weight = code x scale        } widths only
 *   <layer>.weight_bits       uint8 per neuron: its width code (quant/packing.ts bitCode)   } quantized weights
 *   <layer>.weight_scales     float32 per neuron: the weight = code x scale                 } with neuron-scaled rows
 *   <layer>.activation_bits   uint8 per neuron: the width of its output activation          } quantized
 *   <layer>.activation_clips  float32 per neuron: alpha, the step is alpha / (2^b - 1)      } activations only
 *   <layer>.bias              float32 per neuron
 *
 * Float32 values are little-endian. The header (layer shapes, which parts are float, the
 * weight quantizer family of each quantized layer, preprocessing, classes) is outside the
 * count, as a file format's framing is.
 *
 * Versions: 2 names each quantized layer's family (`weightFamily`), which decides how its
 * codes at b >= 2 bits are stored and what they are: symmetric-max codes c in
 * ±(2^(b-1) - 1) with scale = step, or mid-rise odd codes c = 2k + 1 in ±(2^b - 1) with
 * scale = half the step (quant/packing.ts). Version 1 has no `weightFamily`: it predates
 * mid-rise, so its codes are symmetric-max. Version 3 adds per-row widths (`weightRows`, the
 * row_* sections); a layer of versions 1 and 2 has none. Readers bring every version to the
 * current one (currentHeader).
 */
import type { FittedPreprocessing, Task } from '../data/types.js';
import type { WeightQuantizerFamily } from '../quant/quantizers.js';

export const QNN_FORMAT = 'qatbench-qnn';
export const QNN_VERSION = 3;
/** The versions a reader accepts; currentHeader brings each to QNN_VERSION. */
export const QNN_READABLE_VERSIONS: readonly number[] = [1, 2, QNN_VERSION];
/** The row_bits code of a row quantized with the layer's per-neuron scales, at each neuron's width. */
export const NEURON_SCALED_ROW = 255;

export interface QnnLayer {
  name: string;
  fanIn: number;
  fanOut: number;
  /** 'quantized': integer codes with a width and scale per neuron; 'float': float32 weights in the stream. */
  weights: 'quantized' | 'float';
  /** Quantized weights: the family their codes come from (how they are stored and what they mean); float weights: null. */
  weightFamily: WeightQuantizerFamily | null;
  /** Quantized weights with per-input-row widths (sections row_bits, row_scales): a scale per row, or rows sharing per-neuron scales. */
  weightRows: boolean;
  /** The output activation as the next layer reads it: 'quantized' codes, 'float', or null for the last layer. */
  activations: 'quantized' | 'float' | null;
}

export interface QnnHeader {
  format: typeof QNN_FORMAT;
  version: number;
  /** The model kind (its model registry name); it picks the inference code. */
  model: string;
  runId: string;
  task: Task;
  target: string;
  /** Classification: label of each output, in order. */
  classes: string[];
  /** Regression: the model predicts (y - mean) / std. */
  targetScale: { mean: number; std: number } | null;
  /** Raw columns to features: feature order, normalisation constants, category maps. */
  preprocessing: FittedPreprocessing;
  layers: QnnLayer[];
}

export interface QnnModel {
  header: QnnHeader;
  /** In file order: weight_codes first, then each layer's sections. */
  sections: Record<string, Uint8Array>;
}

export const WEIGHT_CODES = 'weight_codes';
export const section = (
  layer: string,
  part: 'row_bits' | 'row_scales' | 'weight_bits' | 'weight_scales' | 'activation_bits' | 'activation_clips' | 'bias',
): string => `${layer}.${part}`;

/**
 * A header of a readable version in the current form: version 1's quantized layers are
 * symmetric-max, the only family before version 2; no layer before version 3 has per-row widths.
 */
export function currentHeader(header: QnnHeader): QnnHeader {
  if (header.version === QNN_VERSION) return header;
  const family = (layer: QnnLayer) => (header.version === 1 ? (layer.weights === 'quantized' ? 'symmetric-max' : null) : layer.weightFamily);
  const layers = header.layers.map((layer): QnnLayer => ({ ...layer, weightFamily: family(layer), weightRows: false }));
  return { ...header, version: QNN_VERSION, layers };
}

/** The counted size of a model: the bytes of its sections. */
export function payloadBytes(model: QnnModel): number {
  return Object.values(model.sections).reduce((n, bytes) => n + bytes.length, 0);
}

export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

export function readFloat32(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** A section that must exist with a given length; anything else is a corrupt file, named. */
export function requireSection(model: QnnModel, name: string, bytes: number): Uint8Array {
  const found = model.sections[name];
  if (!found) throw new Error(`model file lacks section ${name}`);
  if (found.length !== bytes) throw new Error(`section ${name} has ${found.length} bytes, expected ${bytes}`);
  return found;
}
