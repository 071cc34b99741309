import * as tf from '@tensorflow/tfjs';
import type { PreparedDataset, SplitData } from '../data/types.js';
import { headlineMetric } from '../metrics/task-metrics.js';
import { kernelHook, modelKernels } from '../model/kernels.js';
import type { Model } from '../model/types.js';
import { floatQuantizers } from '../precision/precision-quantizers.js';
import { makeRng } from '../rng.js';
import type { ModelProbe } from '../strategy/types.js';
import { evaluate, type TrainConfig, train, trainingLoss } from '../train/trainer.js';

export interface ProbeSource {
  /** The run's model at its starting weights; the probe never changes them. */
  model: Model;
  /** A new model with the same starting weights, for fine-tunes; the probe disposes it. */
  freshModel: () => Model;
  data: PreparedDataset;
  protocol: TrainConfig;
  seed: number;
}

/** The first `rows` rows of a split: a fixed subset, the same for every call. */
function head(split: SplitData, rows: number, features: number): SplitData {
  const n = Math.min(rows, split.n);
  return { n, x: split.x.subarray(0, n * features), y: split.y.subarray(0, n) };
}

/** Measurements for search strategies, all taken lazily: a strategy that asks for nothing costs nothing. */
export function createProbe(src: ProbeSource): ModelProbe & { dispose(): void } {
  const { model, data } = src;
  const features = data.featureNames.length;
  const batch = (rows: number) => {
    const part = head(data.train, rows, features);
    return { x: tf.tensor2d(part.x, [part.n, features]), y: tf.tensor1d(part.y) };
  };
  let kernels: tf.Tensor2D[] | null = null;
  let reference: ModelProbe['reference'] | null = null;

  return {
    kernel(layer) {
      // Kept: the first call may come from inside a strategy's tf.tidy, which would dispose them.
      kernels ??= modelKernels(model, features).map((k) => tf.keep(k.clone()));
      return kernels[layer];
    },
    inputSecondMoments(rows) {
      const { x, y } = batch(rows);
      const moments = tf.tidy(() => model.layerInputs(x).map((input) => tf.mean(tf.square(input), 0)));
      const values = moments.map((m) => m.dataSync() as Float32Array);
      tf.dispose([x, y, ...moments]);
      return values;
    },
    inputGram(rows) {
      const { x, y } = batch(rows);
      const grams = tf.tidy(() => model.layerInputs(x).map((input) => tf.div(tf.matMul(input, input, true, false), input.shape[0])));
      const values = grams.map((g) => Float64Array.from(g.dataSync()));
      tf.dispose([x, y, ...grams]);
      return values;
    },
    kernelGradient(layer, delta, rows) {
      const { x, y } = batch(rows);
      const shift = delta ?? tf.zeros([model.layers[layer].fanIn, model.layers[layer].fanOut]);
      // d loss / d delta at delta equals d loss / d W at W + delta.
      const shifted = (d: tf.Tensor) =>
        trainingLoss(
          data,
          model.forward(
            x,
            kernelHook(model, (l, k) => (l === layer ? tf.add(k, d) : k)),
          ),
          y,
        );
      const gradient = tf.tidy(() => tf.grad(shifted)(shift) as tf.Tensor2D);
      tf.dispose([x, y]);
      if (!delta) shift.dispose();
      return gradient;
    },
    fineTune(makeQuantizers, opts) {
      const fresh = src.freshModel();
      const q = makeQuantizers(fresh.layers);
      try {
        const subset: PreparedDataset = { ...data, train: head(data.train, opts.rows, features) };
        // Patience = epochs: a short fine-tune keeps its best epoch without stopping early.
        const cfg = { ...src.protocol, epochs: opts.epochs, patience: opts.epochs };
        const outcome = train(fresh, q, subset, cfg, makeRng(`finetune:${src.seed}`));
        if (outcome.status !== 'ok') return Number.NaN;
        return headlineMetric(data.task, src.protocol.metric).pick(evaluate(fresh, q, data, data.val));
      } finally {
        q.dispose();
        fresh.dispose();
      }
    },
    get reference() {
      if (!reference) {
        const q = floatQuantizers(model.layers);
        const metric = headlineMetric(data.task, src.protocol.metric);
        reference = { metric: metric.pick(evaluate(model, q, data, data.val)), higherIsBetter: metric.higherIsBetter };
        q.dispose();
      }
      return reference;
    },
    dispose() {
      if (kernels) tf.dispose(kernels);
    },
  };
}
