import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { featureGroups } from '../data/preprocess.js';
import type { PreparedDataset } from '../data/types.js';
import { getStrategy } from '../strategy/registry.js';
import { contentHash } from '../hash.js';
import { getModel } from '../model/registry.js';
import type { Model, PretrainingConfig } from '../model/types.js';
import { readWeights, restoreWeights, snapshotWeights, type WeightSnapshot, writeWeights } from '../model/weights.js';
import { floatQuantizers } from '../precision/precision-quantizers.js';
import { trainingCodeFingerprint } from '../provenance.js';
import { makeRng } from '../rng.js';
import { pretrain } from '../train/pretrain.js';
import { train } from '../train/trainer.js';
import type { RunSpec } from './types.js';
import { buildModel } from './model-build.js';

/**
 * Two kinds of cached starting weights, content-addressed under the cache directory (the key includes
 * the training code and backend, so a cache never hands a run weights other code trained):
 * - pretrain/: a self-supervised model (masked-cell modelling) for models that pretrain; every
 *   run of that dataset, model and seed starts from it;
 * - fp32/: the FP32 model trained on the task (from the pretrained weights, if any), where search
 *   strategies and --init pretrained runs start.
 */

export interface Checkpoint {
  snapshot: WeightSnapshot;
  /** Content address: what determines the weights (data, model config, seed, protocol). */
  key: string;
  /** Seconds spent training it now; 0 when it came from the cache. */
  trainSeconds: number;
}

/** Where a run starts: the weights to load (null: the seeded initialisation) and what pretraining them cost. */
export interface StartingPoint {
  weights: WeightSnapshot | null;
  /** Seconds the masked-cell pretraining of this run's weights took (once, shared by its runs); null when the model does not pretrain. */
  pretrainSeconds: number | null;
}

type Kind = 'fp32' | 'pretrain';

/** Whether a run starts from the FP32 checkpoint: search strategies always, others with --init pretrained. */
export function startsPretrained(spec: RunSpec): boolean {
  return getStrategy(spec.strategy.name).requiresPretrained === true || spec.protocol.init === 'pretrained';
}

/** The self-supervised pretraining the run's model options ask for (ModelFactory.pretraining), or null. */
export const pretrainingOf = (spec: Pick<RunSpec, 'model'>): PretrainingConfig | null => getModel(spec.model.name).pretraining?.(spec.model.options) ?? null;

const cacheFile = (cacheDir: string, kind: Kind, key: string): string => join(cacheDir, kind, `${key}.bin`);

/** The prepared data as a model sees it: a definition edited under the same name never reuses weights of another shape or other rows. */
const layout = (data: PreparedDataset) => ({
  features: data.featureNames,
  groups: featureGroups(data.preprocessing),
  classes: data.classes,
  preparation: data.preparation,
});

/** What any cached starting weights of a run depend on: the code and backend that train them, the data and its layout, the model and the seed. */
const trainedFrom = (spec: RunSpec, data: PreparedDataset) => ({
  code: trainingCodeFingerprint(tf.getBackend()),
  dataset: spec.dataset,
  dataSha256: data.sha256,
  layout: layout(data),
  model: { name: spec.model.name, options: spec.model.options },
  seed: spec.seed,
});

/** Everything that determines the FP32 weights; the run's strategy and init mode do not. */
export function checkpointKey(spec: RunSpec, data: PreparedDataset): string {
  const { init: _init, ...protocol } = spec.protocol;
  return contentHash({ kind: 'fp32-checkpoint', ...trainedFrom(spec, data), protocol });
}

/** Everything that determines the pretrained weights: the training features, model config (pretraining options included), seed and batch size. */
function pretrainKey(spec: RunSpec, data: PreparedDataset): string {
  const { splitSeed, maxRows, batchSize } = spec.protocol;
  return contentHash({ kind: 'pretrain', ...trainedFrom(spec, data), splitSeed, maxRows, batchSize });
}

/** The cache files a run starts from (to wait for one another run is writing). */
export function startingFiles(spec: RunSpec, data: PreparedDataset, cacheDir: string): string[] {
  return [
    ...(pretrainingOf(spec) ? [cacheFile(cacheDir, 'pretrain', pretrainKey(spec, data))] : []),
    ...(startsPretrained(spec) ? [cacheFile(cacheDir, 'fp32', checkpointKey(spec, data))] : []),
  ];
}

/** A cached snapshot, or `make` trains one (timed) and it is stored with `make`'s metadata. */
function cached(
  cacheDir: string,
  kind: Kind,
  key: string,
  make: () => { model: Model; meta: Record<string, unknown> },
): Checkpoint & { meta: Record<string, unknown> } {
  const file = cacheFile(cacheDir, kind, key);
  if (existsSync(file)) {
    const { snapshot, meta } = readWeights(file);
    return { snapshot, key, trainSeconds: 0, meta };
  }
  const started = performance.now();
  const { model, meta } = make();
  try {
    const trainSeconds = (performance.now() - started) / 1000;
    const snapshot = snapshotWeights(model);
    writeWeights(file, snapshot, { key, ...meta, trainSeconds });
    return { snapshot, key, trainSeconds, meta: { ...meta, trainSeconds } };
  } finally {
    model.dispose();
  }
}

/** The model pretrained by its self-supervised objective on the training split's features (PretrainingConfig). */
function pretrainedCheckpoint(spec: RunSpec, data: PreparedDataset, cacheDir: string, config: PretrainingConfig): Checkpoint & { pretrainSeconds: number } {
  const checkpoint = cached(cacheDir, 'pretrain', pretrainKey(spec, data), () => {
    const model = buildModel(spec, data);
    if (!model.selfSupervised) throw new Error(`model ${spec.model.name} asks for pretraining but has no self-supervised objective`);
    const losses = pretrain(
      model.variables,
      model.selfSupervised,
      data.train,
      data.featureNames.length,
      { ...config, batchSize: spec.protocol.batchSize },
      makeRng(`pretrain:${spec.seed}`),
    );
    return { model, meta: { dataset: spec.dataset, model: spec.model.name, seed: spec.seed, losses } };
  });
  return { ...checkpoint, pretrainSeconds: checkpoint.meta.trainSeconds as number };
}

/** The FP32 model of a run's dataset, model, seed and protocol, trained exactly as the fp32 strategy trains it (from `start`). */
function fp32Checkpoint(spec: RunSpec, data: PreparedDataset, cacheDir: string, start: WeightSnapshot | null): Checkpoint {
  return cached(cacheDir, 'fp32', checkpointKey(spec, data), () => {
    const model = buildModel(spec, data);
    if (start) restoreWeights(model, start);
    const q = floatQuantizers(model.layers);
    try {
      const outcome = train(model, q, data, spec.protocol, makeRng(`batches:${spec.seed}`));
      if (outcome.status !== 'ok') throw new Error(`the FP32 checkpoint for ${spec.dataset} seed ${spec.seed} ${outcome.status}: ${outcome.error}`);
      return { model, meta: { dataset: spec.dataset, model: spec.model.name, seed: spec.seed, bestEpoch: outcome.bestEpoch } };
    } catch (err) {
      model.dispose();
      throw err;
    } finally {
      q.dispose();
    }
  });
}

/** Starting points for runs, from the cache (training and storing what is missing, and logging it). */
export function startingPoints(cacheDir: string, log: (line: string) => void): (spec: RunSpec, data: PreparedDataset) => StartingPoint {
  const note = (what: string, spec: RunSpec, c: Checkpoint) => {
    if (c.trainSeconds > 0) log(`  ${what} ${c.key.slice(0, 10)} for ${spec.dataset} ${spec.model.label} seed ${spec.seed} in ${c.trainSeconds.toFixed(1)} s`);
  };
  return (spec, data) => {
    const config = pretrainingOf(spec);
    const pretrained = config ? pretrainedCheckpoint(spec, data, cacheDir, config) : null;
    if (pretrained) note('pretrained (masked cells)', spec, pretrained);
    const pretrainSeconds = pretrained?.pretrainSeconds ?? null;
    if (!startsPretrained(spec)) return { weights: pretrained?.snapshot ?? null, pretrainSeconds };
    const fp32 = fp32Checkpoint(spec, data, cacheDir, pretrained?.snapshot ?? null);
    note('trained FP32 checkpoint', spec, fp32);
    return { weights: fp32.snapshot, pretrainSeconds };
  };
}
