import * as tf from '@tensorflow/tfjs';
import type { FeatureGroup } from '../data/types.js';

/** Every column its own numeric feature: the grouping when a dataset gives none. */
export const singleColumnGroups = (columns: number): FeatureGroup[] =>
  Array.from({ length: columns }, (_, i) => ({ name: `x${i}`, kind: 'numeric' as const, columns: 1 }));

/** [groups, columns] 0/1: row g marks the input columns of feature group g. */
export function groupMembership(groups: FeatureGroup[]): Float32Array {
  const columns = groups.reduce((n, g) => n + g.columns, 0);
  const member = new Float32Array(groups.length * columns);
  let at = 0;
  groups.forEach((g, i) => {
    for (let c = 0; c < g.columns; c++) member[i * columns + at + c] = 1;
    at += g.columns;
  });
  return member;
}

/**
 * [columns, groups * d] 0/1: the block structure of the token embedding. A numeric group's
 * block is its linear embedding; a categorical group's one-hot columns select rows of its own
 * embedding table. Columns of other groups never reach a token.
 */
export function embeddingMask(groups: FeatureGroup[], d: number): tf.Tensor2D {
  const member = groupMembership(groups);
  const columns = member.length / groups.length;
  const mask = new Float32Array(columns * groups.length * d);
  for (let g = 0; g < groups.length; g++) {
    for (let c = 0; c < columns; c++) {
      if (member[g * columns + c] === 1) mask.fill(1, c * groups.length * d + g * d, c * groups.length * d + (g + 1) * d);
    }
  }
  return tf.tensor2d(mask, [columns, groups.length * d]);
}

/** Token contents [samples, cells, d] with the masked cells (mask [samples, cells] = 1) replaced by the mask embedding [d]. */
export function maskTokens(content: tf.Tensor3D, mask: tf.Tensor2D, maskEmbedding: tf.Tensor1D): tf.Tensor3D {
  const m = tf.expandDims(mask, 2);
  return tf.add(tf.mul(content, tf.sub(1, m)), tf.mul(m, maskEmbedding)) as tf.Tensor3D;
}
