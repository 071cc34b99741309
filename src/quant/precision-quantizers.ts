import * as tf from '@tensorflow/tfjs';
import { FLOAT_BITS, type LayerBits, type LayerSpec, type QuantizerSet } from '../strategy/types.js';
import { bitsForStrength, gates } from './gates.js';
import { type CandidateSet, mixedActivationQuant, mixedWeightQuant } from './precision-ops.js';

/** One kind of quantizer (weights or activations): its candidates and how its strength behaves. */
export interface PrecisionSpec extends CandidateSet {
  /** Strength at the start of training. */
  initialStrength: number;
  /** Learned (NMP-QAT, layer-wise) or frozen (fixed-width baselines). */
  trainable: boolean;
}

/**
 * Declarative quantizer config shared by every strategy built on precision strengths:
 * fp32 (both null), uniform (one candidate, frozen), nmp-qat (per neuron, learned) and
 * coarser grains of the same surrogate.
 */
export interface PrecisionConfig {
  weight: PrecisionSpec | null;
  /** null: activations stay float (weights-only mode). */
  activation: PrecisionSpec | null;
  /** One strength per neuron, or one per layer shared by all its neurons. */
  grain: 'neuron' | 'layer';
  /** Initial clip level alpha_j: this percentile of the neuron's calibration activations. */
  clipPercentile: number;
  /** lambda in lambda * (soft average weight bits); 0 disables the term. */
  bitPenalty: number;
}

/** Clip levels must stay positive: a zero alpha would make the quantization step zero. */
const MIN_ALPHA = 1e-4;

interface Site {
  spec: PrecisionSpec;
  /** [fanOut] or [1], by grain. */
  strength: tf.Variable<tf.Rank.R1>;
  fanOut: number;
}

function makeSite(spec: PrecisionSpec, fanOut: number, grain: PrecisionConfig['grain']): Site {
  const size = grain === 'neuron' ? fanOut : 1;
  const strength = tf.tidy(() => tf.variable(tf.fill([size], spec.initialStrength), spec.trainable)) as tf.Variable<tf.Rank.R1>;
  return { spec, strength, fanOut };
}

/** The strength per neuron; tiling a layer's single strength sums its gradient over neurons. */
function perNeuron(site: Site): tf.Tensor1D {
  return site.strength.shape[0] === site.fanOut ? site.strength : (tf.tile(site.strength, [site.fanOut]) as tf.Tensor1D);
}

function siteBits(site: Site | null, fanOut: number): number[] {
  if (!site) return new Array(fanOut).fill(FLOAT_BITS);
  const s = site.strength.dataSync();
  const bits = (i: number) => bitsForStrength(s[s.length === 1 ? 0 : i], site.spec.thresholds, site.spec.bits);
  return Array.from({ length: fanOut }, (_, i) => bits(i));
}

/** Per-column percentile of a [batch, n] matrix, read once on the host (calibration only). */
function columnPercentiles(a: tf.Tensor2D, percentile: number): number[] {
  const [rows, cols] = a.shape;
  const values = a.dataSync();
  const column = new Float32Array(rows);
  const out: number[] = [];
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) column[i] = values[i * cols + j];
    column.sort();
    out.push(column[Math.min(rows - 1, Math.floor((percentile / 100) * (rows - 1) + 0.5))]);
  }
  return out;
}

export function createPrecisionQuantizers(layers: LayerSpec[], config: PrecisionConfig): QuantizerSet {
  const weightSites = layers.map((l) => (config.weight ? makeSite(config.weight, l.fanOut, config.grain) : null));
  const activationSites = layers.map((l) =>
    config.activation && l.hasQuantizableOutput ? makeSite(config.activation, l.fanOut, config.grain) : null,
  );
  const alphas = activationSites.map((site) => (site ? (tf.tidy(() => tf.variable(tf.ones([site.fanOut]))) as tf.Variable<tf.Rank.R1>) : null));
  const sites = [...weightSites, ...activationSites].filter((s): s is Site => s !== null);
  const learned = sites.filter((s) => s.spec.trainable).map((s) => s.strength as tf.Variable);
  const variables = [...learned, ...alphas.filter((a): a is tf.Variable<tf.Rank.R1> => a !== null)];
  const totalFanIn = layers.reduce((sum, l) => sum + l.fanIn * l.fanOut, 0);

  return {
    variables,
    weights(layer, kernel) {
      const site = weightSites[layer];
      return site ? mixedWeightQuant(kernel, perNeuron(site), site.spec) : kernel;
    },
    activations(layer, a) {
      const site = activationSites[layer];
      const alpha = alphas[layer];
      return site && alpha ? mixedActivationQuant(a, perNeuron(site), alpha, site.spec) : a;
    },
    calibrate(layer, a) {
      const alpha = alphas[layer];
      if (!alpha) return;
      const levels = columnPercentiles(a, config.clipPercentile);
      // A neuron silent on the calibration batch gets the layer's widest level, not a zero clip.
      const widest = Math.max(MIN_ALPHA, ...levels);
      tf.tidy(() => alpha.assign(tf.tensor1d(levels.map((v) => (v > MIN_ALPHA ? v : widest)))));
    },
    afterStep() {
      tf.tidy(() => {
        for (const s of learned) s.assign(tf.clipByValue(s, 0, 1));
        for (const a of alphas) a?.assign(tf.maximum(a, MIN_ALPHA));
      });
    },
    penalty() {
      if (config.bitPenalty === 0) return null;
      const soft = weightSites
        .map((site, i) => {
          if (!site?.spec.trainable) return null;
          const expected = tf.matMul(tf.tensor2d(site.spec.bits, [1, site.spec.bits.length]), gates(perNeuron(site), site.spec.thresholds, site.spec.tau));
          return tf.mul(tf.sum(expected), layers[i].fanIn);
        })
        .filter((t): t is tf.Tensor => t !== null);
      return soft.length === 0 ? null : (tf.mul(tf.addN(soft), config.bitPenalty / totalFanIn) as tf.Scalar);
    },
    bits(): LayerBits[] {
      return layers.map((l, i) => ({
        weight: siteBits(weightSites[i], l.fanOut),
        activation: l.hasQuantizableOutput ? siteBits(activationSites[i], l.fanOut) : null,
        clip: alphas[i] ? Array.from(alphas[i]!.dataSync()) : null,
      }));
    },
    dispose() {
      for (const s of sites) s.strength.dispose();
      for (const a of alphas) a?.dispose();
    },
  };
}
