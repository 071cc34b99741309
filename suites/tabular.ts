import type { SuiteDefinition } from '../src/run/types.js';
import { REFERENCE_STRATEGY, standardStrategies } from './standard-strategies.js';

const tabular: SuiteDefinition = {
  name: 'tabular',
  description: 'general tabular classification: Covertype (7 classes) and HIGGS (binary)',
  datasets: ['covertype', 'higgs'],
  models: [
    { label: 'mlp', model: 'mlp' },
    { label: 'tabformer', model: 'tabformer' },
  ],
  strategies: standardStrategies,
  reference: REFERENCE_STRATEGY,
};

export default tabular;
