import type { SuiteDefinition } from '../src/run/types.js';

/**
 * The variants of our NMP-QAT reconstruction, compared on validation data (docs/reconstruction.md):
 * the first reconstruction and one change at a time from today's defaults. Pick with
 * `npx tsx scripts/validation-table.ts results/reconstruction`, never on test metrics.
 */
const reconstruction: SuiteDefinition = {
  name: 'reconstruction',
  description: 'variants of the NMP-QAT reconstruction (quantizer family, strength optimiser, kappa, step refinements, tau) on the telecom tasks, MLP',
  datasets: ['vod', 'servicemesh', 'rss', 'qoe', 'qoe-youtube', 'churn'],
  models: [{ label: 'mlp', model: 'mlp' }],
  strategies: [
    { label: 'fp32', strategy: 'fp32' },
    { label: 'uniform-w4a8', strategy: 'uniform', options: { weightBits: 4, activationBits: 8 } },
    { label: 'nmp-qat', strategy: 'nmp-qat' },
    { label: 'first-reconstruction', strategy: 'nmp-qat', options: { weightQuantizer: 'symmetric-max', strengthOptimizer: 'shared' } },
    { label: 'symmetric-max', strategy: 'nmp-qat', options: { weightQuantizer: 'symmetric-max' } },
    { label: 'shared-optimizer', strategy: 'nmp-qat', options: { strengthOptimizer: 'shared' } },
    { label: 'kappa-1', strategy: 'nmp-qat', options: { weightStrengthKappa: 1, activationStrengthKappa: 1 } },
    { label: 'kappa-10', strategy: 'nmp-qat', options: { weightStrengthKappa: 10, activationStrengthKappa: 10 } },
    { label: 'multiplier-10', strategy: 'nmp-qat', options: { strengthLrMultiplier: 10 } },
    { label: 'refinements-1', strategy: 'nmp-qat', options: { stepRefinements: 1 } },
    { label: 'refinements-4', strategy: 'nmp-qat', options: { stepRefinements: 4 } },
    { label: 'tau-0.02', strategy: 'nmp-qat', options: { tau: 0.02 } },
    { label: 'tau-0.2', strategy: 'nmp-qat', options: { tau: 0.2 } },
  ],
  reference: 'nmp-qat',
};

export default reconstruction;
