import type { Rng } from '../rng.js';
import type { LayerSpec } from '../layers/layer.js';
import type { StrategyContext } from './types.js';

/**
 * A context for strategies that neither search nor take a budget (benchmarks, tests): the
 * probe refuses every use, so a strategy that needs one fails loudly rather than silently.
 */
export function plainContext(layers: LayerSpec[], rng: Rng): StrategyContext {
  const refuse = (): never => {
    throw new Error('this strategy needs a model probe, which only suite runs provide');
  };
  return {
    layers,
    rng,
    budget: null,
    probe: {
      kernel: refuse,
      inputSecondMoments: refuse,
      inputGram: refuse,
      kernelGradient: refuse,
      fineTune: refuse,
      get reference(): never {
        return refuse();
      },
    },
  };
}

/** The budget a budgeted strategy cannot do without (StrategyContext.budget). */
export function requireBudget(strategy: string, budget: number | null): number {
  if (budget === null) throw new Error(`${strategy} needs a budget: set its budget option or --budget <bits>|match:<strategy>`);
  return budget;
}
