import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../src/errors.js';
import { allocateExact } from '../src/search/allocation.js';
import { checkSearchedWidths, fixedLayerWidths, requireBudget, SEARCHED_WIDTH_DEFAULTS, type SearchedWidthOptions } from '../src/search/fixed-widths.js';
import { hutchinsonTrace } from '../src/search/hutchinson.js';
import { quantizationError } from '../src/search/quantization-error.js';
import type { ModelProbe, Strategy } from '../src/strategy/types.js';
import { weightQuantizerOf } from '../src/strategy/weight-quantizer-option.js';

interface HawqOptions extends SearchedWidthOptions {
  /** Training rows the Hessian is taken over (a fixed subset). */
  hessianRows: number;
  maxIter: number;
  minIter: number;
  /** Relative change of the running trace estimate that stops the draws. */
  tol: number;
  /** Step of the central difference (g(W + eps v) - g(W - eps v)) / (2 eps). */
  epsilon: number;
}

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
export const hawq: Strategy<HawqOptions> = {
  name: 'hawq',
  summary: 'Hessian-aware per-layer widths: Hutchinson trace x quantization error, exact allocation under the budget',
  mixedPrecision: true,
  requiresPretrained: true,
  defaults: { ...SEARCHED_WIDTH_DEFAULTS, hessianRows: 512, maxIter: 50, minIter: 3, tol: 0.01, epsilon: 1e-3 },
  validate(o) {
    checkSearchedWidths('hawq', o);
    if (!(o.maxIter >= o.minIter && o.minIter >= 1)) throw new UsageError('hawq: need maxIter >= minIter >= 1');
    if (!(o.tol > 0) || !(o.epsilon > 0) || !(o.hessianRows >= 1)) throw new UsageError('hawq: tol, epsilon and hessianRows must be positive');
  },
  create(o, { layers, rng, budget, probe }) {
    const target = requireBudget('hawq', budget);
    const quantizer = weightQuantizerOf('hawq', o);
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
    const quantizers = fixedLayerWidths(layers, allocation.bits, o);
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
