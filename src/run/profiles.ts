import { Registry } from '../registry.js';
import type { Profile } from './types.js';

/**
 * The paper's protocol (docs/reconstruction.md): SGD lr 1e-3, 100 epochs, patience 20, 3 seeds,
 * MLP 4 x 512. The paper states no batch size or momentum; plain SGD at 1e-3 with batch 256 left
 * the FP32 MLP far from converged on our data, momentum 0.9 at batch 64 converged (measured there).
 */
const paper: Profile = {
  name: 'paper',
  description:
    "the paper's protocol: SGD lr 1e-3, 100 epochs, patience 20, 3 seeds, MLP 4x512, TabFormer d 64 x 2 blocks, all rows; ours: momentum 0.9, batch 64",
  protocol: {
    optimizer: 'sgd',
    learningRate: 1e-3,
    momentum: 0.9,
    epochs: 100,
    patience: 20,
    batchSize: 64,
    calibrationRows: 256,
    seeds: [1, 2, 3],
    splitSeed: 42,
    maxRows: null,
    init: 'scratch',
  },
  models: { mlp: { depth: 4, width: 512 }, tabformer: { d: 64, heads: 4, blocks: 2, ff: 128, pretrainEpochs: 10 } },
};

/**
 * Sized so that the telecom suite finishes within an hour on 2 cores without a GPU. Adam
 * replaces SGD because SGD at lr 1e-3 barely moves in 30 epochs (README lists every difference).
 */
const quick: Profile = {
  name: 'quick',
  description: 'the default: Adam lr 1e-3, 30 epochs, patience 8, 3 seeds, MLP 4x128, TabFormer d 32 x 2 blocks, at most 10000 rows per dataset',
  protocol: {
    optimizer: 'adam',
    learningRate: 1e-3,
    momentum: 0,
    epochs: 30,
    patience: 8,
    batchSize: 256,
    calibrationRows: 256,
    seeds: [1, 2, 3],
    splitSeed: 42,
    maxRows: 10000,
    init: 'scratch',
  },
  models: { mlp: { depth: 4, width: 128 }, tabformer: { d: 32, heads: 4, blocks: 2, ff: 64, pretrainEpochs: 5 } },
};

const profiles = new Registry<Profile>('profile', [paper, quick]);

export const DEFAULT_PROFILE = 'quick';
export const profileNames = (): string[] => profiles.names();
export const getProfile = (name: string): Profile => profiles.get(name);
