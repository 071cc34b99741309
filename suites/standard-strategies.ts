import type { StrategyEntry } from '../src/run/types.js';

/**
 * The comparison: the FP32 reference, uniform QAT at 1/2/4/8 bits (8-bit activations), NMP-QAT
 * weights-only and W+A, then the mixed-precision baselines at NMP-QAT's budget (their default
 * budget is match:nmp-qat). "nmp-qat" (W+A) is the reference the summary tests against.
 */
export const standardStrategies: StrategyEntry[] = [
  { label: 'fp32', strategy: 'fp32' },
  ...[1, 2, 4, 8].map((bits) => ({ label: `uniform-w${bits}a8`, strategy: 'uniform', options: { weightBits: bits, activationBits: 8 } })),
  { label: 'nmp-qat-w', strategy: 'nmp-qat', options: { mode: 'w' } },
  { label: 'nmp-qat', strategy: 'nmp-qat', options: { mode: 'wa' } },
  { label: 'layer-wise', strategy: 'layer-wise' },
  { label: 'channel-wise', strategy: 'channel-wise' },
  { label: 'hawq', strategy: 'hawq' },
  { label: 'releq', strategy: 'releq' },
];

export const REFERENCE_STRATEGY = 'nmp-qat';
