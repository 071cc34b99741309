import type { StrategyEntry } from '../src/suite/types.js';

/** The comparison of issue #2: the FP32 reference, uniform QAT at 1/2/4/8 bits (8-bit activations) and NMP-QAT W and W+A. */
export const standardStrategies: StrategyEntry[] = [
  { label: 'fp32', strategy: 'fp32' },
  ...[1, 2, 4, 8].map((bits) => ({ label: `uniform-w${bits}a8`, strategy: 'uniform', options: { weightBits: bits, activationBits: 8 } })),
  { label: 'nmp-qat-w', strategy: 'nmp-qat', options: { mode: 'w' } },
  { label: 'nmp-qat-wa', strategy: 'nmp-qat', options: { mode: 'wa' } },
];
