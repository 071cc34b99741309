import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { biasGrads, fusedWeightGrad, transpose2d, weightGrad } from '../../src/kernels/dense-kernels.js';
import { dense, denseOnData, denseRelu } from '../../src/model/dense.js';
import { makeRng, normal } from '../../src/rng.js';
import { KERNEL_BACKENDS, useBackend } from './backends.js';

const rng = makeRng('fused-dense');
const randn = (shape: [number, number]) =>
  tf.tensor2d(
    Float32Array.from({ length: shape[0] * shape[1] }, () => normal(rng)),
    shape,
  );
// 23 output columns: four per v128 in the kernels, and a tail of three.
const X = randn([33, 19]);
const W = randn([19, 23]);
const B = tf.tensor1d(Float32Array.from({ length: 23 }, () => normal(rng)));
const UP = randn([33, 23]); // dL/dy of L = sum(UP * y)

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const plain = (xs: number[]) => xs.map((v) => v + 0);

function expectClose(got: tf.Tensor, want: tf.Tensor, relative = 1e-5): void {
  expect(got.shape).toEqual(want.shape);
  const scale = Math.max(...values(tf.abs(want)));
  values(got).forEach((v, i) => expect(Math.abs(v - want.dataSync()[i])).toBeLessThanOrEqual(relative * scale));
}

describe.each(KERNEL_BACKENDS)('dense layer kernels against plain tfjs ops (%s)', (backend) => {
  useBackend(backend);

  it('transpose2d is tf.transpose, to the bit', () => {
    // 37 x 45: several 16 x 16 tiles, partial tiles, and leftover rows and columns
    for (const x of [X, W, randn([37, 45]), randn([3, 2]), randn([1, 40])]) expect(values(transpose2d(x as tf.Tensor2D))).toEqual(values(tf.transpose(x)));
    expect(transpose2d(X).shape).toEqual([19, 33]);
  });

  it('bias gradients: through the ReLU mask (from its output) and without', () => {
    const y = tf.relu(UP) as tf.Tensor2D; // a ReLU output with exact zeros
    const dy = randn([33, 23]);
    const [dz, db] = biasGrads(dy, y);
    const want = tf.mul(dy, tf.step(y));
    expect(plain(values(dz))).toEqual(plain(values(want)));
    expectClose(db, tf.sum(want, 0), 1e-6);
    const [same, dbLinear] = biasGrads(dy, null);
    expect(same).toBe(dy);
    expectClose(dbLinear, tf.sum(dy, 0), 1e-6);
  });

  // Rows in blocks of 32 (33, 70: a partial block), columns in blocks of 128 (130), sixteen,
  // four and one at a time (23 = 16 + 4 + 3), rows of dW in pairs (19, 5: an odd one left).
  it.each([
    [33, 19, 23],
    [70, 5, 130],
    [100, 3, 1],
    [1, 2, 4],
  ])('the weight gradient kernel: x [%i, %i], dz of %i columns, is x^T dz', (rows, inCols, outCols) => {
    const [x, dz] = [randn([rows, inCols]), randn([rows, outCols])];
    const want = tf.matMul(x, dz, true, false);
    expectClose(fusedWeightGrad(x, dz), want, 1e-6);
    expectClose(weightGrad(x, dz), want, 1e-6);
  });

  it.each([
    ['dense', dense, (z: tf.Tensor) => z],
    ['denseRelu', denseRelu, (z: tf.Tensor) => tf.relu(z)],
  ] as const)('%s: value and gradients of x, W and b match autodiff of matMul + bias (+ relu)', (_, op, activation) => {
    const lossOf = (f: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) => (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(UP, f(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D)));
    const reference = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => activation(tf.add(tf.matMul(x, w), b));
    expectClose(op(X, W, B), reference(X, W, B));
    const got = tf.grads(lossOf(op))([X, W, B]);
    const want = tf.grads(lossOf(reference))([X, W, B]);
    got.forEach((g, i) => expectClose(g, want[i]));
  });

  it.each([
    ['relu', (z: tf.Tensor) => tf.relu(z)],
    ['linear', (z: tf.Tensor) => z],
  ] as const)('denseOnData (%s): the same layer and W, b gradients, with x a constant (no input gradient is computed)', (activation, act) => {
    const onDataOp = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => denseOnData(x, w, b, activation);
    const reference = (w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(UP, act(tf.add(tf.matMul(X, w as tf.Tensor2D), b))));
    const onData = (w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(UP, onDataOp(X, w as tf.Tensor2D, b as tf.Tensor1D)));
    expectClose(onDataOp(X, W, B), act(tf.add(tf.matMul(X, W), B)) as tf.Tensor2D);
    const got = tf.grads(onData)([W, B]);
    tf.grads(reference)([W, B]).forEach((want, i) => expectClose(got[i], want));
    expect(() => tf.grad((x: tf.Tensor) => tf.sum(onDataOp(x as tf.Tensor2D, W, B)))(X)).toThrow(/Cannot compute gradient/);
  });
});
