import type { SuiteDefinition } from '../src/suite/types.js';

/** For CI: two small datasets, one of each task, a few epochs, 2 seeds; every strategy family once. */
export const smoke: SuiteDefinition = {
  name: 'smoke',
  description: 'CI check of the whole pipeline: 2 small datasets, 3 epochs, 2 seeds, a small MLP',
  datasets: ['vod', 'churn'],
  models: [{ label: 'mlp', model: 'mlp', options: { depth: 2, width: 32 } }],
  strategies: [
    { label: 'fp32', strategy: 'fp32' },
    { label: 'uniform-w4a8', strategy: 'uniform', options: { weightBits: 4, activationBits: 8 } },
    { label: 'nmp-qat-w', strategy: 'nmp-qat', options: { mode: 'w' } },
    { label: 'nmp-qat-wa', strategy: 'nmp-qat', options: { mode: 'wa' } },
  ],
  protocol: { epochs: 3, patience: 2, seeds: [1, 2], maxRows: 2000 },
};
