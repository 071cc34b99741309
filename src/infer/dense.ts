/** Dense layers of an exported model, decoded from their sections, and their integer forward pass. */
import { BitReader, bitsOfCode, readColumn, readFloatColumn } from '../quant/packing.js';
import { isSupportedWeightBits, roundHalfEven, WEIGHT_QUANTIZER_FAMILIES, type WeightQuantizerFamily } from '../quant/quantizers.js';
import { fixedPointDots, planFixedPoint, type FixedPointPlan } from './fixed-point.js';
import { NEURON_SCALED_ROW, readFloat32, requireSection, section, WEIGHT_CODES, type QnnLayer, type QnnModel } from './format.js';

/** Quantized output activations: per neuron its width, clip level alpha and step alpha / (2^b - 1) in float32. */
export interface ActivationCodes {
  bits: number[];
  clips: Float32Array;
  steps: Float32Array;
}

export interface DenseLayer {
  name: string;
  fanIn: number;
  fanOut: number;
  /**
   * Quantized weights with a scale per neuron, column-major (neuron j's inputs at j * fanIn + i),
   * weight = code x scale in either family (mid-rise's half step is in its odd codes); rows with
   * scales of their own (`rows`) have code 0 here. null for float weights, or when every row
   * has its own scale.
   */
  quantized: { bits: number[]; codes: Int32Array; scales: Float32Array } | null;
  /** Quantized rows with a width and scale of their own: their indices, and their codes row-major (row r's outputs at r * fanOut + j); null: none. */
  rows: { index: number[]; bits: number[]; codes: Int32Array; scales: Float32Array } | null;
  /** Float weights, column-major; null for quantized weights. */
  floats: Float32Array | null;
  bias: Float32Array;
  /** How the output is passed on: quantized codes, or null (float, or the model's output). */
  activation: ActivationCodes | null;
}

/** What a layer reads: float values (the features, or float activations) or the previous layer's codes. */
export type LayerInput = { values: Float64Array } | { codes: Int32Array; from: ActivationCodes };

const MAX_ACTIVATION_BITS = 16;

/** A quantized layer's family; the header comes from a file, so a missing or unknown one is refused. */
function weightFamilyOf(layer: QnnLayer): WeightQuantizerFamily {
  const family = layer.weightFamily;
  if (family === null || !WEIGHT_QUANTIZER_FAMILIES.includes(family)) {
    throw new Error(`layer ${layer.name}: weight family ${JSON.stringify(family)} is not one of ${WEIGHT_QUANTIZER_FAMILIES.join(', ')}`);
  }
  return family;
}

/** Width codes from a file: each must name a supported width. */
function widthsOf(name: string, codes: Iterable<number>): number[] {
  const bits = Array.from(codes, bitsOfCode);
  const bad = bits.find((b) => !isSupportedWeightBits(b));
  if (bad !== undefined) throw new Error(`layer ${name}: weight width code ${bad} is not a supported width`);
  return bits;
}

/** Neuron by neuron, the codes of the given input rows (every row, or the neuron-scaled ones), and a width and scale per neuron. */
function readNeuronWeights(model: QnnModel, layer: QnnLayer, reader: BitReader, inputs: number[]): DenseLayer['quantized'] {
  const { name, fanIn, fanOut } = layer;
  const family = weightFamilyOf(layer);
  const bits = widthsOf(name, requireSection(model, section(name, 'weight_bits'), fanOut));
  const codes = new Int32Array(fanIn * fanOut);
  bits.forEach((b, j) => readColumn(reader, b, family, inputs.length).forEach((c, t) => (codes[j * fanIn + inputs[t]] = c)));
  return { bits, codes, scales: readFloat32(requireSection(model, section(name, 'weight_scales'), 4 * fanOut)) };
}

/** Per-row widths: the rows with their own scale, row by row, then the neuron-scaled rows (if any) neuron by neuron. */
function readRowWeights(model: QnnModel, layer: QnnLayer, reader: BitReader): Pick<DenseLayer, 'quantized' | 'rows'> {
  const { name, fanIn, fanOut } = layer;
  const family = weightFamilyOf(layer);
  const codes = Array.from(requireSection(model, section(name, 'row_bits'), fanIn));
  const index = codes.flatMap((c, i) => (c === NEURON_SCALED_ROW ? [] : [i]));
  const shared = codes.flatMap((c, i) => (c === NEURON_SCALED_ROW ? [i] : []));
  const bits = widthsOf(
    name,
    index.map((i) => codes[i]),
  );
  const rowCodes = new Int32Array(index.length * fanOut);
  bits.forEach((b, r) => rowCodes.set(readColumn(reader, b, family, fanOut), r * fanOut));
  const rows = { index, bits, codes: rowCodes, scales: readFloat32(requireSection(model, section(name, 'row_scales'), 4 * index.length)) };
  return { rows, quantized: shared.length > 0 ? readNeuronWeights(model, layer, reader, shared) : null };
}

/** Reads every layer's weights from the one packed stream, in order, and its other sections. */
export function decodeDenseLayers(model: QnnModel): DenseLayer[] {
  const stream = model.sections[WEIGHT_CODES];
  if (!stream) throw new Error(`model file lacks section ${WEIGHT_CODES}`);
  const reader = new BitReader(stream);
  const layers = model.header.layers.map((layer): DenseLayer => {
    const { name, fanIn, fanOut } = layer;
    const bias = readFloat32(requireSection(model, section(name, 'bias'), 4 * fanOut));
    let quantized: DenseLayer['quantized'] = null;
    let rows: DenseLayer['rows'] = null;
    let floats: Float32Array | null = null;
    if (layer.weights === 'float') {
      floats = new Float32Array(fanIn * fanOut);
      for (let j = 0; j < fanOut; j++) floats.set(readFloatColumn(reader, fanIn), j * fanIn);
    } else if (layer.weightRows) {
      ({ quantized, rows } = readRowWeights(model, layer, reader));
    } else {
      quantized = readNeuronWeights(
        model,
        layer,
        reader,
        Array.from({ length: fanIn }, (_, i) => i),
      );
    }
    let activation: ActivationCodes | null = null;
    if (layer.activations === 'quantized') {
      const bits = Array.from(requireSection(model, section(name, 'activation_bits'), fanOut));
      const bad = bits.find((b) => b < 1 || b > MAX_ACTIVATION_BITS);
      if (bad !== undefined) throw new Error(`layer ${name}: activation width ${bad} is outside 1..${MAX_ACTIVATION_BITS}`);
      const clips = readFloat32(requireSection(model, section(name, 'activation_clips'), 4 * fanOut));
      const badClip = clips.find((alpha) => !(alpha > 0 && Number.isFinite(alpha)));
      if (badClip !== undefined) throw new Error(`layer ${name}: clip level ${badClip} is not a positive number`);
      // As the fake quantizer computes it: alpha / (2^b - 1) rounded to float32.
      activation = { bits, clips, steps: Float32Array.from(clips, (alpha, j) => alpha / (2 ** bits[j] - 1)) };
    }
    return { name, fanIn, fanOut, quantized, rows, floats, bias, activation };
  });
  if (Math.ceil(reader.bitPosition / 8) !== stream.length) {
    throw new Error(`section ${WEIGHT_CODES} has ${stream.length} bytes, the layers use ${Math.ceil(reader.bitPosition / 8)}`);
  }
  return layers;
}

/**
 * One layer's pre-activations for one row. Quantized codes times weights with per-neuron scales:
 * exact integer accumulation (fixed-point.ts). Float inputs (the features, float activations)
 * times integer weight codes: float64 accumulation, then the neuron's scale. Rows with scales
 * of their own: each input times its row's scale and codes, in float64, as OWQ computes its
 * high-precision weak rows apart from the integer kernel. Float weights: float64.
 */
export function denseForward(layer: DenseLayer, input: LayerInput, plan: FixedPointPlan | null): Float64Array {
  const { fanIn, fanOut, quantized, rows, floats } = layer;
  const out = Float64Array.from(layer.bias);
  const x = 'values' in input ? input.values : Float64Array.from(input.codes, (q, i) => q * input.from.steps[i]);
  if (quantized && 'codes' in input && plan) {
    fixedPointDots(plan, input.codes, quantized.codes, fanOut).forEach((d, j) => (out[j] += d * quantized.scales[j]));
  } else if (quantized || floats) {
    const weights = quantized ? quantized.codes : floats!;
    for (let j = 0; j < fanOut; j++) {
      let acc = 0;
      for (let i = 0; i < fanIn; i++) acc += x[i] * weights[j * fanIn + i];
      out[j] += quantized ? acc * quantized.scales[j] : acc;
    }
  }
  rows?.index.forEach((i, r) => {
    const xs = x[i] * rows.scales[r];
    for (let j = 0; j < fanOut; j++) out[j] += xs * rows.codes[r * fanOut + j];
  });
  return out;
}

/** The integer plan of a layer whose inputs are codes and whose weights are quantized; null otherwise. */
export function planLayer(layer: DenseLayer, from: ActivationCodes | null): FixedPointPlan | null {
  return from && layer.quantized ? planFixedPoint(from.steps, from.bits, layer.quantized.codes, layer.fanOut) : null;
}

/** ReLU, then the neuron's activation code exactly as the fake quantizer computes it (float32), or the float value. */
export function reluActivation(layer: DenseLayer, pre: Float64Array): LayerInput {
  const act = layer.activation;
  if (!act) return { values: pre.map((v) => Math.max(v, 0)) };
  const codes = Int32Array.from(pre, (v, j) => roundHalfEven(Math.fround(Math.min(Math.max(Math.fround(v), 0), act.clips[j]) / act.steps[j])));
  return { codes, from: act };
}
