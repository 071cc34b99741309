import { featureGroups } from '../data/preprocess.js';
import type { PreparedDataset } from '../data/types.js';
import { getModel } from '../model/registry.js';
import type { Model } from '../model/types.js';
import { makeRng } from '../rng.js';
import { outputDim } from '../train/trainer.js';
import type { RunSpec } from './types.js';

/** The run's model at its seeded initial weights: one place, so a checkpoint and a run start alike. */
export function buildModel(spec: Pick<RunSpec, 'model' | 'seed'>, data: PreparedDataset): Model {
  return getModel(spec.model.name).create(
    spec.model.options,
    data.featureNames.length,
    outputDim(data),
    makeRng(`init:${spec.seed}`),
    featureGroups(data.preprocessing),
  );
}
