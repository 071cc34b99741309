import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mlp } from '../../src/model/mlp.js';
import { makeRng } from '../../src/rng.js';
import { probeFor, syntheticDataset } from '../helpers.js';

describe('the probe', () => {
  it("records the starting kernels once, and they outlive the tf.tidy of a strategy's first call", () => {
    const model = mlp.create({ depth: 1, width: 4 }, 6, 3, makeRng(1));
    const probe = probeFor(model, syntheticDataset(60));
    // channel-wise and releq first ask for a kernel inside tf.tidy
    const shape = tf.tidy(() => tf.transpose(probe.kernel(0)).shape);
    expect(shape).toEqual([4, 6]);
    expect(probe.kernel(0).isDisposed).toBe(false);
    expect(Array.from(probe.kernel(1).dataSync())).toEqual(Array.from(model.variables[1].dataSync()));
    probe.dispose();
    model.dispose();
  });
});
