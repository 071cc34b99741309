import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PreparedDataset } from '../data/types.js';
import { getStrategy } from '../strategy/registry.js';
import { contentHash } from '../hash.js';
import { readWeights, snapshotWeights, type WeightSnapshot, writeWeights } from '../model/weights.js';
import { floatQuantizers } from '../quant/precision-quantizers.js';
import { makeRng } from '../rng.js';
import { train } from '../train/trainer.js';
import type { RunSpec } from './matrix.js';
import { buildModel } from './model-build.js';

export interface Checkpoint {
  snapshot: WeightSnapshot;
  /** Content address: what determines the weights (data, model config, seed, protocol). */
  key: string;
  /** Seconds spent training it now; 0 when it came from the cache. */
  trainSeconds: number;
}

/** Whether a run starts from the FP32 checkpoint: search strategies always, others with --init pretrained. */
export function startsPretrained(spec: RunSpec): boolean {
  return getStrategy(spec.strategy.name).requiresPretrained === true || spec.protocol.init === 'pretrained';
}

export const checkpointFile = (cacheDir: string, key: string): string => join(cacheDir, 'fp32', `${key}.bin`);

/** Checkpoints for a run, logging the ones it has to train. */
export function checkpointSource(cacheDir: string, log: (line: string) => void): (spec: RunSpec, data: PreparedDataset) => WeightSnapshot {
  return (spec, data) => {
    const checkpoint = fp32Checkpoint(spec, data, cacheDir);
    if (checkpoint.trainSeconds > 0) log(`  trained FP32 checkpoint ${checkpoint.key.slice(0, 10)} for ${spec.dataset} seed ${spec.seed} in ${checkpoint.trainSeconds.toFixed(1)} s`);
    return checkpoint.snapshot;
  };
}

/** Everything that determines the FP32 weights; the run's strategy and init mode do not. */
export function checkpointKey(spec: RunSpec, data: PreparedDataset): string {
  const { init: _init, ...protocol } = spec.protocol;
  return contentHash({ kind: 'fp32-checkpoint', dataset: spec.dataset, dataSha256: data.sha256, model: { name: spec.model.name, options: spec.model.options }, seed: spec.seed, protocol });
}

/**
 * The trained FP32 model of a run's dataset, model, seed and protocol, from a content-addressed
 * cache, trained (exactly as the fp32 strategy trains it) and stored on a miss.
 */
export function fp32Checkpoint(spec: RunSpec, data: PreparedDataset, cacheDir: string): Checkpoint {
  const key = checkpointKey(spec, data);
  const file = checkpointFile(cacheDir, key);
  if (existsSync(file)) return { snapshot: readWeights(file).snapshot, key, trainSeconds: 0 };

  const started = performance.now();
  const model = buildModel(spec, data);
  const q = floatQuantizers(model.layers);
  try {
    const outcome = train(model, q, data, spec.protocol, makeRng(`batches:${spec.seed}`));
    if (outcome.status !== 'ok') throw new Error(`the FP32 checkpoint for ${spec.dataset} seed ${spec.seed} ${outcome.status}: ${outcome.error}`);
    const snapshot = snapshotWeights(model);
    writeWeights(file, snapshot, { key, dataset: spec.dataset, model: spec.model.name, seed: spec.seed, bestEpoch: outcome.bestEpoch });
    return { snapshot, key, trainSeconds: (performance.now() - started) / 1000 };
  } finally {
    q.dispose();
    model.dispose();
  }
}
