import type { SuiteDefinition } from '../src/run/types.js';

/** For CI: two small datasets, one of each task, a few epochs, 2 seeds; every strategy once, searches kept short. */
const smoke: SuiteDefinition = {
  name: 'smoke',
  description: 'CI check of the whole pipeline: 2 small datasets, 3 epochs, 2 seeds, a small MLP and TabFormer, every strategy',
  datasets: ['vod', 'churn'],
  models: [
    { label: 'mlp', model: 'mlp', options: { depth: 2, width: 32 } },
    { label: 'tabformer', model: 'tabformer', options: { d: 16, heads: 2, blocks: 1, ff: 32, pretrainEpochs: 2 } },
  ],
  strategies: [
    { label: 'fp32', strategy: 'fp32' },
    { label: 'uniform-w4a8', strategy: 'uniform', options: { weightBits: 4, activationBits: 8 } },
    { label: 'nmp-qat-w', strategy: 'nmp-qat', options: { mode: 'w' } },
    { label: 'nmp-qat', strategy: 'nmp-qat', options: { mode: 'wa' } },
    { label: 'layer-wise', strategy: 'layer-wise' },
    { label: 'channel-wise', strategy: 'channel-wise', options: { budget: '3' } },
    { label: 'hawq', strategy: 'hawq', options: { budget: '3', maxIter: 10 } },
    { label: 'releq', strategy: 'releq', options: { episodes: 4, fineTuneEpochs: 1, fineTuneRows: 512 } },
    { label: 'ppso', strategy: 'ppso', options: { budget: '3', particles: 4, iterations: 3, fineTuneEpochs: 1, fineTuneRows: 512 } },
    { label: 'owq', strategy: 'owq', options: { calibrationRows: 256 } },
  ],
  reference: 'nmp-qat',
  protocol: { epochs: 3, patience: 2, seeds: [1, 2], maxRows: 2000 },
};

export default smoke;
