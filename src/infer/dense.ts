/** Dense layers of an exported model, decoded from their sections, and their integer forward pass. */
import { BitReader, bitsOfCode, readColumn, readFloatColumn } from '../quant/packing.js';
import { isSupportedWeightBits, WEIGHT_QUANTIZER_FAMILIES, type WeightQuantizerFamily } from '../quant/quantizers.js';
import { fixedPointDots, planFixedPoint, type FixedPointPlan } from './fixed-point.js';
import { readFloat32, requireSection, section, WEIGHT_CODES, type QnnLayer, type QnnModel } from './format.js';

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
   * Quantized weights, column-major (neuron j's inputs at j * fanIn + i) with a scale per
   * neuron, weight = code x scale in either family (mid-rise's half step is in its odd codes);
   * null for float weights.
   */
  quantized: { bits: number[]; codes: Int32Array; scales: Float32Array } | null;
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

/** Reads every layer's weights from the one packed stream, in order, and its other sections. */
export function decodeDenseLayers(model: QnnModel): DenseLayer[] {
  const stream = model.sections[WEIGHT_CODES];
  if (!stream) throw new Error(`model file lacks section ${WEIGHT_CODES}`);
  const reader = new BitReader(stream);
  const layers = model.header.layers.map((layer): DenseLayer => {
    const { name, fanIn, fanOut } = layer;
    const bias = readFloat32(requireSection(model, section(name, 'bias'), 4 * fanOut));
    let quantized: DenseLayer['quantized'] = null;
    let floats: Float32Array | null = null;
    if (layer.weights === 'float') {
      floats = new Float32Array(fanIn * fanOut);
      for (let j = 0; j < fanOut; j++) floats.set(readFloatColumn(reader, fanIn), j * fanIn);
    } else {
      const family = weightFamilyOf(layer);
      const bits = Array.from(requireSection(model, section(name, 'weight_bits'), fanOut), bitsOfCode);
      const bad = bits.find((b) => !isSupportedWeightBits(b));
      if (bad !== undefined) throw new Error(`layer ${name}: weight width code ${bad} is not a supported width`);
      const codes = new Int32Array(fanIn * fanOut);
      bits.forEach((b, j) => codes.set(readColumn(reader, b, family, fanIn), j * fanIn));
      quantized = { bits, codes, scales: readFloat32(requireSection(model, section(name, 'weight_scales'), 4 * fanOut)) };
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
    return { name, fanIn, fanOut, quantized, floats, bias, activation };
  });
  if (Math.ceil(reader.bitPosition / 8) !== stream.length) {
    throw new Error(`section ${WEIGHT_CODES} has ${stream.length} bytes, the layers use ${Math.ceil(reader.bitPosition / 8)}`);
  }
  return layers;
}

/** Round half to even, as tfjs's round does. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return rest < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * One layer's pre-activations for one row. Quantized codes times quantized weights: exact
 * integer accumulation (fixed-point.ts). Float inputs (the features, float activations) times
 * integer weight codes: float64 accumulation, then the neuron's scale. Float weights: float64.
 */
export function denseForward(layer: DenseLayer, input: LayerInput, plan: FixedPointPlan | null): Float64Array {
  const { fanIn, fanOut, quantized, bias } = layer;
  if (quantized && 'codes' in input && plan) {
    const dots = fixedPointDots(plan, input.codes, quantized.codes, fanOut);
    return dots.map((d, j) => d * quantized.scales[j] + bias[j]);
  }
  const x = 'values' in input ? input.values : Float64Array.from(input.codes, (q, i) => q * input.from.steps[i]);
  const weights = quantized ? quantized.codes : layer.floats!;
  const out = new Float64Array(fanOut);
  for (let j = 0; j < fanOut; j++) {
    let acc = 0;
    for (let i = 0; i < fanIn; i++) acc += x[i] * weights[j * fanIn + i];
    out[j] = (quantized ? acc * quantized.scales[j] : acc) + bias[j];
  }
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
