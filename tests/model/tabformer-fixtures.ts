/** Options and feature groups the TabFormer tests share. */
import type { FeatureGroup } from '../../src/data/types.js';

/** A 2-block TabFormer small enough for tests. */
export const SMALL = { d: 8, heads: 2, blocks: 2, ff: 16, pretrainEpochs: 3, maskFraction: 0.3, pretrainLr: 0.01 };

/** The columns of correlatedSplit (tabformer-training.integration.test.ts): three numbers and a one-hot sign. */
export const correlatedGroups: FeatureGroup[] = [
  { name: 'a', kind: 'numeric', columns: 1 },
  { name: 'b', kind: 'numeric', columns: 1 },
  { name: 'c', kind: 'numeric', columns: 1 },
  { name: 'sign', kind: 'categorical', columns: 2 },
];
