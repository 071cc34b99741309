/** The trained model a run leaves behind (models/<run id>.bin): weights, final bits and clips, and how to score raw rows. */
import { join } from 'node:path';
import type { FittedPreprocessing, PreparedDataset, Task } from '../data/types.js';
import { featureGroups } from '../data/preprocess.js';
import { getModel } from '../model/registry.js';
import type { Model, ModelOptions } from '../model/types.js';
import { readWeights, restoreWeights, snapshotWeights, type WeightSnapshot, writeWeights } from '../model/weights.js';
import { makeRng } from '../rng.js';
import { SYMMETRIC_MAX } from '../quant/quantizers.js';
import { FLOAT_BITS, type LayerBits } from '../layers/layer.js';

const FORMAT = 'qatbench-run-model';
const VERSION = 1;

export interface RunModelMeta {
  format: typeof FORMAT;
  version: number;
  runId: string;
  model: { name: string; options: ModelOptions; inputDim: number; outputDim: number };
  /** Final per-neuron weight and activation widths and clip levels: the discrete model. */
  bits: LayerBits[];
  /** Where the run's data came from, to rebuild its test split for checks. */
  dataset: { name: string; sha256: string; splitSeed: number; maxRows: number | null };
  task: Task;
  target: string;
  classes: string[];
  targetScale: { mean: number; std: number } | null;
  preprocessing: FittedPreprocessing;
}

export const runModelPath = (resultsDir: string, runId: string): string => join(resultsDir, 'models', `${runId}.bin`);

export interface RunModelSource {
  runId: string;
  model: { name: string; options: ModelOptions };
  data: PreparedDataset;
  protocol: { splitSeed: number; maxRows: number | null };
}

/** A run's trained model as plain data (it crosses from a worker process to the one that writes results). */
export interface SavedRunModel {
  meta: RunModelMeta;
  snapshot: WeightSnapshot;
}

export function captureRunModel(model: Model, bits: LayerBits[], src: RunModelSource): SavedRunModel {
  const { data } = src;
  const meta: RunModelMeta = {
    format: FORMAT,
    version: VERSION,
    runId: src.runId,
    model: { ...src.model, inputDim: data.featureNames.length, outputDim: data.task === 'classification' ? data.classes.length : 1 },
    bits,
    dataset: { name: data.name, sha256: data.sha256, splitSeed: src.protocol.splitSeed, maxRows: src.protocol.maxRows },
    task: data.task,
    target: data.target,
    classes: data.classes,
    targetScale: data.targetScale,
    preprocessing: data.preprocessing,
  };
  return { meta, snapshot: snapshotWeights(model) };
}

export function writeRunModel(file: string, saved: SavedRunModel): void {
  writeWeights(file, saved.snapshot, { ...saved.meta });
}

export function loadRunModel(file: string): { meta: RunModelMeta; snapshot: WeightSnapshot } {
  const { snapshot, meta } = readWeights(file);
  if (meta.format !== FORMAT || meta.version !== VERSION) throw new Error(`${file}: not a qatbench run model (format ${FORMAT} version ${VERSION})`);
  const saved = meta as unknown as RunModelMeta;
  return { meta: { ...saved, bits: saved.bits.map(withWeightQuantizer) }, snapshot };
}

/** Models saved before the weight quantizer was recorded used the symmetric-max family. */
function withWeightQuantizer(bits: LayerBits): LayerBits {
  if (bits.weightQuantizer !== undefined) return bits;
  return { ...bits, weightQuantizer: bits.weight.every((b) => b === FLOAT_BITS) ? null : SYMMETRIC_MAX };
}

/** The trained model with its saved weights; the caller disposes it. */
export function rebuildModel(meta: RunModelMeta, snapshot: WeightSnapshot): Model {
  const { name, options, inputDim, outputDim } = meta.model;
  // The initialisation is overwritten by the snapshot; any seed will do.
  const model = getModel(name).create(options, inputDim, outputDim, makeRng(0), featureGroups(meta.preprocessing));
  restoreWeights(model, snapshot);
  return model;
}
