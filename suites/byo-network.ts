import type { SuiteDefinition } from '../src/run/types.js';
import { REFERENCE_STRATEGY, standardStrategies } from './standard-strategies.js';

/**
 * The worked example of README's "Bring your own dataset and suite": two datasets added as
 * definition files in data/ (no change under src/), this file dropped into suites/, all eleven
 * strategies, both models; sized to finish in well under an hour on 2 cores.
 */
const byoNetwork: SuiteDefinition = {
  name: 'byo-network',
  description: 'worked example: 5G traffic detection (download vs video, targetMap) and radio-mode classification (8 imbalanced classes), macro-F1 headline',
  datasets: ['cork5g-traffic', 'cork5g-radio-mode'],
  models: [
    { label: 'mlp', model: 'mlp' },
    { label: 'tabformer', model: 'tabformer' },
  ],
  strategies: standardStrategies,
  reference: REFERENCE_STRATEGY,
  protocol: { epochs: 12, patience: 4, seeds: [1, 2], maxRows: 4000, metric: 'f1' },
};

export default byoNetwork;
