import * as tf from '@tensorflow/tfjs';
import type { SplitData } from '../data/types.js';
import { type Rng, shuffleInPlace } from '../rng.js';

/**
 * Mini-batches of a split in a seeded order. Row gathering reuses two host buffers, so an
 * epoch allocates only the tensors it hands to tfjs.
 */
export class BatchSource {
  private readonly order: Int32Array;
  private readonly xBuffer: Float32Array;
  private readonly yBuffer: Float32Array;

  constructor(
    private readonly split: SplitData,
    private readonly features: number,
    readonly batchSize: number,
  ) {
    this.order = Int32Array.from({ length: split.n }, (_, i) => i);
    this.xBuffer = new Float32Array(batchSize * features);
    this.yBuffer = new Float32Array(batchSize);
  }

  shuffle(rng: Rng): void {
    shuffleInPlace(this.order, rng);
  }

  get batches(): number {
    return Math.ceil(this.split.n / this.batchSize);
  }

  /** Batch b of the current order as [rows, features] and [rows] tensors. */
  batch(b: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
    const start = b * this.batchSize;
    const rows = Math.min(this.batchSize, this.split.n - start);
    const f = this.features;
    for (let r = 0; r < rows; r++) {
      const src = this.order[start + r];
      this.xBuffer.set(this.split.x.subarray(src * f, (src + 1) * f), r * f);
      this.yBuffer[r] = this.split.y[src];
    }
    return {
      x: tf.tensor2d(this.xBuffer.subarray(0, rows * f), [rows, f]),
      y: tf.tensor1d(this.yBuffer.subarray(0, rows)),
    };
  }
}
