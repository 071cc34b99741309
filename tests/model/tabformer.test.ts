import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { FeatureGroup, PreparedDataset } from '../../src/data/types.js';
import { bitBudget } from '../../src/metrics/budget.js';
import { multiHeadAttention } from '../../src/model/attention.js';
import { embeddingMask, maskTokens } from '../../src/model/feature-tokens.js';
import { tabformer } from '../../src/model/tabformer.js';
import { floatQuantizers } from '../../src/precision/precision-quantizers.js';
import { makeRng } from '../../src/rng.js';
import { getStrategy, resolveStrategyOptions } from '../../src/strategy/registry.js';
import type { QuantizerSet } from '../../src/layers/quantizer-set.js';
import { sampleCellMask } from '../../src/train/pretrain.js';
import { plainContext, syntheticDataset } from '../helpers.js';
import { correlatedGroups, SMALL } from './tabformer-fixtures.js';

/** softmax(q k^T / sqrt(dh)) v for one head, by loops over plain arrays. */
function attentionByHand(q: number[][], k: number[][], v: number[][]): number[][] {
  const dh = q[0].length;
  return q.map((qi) => {
    const scores = k.map((kj) => qi.reduce((s, x, c) => s + x * kj[c], 0) / Math.sqrt(dh));
    const max = Math.max(...scores);
    const weights = scores.map((s) => Math.exp(s - max));
    const total = weights.reduce((a, b) => a + b, 0);
    return v[0].map((_, c) => weights.reduce((s, w, j) => s + (w / total) * v[j][c], 0));
  });
}

describe('multi-head attention', () => {
  it('matches a hand computation: 2 samples, 3 tokens, 2 heads of width 2', () => {
    const rng = makeRng('attention');
    const draw = () => Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => Math.round((rng() * 4 - 2) * 4) / 4));
    const [q, k, v] = [draw(), draw(), draw()];
    const got = tf.tidy(() => multiHeadAttention(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(v), 2, 2).arraySync());
    for (const sample of [0, 1]) {
      const rows = (m: number[][], head: number) => m.slice(sample * 3, sample * 3 + 3).map((r) => r.slice(head * 2, head * 2 + 2));
      const heads = [0, 1].map((h) => attentionByHand(rows(q, h), rows(k, h), rows(v, h)));
      for (let t = 0; t < 3; t++) {
        const expected = [...heads[0][t], ...heads[1][t]];
        got[sample * 3 + t].forEach((x, c) => expect(x).toBeCloseTo(expected[c], 5));
      }
    }
  });

  it('worked by hand: two tokens, one head of width 1', () => {
    // scores q k^T = [[1*1, 1*0], [0*1, 0*0]] = [[1, 0], [0, 0]]; softmax rows [e/(e+1), 1/(e+1)], [1/2, 1/2].
    const out = tf.tidy(() => multiHeadAttention(tf.tensor2d([[1], [0]]), tf.tensor2d([[1], [0]]), tf.tensor2d([[2], [4]]), 1, 1).arraySync());
    const e = Math.E;
    expect(out[0][0]).toBeCloseTo((2 * e + 4) / (e + 1), 6);
    expect(out[1][0]).toBeCloseTo(3, 6);
  });
});

describe('feature tokens and masking', () => {
  const groups: FeatureGroup[] = [
    { name: 'a', kind: 'numeric', columns: 1 },
    { name: 'b', kind: 'categorical', columns: 3 },
    { name: 'c', kind: 'numeric', columns: 2 },
  ];

  it('the embedding mask lets each token see only its own columns', () => {
    const mask = tf.tidy(() => embeddingMask(groups, 2).arraySync());
    const owner = [0, 1, 1, 1, 2, 2];
    mask.forEach((row, column) => row.forEach((m, j) => expect(m).toBe(Math.floor(j / 2) === owner[column] ? 1 : 0)));
  });

  it('masking replaces exactly the chosen cells by the mask embedding and leaves every other cell as it was', () => {
    const content = tf.tensor3d(
      Array.from({ length: 2 * 3 * 4 }, (_, i) => i + 1),
      [2, 3, 4],
    );
    const chosen = [
      [0, 1, 0],
      [1, 0, 1],
    ];
    const embedding = [-1, -2, -3, -4];
    const masked = tf.tidy(() => maskTokens(content, tf.tensor2d(chosen), tf.tensor1d(embedding)).arraySync());
    const before = content.arraySync();
    for (let s = 0; s < 2; s++) for (let c = 0; c < 3; c++) expect(masked[s][c]).toEqual(chosen[s][c] ? embedding : before[s][c]);
    content.dispose();
  });

  it('samples about the asked fraction of cells, the same cells for the same seed', () => {
    const a = sampleCellMask(400, 10, 0.15, makeRng('m'));
    expect(a).toEqual(sampleCellMask(400, 10, 0.15, makeRng('m')));
    const share = a.reduce((s, x) => s + x, 0) / a.length;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.18);
  });
});

describe('masked-cell pretraining', () => {
  it('pretrainEpochs 0 means no objective and no pretraining config', () => {
    const options = { ...SMALL, pretrainEpochs: 0 };
    const model = tabformer.create(options, 5, 2, makeRng('init'), correlatedGroups);
    expect(model.selfSupervised).toBeUndefined();
    expect(tabformer.pretraining!(options)).toBeNull();
    expect(tabformer.pretraining!(SMALL)).toEqual({ epochs: 3, maskFraction: 0.3, learningRate: 0.01 });
    model.dispose();
  });

  it('refuses options it cannot build, in one line', () => {
    expect(() => tabformer.create({ ...SMALL, d: 10, heads: 4 }, 5, 2, makeRng(1))).toThrow('tabformer: d (10) must be a multiple of heads (4)');
    expect(() => tabformer.create({ ...SMALL, maskFraction: 1 }, 5, 2, makeRng(1))).toThrow('maskFraction must be in (0, 1)');
  });
});

/** Counts the layers a forward pass hands to the quantizers. */
function counting(q: QuantizerSet): { q: QuantizerSet; weights: Set<number>; sites: Set<number> } {
  const weights = new Set<number>();
  const sites = new Set<number>();
  return {
    q: {
      ...q,
      weights: (l, k) => {
        weights.add(l);
        return q.weights(l, k);
      },
      activations: (l, a) => {
        sites.add(l);
        return q.activations(l, a);
      },
    },
    weights,
    sites,
  };
}

describe('tabformer under the strategies', () => {
  const data: PreparedDataset = syntheticDataset(600, 6);

  it('nmp-qat quantizes every linear layer (6 per block + head) per neuron, and every activation site', () => {
    const model = tabformer.create(SMALL, 6, 3, makeRng('init'));
    expect(model.layers.map((l) => l.name)).toEqual([...['b1', 'b2'].flatMap((b) => ['q', 'k', 'v', 'o', 'ff1', 'ff2'].map((n) => `${b}.${n}`)), 'head']);
    const strategy = getStrategy('nmp-qat');
    const nmp = strategy.create(resolveStrategyOptions(strategy, { mode: 'wa' }), plainContext(model.layers));
    const seen = counting(nmp);
    tf.tidy(() => {
      model.forward(tf.tensor2d(data.train.x.subarray(0, 16 * 6), [16, 6]), seen.q);
    });
    expect(seen.weights.size).toBe(13);
    // q (after LayerNorm), o (attention output), ff1 (after LayerNorm), ff2 (after ReLU), head (final LayerNorm).
    expect([...seen.sites].sort((a, b) => a - b)).toEqual([0, 3, 4, 5, 6, 9, 10, 11, 12]);
    const bits = nmp.bits();
    expect(bits).toHaveLength(13);
    model.layers.forEach((layer, l) => {
      expect(bits[l].weight).toEqual(new Array(layer.fanOut).fill(1)); // every neuron starts at the lowest width
      expect(bits[l].activation?.length ?? null).toBe(layer.activation?.width ?? null);
    });
    // Weights at 1 bit: each column of every kernel takes two values, +-mean|w|.
    for (let l = 0; l < 13; l++) {
      const w = tf.tidy(() =>
        seen.q
          .weights(
            l,
            tf.tensor2d(
              Array.from({ length: model.layers[l].fanIn * model.layers[l].fanOut }, (_, i) => Math.sin(i + 1)),
              [model.layers[l].fanIn, model.layers[l].fanOut],
            ),
          )
          .arraySync(),
      );
      for (let j = 0; j < model.layers[l].fanOut; j++) expect(new Set(w.map((row) => Math.abs(row[j]).toFixed(6))).size).toBe(1);
    }
    nmp.dispose();
    model.dispose();
  });

  it('BitOPs count each block layer once per token and both attention products at 32 x 32 bits', () => {
    const model = tabformer.create(SMALL, 6, 3, makeRng('init'));
    const q = floatQuantizers(model.layers);
    const tokens = 7; // 6 numeric features + [CLS]
    const { d, ff, blocks } = SMALL;
    const perBlock = tokens * (4 * d * d + 2 * d * ff) * 32 * 32;
    const attention = 2 * tokens * tokens * d * 32 * 32;
    expect(bitBudget(model.layers, q.bits(), model.floatMacs).bitops).toBe(blocks * (perBlock + attention) + d * 3 * 32 * 32);
    q.dispose();
    model.dispose();
  });
});
