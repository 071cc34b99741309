import * as tf from '@tensorflow/tfjs';
import { allocateExact } from '../src/search/allocation.js';
import { hutchinsonTrace } from '../src/search/hutchinson.js';
import { layerWidthQuantizers } from '../src/search/layer-widths.js';
import { quantizationError } from '../src/search/quantization-error.js';
import { requireBudget } from '../src/strategy/context.js';
import { number } from '../src/strategy/options.js';
import { SEARCHED_WIDTH_OPTIONS, weightQuantizerOf } from '../src/strategy/shared-options.js';
import type { ModelProbe, Strategy } from '../src/strategy/types.js';

const ITERATIONS = 'need maxIter >= minIter >= 1';
const POSITIVE = 'tol, epsilon and hessianRows must be positive';
const positive = (v: number) => (v > 0 ? undefined : POSITIVE);

const options = {
  ...SEARCHED_WIDTH_OPTIONS,
  /** Training rows the Hessian is taken over (a fixed subset). */
  hessianRows: number(512, (v) => (v >= 1 ? undefined : POSITIVE)),
  maxIter: number(50, (v, _key, o) => (v >= (o.minIter as number) ? undefined : ITERATIONS)),
  minIter: number(3, (v) => (v >= 1 ? undefined : ITERATIONS)),
  /** Relative change of the running trace estimate that stops the draws. */
  tol: number(0.01, positive),
  /** Step of the central difference (g(W + eps v) - g(W - eps v)) / (2 eps). */
  epsilon: number(1e-3, positive),
};

/**
 * v^T H v for layer l by a central difference of gradients: tfjs 4.22's gradient of a gradient
 * silently returns zeros for this loss (docs/tfjs-notes.md), so the product is not taken analytically.
 */
export function hessianQuadratic(probe: ModelProbe, layer: number, rows: number, epsilon: number) {
  const shape = probe.kernel(layer).shape;
  return (v: Float32Array): number => {
    const product = tf.tidy(() => {
      const direction = tf.tensor2d(v, shape);
      const plus = probe.kernelGradient(layer, tf.mul(direction, epsilon), rows);
      const minus = probe.kernelGradient(layer, tf.mul(direction, -epsilon), rows);
      return tf.div(tf.sum(tf.mul(direction, tf.sub(plus, minus))), 2 * epsilon);
    });
    const value = product.dataSync()[0];
    product.dispose();
    return value;
  };
}

/** HAWQ-style: average Hessian trace x quantization error per layer, exact allocation under the budget, then QAT at fixed widths. */
export const hawq: Strategy<typeof options> = {
  name: 'hawq',
  summary: 'Hessian-aware per-layer widths: Hutchinson trace x quantization error, exact allocation under the budget',
  mixedPrecision: true,
  requiresPretrained: true,
  budget: 'match:nmp-qat',
  options,
  create(o, { layers, rng, budget, probe }) {
    const target = requireBudget('hawq', budget);
    const quantizer = weightQuantizerOf(o);
    const estimates = layers.map((layer, l) => {
      const n = layer.fanIn * layer.fanOut;
      const { trace, iterations } = hutchinsonTrace(hessianQuadratic(probe, l, o.hessianRows, o.epsilon), n, o, rng);
      return { averageTrace: trace / n, iterations };
    });
    // A non-positive estimate (noise, or a locally concave layer) means no measurable sensitivity:
    // left signed, it would reward the largest quantization error.
    const groups = layers.map((layer, l) => ({
      count: layer.fanIn * layer.fanOut,
      cost: o.bits.map((b) => Math.max(0, estimates[l].averageTrace) * quantizationError(probe.kernel(l), b, quantizer)),
    }));
    const allocation = allocateExact(groups, o.bits, target);
    const quantizers = layerWidthQuantizers(layers, allocation.bits, o);
    return {
      ...quantizers,
      searchReport: {
        averageTraces: estimates.map((e) => e.averageTrace),
        iterations: estimates.map((e) => e.iterations),
        sensitivities: groups.map((g) => g.cost),
        bits: allocation.bits,
        budget: target,
        averageBits: allocation.averageBits,
      },
    };
  },
};
