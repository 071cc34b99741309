import * as tf from '@tensorflow/tfjs';
import type { SplitData } from '../data/types.js';
import type { MaskedCellObjective, PretrainingConfig } from '../model/types.js';
import type { Rng } from '../rng.js';
import { BatchSource } from './batches.js';

/** [rows, cells] of 0/1: each cell masked with probability `fraction`, drawn from the generator in row-major order. */
export function sampleCellMask(rows: number, cells: number, fraction: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: rows * cells }, () => (rng() < fraction ? 1 : 0));
}

/**
 * Self-supervised pretraining on the training split's features (never its targets): Adam on
 * the objective over `config.epochs` epochs, a fresh mask per batch. Returns the mean loss per epoch.
 */
export function pretrain(
  modelVariables: tf.Variable[],
  objective: MaskedCellObjective,
  train: SplitData,
  features: number,
  config: PretrainingConfig & { batchSize: number },
  rng: Rng,
): number[] {
  const source = new BatchSource(train, features, config.batchSize);
  const optimizer = tf.train.adam(config.learningRate);
  const variables = [...modelVariables, ...objective.variables];
  const losses: number[] = [];
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      source.shuffle(rng);
      let sum = 0;
      for (let b = 0; b < source.batches; b++) {
        const { x, y } = source.batch(b);
        const rows = x.shape[0];
        const mask = tf.tensor2d(sampleCellMask(rows, objective.cells, config.maskFraction, rng), [rows, objective.cells]);
        const cost = optimizer.minimize(() => objective.loss(x, mask), true, variables)!;
        sum += cost.dataSync()[0] * rows;
        tf.dispose([x, y, mask, cost]);
      }
      const mean = sum / train.n;
      if (!Number.isFinite(mean)) throw new Error(`masked-cell pretraining diverged at epoch ${epoch + 1} (loss ${mean})`);
      losses.push(mean);
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}
