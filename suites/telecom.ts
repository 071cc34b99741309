import type { SuiteDefinition } from '../src/run/types.js';
import { REFERENCE_STRATEGY, standardStrategies } from './standard-strategies.js';

const telecom: SuiteDefinition = {
  name: 'telecom',
  description: "the paper's telecom tasks (or their stand-ins): VoD, service mesh, 5G RSS, two QoE sets and churn",
  datasets: ['vod', 'servicemesh', 'rss', 'qoe', 'qoe-youtube', 'churn'],
  models: [
    { label: 'mlp', model: 'mlp' },
    { label: 'tabformer', model: 'tabformer' },
  ],
  strategies: standardStrategies,
  reference: REFERENCE_STRATEGY,
  claims: [
    {
      id: 'nmp-qat-weight-bits',
      kind: 'range',
      source: "secondary summaries of the paper's results (paraphrased)",
      wording: 'NMP-QAT ends at 1.0 to 2.4 average weight bits (checked at the precision stated: [0.95, 2.45])',
      model: 'mlp',
      strategy: REFERENCE_STRATEGY,
      measure: 'avg_weight_bits',
      lo: 0.95,
      hi: 2.45,
    },
  ],
};

export default telecom;
