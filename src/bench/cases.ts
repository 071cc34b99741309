import type { StrategyOptions } from '../strategy/options.js';

/** A strategy configuration whose training step the benchmark times. */
export interface BenchCase {
  label: string;
  strategy: string;
  options: StrategyOptions;
}

/** The four: the fp32 reference, uniform W4A8, NMP-QAT weights-only and weights+activations. */
export const BENCH_CASES: BenchCase[] = [
  { label: 'fp32', strategy: 'fp32', options: {} },
  { label: 'uniform-w4a8', strategy: 'uniform', options: { weightBits: 4, activationBits: 8 } },
  { label: 'nmp-qat-w', strategy: 'nmp-qat', options: { mode: 'w' } },
  { label: 'nmp-qat-wa', strategy: 'nmp-qat', options: { mode: 'wa' } },
];
