import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';

/** A variable drawn uniformly from [-limit, limit) with the run's seeded generator, so initial weights match across backends. */
export function uniformVariable(shape: number[], limit: number, rng: Rng): tf.Variable {
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng() * 2 - 1) * limit);
  return tf.tidy(() => tf.variable(tf.tensor(values, shape)));
}

/** He-uniform kernel [fanIn, fanOut] (ReLU layers). */
export const heUniform = (fanIn: number, fanOut: number, rng: Rng): tf.Variable => uniformVariable([fanIn, fanOut], Math.sqrt(6 / fanIn), rng);

/** Glorot-uniform kernel [fanIn, fanOut] (linear layers). */
export const glorotUniform = (fanIn: number, fanOut: number, rng: Rng): tf.Variable => uniformVariable([fanIn, fanOut], Math.sqrt(6 / (fanIn + fanOut)), rng);

export const constantVariable = (shape: number[], value: number): tf.Variable => tf.tidy(() => tf.variable(tf.fill(shape, value)));
