import type { SuiteDefinition } from '../src/suite/types.js';
import { REFERENCE_STRATEGY, standardStrategies } from './standard-strategies.js';

export const telecom: SuiteDefinition = {
  name: 'telecom',
  description: "the paper's telecom tasks (or their stand-ins): VoD, service mesh, 5G RSS, two QoE sets and churn",
  datasets: ['vod', 'servicemesh', 'rss', 'qoe', 'qoe-youtube', 'churn'],
  models: [
    { label: 'mlp', model: 'mlp' },
    { label: 'tabformer', model: 'tabformer' },
  ],
  strategies: standardStrategies,
  reference: REFERENCE_STRATEGY,
};
