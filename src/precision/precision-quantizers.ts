import * as tf from '@tensorflow/tfjs';
import { FLOAT_BITS, type LayerBits, type LayerSpec } from '../layers/layer.js';
import type { QuantizerSet, VariableGroup, VariableOptimizer } from '../layers/quantizer-set.js';
import { bitsForStrength, gates } from '../quant/gates.js';
import { type CandidateSet, mixedActivationQuant, mixedWeightQuant, perRow, type RowParts, rowPartsQuant, rowParts } from './precision-ops.js';
import { MID_RISE, type WeightQuantizer } from '../quant/quantizers.js';

/** One kind of quantizer (weights or activations): its candidates and how its strength behaves. */
export interface PrecisionSpec extends CandidateSet {
  /** Strength at the start of training: one value, or one per strength entry (fixed per-row choices). */
  initialStrength: number | number[];
  /** Learned (NMP-QAT, layer-wise) or frozen (fixed-width and searched baselines). */
  trainable: boolean;
  /** How learned strengths are optimised; default: with the run's optimiser and learning rate. */
  strengthOptimizer?: VariableOptimizer;
  /**
   * neuron: one strength per output neuron (column); layer: one shared by the layer;
   * row: one per input row W[i, :], quantized with a scale per row (weights only).
   */
  grain: 'neuron' | 'layer' | 'row';
}

/** One spec for every layer, one per layer, or null: left in float. */
export type PerLayer<T> = T | null | (T | null)[];

/**
 * A layer's input rows in two parts: `rows` quantized with a scale per row (`perRow`, row grain),
 * the others with one scale per output neuron fitted over those rows alone (`perNeuron`, one
 * frozen width). Both parts' widths are frozen; the kernel's gradient is straight-through.
 * OWQ's weak rows beside its low-bit rows.
 */
export interface RowSplit {
  rows: number[];
  perRow: PrecisionSpec;
  perNeuron: PrecisionSpec;
}

/**
 * Declarative quantizer config shared by every strategy built on precision strengths:
 * fp32 (both null), uniform (one candidate, frozen), nmp-qat (per neuron, learned), coarser
 * grains of the same surrogate, and searched per-layer or per-row widths (frozen).
 */
export interface PrecisionConfig {
  weight: PerLayer<PrecisionSpec | RowSplit>;
  /** How a neuron (or a row, for the row grain) is quantized at each weight width. */
  weightQuantizer: WeightQuantizer;
  /** null: activations stay float (weights-only mode). */
  activation: PerLayer<PrecisionSpec>;
  /** Initial clip level alpha_j: this percentile of the neuron's calibration activations. */
  clipPercentile: number;
  /** lambda in lambda * (soft average weight bits); 0 disables the term. */
  bitPenalty: number;
  /** Clip levels train with the run's optimiser at this multiple of its learning rate; default 1. */
  clipLrScale?: number;
}

const RUN_OPTIMIZER: VariableOptimizer = { kind: 'run', lrScale: 1 };

/** A single frozen width. */
export const fixedWidth = (bits: number, grain: PrecisionSpec['grain'] = 'layer'): PrecisionSpec => ({
  bits: [bits],
  thresholds: [],
  tau: 1,
  initialStrength: 0,
  trainable: false,
  grain,
});

/** Frozen per-entry choices among candidates (e.g. one width per input row), via strengths in the middle of each interval. */
export function frozenChoices(candidates: number[], chosen: number[], grain: PrecisionSpec['grain']): PrecisionSpec {
  const k = candidates.length;
  const thresholds = Array.from({ length: k - 1 }, (_, i) => (i + 1) / k);
  const initialStrength = chosen.map((bits) => {
    const index = candidates.indexOf(bits);
    if (index < 0) throw new Error(`width ${bits} is not among the candidates ${candidates.join(', ')}`);
    return (index + 0.5) / k;
  });
  return { bits: candidates, thresholds, tau: 1, initialStrength, trainable: false, grain };
}

/** Nothing quantized: the FP32 reference, and the model an FP32 checkpoint trains. */
export const floatQuantizers = (layers: LayerSpec[]): QuantizerSet =>
  createPrecisionQuantizers(layers, { weight: null, weightQuantizer: MID_RISE, activation: null, clipPercentile: 100, bitPenalty: 0 });

/** Clip levels must stay positive: a zero alpha would make the quantization step zero. */
const MIN_ALPHA = 1e-4;

interface Site {
  spec: PrecisionSpec;
  /** [fanOut], [1] or [fanIn], by grain. */
  strength: tf.Variable<tf.Rank.R1>;
  /** Entries the strength is expanded to: output neurons, or input rows for the row grain. */
  entries: number;
}

/** A layer's weight quantizer: one site over all its rows, or a row split's two sites (row part, then neuron part). */
interface WeightSite {
  parts: Site[];
  split: { rows: number[]; others: number[]; indices: RowParts } | null;
}

function specFor<T>(config: PerLayer<T>, layer: number): T | null {
  return Array.isArray(config) ? (config[layer] ?? null) : config;
}

/** Entries a site's strength expands to: output neurons, input rows (row grain), or activation-site columns. */
function siteEntries(spec: PrecisionSpec, layer: LayerSpec, kind: 'weight' | 'activation'): number {
  if (kind === 'weight') return spec.grain === 'row' ? layer.fanIn : layer.fanOut;
  if (spec.grain === 'row') throw new Error('activations have no input rows: use the neuron or layer grain');
  return layer.activation!.width;
}

function makeSite(spec: PrecisionSpec, layer: LayerSpec, kind: 'weight' | 'activation'): Site {
  const entries = siteEntries(spec, layer, kind);
  const size = spec.grain === 'layer' ? 1 : entries;
  const initial = Array.isArray(spec.initialStrength) ? spec.initialStrength : new Array(size).fill(spec.initialStrength);
  if (initial.length !== size) throw new Error(`${layer.name}: ${initial.length} initial strengths for ${size} ${spec.grain} entries`);
  const strength = tf.tidy(() => tf.variable(tf.tensor1d(initial), spec.trainable)) as tf.Variable<tf.Rank.R1>;
  return { spec, strength, entries };
}

/** The strength per entry; tiling a layer's single strength sums its gradient over the entries. */
function perEntry(site: Site): tf.Tensor1D {
  return site.strength.shape[0] === site.entries ? site.strength : (tf.tile(site.strength, [site.entries]) as tf.Tensor1D);
}

function siteBits(site: Site | null, entries: number): number[] {
  if (!site) return new Array(entries).fill(FLOAT_BITS);
  const s = site.strength.dataSync();
  const bits = (i: number) => bitsForStrength(s[s.length === 1 ? 0 : i], site.spec.thresholds, site.spec.bits);
  return Array.from({ length: entries }, (_, i) => bits(i));
}

/** Per-row widths with every neuron reporting its column's average, so that per-neuron reports stay comparable. */
function rowWidths(rows: number[], layer: LayerSpec): Pick<LayerBits, 'weight' | 'weightRows'> {
  const columnAverage = rows.reduce((a, b) => a + b, 0) / rows.length;
  return { weight: new Array(layer.fanOut).fill(columnAverage), weightRows: rows };
}

/** Per-neuron weight bits and their quantizer, plus the per-row bits a row-grain site or a row split decides. */
function weightBits(
  site: WeightSite | null,
  layer: LayerSpec,
  quantizer: WeightQuantizer,
): Pick<LayerBits, 'weight' | 'weightQuantizer' | 'weightRows' | 'neuronScaledRows'> {
  if (!site) return { weight: siteBits(null, layer.fanOut), weightQuantizer: null };
  const [first, second] = site.parts;
  if (site.split) {
    const rows = new Array<number>(layer.fanIn);
    siteBits(first, site.split.rows.length).forEach((b, i) => (rows[site.split!.rows[i]] = b));
    const [width] = second.spec.bits;
    for (const i of site.split.others) rows[i] = width;
    return { ...rowWidths(rows, layer), weightQuantizer: quantizer, neuronScaledRows: site.split.others };
  }
  if (first.spec.grain === 'row') return { ...rowWidths(siteBits(first, layer.fanIn), layer), weightQuantizer: quantizer };
  return { weight: siteBits(first, layer.fanOut), weightQuantizer: quantizer };
}

/**
 * A layer's weight site; a split that leaves one part empty is that part's plain grain. A
 * split's parts must be frozen and its neuron part of one width: the format of its bits
 * (LayerBits.neuronScaledRows) and the straight-through op (rowPartsQuant) assume both.
 */
function makeWeightSite(spec: PrecisionSpec | RowSplit, layer: LayerSpec): WeightSite {
  if (!('perRow' in spec)) return { parts: [makeSite(spec, layer, 'weight')], split: null };
  const chosen = new Set(spec.rows);
  if (chosen.size !== spec.rows.length || spec.rows.some((i) => !(Number.isInteger(i) && i >= 0 && i < layer.fanIn))) {
    throw new Error(`${layer.name}: a row split needs distinct rows within 0..${layer.fanIn - 1}`);
  }
  if (spec.perRow.grain !== 'row' || spec.perNeuron.grain === 'row')
    throw new Error(`${layer.name}: a row split's parts are one of row grain, then one of neuron or layer grain`);
  if (spec.perRow.trainable || spec.perNeuron.trainable || spec.perNeuron.bits.length !== 1)
    throw new Error(`${layer.name}: a row split's widths are frozen, its neuron part at one width`);
  if (chosen.size === 0) return makeWeightSite(spec.perNeuron, layer);
  if (chosen.size === layer.fanIn) return makeWeightSite(spec.perRow, layer);
  const { rows } = spec;
  const others = Array.from({ length: layer.fanIn }, (_, i) => i).filter((i) => !chosen.has(i));
  const parts = [makeSite(spec.perRow, { ...layer, fanIn: rows.length }, 'weight'), makeSite(spec.perNeuron, { ...layer, fanIn: others.length }, 'weight')];
  return { parts, split: { rows, others, indices: rowParts([rows, others]) } };
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

const group = (name: string, variables: tf.Variable[], optimizer: VariableOptimizer): VariableGroup[] =>
  variables.length > 0 ? [{ name, variables, optimizer }] : [];

/** The learned strengths of one kind, one group per distinct optimiser their specs ask for. */
function strengthGroups(name: string, sites: (Site | null)[]): VariableGroup[] {
  const byOptimizer = new Map<string, { optimizer: VariableOptimizer; variables: tf.Variable[] }>();
  for (const site of sites) {
    if (!site?.spec.trainable) continue;
    const optimizer = site.spec.strengthOptimizer ?? RUN_OPTIMIZER;
    const key = JSON.stringify(optimizer);
    if (!byOptimizer.has(key)) byOptimizer.set(key, { optimizer, variables: [] });
    byOptimizer.get(key)!.variables.push(site.strength);
  }
  return [...byOptimizer.values()].flatMap((g) => group(name, g.variables, g.optimizer));
}

export function createPrecisionQuantizers(layers: LayerSpec[], config: PrecisionConfig): QuantizerSet {
  const weightSites = layers.map((l, i) => {
    const spec = specFor(config.weight, i);
    return spec ? makeWeightSite(spec, l) : null;
  });
  const weightParts = weightSites.flatMap((site) => site?.parts ?? []);
  const activationSites = layers.map((l, i) => {
    const spec = specFor(config.activation, i);
    if (!spec || !l.activation) return null;
    const site = makeSite(spec, l, 'activation');
    // Signed sites use the symmetric quantizer (candidate-ops.ts) whatever the strategy asked.
    return l.activation.signed ? { ...site, spec: { ...site.spec, signed: true } } : site;
  });
  const alphas = activationSites.map((site) => (site ? (tf.tidy(() => tf.variable(tf.ones([site.entries]))) as tf.Variable<tf.Rank.R1>) : null));
  const sites = [...weightParts, ...activationSites].filter((s): s is Site => s !== null);
  const learned = sites.filter((s) => s.spec.trainable).map((s) => s.strength as tf.Variable);
  const trainable = [
    ...strengthGroups('weight strengths', weightParts),
    ...strengthGroups('activation strengths', activationSites),
    ...group(
      'clip levels',
      alphas.filter((a): a is tf.Variable<tf.Rank.R1> => a !== null),
      { kind: 'run', lrScale: config.clipLrScale ?? 1 },
    ),
  ];
  const totalFanIn = layers.reduce((sum, l) => sum + l.fanIn * l.fanOut, 0);

  return {
    trainable,
    weights(layer, kernel) {
      const site = weightSites[layer];
      if (!site) return kernel;
      const quantize = (part: Site, w: tf.Tensor2D) => {
        const columns = (c: tf.Tensor2D) => mixedWeightQuant(c, perEntry(part), { ...part.spec, quantizer: config.weightQuantizer });
        return part.spec.grain === 'row' ? perRow(w, columns) : columns(w);
      };
      if (!site.split) return quantize(site.parts[0], kernel);
      return rowPartsQuant(kernel, site.split.indices, (i, rows) => quantize(site.parts[i], rows));
    },
    activations(layer, a) {
      const site = activationSites[layer];
      const alpha = alphas[layer];
      return site && alpha ? mixedActivationQuant(a, perEntry(site), alpha, site.spec) : a;
    },
    calibrate(layer, a) {
      const alpha = alphas[layer];
      if (!alpha) return;
      const levels = layers[layer].activation?.signed
        ? tf.tidy(() => columnPercentiles(tf.abs(a), config.clipPercentile))
        : columnPercentiles(a, config.clipPercentile);
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
        .map((weightSite, i) => {
          // Only a whole layer's site learns its widths (a split's parts are frozen).
          const site = weightSite?.parts[0];
          if (!site?.spec.trainable) return null;
          const expected = tf.matMul(tf.tensor2d(site.spec.bits, [1, site.spec.bits.length]), gates(perEntry(site), site.spec.thresholds, site.spec.tau));
          // Each entry's width applies to a column (fanIn weights) or, per row, to fanOut weights.
          return tf.mul(tf.sum(expected), site.spec.grain === 'row' ? layers[i].fanOut : layers[i].fanIn);
        })
        .filter((t): t is tf.Tensor => t !== null);
      return soft.length === 0 ? null : (tf.mul(tf.addN(soft), config.bitPenalty / totalFanIn) as tf.Scalar);
    },
    bits(): LayerBits[] {
      return layers.map((l, i) => ({
        ...weightBits(weightSites[i], l, config.weightQuantizer),
        activation: l.activation ? siteBits(activationSites[i], l.activation.width) : null,
        clip: alphas[i] ? Array.from(alphas[i]!.dataSync()) : null,
      }));
    },
    dispose() {
      for (const s of sites) s.strength.dispose();
      for (const site of weightSites) if (site?.split) tf.dispose([...site.split.indices.rows, site.split.indices.inverse]);
      for (const a of alphas) a?.dispose();
    },
  };
}
